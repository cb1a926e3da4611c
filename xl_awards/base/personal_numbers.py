"""ID-like and phone-like digit runs anywhere in a text, however they were typed.

A published list must never show a 身份证号码 or a phone number, and one typed into a name or
unit field reaches it.  The rule, in words:

- A *digit run* is a stretch of digits (ASCII or full-width) in which up to three separator
  characters (spaces, full-width spaces, dots, dashes of any kind, ``·``) may sit between two
  digits.  It need not stand alone: letters or Chinese glued to it on either side do not matter
  (``ID430102199001011234``, ``赵六 430102199001011234a``).  An ``X`` right after 17 digits ends an ID.
- Within a run, groups (the pieces between separators) are joined left to right, taking at each
  point the longest join that is: an ID (18 digits, or 17 and ``X``; or the old 15 digits), a
  mobile number (11 digits starting 13-19, or 13 starting 86 1), or a landline with its area
  code (10 to 12 digits starting 0).
- Whatever is left of a run with 15 or more digits is still ID-like (a mistyped ID or a bank
  card number) and is reported as one.

``find_personal_numbers(text)`` returns each as (kind, start, end); masking and validate both use it.
"""

from __future__ import annotations

import re

ID = "id"
PHONE = "phone"

_DIGIT = "0-9\uff10-\uff19"
_SEP = r"\s\u3000\-\u2010-\u2015\u2212\ufe63\uff0d.\u3002\uff0e\u00b7\u30fb"
_X = "Xx\uff38\uff58"
_RUN = re.compile(rf"[{_DIGIT}](?:[{_SEP}]{{0,3}}[{_DIGIT}])*(?:[{_X}])?")
# A run with at least 10 digits (ten digits, each joined to the next as in ``_RUN``): every kind above
# needs 10 digits or more, so a text without one holds no personal number.
_LONG_RUN = re.compile(rf"[{_DIGIT}](?:[{_SEP}]{{0,3}}[{_DIGIT}]){{9}}")
_GROUP = re.compile(rf"[{_DIGIT}]+[{_X}]?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸＸｘ", "0123456789XXx")


def _kind(digits: str) -> str | None:
    """What a joined group of digits (possibly ending in X) is, if anything."""
    if digits[-1] in "Xx":
        return ID if len(digits) == 18 else None
    n = len(digits)
    if n in (15, 18):
        return ID
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return PHONE
    if n == 13 and digits.startswith("861") and digits[3] in "3456789":
        return PHONE
    if 10 <= n <= 12 and digits[0] == "0" and digits[1] != "0":
        return PHONE
    return None


def may_hold_personal_number(text: str) -> bool:
    """False when ``find_personal_numbers(text)`` is certainly empty: no digit run of 10 digits or more."""
    return _LONG_RUN.search(text) is not None


def find_personal_numbers(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every ID-like or phone-like digit run in ``text``, in order."""
    return scan_digit_runs(text) if _LONG_RUN.search(text) else []


def scan_digit_runs(text: str) -> list[tuple[str, int, int]]:
    """``find_personal_numbers`` without the quick test: every digit run looked at."""
    out: list[tuple[str, int, int]] = []
    for run in _RUN.finditer(text):
        groups = [(g.start() + run.start(), g.end() + run.start(), g.group().translate(_FULL_WIDTH))
                  for g in _GROUP.finditer(run.group())]
        # An X only belongs to an ID: a group ending in X that is not one gives the X back.
        i = 0
        found: list[tuple[str, int, int]] = []
        while i < len(groups):
            best = None
            joined = ""
            for j in range(i, len(groups)):
                joined += groups[j][2]
                if len(joined) > 18:
                    break
                kind = _kind(joined)
                if kind:
                    best = (kind, j)
                if joined[-1] in "Xx":
                    break
            if best:
                kind, j = best
                found.append((kind, groups[i][0], groups[j][1]))
                i = j + 1
            else:
                i += 1
        digits = sum(c.isdigit() for c in run.group().translate(_FULL_WIDTH))
        covered = sum(sum(c.isdigit() for c in text[s:e].translate(_FULL_WIDTH)) for _, s, e in found)
        if digits - covered >= 15:  # a long run that is no exact ID or phone: still ID-like, hide it whole
            found = [(ID, run.start(), run.end())]
        out.extend(found)
    return out


def has_personal_number(text: str) -> bool:
    return bool(find_personal_numbers(text))

"""身份证号码 (GB 11643) and 统一社会信用代码 (GB 32100), via python-stdnum.

Each function returns ``None`` for a valid number or a short Chinese reason.
The reasons decided here are exactly the ones the template's ``检查`` formula
decides (length, characters, check character, birth date); the birth place is
a separate, Python-only warning.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import repeat
from operator import mul
from pathlib import Path


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # GB 32100, characters 1-17
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_COMPACT = re.compile(r"[0-9A-Z]*")  # what python-stdnum's compact() returns unchanged
_ID_FORM = re.compile(r"[0-9]{17}[0-9X]")
_USCC_FORM = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")
_USCC_BODY = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{17}")


# python-stdnum is imported where a number is checked the long way (its import costs more than
# checking a few thousand valid numbers on the fast path, which needs none of it).


def isdigits(number: str) -> bool:
    """``stdnum.util.isdigits``."""
    from stdnum.util import isdigits as stdnum_isdigits

    return stdnum_isdigits(number)


def _compact(number: str, kind: str) -> str:
    """python-stdnum's ``compact(number)`` of ``stdnum.cn.<kind>``, skipped for a number already in compact
    form (the common case)."""
    if _COMPACT.fullmatch(number):
        return number
    from stdnum.cn import ric, uscc

    return (ric if kind == "ric" else uscc).compact(number)


def id_card_accepted(number: str) -> bool:
    """True when ``id_card_problem(number)`` is None and ``number`` is already compact: 18 ASCII
    characters, a real birth date, the right check digit.  The check digit computed as python-stdnum
    does; a False only means "ask ``id_card_problem``"."""
    if not _ID_FORM.fullmatch(number):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    check = (1 - 2 * int(number[:-1], 13)) % 11
    return number[-1] == ("X" if check == 10 else str(check))


# Each code character as the base-36 digit of the same value (0-9, then A-U for 10-30).
_USCC_AS_DIGIT = str.maketrans(USCC_ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")


def uscc_check_character(number: str) -> str:
    """The 18th character of a USCC whose first 17 characters are from the code alphabet (as python-stdnum computes it).

    The weights of GB 32100 are the powers of 3 modulo 31 (1, 3, 9, 27, 19, ...), and 34 is 3 modulo 31,
    so the weighted sum is, modulo 31, the 17 values read as a base-34 number with the first character
    as the lowest digit: one ``int()`` call instead of a sum of 17 products."""
    if not _USCC_BODY.match(number):  # not 17 code characters first: the sum itself, as python-stdnum does
        total = sum(map(mul, map(_USCC_VALUE.__getitem__, number[:17]), USCC_WEIGHTS))
        return USCC_ALPHABET[(31 - total) % 31]
    return _check_of_body(number)


def _check_of_body(number: str) -> str:
    """The check character of a number whose first 17 characters are code characters (base 34, see above)."""
    return USCC_ALPHABET[(31 - int(number[16::-1].translate(_USCC_AS_DIGIT), 34) % 31) % 31]


def uscc_accepted(number: str) -> bool:
    """True when ``uscc_problem(number)`` is None and ``number`` is already compact; a False only means
    "ask ``uscc_problem``"."""
    return bool(_USCC_FORM.fullmatch(number)) and number[17] == _check_of_body(number)


_USCC_COLUMN = re.compile(
    "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}(?:\x00[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10})*")


def uscc_all_accepted(numbers: list[str]) -> bool:
    """``all(uscc_accepted(n) for n in numbers)`` for texts, in a few passes over the whole column: the form
    checked on the numbers joined by NUL, the check characters computed from the joined text reversed
    (each number's body then reads lowest digit first, as ``uscc_check_character`` reads it)."""
    if not numbers:
        return True
    joined = "\x00".join(numbers)
    if len(joined) != 19 * len(numbers) - 1 or not _USCC_COLUMN.fullmatch(joined):
        return False  # (the length: one code per number, none holding NUL)
    backwards = joined[::-1].translate(_USCC_AS_DIGIT).split("\x00")  # each: check character, then the body reversed
    totals = map(int, [code[1:] for code in backwards], repeat(34))
    expected = "".join([USCC_ALPHABET[(31 - total % 31) % 31] for total in totals])
    return expected == joined[17::19][::-1]  # every number's 18th character, last number first


def id_card_problem(number: str) -> str | None:
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    number = _compact(number, "ric")
    if len(number) != 18:
        return f"应为18位（现为{len(number)}位）"
    if not isdigits(number[:-1]) or not (number[-1].isdigit() or number[-1] == "X"):
        return "前17位应为数字，末位为数字或X"
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return f"出生日期{number[6:14]}无效"
    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        return f"校验位错误（第18位应为{expected}）"
    return None


def id_card_region_known(number: str) -> bool:
    """Whether digits 1-6 are a division code ever assigned (python-stdnum's table).

    ``ric.get_birth_place`` also requires the division to have existed in the
    birth year, which wrongly rejects real numbers: an ID is coded by the place of
    first registration, e.g. 430102 芙蓉区 (from 1996) for someone born in 1980.
    """
    return _division_code_known(_compact(number, "ric")[:6])


_STDNUM_DIGITS = re.compile(r"^[0-9]+$")  # stdnum.util.isdigits's own pattern (``$`` allows a final newline)


@lru_cache(maxsize=4096)
def _division_code_known(code: str) -> bool:
    if not _STDNUM_DIGITS.match(code) or len(code) != 6:
        return False
    codes = division_codes()
    if codes is not None:
        return code in codes
    from stdnum import numdb

    results = numdb.get("cn/loc").info(code)
    return any(props.get("county") for _, props in results)


# every line of cn/loc.dat in the form read here: a comment, a blank line, a province or a county
_LOC_LINE = re.compile(r'^(?:([0-9]{2}) province="[^"]*"|  ([0-9]{4}) county="([^"]*)"|#.*|[ \t]*)$', re.M)


@lru_cache(maxsize=1)
def division_codes() -> frozenset[str] | None:
    """The 6-digit codes for which python-stdnum's ``numdb.get("cn/loc").info(code)`` has a ``county``,
    read straight from its ``cn/loc.dat`` (importing python-stdnum and building its tree costs more than
    checking thousands of numbers).  None when the file is not in the two-level form read here (a
    ``NN province="…"`` line, then its ``  NNNN county="…"`` lines): the caller asks ``numdb`` itself."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("stdnum")
        folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None
        if folder is None:
            return None
        with open(Path(folder) / "cn" / "loc.dat", encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, ValueError, ImportError):
        return None
    matches = _LOC_LINE.findall(text)
    if "\r" in text or len(matches) != text.count("\n") + 1:  # a line of another form (or spanning lines)
        return None
    codes: set[str] = set()
    seen_provinces: set[str] = set()
    province = None
    for province_code, county_code, county in matches:
        if province_code:
            if province_code in seen_provinces:  # a province listed twice: let numdb decide
                return None
            province = province_code
            seen_provinces.add(province)
        elif county_code:
            if province is None:
                return None
            if county:
                codes.add(province + county_code)
    return frozenset(codes)


def uscc_problem(number: str) -> str | None:
    number = _compact(number, "uscc")
    if len(number) != 18:
        return f"应为18位（现为{len(number)}位）"
    # GB 32100: characters 1-2 (registering authority, entity type) from the code alphabet, e.g. 91
    # (market regulation) or N2 (agriculture); 3-8 the region digits; 9-18 the alphabet again.
    # (python-stdnum's validate() wants 1-8 all digits and would reject N2…/Y1… codes.)
    if (any(c not in USCC_ALPHABET for c in number[:2]) or not isdigits(number[2:8])
            or any(c not in USCC_ALPHABET for c in number[8:])):
        return "含有不允许的字符（不使用 I、O、Z、S、V）"
    expected = uscc_check_character(number)
    if number[-1] != expected:
        return f"校验位错误（第18位应为{expected}）"
    return None

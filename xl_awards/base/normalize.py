"""Value normalisation: what a person typed -> the value a check reasons about.

Pure functions, no I/O.  A value that normalises cleanly is not an error:
full-width digits and letters, stray spaces, numbers typed as text, dates typed
as ``2019-05``, ``2019/5``, ``2019年5月``, ``2019.05`` or stored as Excel serial
numbers all normalise.  So do the forms people really type (issue 9): counts written
``无`` / ``没有`` / ``0次`` (``to_count``), ``无`` / ``暂无`` / ``-`` where a certificate or a
title is asked (``is_none_word``), phones with separators, ``+86``, an extension or two
numbers (``to_phones``), a service time as a day, a month or a period (``to_period``), and
several choices in one cell (``split_choices``).  Each ``to_*`` function raises ``NormalizeError`` for a
value it cannot read; ``None`` means the cell is blank.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serials for 1900-01-01 .. 9999-12-31; a plausible date column never holds more.
EXCEL_SERIAL_RANGE = (1, 2958465)
# Serials of YYYYMM numbers (190001..299912) are dates from the year 2419 on: no real date is that late.
MONTH_AS_SERIAL_YEAR = 2400


# Characters of Chinese text that NFKC folds to one ASCII character: full-width ASCII (U+FF01..U+FF5E)
# and the ideographic space.
_FOLDED_TO_ASCII = re.compile("[\uff01-\uff5e\u3000]")
_FOLD_TO_ASCII = {c: unicodedata.normalize("NFKC", c) for c in map(chr, [*range(0xFF01, 0xFF5F), 0x3000])}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster for the common Chinese text that is NFKC already
    but for its full-width punctuation (a long narrative with ``，``: 50 us in ``unicodedata`` for 1,600
    characters).

    Why it is the same: NFKC(s) is the composition of NFKD(s), and NFKD decomposes character by
    character before a reordering that only moves marks of a nonzero combining class.  Replacing a
    character by its own NFKC form leaves NFKD(s) unchanged (NFKD(NFKC(c)) == NFKD(c), and the
    full-width forms fold to ASCII characters of combining class 0), hence NFKC(s) too; so when the
    replaced text is already NFKC, it is NFKC(s).  Otherwise ``unicodedata`` decides.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    folded = _fold_full_width(text)
    if folded is not text and unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", text)


def _fold_full_width(text: str) -> str:
    """``text`` with each full-width character of ``_FOLD_TO_ASCII`` replaced by its NFKC form (``text``
    itself when it has none): one replace per distinct character, each found by a search that starts
    where the previous one was found (a replacement keeps every position: one character for one)."""
    folded, start = text, 0
    while True:
        found = _FOLDED_TO_ASCII.search(folded, start)
        if found is None:
            return folded
        c = found.group()
        folded, start = folded.replace(c, _FOLD_TO_ASCII[c]), found.start() + 1


def fold_column_nfkc(texts: list[str]) -> list[str] | None:
    """``[nfkc(t) for t in texts]`` computed on the texts joined by NUL, or None when that cannot be
    told this way (a text to fold holding NUL, or one that needs more than the full-width folding of ``nfkc``).

    Why it is the same: NFKC decomposes character by character, reorders only marks of a nonzero
    combining class and composes a character only with the last starter before it; NUL is a starter
    that decomposes to itself and composes with nothing, so no step crosses it and the NFKC of the
    joined text is the NFKC of each text joined.  The same holds for the folding of full-width
    characters (one character at a time), so ``nfkc``'s reasoning applies to the whole column."""
    joined = "\x00".join(texts)  # a NUL inside a text changes none of this but the split below
    if joined.isascii() or unicodedata.is_normalized("NFKC", joined):
        return texts
    folded = _fold_full_width(joined)
    if folded is joined or not unicodedata.is_normalized("NFKC", folded):
        return None
    parts = folded.split("\x00")
    return parts if len(parts) == len(texts) else None


class NormalizeError(ValueError):
    """A value that cannot be read as the expected type."""


def clean_text(value: Any) -> str:
    """Text of a cell: full-width ASCII folded (NFKC), outer whitespace removed.

    Integral floats print without ``.0`` (Excel stores 123 as 123.0).
    """
    if value is None:
        return ""
    if type(value) is str and value.isascii():  # fast path: ASCII is NFKC-stable
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    text = nfkc(str(value))
    return text.strip()


def is_blank(value: Any) -> bool:
    """``clean_text(value) == ""``.  For text without NFKC: no character that is not whitespace folds to
    whitespace alone, and whitespace folds to whitespace (tests/base/test_normalize.py checks every code point)."""
    if value is None:
        return True
    if type(value) is str:
        return not value.strip()
    return clean_text(value) == ""


def count_chars(value: Any) -> int:
    """Characters of a narrative, whitespace (incl. full-width spaces, line breaks) not counted."""
    if value is None:
        return 0
    # str.split() splits on exactly the characters str.isspace() accepts; much faster than a loop
    return len("".join(str(value).split()))


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        raise NormalizeError(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = clean_text(value)
    if text == "":
        return None
    digits = text.replace(",", "")  # thousands separators; a cell of commas alone is not a number
    if not _NUMBER.match(digits):
        raise NormalizeError(text)
    return float(digits)


# Words that mean "none" / zero where a count, a certificate or a title is asked.
ZERO_WORDS = frozenset({"无", "没有", "暂无", "零"})
NONE_WORDS = frozenset({"无", "暂无", "没有", "未取得", "尚无", "-", "--", "—", "——", "/", "N/A", "NA", "NONE"})
COUNT_UNITS = "次个家户件项"  # a unit after a count: 0次, 3个, 120家


def is_none_word(value: Any) -> bool:
    """``无``, ``暂无``, ``-`` ... typed where a certificate or a title is asked: the person has none."""
    return "".join(clean_text(value).split()).upper() in NONE_WORDS


def to_count(value: Any) -> int | None:
    """A count: an integer, ``无`` / ``没有`` / ``暂无`` / ``零`` as 0, a unit after it (``0次``, ``3个``) dropped."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_int(value)
    text = "".join(clean_text(value).split())
    if text in ZERO_WORDS:
        return 0
    if len(text) > 1 and text[-1] in COUNT_UNITS:
        text = text[:-1]
    return to_int(text)


def to_int(value: Any) -> int | None:
    number = to_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise NormalizeError(value)
    return int(number)


_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")


def _from_serial(number: float) -> dt.date:
    low, high = EXCEL_SERIAL_RANGE
    if not (low <= number <= high):
        raise NormalizeError(number)
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _compact_number_date(number: float) -> dt.date | None:
    """20190510 typed into a cell Excel keeps as a number: YYYYMMDD, not a serial (serials stop at 2958465)."""
    if number.is_integer() and 19000101 <= number <= 29991231:
        n = int(number)
        try:
            return dt.date(n // 10000, n // 100 % 100, n % 100)
        except ValueError:
            raise NormalizeError(n) from None
    return None


def _numeric_year_month(number: float) -> dt.date | None:
    """A month typed into a cell Excel keeps as a number: ``201905`` (YYYYMM) or ``2019.05`` / ``2019.5``.

    Such numbers are never plausible serials (201905 is the year 2452; 2019.05 is 1905-07-11).
    ``2019.1`` is ambiguous (Excel stores ``2019.10`` the same way) and a bare year has no month:
    both raise ``NormalizeError``.  Other numbers return None (read as serials).
    """
    if number.is_integer():
        n = int(number)
        if 190001 <= n <= 299912:
            if not 1 <= n % 100 <= 12:
                raise NormalizeError(n)
            return dt.date(n // 100, n % 100, 1)
        if 1900 <= n <= 2999:
            raise NormalizeError(n)  # a year without its month
        return None
    year = int(number)
    if not 1900 <= year <= 2999:
        return None
    cents = round((number - year) * 100)
    if abs(number - (year + cents / 100)) > 1e-6:
        raise NormalizeError(number)
    if 1 <= cents <= 9 or cents in (11, 12):
        return dt.date(year, cents, 1)  # 2019.05, 2019.11
    if cents % 10 == 0 and 2 <= cents // 10 <= 9:
        return dt.date(year, cents // 10, 1)  # 2019.5
    raise NormalizeError(number)  # 2019.1 (January or October?), 2019.13 ...


def to_date(value: Any) -> dt.date | None:
    """A full date.  A year-month alone is not a full date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _compact_number_date(float(value)) or _from_serial(float(value))
    text = clean_text(value)
    if text == "":
        return None
    match = _FULL_DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise NormalizeError(text) from exc
    if re.fullmatch(r"\d+(\.\d+)?", text):  # a serial number typed as text
        return _from_serial(float(text))
    raise NormalizeError(text)


def to_year_month(value: Any) -> dt.date | None:
    """A month, as the first day of that month.  Full dates are accepted and truncated."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        month = _numeric_year_month(float(value))
        if month is not None:
            return month
    if isinstance(value, (dt.date, dt.datetime)) and value.year >= MONTH_AS_SERIAL_YEAR:
        # 201805 typed into a cell formatted as a date: the reader hands over the serial's date (2452-07-...)
        serial = ((value.date() if isinstance(value, dt.datetime) else value) - EXCEL_EPOCH).days
        month = _numeric_year_month(float(serial))
        if month is not None:
            return month
    if isinstance(value, (dt.date, dt.datetime)) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        date = to_date(value)
        return date.replace(day=1) if date else None
    text = clean_text(value)
    if text == "":
        return None
    match = _YEAR_MONTH.match(text) or _COMPACT_YM.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < dt.MINYEAR:  # 0000-05: no such year
            raise NormalizeError(text)
        return dt.date(year, month, 1)
    return to_date(text).replace(day=1)


def to_year(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = clean_text(value)
    if text == "":
        return None
    match = _YEAR.match(text)
    if match:
        return int(match[1])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 9999:
            return int(value)
        return to_year_month(value).year
    try:
        return to_year_month(text).year
    except NormalizeError:
        raise NormalizeError(text) from None


YES = "是"
NO = "否"
YES_WORDS = {"是", "Y", "YES", "√", "✓", "✔"}
NO_WORDS = {"否", "N", "NO", "×", "✗", "✘"}


def to_yes_no(value: Any) -> str | None:
    if isinstance(value, bool):
        return YES if value else NO
    text = clean_text(value).upper()
    if text == "":
        return None
    if text in YES_WORDS:
        return YES
    if text in NO_WORDS:
        return NO
    raise NormalizeError(text)


def to_code(value: Any) -> str:
    """An identifier (身份证号码, 统一社会信用代码): no spaces or dashes, upper case."""
    if type(value) is str and value.isascii() and value.isalnum():  # nothing to clean or remove
        return value.upper()
    return _CODE_JUNK.sub("", clean_text(value)).upper()


_CODE_JUNK = re.compile(r"[\s\-]")


def to_phone(value: Any) -> str:
    return re.sub(r"[\s()（）]", "", clean_text(value))


PHONE_LIST_SPLIT = re.compile(r"[/、;,]|或")  # after NFKC: ／ -> /, ； -> ;, ， -> ,
_EXTENSION = re.compile(r"(?:转|分机|EXT\.?|X)\s*(\d{1,6})$")
_PHONE_GROUPS = re.compile(r"[\s\-.()]+")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")  # area code with its 0 (3 or 4 digits) + 7 or 8 digits


def _landline(digits: str) -> str:
    """0731-84561234: the area code is 3 digits for 010 and 02x, else 4."""
    area = 3 if digits[1] in "12" else 4
    return f"{digits[:area]}-{digits[area:]}"


def _one_phone(part: str) -> str | None:
    text = part.strip().upper()
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension, text = match[1], text[:match.start()]
    international = re.match(r"^\(?(\+|00)\s*86\)?", text)
    if international:
        text = text[international.end():]
    groups = [g for g in _PHONE_GROUPS.split(text) if g]
    if not groups or not all(g.isdigit() for g in groups):
        return None
    digits = "".join(groups)
    if international and digits[:1] not in ("0", "1"):
        digits = "0" + digits  # +86 731 84561234: the area code without its 0
    if MOBILE.match(digits):
        return None if extension else digits
    if not extension and len(groups) >= 3 and len(groups[-1]) <= 6:
        head = "".join(groups[:-1])  # 0731-84561234-801: the last group is an extension
        if international and head[:1] != "0":
            head = "0" + head
        if LANDLINE.match(head) and not LANDLINE.match(digits):
            digits, extension = head, groups[-1]
    if LANDLINE.match(digits):
        return _landline(digits) + (f"转{extension}" if extension else "")
    return None


def to_phones(value: Any) -> list[str] | None:
    """Every phone number in a cell, normalised (``13874512345``, ``0731-84561234转801``), or None when
    any part is not a phone number.  Accepted: dashes, dots, spaces and brackets inside a number,
    ``+86`` / ``0086``, an extension (``转``, ``分机``, ``ext``, ``-`` after a full landline), and two
    numbers separated by ``/``, ``、``, ``；``, ``，`` or ``或``."""
    parts = [p for p in PHONE_LIST_SPLIT.split(clean_text(value)) if p.strip()]
    if not parts:
        return None
    numbers = [_one_phone(p) for p in parts]
    return None if any(n is None for n in numbers) else numbers


CHOICE_SPLIT = re.compile(r"[、,;/]+")  # after NFKC: ，；／ fold to , ; /


def split_choices(value: Any) -> list[str]:
    """Several choices in one cell (``管理咨询、财税``): whitespace removed, split on ``、 , ， ; ； /``.
    An empty part (``财税、、法律``, a leading or trailing separator) is kept as ``""`` so that the
    check refuses it, as the 检查 formula does."""
    text = "".join(clean_text(value).split())
    return re.split(r"[、,;/]", text) if text else []


_PERIOD = re.compile(r"^(?P<a>.+?)\s*(?:-|~|～|—|–|至|到)\s*(?P<b>.+)$")


def _month_or_day(text: str, year: int | None = None) -> tuple[dt.date, dt.date]:
    """A day -> (day, day); a month -> (first, last day of it); ``6`` or ``6月`` after a year -> that month.
    Nothing (one side of ``-2`` or ``2021-``) is neither."""
    if not text.strip():
        raise NormalizeError(text)
    if year is not None and re.fullmatch(r"\d{1,2}\s*月?", text):
        text = f"{year}-{int(text.rstrip('月'))}"
    if re.fullmatch(r"\d{4}\.\d{1,2}|\d{6}", text):
        text = re.sub(r"^(\d{4})(\d{2})$", r"\1-\2", text)  # 2021.05, 202105: a month, never a serial
        first = to_year_month(text)
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    try:
        day = to_date(text)
        return day, day
    except NormalizeError:
        pass
    first = to_year_month(text)
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def to_period(value: Any) -> tuple[dt.date, dt.date] | None:
    """A service time: a day, a month (``2021-05``, ``2021年5月``) or a period (``2021.3-2021.6``,
    ``2021年3月至6月``, ``2021-03-01~2021-06-30``), as (first day, last day).  A date cell is that day."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        day = to_date(value)
        return (day, day) if day else None
    text = clean_text(value)
    if text == "":
        return None
    try:
        return _month_or_day(text)
    except NormalizeError:
        pass
    # a period: split at the separator that leaves a date or month on both sides
    for match in re.finditer(r"\s*(?:-|~|—|–|至|到)\s*", text):
        a, b = text[:match.start()], text[match.end():]
        try:
            start, _ = _month_or_day(a)
            _, end = _month_or_day(b, year=start.year)
        except NormalizeError:
            continue
        if start <= end:
            return start, end
    raise NormalizeError(text)


def normalize_name(value: Any) -> str:
    """A name for matching: NFKC, no whitespace, ASCII brackets, upper case."""
    if type(value) is str:  # clean_text's NFKC; its strip() is within the split() below
        return "".join((value if value.isascii() else nfkc(value)).split()).upper()
    return "".join(clean_text(value).split()).upper()


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month (2019-12 -> 2021-12 is 24)."""
    return (end.year * 12 + end.month) - (start.year * 12 + start.month)

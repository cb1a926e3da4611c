"""Value normalisation: what a person typed -> the value a check reasons about.

Pure functions, no I/O.  A value that normalises cleanly is not an error:
full-width digits and letters, stray spaces, numbers typed as text, dates typed
as ``2019-05``, ``2019/5``, ``2019年5月``, ``2019.05`` or stored as Excel serial
numbers all normalise.  Each ``to_*`` function raises ``NormalizeError`` for a
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
    text = unicodedata.normalize("NFKC", str(value))
    return text.strip()


def is_blank(value: Any) -> bool:
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
        if not 1 <= month <= 12:
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
    text = clean_text(value)
    return re.sub(r"[\s\-]", "", text).upper()


def to_phone(value: Any) -> str:
    return re.sub(r"[\s()（）]", "", clean_text(value))


def normalize_name(value: Any) -> str:
    """A name for matching: NFKC, no whitespace, ASCII brackets, upper case."""
    text = clean_text(value)
    text = re.sub(r"\s+", "", text)
    return text.upper()


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month (2019-12 -> 2021-12 is 24)."""
    return (end.year * 12 + end.month) - (start.year * 12 + start.month)

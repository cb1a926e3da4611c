"""Cell rules column by column: the whole column of a field normalised and tested in one pass.

``check_table_cells(sheet, rows, choices)`` gives, for every row, exactly what
``cells.check_row_cells`` gives for it (the same normalised values, the same issues in the same
order).  Each field type has a fast accept path for values already in canonical form (plain ASCII
digits, a date cell, an exact choice text, a valid compact code ...): such a value is valid, and
its normalised value is computed directly.  Every other value (blank, typed another way, invalid)
goes through ``cells.check_value``, the one path that decides and words the issues.  A fast path
only ever accepts; it never decides that a value is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any, Callable, Sequence
from unicodedata import is_normalized as _is_nfkc

from xl_awards.base.normalize import fold_column_nfkc, nfkc
from xl_awards.base.personal_numbers import may_hold_personal_number
from xl_awards.intake.cells import (
    EMAIL_RE, FORMULA_PREFIXES, PUBLISHED_TEXT_KEYS, CellIssue, ChoiceLists, check_row_cells, check_value,
    personal_number_issues,
)
from xl_awards.intake.ids import id_card_accepted, uscc_accepted, uscc_all_accepted
from xl_awards.schema import CHOICES_COUNTIES, Field, FieldType as T, SheetSchema

SLOW = object()  # not accepted on the fast path: the per-value path decides

_DATETIME = dt.datetime
_DATE = dt.date
_MAX_EXACT_FLOAT = 2 ** 53  # integers up to this survive the per-value path's float() unchanged
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DIGITS = re.compile(r"[0-9]{1,15}")
_YEAR4 = re.compile(r"[0-9]{4}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[12][0-9]-[0-9]{7,8}|0[3-9][0-9]{2}-[0-9]{7,8}")

Accept = Callable[[Any], Any]  # raw value -> normalised value, or SLOW


def _in_range(number, low, high) -> bool:
    return (low is None or number >= low) and (high is None or number <= high)


def _text(f: Field) -> Accept:
    low, high = f.min_chars, f.max_chars
    counted = low is not None or high is not None

    def accept(raw):
        if type(raw) is not str:
            return SLOW
        text = raw.strip() if raw.isascii() or _is_nfkc("NFKC", raw) else nfkc(raw).strip()
        if not text or raw.lstrip().startswith(FORMULA_PREFIXES):
            return SLOW
        if counted:
            count = len("".join(text.split()))
            if (low is not None and count < low) or (high is not None and count > high):
                return SLOW
        return text

    return accept


_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)


def _text_column(f: Field, column: Sequence[Any]) -> list[Any]:
    """``_text(f)`` over a whole column, with a blank cell of an optional field accepted as None (a loop
    without a call per value: text fields are the most numerous)."""
    low, high = f.min_chars, f.max_chars
    counted = low is not None or high is not None
    optional = not f.required
    out: list[Any] = []
    append = out.append
    for raw in column:
        if type(raw) is not str:
            append(None if optional and raw is None else SLOW)
            continue
        if not raw:
            append(None if optional else SLOW)
            continue
        if raw[0].isspace() or raw[-1].isspace():
            text = raw.strip() if raw.isascii() or _is_nfkc("NFKC", raw) else nfkc(raw).strip()
            if not text or raw.lstrip().startswith(FORMULA_PREFIXES):
                append(SLOW)
                continue
        elif raw[0] in _FORMULA_FIRST:
            append(SLOW)
            continue
        elif raw.isascii() or _is_nfkc("NFKC", raw):
            text = raw  # nothing to strip
        else:
            text = nfkc(raw).strip()  # NFKC may give a space at either end (U+00A8 -> " \u0308")
            if not text:
                append(SLOW)
                continue
        if counted:
            count = len("".join(text.split()))
            if (low is not None and count < low) or (high is not None and count > high):
                append(SLOW)
                continue
        append(text)
    return out


_STR_ONLY = frozenset({str})
_STR_OR_NONE = frozenset({str, type(None)})
_NONE_ONLY = frozenset({type(None)})
_FIRST_CHARACTER = itemgetter(0)


def _text_column_at_once(f: Field, column: Sequence[Any]) -> list[Any] | None:
    """``_text_column(f, column)`` decided for the whole column with a few calls on the whole column (its
    texts joined by NUL for NFKC), or None when some value would not be accepted as it is (the caller
    then runs ``_text_column``, which words it).

    Why it is the same: NFKC works character by character up to a reordering and composition that
    never cross a NUL (a starter that combines with nothing), so the NFKC of the joined text is the
    joined NFKC of the values (``normalize.fold_column_nfkc``); a value is then accepted as its NFKC
    form stripped, unless that is empty (left to ``_text_column``), the value typed after any blanks
    starts with a formula sign, or its count of characters other than whitespace is out of bounds (the
    scans of every character, NFKC and the count, are the ones the per-value loop makes)."""
    types = set(map(type, column))
    if types == _STR_ONLY:
        texts = column
    elif types == _STR_OR_NONE and not f.required:
        texts = [raw for raw in column if raw is not None]
    elif types == _NONE_ONLY and not f.required:
        return [None] * len(column)  # an optional column left blank
    else:
        return None
    normal = fold_column_nfkc(texts)
    if normal is None:
        return None
    stripped = list(map(str.strip, normal))
    if "" in stripped:
        return None  # a blank text: the per-value loop words it
    try:
        firsts = set(map(_FIRST_CHARACTER, map(str.lstrip, texts)))
    except IndexError:  # a text of whitespace alone (its NFKC is whitespace too: not reached)
        return None
    if not _FORMULA_FIRST.isdisjoint(firsts):
        return None
    low, high = f.min_chars, f.max_chars
    if low is not None or (high is not None and max(map(len, stripped)) > high):  # a count is at most the length
        counts = [len("".join(text.split())) for text in stripped]
        if (low is not None and min(counts) < low) or (high is not None and max(counts) > high):
            return None
    if texts is column:
        return stripped
    values = iter(stripped)
    return [None if raw is None else next(values) for raw in column]


def _integer(f: Field) -> Accept:
    low = f.min_value if f.min_value is not None else 0
    high = f.max_value

    def accept(raw):
        kind = type(raw)
        if kind is int or kind is float:
            if not (-_MAX_EXACT_FLOAT < raw < _MAX_EXACT_FLOAT) or not float(raw).is_integer():
                return SLOW
            number = int(raw)
        elif kind is str and _DIGITS.fullmatch(raw):
            number = int(raw)
        else:
            return SLOW
        return number if _in_range(number, low, high) else SLOW

    return accept


def _decimal(f: Field) -> Accept:
    low, high = f.min_value, f.max_value

    def accept(raw):
        kind = type(raw)
        if kind is not int and kind is not float:
            return SLOW
        number = float(raw)
        return number if _in_range(number, low, high) else SLOW

    return accept


def _iso_date(raw: str):
    match = _ISO_DATE.fullmatch(raw)
    if not match:
        return SLOW
    try:
        return _DATE(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return SLOW


def _date(f: Field) -> Accept:
    def accept(raw):
        kind = type(raw)
        if kind is _DATETIME:
            return raw.date()
        if kind is _DATE:
            return raw
        if kind is str:
            return _iso_date(raw)
        return SLOW

    return accept


def _period(f: Field) -> Accept:
    def accept(raw):
        kind = type(raw)
        if kind is _DATETIME:
            day = raw.date()
        elif kind is _DATE:
            day = raw
        elif kind is str:
            day = _iso_date(raw)
            if day is SLOW:
                return SLOW
        else:
            return SLOW
        return day, day

    return accept


MONTH_AS_SERIAL_YEAR = 2400  # normalize.MONTH_AS_SERIAL_YEAR: such a date cell is a month typed as a number


def _year_month(f: Field) -> Accept:
    def accept(raw):
        kind = type(raw)
        if kind is _DATETIME or kind is _DATE:
            if raw.year >= MONTH_AS_SERIAL_YEAR:
                return SLOW
            return _DATE(raw.year, raw.month, 1)
        if kind is str:
            match = _ISO_MONTH.fullmatch(raw)
            if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1:  # no year 0: the per-value path words it
                return _DATE(int(match[1]), int(match[2]), 1)
        return SLOW

    return accept


def _year(f: Field) -> Accept:
    low, high = f.min_value, f.max_value

    def accept(raw):
        kind = type(raw)
        if kind is int or kind is float:
            if not (1000 <= raw <= 9999) or not float(raw).is_integer():
                return SLOW
            year = int(raw)
        elif kind is str and _YEAR4.fullmatch(raw):
            year = int(raw)
        else:
            return SLOW
        return year if _in_range(year, low, high) else SLOW

    return accept


_YES_NO = {"是": "是", "否": "否"}


def _yes_no(f: Field) -> Accept:
    def accept(raw):
        return _YES_NO.get(raw, SLOW) if type(raw) is str else SLOW

    return accept


@lru_cache(maxsize=256)
def _canonical_choices(allowed: tuple[str, ...]) -> frozenset[str]:
    """The allowed texts that the per-value path reads back unchanged (NFKC-stable, no whitespace)."""
    return frozenset(a for a in allowed if isinstance(a, str) and a == "".join(nfkc(a).split()))


def _choice(f: Field, choices: ChoiceLists) -> Callable[[Any, dict], Any]:
    if f.choices == CHOICES_COUNTIES:
        by_city: dict[Any, frozenset[str]] = {}

        def accept_row(raw, row):
            if type(raw) is not str:
                return SLOW
            city = row.get("city")
            allowed = by_city.get(city) if type(city) is str else None
            if allowed is None:
                allowed = _canonical_choices(tuple(choices.resolve(f.choices, row) or ()))
                if type(city) is str:
                    by_city[city] = allowed
            return raw if raw in allowed else SLOW

        return accept_row
    allowed = _canonical_choices(tuple(choices.resolve(f.choices, {}) or ()))

    def accept(raw, row):
        return raw if type(raw) is str and raw in allowed else SLOW

    return accept


def _id_card(f: Field) -> Accept:
    def accept(raw):
        return raw if type(raw) is str and id_card_accepted(raw) else SLOW

    return accept


def _uscc(f: Field) -> Accept:
    def accept(raw):
        return raw if type(raw) is str and uscc_accepted(raw) else SLOW

    return accept


def _phone(f: Field) -> Accept:
    def accept(raw):
        kind = type(raw)
        if kind is str:
            return raw if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw) else SLOW
        if (kind is int or kind is float) and 13_000_000_000 <= raw < 20_000_000_000 and float(raw).is_integer():
            text = str(int(raw))
            return text if _MOBILE.fullmatch(text) else SLOW
        return SLOW

    return accept


def _email(f: Field) -> Accept:
    def accept(raw):
        return raw if type(raw) is str and raw.isascii() and raw == raw.strip() and EMAIL_RE.match(raw) else SLOW

    return accept


_BY_TYPE: dict[T, Callable[[Field], Accept]] = {
    T.TEXT: _text, T.INTEGER: _integer, T.DECIMAL: _decimal, T.DATE: _date, T.PERIOD: _period,
    T.YEAR_MONTH: _year_month, T.YEAR: _year, T.YES_NO: _yes_no, T.ID_CARD: _id_card, T.USCC: _uscc,
    T.PHONE: _phone, T.EMAIL: _email,
}


_CHOICE, _TEXT, _VALUE = "choice", "text", "value"
_PLANS: dict[tuple[int, int], tuple] = {}  # (id(sheet), id(choices)) -> (sheet, choices, steps)
_BLANKS = frozenset({None, ""})


def _members_column(allowed: frozenset[str], required: bool) -> Callable[[Sequence[Any]], list[Any] | None]:
    """A whole column accepted at once when every value is one of ``allowed`` as it is (an optional
    field's blank cells, None or '', read as None), else None: what the per-value acceptor gives
    each value then, in one set operation."""

    def whole(column):
        try:
            values = set(column)
        except TypeError:  # an unhashable value: the per-value path decides
            return None
        if required:
            return list(column) if values <= allowed else None
        return [raw or None for raw in column] if values - _BLANKS <= allowed else None

    return whole


_ISO_DATE_COLUMN = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\x00[0-9]{4}-[0-9]{2}-[0-9]{2})*")
_ISO_MONTH_COLUMN = re.compile("[0-9]{4}-[0-9]{2}(?:\x00[0-9]{4}-[0-9]{2})*")
_DATETIME_ONLY = frozenset({_DATETIME})
_DATE_ONLY = frozenset({_DATE})


def _days_column(column: Sequence[Any]) -> list[Any] | None:
    """The days of a column of date cells only, or of ISO date texts only (``2022-09-10``, checked on the
    column joined by NUL), as ``_date``'s acceptor gives each; else None."""
    types = set(map(type, column))
    if types == _DATETIME_ONLY:
        return list(map(_DATETIME.date, column))
    if types == _DATE_ONLY:
        return list(column)
    if types == _STR_ONLY and _ISO_DATE_COLUMN.fullmatch("\x00".join(column)):
        try:
            return list(map(_DATE.fromisoformat, column))  # exactly date(int(y), int(m), int(d)) of such a text
        except ValueError:  # no such day (or a text holding NUL): the per-value path decides
            return None
    return None


def _periods_column(column: Sequence[Any]) -> list[Any] | None:
    """``_period``'s acceptor over a column of days: each day as the period (day, day)."""
    days = _days_column(column)
    return None if days is None else [(day, day) for day in days]


def _months_column(column: Sequence[Any]) -> list[Any] | None:
    """``_year_month``'s acceptor over a column of date cells only (none from MONTH_AS_SERIAL_YEAR on) or
    of ``2018-05`` texts only; else None."""
    types = set(map(type, column))
    if types == _DATETIME_ONLY or types == _DATE_ONLY:
        if max(day.year for day in column) >= MONTH_AS_SERIAL_YEAR:
            return None
        return [_DATE(day.year, day.month, 1) for day in column]
    if types == _STR_ONLY and _ISO_MONTH_COLUMN.fullmatch("\x00".join(column)):
        try:
            return list(map(_DATE.fromisoformat, [text + "-01" for text in column]))
        except ValueError:  # a month outside 1..12, year 0 (or a text holding NUL): the per-value path decides
            return None
    return None


def _uscc_column(column: Sequence[Any]) -> list[Any] | None:
    """A column of valid compact codes only, accepted at once (``ids.uscc_all_accepted``), else None."""
    return list(column) if set(map(type, column)) == _STR_ONLY and uscc_all_accepted(column) else None


_WHOLE_BY_TYPE = {T.DATE: _days_column, T.PERIOD: _periods_column, T.YEAR_MONTH: _months_column,
                  T.USCC: _uscc_column}


def _whole_column(f: Field, choices: ChoiceLists) -> Callable[[Sequence[Any]], list[Any] | None] | None:
    if f.type == T.CHOICE and f.choices != CHOICES_COUNTIES:
        return _members_column(_canonical_choices(tuple(choices.resolve(f.choices, {}) or ())), f.required)
    if f.type == T.YES_NO:
        return _members_column(frozenset(_YES_NO), f.required)
    return _WHOLE_BY_TYPE.get(f.type)


def _plan(sheet: SheetSchema, choices: ChoiceLists) -> list[tuple[Field, str, str, Any, bool, Any]]:
    """(field, key, kind, acceptor, published, whole-column acceptor or None) for each field of ``sheet``,
    made once per sheet and choice lists (a consolidation checks hundreds of small tables of the same sheets)."""
    cached = _PLANS.get((id(sheet), id(choices)))
    if cached is None or cached[0] is not sheet or cached[1] is not choices:
        steps = []
        for f in sheet.fields:
            published = f.key in PUBLISHED_TEXT_KEYS
            if f.type == T.CHOICE:
                steps.append((f, f.key, _CHOICE, _choice(f, choices), published, _whole_column(f, choices)))
            elif f.type == T.TEXT:
                steps.append((f, f.key, _TEXT, None, published, None))
            else:
                steps.append((f, f.key, _VALUE, _BY_TYPE[f.type](f), published, _whole_column(f, choices)))
        if len(_PLANS) > 64:
            _PLANS.clear()
        cached = _PLANS[(id(sheet), id(choices))] = (sheet, choices, steps)
    return cached[2]


def _texts_free_of_numbers(values: list[Any]) -> bool:
    """True when ``values`` are all texts and none may hold a personal number: one search of the texts
    joined by NUL (neither a digit nor a separator, so no digit run reaches across it)."""
    try:
        joined = "\x00".join(values)
    except TypeError:  # not all texts: value by value
        return False
    return not may_hold_personal_number(joined)


def check_table_cells(sheet: SheetSchema, rows: Sequence[dict[str, Any]],
                      choices: ChoiceLists) -> list[tuple[dict[str, Any], list[CellIssue]]]:
    """``check_row_cells(sheet, row, choices)`` for every row, computed column by column.

    A column is first tried as a whole (every text already clean, every choice one of the allowed
    texts, every date a date cell: a few calls on the whole column); otherwise each value goes
    through the column's acceptor, and the values it does not accept through ``check_value``."""
    if not rows:
        return []
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):  # rows of one table share their columns; else row by row
        return [check_row_cells(sheet, row, choices) for row in rows]
    key_list = list(keys)
    if len(key_list) > 1:  # the table's columns in one pass (C calls): each row's values in key order, transposed
        by_key = dict(zip(key_list, zip(*map(itemgetter(*key_list), rows))))
    else:
        by_key = {key: tuple(row[key] for row in rows) for key in key_list}
    issues: list[list[CellIssue]] = [[] for _ in rows]
    value_keys: list[str] = []
    value_columns: list[list[Any]] = []
    for f, key, kind, accept, published, whole in _plan(sheet, choices):
        column = by_key.get(key)
        if column is None:
            continue  # a missing column is a sheet-level finding, not one per row
        # a blank cell (None or '') of an optional field reads as None with no issue, as on the per-value path
        accepted = whole(column) if whole is not None else None
        if accepted is not None:
            slow = ()
        else:
            if kind is _CHOICE:
                if f.required:
                    accepted = list(map(accept, column, rows))
                else:
                    accepted = [None if raw is None or raw == "" else accept(raw, row) for raw, row in zip(column, rows)]
            elif kind is _TEXT:
                accepted = _text_column_at_once(f, column)
                if accepted is None:
                    accepted = _text_column(f, column)
            elif f.required:
                accepted = list(map(accept, column))
            else:
                accepted = [None if raw is None or raw == "" else accept(raw) for raw in column]
            slow = [i for i, value in enumerate(accepted) if value is SLOW] if SLOW in accepted else ()
        if published:
            if slow or not _texts_free_of_numbers(accepted):
                for i in [i for i, value in enumerate(accepted) if type(value) is str and may_hold_personal_number(value)]:
                    issues[i].extend(personal_number_issues(f, accepted[i]))
            for i in slow:
                value, found = check_value(f, column[i], rows[i], choices)
                issues[i].extend(found)
                issues[i].extend(personal_number_issues(f, value))
                accepted[i] = value
        else:
            for i in slow:
                value, found = check_value(f, column[i], rows[i], choices)
                if found:
                    issues[i].extend(found)
                accepted[i] = value
        value_keys.append(key)
        value_columns.append(accepted)
    if not value_columns:
        return [({}, found) for found in issues]
    return list(zip(map(dict, map(zip, repeat(value_keys), zip(*value_columns))), issues))  # each row's values

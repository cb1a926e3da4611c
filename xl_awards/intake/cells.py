"""Cell-level checks: one field's value on its own (plus a row for conditional requirements).

``check_row_cells`` normalises a row and returns its issues.  The rules that
have a short text in ``messages.RULES`` are the ones the template's ``检查``
column formula also decides; ``check_column_text`` gives the text that formula
must show for the same row (the parity contract between the two implementations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

from xl_awards.base import messages, normalize as nz
from xl_awards.intake.ids import id_card_problem, uscc_problem
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class CellIssue:
    """Internal to intake: a rule hit on one field, before it has a location.  Validation turns
    each into a ``Finding`` with ``CheckedRow.finding`` (the one builder); the template's 检查
    formula parity uses its ``short`` text."""

    rule: str
    field: Field
    values: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def short(self) -> str | None:
        return messages.rule_short(self.rule, label=self.field.label, **self.values)


@dataclass(frozen=True)
class ChoiceLists:
    """Resolves dynamic choice lists (``@cities``, ``@counties``) for one workbook."""

    cities: tuple[str, ...]
    counties: Callable[[str], tuple[str, ...]]  # city -> its counties ('' -> all counties)

    def resolve(self, spec: tuple[str, ...] | str | None, row: dict[str, Any]) -> tuple[str, ...] | None:
        if spec is None or isinstance(spec, tuple):
            return spec
        if spec == CHOICES_CITIES:
            return self.cities
        if spec == CHOICES_COUNTIES:
            return self.counties(nz.clean_text(row.get("city")))
        raise ValueError(spec)


def _fmt_number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


CHOICES_LISTED = 20  # a longer list (all 122 counties) is not spelled out in a message


def choice_issue(f: Field, text: str, allowed: tuple[str, ...]) -> CellIssue:
    """``choice``, naming the allowed values (when few) and the one the user probably meant."""
    listed = f"（{'、'.join(allowed)}）" if 0 < len(allowed) <= CHOICES_LISTED else ""
    guess = suggest_choice(text, allowed)
    hint = f"，是否应为“{guess}”？" if guess else "，"
    return CellIssue("choice", f, {"value": text, "choices": listed, "hint": hint})


def suggest_choice(text: str, allowed: tuple[str, ...]) -> str | None:
    """The one allowed value that starts with (else contains) what was typed: 长沙 -> 长沙市, 同意 -> 同意推荐."""
    value = re.sub(r"\s+", "", text)
    if not value:
        return None
    for hits in ([a for a in allowed if a.startswith(value)], [a for a in allowed if value in a]):
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


DEFAULT_DATE_EXAMPLE = "2022-09-10"


def date_example(f: Field) -> str:
    """The example date of the field's own note (服务时间: a date in the award year), else a generic one."""
    match = re.search(r"\d{4}-\d{2}-\d{2}", f.note)
    return match[0] if match else DEFAULT_DATE_EXAMPLE


def _is_year_month(raw: Any) -> bool:
    try:
        return nz.to_year_month(raw) is not None
    except nz.NormalizeError:
        return False


def stored_as_number(raw: Any) -> bool:
    """A number of 16 or more digits: Excel has already replaced the digits after the 15th with zeros."""
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and abs(raw) >= 1e15


def _excel_display(raw: Any) -> str:
    """How Excel shows such a number in a General cell: 4.30102E+17."""
    mantissa, exponent = f"{float(raw):.5E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent)}"


def check_value(f: Field, raw: Any, row: dict[str, Any], choices: ChoiceLists) -> tuple[Any, list[CellIssue]]:
    """Normalise one value and check it.  Returns (normalised value or None, issues)."""
    text = nz.clean_text(raw)
    if text == "":
        if f.is_required_for(row):
            return None, [CellIssue("required", f)]
        return None, []
    try:
        return _check_typed(f, raw, text, row, choices)
    except nz.NormalizeError:
        rule = {
            T.INTEGER: "integer", T.DECIMAL: "number", T.DATE: "date", T.PERIOD: "period", T.YEAR_MONTH: "year_month",
            T.YEAR: "year", T.YES_NO: "yes_no",
        }[f.type]
        values = {"value": text, "min": _fmt_number(f.min_value if f.min_value is not None else 0)}
        if f.type == T.PERIOD:
            values["example"] = date_example(f)
        if f.type == T.DATE:
            values["example"] = date_example(f)
            if _is_year_month(raw):
                rule = "date_month_only"
        if f.type == T.YES_NO:  # the formula sees a 是/否 column as an enumeration
            return None, [choice_issue(f, text, f.choices or ("是", "否"))]
        return None, [CellIssue(rule, f, values)]


def _check_typed(f: Field, raw: Any, text: str, row: dict[str, Any], choices: ChoiceLists) -> tuple[Any, list[CellIssue]]:
    issues: list[CellIssue] = []
    if f.type == T.TEXT:
        count = nz.count_chars(text)
        if f.min_chars is not None and count < f.min_chars:
            issues.append(CellIssue("text_min_chars", f, {"count": count, "min": f.min_chars}))
        if f.max_chars is not None and count > f.max_chars:
            issues.append(CellIssue("text_max_chars", f, {"count": count, "max": f.max_chars}))
        if isinstance(raw, str) and raw.lstrip().startswith(FORMULA_PREFIXES) and not text[:1].isdigit():
            issues.append(CellIssue("formula_text", f, {"first": raw.lstrip()[:1]}))
        return text, issues
    if f.type in (T.INTEGER, T.DECIMAL):
        number = nz.to_count(raw) if f.type == T.INTEGER else nz.to_number(raw)
        low = f.min_value if f.min_value is not None else (0 if f.type == T.INTEGER else None)
        if f.type == T.INTEGER and low is not None and number < low:
            raise nz.NormalizeError(text)
        if (low is not None and number < low) or (f.max_value is not None and number > f.max_value):
            issues.append(CellIssue("range", f, {"value": _fmt_number(number), "min": _fmt_number(low), "max": _fmt_number(f.max_value)}))
        return number, issues
    if f.type == T.DATE:
        return nz.to_date(raw), issues
    if f.type == T.PERIOD:
        return nz.to_period(raw), issues
    if f.type == T.YEAR_MONTH:
        return nz.to_year_month(raw), issues
    if f.type == T.YEAR:
        year = nz.to_year(raw)
        if (f.min_value is not None and year < f.min_value) or (f.max_value is not None and year > f.max_value):
            raise nz.NormalizeError(text)
        return year, issues
    if f.type == T.YES_NO:
        return nz.to_yes_no(raw), issues
    if f.type == T.CHOICE:
        allowed = choices.resolve(f.choices, row) or ()
        value = re.sub(r"\s+", "", text)
        if f.multiple and value not in allowed:
            parts = nz.split_choices(text)
            if len(parts) > 1 and all(p in allowed for p in parts) and len(set(parts)) == len(parts):
                return "、".join(parts), issues
        if value not in allowed:
            issues.append(choice_issue(f, text, allowed))
            return None, issues
        return value, issues
    if f.type in (T.ID_CARD, T.USCC) and stored_as_number(raw):
        # Excel keeps 15 significant digits: an 18-character code typed into a General cell lost its tail
        issues.append(CellIssue("code_as_number", f, {"value": _excel_display(raw)}))
        return None, issues
    if f.type == T.ID_CARD:
        code = nz.to_code(raw)
        reason = id_card_problem(code)
        if reason:
            issues.append(CellIssue("id_card", f, {"value": code, "reason": reason}))
            return None, issues
        return code, issues
    if f.type == T.USCC:
        code = nz.to_code(raw)
        reason = uscc_problem(code)
        if reason:
            issues.append(CellIssue("uscc", f, {"value": code, "reason": reason}))
            return None, issues
        return code, issues
    if f.type == T.PHONE:
        phones = nz.to_phones(raw)
        if phones is None:
            issues.append(CellIssue("phone", f, {"value": text}))
            return nz.to_phone(raw), issues
        return "、".join(phones), issues
    if f.type == T.EMAIL:
        if not EMAIL_RE.match(text):
            issues.append(CellIssue("email", f, {"value": text}))
        return text, issues
    raise AssertionError(f.type)


# Fields whose text is published (名称 and 单位或平台 of the 公示名单): an ID or phone number typed
# into one is masked there, and validate warns so the city can correct it.
PUBLISHED_TEXT_KEYS = ("name", "platform", "unit", "employer")
PERSONAL_NUMBER_KINDS = {"id": "身份证号码", "phone": "电话号码"}


def personal_number_issues(f: Field, value: Any) -> list[CellIssue]:
    """A warning per ID-like or phone-like digit run in a published name or unit field."""
    from xl_awards.base.personal_numbers import find_personal_numbers

    if f.key not in PUBLISHED_TEXT_KEYS or not isinstance(value, str):
        return []
    return [CellIssue("personal_number_in_name", f, {"kind": PERSONAL_NUMBER_KINDS[kind], "value": value[start:end]})
            for kind, start, end in find_personal_numbers(value)]


def check_row_cells(sheet: SheetSchema, raw_row: dict[str, Any], choices: ChoiceLists) -> tuple[dict[str, Any], list[CellIssue]]:
    """Normalise and check every field of ``sheet`` present in ``raw_row`` (key -> raw value)."""
    values: dict[str, Any] = {}
    issues: list[CellIssue] = []
    for f in sheet.fields:
        if f.key not in raw_row:
            continue  # a missing column is a sheet-level finding, not one per row
        value, found = check_value(f, raw_row[f.key], raw_row, choices)
        values[f.key] = value
        issues.extend(found)
        issues.extend(personal_number_issues(f, value))
    return values, issues


def check_column_text(sheet: SheetSchema, issues: list[CellIssue]) -> str:
    """What the ``检查`` formula shows for a row with these issues: short texts in field order."""
    order = {f.key: i for i, f in enumerate(sheet.fields)}
    shorts = [(order[i.field.key], i.short) for i in issues if i.short]
    if not shorts:
        return messages.CHECK_OK
    return messages.CHECK_SEPARATOR.join(text for _, text in sorted(shorts, key=lambda p: p[0]))


def is_blank_row(raw_row: dict[str, Any]) -> bool:
    return all(nz.is_blank(v) for v in raw_row.values())

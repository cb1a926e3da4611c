"""Working days on the official calendar with the hub's adjustments, and the publicity window."""

from __future__ import annotations
import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from xl_awards.base.findings import Finding
from xl_awards.base.normalize import NormalizeError, clean_text, to_date
from xl_awards.schema import hub as H
from xl_awards.publicity.sheet_findings import make_finding


# -- working days ----------------------------------------------------------------------

@dataclass(frozen=True)
class PublicityWindow:
    start: dt.date  # the first working day (the given start, or the next working day)
    end: dt.date  # the Nth working day
    working_days: tuple[dt.date, ...]
    warnings: tuple[Finding, ...] = ()


def calendar_version() -> str:
    try:
        from importlib.metadata import version

        return version("chinesecalendar")
    except Exception:  # not installed as a distribution: say so rather than guess
        return "?"


def _calendar_workday(day: dt.date) -> bool | None:
    """The official calendar's answer, or None when the date is outside its known years."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


class WorkingDays:
    """Answers 'is this a working day' and remembers which years fell outside the calendar."""

    def __init__(self, adjustments: Mapping[dt.date, bool] | None = None):
        self.adjustments = dict(adjustments or {})
        self.unknown_years: list[int] = []

    def __call__(self, day: dt.date) -> bool:
        known = _calendar_workday(day)
        if known is None:
            if day.year not in self.unknown_years:
                self.unknown_years.append(day.year)
            known = day.weekday() < 5
        return self.adjustments.get(day, known)

    def warnings(self) -> list[Finding]:
        version = calendar_version()
        return [make_finding("publicity_calendar_unknown", H.HOLIDAYS_SHEET, year=y, version=version)
                for y in self.unknown_years]


def publicity_window(start: dt.date, working_days: int,
                     adjustments: Mapping[dt.date, bool] | None = None) -> PublicityWindow:
    """The publicity window: first working day on or after ``start``, and the ``working_days``-th working day.

    ``adjustments``: date -> True (工作日) / False (休息日), from ``节假日调整``; they
    override the official calendar.
    """
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    is_working = WorkingDays(adjustments)
    warnings: list[Finding] = []
    day = start
    days: list[dt.date] = []
    while len(days) < working_days:
        if is_working(day):
            days.append(day)
        day += dt.timedelta(days=1)
    if days[0] != start:
        warnings.append(make_finding("publicity_start_moved", start=start.isoformat(), moved=days[0].isoformat()))
    warnings += is_working.warnings()
    return PublicityWindow(days[0], days[-1], tuple(days), tuple(warnings))


def publicity_end(start: dt.date, working_days: int,
                  adjustments: Mapping[dt.date, bool] | None = None) -> tuple[dt.date, list[Finding]]:
    """(end, warnings): the Nth working day counted from the first day (see ``publicity_window``)."""
    window = publicity_window(start, working_days, adjustments)
    return window.end, list(window.warnings)


def adjustments_from_rows(rows: Iterable[tuple[int, Mapping[str, Any]]]) -> tuple[dict[dt.date, bool], list[Finding]]:
    """``节假日调整`` rows ((Excel row, {date, kind})) -> {date: is working day}; bad rows are warnings."""
    out: dict[dt.date, bool] = {}
    rows_of: dict[dt.date, int] = {}
    found: list[Finding] = []
    for excel_row, row in rows:
        raw_date, kind = row.get("date"), clean_text(row.get("kind"))
        try:
            day = to_date(raw_date)
        except NormalizeError:
            day = None
        if day is None:
            found.append(make_finding("publicity_holiday_invalid", H.HOLIDAYS_SHEET, excel_row, "日期", row=excel_row,
                                  label="日期", value=clean_text(raw_date)))
            continue
        if kind not in H.HOLIDAY_KINDS:
            found.append(make_finding("publicity_holiday_invalid", H.HOLIDAYS_SHEET, excel_row, "类型", row=excel_row,
                                  label="类型", value=kind))
            continue
        if day in out:
            found.append(make_finding("publicity_holiday_duplicate", H.HOLIDAYS_SHEET, excel_row, "日期", row=excel_row,
                                  date=day.isoformat(), other_row=rows_of[day]))
            continue
        out[day] = kind == H.HOLIDAY_WORK
        rows_of[day] = excel_row
    return out, found


def _raw_text(value: Any) -> str:
    """Text as the hub typed it (no folding of full-width punctuation), trimmed."""
    return "" if value is None else str(value).strip()



"""Publicity (SPEC section 6): working-day windows, masking, the list, objections, the final list.

Pure: no file I/O.  The job modules (``xl_awards.jobs.publicity`` / ``finalize``) read
the hub workbook, turn the ranking into ``Candidate`` lists and call these functions.

Working days
    The official Chinese calendar with its make-up workdays (``chinese_calendar``),
    overridden by the hub's ``节假日调整`` rows (休息日: not a working day; 工作日: a
    working day).  A date the calendar does not know (it raises NotImplementedError,
    e.g. 2027 with chinesecalendar 1.11.0) falls back to Monday–Friday plus the hub's
    adjustments, with an explicit warning for that year — never a silent guess.

    Publicity ends on the Nth working day counted from its first day.  When the
    given start is not a working day the publicity is taken to start on the next
    working day (a warning says so): the 公示开始 written is that working day.

The list
    Per list (``CATEGORIES`` order: window city tier, county tier, 服务之星, 优秀服务机构,
    优秀服务专家, 创新服务产品) the entries with status ``selected``, by rank.  A
    ``tie_pending`` entry is listed only once the hub has decided it: the hub
    changes its 状态 in the ``排名`` sheet from 并列待定 to 入选 (or 未入选); the
    ranking is recomputed from the hub's inputs and compared with the ``排名`` sheet,
    so a sheet that no longer matches the data (stale) is refused.  Prior
    awardees (2020) and ineligible entries are never listed.  Text written into
    the list passes ``mask_personal_info`` (no 身份证号码, no phone numbers).

Objections (finalize)
    The hub marks 撤销 = 是 (with 异议情况) on ``公示名单`` rows.  Those entries are
    removed and the places refilled, per list, from the ranked ``not_selected``
    entries in rank order.  A tied group at the new line larger than the places
    left is not cut: it is reported, and the hub picks by setting 状态 = 入选 on
    the chosen entries in the ``排名`` sheet, then runs finalize again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from xl_awards.findings import Finding
from xl_awards.messages import RANK_STATUS_LABELS, rule_message, rule_severity
from xl_awards.normalize import NormalizeError, clean_text, to_date, to_yes_no
from xl_awards.schema import hub as H
from xl_awards.schema import publicity as P
from xl_awards.scoring.settings import CATEGORIES, NOT_SELECTED, SELECTED, TIE_PENDING
STATUS_BY_LABEL = {label: code for code, label in RANK_STATUS_LABELS.items()}

Key = tuple[str, str]  # (category, id); a window platform's id is its name


def make_finding(rule: str, sheet: str = "", at_row: int | None = None, field_label: str = "", **values: Any) -> Finding:
    """A finding located in a hub sheet; ``values`` fill the message (which may itself name a ``row``)."""
    return Finding(rule=rule, severity=rule_severity(rule), message=rule_message(rule, **values), sheet=sheet,
                   row=at_row, field=field_label)


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


# -- masking -------------------------------------------------------------------------

# 18-digit resident ID (last may be X) or the old 15-digit one, not inside a longer digit run.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile numbers (optionally +86), and landlines with an area code (0xx-xxxxxxxx).
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")


def mask_personal_info(value: Any) -> str:
    """Text with 身份证号码 and phone numbers replaced by a marker (the list never shows them).

    >>> mask_personal_info("张三 43010219850312123X 13907310000")
    '张三 ［身份证号码已隐去］ ［电话已隐去］'
    """
    text = "" if value is None else str(value).strip()  # no other change to the text (keeps full-width marks)
    text = _ID_RE.sub(P.MASK_ID, text)
    text = _MOBILE_RE.sub(P.MASK_PHONE, text)
    return _LANDLINE_RE.sub(P.MASK_PHONE, text)


# -- candidates and the list -----------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """One ranked entry as publicity needs it (from the ranking; see the job's coupling function)."""

    category: str
    id: str  # 申报编号; a window platform's name
    name: str
    unit: str = ""
    city: str = ""
    rank: int | None = None
    total: float | None = None
    status: str = NOT_SELECTED
    decided: bool = False  # a tie the hub decided in the 排名 sheet

    @property
    def key(self) -> Key:
        return (self.category, self.id)


def award_label(category: str, award_names: Mapping[str, str]) -> str:
    """The 奖项 text: the award name, with the tier for window platforms."""
    name = award_names[category]
    tier = P.TIER_LABELS.get(category)
    return P.AWARD_WITH_TIER.format(award=name, tier=tier) if tier else name


def category_by_label(label: str, award_names: Mapping[str, str]) -> str | None:
    text = clean_text(label)  # clean_text folds full-width brackets: compare both sides folded
    for category in CATEGORIES:
        if clean_text(award_label(category, award_names)) == text:
            return category
    return None


def apply_sheet_statuses(candidates: Mapping[str, Sequence[Candidate]], sheet: Mapping[Key, str],
                         award_names: Mapping[str, str], allow_picks: bool = False,
                         ) -> tuple[dict[str, list[Candidate]], list[Finding], set[Key]]:
    """Merge the hub's decisions from the ``排名`` sheet (status codes by key) into the recomputed ranking.

    Returns (candidates with decided ties, findings, picks).  A ``tie_pending`` entry
    marked selected / not_selected in the sheet is decided; one still pending stays
    pending.  Any other difference (an entry missing, a status changed) means the
    sheet is stale and is an error — except, with ``allow_picks`` (finalize), a
    ranked not_selected entry marked 入选: a hub pick for a tie at the new line,
    returned in ``picks`` for ``final_list`` to check.
    """
    out: dict[str, list[Candidate]] = {}
    found: list[Finding] = []
    picks: set[Key] = set()
    for category in CATEGORIES:
        award = award_label(category, award_names)
        items = []
        for c in candidates.get(category, ()):
            marked = sheet.get(c.key)
            if c.status == TIE_PENDING and marked in (SELECTED, NOT_SELECTED):
                c = replace(c, status=marked, decided=True)
            elif marked == c.status:
                pass
            elif allow_picks and c.status == NOT_SELECTED and c.rank is not None and marked == SELECTED:
                picks.add(c.key)
            else:
                if marked is None:
                    detail = "不在“排名”表中"
                else:
                    detail = (f"“排名”表中的状态为“{RANK_STATUS_LABELS.get(marked, marked)}”，"
                              f"按当前数据应为“{RANK_STATUS_LABELS[c.status]}”")
                found.append(make_finding("publicity_ranking_stale", H.RANKING_SHEET, award=award, name=c.name,
                                      detail=detail))
            items.append(c)
        out[category] = items
    known = {c.key for items in candidates.values() for c in items}
    for key in sheet:
        if key not in known and key[0] in CATEGORIES:
            found.append(make_finding("publicity_ranking_stale", H.RANKING_SHEET, award=award_label(key[0], award_names),
                                  name=key[1], detail="在“排名”表中，但按当前数据不在排名中"))
    return out, found, picks


def unresolved_ties(candidates: Mapping[str, Sequence[Candidate]], quotas: Mapping[str, int],
                    award_names: Mapping[str, str]) -> list[Finding]:
    """One error per list that still has ``tie_pending`` entries (names, rank, places left)."""
    found = []
    for category in CATEGORIES:
        items = candidates.get(category, ())
        pending = [c for c in items if c.status == TIE_PENDING]
        if not pending:
            continue
        selected = sum(1 for c in items if c.status == SELECTED)
        places = max(quotas.get(category, 0) - selected, 0)
        found.append(make_finding("publicity_tie_unresolved", H.RANKING_SHEET, award=award_label(category, award_names),
                              rank=min(c.rank or 0 for c in pending), places=places,
                              names="、".join(f"“{c.name}”" for c in pending)))
    return found


@dataclass(frozen=True)
class ListEntry:
    """A row of 公示名单 / 获奖名单."""

    category: str
    seq: int
    award: str  # 奖项 text
    id: str  # 申报编号 ('' for window platforms)
    name: str
    unit: str
    city: str
    rank: int | None = None
    way: str = P.WAY_PUBLICITY
    remark: str = ""

    @property
    def key(self) -> Key:
        return (self.category, self.id or self.name)

    def sheet_row(self, **extra: Any) -> dict[str, Any]:
        return {"seq": self.seq, "award": self.award, "name": self.name, "unit": self.unit, "city": self.city,
                "app_id": self.id, "rank": self.rank, "way": self.way, "remark": self.remark, **extra}


def _entry(c: Candidate, seq: int, award_names: Mapping[str, str], **extra: Any) -> ListEntry:
    window = c.category.startswith("window")
    return ListEntry(category=c.category, seq=seq, award=award_label(c.category, award_names),
                     id="" if window else mask_personal_info(c.id), name=mask_personal_info(c.name),
                     unit=mask_personal_info(c.unit), city=mask_personal_info(c.city), rank=c.rank, **extra)


def _by_rank(items: Iterable[Candidate]) -> list[Candidate]:
    return sorted(items, key=lambda c: (c.rank if c.rank is not None else 10 ** 9))


def publicity_list(candidates: Mapping[str, Sequence[Candidate]], award_names: Mapping[str, str],
                   quotas: Mapping[str, int] | None = None) -> tuple[list[ListEntry], list[Finding]]:
    """The 公示名单: selected entries per list, by rank, 序号 from 1 in each list.

    Call after ``unresolved_ties`` found nothing (pending entries are never listed).
    A warning when the hub's tie decisions put more entries than the quota on a list.
    """
    entries: list[ListEntry] = []
    found: list[Finding] = []
    for category in CATEGORIES:
        chosen = _by_rank(c for c in candidates.get(category, ()) if c.status == SELECTED)
        for seq, c in enumerate(chosen, start=1):
            entries.append(_entry(c, seq, award_names))
        quota = (quotas or {}).get(category)
        if quota is not None and len(chosen) > quota:
            found.append(make_finding("publicity_over_quota", H.PUBLICITY_SHEET, award=award_label(category, award_names),
                                  count=len(chosen), quota=quota))
    return entries, found


def carry_objections(entries: Sequence[ListEntry], previous: Iterable[tuple[int, Mapping[str, Any]]],
                     award_names: Mapping[str, str]) -> tuple[dict[Key, dict[str, Any]], list[Finding]]:
    """异议情况 / 撤销 already entered on an earlier 公示名单, kept for the same entries when it is rewritten."""
    wanted = {e.key: e for e in entries}
    kept: dict[Key, dict[str, Any]] = {}
    found = []
    for _, row in previous:
        objection, withdrawn = _raw_text(row.get("objection")), clean_text(row.get("withdrawn"))
        if not objection and not withdrawn:
            continue
        category = category_by_label(row.get("award"), award_names)
        key = (category, clean_text(row.get("app_id")) or clean_text(row.get("name")))
        if key in wanted:
            kept[key] = {"objection": objection or None, "withdrawn": withdrawn or None}
            found.append(make_finding("publicity_kept_objection", H.PUBLICITY_SHEET, name=wanted[key].name,
                                  award=wanted[key].award))
    return kept, found


# -- objections and the final list ------------------------------------------------------

@dataclass(frozen=True)
class PublishedRow:
    """A row of the 公示名单 sheet as the hub left it at the end of publicity."""

    row: int  # Excel row
    category: str | None
    id: str  # 申报编号, or the name for window platforms
    name: str
    withdrawn: bool
    objection: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def key(self) -> Key:
        return (self.category or "", self.id)


def published_rows(rows: Iterable[tuple[int, Mapping[str, Any]]], award_names: Mapping[str, str]) -> list[PublishedRow]:
    out = []
    for excel_row, row in rows:
        name = clean_text(row.get("name"))
        if not name:
            continue
        try:
            withdrawn = to_yes_no(row.get("withdrawn")) == "是"
        except NormalizeError:
            withdrawn = False
        dates = []
        for key in ("start", "end"):
            try:
                dates.append(to_date(row.get(key)))
            except NormalizeError:
                dates.append(None)
        out.append(PublishedRow(excel_row, category_by_label(row.get("award"), award_names),
                                clean_text(row.get("app_id")) or name, name, withdrawn,
                                _raw_text(row.get("objection")), dates[0], dates[1]))
    return out


@dataclass
class FinalResult:
    entries: list[ListEntry]
    findings: list[Finding] = field(default_factory=list)
    withdrawn: list[PublishedRow] = field(default_factory=list)
    moved_up: list[ListEntry] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """A tie at the new line (or a misplaced pick) left undecided: the list is not final."""
        return any(f.is_error for f in self.findings)


def final_list(candidates: Mapping[str, Sequence[Candidate]], published: Sequence[PublishedRow],
               award_names: Mapping[str, str], picks: Iterable[Key] = ()) -> FinalResult:
    """Remove the withdrawn entries and refill their places from the next ranked not_selected entries.

    Per list: the published entries not withdrawn stay (in rank order); for each
    withdrawn one a place opens, filled group by group in rank order from the
    ranked ``not_selected`` entries not already published.  A group (equal rank)
    larger than the places left is a tie at the new line: it is filled only from
    the hub's ``picks`` when they are exactly the places left; otherwise it is
    reported and the places stay open.
    """
    picks = set(picks)
    used_picks: set[Key] = set()
    tied_keys: set[Key] = set()  # members of reported ties at the new line
    found: list[Finding] = []
    by_key = {c.key: c for items in candidates.values() for c in items}
    published_keys = {p.key for p in published}
    result = FinalResult(entries=[])
    for p in published:
        if p.category is None or p.key not in by_key:
            found.append(make_finding("finalize_unknown_row", H.PUBLICITY_SHEET, p.row, row=p.row, name=p.name,
                                  award=award_names.get(p.category or "", "") or "?"))
            continue
    for category in CATEGORIES:
        award = award_label(category, award_names)
        rows = [p for p in published if p.category == category and p.key in by_key]
        kept = _by_rank(by_key[p.key] for p in rows if not p.withdrawn)
        gone = [p for p in rows if p.withdrawn]
        for p in gone:
            result.withdrawn.append(p)
            if p.objection:
                found.append(make_finding("finalize_withdrawn", H.PUBLICITY_SHEET, p.row, award=award, name=p.name,
                                      objection=p.objection))
            else:
                found.append(make_finding("finalize_withdrawn_no_reason", H.PUBLICITY_SHEET, p.row, "异议情况", row=p.row,
                                      name=p.name))
        places = len(gone)
        pool = _by_rank(c for c in candidates.get(category, ())
                        if c.status == NOT_SELECTED and c.rank is not None and c.key not in published_keys)
        moved: list[Candidate] = []
        tied = False
        while places > 0 and pool:
            rank = pool[0].rank
            group = [c for c in pool if c.rank == rank]
            pool = [c for c in pool if c.rank != rank]
            if len(group) <= places:
                moved += group
                places -= len(group)
                continue
            chosen = [c for c in group if c.key in picks]
            if len(chosen) == places:
                moved += chosen
                used_picks.update(c.key for c in chosen)
                places = 0
            else:
                tied = True
                tied_keys.update(c.key for c in group)
                found.append(make_finding("finalize_tie_at_line", H.RANKING_SHEET, award=award, rank=rank,
                                      count=len(group), places=places, names="、".join(f"“{c.name}”" for c in group)))
            break
        if places > 0 and not tied:
            found.append(make_finding("finalize_no_successor", H.PUBLICITY_SHEET, award=award, count=len(gone),
                                  available=len(gone) - places, vacant=places))
        seq = 0
        for c in kept:
            seq += 1
            result.entries.append(_entry(c, seq, award_names))
        for c in moved:
            seq += 1
            entry = _entry(c, seq, award_names, way=P.WAY_MOVED_UP)
            result.entries.append(entry)
            result.moved_up.append(entry)
            found.append(make_finding("finalize_moved_up", H.RANKING_SHEET, award=award, name=c.name, rank=c.rank))
    for key in sorted(picks - used_picks):
        c = by_key.get(key)
        # A pick inside a reported tie group is waiting for the right count; elsewhere it is misplaced.
        if c is not None and key not in tied_keys:
            found.append(make_finding("finalize_pick_not_tied", H.RANKING_SHEET, award=award_label(c.category, award_names),
                                  name=c.name))
    result.findings = found
    return result

"""Expert review: assignment with conflicts of interest, signed scoring workbooks,
checks of returned content, and the per-expert (lenient / harsh) summary.

Pure core: plain dataclasses in, dataclasses and Findings out; no file I/O.
The file side lives in ``xl_awards.io.expert_book``.

Integrity (SPEC section 3): the content the hub issues to an expert (expert,
edition year, workbook version, issue time, and per award sheet the rubric items
with maxima and the ordered rows 申报编号 / 申报主体 / 所属市州) is serialised
canonically (``IssuedBook.canonical``) and signed with HMAC-SHA256 under a key
only the hub holds.  Sheet protection in Excel is not security; the signature is
what is relied on.  A returned workbook is checked cell by cell against its
verified issued content, and is imported whole or not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from xl_awards.findings import Finding, cell_address
from xl_awards.messages import rule_message, rule_severity
from xl_awards.normalize import (
    NormalizeError,
    clean_text,
    normalize_name,
    to_code,
    to_number,
    to_yes_no,
)
from xl_awards.edition import INTAKE_AWARD_KEYS
from xl_awards.schema import header_label
from xl_awards.schema.hub import split_multi_value

# Workbook layout version: part of the signed content; bump when the layout changes.
EXPERT_BOOK_VERSION = 1

# Labels of the scoring sheets (user-facing; written here once).
COL_APP_ID = "申报编号"
COL_APPLICANT = "申报主体"
COL_CITY = "所属市州"
COL_TOTAL = "合计"
COL_AVOID = "回避"
COL_COMMENT = "评语"
IDENTITY_COLUMNS = (COL_APP_ID, COL_APPLICANT, COL_CITY)

def split_list(value: Any) -> tuple[str, ...]:
    """``"优秀服务机构、创新服务产品"`` -> ``("优秀服务机构", "创新服务产品")`` (SPEC section 3 separators)."""
    return tuple(split_multi_value(value))


def item_header(item: str, maximum: float) -> str:
    """The score column's header: ``行业影响力(15分)``; ``header_label`` cuts it back to the item."""
    return f"{item}({maximum:g}分)"


def total_header(maximum: float) -> str:
    return f"{COL_TOTAL}({maximum:g}分)"


# --------------------------------------------------------------------------------------
# People and applications
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expert:
    """A row of 专家库."""

    expert_id: str  # 专家编号
    name: str  # 姓名
    employer: str = ""  # 工作单位
    employer_code: str = ""  # 工作单位的统一社会信用代码 (optional)
    id_number: str = ""  # 身份证号码 (optional)
    city: str = ""  # 所属市州
    field: str = ""  # 专业领域
    awards: tuple[str, ...] = ()  # 评审类别: award names (award keys are accepted too)
    avoid: tuple[str, ...] = ()  # 回避单位: unit names or codes

    @property
    def label(self) -> str:
        return f"{self.expert_id} {self.name}".strip()


@dataclass(frozen=True)
class Application:
    """An application awaiting review (a row of 申报汇总)."""

    app_id: str  # 申报编号
    award: str  # edition award key: star / institution / expert / product
    name: str  # 申报主体: 机构名称 / 姓名 / 产品名称
    award_name: str = ""  # 优秀服务机构 ...
    id_code: str = ""  # 证件号码: 统一社会信用代码 (organisations) or 身份证号码 (people)
    unit: str = ""  # the unit behind the applicant: product's 申报单位, expert's 工作单位, star's 所在窗口平台
    unit_code: str = ""  # that unit's 统一社会信用代码 (products)
    city: str = ""  # 所属市州

    @property
    def label(self) -> str:
        return f"{self.award_name or self.award}“{self.name}”（{self.app_id}）"


# --------------------------------------------------------------------------------------
# Conflicts of interest (回避)
# --------------------------------------------------------------------------------------

CONFLICT_EMPLOYER = "employer"  # the expert's 工作单位 is the applicant or the applicant's unit
CONFLICT_SELF = "self"  # the expert is the applicant (by 身份证号码)
CONFLICT_DECLARED = "declared"  # a declared 回避单位 matches the applicant or its unit
CONFLICT_LABELS = {CONFLICT_EMPLOYER: "工作单位相同", CONFLICT_SELF: "本人申报", CONFLICT_DECLARED: "申报回避单位"}


def _names(*values: str) -> set[str]:
    return {n for n in (normalize_name(v) for v in values) if n}


def _codes(*values: str) -> set[str]:
    return {c for c in (to_code(v) for v in values) if c}


def conflicts(expert: Expert, app: Application) -> list[str]:
    """The kinds of conflict between an expert and an application (empty: none).

    Blank names or codes never match.  Names are compared normalised
    (``normalize_name``); codes (统一社会信用代码 / 身份证号码) compact and upper case.
    """
    found: list[str] = []
    app_names = _names(app.name, app.unit)
    app_codes = _codes(app.id_code, app.unit_code)
    if (_names(expert.employer) & app_names) or (_codes(expert.employer_code) & app_codes):
        found.append(CONFLICT_EMPLOYER)
    if _codes(expert.id_number) & _codes(app.id_code):
        found.append(CONFLICT_SELF)
    declared = set(expert.avoid)
    if (_names(*declared) & app_names) or (_codes(*declared) & app_codes):
        found.append(CONFLICT_DECLARED)
    return found


def on_panel(expert: Expert, app: Application) -> bool:
    """The expert's 评审类别 includes the application's award (by name or key)."""
    wanted = {w for w in (app.award_name, app.award) if w}
    return any(clean_text(a) in wanted for a in expert.awards)


# --------------------------------------------------------------------------------------
# Assignment
# --------------------------------------------------------------------------------------


@dataclass
class Assignment:
    """Who reviews what.  ``findings`` with errors mean: write nothing."""

    experts: dict[str, Expert]
    applications: dict[str, Application]
    by_application: dict[str, tuple[str, ...]] = field(default_factory=dict)  # app_id -> expert ids
    excluded: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)  # app_id -> ((expert id, kinds),)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def loads(self) -> dict[str, int]:
        """Applications per expert, for every expert (0 for the unassigned)."""
        loads = {eid: 0 for eid in self.experts}
        for ids in self.by_application.values():
            for eid in ids:
                loads[eid] += 1
        return loads

    def for_expert(self, expert_id: str) -> list[Application]:
        """The expert's applications in issue order (award order, then 申报编号)."""
        apps = [self.applications[a] for a, ids in self.by_application.items() if expert_id in ids]
        return sorted(apps, key=_app_order)

    def pairs(self) -> list[tuple[str, str]]:
        """(expert id, app id) for every assignment, sorted."""
        return sorted((eid, aid) for aid, ids in self.by_application.items() for eid in ids)


def _app_order(app: Application) -> tuple:
    order = INTAKE_AWARD_KEYS
    rank = order.index(app.award) if app.award in order else len(order)
    return (rank, app.award, _natural(app.app_id))


def _natural(text: str) -> tuple:
    """``E2`` before ``E10``: digits compared as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", text))


def _finding(rule: str, *, file: str = "", sheet: str = "", cell: str = "", row: int | None = None,
             field_: str = "", **values) -> Finding:
    return Finding(rule=rule, severity=rule_severity(rule), message=rule_message(rule, **values),
                   file=file, sheet=sheet, cell=cell, row=row, field=field_)


def assign(
    experts: Sequence[Expert],
    applications: Sequence[Application],
    per_application: int | Mapping[str, int | None] | None = None,
    min_experts: int = 1,
) -> Assignment:
    """Assign experts to applications.

    ``per_application``: experts per application (an int, or per award key; ``None`` = the
    award's whole panel, i.e. every expert whose 评审类别 includes the award, less conflicts).
    ``min_experts``: fewer eligible experts than this is a shortfall even for whole panels
    (the edition's ``scoring.min_counted_scores``).

    Deterministic: applications are taken most-constrained first (fewest eligible experts),
    then award order and 申报编号; each takes the eligible experts with the lowest current
    load, ties broken by 专家编号.  Shortfalls are findings (errors); the caller writes
    nothing when ``assignment.ok`` is false.
    """
    result = Assignment(experts={}, applications={})
    for e in sorted(experts, key=lambda e: _natural(e.expert_id)):
        if e.expert_id in result.experts:
            result.findings.append(_finding("review_duplicate_expert", expert_id=e.expert_id))
            continue
        result.experts[e.expert_id] = e
    for a in sorted(applications, key=_app_order):
        if a.app_id in result.applications:
            result.findings.append(_finding("review_duplicate_app", app_id=a.app_id))
            continue
        result.applications[a.app_id] = a

    plan: list[tuple[Application, list[str], int]] = []
    for app in result.applications.values():
        panel = [e for e in result.experts.values() if on_panel(e, app)]
        excluded = []
        eligible = []
        for e in panel:
            kinds = conflicts(e, app)
            if kinds:
                excluded.append((e.expert_id, tuple(kinds)))
            else:
                eligible.append(e.expert_id)
        result.excluded[app.app_id] = tuple(excluded)
        wanted = per_application.get(app.award) if isinstance(per_application, Mapping) else per_application
        required = max(int(wanted), min_experts) if wanted is not None else min_experts
        conflict_text = "、".join(f"{result.experts[eid].label}（{'、'.join(CONFLICT_LABELS[k] for k in kinds)}）"
                                  for eid, kinds in excluded) or "无"
        if len(eligible) < required:
            result.findings.append(_finding(
                "review_shortfall", field_=COL_APP_ID, app=app.label, award=app.award_name or app.award,
                required=required, panel=len(panel), available=len(eligible), conflicts=conflict_text))
            continue
        plan.append((app, eligible, required if wanted is not None else len(eligible)))

    loads = {eid: 0 for eid in result.experts}
    plan.sort(key=lambda p: (len(p[1]), _app_order(p[0])))
    for app, eligible, count in plan:
        chosen = sorted(eligible, key=lambda eid: (loads[eid], _natural(eid)))[:count]
        for eid in chosen:
            loads[eid] += 1
        result.by_application[app.app_id] = tuple(sorted(chosen, key=_natural))
    result.by_application = dict(sorted(result.by_application.items(), key=lambda kv: _app_order(result.applications[kv[0]])))
    return result


# --------------------------------------------------------------------------------------
# Issued content and its signature
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSheet:
    award: str  # award key
    award_name: str  # the sheet's name
    items: tuple[tuple[str, float], ...]  # rubric (item, maximum)
    rows: tuple[tuple[str, str, str], ...]  # (申报编号, 申报主体, 所属市州), in sheet order

    @property
    def maximum(self) -> float:
        return sum(m for _, m in self.items)


@dataclass(frozen=True)
class IssuedBook:
    expert_id: str
    expert_name: str
    year: int
    version: int
    issued_at: str  # ISO timestamp: a re-issue is a different content
    sheets: tuple[IssuedSheet, ...]

    def to_data(self) -> dict:
        return {
            "expert_id": self.expert_id,
            "expert_name": self.expert_name,
            "year": self.year,
            "version": self.version,
            "issued_at": self.issued_at,
            "sheets": [
                {"award": s.award, "award_name": s.award_name,
                 "items": [[item, float(m)] for item, m in s.items],
                 "rows": [list(r) for r in s.rows]}
                for s in self.sheets
            ],
        }

    def canonical(self) -> str:
        """The exact text that is signed and stored: sorted keys, no spaces, UTF-8 characters."""
        return json.dumps(self.to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_canonical(cls, text: str) -> "IssuedBook":
        data = json.loads(text)
        return cls(
            expert_id=str(data["expert_id"]),
            expert_name=str(data["expert_name"]),
            year=int(data["year"]),
            version=int(data["version"]),
            issued_at=str(data["issued_at"]),
            sheets=tuple(
                IssuedSheet(award=str(s["award"]), award_name=str(s["award_name"]),
                            items=tuple((str(i), float(m)) for i, m in s["items"]),
                            rows=tuple(tuple(str(v) for v in r) for r in s["rows"]))
                for s in data["sheets"]
            ),
        )


def issue_book(expert: Expert, apps: Iterable[Application], rubrics: Mapping[str, Sequence[tuple]],
               year: int, issued_at: str) -> IssuedBook:
    """The content of one expert's workbook: one sheet per award, rows in 申报编号 order.

    ``rubrics``: award key -> [(item, maximum, hint?), ...] (``Edition.rubric``).
    """
    by_award: dict[str, list[Application]] = defaultdict(list)
    for app in sorted(apps, key=_app_order):
        by_award[app.award].append(app)
    sheets = []
    for award, rows in sorted(by_award.items(), key=lambda kv: _app_order(kv[1][0])):
        items = tuple((str(r[0]), float(r[1])) for r in rubrics[award])
        sheets.append(IssuedSheet(
            award=award, award_name=rows[0].award_name or award, items=items,
            rows=tuple((a.app_id, clean_text(a.name), clean_text(a.city)) for a in rows)))
    return IssuedBook(expert_id=expert.expert_id, expert_name=expert.name, year=int(year),
                      version=EXPERT_BOOK_VERSION, issued_at=issued_at, sheets=tuple(sheets))


def sign(text: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the canonical text under the hub's key."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_ok(text: str, signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(text, key), clean_text(signature).lower())


def protection_password(key: bytes) -> str:
    """The sheet / structure protection password, derived from the hub's key (the hub keeps it)."""
    return hmac.new(key, b"xl_awards sheet protection", hashlib.sha256).hexdigest()[:12]


# --------------------------------------------------------------------------------------
# Returned workbooks
# --------------------------------------------------------------------------------------


@dataclass
class ReturnedSheet:
    """A visible sheet of a returned workbook, values only.

    ``cells[r][c]`` is the value at 1-based row ``r + 1`` and 0-based column ``c``.
    """

    name: str
    cells: list[list[Any]]


@dataclass
class ReturnedBook:
    file: str  # file name (as given on the command line, for findings)
    sha256: str
    file_expert_id: str | None  # 专家编号 parsed from the file name, None if the name has none
    content: str | None  # the stored canonical text (None: no hidden sheet)
    signature: str | None
    sheets: dict[str, ReturnedSheet]


@dataclass(frozen=True)
class ScoreRecord:
    """One line of 专家评分 (long form): an expert's score of one rubric item of one application."""

    expert_id: str
    expert_name: str
    app_id: str
    award_name: str
    applicant: str
    item: str
    score: float | None  # None when 回避
    avoided: bool
    comment: str


@dataclass
class CheckedBook:
    book: ReturnedBook
    issued: IssuedBook | None
    findings: list[Finding]
    records: list[ScoreRecord]  # empty when the workbook is rejected

    @property
    def accepted(self) -> bool:
        return self.issued is not None and not any(f.is_error for f in self.findings)


def _find_header_row(cells: list[list[Any]]) -> int | None:
    for r, row in enumerate(cells[:10]):
        if any(header_label(v) == COL_APP_ID for v in row):
            return r
    return None


def _norm_header(value: Any) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_text(value))).strip("*")


def check_returned(book: ReturnedBook, key: bytes, experts: Mapping[str, Expert] | None = None) -> CheckedBook:
    """Verify a returned scoring workbook and read its scores.

    Any error rejects the whole workbook (``records`` empty): nothing is half-imported.
    """
    findings: list[Finding] = []
    file = book.file

    def add(rule: str, **kw) -> None:
        findings.append(_finding(rule, file=file, **kw))

    if book.content is None or book.signature is None:
        add("review_meta_missing")
        return CheckedBook(book, None, findings, [])
    if not signature_ok(book.content, book.signature, key):
        add("review_signature", expert=book.file_expert_id or "（未知）")
        return CheckedBook(book, None, findings, [])
    issued = IssuedBook.from_canonical(book.content)
    expert_label = f"{issued.expert_id} {issued.expert_name}"

    if book.file_expert_id is None:
        add("review_file_name", expert=expert_label)
    elif book.file_expert_id != issued.expert_id:
        add("review_file_expert", file_expert=book.file_expert_id, expert=expert_label)
    if experts is not None:
        known = experts.get(issued.expert_id)
        if known is None:
            add("review_unknown_expert", expert=expert_label)
        elif normalize_name(known.name) != normalize_name(issued.expert_name):
            add("review_expert_renamed", expert=expert_label, name=known.name)

    records: list[ScoreRecord] = []
    for spec in issued.sheets:
        records.extend(_check_sheet(book, issued, spec, expert_label, findings))
    if any(f.is_error for f in findings):
        records = []
    return CheckedBook(book, issued, findings, records)


def _check_sheet(book: ReturnedBook, issued: IssuedBook, spec: IssuedSheet, expert_label: str,
                 findings: list[Finding]) -> list[ScoreRecord]:
    sheet_name = spec.award_name

    def add(rule: str, cell: str = "", row: int | None = None, field_: str = "", **kw) -> None:
        findings.append(_finding(rule, file=book.file, sheet=sheet_name, cell=cell, row=row, field_=field_,
                                 expert=expert_label, sheet_label=sheet_name, **kw))

    sheet = book.sheets.get(sheet_name)
    if sheet is None:
        add("review_sheet_missing")
        return []
    cells = sheet.cells
    h = _find_header_row(cells)
    if h is None:
        add("review_header_missing")
        return []
    header = cells[h]
    columns: dict[str, int] = {}
    for c, text in enumerate(header):
        label = header_label(text)
        if label and label not in columns:
            columns[label] = c

    # Identity columns and rubric items must be there, rubric headers unchanged.
    fatal = False
    for label in IDENTITY_COLUMNS:
        if label not in columns:
            add("review_column_missing", label=label)
            fatal = True
    for item, maximum in spec.items:
        if item not in columns:
            add("review_column_missing", label=item_header(item, maximum))
            fatal = True
            continue
        c = columns[item]
        if _norm_header(header[c]) != _norm_header(item_header(item, maximum)):
            add("review_rubric_changed", cell=cell_address(h + 1, c), row=h + 1, field_=item,
                value=clean_text(header[c]), expected=item_header(item, maximum))
    if fatal:
        return []
    avoid_col = columns.get(COL_AVOID)
    comment_col = columns.get(COL_COMMENT)
    if avoid_col is None:
        add("review_column_missing", label=COL_AVOID)
        return []

    def value(r: int, c: int | None) -> Any:
        if c is None or r >= len(cells) or c >= len(cells[r]):
            return None
        return cells[r][c]

    expected_ids = [r[0] for r in spec.rows]
    watched = [columns[l] for l in IDENTITY_COLUMNS] + [columns[i] for i, _ in spec.items] + [avoid_col]
    if comment_col is not None:
        watched.append(comment_col)
    last = h
    for r in range(h + 1, len(cells)):
        if any(clean_text(value(r, c)) for c in watched):
            last = r

    records: list[ScoreRecord] = []
    missing: list[str] = []
    id_col, name_col, city_col = (columns[l] for l in IDENTITY_COLUMNS)
    for j, (app_id, applicant, city) in enumerate(spec.rows):
        r = h + 1 + j
        excel_row = r + 1
        got_id = clean_text(value(r, id_col))
        if not any(clean_text(value(r, c)) for c in watched):
            add("review_row_removed", cell=cell_address(excel_row, id_col), row=excel_row, field_=COL_APP_ID,
                expected=f"{applicant}（{app_id}）")
            continue
        if got_id != app_id:
            rule = "review_row_moved" if got_id in expected_ids else "review_cell_edited"
            add(rule, cell=cell_address(excel_row, id_col), row=excel_row, field_=COL_APP_ID,
                label=COL_APP_ID, value=got_id, expected=app_id)
            continue
        for label, c, want in ((COL_APPLICANT, name_col, applicant), (COL_CITY, city_col, city)):
            got = clean_text(value(r, c))
            if got != want:
                add("review_cell_edited", cell=cell_address(excel_row, c), row=excel_row, field_=label,
                    label=label, value=got, expected=want)
        raw_avoid = value(r, avoid_col)
        try:
            avoided = to_yes_no(raw_avoid) == "是"
        except NormalizeError:
            add("review_avoid_value", cell=cell_address(excel_row, avoid_col), row=excel_row, field_=COL_AVOID,
                value=clean_text(raw_avoid))
            continue
        comment = clean_text(value(r, comment_col))
        for item, maximum in spec.items:
            c = columns[item]
            raw = value(r, c)
            address = cell_address(excel_row, c)
            if avoided:
                records.append(ScoreRecord(issued.expert_id, issued.expert_name, app_id, spec.award_name,
                                           applicant, item, None, True, comment))
                continue
            try:
                score = to_number(raw)
            except NormalizeError:
                score = math.nan
            if score is None:
                missing.append(address)
                continue
            if not (0 <= score <= maximum) or not float(score * 2).is_integer():
                add("review_score_range", cell=address, row=excel_row, field_=item,
                    label=item_header(item, maximum), max=f"{maximum:g}", value=clean_text(raw))
                continue
            records.append(ScoreRecord(issued.expert_id, issued.expert_name, app_id, spec.award_name,
                                       applicant, item, float(score), False, comment))
    for r in range(h + 1 + len(spec.rows), last + 1):
        shown = clean_text(value(r, id_col)) or clean_text(value(r, name_col)) or "（无编号）"
        add("review_row_added", cell=cell_address(r + 1, id_col), row=r + 1, field_=COL_APP_ID, value=shown)
    if missing:
        add("review_scores_missing", cell=missing[0], count=len(missing), cells="、".join(missing))
    return records


# --------------------------------------------------------------------------------------
# Lenient / harsh view
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertStat:
    expert_id: str
    expert_name: str
    award_name: str
    count: int  # applications scored (回避 not counted)
    mean: float | None  # mean of the expert's totals
    spread: float | None  # population standard deviation of the expert's totals
    low: float | None
    high: float | None
    deviation: float | None  # mean over the expert's applications of (own total - all experts' mean total)


def application_totals(records: Iterable[ScoreRecord]) -> dict[tuple[str, str], float]:
    """(expert id, app id) -> sum of rubric items; applications marked 回避 are left out."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for rec in records:
        if not rec.avoided and rec.score is not None:
            totals[(rec.expert_id, rec.app_id)] += rec.score
    return dict(totals)


def expert_summary(records: Sequence[ScoreRecord]) -> list[ExpertStat]:
    """Per expert and award: count, mean, spread, and how far the expert sits from the panel.

    ``deviation`` > 0: more lenient than the other reviewers of the same applications;
    < 0: harsher.  An application's panel mean is the mean total over every expert who scored it.
    """
    totals = application_totals(records)
    names: dict[str, str] = {}
    award_of: dict[str, str] = {}
    for rec in records:
        names[rec.expert_id] = rec.expert_name
        award_of[rec.app_id] = rec.award_name
    by_app: dict[str, list[float]] = defaultdict(list)
    for (eid, aid), total in totals.items():
        by_app[aid].append(total)
    app_mean = {aid: sum(v) / len(v) for aid, v in by_app.items()}
    groups: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for (eid, aid), total in totals.items():
        groups[(eid, award_of[aid])].append((aid, total))
    for rec in records:  # experts who only marked 回避 still get a line
        groups.setdefault((rec.expert_id, rec.award_name), [])
    stats = []
    for (eid, award), pairs in sorted(groups.items(), key=lambda kv: (_natural(kv[0][0]), kv[0][1])):
        values = [t for _, t in pairs]
        if values:
            mean = sum(values) / len(values)
            spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            deviation = sum(t - app_mean[aid] for aid, t in pairs) / len(pairs)
            stats.append(ExpertStat(eid, names[eid], award, len(values), mean, spread, min(values), max(values), deviation))
        else:
            stats.append(ExpertStat(eid, names[eid], award, 0, None, None, None, None, None))
    return stats

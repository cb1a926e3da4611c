"""Consolidation at the hub: intake workbooks + the hub's lists + the previous register -> the new
``申报汇总`` (pure core: no file I/O; ``xl_awards.jobs.consolidate`` reads and writes the files).

``consolidate(sources, hub, imported_at)`` takes the intake workbooks given in this run (each with
its SHA-256), the hub workbook as tables (``HubBook``: effective edition, 往年获奖, 禁评名单, the
existing register) and the import time, and returns the register rows to write, the findings,
and a summary per city and award.

Decisions (what the hub staff can rely on):

- **Submitter (报送单位).**  A workbook is sent by its city (the ``_参数`` city, else the one city
  named in its file name).  A county's own workbook (the same template, forwarded through the
  city) is told apart by a county name of that city in its file name (``长沙市_浏阳市.xlsx`` ->
  ``长沙市浏阳市``); a workbook without a city (an industrial-cluster platform's direct
  recommendation on the blank template) is ``直报：<file name>``.  The submitter is written in
  the register's ``报送单位`` column.
- **Replacement.**  A submitter's workbook given in this run replaces every register row of that
  submitter (a corrected file: changed rows updated, removed applicants gone, new ones added);
  the other submitters' rows are carried over as they are.  Two workbooks of the same submitter
  in one run are an error on both (``hub_same_source``) and neither is imported: the
  submitter's earlier rows stay.  Hub staff may pass every received file each time or only the
  corrected ones: the result is the same.
- **Every intake check again.**  The given workbooks go through ``check_books`` (what
  ``validate`` runs, with the hub's effective edition: 设置 overrides such as the deadline apply).
  Carried rows are not re-read (their files need not be given again); instead the register is
  their record: the cross-file checks — the same applicant in two submitters' files (by award +
  证件号码, a product by name + 统一社会信用代码) and more than the allowed 服务之星 per window
  platform — are run between the given rows and the carried rows from the register's own
  columns, and the carried rows' statuses are recomputed with them (an applicant whose duplicate
  in another city has been withdrawn becomes eligible again).
- **Hub-only checks**, on every row (given and carried): a 往年获奖 awardee of the same award
  from the edition's prior-award year (only the awards in ``prior_awards.valid_awards``) matched
  by award + 证件号码, or award + normalised name where the list has no number (a product: by name,
  confirmed by the number when the list has one) -> info, status ``2020年度获评有效``, not ranked;
  a 禁评名单 entry (by 证件号码, or by name where it has no number; a product also by its 申报单位)
  with 取消年度 + ``sanctions.bar_years`` > the edition year -> error, ``不符合条件``.
- **Late submissions**: the submission date is the row's 初审日期 (the date the city reviewed
  and stamped it; the file's own time stamps are unreliable after copying and mailing); after
  the edition's deadline it is a warning (rule ``review_after_deadline``, from the intake checks).
- **Status**, decided by the effect of each error (``messages.RULE_EFFECTS``): a 人工认定 row
  of the hub decides first (认定符合 / 补正后符合 -> ``待评审``, 认定不符合 -> ``不符合条件``); else
  barred -> ``不符合条件``; else a prior awardee -> ``2020年度获评有效``; else an *exclude* error
  (the notice's own conditions), or the city's ``不同意推荐``, -> ``不符合条件``; else a *decide*
  error (the same applicant twice, two stars of one platform) -> ``待定``; else a *correct* error
  (completeness and form) -> ``待补正`` (reviewed and ranked like ``待评审``; publicity waits for
  the hub); else ``待评审``.  ``判定依据`` lists the deciding findings, one per line:
  ``【申报表 K5】〔待补正〕…`` for the row's own workbook checks (kept while the row is carried;
  the effect label in 〔〕 is what a re-run reads back), ``【汇总核对】…`` for the cross-file and
  hub checks and ``【人工认定】…`` for the hub's decision (both recomputed on every run, so a
  decision survives re-consolidation as long as its 人工认定 row stays).
- **申报编号** is the hub's: ``<prefix>-<nnn>`` per award (prefixes in the edition's
  ``register.id_prefixes``).  The same application (award + 身份证号码 / 统一社会信用代码 /
  product name + code; by name when the number is blank) keeps its number on every re-run; a new
  one takes the next number after the highest in the previous register.  Numbers are never
  taken over from a carried row of another submitter.
- **导入时间** of a row stays as it was when its source file is unchanged (same SHA-256), so
  importing the same file twice changes nothing in the register.
- **Findings reported** in a run: the intake findings of the given workbooks, the hub's own
  findings (设置), and the hub checks of the given rows; a carried row's findings are reported
  again only when they name a given row (the rest only shows in its status).
- **Cities that sent nothing**: the edition's cities without a row in the register and without a
  workbook in this run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterable, Sequence

from xl_awards.base import messages, normalize as nz
from xl_awards.intake.checked_row import CheckedRow
from xl_awards.intake.cross import list_others
from xl_awards.edition import INTAKE_AWARD_KEYS, Edition
from xl_awards.base.findings import ERROR, INFO, WARNING, Finding
from xl_awards.hub.hub_book import HubBook
from xl_awards.intake.intake_book import IntakeBook, intake_schema
from xl_awards.schema import hub as H
from xl_awards.intake.validation import EachFile, check_books, order_findings

OWN_TAG = "【申报表"  # 判定依据 line from the row's own workbook: 【申报表 K5】〔待补正〕message
HUB_TAG = "【汇总核对】"  # 判定依据 line from the cross-file and hub checks (recomputed every run)
DECISION_TAG = "【人工认定】"  # 判定依据 line of the hub's 人工认定 (recomputed every run)
EFFECT_MARK = "〔{label}〕"
DIRECT = "直报"
DIRECT_GROUP = "直报省枢纽平台"  # summary group of workbooks without a city
CROSS_RULES = frozenset({"duplicate_applicant", "star_platform_duplicate"})
DECIDING_WARNINGS = frozenset({"city_not_recommended"})  # the city did not recommend it
ID_KEYS = {"star": "id_number", "institution": "uscc", "expert": "id_number", "product": "uscc"}
UNIT_KEYS = {"star": "platform", "expert": "employer", "product": "unit"}

# Register columns that describe the application (the rest: number, status, reasons, import time).
ENTRY_KEYS = ("award", "name", "id_code", "unit", "platform_type", "city", "county", "prelim_date",
              "submitter", "source_file", "source_sha256", "source_sheet", "source_row")


@dataclass(frozen=True)
class Source:
    """An intake workbook given in this run, with its file's SHA-256."""

    book: IntakeBook
    sha256: str


@dataclass
class Entry:
    """One application in the register (from a given workbook, or carried over from the register)."""

    award: str | None  # edition award key (None: a hand-made register row with an unknown award)
    values: dict[str, Any]  # register values of ENTRY_KEYS
    carried: bool
    row: CheckedRow | None = None  # the checked row, for a given entry
    app_id: str = ""
    imported_at: str | None = None
    own_lines: list[str] = field(default_factory=list)
    hub_lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # this run's findings about the entry
    hub_error: bool = False
    hub_effects: set[str] = field(default_factory=set)  # effects of this run's cross-file and hub errors
    decision: str = ""  # the hub's 人工认定 决定, when one applies
    prior: bool = False
    barred: bool = False
    status: str = ""
    old_status: str = ""  # carried: as read (kept for an unknown award)

    @property
    def name(self) -> str:
        return self.values.get("name") or ""

    @property
    def code(self) -> str:
        return nz.to_code(self.values.get("id_code"))

    @property
    def submitter(self) -> str:
        return self.values.get("submitter") or ""

    @property
    def file(self) -> str:
        return self.values.get("source_file") or ""

    @property
    def sheet(self) -> str:
        return self.values.get("source_sheet") or ""

    @property
    def source_row(self) -> int | None:
        return self.values.get("source_row")

    def identity(self) -> tuple | None:
        """What makes two rows the same application (as the intake duplicate check sees it)."""
        code = self.code
        if self.award == "product":
            name = nz.normalize_name(self.name)
            return (name, code) if name and code else None
        return (code,) if code else None

    def number_key(self) -> tuple:
        identity = self.identity()
        if identity is not None:
            return (self.award, identity)
        return (self.award, "名称", nz.normalize_name(self.name))

    def where(self) -> str:
        text = f"{self.file}“{self.sheet}”第{self.source_row}行"
        if self.carried and self.app_id:
            text += f"，申报汇总编号{self.app_id}"
        return text


@dataclass(frozen=True)
class SummaryLine:
    group: str  # 市州 name, or DIRECT_GROUP
    award: str  # award name
    received: int
    pending: int
    ineligible: int
    prior: int
    errors: int
    warnings: int
    infos: int
    imported_now: bool  # some of the rows came from a workbook given in this run
    to_correct: int = 0  # 待补正
    undecided: int = 0  # 待定


@dataclass
class Consolidation:
    register: list[dict[str, Any]]  # 申报汇总 rows, in order, keyed by register field key
    findings: list[Finding]  # reported findings, reading order
    entries: list[Entry]
    imported: list[Source]
    rejected: list[Source]  # same submitter twice in one run: not imported
    summary: list[SummaryLine]
    silent_cities: list[str]
    statuses: tuple[str, str, str]
    edition: Edition  # the effective edition (preset + the hub's 设置)

    submitters: dict[int, str] = field(default_factory=dict)  # id(book) -> its submitter

    def entries_of(self, source: Source) -> list[Entry]:
        """The register entries read from ``source`` in this run."""
        if not hasattr(self, "_by_book"):
            self._by_book: dict[int, list[Entry]] = defaultdict(list)
            for e in self.entries:
                if e.row is not None:
                    self._by_book[id(e.row.book)].append(e)
        return self._by_book.get(id(source.book), [])

    def submitter(self, source: Source) -> str:
        return self.submitters[id(source.book)]

    def findings_of(self, file_name: str) -> list[Finding]:
        return [f for f in self.findings if f.file == file_name]

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


# -- submitters ----------------------------------------------------------------------------
def submitter_of(book: IntakeBook, edition: Edition) -> str:
    """``长沙市``, ``长沙市浏阳市`` (a county's workbook, told by its file name) or ``直报：<file>``."""
    name = Path(book.file_name).name
    if not book.city:
        return f"{DIRECT}：{name}"
    stem = nz.clean_text(Path(name).stem)
    hits = [c for c in edition.divisions.counties(book.city) if c in stem]
    hits = [c for c in hits if not any(c != other and c in other for other in hits)]
    return book.city + hits[0] if len(hits) == 1 else book.city


def submitter_city(submitter: str, edition: Edition) -> str | None:
    for city in edition.divisions.cities:  # city_names' order, without its list (twice per entry)
        if submitter.startswith(city):
            return city
    return None


# -- building entries ----------------------------------------------------------------------
def _text(value: Any) -> str | None:
    """A register cell as text, as written (no folding: rewriting a carried row must not change it)."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def same_submitter_key(submitter: str) -> str:
    """Submitters compared after normalisation (a full-width colon typed or folded is the same)."""
    return nz.normalize_name(submitter)


def _int(value: Any) -> int | None:
    try:
        return nz.to_int(value)
    except ValueError:  # NormalizeError is a ValueError
        return None


def _date(value: Any):
    try:
        return nz.to_date(value)
    except ValueError:  # a hand-edited cell: keep nothing rather than fail
        return None


_BASE_NAMES: dict[str, str] = {}


def _base_name(file_name: str) -> str:
    """``Path(file_name).name``, worked out once per file (every entry of a file names it)."""
    name = _BASE_NAMES.get(file_name)
    if name is None:
        if len(_BASE_NAMES) > 4096:
            _BASE_NAMES.clear()
        name = _BASE_NAMES[file_name] = Path(file_name).name
    return name


def _given_entry(row: CheckedRow, source: Source, submitter: str, edition: Edition) -> Entry:
    award = row.table.schema.award_key
    v, raw = row.values, row.raw

    def value(key: str | None) -> Any:
        if key is None:
            return None
        clean = v.get(key)
        return clean if clean not in (None, "") else _text(raw.get(key))

    id_key = ID_KEYS[award]
    values = {
        "award": edition.award_name(award),
        "name": value("name"),
        "id_code": v.get(id_key) or nz.to_code(raw.get(id_key)) or None,
        "unit": value(UNIT_KEYS.get(award)),
        "platform_type": value("platform_type") if award == "star" else None,
        "city": value("city") or row.book.city,
        "county": value("county"),
        "prelim_date": v.get("prelim_date"),
        "submitter": submitter,
        "source_file": _base_name(row.book.file_name),
        "source_sha256": source.sha256,
        "source_sheet": row.sheet,
        "source_row": row.row,
    }
    return Entry(award=award, values=values, carried=False, row=row)


def _carried_entry(raw: dict[str, Any], edition: Edition) -> Entry:
    award = edition.award_key_by_name(nz.clean_text(raw.get("award")))
    values = {key: _text(raw.get(key)) for key in ENTRY_KEYS}
    values["prelim_date"] = _date(raw.get("prelim_date"))
    values["source_row"] = _int(raw.get("source_row"))
    values["id_code"] = nz.to_code(raw.get("id_code")) or None
    if not values["submitter"]:  # a register written before the 报送单位 column
        values["submitter"] = values["city"] or f"{DIRECT}：{values['source_file'] or ''}"
    reasons = [line.strip() for line in (_text(raw.get("reasons")) or "").splitlines() if line.strip()]
    entry = Entry(award=award if award in INTAKE_AWARD_KEYS else None, values=values, carried=True,
                  app_id=nz.clean_text(raw.get("app_id")), imported_at=_text(raw.get("imported_at")),
                  old_status=nz.clean_text(raw.get("status")))
    entry.own_lines = [line for line in reasons if not line.startswith((HUB_TAG, DECISION_TAG))]
    if entry.award is None:
        entry.hub_lines = [line for line in reasons if line.startswith(HUB_TAG)]
    return entry


# -- findings onto entries --------------------------------------------------------------------
def _deciding(f: Finding) -> bool:
    return f.severity == ERROR or f.rule in DECIDING_WARNINGS


def _line_effect_of(f: Finding) -> str:
    """The effect a 判定依据 line records: the rule's, and *exclude* for the city's 不同意推荐."""
    return messages.EXCLUDE if f.rule in DECIDING_WARNINGS else f.effect


def _own_line(f: Finding, entry: Entry) -> str:
    where = f.cell or (f"第{f.row}行" if f.row else "")
    if f.sheet and f.sheet != entry.sheet:
        where = f"{f.sheet} {where}".strip()
    mark = EFFECT_MARK.format(label=messages.EFFECT_LABELS[_line_effect_of(f)])
    return f"{OWN_TAG} {where}】{mark}{f.message}" if where else f"{OWN_TAG}】{mark}{f.message}"


def line_effect(line: str) -> str:
    """The effect recorded in an own 判定依据 line; a line without one (a register written before
    effects existed) reads as *correct*: the reading that excludes nobody."""
    by_label = {EFFECT_MARK.format(label=label): effect for effect, label in messages.EFFECT_LABELS.items()}
    head, _, rest = line.partition("】")
    for mark, effect in by_label.items():
        if rest.startswith(mark):
            return effect
    return messages.CORRECT


def _add(entry: Entry, f: Finding) -> None:
    entry.findings.append(f)
    if f.rule in CROSS_RULES or f.rule.startswith("hub_"):
        if f.severity == ERROR:
            entry.hub_error = True
            entry.hub_effects.add(f.effect)
        if _deciding(f) or f.rule == "hub_prior_award":
            entry.hub_lines.append(HUB_TAG + f.message)
    elif _deciding(f):
        entry.own_lines.append(_own_line(f, entry))


def _attach_intake_findings(findings: Sequence[Finding], given: Sequence[Entry], recipients: Sequence[CheckedRow],
                            edition: Edition) -> None:
    """Each intake finding onto the applications it concerns: its row; a 服务对象情况 row's applicant;
    every row of the sheet (sheet-level) or of the file (file-level)."""
    if not findings:
        return
    wanted = {(f.file, f.sheet, f.row) for f in findings}  # the recipient rows looked up are these only
    looked_up = [r for r in recipients if (r.book.file_name, r.sheet, r.row) in wanted]
    by_row = {(e.row.book.file_name, e.sheet, e.row.row): e for e in given}
    by_sheet: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    by_file: dict[str, list[Entry]] = defaultdict(list)
    by_name: dict[tuple[int, str, str], list[Entry]] = defaultdict(list)
    for e in given:
        by_sheet[(e.row.book.file_name, e.sheet)].append(e)
        by_file[e.row.book.file_name].append(e)
        if looked_up:
            by_name[(id(e.row.book), e.award, nz.normalize_name(e.name))].append(e)
    headers = {(e.row.book.file_name, e.sheet): e.row.table.header_row for e in given}
    for r in recipients:
        headers[(r.book.file_name, r.sheet)] = r.table.header_row
    by_recipient: dict[tuple[str, str, int], list[Entry]] = {}
    for r in looked_up:
        award = edition.award_key_by_name(r.values.get("award") or "")
        name = nz.normalize_name(r.values.get("applicant") or r.raw.get("applicant"))
        by_recipient[(r.book.file_name, r.sheet, r.row)] = by_name.get((id(r.book), award, name), [])
    for f in findings:
        key = (f.file, f.sheet, f.row)
        if key in by_row:
            targets = [by_row[key]]
        elif key in by_recipient:
            targets = by_recipient[key]
        elif f.sheet and (f.row is None or f.row <= headers.get((f.file, f.sheet), 0)):
            targets = by_sheet.get((f.file, f.sheet), [])
        elif not f.sheet:
            targets = by_file.get(f.file, [])
        else:
            targets = []
        for entry in targets:
            _add(entry, f)


def _finding(entry: Entry, rule: str, key: str | None, edition: Edition, **values: Any) -> Finding:
    if entry.row is not None:
        return entry.row.finding(rule, key, **values)
    label = ""
    if key and entry.award:
        schema = {s.award_key: s for s in intake_schema(edition) if s.award_key}[entry.award]
        label = schema.field(key).label
    return messages.finding_at(rule, file=entry.file, sheet=entry.sheet, at_row=entry.source_row, field=label,
                               label=label, **values)


# -- cross-file checks with the carried rows -------------------------------------------------
def _check_against_carried(entries: Sequence[Entry], edition: Edition) -> list[tuple[Entry, Finding, bool]]:
    """Duplicates and 服务之星 per platform in groups that hold a carried row.

    Pairs of given rows are the intake checks' (already reported); here a given row names the
    carried rows of its group, a carried row names every other row.  Returns (entry, finding,
    reported) — a carried row's finding is reported when its group holds a given row."""
    out: list[tuple[Entry, Finding, bool]] = []

    def flag(group: list[Entry], rule: str, key_of, **values_of) -> None:
        if not any(e.carried for e in group):
            return
        has_given = any(not e.carried for e in group)
        for e in group:
            others = [o for o in group if o is not e and (e.carried or o.carried)]
            if not others:
                continue
            values = {k: fn(e) for k, fn in values_of.items()}
            f = _finding(e, rule, key_of(e), edition, other=list_others([o.where() for o in others]), **values)
            out.append((e, f, has_given))

    duplicates: dict[tuple, list[Entry]] = defaultdict(list)
    platforms: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.award is None:
            continue
        identity = e.identity()
        if identity is not None:
            duplicates[(e.award, identity)].append(e)
        if e.award == "star" and e.values.get("unit"):
            platforms[nz.normalize_name(e.values["unit"])].append(e)
    for (award, _), group in duplicates.items():
        if len(group) > 1:
            flag(group, "duplicate_applicant", lambda e: ID_KEYS[e.award],
                 name=lambda e: e.name, award=lambda e: edition.award_name(e.award))
    limit = edition.award("star")["max_per_platform"]
    for group in platforms.values():
        if len(group) > limit:
            flag(group, "star_platform_duplicate", lambda e: "platform", platform=lambda e: e.values["unit"])
    return out


# -- hub lists -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Listed:
    row: int
    name: str  # normalised
    code: str  # to_code, may be ""
    year: int | None
    reason: str = ""
    award: str | None = None


def _prior_list(hub: HubBook, edition: Edition) -> dict[str, list[_Listed]]:
    prior = edition.data["prior_awards"]
    valid = set(prior.get("valid_awards", ()))
    out: dict[str, list[_Listed]] = defaultdict(list)
    for row_number, raw in hub.rows(H.PRIOR_SHEET):
        award = edition.award_key_by_name(nz.clean_text(raw.get("award")))
        year = _int(raw.get("year"))
        name = nz.normalize_name(raw.get("name")) if raw.get("name") is not None else ""
        if award in valid and year == int(prior["year"]) and name:
            out[award].append(_Listed(row_number, name, nz.to_code(raw.get("id_code")), year, award=award))
    return out


def _barred_list(hub: HubBook) -> list[_Listed]:
    out = []
    for row_number, raw in hub.rows(H.BARRED_SHEET):
        name = nz.normalize_name(raw.get("name")) if raw.get("name") is not None else ""
        code = nz.to_code(raw.get("id_code"))
        if name or code:
            out.append(_Listed(row_number, name, code, _int(raw.get("year")), nz.clean_text(raw.get("reason"))))
    return out


def _check_prior(e: Entry, prior: dict[str, list[_Listed]], edition: Edition) -> list[Finding]:
    if not prior.get(e.award):
        return []
    name, code = nz.normalize_name(e.name), e.code
    award_name = edition.award_name(e.award)
    year = edition.data["prior_awards"]["year"]
    out = []
    for item in prior.get(e.award, ()):
        if e.award == "product" or not item.code:
            matched = item.name == name and (not item.code or item.code == code)
        else:
            matched = bool(code) and item.code == code
        if matched:
            e.prior = True
            return [_finding(e, "hub_prior_award", ID_KEYS[e.award], edition, name=e.name, year=year, award=award_name,
                             row=item.row)]
        if item.name == name and item.code and item.code != code:
            out.append(_finding(e, "hub_prior_mismatch", ID_KEYS[e.award], edition, name=e.name, row=item.row,
                                value=item.code))
    return out


def _check_barred(e: Entry, barred: list[_Listed], edition: Edition) -> list[Finding]:
    if not barred:
        return []
    bar_years = int(edition.data["sanctions"]["bar_years"])
    names = {nz.normalize_name(e.name)}
    if e.award == "product" and e.values.get("unit"):
        names.add(nz.normalize_name(e.values["unit"]))
    names.discard("")
    for item in barred:
        matched = (item.code == e.code) if item.code else (item.name in names)
        if not matched or item.year is None or item.year + bar_years <= edition.year:
            continue
        e.barred = True
        reason = f"：{item.reason}" if item.reason else ""
        return [_finding(e, "hub_barred", ID_KEYS[e.award], edition, name=e.name, row=item.row, year=item.year,
                         reason=reason, last=item.year + bar_years - 1)]
    return []


# -- numbers ---------------------------------------------------------------------------------
def _number(app_id: str, prefix: str) -> int | None:
    m = _number_pattern(prefix).fullmatch(app_id or "")
    return int(m.group(1)) if m else None


@lru_cache(maxsize=64)
def _number_pattern(prefix: str) -> re.Pattern:
    return re.compile(re.escape(prefix) + r"-(\d+)")


def _assign_numbers(entries: Sequence[Entry], previous: Sequence[Entry], replaced: set[str], edition: Edition,
                    imported_at: str) -> None:
    """Given entries: the number their application had in the previous register (among the rows of
    the replaced submitters), else the next one of the award after the highest in the previous
    register.  Carried entries keep theirs."""
    register = edition.data["register"]
    prefixes, digits = register["id_prefixes"], int(register.get("id_digits", 3))
    taken = {e.app_id for e in entries if e.carried and e.app_id}
    pool: dict[tuple, list[Entry]] = defaultdict(list)
    for old in previous:
        if (old.award is not None and old.app_id and old.app_id not in taken
                and same_submitter_key(old.submitter) in replaced):
            pool[old.number_key()].append(old)
    highest = {award: 0 for award in prefixes}
    for old in previous:
        for award, prefix in prefixes.items():
            n = _number(old.app_id, prefix)
            if n is not None:
                highest[award] = max(highest[award], n)
    for e in entries:
        if e.carried:
            continue
        candidates = pool.get(e.number_key())
        if candidates:
            old = candidates.pop(0)
            e.app_id = old.app_id
            same_file = old.values.get("source_sha256") == e.values.get("source_sha256")
            e.imported_at = old.imported_at if same_file and old.imported_at else imported_at
        else:
            highest[e.award] += 1
            e.app_id = f"{prefixes[e.award]}-{highest[e.award]:0{digits}d}"
            e.imported_at = imported_at


def _order_key(e: Entry, edition: Edition) -> tuple:
    if e.award is None:
        return (len(INTAKE_AWARD_KEYS), 0, e.app_id)
    n = _number(e.app_id, edition.data["register"]["id_prefixes"][e.award])
    return (INTAKE_AWARD_KEYS.index(e.award), n if n is not None else 10 ** 9, e.app_id)


# -- the whole --------------------------------------------------------------------------------
def consolidate(sources: Sequence[Source], hub: HubBook, imported_at: str, each_file: EachFile | None = None) -> Consolidation:
    """The new register from the given workbooks, the hub's lists and the previous register."""
    edition = hub.edition
    pending, ineligible, prior_status = statuses = H.register_statuses(edition)

    # 1. submitters; the same one twice in this run is not imported
    submitters = {id(source.book): submitter_of(source.book, edition) for source in sources}
    by_submitter: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        by_submitter[same_submitter_key(submitters[id(source.book)])].append(source)
    imported, rejected, findings = [], [], list(hub.findings)
    for source in sources:
        submitter = submitters[id(source.book)]
        group = by_submitter[same_submitter_key(submitter)]
        if len(group) == 1:
            imported.append(source)
            continue
        rejected.append(source)
        others = "、".join(Path(o.book.file_name).name for o in group if o is not source)
        findings.append(messages.finding("hub_same_source", file=source.book.file_name, other=others,
                                         source=submitter))
    replaced = {same_submitter_key(submitters[id(s.book)]) for s in imported}

    # 2. the previous register: replaced submitters' rows go, the others are carried
    previous = [_carried_entry(raw, edition) for _, raw in hub.register]
    carried = [e for e in previous if same_submitter_key(e.submitter) not in replaced]

    # 3. every intake check on the given workbooks
    books = [s.book for s in imported]
    checked = check_books(books, edition, each_file)
    given: list[Entry] = []
    sha = {id(s.book): s for s in imported}
    for row in checked.applicants:
        source = sha[id(row.book)]
        given.append(_given_entry(row, source, submitters[id(row.book)], edition))
    _attach_intake_findings(checked.findings, given, checked.recipients, edition)
    findings.extend(checked.findings)

    entries = carried + given
    _assign_numbers(entries, previous, replaced, edition, imported_at)

    # 4. cross-file checks with the carried rows, then the hub's lists
    for entry, f, reported in _check_against_carried(entries, edition):
        _add(entry, f)
        if reported or not entry.carried:
            findings.append(f)
    prior_list, barred_list = _prior_list(hub, edition), _barred_list(hub)
    for e in entries:
        if e.award is None:
            continue
        for f in _check_barred(e, barred_list, edition) + _check_prior(e, prior_list, edition):
            _add(e, f)
            if not e.carried:
                findings.append(f)

    # 5. the hub's 人工认定, statuses and the register rows
    findings.extend(apply_decisions(hub, entries, edition))
    for e in entries:
        e.status = entry_status(e, statuses)
    entries.sort(key=lambda e: _order_key(e, edition))
    register = [_register_row(e) for e in entries]

    files = [SimpleNamespace(file_name=s.book.file_name) for s in sources]
    files += [SimpleNamespace(file_name=name) for name in dict.fromkeys(e.file for e in carried)]
    ordered = order_findings(findings, files, edition)
    summary = _summary(entries, edition, statuses)
    sent = {submitter_city(e.submitter, edition) for e in entries} | {s.book.city for s in sources}
    silent = [c for c in edition.divisions.city_names if c not in sent]
    return Consolidation(register=register, findings=ordered, entries=entries, imported=imported, rejected=rejected,
                         summary=summary, silent_cities=silent, statuses=statuses, edition=edition,
                         submitters=submitters)


def entry_effects(e: Entry) -> set[str]:
    """Effects of the errors deciding an entry: its own lines (as recorded) and this run's hub checks."""
    return {line_effect(line) for line in e.own_lines if line.startswith(OWN_TAG)} | e.hub_effects


def entry_status(e: Entry, statuses: tuple[str, str, str]) -> str:
    pending, ineligible, prior_status = statuses
    if e.award is None:
        return e.old_status
    if e.decision:
        return ineligible if e.decision == H.DECISION_INELIGIBLE else pending
    if e.barred:
        return ineligible
    if e.prior:
        return prior_status
    effects = entry_effects(e)
    if messages.EXCLUDE in effects:
        return ineligible
    if messages.DECIDE in effects:
        return H.STATUS_UNDECIDED
    if effects:
        return H.STATUS_TO_CORRECT
    return pending


@dataclass(frozen=True)
class Decision:
    """A valid 人工认定 row."""

    row: int
    app_id: str
    decision: str
    reason: str
    decided_by: str
    date: str

    def line(self) -> str:
        who = "，".join(x for x in (self.decided_by, self.date) if x)
        return f"{DECISION_TAG}{self.decision}：{self.reason}" + (f"（{who}）" if who else "")


def _date_text(value: Any) -> str:
    date = _date(value)
    return date.isoformat() if date else nz.clean_text(value)


def read_decisions(hub: HubBook, known_ids: Iterable[str]) -> tuple[dict[str, Decision], list[Finding]]:
    """The 人工认定 rows: 申报编号 -> its decision (a later row for the same number wins), and the
    findings for rows not used (no reason, an unknown 申报编号 or 决定)."""
    known = set(known_ids)
    table = hub.table(H.DECISIONS_SHEET)
    sheet = table.sheet_name if table else H.DECISIONS_SHEET
    decisions: dict[str, Decision] = {}
    findings: list[Finding] = []

    def bad(rule: str, row: int, key: str, **values: Any) -> None:
        label = {f.key: f.label for f in table.schema.fields}[key]
        findings.append(Finding(rule=rule, severity=messages.rule_severity(rule),
                                message=messages.rule_message(rule, row=row, **values), file=hub.file_name,
                                sheet=sheet, cell=table.cell(row, key), row=row, field=label))

    for row, raw in hub.rows(H.DECISIONS_SHEET):
        app_id = nz.clean_text(raw.get("app_id"))
        decision = re.sub(r"\s+", "", nz.clean_text(raw.get("decision")))
        reason = nz.clean_text(raw.get("reason"))
        shown = app_id or "（空白）"
        if app_id not in known:
            bad("decision_unknown_app", row, "app_id", id=shown)
        elif decision not in H.DECISIONS:
            bad("decision_invalid", row, "decision", id=shown, value=decision or "（空白）", choices="、".join(H.DECISIONS))
        elif not reason:
            bad("decision_no_reason", row, "reason", id=shown)
        else:
            decisions[app_id] = Decision(row, app_id, decision, reason, nz.clean_text(raw.get("decided_by")),
                                         _date_text(raw.get("date")))
    return decisions, findings


def apply_decisions(hub: HubBook, entries: Sequence[Entry], edition: Edition) -> list[Finding]:
    """Each valid 人工认定 onto its entry (status and 判定依据); returns the findings to report."""
    decisions, findings = read_decisions(hub, (e.app_id for e in entries if e.app_id))
    for e in entries:
        d = decisions.get(e.app_id)
        if d is None or e.award is None:
            continue
        e.decision = d.decision
        e.hub_lines.append(d.line())
        f = _finding(e, "decision_applied", None, edition, name=e.name, id=e.app_id, decision=d.decision,
                     reason=d.reason, who=d.decided_by or "未填", date=d.date or "未填日期")
        e.findings.append(f)
        findings.append(f)
    return findings


def _dedupe(lines: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def _register_row(e: Entry) -> dict[str, Any]:
    reasons = _dedupe([*e.own_lines, *e.hub_lines])
    return {"app_id": e.app_id, **e.values, "status": e.status, "reasons": "\n".join(reasons) or None,
            "imported_at": e.imported_at}


def _summary(entries: Sequence[Entry], edition: Edition, statuses: tuple[str, str, str]) -> list[SummaryLine]:
    pending, ineligible, prior = statuses
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        city = submitter_city(e.submitter, edition) or DIRECT_GROUP
        groups[(city, e.values.get("award") or "")].append(e)
    city_order = {c: i for i, c in enumerate([*edition.divisions.city_names, DIRECT_GROUP])}
    award_order = {edition.award_name(k): i for i, k in enumerate(INTAKE_AWARD_KEYS)}
    lines = []
    for (city, award), group in sorted(groups.items(), key=lambda kv: (city_order.get(kv[0][0], 99),
                                                                       award_order.get(kv[0][1], 99))):
        found = set()
        for e in group:
            found.update(e.findings)
        lines.append(SummaryLine(
            group=city, award=award, received=len(group),
            pending=sum(e.status == pending for e in group), ineligible=sum(e.status == ineligible for e in group),
            prior=sum(e.status == prior for e in group),
            errors=sum(f.severity == ERROR for f in found), warnings=sum(f.severity == WARNING for f in found),
            infos=sum(f.severity == INFO for f in found), imported_now=any(not e.carried for e in group),
            to_correct=sum(e.status == H.STATUS_TO_CORRECT for e in group),
            undecided=sum(e.status == H.STATUS_UNDECIDED for e in group),
        ))
    return lines

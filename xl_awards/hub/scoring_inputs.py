"""Hub tables -> the scoring core's inputs (pure glue, no file I/O).

``ranking_inputs(hub)`` reads a ``HubBook`` (``xl_awards.io.hub.read_hub``):

- applications from ``申报汇总`` by 申报类别: 待评审 are ranked, ``2020年度获评有效`` become
  ``prior_award``, 不符合条件 become ineligible with the 判定依据 as reason;
- their expert scores from ``专家评分``: one row per expert and application (the sum of
  the rubric items), or several rows per pair (long form, one per rubric item), which
  are summed.  A score is not counted when 回避 = 是, when 计入 = 否 (a conflict found
  at collection), or when ``xl_awards.review.conflicts`` finds a conflict now (same
  unit, the applicant, a declared 回避单位 — the 专家库 may have changed since);
- scores follow the current ``评审分配`` (``xl_awards.review.coverage``): after expert-sheets
  is run again, a score counts only where the new assignment still pairs the same expert
  with the same application; every other score is listed (a warning) and left out, every
  assigned pair without a score is listed, and so are the experts whose workbooks are
  outstanding.  Without any 评审 row in 评审分配 every score counts;
- 官网备案得分 from ``官网备案`` (SPEC section 5): matched by award and 证件号码, or by
  award and name where no 证件号码 is given; products by name, confirmed by 证件号码
  (one unit may have several products).  A name and a number that point to different
  applications is an error finding and the record is not used;
- window platforms from ``窗口平台``.

``compute_ranking(hub)`` then runs the core (``rank_all``, ``sensitivity``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from xl_awards.base.findings import Finding
from xl_awards.base.messages import RANK_FLAGS, finding_at, rule_message, rule_severity
from xl_awards.base.normalize import NormalizeError, clean_text, normalize_name, to_code, to_number, to_yes_no
from xl_awards.hub.review_inputs import experts_from_hub, review_application
from xl_awards.review.people import CONFLICT_LABELS, Expert, ReviewApplication, conflicts
from xl_awards.review.coverage import Coverage, check_coverage
from xl_awards.schema.review import ASSIGNMENT_SHEET, ROLE_REVIEW
from xl_awards.schema import hub as H
from xl_awards.scoring import (
    Application,
    ExpertScore,
    Platform,
    RankingInput,
    RankingResult,
    ScoringSettings,
    Sensitivity,
    rank_all,
    sensitivity,
)
from xl_awards.scoring.categories import REVIEWED_CATEGORIES as REVIEWED, WEIGHTED_CATEGORIES as PORTAL_AWARDS
# The sheet a core finding is about (the core does not know sheets).
CORE_RULE_SHEETS = {
    "rank_portal_missing": H.PORTAL_SHEET,
    "rank_too_few_scores": H.SCORES_SHEET,
    "rank_tie_pending": H.RANKING_SHEET,
    "rank_window_metric_invalid": H.WINDOW_SHEET,
    "rank_window_type_unknown": H.WINDOW_SHEET,
}
EXPERT_ID_LABEL = "专家编号"



@dataclass
class RankingData:
    """The core's inputs plus what the sheet shows beside them."""

    inputs: RankingInput
    settings: ScoringSettings
    findings: list[Finding] = field(default_factory=list)
    units: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, 申报编号) -> 单位或平台
    expert_names: dict[str, str] = field(default_factory=dict)  # 专家编号 -> 姓名
    portal_rows: dict[str, int] = field(default_factory=dict)  # 申报编号 -> its 官网备案 row
    # (category, 申报编号) -> what 排名's 说明 column flags: 待补正 / 待定 not yet decided, or a 人工认定
    flags: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Ranking:
    data: RankingData
    result: RankingResult
    sensitivity: Sensitivity

    @property
    def findings(self) -> list[Finding]:
        """Glue findings first, then the core's (located in the hub file)."""
        return list(self.data.findings) + list(self.result.findings)


class _Findings:
    def __init__(self, hub):
        self.hub = hub
        self.file = hub.file_name
        self.items: list[Finding] = []

    def _cell(self, sheet: str, at_row: int | None, field_label: str) -> str:
        table = self.hub.table(sheet) if sheet else None
        if table is None or at_row is None:
            return ""
        key = next((f.key for f in table.schema.fields if f.label == field_label), None)
        return table.cell(at_row, key) if key else ""

    def add(self, rule: str, sheet: str = "", at_row: int | None = None, field_label: str = "", /,
            **values: Any) -> None:
        self.items.append(finding_at(rule, file=self.file, sheet=sheet, cell=self._cell(sheet, at_row, field_label),
                                     at_row=at_row, field=field_label, **values))


@dataclass
class _App:
    category: str
    app_id: str
    name: str
    id_code: str
    unit: str
    city: str
    county: str
    status: str  # pending / prior / ineligible
    reason: str
    row: int
    flag: str = ""  # 待补正 / 待定 / 人工认定, for the 排名 sheet's 说明


def _yes(value: Any) -> bool:
    try:
        return to_yes_no(value) == "是"
    except NormalizeError:
        return False


def _no(value: Any) -> bool:
    try:
        return to_yes_no(value) == "否"
    except NormalizeError:
        return False


def _number(value: Any) -> tuple[float | None, bool]:
    """(number, valid): blank -> (None, True); not a number -> (None, False)."""
    try:
        return to_number(value), True
    except NormalizeError:
        return None, False


def _register(hub, edition, found: _Findings) -> list[_App]:
    prior_status = H.prior_award_status(edition)
    apps: list[_App] = []
    seen: dict[str, int] = {}
    for excel_row, row in hub.register:
        award_name = clean_text(row.get("award"))
        category = edition.award_key_by_name(award_name)
        app_id = clean_text(row.get("app_id"))
        name = clean_text(row.get("name"))
        if category not in REVIEWED:
            found.add("rank_register_award", H.REGISTER_SHEET, excel_row, "申报类别", row=excel_row, value=award_name)
            continue
        if not app_id:
            found.add("rank_register_no_id", H.REGISTER_SHEET, excel_row, "申报编号", row=excel_row, name=name)
            continue
        if app_id in seen:
            found.add("rank_register_duplicate", H.REGISTER_SHEET, excel_row, "申报编号", row=excel_row,
                      id=app_id, other_row=seen[app_id])
            continue
        seen[app_id] = excel_row
        status_text = clean_text(row.get("status"))
        reasons = clean_text(row.get("reasons"))
        flag = ""
        if status_text == H.STATUS_PENDING:
            status = "pending"
        elif status_text in (H.STATUS_TO_CORRECT, H.STATUS_UNDECIDED):
            status = "pending"  # reviewed and ranked like 待评审; 排名 flags it and publicity waits for the hub
            flag = RANK_FLAGS["to_correct" if status_text == H.STATUS_TO_CORRECT else "undecided"]
        elif status_text == H.STATUS_INELIGIBLE:
            status = "ineligible"
        elif status_text == prior_status:
            status = "prior"
        else:
            found.add("rank_register_status", H.REGISTER_SHEET, excel_row, "状态", row=excel_row, name=name,
                      value=status_text, choices="、".join(H.register_statuses(edition)))
            status = "pending"
        apps.append(_App(category, app_id, name, clean_text(row.get("id_code")), clean_text(row.get("unit")),
                         clean_text(row.get("city")), clean_text(row.get("county")), status,
                         reasons or H.STATUS_INELIGIBLE, excel_row, flag))
    _apply_decisions(hub, apps, found)
    return apps


def _apply_decisions(hub, apps: list[_App], found: "_Findings") -> None:
    """The hub's 人工认定 rows (also applied by consolidate; applied here too so that a decision made
    after the last consolidation counts): 认定符合 / 补正后符合 rank the entry, 认定不符合 lists it as
    不符合条件; 排名 says the entry was decided by hand.  Rows not used are findings."""
    from xl_awards.hub.consolidation import read_decisions

    decisions, problems = read_decisions(hub, (a.app_id for a in apps))
    found.items.extend(problems)
    for app in apps:
        d = decisions.get(app.app_id)
        if d is None:
            continue
        if d.decision == H.DECISION_INELIGIBLE:
            app.status = "ineligible"
            app.reason = d.line()
        elif app.status == "ineligible" or app.flag:
            app.status = "pending"
        app.flag = RANK_FLAGS["decided"].format(decision=d.decision, reason=d.reason)


def _review_app(app: _App, edition) -> ReviewApplication:
    return review_application(app_id=app.app_id, award=app.category, name=app.name,
                              award_name=edition.award_name(app.category), id_code=app.id_code, unit=app.unit,
                              city=app.city)


def _scores(hub, apps: dict[str, _App], experts: dict[str, Expert], edition,
            found: _Findings) -> tuple[dict[str, list[ExpertScore]], dict[str, str]]:
    """申报编号 -> its expert scores; 专家编号 -> 姓名."""
    groups: dict[tuple[str, str], list[tuple[int, dict]]] = defaultdict(list)
    for excel_row, row in hub.rows(H.SCORES_SHEET):
        expert_id = clean_text(row.get("expert_id"))
        app_id = clean_text(row.get("app_id"))
        if not expert_id and not app_id:
            continue
        if app_id not in apps:
            found.add("rank_score_unknown_app", H.SCORES_SHEET, excel_row, "申报编号", row=excel_row,
                      id=app_id or "（空白）")
            continue
        groups[(expert_id, app_id)].append((excel_row, row))

    names = {e.expert_id: e.name for e in experts.values()}
    coverage = _coverage(hub, apps, groups, names, found)
    out: dict[str, list[ExpertScore]] = defaultdict(list)
    for (expert_id, app_id), rows in groups.items():
        app = apps[app_id]
        expert_name = clean_text(rows[0][1].get("expert_name")) or names.get(expert_id, "")
        names.setdefault(expert_id, expert_name)
        label = f"{expert_id} {expert_name}".strip()
        if not coverage.counts(expert_id, app_id):
            continue  # listed by _coverage: not in the current 评审分配
        recused = any(_yes(r.get("recused")) for _, r in rows)
        not_counted = any(_no(r.get("counted")) for _, r in rows)
        total, any_score, valid = 0.0, False, True
        for excel_row, r in rows:
            value, ok = _number(r.get("score"))
            if not ok or (value is not None and not 0 <= value <= edition.max_score):
                valid = False
                if not recused:
                    found.add("rank_score_invalid", H.SCORES_SHEET, excel_row, "评分", row=excel_row, expert=label,
                              name=app.name, id=app_id, value=clean_text(r.get("score")), max=f"{edition.max_score:g}")
                continue
            if value is not None:
                total += value
                any_score = True
        score = total if (any_score and valid) else None
        if score is not None and score > edition.max_score:
            found.add("rank_score_over", H.SCORES_SHEET, rows[0][0], "评分", expert=label, name=app.name,
                      id=app_id, value=f"{score:g}", count=len(rows), max=f"{edition.max_score:g}")
            score = None
        conflict = not_counted and not recused
        expert = experts.get(expert_id)
        if not recused and not conflict and expert is not None:
            kinds = conflicts(expert, _review_app(app, edition))
            if kinds:
                conflict = True
                found.add("rank_score_conflict", H.SCORES_SHEET, rows[0][0], "计入", expert=label, name=app.name,
                          id=app_id, kinds="、".join(CONFLICT_LABELS[k] for k in kinds))
        out[app_id].append(ExpertScore(expert_id=expert_id, score=score, recused=recused, conflict=conflict,
                                       expert_name=expert_name))
    return out, names


def _coverage(hub, apps: dict[str, _App], groups: dict[tuple[str, str], list[tuple[int, dict]]],
              names: dict[str, str], found: _Findings) -> Coverage:
    """The scores against the current 评审分配, each difference a finding (see the module docstring)."""
    assigned: dict[tuple[str, str], int] = {}
    for excel_row, row in hub.rows(ASSIGNMENT_SHEET):
        if clean_text(row.get("role")) != ROLE_REVIEW:
            continue
        pair = (clean_text(row.get("expert_id")), clean_text(row.get("app_id")))
        names.setdefault(pair[0], clean_text(row.get("expert_name")))
        assigned.setdefault(pair, excel_row)
    coverage = check_coverage(assigned, groups)
    edition = hub.edition

    def label(expert_id: str) -> str:
        return f"{expert_id} {names.get(expert_id, '')}".strip()

    for expert_id, app_id in coverage.stale:
        app = apps[app_id]
        rows = groups[(expert_id, app_id)]
        score = "、".join(clean_text(r.get("score")) for _, r in rows if clean_text(r.get("score"))) or "回避"
        found.add("rank_score_unassigned", H.SCORES_SHEET, rows[0][0], EXPERT_ID_LABEL, expert=label(expert_id),
                  award=edition.award_name(app.category), name=app.name, id=app_id, value=score)
    outstanding = {e: [a for a in ids if a in apps and apps[a].status == "pending"]
                   for e, ids in coverage.outstanding_by_expert().items()}
    outstanding = {e: ids for e, ids in outstanding.items() if ids}
    for expert_id, ids in outstanding.items():
        for app_id in ids:
            app = apps[app_id]
            found.add("rank_score_outstanding", ASSIGNMENT_SHEET, assigned[(expert_id, app_id)], EXPERT_ID_LABEL,
                      expert=label(expert_id), award=edition.award_name(app.category), name=app.name, id=app_id)
    if outstanding:
        found.add("rank_experts_outstanding", ASSIGNMENT_SHEET, None, "", count=len(outstanding),
                  experts="、".join(f"{label(e)}（{len(ids)}项）" for e, ids in outstanding.items()))
    return coverage


def _portal(hub, apps: list[_App], found: _Findings) -> tuple[dict[str, float], dict[str, int]]:
    """申报编号 -> 官网备案得分 (only records matched without doubt); 申报编号 -> the record's row."""
    by_award: dict[str, list[_App]] = defaultdict(list)
    for app in apps:
        if app.category in PORTAL_AWARDS:
            by_award[app.category].append(app)
    edition = hub.edition
    scores: dict[str, float] = {}
    rows_of: dict[str, int] = {}
    for excel_row, row in hub.rows(H.PORTAL_SHEET):
        award_name = clean_text(row.get("award"))
        category = edition.award_key_by_name(award_name)
        name = clean_text(row.get("applicant"))
        code = to_code(row.get("id_code"))
        if category not in PORTAL_AWARDS:
            found.add("rank_portal_award", H.PORTAL_SHEET, excel_row, "申报类别", row=excel_row, name=name,
                      value=award_name)
            continue
        candidates = by_award[category]
        named = [a for a in candidates if normalize_name(a.name) == normalize_name(name) and name]
        coded = [a for a in candidates if code and to_code(a.id_code) == code]
        where = dict(row=excel_row, name=name, award=award_name, code=code)
        target = None
        if category == "product":
            # A unit may have several products: the name decides, the 证件号码 (the unit's) confirms.
            if code:
                both = [a for a in named if a in coded]
                if len(both) == 1:
                    target = both[0]
                elif len(both) > 1:
                    found.add("rank_portal_ambiguous", H.PORTAL_SHEET, excel_row, "申报主体", count=len(both), **where)
                elif named:
                    found.add("rank_portal_mismatch", H.PORTAL_SHEET, excel_row, "证件号码",
                              by_name=_labels(named), by_code=_labels(coded) or "无", **where)
                else:
                    found.add("rank_portal_unmatched", H.PORTAL_SHEET, excel_row, "申报主体", **where)
            else:
                target = _by_name_alone(named, found, excel_row, where)
        elif code:
            if len(coded) == 1:
                target = coded[0]
                if named and target not in named:
                    found.add("rank_portal_mismatch", H.PORTAL_SHEET, excel_row, "证件号码",
                              by_name=_labels(named), by_code=_labels(coded), **where)
                    target = None
            elif len(coded) > 1:
                found.add("rank_portal_ambiguous", H.PORTAL_SHEET, excel_row, "证件号码", count=len(coded), **where)
            elif named:
                found.add("rank_portal_mismatch", H.PORTAL_SHEET, excel_row, "证件号码",
                          by_name=_labels(named), by_code="无", **where)
            else:
                found.add("rank_portal_unmatched", H.PORTAL_SHEET, excel_row, "申报主体", **where)
        else:
            target = _by_name_alone(named, found, excel_row, where)
        if target is None:
            continue
        value, ok = _number(row.get("portal_score"))
        if not ok or value is None or not 0 <= value <= hub.edition.max_score:
            found.add("rank_portal_invalid", H.PORTAL_SHEET, excel_row, "官网备案得分", row=excel_row, name=name,
                      value=clean_text(row.get("portal_score")), max=f"{hub.edition.max_score:g}")
            continue
        if target.app_id in rows_of:
            found.add("rank_portal_duplicate", H.PORTAL_SHEET, excel_row, "申报主体", row=excel_row,
                      other_row=rows_of[target.app_id], name=target.name, id=target.app_id)
            continue
        scores[target.app_id] = value
        rows_of[target.app_id] = excel_row
    return scores, rows_of


def _labels(apps: list[_App]) -> str:
    return "、".join(f"“{a.name}”（{a.app_id}）" for a in apps)


def _platforms(hub, edition) -> list[Platform]:
    from xl_awards.schema.hub import window_metric_keys

    metrics = edition.award("window")["metrics"]
    keys = window_metric_keys(edition)
    out = []
    for _, row in hub.rows(H.WINDOW_SHEET):
        name = clean_text(row.get("name"))
        if not name:
            continue
        values = {}
        for key, metric in zip(keys, metrics):
            raw = row.get(key)
            value, ok = _number(raw)
            values[metric] = value if ok else None
        out.append(Platform(id=name, name=name, platform_type=clean_text(row.get("platform_type")),
                            built=_yes(row.get("built")), metrics=values, city=clean_text(row.get("city")),
                            county=clean_text(row.get("county"))))
    return out


def ranking_inputs(hub) -> RankingData:
    """Everything ``rank_all`` needs, read from the hub's tables (effective edition, i.e. with 设置)."""
    edition = hub.edition
    found = _Findings(hub)
    settings = ScoringSettings.from_edition(edition)
    experts = {e.expert_id: e for e in experts_from_hub(hub)}
    apps = _register(hub, edition, found)
    by_id = {a.app_id: a for a in apps}
    scores, names = _scores(hub, by_id, experts, edition, found)
    portal, portal_rows = _portal(hub, apps, found)
    lists: dict[str, list[Application]] = {c: [] for c in REVIEWED}
    units = {}
    flags: dict[tuple[str, str], str] = {}
    for app in apps:
        lists[app.category].append(Application(
            id=app.app_id, name=app.name, city=app.city, county=app.county,
            scores=tuple(scores.get(app.app_id, ())),
            portal_score=portal.get(app.app_id) if app.category in PORTAL_AWARDS else None,
            prior_award=app.status == "prior",
            ineligible_reason=app.reason if app.status == "ineligible" else None,
        ))
        units[(app.category, app.app_id)] = app.unit
        if app.flag:
            flags[(app.category, app.app_id)] = app.flag
    platforms = tuple(_platforms(hub, edition))
    if not platforms:  # one finding at the sheet, not one per list or platform
        found.add("rank_window_empty", H.WINDOW_SHEET, None, "", award=edition.award_name("window"))
    inputs = RankingInput(star=tuple(lists["star"]), institution=tuple(lists["institution"]),
                          expert=tuple(lists["expert"]), product=tuple(lists["product"]),
                          platforms=platforms)
    return RankingData(inputs=inputs, settings=settings, findings=found.items, units=units, expert_names=names,
                       portal_rows=portal_rows, flags=flags)


def compute_ranking(hub) -> Ranking:
    """Read the inputs and rank all six lists; the core's findings are placed in the hub file."""
    from dataclasses import replace

    data = ranking_inputs(hub)
    result = rank_all(data.inputs, data.settings)
    located = tuple(replace(f, file=f.file or hub.file_name, sheet=f.sheet or CORE_RULE_SHEETS.get(f.rule, ""))
                    for f in result.findings)
    result = replace(result, findings=located)
    return Ranking(data, result, sensitivity(data.inputs, data.settings, result))


def ranking_rows(hub) -> list[dict[str, Any]]:
    """The entries of the ``排名`` sheet as written by ``rank`` ({schema key: value}, plus ``status_key``).

    The sheet is one block per list under repeated headers; the rows that are entries
    are those with a 名称 and a known 状态 (block titles, summary and header rows are not).
    """
    from xl_awards.base.messages import RANK_STATUS_LABELS

    by_label = {label: key for key, label in RANK_STATUS_LABELS.items()}
    out = []
    for _, row in hub.rows(H.RANKING_SHEET):
        status = by_label.get(clean_text(row.get("status")))
        if status and clean_text(row.get("name")):
            out.append({**row, "status_key": status})
    return out


def _by_name_alone(named: list, found, excel_row: int, where: dict):
    """A 官网备案 row without a 证件号码: the one application of that name, or a finding (none, or several)."""
    if len(named) == 1:
        return named[0]
    if named:
        found.add("rank_portal_ambiguous", H.PORTAL_SHEET, excel_row, "申报主体", count=len(named), **where)
    else:
        found.add("rank_portal_unmatched", H.PORTAL_SHEET, excel_row, "申报主体", **where)
    return None

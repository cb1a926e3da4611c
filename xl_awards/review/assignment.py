"""Assignment of experts to applications: conflicts avoided, load balanced, deterministic."""

from __future__ import annotations
import heapq
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence
from xl_awards.base.findings import Finding
from xl_awards.base.messages import finding
from xl_awards.edition import INTAKE_AWARD_KEYS
from xl_awards.review.people import COL_APP_ID, CONFLICT_LABELS, ConflictIndex, Expert, ReviewApplication, conflicts, \
    on_panel
from xl_awards.schema.hub import EXPERTS_SHEET


# --------------------------------------------------------------------------------------
# Assignment
# --------------------------------------------------------------------------------------


@dataclass
class Assignment:
    """Who reviews what.  ``findings`` with errors mean: write nothing."""

    experts: dict[str, Expert]
    applications: dict[str, ReviewApplication]
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

    def for_expert(self, expert_id: str) -> list[ReviewApplication]:
        """The expert's applications in issue order (award order, then 申报编号)."""
        apps = [self.applications[a] for a, ids in self.by_application.items() if expert_id in ids]
        return sorted(apps, key=_app_order)

    def pairs(self) -> list[tuple[str, str]]:
        """(expert id, app id) for every assignment, sorted."""
        return sorted((eid, aid) for aid, ids in self.by_application.items() for eid in ids)


def _app_order(app: ReviewApplication) -> tuple:
    order = INTAKE_AWARD_KEYS
    rank = order.index(app.award) if app.award in order else len(order)
    return (rank, app.award, _natural(app.app_id))


def _natural(text: str) -> tuple:
    """``E2`` before ``E10``: digits compared as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", text))


def assign(
    experts: Sequence[Expert],
    applications: Sequence[ReviewApplication],
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
            result.findings.append(finding("review_duplicate_expert", expert_id=e.expert_id))
            continue
        result.experts[e.expert_id] = e
    for a in sorted(applications, key=_app_order):
        if a.app_id in result.applications:
            result.findings.append(finding("review_duplicate_app", app_id=a.app_id))
            continue
        result.applications[a.app_id] = a

    # An empty 专家库, or an award no expert reviews, is one finding at 专家库 (not one per application).
    if result.applications and not result.experts:
        result.findings.append(finding("review_experts_empty", sheet=EXPERTS_SHEET, count=len(result.applications)))
        return result
    panels: dict[tuple, list[Expert]] = {}  # on_panel depends on the award only: one panel per award

    def panel_of(app: ReviewApplication) -> list[Expert]:
        key = (app.award_name, app.award)
        if key not in panels:
            panels[key] = [e for e in result.experts.values() if on_panel(e, app)]
        return panels[key]

    unpanelled: dict[str, list[ReviewApplication]] = {}
    for app in result.applications.values():
        if not panel_of(app):
            unpanelled.setdefault(app.award_name or app.award, []).append(app)
    for award, apps in unpanelled.items():
        result.findings.append(finding("review_panel_empty", sheet=EXPERTS_SHEET, field="评审类别", award=award,
                                        count=len(apps)))

    index = ConflictIndex(result.experts.values())
    plan: list[tuple[ReviewApplication, list[str], int]] = []
    for app in result.applications.values():
        if (app.award_name or app.award) in unpanelled:
            continue
        panel = panel_of(app)
        maybe = index.candidates(app)  # the others share no name or code with the application
        excluded = []
        eligible = []
        for e in panel:
            kinds = conflicts(e, app) if e.expert_id in maybe else ()
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
            result.findings.append(finding(
                "review_shortfall", field=COL_APP_ID, app=app.label, award=app.award_name or app.award,
                required=required, panel=len(panel), available=len(eligible), conflicts=conflict_text))
            continue
        plan.append((app, eligible, required if wanted is not None else len(eligible)))

    loads = {eid: 0 for eid in result.experts}
    natural = {eid: _natural(eid) for eid in result.experts}
    plan.sort(key=lambda p: (len(p[1]), _app_order(p[0])))
    for app, eligible, count in plan:
        chosen = heapq.nsmallest(count, eligible, key=lambda eid: (loads[eid], natural[eid]))  # = sorted(...)[:count]
        for eid in chosen:
            loads[eid] += 1
        result.by_application[app.app_id] = tuple(sorted(chosen, key=natural.__getitem__))
    result.by_application = dict(sorted(result.by_application.items(), key=lambda kv: _app_order(result.applications[kv[0]])))
    return result

"""What other programs and sheets read from a ranking: the ``rank --json`` shape,
per-list summaries, and the sensitivity of the selection to the method.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from xl_awards.base.messages import AGGREGATION_LABELS, SENSITIVITY_METHOD_LABEL, SENSITIVITY_WEIGHTS_LABEL
from xl_awards.scoring.model import RankingInput, RankingResult, Summary
from xl_awards.scoring.rank import rank_applications
from xl_awards.scoring.categories import CATEGORIES, REVIEWED_CATEGORIES, WEIGHTED_CATEGORIES, ScoringSettings

# The keys of one entry in `rank --json` (SPEC section 7), in order.
RANK_JSON_KEYS = ("id", "name", "city", "expert_score", "portal_score", "total", "rank", "status")


def to_rank_json(result: RankingResult, edition_year: int | None = None) -> dict:
    """The ``rank --json`` document (SPEC section 7).

    Numbers are full-precision floats (the exact values, converted once), not
    the 2-decimal figures shown in sheets: the JSON is for programs, which can
    round for display and still re-check the order.  ``expert_score`` is null
    for window platforms and for entries without a counted score;
    ``portal_score`` is null for 服务之星 and window platforms (for
    institutions, experts and products it is the 官网备案得分 used, 0 when the
    record is missing); ``rank`` is null for entries not ranked.  Each list is
    in ranking order, then the unranked entries.  Cluster platforms are in no
    list.
    """
    categories = {}
    for category in CATEGORIES:
        cat = result.categories[category]
        window = category.startswith("window")
        rows = []
        for e in cat.entries:
            rows.append({
                "id": e.id,
                "name": e.name,
                "city": e.city,
                "expert_score": None if window else e.expert_score,
                "portal_score": e.portal_score if category in WEIGHTED_CATEGORIES else None,
                "total": e.total,
                "rank": e.rank,
                "status": e.status,
            })
        categories[category] = rows
    return {"edition": edition_year if edition_year is not None else result.edition_year, "categories": categories}


def summaries(result: RankingResult) -> dict[str, Summary]:
    """Per list: applications, eligible, ranked, selected, pending, ..."""
    return {c: result.categories[c].summary for c in CATEGORIES}


# -- sensitivity ---------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    key: str  # "weights_60_40", "method_mean"
    label: str  # Chinese, for the sheet
    settings: ScoringSettings
    categories: tuple[str, ...]  # the lists the scenario can change


@dataclass(frozen=True)
class StatusChange:
    category: str
    id: str
    name: str
    city: str
    scenario: str
    scenario_label: str
    baseline_status: str
    alternative_status: str
    baseline_rank: int | None
    alternative_rank: int | None
    baseline_total: float | None
    alternative_total: float | None


@dataclass(frozen=True)
class Sensitivity:
    scenarios: tuple[Scenario, ...]
    changes: tuple[StatusChange, ...]  # empty: no scenario changes any status

    def for_scenario(self, key: str) -> tuple[StatusChange, ...]:
        return tuple(c for c in self.changes if c.scenario == key)


def _pct(weight: float) -> str:
    return f"{weight * 100:.10g}"


def scenarios(settings: ScoringSettings) -> list[Scenario]:
    """The alternatives of the edition (``scoring.sensitivity_weights`` / ``sensitivity_methods``),
    leaving out any that equals the baseline."""
    out = []
    for e, p in settings.sensitivity_weights:
        if (e, p) == (settings.expert_weight, settings.portal_weight):
            continue
        out.append(Scenario(
            key=f"weights_{_pct(e)}_{_pct(p)}",
            label=SENSITIVITY_WEIGHTS_LABEL.format(expert=_pct(e), portal=_pct(p)),
            settings=replace(settings, expert_weight=e, portal_weight=p),
            categories=WEIGHTED_CATEGORIES,
        ))
    for method in settings.sensitivity_methods:
        if method == settings.aggregation:
            continue
        out.append(Scenario(
            key=f"method_{method}",
            label=SENSITIVITY_METHOD_LABEL.format(method=AGGREGATION_LABELS[method]),
            settings=replace(settings, aggregation=method),
            categories=REVIEWED_CATEGORIES,
        ))
    return out


def sensitivity(inputs: RankingInput, settings: ScoringSettings, baseline: RankingResult | None = None) -> Sensitivity:
    """Which entries' status changes under each alternative scenario.

    Window platforms have no weights or review scores, so no scenario touches
    them.  ``baseline`` may be passed to avoid recomputing it (it must come
    from the same inputs and settings).
    """
    base = {}
    for category in REVIEWED_CATEGORIES:
        if baseline is not None:
            base[category] = baseline.categories[category]
        else:
            base[category] = rank_applications(category, inputs.applications(category), settings)[0]
    alternatives = scenarios(settings)
    changes = []
    for scenario in alternatives:
        for category in scenario.categories:
            alt = rank_applications(category, inputs.applications(category), scenario.settings)[0]
            alt_by_key = {(e.id, e.name): e for e in alt.entries}
            for b in base[category].entries:
                a = alt_by_key[(b.id, b.name)]
                if a.status != b.status:
                    changes.append(StatusChange(
                        category=category, id=b.id, name=b.name, city=b.city,
                        scenario=scenario.key, scenario_label=scenario.label,
                        baseline_status=b.status, alternative_status=a.status,
                        baseline_rank=b.rank, alternative_rank=a.rank,
                        baseline_total=b.total, alternative_total=a.total,
                    ))
    return Sensitivity(tuple(alternatives), tuple(changes))

"""Totals, order, shared ranks and the quota line (SPEC section 5), for all six lists.

Order: total desc, then expert review score desc, then 官网备案得分 desc.
Entries whose three keys are exactly equal share a rank (competition ranking:
1, 2, 2, 4).  With quota q, an entry of rank r in a tied group of g entries is

* ``selected``      when r + g − 1 <= q (the whole group fits);
* ``tie_pending``   when r <= q < r + g − 1 (the group straddles the line: the
  tool does not cut it, the hub decides; fewer than q are then selected);
* ``not_selected``  when r > q.

Not ranked, listed with a reason, not counted against the quota:
``ineligible`` (an ``ineligible_reason`` was given; this wins over a prior
award), ``prior_award_valid`` (a valid 2020 award of the same award).
An application with fewer counted scores than ``min_counted_scores`` (and at
least 1) is not ranked either: rank None, status ``not_selected``, flag and
error finding ``rank_too_few_scores`` — its review score is still computed
from the scores it has, for information.  It never takes a place silently;
once its scores are complete the hub recomputes.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Iterable, Sequence

from xl_awards.base.findings import Finding
from xl_awards.base.messages import finding, rule_message
from xl_awards.edition import PLATFORM_CITY, PLATFORM_CLUSTER, PLATFORM_COUNTY
from xl_awards.scoring.aggregation import aggregate, normalise_zscores
from xl_awards.scoring.model import (
    DROPPED_HIGH,
    DROPPED_LOW,
    EXCLUDED_BLANK,
    EXCLUDED_CONFLICT,
    EXCLUDED_RECUSED,
    FLAG_METRIC_INVALID,
    FLAG_PORTAL_MISSING,
    FLAG_TIE_PENDING,
    FLAG_TOO_FEW_SCORES,
    Application,
    CategoryResult,
    MetricLine,
    Platform,
    RankedEntry,
    RankingInput,
    RankingResult,
    ScoreLine,
)
from xl_awards.scoring.numbers import exact, to_float
from xl_awards.scoring.categories import (
    CATEGORIES,
    INELIGIBLE,
    NOT_SELECTED,
    PRIOR_AWARD_VALID,
    REVIEWED_CATEGORIES,
    SELECTED,
    TIE_PENDING,
    WEIGHTED_CATEGORIES,
    ScoringSettings,
)

PORTAL_LABEL = "官网备案得分"
SCORES_LABEL = "专家评分"
TIER_OF_TYPE = {PLATFORM_CITY: "window_city", PLATFORM_COUNTY: "window_county"}


def quota_status(rank: int, group_size: int, quota: int) -> str:
    """The status of a ranked entry from its rank, its tied group's size and the quota."""
    if rank > quota:
        return NOT_SELECTED
    if rank + group_size - 1 > quota:
        return TIE_PENDING
    return SELECTED


def _rank_and_status(
    entries: list[RankedEntry], keys: list[tuple[Fraction, ...]], quota: int, award: str
) -> tuple[list[RankedEntry], list[Finding]]:
    """Rank ``entries`` (descending ``keys``, exact) and give each its quota status."""
    order = sorted(range(len(entries)), key=lambda i: (tuple(-k for k in keys[i]), entries[i].id, entries[i].name))
    ranks: dict[int, int] = {}
    for pos, i in enumerate(order):
        if pos and keys[i] == keys[order[pos - 1]]:
            ranks[i] = ranks[order[pos - 1]]
        else:
            ranks[i] = pos + 1
    group = {}
    for i in order:
        group[ranks[i]] = group.get(ranks[i], 0) + 1
    selected = sum(1 for i in order if quota_status(ranks[i], group[ranks[i]], quota) == SELECTED)
    out, findings, reported = [], [], set()
    for i in order:
        rank = ranks[i]
        status = quota_status(rank, group[rank], quota)
        entry = replace(entries[i], rank=rank, status=status)
        if status == TIE_PENDING:
            values = dict(award=award, rank=rank, count=group[rank], quota=quota, selected=selected)
            entry = replace(entry, reason=rule_message(FLAG_TIE_PENDING, **values),
                            flags=entry.flags + (FLAG_TIE_PENDING,))
            if rank not in reported:
                reported.add(rank)
                findings.append(finding(FLAG_TIE_PENDING, **values))
        out.append(entry)
    return out, findings


def _unranked_order(e: RankedEntry) -> tuple:
    group = {NOT_SELECTED: 0, PRIOR_AWARD_VALID: 1, INELIGIBLE: 2}[e.status]
    total = -e.total_exact if e.total_exact is not None else Fraction(10**9)
    return (group, total, e.id, e.name)


# -- reviewed awards ------------------------------------------------------------
def _score_lines(app: Application) -> list[tuple[ScoreLine, Fraction | None]]:
    """The application's score lines in expert-id order, with their exact values (None = not counted)."""
    lines = []
    for s in app.scores:
        value = exact(s.score) if s.score is not None else None
        if s.recused:
            excluded = EXCLUDED_RECUSED
        elif s.conflict:
            excluded = EXCLUDED_CONFLICT
        elif value is None:
            excluded = EXCLUDED_BLANK
        else:
            excluded = None
        line = ScoreLine(
            expert_id=str(s.expert_id),
            expert_name=s.expert_name,
            score=to_float(value),
            counted=excluded is None,
            excluded=excluded,
        )
        lines.append((line, value if excluded is None else None))
    lines.sort(key=lambda lv: (lv[0].expert_id, lv[0].excluded or "", lv[1] if lv[1] is not None else Fraction(-1)))
    return lines


def rank_applications(
    category: str, applications: Sequence[Application], settings: ScoringSettings
) -> tuple[CategoryResult, list[Finding]]:
    """Score and rank one reviewed list (star, institution, expert or product)."""
    if category not in REVIEWED_CATEGORIES:
        raise ValueError(f"not a reviewed category: {category!r}")
    award = settings.award_name(category)
    weighted = category in WEIGHTED_CATEGORIES
    method = settings.aggregation
    all_lines = [_score_lines(app) for app in applications]

    normalised = {}
    if method == "zscore":
        normalised = normalise_zscores(
            ((a, j), line.expert_id, value)
            for a, lines in enumerate(all_lines)
            for j, (line, value) in enumerate(lines)
            if value is not None
        )

    minimum = max(settings.min_counted_scores, 1)
    ew, pw = settings.expert_weight_exact, settings.portal_weight_exact
    competing, competing_keys, unranked, findings = [], [], [], []
    for a, (app, lines) in enumerate(zip(applications, all_lines)):
        counted_idx = [j for j, (_, v) in enumerate(lines) if v is not None]
        used = [normalised.get((a, j), lines[j][1]) for j in counted_idx]
        agg = aggregate(used, method, settings.trim_threshold)
        score_lines = [line for line, _ in lines]
        for k, j in enumerate(counted_idx):
            dropped = DROPPED_HIGH if k == agg.dropped_high else DROPPED_LOW if k == agg.dropped_low else None
            score_lines[j] = replace(score_lines[j], used=float(used[k]), dropped=dropped)
        expert_exact = agg.value

        portal_exact, portal_missing = None, False
        if weighted:
            portal_missing = app.portal_score is None
            portal_exact = Fraction(0) if portal_missing else exact(app.portal_score)
        if expert_exact is None:
            total_exact = None
        elif weighted:
            total_exact = ew * expert_exact + pw * portal_exact
        else:
            total_exact = expert_exact

        entry = RankedEntry(
            category=category, id=str(app.id), name=app.name, city=app.city, county=app.county,
            scores=tuple(score_lines), counted=agg.count, trimmed=agg.trimmed,
            expert_score=to_float(expert_exact), portal_score=to_float(portal_exact),
            portal_missing=portal_missing, total=to_float(total_exact),
            expert_exact=expert_exact, portal_exact=portal_exact, total_exact=total_exact,
        )
        if app.ineligible_reason:
            unranked.append(replace(entry, status=INELIGIBLE, reason=app.ineligible_reason))
            continue
        if app.prior_award:
            reason = rule_message("rank_prior_award", award=award, name=app.name, year=settings.prior_award_year or "")
            unranked.append(replace(entry, status=PRIOR_AWARD_VALID, reason=reason))
            continue
        flags = []
        ids = dict(award=award, name=app.name, id=app.id)
        if portal_missing:
            flags.append(FLAG_PORTAL_MISSING)
            findings.append(finding(FLAG_PORTAL_MISSING, field=PORTAL_LABEL, **ids))
        if agg.count < minimum:
            flags.append(FLAG_TOO_FEW_SCORES)
            values = dict(ids, count=agg.count, min=minimum)
            findings.append(finding(FLAG_TOO_FEW_SCORES, field=SCORES_LABEL, **values))
            unranked.append(replace(entry, status=NOT_SELECTED, flags=tuple(flags),
                                    reason=rule_message(FLAG_TOO_FEW_SCORES, **values)))
            continue
        competing.append(replace(entry, flags=tuple(flags)))
        competing_keys.append((total_exact, expert_exact, portal_exact if portal_exact is not None else Fraction(0)))

    quota = settings.quota(category)
    ranked, tie_findings = _rank_and_status(competing, competing_keys, quota, award)
    unranked.sort(key=_unranked_order)
    result = CategoryResult(category=category, award_name=award, quota=quota, entries=tuple(ranked + unranked))
    return result, findings + tie_findings


# -- window platforms -------------------------------------------------------------
def _metric_value(value) -> tuple[Fraction, bool]:
    """(value used, valid?): blank or negative counts 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Fraction(0), False
    v = exact(value)
    return (v, True) if v >= 0 else (Fraction(0), False)


def rank_platforms(
    platforms: Sequence[Platform], settings: ScoringSettings
) -> tuple[CategoryResult, CategoryResult, tuple[RankedEntry, ...], list[Finding]]:
    """Rank built 综合 window platforms, city and county tiers separately.

    Returns (city tier, county tier, excluded platforms, findings).  Cluster
    platforms and platforms of unknown type are in no list (``excluded``);
    non-built 综合 platforms are listed in their tier as ``ineligible``.
    Each metric is scaled to 100 × value / the maximum of that metric among
    the tier's ranked platforms (a metric whose maximum is 0 scales to 0 for
    every platform); total = Σ weight × scaled.  A blank or negative metric
    counts 0 and is flagged.
    """
    metrics = settings.window_metrics
    weights = settings.metric_weights_exact
    tiers: dict[str, list[Platform]] = {"window_city": [], "window_county": []}
    excluded, findings = [], []
    for p in platforms:
        ptype = (p.platform_type or "").strip()
        base = RankedEntry(category="", id=str(p.id), name=p.name, city=p.city, county=p.county,
                           metrics=_raw_metric_lines(p, metrics, weights))
        if ptype == PLATFORM_CLUSTER:
            excluded.append(replace(base, status=INELIGIBLE, reason=rule_message("rank_window_cluster", name=p.name)))
        elif ptype in TIER_OF_TYPE:
            tiers[TIER_OF_TYPE[ptype]].append(p)
        else:
            reason = rule_message("rank_window_type_unknown", name=p.name, value=ptype)
            excluded.append(replace(base, status=INELIGIBLE, reason=reason))
            findings.append(finding("rank_window_type_unknown", field="平台类型", name=p.name, value=ptype))

    results = []
    for category, members in tiers.items():
        competing = [p for p in members if p.built and not p.ineligible_reason]
        competing_ids = {id(p) for p in competing}
        used = {}
        for p in competing:
            row = []
            for m in metrics:
                v, ok = _metric_value(p.metrics.get(m))
                row.append(v)
                if not ok:
                    shown = p.metrics.get(m)
                    findings.append(finding(FLAG_METRIC_INVALID, field=m, name=p.name, metric=m,
                                             value="" if shown is None else shown))
            used[id(p)] = row
        maxima = [max((used[id(p)][k] for p in competing), default=Fraction(0)) for k in range(len(metrics))]
        entries, keys, unranked = [], [], []
        for p in members:
            base = RankedEntry(category=category, id=str(p.id), name=p.name, city=p.city, county=p.county)
            if id(p) not in competing_ids:
                reason = p.ineligible_reason or rule_message("rank_window_not_built", name=p.name)
                unranked.append(replace(base, status=INELIGIBLE, reason=reason,
                                        metrics=_raw_metric_lines(p, metrics, weights, maxima)))
                continue
            lines, total, flags = [], Fraction(0), ()
            for k, m in enumerate(metrics):
                v = used[id(p)][k]
                scaled = 100 * v / maxima[k] if maxima[k] > 0 else Fraction(0)
                total += weights[k] * scaled
                raw = p.metrics.get(m)
                if not _metric_value(raw)[1]:
                    flags = (FLAG_METRIC_INVALID,)
                lines.append(MetricLine(m, _float_or_none(raw), float(v), float(maxima[k]), float(scaled),
                                        float(weights[k])))
            entries.append(replace(base, metrics=tuple(lines), total=float(total), total_exact=total, flags=flags))
            keys.append((total,))
        quota = settings.quota(category)
        ranked, tie_findings = _rank_and_status(entries, keys, quota, settings.award_name(category))
        findings.extend(tie_findings)
        unranked.sort(key=_unranked_order)
        results.append(CategoryResult(category, settings.award_name(category), quota, tuple(ranked + unranked)))
    excluded.sort(key=lambda e: (e.id, e.name))
    return results[0], results[1], tuple(excluded), findings


def _float_or_none(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(exact(value))


def _raw_metric_lines(p: Platform, metrics, weights, maxima=None) -> tuple[MetricLine, ...]:
    """Metric lines for an unranked platform: raw values only, scaled 0 (it takes no part)."""
    lines = []
    for k, m in enumerate(metrics):
        v, _ = _metric_value(p.metrics.get(m))
        tier_max = float(maxima[k]) if maxima is not None else 0.0
        lines.append(MetricLine(m, _float_or_none(p.metrics.get(m)), float(v), tier_max, 0.0, float(weights[k])))
    return tuple(lines)


# -- everything --------------------------------------------------------------------
def rank_all(inputs: RankingInput, settings: ScoringSettings) -> RankingResult:
    """Rank all six lists."""
    categories, findings = {}, []
    city, county, excluded, window_findings = rank_platforms(inputs.platforms, settings)
    categories["window_city"], categories["window_county"] = city, county
    findings.extend(window_findings)
    for category in REVIEWED_CATEGORIES:
        result, found = rank_applications(category, inputs.applications(category), settings)
        categories[category] = result
        findings.extend(found)
    ordered = {c: categories[c] for c in CATEGORIES}
    return RankingResult(settings.year, ordered, excluded, tuple(findings))


def all_entries(result: RankingResult) -> Iterable[RankedEntry]:
    for cat in result.categories.values():
        yield from cat.entries

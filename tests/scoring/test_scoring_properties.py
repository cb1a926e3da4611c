"""Properties of the ranking that must hold for any input (hypothesis)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings as hsettings, strategies as st

from xl_awards.edition import load_edition
from xl_awards.scoring import (
    SELECTED,
    TIE_PENDING,
    Application,
    ExpertScore,
    Platform,
    RankingInput,
    ScoringSettings,
    rank_all,
    rank_applications,
    rank_platforms,
)

BASE = ScoringSettings.from_edition(load_edition(2021))
CATEGORY = st.sampled_from(["star", "institution", "expert", "product"])
# Few distinct values so that ties (and tied groups on the quota line) are common; half points
# and a decimal value so that exact arithmetic matters (80.1 + 84.3 + 82.2 is not 3 × 82.2 in floats).
SCORE = st.sampled_from([70, 80, 80, 82.2, 80.1, 84.3, 85.5, 90, 90])
PORTAL = st.one_of(st.none(), st.sampled_from([70, 80, 90]))


@st.composite
def score_lines(draw):
    k = draw(st.integers(1, 6))
    return tuple(
        ExpertScore(f"E{j}", draw(SCORE), recused=draw(st.integers(0, 7)) == 0, conflict=draw(st.integers(0, 9)) == 0)
        for j in range(k)
    )


@st.composite
def applications(draw, min_size=0, max_size=16):
    """Applications drawing their scores from a small pool of profiles, so that exact ties,
    and tied groups across the quota line, are frequent."""
    pool = draw(st.lists(st.tuples(score_lines(), PORTAL), min_size=1, max_size=4))
    n = draw(st.integers(min_size, max_size))
    apps = []
    for i in range(n):
        lines, portal = draw(st.one_of(st.sampled_from(pool), st.tuples(score_lines(), PORTAL)))
        apps.append(Application(
            id=f"A{i:02d}", name=f"申报{i}", scores=lines, portal_score=portal,
            prior_award=draw(st.integers(0, 9)) == 0,
            ineligible_reason="不符合条件" if draw(st.integers(0, 9)) == 0 else None,
        ))
    return apps


def settings_for(category, quota, method="trimmed_mean"):
    return replace(BASE, quotas={**BASE.quotas, category: quota}, aggregation=method)


@hsettings(max_examples=150, deadline=None)
@given(CATEGORY, applications(), st.integers(0, 8), st.sampled_from(["trimmed_mean", "mean", "zscore"]))
def test_selected_never_exceeds_the_quota(category, apps, quota, method):
    result, _ = rank_applications(category, apps, settings_for(category, quota, method))
    assert sum(e.status == SELECTED for e in result.entries) <= quota


@hsettings(max_examples=150, deadline=None)
@given(CATEGORY, applications(), st.integers(0, 8), st.sampled_from(["trimmed_mean", "mean", "zscore"]))
def test_tie_pending_exactly_when_a_tied_group_straddles_the_line(category, apps, quota, method):
    result, _ = rank_applications(category, apps, settings_for(category, quota, method))
    ranked = [e for e in result.entries if e.rank is not None]
    size = Counter(e.rank for e in ranked)
    for e in ranked:
        straddles = e.rank <= quota < e.rank + size[e.rank] - 1
        assert (e.status == TIE_PENDING) == straddles
        # and a group is either entirely pending or not at all
    for rank in size:
        statuses = {e.status for e in ranked if e.rank == rank}
        assert len(statuses) == 1
    assert all(e.status != TIE_PENDING for e in result.entries if e.rank is None)


@hsettings(max_examples=150, deadline=None)
@given(CATEGORY, applications(min_size=1), st.data(), st.sampled_from(["trimmed_mean", "mean"]))
def test_raising_one_entrys_scores_never_lowers_its_rank(category, apps, data, method):
    i = data.draw(st.integers(0, len(apps) - 1))
    bumps = data.draw(st.lists(st.sampled_from([0, 0.5, 1, 5, 20]), min_size=len(apps[i].scores),
                               max_size=len(apps[i].scores)))
    raised = replace(apps[i], scores=tuple(replace(s, score=s.score + b) for s, b in zip(apps[i].scores, bumps)))
    s = settings_for(category, 5, method)
    before = {e.id: e for e in rank_applications(category, apps, s)[0].entries}[apps[i].id]
    after_apps = apps[:i] + [raised] + apps[i + 1:]
    after = {e.id: e for e in rank_applications(category, after_apps, s)[0].entries}[apps[i].id]
    if before.rank is not None:
        assert after.rank is not None and after.rank <= before.rank
        assert after.total_exact >= before.total_exact


@hsettings(max_examples=100, deadline=None)
@given(applications(), applications(), st.data(), st.sampled_from(["trimmed_mean", "mean", "zscore"]))
def test_result_does_not_depend_on_row_order(stars, institutions, data, method):
    s = replace(BASE, quotas={**BASE.quotas, "star": 3, "institution": 3}, aggregation=method)
    inputs = RankingInput(star=tuple(stars), institution=tuple(institutions))

    def shuffled(apps):
        apps = data.draw(st.permutations(apps))
        return tuple(replace(a, scores=tuple(data.draw(st.permutations(a.scores)))) for a in apps)

    other = RankingInput(star=shuffled(stars), institution=shuffled(institutions))
    a, b = rank_all(inputs, s), rank_all(other, s)
    for category in ("star", "institution"):
        assert a.categories[category].entries == b.categories[category].entries
    assert sorted(a.findings, key=repr) == sorted(b.findings, key=repr)


METRICS = BASE.window_metrics


@st.composite
def platforms(draw):
    n = draw(st.integers(0, 10))
    out = []
    for i in range(n):
        ptype = draw(st.sampled_from(["市州综合窗口平台", "县市区综合窗口平台", "产业集群窗口平台"]))
        values = {m: draw(st.one_of(st.none(), st.integers(0, 6))) for m in METRICS}
        out.append(Platform(f"W{i:02d}", f"平台{i}", ptype, draw(st.booleans()), values))
    return out


@hsettings(max_examples=100, deadline=None)
@given(platforms(), st.data(), st.integers(0, 6), st.integers(0, 6))
def test_window_ranking_quota_and_order_independence(ps, data, city_quota, county_quota):
    s = replace(BASE, quotas={**BASE.quotas, "window_city": city_quota, "window_county": county_quota})
    city, county, excluded, _ = rank_platforms(ps, s)
    assert sum(e.status == SELECTED for e in city.entries) <= city_quota
    assert sum(e.status == SELECTED for e in county.entries) <= county_quota
    assert all(e.total is None or 0 <= e.total <= 100 for e in city.entries + county.entries)
    again = rank_platforms(data.draw(st.permutations(ps)), s)
    assert (again[0].entries, again[1].entries, again[2]) == (city.entries, county.entries, excluded)

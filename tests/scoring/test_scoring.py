"""Scoring and ranking (SPEC section 5) on small cases worked out by hand.

Every expected number below is computed in the comment next to it, on paper,
from the rule in SPEC section 5 — never taken from the code's own output.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from fractions import Fraction

import pytest

from xl_awards.edition import load_edition
from xl_awards.base.errors import InputError
from xl_awards.base.findings import ERROR, WARNING
from xl_awards.scoring import (
    CATEGORIES,
    INELIGIBLE,
    NOT_SELECTED,
    PRIOR_AWARD_VALID,
    RANK_JSON_KEYS,
    SELECTED,
    TIE_PENDING,
    Application,
    ExpertScore,
    Platform,
    RankingInput,
    ScoringSettings,
    ScoringSettingsError,
    aggregate,
    normalise_zscores,
    rank_all,
    rank_applications,
    rank_platforms,
    round2,
    sensitivity,
    summaries,
    to_rank_json,
)

EDITION = load_edition(2021)
SETTINGS = ScoringSettings.from_edition(EDITION)


def settings(**changes) -> ScoringSettings:
    quotas = changes.pop("quotas", {})
    return replace(SETTINGS, quotas={**SETTINGS.quotas, **quotas}, **changes)


def app(id, scores, portal=None, **kw) -> Application:
    """An application whose experts E1, E2, ... gave ``scores`` (None = not scored)."""
    lines = tuple(ExpertScore(f"E{i + 1}", s) for i, s in enumerate(scores))
    return Application(id=id, name=f"申报{id}", city="长沙市", scores=lines, portal_score=portal, **kw)


def by_id(result):
    return {e.id: e for e in result.entries}


# -- settings from the edition ------------------------------------------------
def test_settings_come_from_the_2021_edition():
    s = SETTINGS
    assert (s.expert_weight, s.portal_weight) == (0.7, 0.3)
    assert (s.aggregation, s.trim_threshold, s.min_counted_scores, s.decimals) == ("trimmed_mean", 5, 3, 2)
    assert s.quotas == {"window_city": 5, "window_county": 14, "star": 30, "institution": 10, "expert": 10,
                        "product": 10}
    assert s.window_metrics == ("平台活跃度", "重点服务活动", "服务协同", "资源品牌培育")
    assert s.award_name("product") == "创新服务产品"


def test_hub_overrides_flow_into_the_settings():
    edition = EDITION.with_overrides({"scoring.expert_weight": 0.6, "scoring.portal_weight": 0.4,
                                      "scoring.aggregation": "mean", "awards.institution.quota": 12})
    s = ScoringSettings.from_edition(edition)
    assert (s.expert_weight, s.portal_weight, s.aggregation, s.quota("institution")) == (0.6, 0.4, "mean", 12)


@pytest.mark.parametrize("overrides, words", [
    ({"scoring.aggregation": "median"}, "评审分汇总方法"),
    ({"scoring.expert_weight": 0.8}, "之和应为1"),  # 0.8 + 0.3 = 1.1
    ({"scoring.trim_threshold": "五"}, "不是数字"),
    ({"scoring.min_counted_scores": 2.5}, "非负整数"),
])
def test_bad_settings_are_an_input_error_in_chinese(overrides, words):
    with pytest.raises(ScoringSettingsError) as info:
        ScoringSettings.from_edition(EDITION.with_overrides(overrides))
    assert isinstance(info.value, InputError)
    assert words in str(info.value)


# -- aggregation ---------------------------------------------------------------
def test_trimmed_mean_with_five_scores_drops_one_highest_and_one_lowest():
    # 80+85+90+70+95 = 420; drop 95 and 70 -> 255 / 3 = 85
    agg = aggregate([80, 85, 90, 70, 95], "trimmed_mean", 5)
    assert agg.value == 85 and agg.trimmed
    assert (agg.dropped_high, agg.dropped_low) == (4, 3)


def test_four_scores_are_a_plain_mean():
    # n = 4 < 5: (80+85+90+70) / 4 = 325 / 4 = 81.25
    agg = aggregate([80, 85, 90, 70], "trimmed_mean", 5)
    assert agg.value == Fraction(325, 4) and not agg.trimmed
    assert (agg.dropped_high, agg.dropped_low) == (None, None)


def test_equal_highest_scores_only_one_is_dropped():
    # 90+90+80+85+70 = 415; drop ONE 90 and the 70 -> 255 / 3 = 85
    # (dropping both 90s would give (80+85)/2 = 82.5)
    agg = aggregate([90, 90, 80, 85, 70], "trimmed_mean", 5)
    assert agg.value == 85
    assert (agg.dropped_high, agg.dropped_low) == (0, 4)


def test_all_equal_scores_drop_two_different_ones():
    agg = aggregate([80, 80, 80, 80, 80], "trimmed_mean", 5)
    assert agg.value == 80 and agg.dropped_high != agg.dropped_low


def test_plain_mean_method_never_trims():
    # (80+85+90+70+95) / 5 = 420 / 5 = 84
    assert aggregate([80, 85, 90, 70, 95], "mean", 5).value == 84


def test_decimal_scores_are_exact():
    # 85.5+90.5+70.25+88+79.75 = 414; drop 90.5 and 70.25 -> 253.25 / 3
    assert aggregate([85.5, 90.5, 70.25, 88, 79.75], "trimmed_mean", 5).value == Fraction(25325, 300)


def test_no_score_has_no_value():
    assert aggregate([], "trimmed_mean", 5).value is None


# -- reviewed lists --------------------------------------------------------------
def test_recused_and_conflict_scores_are_not_counted():
    # counted: 80, 84, 90, 70 (n = 4 < 5 -> mean) = 324 / 4 = 81
    # if the recused 88 counted too: 5 scores, drop 90 and 70 -> (80+84+88)/3 = 84
    # if both 88 and 75 counted: 6 scores, drop 90 and 70 -> 327 / 4 = 81.75
    # total = 0.7 × 81 + 0.3 × 90 = 56.7 + 27 = 83.7
    a = Application("J1", "长沙某机构", "长沙市", scores=(
        ExpertScore("E1", 80), ExpertScore("E2", 84), ExpertScore("E3", 88, recused=True),
        ExpertScore("E4", 90), ExpertScore("E5", 75, conflict=True), ExpertScore("E6", 70),
    ), portal_score=90)
    result, findings = rank_applications("institution", [a], SETTINGS)
    e = result.entries[0]
    assert e.counted == 4 and not e.trimmed
    assert e.expert_exact == 81 and e.expert_score == 81.0
    assert e.total_exact == Fraction(837, 10)
    assert e.rank == 1 and e.status == SELECTED
    excluded = {line.expert_id: line.excluded for line in e.scores if not line.counted}
    assert excluded == {"E3": "recused", "E5": "conflict"}
    assert findings == []


def test_score_lines_show_which_were_dropped():
    # E1..E5 = 90, 90, 80, 85, 70: one 90 (E1, the first) dropped as highest, 70 (E5) as lowest
    result, _ = rank_applications("star", [app("S1", [90, 90, 80, 85, 70])], SETTINGS)
    marks = {line.expert_id: line.dropped for line in result.entries[0].scores}
    assert marks == {"E1": "highest", "E2": None, "E3": None, "E4": None, "E5": "lowest"}
    assert result.entries[0].total == 85.0


def test_missing_portal_score_counts_zero_and_is_reported():
    # expert score (80+80+80)/3 = 80; no 官网备案 -> 0; total = 0.7 × 80 + 0.3 × 0 = 56
    result, findings = rank_applications("product", [app("P1", [80, 80, 80], portal=None)], SETTINGS)
    e = result.entries[0]
    assert e.portal_missing and e.portal_score == 0.0 and e.total_exact == 56
    assert "rank_portal_missing" in e.flags
    assert [(f.rule, f.severity) for f in findings] == [("rank_portal_missing", WARNING)]
    assert "申报P1" in findings[0].message and "按0分" in findings[0].message


def test_three_way_tie_straddling_the_quota_line_is_pending():
    # quota 3.  A: 0.7×90+0.3×90 = 90 -> rank 1.  B, C, D: 0.7×80+0.3×80 = 80 each -> all rank 2
    # (ranks 2..4: the group starts inside the quota (2 <= 3) and ends beyond it (4 > 3)).
    # E: 70 -> rank 5.  Selected: only A, 1 < 3; B, C, D tie_pending; E not_selected.
    apps = [app("A", [90] * 3, 90), app("B", [80] * 3, 80), app("C", [80] * 3, 80), app("D", [80] * 3, 80),
            app("E", [70] * 3, 70)]
    result, findings = rank_applications("institution", apps, settings(quotas={"institution": 3}))
    got = {e.id: (e.rank, e.status) for e in result.entries}
    assert got == {"A": (1, SELECTED), "B": (2, TIE_PENDING), "C": (2, TIE_PENDING), "D": (2, TIE_PENDING),
                   "E": (5, NOT_SELECTED)}
    s = result.summary
    assert (s.applications, s.eligible, s.selected, s.pending, s.not_selected, s.open_places) == (5, 5, 1, 3, 1, 2)
    assert [f.rule for f in findings] == ["rank_tie_pending"]  # one finding per pending group
    assert "第2名有3个" in findings[0].message and "已确定入选1个" in findings[0].message

    # quota 4: the group ends exactly on the line (2+3-1 = 4) -> all selected
    result, _ = rank_applications("institution", apps, settings(quotas={"institution": 4}))
    assert [e.status for e in result.entries] == [SELECTED] * 4 + [NOT_SELECTED]
    # quota 1: the group starts beyond the line -> not selected
    result, _ = rank_applications("institution", apps, settings(quotas={"institution": 1}))
    assert [e.status for e in result.entries] == [SELECTED] + [NOT_SELECTED] * 4


def test_competition_ranking_skips_after_a_tie():
    # star totals 90, 85, 85, 80 -> ranks 1, 2, 2, 4
    apps = [app("S1", [90] * 3), app("S2", [85] * 3), app("S3", [85] * 3), app("S4", [80] * 3)]
    result, _ = rank_applications("star", apps, SETTINGS)
    assert [(e.id, e.rank) for e in result.entries] == [("S1", 1), ("S2", 2), ("S3", 2), ("S4", 4)]
    assert all(e.portal_score is None for e in result.entries)


def test_ties_are_exact_not_binary_floating_point():
    # S1: (80.1 + 82.2 + 84.3) / 3 = 246.6 / 3 = 82.2; S2: (82.2 × 3) / 3 = 82.2 -> the same rank.
    # (In binary floating point the first is 82.19999999999999 and would be ranked below.)
    result, _ = rank_applications("star", [app("S1", [80.1, 82.2, 84.3]), app("S2", [82.2] * 3)], SETTINGS)
    assert [e.rank for e in result.entries] == [1, 1]
    assert result.entries[0].total == 82.2


def test_equal_totals_are_ordered_by_expert_score_then_portal_score():
    # X: 0.7×80 + 0.3×90 = 56 + 27 = 83;  Y: 0.7×83 + 0.3×83 = 58.1 + 24.9 = 83
    # equal totals; Y's expert score 83 > 80 -> Y first.
    result, _ = rank_applications("expert", [app("X", [80] * 3, 90), app("Y", [83] * 3, 83)], SETTINGS)
    assert [(e.id, e.rank) for e in result.entries] == [("Y", 1), ("X", 2)]
    # With weights 0.7/0.3 equal totals and equal expert scores force equal portal scores, so the
    # third key only decides with a portal weight of 0: totals 80 = 80, expert 80 = 80, portal 90 > 70.
    s = settings(expert_weight=1.0, portal_weight=0.0)
    result, _ = rank_applications("expert", [app("Z", [80] * 3, 70), app("W", [80] * 3, 90)], s)
    assert [(e.id, e.rank) for e in result.entries] == [("W", 1), ("Z", 2)]


def test_prior_awardee_is_listed_not_ranked_and_takes_no_place():
    # quota 1: the 2020 awardee (no scores) is prior_award_valid; N (total 80) is selected.
    apps = [app("OLD", [], None, prior_award=True), app("N", [80] * 3, 80)]
    result, findings = rank_applications("institution", apps, settings(quotas={"institution": 1}))
    got = by_id(result)
    assert (got["OLD"].status, got["OLD"].rank) == (PRIOR_AWARD_VALID, None)
    assert "2020年度获奖" in got["OLD"].reason
    assert (got["N"].status, got["N"].rank) == (SELECTED, 1)
    assert findings == []  # no too-few-scores or missing-portal finding for the awardee
    assert (result.summary.applications, result.summary.eligible, result.summary.prior_award) == (2, 1, 1)


def test_ineligible_entry_is_listed_with_its_reason_and_takes_no_place():
    # BAD would be first (95) but is on the 禁评名单; quota 1 goes to G (80).
    reason = "列入禁评名单（2021年起3年内不得参评）"
    apps = [app("BAD", [95] * 3, 95, ineligible_reason=reason, prior_award=True), app("G", [80] * 3, 80)]
    result, _ = rank_applications("institution", apps, settings(quotas={"institution": 1}))
    got = by_id(result)
    assert (got["BAD"].status, got["BAD"].rank, got["BAD"].reason) == (INELIGIBLE, None, reason)
    assert (got["G"].status, got["G"].rank) == (SELECTED, 1)
    assert [e.id for e in result.entries] == ["G", "BAD"]  # ranked first, then the rest
    assert (result.summary.eligible, result.summary.ineligible) == (1, 1)


def test_too_few_counted_scores_is_flagged_and_not_ranked():
    # F: 3 scores but one recused -> 2 counted < 3; its mean (90+96)/2 = 93 is shown, not ranked.
    # quota 1 goes to K: (70+70+70)/3 = 70, total 0.7×70+0.3×70 = 70.
    f = Application("F", "申报F", scores=(ExpertScore("E1", 90), ExpertScore("E2", 96),
                                          ExpertScore("E3", 50, recused=True)), portal_score=90)
    result, findings = rank_applications("expert", [f, app("K", [70] * 3, 70)], settings(quotas={"expert": 1}))
    got = by_id(result)
    assert (got["F"].rank, got["F"].status, got["F"].expert_score) == (None, NOT_SELECTED, 93.0)
    assert "rank_too_few_scores" in got["F"].flags and "只有2份" in got["F"].reason
    assert (got["K"].rank, got["K"].status) == (1, SELECTED)
    assert [(f.rule, f.severity) for f in findings] == [("rank_too_few_scores", ERROR)]
    assert result.summary.too_few_scores == 1


def test_zscore_normalises_each_expert_onto_the_panel_scale():
    # Experts E1 and E2 both score A, B, C.
    #   E1: 90, 80, 70  -> m1 = 80, population variance (100+0+100)/3 = 200/3
    #   E2: 80, 80, 50  -> m2 = 70, population variance (100+100+400)/3 = 200
    #   panel: 90, 80, 70, 80, 80, 50 -> M = 450/6 = 75,
    #          variance (225+25+25+25+25+625)/6 = 950/6 = 475/3
    # z(E1,A) = 10/sqrt(200/3) = sqrt(3/2); z(E1,B) = 0; z(E1,C) = -sqrt(3/2)
    # z(E2,A) = z(E2,B) = 10/sqrt(200) = sqrt(1/2); z(E2,C) = -20/sqrt(200) = -sqrt(2)
    # normalised = 75 + sqrt(475/3) × z; 2 scores (< 5) -> the mean of the two.
    SD = math.sqrt(475 / 3)
    expected = {
        "A": 75 + SD * (math.sqrt(1.5) + math.sqrt(0.5)) / 2,  # ≈ 87.15
        "B": 75 + SD * (0 + math.sqrt(0.5)) / 2,  # ≈ 79.45
        "C": 75 + SD * (-math.sqrt(1.5) - math.sqrt(2)) / 2,  # ≈ 58.40
    }
    apps = [app("A", [90, 80]), app("B", [80, 80]), app("C", [70, 50])]
    result, _ = rank_applications("star", apps, settings(aggregation="zscore", min_counted_scores=2))
    got = {e.id: e.total for e in result.entries}
    assert got == pytest.approx(expected, rel=1e-12)
    assert [e.id for e in result.entries] == ["A", "B", "C"]


def test_zscore_keeps_raw_scores_of_a_single_score_or_zero_spread_expert():
    # E2 scored once (77) and E3 gave 70 twice (sd 0): both keep their raw scores.
    # E1: 60, 100 (m 80, sd 20); panel 60, 100, 77, 70, 70: M = 377/5 = 75.4, variance
    # (15.4² + 24.6² + 1.6² + 5.4² + 5.4²)/5 = (237.16+605.16+2.56+29.16+29.16)/5 = 903.2/5 = 180.64
    # -> SD = sqrt(180.64) ≈ 13.4402; E1's z: -1, +1 -> 60 -> 75.4 - SD ≈ 61.96, 100 -> 75.4 + SD ≈ 88.84
    got = normalise_zscores([("x", "E1", 60), ("y", "E1", 100), ("z", "E2", 77), ("u", "E3", 70), ("v", "E3", 70)])
    assert (got["z"], got["u"], got["v"]) == (77, 70, 70)
    assert float(got["x"]) == pytest.approx(75.4 - math.sqrt(180.64), rel=1e-12)
    assert float(got["y"]) == pytest.approx(75.4 + math.sqrt(180.64), rel=1e-12)


# -- window platforms -------------------------------------------------------------
M = SETTINGS.window_metrics  # 平台活跃度, 重点服务活动, 服务协同, 资源品牌培育 (weights 0.25 each)


def platform(id, ptype, built, values, city="长沙市"):
    return Platform(id=id, name=f"平台{id}", platform_type=ptype, built=built, metrics=dict(zip(M, values)),
                    city=city)


def test_window_platforms_are_ranked_per_tier_with_scaled_metrics():
    city, county, cluster = "市州综合窗口平台", "县市区综合窗口平台", "产业集群窗口平台"
    platforms = [
        platform("C1", city, True, [50, 10, 20, 0]),
        platform("C2", city, True, [100, 5, 40, 0]),
        platform("C3", city, False, [1000, 100, 100, 100]),  # not built: listed ineligible, not in the maxima
        platform("K1", cluster, True, [2000, 200, 200, 200]),  # cluster: in no list
        platform("T1", county, True, [30, 3, 6, 9]),
        platform("T2", county, True, [60, 6, 3, 9]),
        platform("T3", county, True, [0, 0, 0, 0]),
    ]
    s = settings(quotas={"window_county": 2})
    city_res, county_res, excluded, findings = rank_platforms(platforms, s)
    # city tier maxima (C1, C2 only): 100, 10, 40, 0 (a max of 0 scales to 0)
    #   C1: 100×50/100 = 50, 100×10/10 = 100, 100×20/40 = 50, 0 -> 0.25 × 200 = 50
    #   C2: 100, 50, 100, 0 -> 0.25 × 250 = 62.5
    got = {e.id: (e.total, e.rank, e.status) for e in city_res.entries}
    assert got == {"C2": (62.5, 1, SELECTED), "C1": (50.0, 2, SELECTED), "C3": (None, None, INELIGIBLE)}
    c1 = by_id(city_res)["C1"]
    assert [(m.tier_max, m.scaled) for m in c1.metrics] == [(100, 50), (10, 100), (40, 50), (0, 0)]
    assert "未建成实体" in by_id(city_res)["C3"].reason
    # county maxima: 60, 6, 6, 9
    #   T1: 50, 50, 100, 100 -> 300/4 = 75;  T2: 100, 100, 50, 100 -> 350/4 = 87.5;  T3: 0
    #   quota 2 -> T2, T1 selected, T3 not
    got = {e.id: (e.total, e.rank, e.status) for e in county_res.entries}
    assert got == {"T2": (87.5, 1, SELECTED), "T1": (75.0, 2, SELECTED), "T3": (0.0, 3, NOT_SELECTED)}
    assert [e.id for e in excluded] == ["K1"] and "产业集群" in excluded[0].reason
    assert findings == []


def test_blank_window_metric_counts_zero_and_is_reported():
    # W1: 平台活跃度 blank -> 0; W2 holds every max: W1 = (0 + 50 + 50 + 50)/4 = 37.5
    ps = [platform("W1", "市州综合窗口平台", True, [None, 5, 5, 5]),
          platform("W2", "市州综合窗口平台", True, [8, 10, 10, 10])]
    city_res, _, _, findings = rank_platforms(ps, SETTINGS)
    assert by_id(city_res)["W1"].total == 37.5 and by_id(city_res)["W2"].total == 100.0
    assert [(f.rule, f.field) for f in findings] == [("rank_window_metric_invalid", "平台活跃度")]


# -- the whole ranking, JSON, summaries ---------------------------------------------------
def test_rank_json_has_exactly_the_spec_shape_and_full_precision():
    inputs = RankingInput(
        star=(app("S1", [85, 85, 86]),),  # (85+85+86)/3 = 256/3 = 85.333...
        institution=(app("I1", [90] * 3, 80),),  # 0.7×90 + 0.3×80 = 63 + 24 = 87
        platforms=(platform("C1", "市州综合窗口平台", True, [1, 1, 1, 1]),),  # the max everywhere -> 100
    )
    result = rank_all(inputs, SETTINGS)
    doc = json.loads(json.dumps(to_rank_json(result, 2021)))
    assert set(doc) == {"edition", "categories"} and doc["edition"] == 2021
    assert list(doc["categories"]) == list(CATEGORIES)
    assert doc["categories"]["expert"] == [] and doc["categories"]["window_county"] == []
    star = doc["categories"]["star"][0]
    assert tuple(star) == RANK_JSON_KEYS
    assert star["total"] == pytest.approx(256 / 3, abs=1e-12) and star["total"] != 85.33
    assert (star["expert_score"], star["portal_score"], star["rank"], star["status"]) == (
        pytest.approx(256 / 3), None, 1, "selected")
    inst = doc["categories"]["institution"][0]
    assert (inst["expert_score"], inst["portal_score"], inst["total"]) == (90, 80, 87)
    win = doc["categories"]["window_city"][0]
    assert (win["expert_score"], win["portal_score"], win["total"], win["name"]) == (None, None, 100, "平台C1")


def test_summaries_count_each_list():
    inputs = RankingInput(institution=(
        app("A", [90] * 3, 90), app("B", [80] * 3, 80), app("OLD", [], prior_award=True),
        app("X", [99] * 3, 99, ineligible_reason="材料不全"), app("F", [88]),
    ))
    result = rank_all(inputs, settings(quotas={"institution": 1}))
    s = summaries(result)["institution"]
    # 5 applications; 3 compete (A, B, F); ranked A, B; selected A; F too few scores
    assert (s.applications, s.eligible, s.ranked, s.selected, s.pending, s.prior_award, s.ineligible,
            s.too_few_scores) == (5, 3, 2, 1, 0, 1, 1, 1)


def test_round2_rounds_half_away_from_zero_like_excel():
    assert round2(2.675) == 2.68  # Python's round(2.675, 2) gives 2.67
    assert round2(-2.675) == -2.68
    assert round2(Fraction(256, 3)) == 85.33
    assert round2(83.69999999999999) == 83.7
    assert round2(None) is None


# -- sensitivity ---------------------------------------------------------------------
def test_sensitivity_lists_entries_whose_status_changes_with_the_weights():
    # quota 1.  P: expert 90, portal 50;  Q: expert 80, portal 75
    #   70/30: P = 63 + 15 = 78,  Q = 56 + 22.5 = 78.5 -> Q selected
    #   60/40: P = 54 + 20 = 74,  Q = 48 + 30 = 78   -> Q (no change)
    #   80/20: P = 72 + 10 = 82,  Q = 64 + 15 = 79   -> P selected (both change)
    #   plain mean: 3 scores each, already the mean -> no change
    inputs = RankingInput(institution=(app("P", [90] * 3, 50), app("Q", [80] * 3, 75)))
    s = settings(quotas={"institution": 1})
    report = sensitivity(inputs, s)
    assert [sc.key for sc in report.scenarios] == ["weights_60_40", "weights_80_20", "method_mean"]
    got = {(c.scenario, c.id, c.baseline_status, c.alternative_status) for c in report.changes}
    assert got == {("weights_80_20", "P", NOT_SELECTED, SELECTED), ("weights_80_20", "Q", SELECTED, NOT_SELECTED)}
    assert report.for_scenario("weights_80_20")[0].scenario_label == "专家评审80%、官网备案20%"


def test_sensitivity_to_the_plain_mean():
    # quota 1.  S1: 100, 70, 70, 70, 70 -> trimmed (380-100-70)/3 = 70, mean 380/5 = 76
    #           S2: 72 × 5 -> 72 either way.  Trimmed: S2 selected; mean: S1 selected.
    inputs = RankingInput(star=(app("S1", [100, 70, 70, 70, 70]), app("S2", [72] * 5)))
    report = sensitivity(inputs, settings(quotas={"star": 1}))
    got = {(c.scenario, c.id, c.baseline_status, c.alternative_status, c.alternative_total) for c in report.changes}
    assert got == {("method_mean", "S1", NOT_SELECTED, SELECTED, 76.0), ("method_mean", "S2", SELECTED, NOT_SELECTED, 72.0)}

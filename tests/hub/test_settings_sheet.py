"""The 设置 sheet: rows from the edition, and back to overrides plus findings (pure core)."""

import datetime as dt

import pytest

from xl_awards.edition import load_edition
from xl_awards.hub.settings_sheet import apply_settings, read_settings, settings_rows

EDITION = load_edition(2021)
FIRST_ROW = 3  # the template's data rows start at Excel row 3


def _rows(changes: dict | None = None):
    """The template's rows as the reader hands them over, with some values replaced (by 键)."""
    changes = changes or {}
    out = []
    for i, r in enumerate(settings_rows(EDITION)):
        value = changes.get(r.key, r.value)
        out.append((FIRST_ROW + i, {"key": r.key, "label": r.label, "value": value}))
    return out


def _row_of(key: str) -> int:
    return next(n for n, cells in _rows() if cells["key"] == key)


def _read(changes):
    result = read_settings(_rows(changes), EDITION, file="hub.xlsx")
    return result.overrides, [(f.rule, f.severity, f.cell, f.field) for f in result.findings], result.findings


def test_rows_show_the_notice_values():
    shown = {r.key: r.value for r in settings_rows(EDITION)}
    # From the notice (seed text): quotas 5 + 14 / 30 / 10 / 10 / 10, total = 0.7 x review + 0.3 x portal,
    # applications 2022-08-15 .. 2022-09-20, publicity 5 working days, 3 years' bar.
    assert shown["year"] == 2021
    assert shown["awards.window.quota.city"] == 5
    assert shown["awards.window.quota.county"] == 14
    assert shown["awards.star.quota"] == 30
    assert shown["awards.institution.quota"] == 10
    assert shown["awards.expert.quota"] == 10
    assert shown["awards.product.quota"] == 10
    assert shown["scoring.expert_weight"] == 0.7
    assert shown["scoring.portal_weight"] == 0.3
    assert shown["dates.application_start"] == dt.date(2022, 8, 15)
    assert shown["dates.application_deadline"] == dt.date(2022, 9, 20)
    assert shown["dates.reference_date"] == dt.date(2021, 12, 31)
    assert shown["scoring.aggregation"] == "去掉最高最低分平均"
    assert shown["scoring.trim_threshold"] == 5
    assert shown["publicity.working_days"] == 5
    assert shown["sanctions.bar_years"] == 3
    assert shown["min_recipient_rows"] == 1
    assert [shown[f"awards.window.metric_weights.{i}"] for i in (1, 2, 3, 4)] == [0.25] * 4
    labels = {r.key: r.label for r in settings_rows(EDITION)}
    assert labels["awards.institution.quota"] == "优秀服务机构名额"
    allowed = {r.key: r.allowed for r in settings_rows(EDITION)}
    assert allowed["scoring.aggregation"] == "去掉最高最低分平均、算术平均、标准分"
    assert allowed["awards.window.quota.city"] == "0～14整数"  # at most one platform per 市州


def test_round_trip_is_silent():
    overrides, findings, _ = _read({})
    assert overrides == {}
    assert findings == []


def test_valid_changes_become_overrides():
    overrides, findings, _ = _read({
        "awards.institution.quota": 12,
        "scoring.expert_weight": 0.6,
        "scoring.portal_weight": "40%",  # typed as a percentage: 0.4
        "scoring.aggregation": "算术平均",
        "publicity.working_days": "7",  # a number typed as text
        "dates.application_deadline": "2022年9月25日",
    })
    assert findings == []
    assert overrides == {
        "awards.institution.quota": 12,
        "scoring.expert_weight": 0.6,
        "scoring.portal_weight": 0.4,
        "scoring.aggregation": "mean",
        "publicity.working_days": 7,
        "dates.application_deadline": "2022-09-25",
    }
    edition = EDITION.with_overrides(overrides)
    assert edition.award("institution")["quota"] == 12
    assert edition.deadline == dt.date(2022, 9, 25)
    assert edition.scoring["aggregation"] == "mean"


def test_date_typed_as_text_normalises_to_the_preset():
    # 2022年9月20日 is the preset deadline: no override, no finding.
    overrides, findings, _ = _read({"dates.application_deadline": "2022年9月20日"})
    assert (overrides, findings) == ({}, [])
    overrides, findings, _ = _read({"dates.application_deadline": "2022/9/20"})
    assert (overrides, findings) == ({}, [])


def test_weight_out_of_range_keeps_the_preset():
    overrides, findings, raw = _read({"scoring.expert_weight": 1.5})
    row = _row_of("scoring.expert_weight")
    assert overrides == {}
    # Only the out-of-range finding: the rejected value takes no part in the weights-sum check.
    assert findings == [("setting_out_of_range", "error", f"C{row}", "专家评审得分权重")]
    assert "1.5" in raw[0].message and "沿用预设值0.7" in raw[0].message
    assert raw[0].file == "hub.xlsx" and raw[0].sheet == "设置" and raw[0].row == row


def test_negative_quota():
    overrides, findings, raw = _read({"awards.institution.quota": -1})
    assert overrides == {}
    assert findings == [("setting_out_of_range", "error", f"C{_row_of('awards.institution.quota')}", "优秀服务机构名额")]
    assert "沿用预设值10" in raw[0].message


@pytest.mark.parametrize("value", [10.5, "十个", "10人"])
def test_quota_not_an_integer(value):
    overrides, findings, _ = _read({"awards.institution.quota": value})
    assert overrides == {}
    assert [f[0] for f in findings] == ["setting_invalid"]


def test_window_city_quota_above_the_number_of_cities():
    # 14 市州: a quota of 15 city-tier platforms cannot be met.
    overrides, findings, _ = _read({"awards.window.quota.city": 15})
    assert overrides == {} and [f[0] for f in findings] == ["setting_out_of_range"]
    overrides, findings, _ = _read({"awards.window.quota.city": 14})
    assert overrides == {"awards.window.quota.city": 14} and findings == []


def test_unknown_aggregation_method():
    overrides, findings, raw = _read({"scoring.aggregation": "中位数"})
    assert overrides == {}
    assert [f[0] for f in findings] == ["setting_invalid"]
    assert "去掉最高最低分平均、算术平均、标准分" in raw[0].message


@pytest.mark.parametrize("value, expected", [("标准分", "zscore"), ("zscore", "zscore"), ("mean", "mean")])
def test_aggregation_accepts_label_or_key(value, expected):
    overrides, findings, _ = _read({"scoring.aggregation": value})
    assert overrides == {"scoring.aggregation": expected} and findings == []


@pytest.mark.parametrize("value, rule", [("2022-13-01", "setting_invalid"), ("下月底", "setting_invalid"),
                                         (dt.date(2030, 1, 1), "setting_out_of_range")])
def test_bad_dates(value, rule):
    overrides, findings, _ = _read({"dates.application_deadline": value})
    assert overrides == {}
    assert [f[0] for f in findings] == [rule]


def test_weights_must_sum_to_one():
    # 0.6 + 0.3 (unchanged) = 0.9: both stay at the preset, one finding names the problem.
    overrides, findings, raw = _read({"scoring.expert_weight": 0.6})
    assert overrides == {}
    assert [f[0] for f in findings] == ["setting_inconsistent"]
    assert "0.9" in raw[0].message and "专家评审得分权重" in raw[0].message


def test_start_after_deadline_is_inconsistent():
    overrides, findings, _ = _read({"dates.application_start": dt.date(2022, 10, 1)})
    assert overrides == {}
    assert [f[0] for f in findings] == ["setting_inconsistent"]


def test_metric_weights():
    # 0.4 + 0.1 + 0.25 + 0.25 = 1: accepted as one list override.
    overrides, findings, _ = _read({"awards.window.metric_weights.1": 0.4, "awards.window.metric_weights.2": 0.1})
    assert findings == []
    assert overrides == {"awards.window.metric_weights": [0.4, 0.1, 0.25, 0.25]}
    # 0.4 + 0.25 * 3 = 1.15: rejected.
    overrides, findings, _ = _read({"awards.window.metric_weights.1": 0.4})
    assert overrides == {} and [f[0] for f in findings] == ["setting_inconsistent"]


def test_year_is_read_only():
    overrides, findings, _ = _read({"year": 2022})
    assert overrides == {}
    assert [(f[0], f[1]) for f in findings] == [("setting_readonly", "warning")]
    assert _read({"year": "2021年"})[1] == []


def test_blank_value_keeps_the_preset_silently():
    assert _read({"awards.star.quota": None})[:2] == ({}, [])
    assert _read({"awards.star.quota": "  "})[:2] == ({}, [])


def test_row_found_by_label_when_key_cleared_and_unknown_rows_reported():
    rows = _rows()
    n, cells = next((n, c) for n, c in rows if c["key"] == "awards.star.quota")
    cells.update({"key": None, "value": 25})
    rows.append((40, {"key": "scoring.median", "label": "中位数", "value": 1}))
    rows.append((41, {"key": None, "label": None, "value": None}))  # a blank row: ignored
    result = read_settings(rows, EDITION)
    assert result.overrides == {"awards.star.quota": 25}
    assert [(f.rule, f.row) for f in result.findings] == [("setting_unknown", 40)]


def test_duplicate_row_first_wins():
    rows = _rows({"awards.star.quota": 28})
    rows.append((40, {"key": "awards.star.quota", "label": "服务之星名额", "value": 35}))
    result = read_settings(rows, EDITION)
    assert result.overrides == {"awards.star.quota": 28}
    assert [(f.rule, f.row) for f in result.findings] == [("setting_duplicate", 40)]


def test_apply_settings_gives_the_effective_edition():
    edition, findings = apply_settings(_rows({"awards.product.quota": 8, "scoring.expert_weight": 2}), EDITION)
    assert edition.award("product")["quota"] == 8
    assert edition.scoring["expert_weight"] == 0.7  # 2 was out of range: preset kept
    assert [f.rule for f in findings] == ["setting_out_of_range"]
    assert EDITION.award("product")["quota"] == 10  # the preset itself is untouched


# -- 每项申报评审专家数: a number, or 全部专家 (the edition's null: the whole panel) ------------------

PER_APP = "scoring.experts_per_application"


def test_experts_per_application_shows_all_experts_and_reads_back_silently():
    shown = {r.key: r for r in settings_rows(EDITION)}
    assert shown[PER_APP].label == "每项申报评审专家数"
    assert shown[PER_APP].value == "全部专家"  # the edition's null
    assert shown[PER_APP].allowed == "全部专家，或1～500整数"
    assert _read({}) [:2] == ({}, [])


@pytest.mark.parametrize("typed, expected", [(5, 5), ("５", 5), (" 7 ", 7), (3.0, 3), ("全部", None), ("全部专家", None)])
def test_experts_per_application_accepts_a_count_or_all(typed, expected):
    overrides, findings, _ = _read({PER_APP: typed})
    assert findings == []
    assert overrides == ({PER_APP: expected} if expected is not None else {})


@pytest.mark.parametrize("typed, rule", [(0, "setting_out_of_range"), (501, "setting_out_of_range"),
                                         (4.5, "setting_invalid"), ("五人", "setting_invalid")])
def test_experts_per_application_bad_values_keep_the_preset(typed, rule):
    overrides, findings, _ = _read({PER_APP: typed})
    assert overrides == {}
    assert findings == [(rule, "error", f"C{_row_of(PER_APP)}", "每项申报评审专家数")]


def test_fewer_experts_per_application_than_counted_scores_is_inconsistent():
    # 最少有效评分数 is 3 in the edition: 2 experts per application could never give 3 scores
    overrides, findings, found = _read({PER_APP: 2})
    assert overrides == {}
    assert findings == [("setting_inconsistent", "error", f"C{_row_of(PER_APP)}", "每项申报评审专家数")]
    assert "每项申报评审专家数（2）少于最少有效评分数（3）" in found[0].message
    overrides, findings, _ = _read({PER_APP: 2, "scoring.min_counted_scores": 2})
    assert findings == [] and overrides == {PER_APP: 2, "scoring.min_counted_scores": 2}

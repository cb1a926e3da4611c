"""Pure publicity core: working days, masking, the list, objections and move-up (hand-worked)."""

import datetime as dt
import re

import pytest

from xl_awards.publicity.listing import (
    Candidate,
    apply_sheet_statuses,
    carry_objections,
    publicity_list,
    unresolved_ties,
)
from xl_awards.publicity.final_list import PublishedRow, final_list, published_rows
from xl_awards.publicity.working_days import adjustments_from_rows, publicity_end, publicity_window
from xl_awards.publicity.masking import mask_personal_info

D = dt.date
NAMES = {"window_city": "最受欢迎窗口服务平台", "window_county": "最受欢迎窗口服务平台", "star": "服务之星",
         "institution": "优秀服务机构", "expert": "优秀服务专家", "product": "创新服务产品"}
ID_RE = re.compile(r"\d{17}[\dXx]")
MOBILE_RE = re.compile(r"1[3-9]\d{9}")


# -- working days -----------------------------------------------------------------------

def test_plain_week():
    # 2022-10-10 is a Monday: Mon..Fri 10-10, 10-11, 10-12, 10-13, 10-14 -> ends Friday 10-14.
    assert publicity_end(D(2022, 10, 10), 5, {}) == (D(2022, 10, 14), [])


def test_national_day_with_make_up_workdays():
    # 09-30 (Fri) works; 10-01..10-07 National Day holiday; 10-08 (Sat) and 10-09 (Sun) are make-up
    # workdays; so the 5 working days are 09-30, 10-08, 10-09, 10-10, 10-11.
    window = publicity_window(D(2022, 9, 30), 5, {})
    assert window.working_days == (D(2022, 9, 30), D(2022, 10, 8), D(2022, 10, 9), D(2022, 10, 10), D(2022, 10, 11))
    assert (window.start, window.end, window.warnings) == (D(2022, 9, 30), D(2022, 10, 11), ())


def test_hub_rest_day_adjustment_moves_the_end():
    # Same as above but the hub marks 10-10 a 休息日: 09-30, 10-08, 10-09, 10-11, 10-12.
    assert publicity_end(D(2022, 9, 30), 5, {D(2022, 10, 10): False})[0] == D(2022, 10, 12)


def test_hub_working_day_adjustment_adds_a_day():
    # 2022-10-15 is a Saturday; marked 工作日 it counts: 10-10..10-14 already make 5, so start
    # on 10-11 instead: 10-11, 10-12, 10-13, 10-14, 10-15 -> ends Saturday 10-15 (not Monday 10-17).
    assert publicity_end(D(2022, 10, 11), 5, {D(2022, 10, 15): True})[0] == D(2022, 10, 15)


def test_start_on_a_rest_day_moves_to_the_next_working_day_with_a_warning():
    # 10-01 is a holiday; the next working day is the make-up Saturday 10-08: 10-08, 10-09, 10-10,
    # 10-11, 10-12.
    window = publicity_window(D(2022, 10, 1), 5, {})
    assert (window.start, window.end) == (D(2022, 10, 8), D(2022, 10, 12))
    assert [f.rule for f in window.warnings] == ["publicity_start_moved"]
    assert "2022-10-01" in window.warnings[0].message and "2022-10-08" in window.warnings[0].message


def test_year_outside_the_calendar_is_an_explicit_warning():
    # 2027 is not in chinesecalendar 1.11.0: Monday-Friday fallback. 2027-01-04 is a Monday -> 01-08.
    end, warnings = publicity_end(D(2027, 1, 4), 5, {})
    assert end == D(2027, 1, 8)
    assert [f.rule for f in warnings] == ["publicity_calendar_unknown"]
    assert "2027" in warnings[0].message and "节假日调整" in warnings[0].message
    # The hub's adjustments still apply in the fallback: 01-05 a rest day -> 04, 06, 07, 08, 11 (Mon).
    end, warnings = publicity_end(D(2027, 1, 4), 5, {D(2027, 1, 5): False})
    assert end == D(2027, 1, 11) and [f.rule for f in warnings] == ["publicity_calendar_unknown"]


def test_window_running_into_an_unknown_year_warns_too():
    # 2026-12-28 (Mon) .. 12-31 (Thu) are ordinary working days in the calendar (4 days); the 5th is
    # 2027-01-01, a Friday the calendar does not know: counted as a weekday, with the warning.
    end, warnings = publicity_end(D(2026, 12, 28), 5, {})
    assert end == D(2027, 1, 1)
    assert [f.rule for f in warnings] == ["publicity_calendar_unknown"]


def test_adjustment_rows():
    rows = [
        (3, {"date": dt.datetime(2022, 10, 10), "kind": "休息日"}),
        (4, {"date": "2022/10/15", "kind": "工作日"}),
        (5, {"date": "不是日期", "kind": "休息日"}),
        (6, {"date": "2022-10-16", "kind": "调休"}),
        (7, {"date": "2022-10-10", "kind": "工作日"}),
    ]
    adjustments, found = adjustments_from_rows(rows)
    assert adjustments == {D(2022, 10, 10): False, D(2022, 10, 15): True}
    assert [(f.rule, f.row) for f in found] == [
        ("publicity_holiday_invalid", 5), ("publicity_holiday_invalid", 6), ("publicity_holiday_duplicate", 7)]


# -- masking -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("43010219850312123X", "［身份证号码已隐去］"),
    ("李明（430304198001014569）", "李明（［身份证号码已隐去］）"),
    ("电话13907310000", "电话［电话已隐去］"),
    ("电话 139-0731-0000", "电话 ［电话已隐去］"),
    ("座机0731-89706288", "座机［电话已隐去］"),
    ("+86 13907310000", "［电话已隐去］"),
])
def test_mask_removes_ids_and_phones(text, expected):
    assert mask_personal_info(text) == expected


@pytest.mark.parametrize("text", ["JG001", "2021年度优秀服务机构", "长沙市中小企业服务中心", "91430100MA4L12345A", "96871"])
def test_mask_leaves_other_text(text):
    # A 统一社会信用代码 is not personal information (and has letters, so it is no ID number).
    assert mask_personal_info(text) == text


# -- the list ------------------------------------------------------------------------

def cand(category, id_, rank, status, name=None, unit="", city="长沙市"):
    return Candidate(category=category, id=id_, name=name or id_, unit=unit, city=city, rank=rank, status=status)


def test_publicity_list_selected_only_by_rank_and_masked():
    candidates = {
        "institution": [
            cand("institution", "JG2", 2, "selected"),
            cand("institution", "JG1", 1, "selected"),
            cand("institution", "JG3", 3, "not_selected"),
            cand("institution", "JG4", None, "prior_award_valid"),
            cand("institution", "JG5", None, "ineligible"),
        ],
        "star": [cand("star", "FW1", 1, "selected", name="张星", unit="株洲窗口 13907310000")],
        "window_county": [cand("window_county", "浏阳市窗口", 1, "selected", unit="浏阳市")],
    }
    entries, found = publicity_list(candidates, NAMES, {"institution": 2, "star": 30, "window_county": 14})
    assert found == []
    rows = [(e.award, e.seq, e.id, e.name, e.unit) for e in entries]
    # Order: window city (none), window county, star, institution; 序号 restarts per list.
    assert rows == [
        ("最受欢迎窗口服务平台（县市区）", 1, "", "浏阳市窗口", "浏阳市"),
        ("服务之星", 1, "FW1", "张星", "株洲窗口 ［电话已隐去］"),
        ("优秀服务机构", 1, "JG1", "JG1", ""),
        ("优秀服务机构", 2, "JG2", "JG2", ""),
    ]
    text = repr([e.sheet_row() for e in entries])
    assert not ID_RE.search(text) and not MOBILE_RE.search(text)


def test_tie_decisions_from_the_sheet_and_unresolved_ties():
    candidates = {"institution": [
        cand("institution", "JG1", 1, "selected"),
        cand("institution", "JG2", 2, "tie_pending"),
        cand("institution", "JG3", 2, "tie_pending"),
        cand("institution", "JG4", 4, "not_selected"),
    ]}
    quotas = {"institution": 2}
    # Undecided: one place left (quota 2 - 1 selected) for JG2 and JG3 at rank 2.
    sheet = {("institution", "JG1"): "selected", ("institution", "JG2"): "tie_pending",
             ("institution", "JG3"): "tie_pending", ("institution", "JG4"): "not_selected"}
    merged, stale, picks = apply_sheet_statuses(candidates, sheet, NAMES)
    assert stale == [] and picks == set()
    [err] = unresolved_ties(merged, quotas, NAMES)
    assert err.rule == "publicity_tie_unresolved"
    assert "第2名" in err.message and "“JG2”、“JG3”" in err.message and "剩余名额1个" in err.message
    # The hub decides JG3 in, JG2 out.
    sheet.update({("institution", "JG2"): "not_selected", ("institution", "JG3"): "selected"})
    merged, stale, _ = apply_sheet_statuses(candidates, sheet, NAMES)
    assert stale == [] and unresolved_ties(merged, quotas, NAMES) == []
    entries, found = publicity_list(merged, NAMES, quotas)
    assert [(e.id, e.seq) for e in entries] == [("JG1", 1), ("JG3", 2)] and found == []
    # Both in: over the quota, a warning (the hub's call).
    sheet[("institution", "JG2")] = "selected"
    merged, _, _ = apply_sheet_statuses(candidates, sheet, NAMES)
    entries, found = publicity_list(merged, NAMES, quotas)
    assert len(entries) == 3 and [f.rule for f in found] == ["publicity_over_quota"]


def test_stale_sheet_is_an_error():
    candidates = {"institution": [cand("institution", "JG1", 1, "selected"), cand("institution", "JG2", 2, "not_selected")]}
    # The sheet says JG2 入选 (data changed since ranking), JG1 is missing, JG9 no longer exists.
    sheet = {("institution", "JG2"): "selected", ("institution", "JG9"): "selected"}
    _, stale, picks = apply_sheet_statuses(candidates, sheet, NAMES)
    assert [f.rule for f in stale] == ["publicity_ranking_stale"] * 3 and picks == set()
    # At finalize a ranked not_selected entry marked 入选 is a pick, not staleness.
    _, stale, picks = apply_sheet_statuses(candidates, sheet, NAMES, allow_picks=True)
    assert len(stale) == 2 and picks == {("institution", "JG2")}


def test_carry_objections_kept_for_the_same_entries():
    candidates = {"institution": [cand("institution", "JG1", 1, "selected"), cand("institution", "JG2", 2, "selected")]}
    entries, _ = publicity_list(candidates, NAMES)
    previous = [(3, {"award": "优秀服务机构", "app_id": "JG2", "name": "JG2", "objection": "材料不实", "withdrawn": "是"}),
                (4, {"award": "优秀服务机构", "app_id": "JG7", "name": "JG7", "objection": "x", "withdrawn": "是"})]
    kept, found = carry_objections(entries, previous, NAMES)
    assert kept == {("institution", "JG2"): {"objection": "材料不实", "withdrawn": "是"}}
    assert [f.rule for f in found] == ["publicity_kept_objection"]


# -- objections and move-up --------------------------------------------------------------

# Quota 3: A1, A2, A3 selected (ranks 1-3); B rank 4, C rank 5 not selected; P a prior awardee,
# X ineligible, Z too few scores (not ranked): none of those three may ever move up.
def ladder(c_rank=5):
    return {"institution": [
        cand("institution", "A1", 1, "selected"), cand("institution", "A2", 2, "selected"),
        cand("institution", "A3", 3, "selected"), cand("institution", "B", 4, "not_selected"),
        cand("institution", "C", c_rank, "not_selected"), cand("institution", "P", None, "prior_award_valid"),
        cand("institution", "X", None, "ineligible"), cand("institution", "Z", None, "not_selected"),
    ]}


def published(withdrawn=()):
    return [PublishedRow(row=3 + i, category="institution", id=i_d, name=i_d, withdrawn=i_d in withdrawn,
                         objection="异议成立" if i_d in withdrawn else "")
            for i, i_d in enumerate(("A1", "A2", "A3"))]


def ids(result):
    return [(e.id, e.seq, e.way) for e in result.entries]


def test_no_objection_keeps_the_list():
    result = final_list(ladder(), published(), NAMES)
    assert ids(result) == [("A1", 1, "公示无异议"), ("A2", 2, "公示无异议"), ("A3", 3, "公示无异议")]
    assert result.findings == [] and not result.blocked


def test_one_withdrawn_the_next_moves_up():
    # A2 withdrawn -> A1, A3 stay; one place: B (rank 4) moves up.
    result = final_list(ladder(), published({"A2"}), NAMES)
    assert ids(result) == [("A1", 1, "公示无异议"), ("A3", 2, "公示无异议"), ("B", 3, "递补")]
    assert [f.rule for f in result.findings] == ["finalize_withdrawn", "finalize_moved_up"]
    assert not result.blocked


def test_withdrawn_without_an_objection_still_withdraws_but_asks_for_it():
    # A2 marked 撤销 with 异议情况 blank: still withdrawn (B, rank 4, moves up as above), and a warning
    # at A2's 异议情况 cell (row 3 + 1 = 4) instead of the usual finalize_withdrawn info.
    rows = published()
    rows[1] = PublishedRow(row=4, category="institution", id="A2", name="A2", withdrawn=True, objection="")
    result = final_list(ladder(), rows, NAMES)
    assert ids(result) == [("A1", 1, "公示无异议"), ("A3", 2, "公示无异议"), ("B", 3, "递补")]
    [warn] = [f for f in result.findings if f.rule == "finalize_withdrawn_no_reason"]
    assert (warn.severity, warn.row, warn.field) == ("warning", 4, "异议情况")
    assert "第4行“A2”标记撤销，但未填写异议情况" in warn.message
    assert "finalize_withdrawn" not in [f.rule for f in result.findings] and not result.blocked


def test_a_published_row_not_in_the_ranking_is_ignored_with_a_warning():
    # A row the hub typed into 公示名单 by hand (Q9, row 6) is neither kept nor lets anyone move up.
    rows = published() + [PublishedRow(row=6, category="institution", id="Q9", name="某机构", withdrawn=True)]
    result = final_list(ladder(), rows, NAMES)
    assert ids(result) == [("A1", 1, "公示无异议"), ("A2", 2, "公示无异议"), ("A3", 3, "公示无异议")]
    assert [(f.rule, f.row) for f in result.findings] == [("finalize_unknown_row", 6)]
    assert "第6行“某机构”（优秀服务机构）在排名中找不到" in result.findings[0].message


def test_two_withdrawn_two_move_up_and_no_more():
    # A1, A3 withdrawn -> two places: B (4), C (5); P, X, Z never move up.
    result = final_list(ladder(), published({"A1", "A3"}), NAMES)
    assert ids(result) == [("A2", 1, "公示无异议"), ("B", 2, "递补"), ("C", 3, "递补")]


def test_not_enough_successors_leaves_a_vacancy():
    # All three withdrawn -> 3 places but only B and C are ranked and not selected: one vacancy.
    result = final_list(ladder(), published({"A1", "A2", "A3"}), NAMES)
    assert ids(result) == [("B", 1, "递补"), ("C", 2, "递补")]
    [warn] = [f for f in result.findings if f.rule == "finalize_no_successor"]
    assert "撤销3个" in warn.message and "可递补的只有2个" in warn.message and "空缺1个" in warn.message
    assert not result.blocked


def test_tie_at_the_new_line_is_reported_not_cut():
    # B and C share rank 4; one place (A2 withdrawn) -> a tie of 2 for 1 place: nobody moves up.
    result = final_list(ladder(c_rank=4), published({"A2"}), NAMES)
    assert result.blocked
    [err] = [f for f in result.findings if f.is_error]
    assert err.rule == "finalize_tie_at_line"
    assert "第4名" in err.message and "2个并列" in err.message and "只剩1个名额" in err.message
    assert ids(result) == [("A1", 1, "公示无异议"), ("A3", 2, "公示无异议")]
    assert not [f for f in result.findings if f.rule == "finalize_no_successor"]


def test_tie_at_the_new_line_decided_by_the_hub():
    result = final_list(ladder(c_rank=4), published({"A2"}), NAMES, picks={("institution", "C")})
    assert not result.blocked
    assert ids(result) == [("A1", 1, "公示无异议"), ("A3", 2, "公示无异议"), ("C", 3, "递补")]
    # Two places for the tied pair: both move up, no pick needed.
    result = final_list(ladder(c_rank=4), published({"A1", "A2"}), NAMES)
    assert ids(result) == [("A3", 1, "公示无异议"), ("B", 2, "递补"), ("C", 3, "递补")]


def test_a_pick_outside_a_tie_is_an_error():
    # C (rank 5) marked 入选 although nothing needs it.
    result = final_list(ladder(), published(), NAMES, picks={("institution", "C")})
    assert [f.rule for f in result.findings] == ["finalize_pick_not_tied"] and result.blocked


def test_published_rows_from_the_sheet():
    rows = [(3, {"award": "优秀服务机构", "name": "机构甲", "app_id": "JG001", "withdrawn": "是", "objection": "材料不实",
                 "start": dt.datetime(2022, 10, 10), "end": "2022-10-14"}),
            (4, {"award": "最受欢迎窗口服务平台（县市区）", "name": "浏阳市窗口", "app_id": None, "withdrawn": None}),
            (5, {"award": "?", "name": "", "app_id": "JG9"})]
    [a, b] = published_rows(rows, NAMES)
    assert (a.category, a.id, a.withdrawn, a.objection, a.start, a.end) == (
        "institution", "JG001", True, "材料不实", D(2022, 10, 10), D(2022, 10, 14))
    assert (b.category, b.id, b.withdrawn) == ("window_county", "浏阳市窗口", False)

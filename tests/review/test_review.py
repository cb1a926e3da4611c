"""The pure review core: conflicts, assignment, signatures, checks of returned content, summary.

Expectations are worked out by hand in the comments; no files are written here
(tests/test_expert_book.py covers real workbooks).
"""

from __future__ import annotations

import random

import pytest

from xl_awards.review.people import (
    CONFLICT_DECLARED,
    CONFLICT_EMPLOYER,
    CONFLICT_SELF,
    ReviewApplication,
    Expert,
    conflicts,
    split_list,
)
from xl_awards.review.signing import IssuedBook, IssuedSheet, sign, signature_ok
from xl_awards.review.returned import ReturnedBook, ReturnedSheet, ScoreRecord, check_returned
from xl_awards.review.assignment import assign
from xl_awards.review.statistics import expert_summary

INST = "优秀服务机构"
PROD = "创新服务产品"
EXP = "优秀服务专家"
STAR = "服务之星"

# Valid-looking codes (checksums are not the business of the review core).
USCC_A = "91430100MA4L0XXXX1"
USCC_B = "91430200MA4L0YYYY2"
ID_EXPERT = "430102198001011234"


def inst(app_id, name, code="", city="长沙市"):
    return ReviewApplication(app_id, "institution", name, award_name=INST, id_code=code, city=city)


def prod(app_id, name, unit, unit_code="", city="长沙市"):
    return ReviewApplication(app_id, "product", name, award_name=PROD, unit=unit, unit_code=unit_code, city=city)


def person(app_id, name, id_number, employer, city="长沙市"):
    return ReviewApplication(app_id, "expert", name, award_name=EXP, id_code=id_number, unit=employer, city=city)


# -- conflicts --------------------------------------------------------------------------


def test_each_kind_of_conflict():
    # The expert works at 湖南甲咨询有限公司 (code USCC_A) and declared 乙检测中心 as a 回避单位.
    e = Expert("E01", "张三", employer="湖南甲咨询有限公司", employer_code=USCC_A, id_number=ID_EXPERT,
               awards=(INST, PROD, EXP), avoid=("乙检测中心", USCC_B))
    # Same name written with full-width letters / spaces normalises equal -> employer conflict.
    assert conflicts(e, inst("A1", "湖南甲咨询 有限公司")) == [CONFLICT_EMPLOYER]
    # Different name but the same 统一社会信用代码 -> employer conflict.
    assert conflicts(e, inst("A2", "甲咨询（更名后）", code=USCC_A.lower())) == [CONFLICT_EMPLOYER]
    # A product whose 申报单位 is the expert's unit (by name, then by code).
    assert conflicts(e, prod("P1", "某产品", unit="湖南甲咨询有限公司")) == [CONFLICT_EMPLOYER]
    assert conflicts(e, prod("P2", "某产品", unit="另一名称", unit_code=USCC_A)) == [CONFLICT_EMPLOYER]
    # The expert applies as 优秀服务专家 (same 身份证号码); employer differs.
    assert conflicts(e, person("X1", "张三", ID_EXPERT, "别的单位")) == [CONFLICT_SELF]
    # An applicant expert who works at the same unit (same 工作单位).
    assert conflicts(e, person("X2", "李四", "430102198202021236", "湖南甲咨询有限公司")) == [CONFLICT_EMPLOYER]
    # Declared 回避单位 by name and by code; a product of the declared unit too.
    assert conflicts(e, inst("A3", "乙检测中心")) == [CONFLICT_DECLARED]
    assert conflicts(e, inst("A4", "丙机构", code=USCC_B)) == [CONFLICT_DECLARED]
    assert conflicts(e, prod("P3", "检测产品", unit="乙检测中心")) == [CONFLICT_DECLARED]
    # Unrelated applicant: none.  Blank names/codes never match each other.
    assert conflicts(e, inst("A5", "丁机构")) == []
    blank = Expert("E09", "空白", awards=(INST,))
    assert conflicts(blank, inst("A6", "戊机构")) == []
    assert conflicts(blank, prod("P4", "产品", unit="")) == []


def test_split_list_accepts_every_separator():
    assert split_list("优秀服务机构、创新服务产品，服务之星;优秀服务专家\n其他") == (INST, PROD, STAR, EXP, "其他")


def test_conflicting_experts_are_never_assigned():
    experts = [
        Expert("E01", "甲", employer="甲机构", awards=(INST, PROD)),
        Expert("E02", "乙", employer="乙单位", employer_code=USCC_B, awards=(INST, PROD)),
        Expert("E03", "丙", employer="丙大学", avoid=("丁机构",), awards=(INST, PROD)),
        Expert("E04", "丁", employer="戊大学", awards=(INST, PROD)),
    ]
    apps = [
        inst("A1", "甲机构"),  # E01 works there
        prod("P1", "某产品", unit="某公司", unit_code=USCC_B),  # E02's unit by code
        inst("A2", "丁机构"),  # E03 declared it
        inst("A3", "庚机构"),  # no conflict
    ]
    a = assign(experts, apps)  # whole panel
    assert a.ok
    assert a.by_application == {
        "A1": ("E02", "E03", "E04"),
        "A2": ("E01", "E02", "E04"),
        "A3": ("E01", "E02", "E03", "E04"),
        "P1": ("E01", "E03", "E04"),
    }
    assert dict(a.excluded["A1"]) == {"E01": (CONFLICT_EMPLOYER,)}
    assert dict(a.excluded["P1"]) == {"E02": (CONFLICT_EMPLOYER,)}
    assert dict(a.excluded["A2"]) == {"E03": (CONFLICT_DECLARED,)}


def test_expert_applicant_not_assigned_to_own_application():
    experts = [Expert(f"E0{i}", n, employer=f"单位{i}", id_number=ID_EXPERT if i == 1 else "", awards=(EXP,))
               for i, n in enumerate(["张三", "李四", "王五"], start=1)]
    a = assign(experts, [person("X1", "张三", ID_EXPERT, "另一单位")])
    assert a.by_application == {"X1": ("E02", "E03")}


def test_only_the_awards_panel_reviews_it():
    # 服务之星 is scored by hub reviewers: experts whose 评审类别 includes 服务之星.
    experts = [Expert("H1", "枢纽甲", awards=(STAR,)), Expert("E01", "专家", awards=(INST,)),
               Expert("H2", "枢纽乙", awards=(STAR, INST))]
    star = ReviewApplication("S1", "star", "赵六", award_name=STAR, unit="某窗口平台")
    a = assign(experts, [star, inst("A1", "某机构")])
    assert a.by_application == {"S1": ("H1", "H2"), "A1": ("E01", "H2")}


# -- load balance and determinism -----------------------------------------------------------


def test_load_balance_seven_applications_three_experts_two_each():
    # 7 applications x 2 experts = 14 slots over 3 experts: the fairest split is 5/5/4.
    # By hand (greedy, lowest load first, ties by 专家编号):
    #   A1 E01,E02 (1,1,0)  A2 E03,E01 (2,1,1)  A3 E02,E03 (2,2,2)  A4 E01,E02 (3,3,2)
    #   A5 E03,E01 (4,3,3)  A6 E02,E03 (4,4,4)  A7 E01,E02 (5,5,4)
    experts = [Expert(f"E0{i}", f"专家{i}", employer=f"单位{i}", awards=(INST,)) for i in (1, 2, 3)]
    apps = [inst(f"A{i}", f"机构{i}") for i in range(1, 8)]
    a = assign(experts, apps, per_application=2)
    assert a.ok
    assert a.loads() == {"E01": 5, "E02": 5, "E03": 4}
    assert all(len(set(ids)) == 2 for ids in a.by_application.values())
    assert a.by_application["A1"] == ("E01", "E02")
    assert a.by_application["A7"] == ("E01", "E02")


def test_assignment_is_deterministic_whatever_the_input_order():
    experts = [Expert(f"E{i:02d}", f"专家{i}", employer=f"单位{i}", awards=(INST, PROD)) for i in range(1, 7)]
    experts.append(Expert("E07", "专家7", employer="机构3", awards=(INST,)))
    apps = [inst(f"A{i}", f"机构{i}") for i in range(1, 10)] + [prod(f"P{i}", f"产品{i}", unit=f"单位{i}") for i in (1, 2)]
    first = assign(experts, apps, per_application=3)
    for seed in range(5):
        rng = random.Random(seed)
        e2, a2 = experts[:], apps[:]
        rng.shuffle(e2)
        rng.shuffle(a2)
        again = assign(e2, a2, per_application=3)
        assert again.by_application == first.by_application
    # 11 applications x 3 = 33 slots over 7 experts -> loads differ by at most 1... except that
    # E07 reviews only institutions and avoids 机构3; still no expert is more than 1 above another.
    loads = first.loads()
    assert sum(loads.values()) == 33
    assert max(loads.values()) - min(loads.values()) <= 1
    assert "E07" not in first.by_application["A3"]


def test_shortfall_is_reported_and_nothing_assigned_for_it():
    experts = [Expert("E01", "甲", employer="甲机构", awards=(INST,)),
               Expert("E02", "乙", employer="乙", awards=(INST,)),
               Expert("E03", "丙", employer="丙", awards=(INST,))]
    # A1: E01 has a conflict, 2 eligible < 3 required -> one error finding naming A1 and E01.
    a = assign(experts, [inst("A1", "甲机构"), inst("A2", "庚机构")], per_application=3)
    assert not a.ok
    assert [(f.rule, f.severity) for f in a.findings] == [("review_shortfall", "error")]
    assert "A1" in a.findings[0].message and "E01" in a.findings[0].message and "工作单位相同" in a.findings[0].message
    assert "A1" not in a.by_application and a.by_application["A2"] == ("E01", "E02", "E03")
    # Whole-panel default with a minimum of 3 counted scores: the same shortfall.
    assert not assign(experts, [inst("A1", "甲机构")], None, min_experts=3).ok
    # An award nobody reviews: one finding for the award at 专家库 (not a shortfall per application).
    b = assign(experts, [prod("P1", "产品", unit="某公司"), prod("P2", "产品二", unit="某公司")])
    assert [(f.rule, f.sheet) for f in b.findings] == [("review_panel_empty", "专家库")]
    assert "2项申报" in b.findings[0].message and not b.ok


# -- signatures -------------------------------------------------------------------------------


def issued(rows=(("A1", "甲机构", "长沙市"), ("A2", "乙机构", "株洲市"))):
    return IssuedBook("E01", "张三", 2021, 1, "2022-09-25T10:00:00",
                      (IssuedSheet("institution", INST, (("行业影响力", 15.0), ("服务数量与成效", 20.0)), tuple(rows)),))


def test_signature_covers_the_content_and_the_key():
    book = issued()
    text = book.canonical()
    sig = sign(text, b"hub-key")
    assert signature_ok(text, sig, b"hub-key")
    assert not signature_ok(text, sig, b"other-key")
    swapped = issued(rows=(("A2", "乙机构", "株洲市"), ("A1", "甲机构", "长沙市"))).canonical()
    assert not signature_ok(swapped, sig, b"hub-key")
    assert IssuedBook.from_canonical(text) == book  # round trip
    # Canonical: keys sorted, no spaces, Chinese kept as characters.
    assert text.startswith('{"expert_id":"E01","expert_name":"张三","issued_at"')


# -- returned content (grids built by hand) ------------------------------------------------

HEADER = ["申报编号", "申报主体", "所属市州", "行业影响力(15分)", "服务数量与成效(20分)", "合计(35分)", "回避", "评语"]
KEY = b"hub-key"


def returned(rows, header=HEADER, file="专家评分_E01_张三.xlsx", book=None):
    book = book or issued()
    text = book.canonical()
    cells = [["标题"], list(header)] + [list(r) for r in rows]
    return ReturnedBook(file=file, sha256="0" * 64, file_expert_id=file.split("_")[1] if file.count("_") >= 2 else None,
                        content=text, signature=sign(text, KEY), sheets={INST: ReturnedSheet(INST, cells)})


GOOD = [["A1", "甲机构", "长沙市", 12, 18.5, 30.5, "否", "好"], ["A2", "乙机构", "株洲市", 10, 15, 25, "否", ""]]


def rules(checked):
    return [(f.rule, f.cell) for f in checked.findings]


def test_a_complete_return_gives_one_record_per_item():
    c = check_returned(returned(GOOD), KEY, {"E01": Expert("E01", "张三")}, score_step=0.5)
    assert c.accepted and c.findings == []
    assert [(r.app_id, r.item, r.score) for r in c.records] == [
        ("A1", "行业影响力", 12.0), ("A1", "服务数量与成效", 18.5), ("A2", "行业影响力", 10.0), ("A2", "服务数量与成效", 15.0)]


def test_swapped_rows_edited_names_added_rows_are_rejected_at_their_cells():
    swapped = [GOOD[1], GOOD[0]]
    c = check_returned(returned(swapped), KEY, score_step=0.5)
    # Row 3 should be A1 but holds A2, row 4 the reverse: both at the 申报编号 cells.
    assert rules(c) == [("review_row_moved", "A3"), ("review_row_moved", "A4")]
    assert not c.accepted and c.records == []
    edited = [GOOD[0], ["A2", "乙机构（改）", "株洲市", 10, 15, 25, "否", ""]]
    assert rules(check_returned(returned(edited), KEY, score_step=0.5)) == [("review_cell_edited", "B4")]
    added = GOOD + [["A9", "冒名机构", "长沙市", 15, 20, 35, "否", ""]]
    assert rules(check_returned(returned(added), KEY, score_step=0.5)) == [("review_row_added", "A5")]
    removed = [GOOD[0]]
    assert rules(check_returned(returned(removed), KEY, score_step=0.5)) == [("review_row_removed", "A4")]


def test_rubric_change_and_bad_signature():
    header = HEADER[:3] + ["行业影响力(25分)"] + HEADER[4:]
    assert rules(check_returned(returned(GOOD, header=header), KEY, score_step=0.5)) == [("review_rubric_changed", "D2")]
    b = returned(GOOD)
    b.content = b.content.replace("乙机构", "丙机构")  # the hidden content edited
    c = check_returned(b, KEY, score_step=0.5)
    assert rules(c) == [("review_signature", "")] and c.records == []
    b = returned(GOOD)
    b.content = b.signature = None
    assert rules(check_returned(b, KEY, score_step=0.5)) == [("review_meta_missing", "")]


def test_scores_out_of_range_missing_and_recused():
    rows = [["A1", "甲机构", "长沙市", 16, 18.3, None, "否", ""],  # 16 > 15 at D3; 18.3 not a half-point at E3
            ["A2", "乙机构", "株洲市", None, None, None, "否", ""]]  # both blank: D4, E4 missing
    c = check_returned(returned(rows), KEY, score_step=0.5)
    assert rules(c) == [("review_score_range", "D3"), ("review_score_range", "E3"), ("review_scores_missing", "D4")]
    assert "D4、E4" in c.findings[-1].message and "2个" in c.findings[-1].message
    # 回避 = 是: blanks are fine, the row gives records with no score.
    rows = [GOOD[0], ["A2", "乙机构", "株洲市", None, None, None, "是", "本单位"]]
    c = check_returned(returned(rows), KEY, score_step=0.5)
    assert c.accepted
    assert [(r.app_id, r.score, r.avoided) for r in c.records][-2:] == [("A2", None, True), ("A2", None, True)]


def test_wrong_expert_and_unknown_expert():
    c = check_returned(returned(GOOD, file="专家评分_E02_李四.xlsx"), KEY, {"E01": Expert("E01", "张三")}, score_step=0.5)
    assert rules(c) == [("review_file_expert", "")] and "E02" in c.findings[0].message
    c = check_returned(returned(GOOD), KEY, {"E05": Expert("E05", "某人")}, score_step=0.5)
    assert rules(c) == [("review_unknown_expert", "")]


# -- lenient / harsh -------------------------------------------------------------------------


def test_expert_summary_by_hand():
    # Totals: E1 A1=80 A2=70; E2 A1=90 A2=60; E3 A1=70, A2 回避.
    # App means: A1 = (80+90+70)/3 = 80, A2 = (70+60)/2 = 65.
    # E1 mean 75, spread sqrt((25+25)/2)=5, deviation ((80-80)+(70-65))/2 = 2.5
    # E2 mean 75, spread 15, deviation ((90-80)+(60-65))/2 = 2.5;  E3 mean 70, spread 0, deviation -10.
    def rec(e, a, item, s, avoided=False):
        return ScoreRecord(e, e, a, INST, a, item, s, avoided, "")

    records = [rec("E1", "A1", "x", 50), rec("E1", "A1", "y", 30), rec("E1", "A2", "x", 70),
               rec("E2", "A1", "x", 90), rec("E2", "A2", "x", 60),
               rec("E3", "A1", "x", 70), rec("E3", "A2", "x", None, True)]
    stats = {s.expert_id: s for s in expert_summary(records)}
    assert (stats["E1"].count, stats["E1"].mean, stats["E1"].spread, stats["E1"].deviation) == (2, 75, 5, 2.5)
    assert (stats["E2"].mean, stats["E2"].spread, stats["E2"].deviation) == (75, 15, 2.5)
    assert (stats["E3"].count, stats["E3"].mean, stats["E3"].spread) == (1, 70, 0)
    assert stats["E3"].deviation == pytest.approx(-10)


def test_the_score_step_comes_from_the_caller():
    # GOOD has 18.5 at E3 (A1's 服务数量与成效): a multiple of 0.5 (37 × 0.5), not of 1.
    assert check_returned(returned(GOOD), KEY, score_step=0.5).accepted
    assert rules(check_returned(returned(GOOD), KEY, score_step=1)) == [("review_score_range", "E3")]
    assert "以1分为单位" in check_returned(returned(GOOD), KEY, score_step=1).findings[0].message
    rows = [["A1", "甲机构", "长沙市", 12, 18.3, 30.3, "否", ""], GOOD[1]]
    assert "以0.5分为单位" in check_returned(returned(rows), KEY, score_step=0.5).findings[0].message
    # With a 0.25 step, 18.3 is still refused (18.3 / 0.25 = 73.2) and 18.25 accepted (73 steps).
    rows = [["A1", "甲机构", "长沙市", 12, 18.25, 30.25, "否", ""], GOOD[1]]
    assert check_returned(returned(rows), KEY, score_step=0.25).accepted

"""Eligibility and row rules at the 2021 edition's reference date 2021-12-31, hand-worked.

Column letters follow the schema order (see test_checks_cells.py and factory.column_letter):
服务之星 F 平台类型, H 起始年月, I 投诉次数, L 所属市州, M 所属县市区, O 承诺, P 初审意见, R 初审日期, S 申报表;
优秀服务机构 C 代码, K/L 产品1名称/时间, M/N 产品2, O/P 产品3, Q 参与公益活动;
优秀服务专家 H 职称级别, I 职业资格证书, J 起始年份;
创新服务产品 F 投入市场时间, H 有服务标准和流程, J 典型案例数量.
"""

import pytest

from checkhelp import only, run, triples
from factory import USCC_BEIJING
from xl_awards.schema.intake import EXPERT_SHEET, INSTITUTION_SHEET, PRODUCT_SHEET, STAR_SHEET


def edit_sheet(sheet, **changes):
    def edit(rows):
        rows[sheet][0].update(changes)
    return edit


star = lambda **c: edit_sheet(STAR_SHEET, **c)  # noqa: E731
inst = lambda **c: edit_sheet(INSTITUTION_SHEET, **c)  # noqa: E731
expert = lambda **c: edit_sheet(EXPERT_SHEET, **c)  # noqa: E731
product = lambda **c: edit_sheet(PRODUCT_SHEET, **c)  # noqa: E731


# -- 服务之星: >= 2 years of service at 2021-12-31, no complaint ----------------------------------
def test_star_service_years(tmp_path):
    # The notice names no date to count the 2 years to; the 2021 edition counts them to the application
    # deadline 2022-09-20 (the reading that excludes nobody who has them when applying).
    # 2019-12 -> 2021-12 is 24 months: eligible on either reading, nothing said.
    assert run(tmp_path, star(service_start="2019-12")) == []
    # 2020-09 -> 2022-09 is 24 months: eligible; 2020-09 -> 2021-12 is only 15: an info says which reading
    f = only(run(tmp_path, star(service_start="2020年9月")), "star_service_reading")
    assert (f.cell, f.severity, f.effect) == ("H3", "info", "none")
    assert "2022-09-20" in f.message and "2021-12-31" in f.message
    # 2020-10 -> 2022-09 is 23 months: not eligible, and that excludes (the notice's own condition)
    f = only(run(tmp_path, star(service_start="2020-10")), "star_service_years")
    assert (f.cell, f.severity, f.effect) == ("H3", "error", "exclude")
    assert "2020-10" in f.message and "截至2022-09-20不满2年" in f.message


def test_expert_none_certificate_is_no_certificate(tmp_path):
    # field since 2015: 2021 - 2015 = 6 < 8 years, 中级 is not senior; 职业资格证书 “无” / “暂无” / “-” is no
    # certificate (it used to count as one: a false admission)
    for none in ("无", "暂无", "-"):
        f = only(run(tmp_path, expert(field_start_year=2015, title_level="中级", qualification=none)),
                 "expert_qualification")
        assert (f.cell, f.effect) == ("J3", "exclude")
    # a real certificate admits
    assert run(tmp_path, expert(field_start_year=2015, title_level="中级", qualification="注册会计师")) == []


def test_star_complaints(tmp_path):
    assert triples(run(tmp_path, star(complaints=1))) == [("star_complaints", "I3", "error")]


def test_cluster_star_in_a_city_workbook_is_a_warning(tmp_path):
    # a cluster platform's star goes to the hub directly: its 初审 fields are not required
    changes = dict(platform_type="产业集群窗口平台", prelim_opinion="", prelim_reviewer="", prelim_date="")
    assert triples(run(tmp_path, star(**changes))) == [("star_cluster_via_city", "F3", "warning")]


def test_cluster_star_in_a_blank_template_is_fine(tmp_path):
    findings = run(tmp_path, star(platform_type="产业集群窗口平台"), name="服务之星推荐.xlsx", city=None)
    assert triples(findings) == [("workbook_city_unknown", "", "info")]  # no city anywhere: not checked


# -- pledge, materials, review ------------------------------------------------------------------
def test_credit_pledge(tmp_path):
    assert triples(run(tmp_path, star(credit_pledge="否"))) == [("credit_pledge", "O3", "error")]


def test_required_material_marked_no(tmp_path):
    f = only(run(tmp_path, star(mat_form="否")), "material_missing")
    assert (f.cell, f.severity, f.field) == ("S3", "error", "申报表")
    assert run(tmp_path, star(mat_honors="否")) == []  # 荣誉证明 is optional


def test_city_not_recommended(tmp_path):
    assert triples(run(tmp_path, star(prelim_opinion="不同意推荐"))) == [("city_not_recommended", "P3", "warning")]


def test_review_after_deadline(tmp_path):
    # deadline 2022-09-20: that day is fine, the next is late
    assert run(tmp_path, star(prelim_date="2022-09-20")) == []
    f = only(run(tmp_path, star(prelim_date="2022-09-21")), "review_after_deadline")
    assert (f.cell, f.severity) == ("R3", "warning")
    assert "2022-09-20" in f.message


# -- the row's city against the workbook's -------------------------------------------------------
def test_city_mismatch(tmp_path):
    findings = run(tmp_path, star(city="株洲市", county="醴陵市"))  # 醴陵市 is in 株洲市: only the city is wrong
    assert triples(findings) == [("city_mismatch", "L3", "error")]
    assert "长沙市" in findings[0].message and "株洲市" in findings[0].message


def test_workbook_city_from_file_name(tmp_path):
    # no _参数 sheet: the city comes from the file name
    findings = run(tmp_path, star(city="株洲市", county="醴陵市"), name="2021年度申报_长沙.xlsx", meta=False)
    assert triples(findings) == [("city_mismatch", "L3", "error")]


def test_county_outside_the_city(tmp_path):
    # with a valid row city, a county of another city is not among the row's choices
    assert triples(run(tmp_path, star(county="荷塘区"))) == [("choice", "M3", "error")]
    # without a row city, the county is checked against the workbook's city
    findings = run(tmp_path, star(city="", county="荷塘区"))
    assert triples(findings) == [("county_mismatch", "M3", "error"), ("required", "L3", "error")]


# -- 优秀服务机构 --------------------------------------------------------------------------------
def test_institution_registered_in_hunan(tmp_path):
    # 91110000MA0012345C is valid (check C worked in factory.py) but digits 3-4 are 11 (Beijing)
    def edit(rows):
        rows[INSTITUTION_SHEET][0]["uscc"] = USCC_BEIJING
    f = only(run(tmp_path, edit), "uscc_not_hunan")
    assert (f.cell, f.severity) == ("C3", "error")
    assert "43" in f.message


def test_product_market_time(tmp_path):
    # 2020-12 -> 2021-12 = 12 months = 1 year: fine; 2021-01 -> 11 months: not
    assert run(tmp_path, inst(product1_since="2020-12")) == []
    f = only(run(tmp_path, inst(product2_since="2021-01")), "product_market_years")
    assert (f.cell, f.severity, f.field) == ("N3", "error", "服务产品2投入市场时间")


def test_third_product_needs_a_time(tmp_path):
    assert run(tmp_path, inst(product3_name="知识产权托管", product3_since="2019-01")) == []
    assert triples(run(tmp_path, inst(product3_name="知识产权托管"))) == [("product_time_missing", "P3", "error")]


def test_second_product_missing(tmp_path):
    # 2..3 products: the second product's name and time are required fields (one finding each, no duplicate count)
    findings = run(tmp_path, inst(product2_name="", product2_since=""))
    assert triples(findings) == [("required", "M3", "error"), ("required", "N3", "error")]


def test_public_welfare_activities(tmp_path):
    assert triples(run(tmp_path, inst(activities="各类培训和个性化服务对接"))) == [("activities_unnamed", "Q3", "warning")]
    assert run(tmp_path, inst(activities="参加两上三化活动")) == []


# -- 优秀服务专家: >= 8 years, or a senior title, or a certificate ---------------------------------
@pytest.mark.parametrize(
    "changes, eligible",
    [
        (dict(field_start_year=2013, title_level="中级", qualification=""), True),  # 2021 - 2013 = 8
        (dict(field_start_year=2014, title_level="中级", qualification=""), False),  # 7 years, nothing else
        (dict(field_start_year=2014, title_level="副高级", qualification=""), True),
        (dict(field_start_year=2014, title_level="无", qualification="注册会计师"), True),
    ],
)
def test_expert_qualification(tmp_path, changes, eligible):
    expected = [] if eligible else [("expert_qualification", "J3", "error")]
    assert triples(run(tmp_path, expert(**changes))) == expected


def test_expert_start_year_in_the_future(tmp_path):
    assert triples(run(tmp_path, expert(field_start_year=2030))) == [("date_future", "J3", "error")]


# -- 创新服务产品 ----------------------------------------------------------------------------------
def test_product_standard(tmp_path):
    assert triples(run(tmp_path, product(has_standard="否"))) == [("product_no_standard", "H3", "error")]


@pytest.mark.parametrize("cases, ok", [(2, False), (3, True), (5, True), (6, False)])
def test_product_case_count(tmp_path, cases, ok):
    expected = [] if ok else [("product_case_count", "J3", "error")]
    assert triples(run(tmp_path, product(case_count=cases))) == expected


def test_product_in_market_by_reference_date(tmp_path):
    assert run(tmp_path, product(since="2021-12")) == []
    f = only(run(tmp_path, product(since="2022-01")), "product_not_in_market")
    assert (f.cell, f.severity) == ("F3", "error")


def test_county_workbook_from_the_blank_template_takes_its_city_from_the_county_name(tmp_path):
    """A county fills the blank template (no city in _参数) and names the file after itself: 浏阳市
    is a county of 长沙市, so the rows are checked against 长沙市 — the valid rows (长沙市) pass and a
    株洲市 row at L3 is a mismatch."""
    assert run(tmp_path, name="浏阳市申报.xlsx", city=None) == []
    f = only(run(tmp_path, star(city="株洲市", county=None), name="浏阳市申报2.xlsx", city=None), "city_mismatch")
    assert (f.cell, f.message) == ("L3", "所属市州“株洲市”与本工作簿的市州“长沙市”不一致，请改为“长沙市”；属于其他市州的申报，请由该市州填报")

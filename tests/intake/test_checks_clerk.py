"""What a careless city clerk types, and what validate tells them (rule, cell, whole message).

The factory writes the header in row 2 and data from row 3 in schema order (see test_checks_cells):
服务之星 D 身份证号码, H 起始年月, I 投诉次数, L 所属市州, M 所属县市区, P 市州初审意见;
优秀服务机构 B 机构名称, C 统一社会信用代码, G 电子邮箱, I 主要服务类别, J 服务中小微企业数量;
服务对象情况 F 服务时间.  Each expectation is the message text worked out from messages.RULES by hand.
"""

from checkhelp import run, triples
from factory import ID_STAR_2, USCC_INST
from xl_awards.schema.intake import EXPERT_SHEET, INSTITUTION_SHEET, RECIPIENTS_SHEET, STAR_SHEET


def edit(sheet, **changes):
    def apply(rows):
        rows[sheet][0].update(changes)
    return apply


def messages(findings):
    return [(f.rule, f.cell, f.message) for f in findings]


def test_id_number_stored_as_a_number_says_why_and_how_to_fix(tmp_path):
    # 430304198001014569 typed into a General cell: Excel shows 4.30304E+17 and keeps 15 digits
    findings = run(tmp_path, edit(STAR_SHEET, id_number=int(ID_STAR_2)))
    assert messages(findings) == [(
        "code_as_number", "D3",
        "“身份证号码”被Excel存成了数字（显示为 4.30304E+17），超过15位的数字后几位已变成0，无法核对；"
        "请把该单元格设为“文本”格式（或先输入英文单引号'），再重新输入完整的18位号码",
    )]


def test_uscc_stored_as_a_number(tmp_path):
    findings = run(tmp_path, edit(INSTITUTION_SHEET, uscc=914301021234567890))
    # 9.14301021234568E+17 shown as 9.14301E+17; the institution's identity is gone, so only this finding
    assert [(f.rule, f.cell) for f in findings] == [("code_as_number", "C3")]
    assert "显示为 9.14301E+17" in findings[0].message


def test_numbers_typed_for_months_are_months(tmp_path):
    # 201805 and 2019.05 as numbers are 2018-05 and 2019-05: 43 and 31 months before 2021-12, both >= 24
    assert run(tmp_path, edit(STAR_SHEET, service_start=201805)) == []
    assert run(tmp_path, edit(STAR_SHEET, service_start=2019.05), name="长沙市2.xlsx") == []


def test_careless_but_readable_values_are_not_errors(tmp_path):
    def careless(rows):
        rows[STAR_SHEET][0].update(
            name=" 张 服务 ", gender="女 ", complaints="０", service_start="2019年5月", phone="139 0731 0000",
            prelim_date="2022.9.10", achievements="服务企业，组织活动。\n" * 150,  # 10 x 150 = 1500 characters
        )
        rows[INSTITUTION_SHEET][0].update(uscc=USCC_INST.lower() + " ", served_count="３２０", product2_since="２０２０年６月")
        rows[EXPERT_SHEET][0].update(field_start_year="2005年")
    assert run(tmp_path, careless) == []


def test_choice_suggests_what_was_meant(tmp_path):
    findings = run(tmp_path, edit(STAR_SHEET, prelim_opinion="同意", county="浏阳"))
    assert messages(findings) == [
        # 浏阳 starts only 浏阳市 among 长沙市's counties; the list of 9 counties is spelled out
        ("choice", "M3", "“所属县市区”的值“浏阳”不在可选项中，是否应为“浏阳市”？请从下拉列表选择"
                         "（芙蓉区、天心区、岳麓区、开福区、雨花区、望城区、长沙县、浏阳市、宁乡市）"),
        # 同意 starts 同意推荐 only (不同意推荐 merely contains it)
        ("choice", "P3", "“市州初审意见”的值“同意”不在可选项中，是否应为“同意推荐”？请从下拉列表选择（同意推荐、不同意推荐）"),
    ]


def test_choice_without_a_guess_and_long_lists_not_spelled_out(tmp_path):
    # 长沙 is not a valid city, so the county is checked against all 122 counties: too many to list
    findings = run(tmp_path, edit(STAR_SHEET, city="长沙", county="某某区"))
    by_cell = {f.cell: f.message for f in findings}
    assert by_cell["L3"].startswith("“所属市州”的值“长沙”不在可选项中，是否应为“长沙市”？请从下拉列表选择（长沙市、")
    assert by_cell["M3"] == "“所属县市区”的值“某某区”不在可选项中，请从下拉列表选择"


def test_number_with_a_unit_says_digits_only(tmp_path):
    # one unit after a count is read (320家 is 320); words around a number are not
    assert run(tmp_path, edit(INSTITUTION_SHEET, served_count="320家")) == []
    findings = run(tmp_path, edit(INSTITUTION_SHEET, served_count="约320家"), name="长沙市2.xlsx")
    assert messages(findings) == [(
        "integer", "J3", "“2021年服务中小微企业数量”应为不小于0的整数，现为“约320家”，请只填数字（不带单位和文字）")]


def test_service_date_given_as_a_month_or_a_period_is_read(tmp_path):
    # 服务时间 may be a month or a period inside the award year (issue 9); one outside it is refused
    assert run(tmp_path, edit(RECIPIENTS_SHEET, date="2021年6月")) == []
    assert run(tmp_path, edit(RECIPIENTS_SHEET, date="2021.3-2021.6"), name="长沙市2.xlsx") == []
    findings = run(tmp_path, edit(RECIPIENTS_SHEET, date="2020.11-2021.2"), name="长沙市3.xlsx")
    assert messages(findings) == [("recipient_date_out_of_year", "F3", "服务时间2020.11-2021.2不在2021年内，只填写2021年的服务情况")]
    findings = run(tmp_path, edit(RECIPIENTS_SHEET, date="6月18日"), name="长沙市4.xlsx")
    assert messages(findings) == [("period", "F3", "“服务时间”无法识别：“6月18日”，请填写日期、月份或期间，如 2021-06-18、2021-06 或 2021.3-2021.6")]


def test_email_message_gives_an_example(tmp_path):
    findings = run(tmp_path, edit(INSTITUTION_SHEET, email="info@example"))
    assert messages(findings) == [("email", "G3", "电子邮箱“info@example”格式有误，请填写完整的邮箱地址，如 name@example.com")]


def test_missing_recipients_say_where_to_add_them(tmp_path):
    def drop_expert_recipient(rows):
        rows[RECIPIENTS_SHEET] = [r for r in rows[RECIPIENTS_SHEET] if r["award"] != "优秀服务专家"]
    findings = run(tmp_path, drop_expert_recipient)
    assert messages(findings) == [(
        "recipients_missing", "B3",
        "“王专家”在服务对象情况表中有0行，至少需要1行；请在“服务对象情况”表填写，“申报主体”填“王专家”")]
    assert triples(findings) == [("recipients_missing", "B3", "error")]

"""Cell rules, hand-worked: a valid and an invalid value at a known cell, with the finding expected.

The factory writes a title in row 1, the header in row 2 and the first data row in row 3, columns
in schema order.  服务之星: A 申报编号, B 姓名, C 性别, D 身份证号码, E 所在窗口平台, F 平台类型,
G 职务, H 起始年月, I 投诉次数, J 主要服务业绩, K 获得荣誉, L 所属市州, M 所属县市区, N 联系电话,
O 承诺, P 初审意见, Q 初审人, R 初审日期, S 申报表, T 业绩材料, U 荣誉证明.
优秀服务机构: ... G 电子邮箱 ...; 优秀服务专家: ... J 起始年份 ...
"""

import pytest

from checkhelp import only, run, triples
from factory import column_letter
from xl_awards.schema.intake import EXPERT_SHEET, INSTITUTION_SHEET, STAR_SHEET

STAR = STAR_SHEET


def star(**changes):
    def edit(rows):
        rows[STAR][0].update(changes)
    return edit


def test_factory_columns_are_the_hand_worked_letters():
    assert [column_letter(STAR, k) for k in ("name", "id_number", "complaints", "city", "phone", "prelim_date", "mat_form")] == \
        ["B", "D", "I", "L", "N", "R", "S"]
    assert column_letter(INSTITUTION_SHEET, "email") == "G"
    assert column_letter(EXPERT_SHEET, "field_start_year") == "J"


def test_clean_workbook_has_no_findings(tmp_path):
    assert run(tmp_path) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"name": ""}, [("required", "B3", "error")]),
        ({"name": "   "}, [("required", "B3", "error")]),  # spaces only is blank
        ({"gender": "男性"}, [("choice", "C3", "error")]),
        ({"complaints": "两次"}, [("integer", "I3", "error")]),
        ({"complaints": "-1"}, [("integer", "I3", "error")]),  # below min 0
        ({"complaints": 1000}, [("range", "I3", "error"), ("star_complaints", "I3", "error")]),  # max 999
        ({"service_start": "2018-13"}, [("year_month", "H3", "error")]),
        ({"service_start": "0000-05"}, [("year_month", "H3", "error")]),  # no year 0 (was a traceback)
        ({"prelim_date": "2022-02-30"}, [("date", "R3", "error")]),
        ({"phone": "12345"}, [("phone", "N3", "error")]),
        ({"credit_pledge": "可能"}, [("choice", "O3", "error")]),  # a 是/否 column is an enumeration
        ({"honors": "=SUM(A1)"}, [("formula_text", "K3", "warning")]),
        ({"name": "张" * 31}, [("text_max_chars", "B3", "error")]),  # max 30 characters
    ],
)
def test_star_cell_rules(tmp_path, changes, expected):
    assert triples(run(tmp_path, star(**changes))) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"id_number": "４３０１０２１９８５０３１２１２３ｘ"},  # full-width digits, lower-case x
        {"id_number": "430102 19850312 123X"},
        {"complaints": "０"},  # a number typed as full-width text
        {"service_start": "2018年5月"},
        {"service_start": "2018/5"},
        {"service_start": "2018.05"},
        {"service_start": 43221.0},  # Excel serial of 2018-05-01 (2018-01-01 = 43101, + 120 days)
        {"prelim_date": "2022/9/10"},
        {"prelim_date": "2022年9月10日"},
        {"phone": "0731-8970 6288"},
        {"phone": "139 0731 0000"},
        {"credit_pledge": "Y"},
    ],
)
def test_values_that_normalise_are_not_errors(tmp_path, changes):
    assert run(tmp_path, star(**changes)) == []


def test_id_check_digit(tmp_path):
    # 43010219850312123: weighted sum 211 (worked in factory.py), 211 mod 11 = 2 -> check X, not 0
    f = only(run(tmp_path, star(id_number="430102198503121230")), "id_card")
    assert (f.cell, f.severity, f.field) == ("D3", "error", "身份证号码")
    assert "第18位应为X" in f.message


def test_id_birth_date_and_length(tmp_path):
    f = only(run(tmp_path, star(id_number="43010219850231123X")), "id_card")
    assert "出生日期19850231无效" in f.message  # there is no 31 February
    f = only(run(tmp_path, star(id_number="4301021985031212")), "id_card")
    assert "应为18位（现为16位）" in f.message


def test_id_unknown_birth_place_is_a_warning(tmp_path):
    # 439999 is no division.  43999919850312123 weighted: 28+27+90+45+72+36+2+9+48+15+0+27+10+10+8+8+6
    # = 441; 441 mod 11 = 1 -> check 0, so the number is otherwise valid.
    findings = run(tmp_path, star(id_number="439999198503121230"))
    assert triples(findings) == [("id_card_region", "D3", "warning")]
    assert "439999" in findings[0].message


def test_uscc_check_character(tmp_path):
    # 91430100MA4L12345: weighted sum 1571 (factory.py), 1571 mod 31 = 21, 31 - 21 = 10 -> 'A', not 'B'
    def edit(rows):
        rows[INSTITUTION_SHEET][0]["uscc"] = "91430100MA4L12345B"
    findings = run(tmp_path, edit)
    # the recipients row still names the institution, so only the code itself is wrong
    assert triples(findings) == [("uscc", "C3", "error")]
    assert "第18位应为A" in findings[0].message


def test_uscc_forbidden_letter(tmp_path):
    def edit(rows):
        rows[INSTITUTION_SHEET][0]["uscc"] = "91430100MA4L1234IA"  # I is not in the GB 32100 alphabet
    f = only(run(tmp_path, edit), "uscc")
    assert "不使用 I、O、Z、S、V" in f.message


def test_email(tmp_path):
    def edit(rows):
        rows[INSTITUTION_SHEET][0]["email"] = "info@"
    assert triples(run(tmp_path, edit)) == [("email", "G3", "error")]


def test_year_field(tmp_path):
    def edit(rows):
        rows[EXPERT_SHEET][0]["field_start_year"] = "去年"
    assert triples(run(tmp_path, edit)) == [("year", "J3", "error")]

    def edit_old(rows):
        rows[EXPERT_SHEET][0]["field_start_year"] = 1949  # before the field's minimum 1950
    assert triples(run(tmp_path, edit_old)) == [("year", "J3", "error")]


def test_narrative_length_ignores_whitespace(tmp_path):
    # 1500 characters required; "服 务" * 749 has 1498 non-space characters (+ 749 spaces)
    f = only(run(tmp_path, star(achievements="服 务" * 749)), "text_min_chars")
    assert (f.cell, f.severity) == ("J3", "error")
    assert "共1498字" in f.message and "不足1500字" in f.message
    # exactly 1500 non-space characters, with line breaks: fine
    assert run(tmp_path, star(achievements="服务\n" * 750)) == []

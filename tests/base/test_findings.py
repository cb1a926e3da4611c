"""The one Finding builder: severity and message from the rule table, at a location."""

from xl_awards.base.messages import RULES, finding, finding_at


def test_severity_and_message_come_from_the_rule_table():
    f = finding("missing_sheet", file="省枢纽.xlsx", sheet="专家库")
    # RULES["missing_sheet"] = (ERROR, "缺少工作表“{sheet}”", None): the location's sheet fills the message
    assert (f.rule, f.severity, f.message) == ("missing_sheet", "error", "缺少工作表“专家库”")
    assert (f.file, f.sheet, f.cell, f.row, f.field) == ("省枢纽.xlsx", "专家库", "", None, "")
    assert RULES["missing_sheet"][0] == f.severity


def test_a_message_row_may_differ_from_the_location():
    # rank_register_award: "申报汇总第{row}行的申报类别“{value}”无法识别，未参加排名"
    same = finding_at("rank_register_award", sheet="申报汇总", at_row=7, value="奖项X")
    assert same.row == 7 and same.message.startswith("申报汇总第7行的申报类别“奖项X”")
    other = finding_at("rank_register_award", sheet="申报汇总", at_row=None, row=9, value="奖项X")
    assert other.row is None and "第9行" in other.message


def test_to_json_has_the_spec_keys_in_order():
    from xl_awards.base.findings import JSON_KEYS, Finding

    f = Finding("uscc", "error", "“统一社会信用代码”有误", file="长沙市.xlsx", sheet="优秀服务机构", cell="C3", row=3,
                field="统一社会信用代码", applicant="优秀服务机构“某公司”（第3行）")
    data = f.to_json()
    assert tuple(data) == JSON_KEYS
    assert data == {"rule": "uscc", "severity": "error", "file": "长沙市.xlsx", "sheet": "优秀服务机构", "cell": "C3",
                    "row": 3, "field": "统一社会信用代码", "message": "“统一社会信用代码”有误", "effect": "correct"}

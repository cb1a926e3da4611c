"""Hub sheet schemas (labels as SPEC section 3) and the multi-value cell splitter."""

import pytest

from xl_awards.edition import load_edition
from xl_awards.schema import header_label
from xl_awards.schema import hub as H

EDITION = load_edition(2021)
SCHEMA = H.build_hub_schema(EDITION)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("优秀服务机构、创新服务产品", ["优秀服务机构", "创新服务产品"]),
        ("A,B，C;D；E", ["A", "B", "C", "D", "E"]),  # ASCII and full-width comma / semicolon
        ("甲单位\n乙单位\r\n丙单位", ["甲单位", "乙单位", "丙单位"]),  # line breaks (Alt+Enter in Excel)
        (" 甲 、、 乙 ；", ["甲", "乙"]),  # spaces trimmed, empty items dropped
        ("甲、乙、甲", ["甲", "乙"]),  # duplicates once, first order kept
        ("湖南 星城 公司", ["湖南 星城 公司"]),  # a space is not a separator (unit names may contain one)
        ("", []),
        (None, []),
        (91430100, ["91430100"]),  # a number typed into the cell
    ],
)
def test_split_multi_value(text, expected):
    assert H.split_multi_value(text) == expected


def test_every_separator_the_spec_names_splits():
    # SPEC section 3: any of 、 , ， ; ； or a line break.
    for sep in ["、", ",", "，", ";", "；", "\n"]:
        assert H.split_multi_value(f"甲{sep}乙") == ["甲", "乙"], sep


def _labels(name):
    return H.hub_sheet(SCHEMA, name).labels


def test_sheet_order_and_names():
    assert [s.name for s in SCHEMA] == [
        "窗口平台", "专家库", "官网备案", "往年获奖", "禁评名单", "评分细则", "节假日调整", "人工认定",
        "申报汇总", "专家评分", "排名", "公示名单", "操作日志",
    ]
    assert H.HUB_SHEET_ORDER[:2] == ("工作流程说明", "设置")


def test_spec_labels_present_in_spec_order():
    spec = {
        "窗口平台": ["平台名称", "平台类型", "所属市州", "所属县市区", "已建成实体", "平台活跃度", "重点服务活动", "服务协同", "资源品牌培育"],
        "专家库": ["专家编号", "姓名", "工作单位", "所属市州", "专业领域", "评审类别", "回避单位"],
        "官网备案": ["申报类别", "申报主体", "证件号码", "官网备案得分"],
        "往年获奖": ["年度", "奖项", "名称", "证件号码"],
        "禁评名单": ["名称", "证件号码", "取消年度", "原因"],
        "评分细则": ["奖项", "评分项", "分值"],
        "节假日调整": ["日期", "类型"],
        "申报汇总": ["申报编号", "申报类别", "申报主体", "证件号码", "所属市州", "所属县市区", "状态", "判定依据",
                 "来源文件", "文件SHA256", "来源工作表", "来源行", "导入时间"],
        "操作日志": ["时间", "操作人", "操作", "文件", "SHA256", "条数", "发现问题"],
    }
    for name, labels in spec.items():
        actual = _labels(name)
        assert [l for l in actual if l in labels] == labels, name
    # 窗口平台 has exactly the SPEC columns; the metric labels come from the edition.
    assert _labels("窗口平台") == spec["窗口平台"]
    assert _labels("操作日志") == spec["操作日志"]
    # 专家库 optional identity columns used for conflict matching
    experts = H.hub_sheet(SCHEMA, "专家库")
    assert not experts.field("id_number").required and not experts.field("employer_uscc").required
    assert experts.field("id_number").label == "身份证号码"
    assert experts.field("employer_uscc").label == "统一社会信用代码"


def test_labels_survive_the_header_rule():
    # Every header the template writes reads back as its label (SPEC's header rule).
    for sheet in SCHEMA:
        for f in sheet.fields:
            assert header_label(f.header) == f.label
            assert header_label(f"  {f.label} *（说明）") == f.label


def test_register_statuses_name_the_prior_year():
    assert H.register_statuses(EDITION) == ("待评审", "不符合条件", "2020年度获评有效")
    # the drop-down also offers 待补正 (form problems only) and 待定 (the hub keeps one of a duplicate)
    assert H.hub_sheet(SCHEMA, "申报汇总").field("status").choices == (
        "待评审", "待补正", "待定", "不符合条件", "2020年度获评有效")


def test_metric_columns_follow_the_edition():
    other = EDITION.with_overrides({"awards.window.metrics": ["甲指标", "乙指标"], "awards.window.metric_weights": [0.5, 0.5]})
    window = H.hub_sheet(H.build_hub_schema(other), "窗口平台")
    assert window.labels[-2:] == ["甲指标", "乙指标"]
    assert H.window_metric_keys(other) == ["metric1", "metric2"]

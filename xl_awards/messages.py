"""Every rule's id, severity and Chinese message, in one place.

``RULES[rule_id] = (severity, message template, short template)``.  The message
says what is wrong and how to fix it; the short text is what the template's
per-row ``检查`` column formula shows for the same problem (rules without a
short text are not decided by that formula).  Templates use ``str.format``
fields named in each entry.
"""

from __future__ import annotations

from xl_awards.findings import ERROR, INFO, WARNING

RULES: dict[str, tuple[str, str, str | None]] = {
    # -- cell level (also decided by the 检查 formula) ---------------------------
    "required": (ERROR, "“{label}”为必填项，请填写", "{label}未填"),
    "choice": (ERROR, "“{label}”的值“{value}”不在可选项中，请从下拉列表选择（{choices}）", "{label}不在选项中"),
    "integer": (ERROR, "“{label}”应为不小于{min}的整数，现为“{value}”", "{label}应为整数"),
    "number": (ERROR, "“{label}”应为数字，现为“{value}”", "{label}应为数字"),
    "range": (ERROR, "“{label}”应在{min}到{max}之间，现为{value}", "{label}超出范围"),
    "text_min_chars": (ERROR, "“{label}”共{count}字（不计空格和换行），不足{min}字，请补充", "{label}{count}字少于{min}字"),
    "text_max_chars": (ERROR, "“{label}”共{count}字，超过{max}字，请精简", "{label}超过{max}字"),
    "id_card": (ERROR, "身份证号码“{value}”有误：{reason}，请核对", "{label}有误"),
    "uscc": (ERROR, "统一社会信用代码“{value}”有误：{reason}，请核对", "{label}有误"),
    # -- cell level, Python only -------------------------------------------------
    "date": (ERROR, "“{label}”不是有效日期：“{value}”，请填写如 2022-09-10", None),
    "year_month": (ERROR, "“{label}”不是有效年月：“{value}”，请填写如 2019-05", None),
    "year": (ERROR, "“{label}”不是有效年份：“{value}”，请填写如 2012", None),
    "date_future": (ERROR, "“{label}”为{value}，晚于{limit}，请核对", None),
    "yes_no": (ERROR, "“{label}”应填“是”或“否”，现为“{value}”", None),
    "phone": (ERROR, "联系电话“{value}”格式有误，请填写11位手机号或带区号的固定电话", None),
    "email": (ERROR, "电子邮箱“{value}”格式有误", None),
    "formula_text": (WARNING, "“{label}”以“{first}”开头，可能被当作公式，已按文本读取，请核对", None),
    # -- eligibility (notice section 3) -----------------------------------------
    "material_missing": (ERROR, "缺少必备材料“{label}”（标记为“否”），备齐后方可参评", None),
    "credit_pledge": (ERROR, "未承诺无不良征信记录，不能参评", None),
    "city_not_recommended": (WARNING, "市州初审意见为“不同意推荐”，该申报不会报送省枢纽平台", None),
    "city_mismatch": (ERROR, "所属市州“{value}”与本工作簿的市州“{city}”不一致", None),
    "county_mismatch": (ERROR, "所属县市区“{value}”不属于{city}", None),
    "star_service_years": (ERROR, "从事中小企业服务起始于{value}，截至{ref}不满{min}年，不符合参评条件", None),
    "star_complaints": (ERROR, "近一年企业投诉{value}次，一年内发生企业投诉的不能参评", None),
    "star_cluster_via_city": (WARNING, "产业集群窗口平台的服务之星应直接报省枢纽平台，不经市州", None),
    "uscc_not_hunan": (ERROR, "统一社会信用代码“{value}”的登记地不在湖南省（第3-4位应为{prefix}），不符合“在湖南省内注册登记”的条件", None),
    "product_count": (ERROR, "服务产品{count}款，应有{min}~{max}款", None),
    "product_market_years": (ERROR, "“{label}”为{value}，截至{ref}投入市场不满{min}年", None),
    "product_time_missing": (ERROR, "填写了“{name_label}”，请同时填写“{label}”", None),
    "activities_unnamed": (WARNING, "参与公益活动中未提到{activities}中的任何一项，请核对", None),
    "expert_qualification": (ERROR, "从事本专业领域起始于{value}年，截至{ref}不满{min}年，且无高级职称或职业资格证书，不符合参评条件", None),
    "product_no_standard": (ERROR, "须有一整套严格的服务标准和服务流程（现为“否”）", None),
    "product_case_count": (ERROR, "典型案例{value}个，应为{min}~{max}个", None),
    "product_not_in_market": (ERROR, "投入市场时间{value}晚于{ref}，{year}年尚未投入市场", None),
    # -- service recipients ---------------------------------------------------
    "recipients_missing": (ERROR, "“{name}”在服务对象情况表中有{count}行，至少需要{min}行", None),
    "recipient_unknown_applicant": (ERROR, "申报主体“{value}”在{award}工作表中找不到，请与申报名称保持一致", None),
    "recipient_date_out_of_year": (ERROR, "服务时间{value}不在{year}年内", None),
    "recipient_duplicate": (WARNING, "同一申报主体重复填写服务企业“{value}”（另见第{other_row}行）", None),
    # -- across rows and files --------------------------------------------------
    "duplicate_applicant": (ERROR, "“{name}”在{award}中重复申报（另见 {other}）", None),
    "star_platform_duplicate": (ERROR, "窗口平台“{platform}”推荐了多名服务之星（另见 {other}），每个窗口平台限推荐1人", None),
    # -- sheet / file level -----------------------------------------------------
    "missing_column": (ERROR, "工作表缺少必填列“{label}”，请勿删除或改名表头", None),
    "missing_sheet": (ERROR, "缺少工作表“{sheet}”", None),
    "workbook_city_unknown": (INFO, "无法从工作簿确定所属市州（空白模板），未核对各行的所属市州", None),
    "empty_workbook": (INFO, "工作簿中没有填写任何申报", None),
}


def rule_severity(rule: str) -> str:
    return RULES[rule][0]


def rule_message(rule: str, **values) -> str:
    return RULES[rule][1].format(**values)


def rule_short(rule: str, **values) -> str | None:
    template = RULES[rule][2]
    return template.format(**values) if template else None


# Messages for unreadable input (exit code 2): one line each, naming the file.
INPUT_ERRORS = {
    "not_found": "{file}：文件不存在",
    "not_workbook": "{file}：不是 Excel 工作簿（.xlsx/.xlsm），无法读取",
    "xls": "{file}：是旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再校验",
    "encrypted": "{file}：工作簿已加密（设置了打开密码），请取消密码后再校验",
    "corrupt": "{file}：工作簿已损坏，无法读取（{detail}）",
    "no_sheets": "{file}：找不到任何申报工作表（{sheets}），请使用省枢纽平台下发的模板",
    "headers_unrecognised": "{file}：工作表“{sheet}”的表头无法识别，请使用省枢纽平台下发的模板，勿改动表头",
}

CHECK_OK = "通过"  # what the 检查 column shows for a complete, correct row
CHECK_SEPARATOR = "；"

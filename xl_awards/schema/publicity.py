"""Labels of the publicity outputs (written once, here): the ``获奖名单`` sheet, the printed
公示名单 document and the award certificates.

The ``公示名单`` sheet's schema is the hub schema's (``xl_awards.schema.hub``); the
``获奖名单`` sheet (the final list, written by ``finalize``) is defined here and
created in the hub workbook when first written.
"""

from __future__ import annotations

from xl_awards.schema import Field, FieldType as T, SheetSchema

FINAL_SHEET = "获奖名单"

# 获奖方式 values in 获奖名单
WAY_PUBLICITY = "公示无异议"
WAY_MOVED_UP = "递补"

FINAL_SCHEMA = SheetSchema(
    name=FINAL_SHEET,
    description="由“定稿”命令写入：公示期满后的最终获奖名单（撤销的已去除，递补的已补入）。请勿手工修改。",
    identity_keys=("award", "app_id", "name"),
    fields=(
        Field("序号", "seq", T.INTEGER, True, width=6),
        Field("奖项", "award", T.TEXT, True, width=24),
        Field("名称", "name", T.TEXT, True, width=28),
        Field("单位或平台", "unit", T.TEXT, False, width=30),
        Field("所属市州", "city", T.TEXT, False, width=14),
        Field("申报编号", "app_id", T.TEXT, False, width=12),
        Field("排名", "rank", T.INTEGER, False, width=6),
        Field("获奖方式", "way", T.TEXT, True, width=10),
        Field("说明", "remark", T.TEXT, False, width=40),
        Field("定稿日期", "date", T.DATE, False, width=12),
    ),
)

# Written by finalize when a withdrawal names false materials: the 禁评名单 rows to add, for the
# clerk to check and copy (禁评名单 itself is never changed by the tool).
BAR_SUGGESTION_SHEET = "禁评名单建议"
BAR_SUGGESTION_SCHEMA = SheetSchema(
    name=BAR_SUGGESTION_SHEET,
    description="由“定稿”命令写入：因提供虚假材料被撤销的申报，建议加入“禁评名单”的行（名称、证件号码、取消年度、原因与“禁评名单”各列相同）。"
                "核实后请把前四列复制到“禁评名单”表；本表不会自动生效。",
    identity_keys=("app_id", "name"),
    fields=(
        Field("名称", "name", T.TEXT, True, width=30),
        Field("证件号码", "id_code", T.TEXT, False, width=21),
        Field("取消年度", "year", T.INTEGER, True, width=10),
        Field("原因", "reason", T.TEXT, True, width=50),
        Field("奖项", "award", T.TEXT, True, width=20),
        Field("申报编号", "app_id", T.TEXT, False, width=12),
        Field("申报主体", "applicant", T.TEXT, True, width=28),
        Field("异议情况", "objection", T.TEXT, False, width=40),
    ),
)

# 奖项 text in 公示名单 / 获奖名单: the award name, with the tier for window platforms.
AWARD_WITH_TIER = "{award}（{tier}）"
TIER_LABELS = {"window_city": "市州", "window_county": "县市区"}

# Log actions (操作日志 操作)
LOG_PUBLICITY = "公示"
LOG_FINALIZE = "定稿"

# Masking of personal information (any text written into the lists).
MASK_ID = "［身份证号码已隐去］"
MASK_PHONE = "［电话已隐去］"

# -- the printed 公示名单 -----------------------------------------------------------------
DOC_TITLE = "{title}拟获奖名单公示"
DOC_FILE = "{year}年度优秀评选拟获奖名单公示"
DOC_INTRO = (
    "根据《关于开展{year}年度省平台网络优秀评选工作的通知》，经申报、市州初审、省枢纽平台组织专家评审，"
    "现将{title}拟获奖名单予以公示。公示期为{start}至{end}（{days}个工作日）。"
)
DOC_OBJECTION = (
    "公示期内，如对公示名单有异议，请以书面形式实名向省枢纽平台反映，并提供必要的证明材料。"
    "经核实异议成立的，撤销其拟获奖资格，按排名依次递补。"
)
DOC_SECTION = "{number}、{award}（{count}{unit}）"
DOC_SECTION_NUMBERS = "一二三四五六七八九十"
DOC_COUNT_UNITS = {"window_city": "家", "window_county": "家", "star": "名", "institution": "家", "expert": "位",
                   "product": "个"}
DOC_HEADERS = ("序号", "名称", "单位或平台", "所属市州")
DOC_HEADERS_BY_CATEGORY = {
    "window_city": ("序号", "平台名称", "", "所属市州"),
    "window_county": ("序号", "平台名称", "所属县市区", "所属市州"),
    "star": ("序号", "姓名", "所在窗口平台", "所属市州"),
    "institution": ("序号", "机构名称", "", "所属市州"),
    "expert": ("序号", "姓名", "工作单位", "所属市州"),
    "product": ("序号", "产品名称", "申报单位", "所属市州"),
}
DOC_EMPTY_SECTION = "（无）"
DOC_PRIOR_NOTE = "注：{prior_year}年度获评的{awards}继续有效，无需重复申报，不列入本次名单。"
DOC_CONTACTS_TITLE = "联系人及联系方式："
DOC_CONTACT_LINE = "{awards}：{name}，电话 {phone}，邮箱 {email}"
DOC_HOTLINE = "服务热线：{hotline}"
DOC_ISSUER = "湖南省中小企业公共服务平台网络"
DOC_FOOTER = "{title}拟获奖名单公示　第 &P 页，共 &N 页"
FINAL_DOC_FOOTER = "{title}　第 &P 页，共 &N 页"  # title: FINAL_DOC_TITLE filled in

# -- certificates --------------------------------------------------------------------
CERT_FILE = "{year}年度优秀评选获奖证书"
CERT_SHEET = "证书"
FINAL_DOC_FILE = "{year}年度优秀评选最终获奖名单"
FINAL_DOC_TITLE = "{title}获奖名单"
FINAL_DOC_INTRO = "{title}拟获奖名单已于{start}至{end}在省平台网络门户网站公示。公示期满，现确定最终获奖名单如下。"
FINAL_MOVED_UP_NOTE = "（递补）"


def chinese_date(date) -> str:
    """2022-10-14 -> 2022年10月14日."""
    return f"{date.year}年{date.month}月{date.day}日"

"""Hub sheets written by the expert review commands (besides ``专家评分`` and ``操作日志``, in ``schema.hub``).

- ``评审分配`` (``expert-sheets``): who reviews what, and who was kept out (回避) and why, with
  the workbook file and its signature (``collect`` refuses a workbook from an older issue).
- ``评分明细`` (``collect``): the long form, one row per expert, application and rubric item.
- ``专家评分统计`` (``collect``): per expert and award, count, mean, spread and the difference
  from the panel (lenient > 0, harsh < 0).
"""

from __future__ import annotations

import re

from xl_awards.schema import Field, FieldType as T, SheetSchema
from xl_awards.schema.intake import YES_NO

ASSIGNMENT_SHEET = "评审分配"
DETAIL_SHEET = "评分明细"
SUMMARY_SHEET = "专家评分统计"

ROLE_REVIEW = "评审"
ROLE_AVOID = "回避"

ASSIGNMENT_SCHEMA = SheetSchema(
    name=ASSIGNMENT_SHEET,
    description="由“生成专家评分工作簿”写入：每位专家评审的申报（分配“评审”），以及因利益冲突未分配的专家（分配“回避”）。请勿手工修改。",
    identity_keys=("expert_id", "app_id"),
    fields=(
        Field("专家编号", "expert_id", T.TEXT, True, width=10),
        Field("专家姓名", "expert_name", T.TEXT, True, width=10),
        Field("申报类别", "award", T.TEXT, True, width=14),
        Field("申报编号", "app_id", T.TEXT, True, width=12),
        Field("申报主体", "name", T.TEXT, True, width=28),
        Field("所属市州", "city", T.TEXT, False, width=14),
        Field("分配", "role", T.CHOICE, True, (ROLE_REVIEW, ROLE_AVOID), width=8),
        Field("回避原因", "reason", T.TEXT, False, width=20),
        Field("工作簿文件", "file", T.TEXT, False, width=30),
        Field("签发时间", "issued_at", T.TEXT, False, width=20),
        Field("签名", "signature", T.TEXT, False, note="工作簿签发内容的 HMAC-SHA256，收回时核对。", width=20),
    ),
)

DETAIL_SCHEMA = SheetSchema(
    name=DETAIL_SHEET,
    description="由“收回评分”写入：每位专家对每条申报每个评分项的得分（长表）。",
    identity_keys=("expert_id", "app_id", "item"),
    fields=(
        Field("专家编号", "expert_id", T.TEXT, True, width=10),
        Field("专家姓名", "expert_name", T.TEXT, True, width=10),
        Field("申报编号", "app_id", T.TEXT, True, width=12),
        Field("申报类别", "award", T.TEXT, True, width=14),
        Field("申报主体", "name", T.TEXT, True, width=28),
        Field("评分项", "item", T.TEXT, True, width=20),
        Field("得分", "score", T.DECIMAL, False, min_value=0, max_value=100, width=8),
        Field("回避", "recused", T.YES_NO, False, YES_NO, width=6),
        Field("评语", "comment", T.TEXT, False, width=30),
        Field("来源文件", "source_file", T.TEXT, True, width=30),
        Field("文件SHA256", "source_sha256", T.TEXT, True, width=20),
        Field("导入时间", "imported_at", T.TEXT, True, width=20),
    ),
)

SUMMARY_SCHEMA = SheetSchema(
    name=SUMMARY_SHEET,
    description="由“收回评分”写入：各专家的评分尺度。与同组平均差 = 该专家所评各申报的（本人合计 − 全部评审专家对该申报的平均合计）的平均，"
                "为正偏宽、为负偏严。回避的申报不计。",
    identity_keys=("expert_id", "award"),
    fields=(
        Field("专家编号", "expert_id", T.TEXT, True, width=10),
        Field("专家姓名", "expert_name", T.TEXT, True, width=10),
        Field("申报类别", "award", T.TEXT, True, width=14),
        Field("评分份数", "count", T.INTEGER, True, width=8),
        Field("平均分", "mean", T.DECIMAL, False, width=8),
        Field("标准差", "spread", T.DECIMAL, False, width=8),
        Field("最低分", "low", T.DECIMAL, False, width=8),
        Field("最高分", "high", T.DECIMAL, False, width=8),
        Field("与同组平均差", "deviation", T.DECIMAL, False, note="为正：比同组其他专家打分偏宽；为负：偏严。", width=12),
    ),
)

# 评分明细 grows with applications x experts x rubric items; rows past what one sheet holds (Excel's
# rows less the title and header) go on continuation sheets 评分明细（续1）, 评分明细（续2）, ... (same
# columns), in order.
DETAIL_MAX_SHEETS = 64  # 67 million rows: far past any province


def detail_sheet_name(n: int) -> str:
    """The ``n``-th sheet of 评分明细 (0: 评分明细 itself)."""
    return DETAIL_SHEET if n == 0 else f"{DETAIL_SHEET}（续{n}）"


def detail_schema(n: int) -> SheetSchema:
    if n == 0:
        return DETAIL_SCHEMA
    return SheetSchema(name=detail_sheet_name(n), fields=DETAIL_SCHEMA.fields,
                       identity_keys=DETAIL_SCHEMA.identity_keys,
                       description=f"“{DETAIL_SHEET}”的续表（第{n + 1}张）：“{DETAIL_SHEET}”放不下的行，列与之相同。")


def detail_sheet_index(name: str) -> int | None:
    """0 for 评分明细, n for its n-th continuation sheet (blanks and full/half-width brackets ignored), else None."""
    from xl_awards.schema import sheet_key

    key = sheet_key(name)
    base = sheet_key(DETAIL_SHEET)
    if key == base:
        return 0
    m = re.fullmatch(re.escape(base) + r"\(续([1-9][0-9]*)\)", key)
    return int(m[1]) if m and int(m[1]) < DETAIL_MAX_SHEETS else None

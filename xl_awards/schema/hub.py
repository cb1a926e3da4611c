"""The hub workbook's sheets (SPEC section 3 "Hub workbook"), built from an edition.

Input sheets (kept by hub staff): ``窗口平台``, ``专家库``, ``官网备案``, ``往年获奖``,
``禁评名单``, ``评分细则``, ``节假日调整``; the ``设置`` sheet has its own layout
(see ``xl_awards.hub.settings_sheet``).  Written sheets (the tool fills them):
``申报汇总``, ``专家评分``, ``排名``, ``公示名单``, ``操作日志``.

Labels and enumerations are written here once; numbers (metric names, award
names, the prior-award year) come from the edition.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xl_awards.edition import INTAKE_AWARD_KEYS, PORTAL_AWARD_KEYS, Edition
from xl_awards.base.normalize import clean_text
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema
from xl_awards.schema.intake import PLATFORM_TYPES, YES_NO

HUB_WORKBOOK_KIND = "省枢纽平台工作簿"  # the `_参数` value of 工作簿类型
HUB_TEMPLATE_VERSION = 1

INSTRUCTIONS_SHEET = "工作流程说明"
SETTINGS_SHEET = "设置"
WINDOW_SHEET = "窗口平台"
EXPERTS_SHEET = "专家库"
PORTAL_SHEET = "官网备案"
PRIOR_SHEET = "往年获奖"
BARRED_SHEET = "禁评名单"
RUBRIC_SHEET = "评分细则"
HOLIDAYS_SHEET = "节假日调整"
DECISIONS_SHEET = "人工认定"  # the hub's own decisions on applications (issue 9)
REGISTER_SHEET = "申报汇总"
SCORES_SHEET = "专家评分"
RANKING_SHEET = "排名"
PUBLICITY_SHEET = "公示名单"
LOG_SHEET = "操作日志"
LISTS_SHEET = "_选项"  # hidden drop-down lists
META_SHEET = "_参数"  # hidden key/value facts (工作簿类型, 评选年度, 模板版本)
WORKBENCH_SHEET = "工作台"  # first sheet of the .xlsm hub: one button per step (xl_awards.schema.workbench)

INPUT_SHEETS = (WINDOW_SHEET, EXPERTS_SHEET, PORTAL_SHEET, PRIOR_SHEET, BARRED_SHEET, RUBRIC_SHEET, HOLIDAYS_SHEET,
                DECISIONS_SHEET)
# Sheets added after the first hub workbooks were issued: an older workbook without one reads it as empty.
OPTIONAL_SHEETS = (DECISIONS_SHEET,)
WRITTEN_SHEETS = (REGISTER_SHEET, SCORES_SHEET, RANKING_SHEET, PUBLICITY_SHEET, LOG_SHEET)
# Visible sheets, in workbook order.
HUB_SHEET_ORDER = (INSTRUCTIONS_SHEET, SETTINGS_SHEET, *INPUT_SHEETS, *WRITTEN_SHEETS)

# 设置 sheet columns.
SETTINGS_COLUMNS = ("键", "项目", "值", "允许范围", "说明")

HOLIDAY_REST = "休息日"
HOLIDAY_WORK = "工作日"
HOLIDAY_KINDS = (HOLIDAY_REST, HOLIDAY_WORK)

# 申报汇总 状态 (the third one names the prior-award year, see ``register_statuses``).
STATUS_PENDING = "待评审"
STATUS_INELIGIBLE = "不符合条件"
STATUS_TO_CORRECT = "待补正"  # only form/completeness problems: reviewed and ranked, publicity waits for the hub
STATUS_UNDECIDED = "待定"  # the same applicant twice, two stars of one platform: the hub keeps one

# 人工认定 决定 values.
DECISION_ELIGIBLE = "认定符合"
DECISION_INELIGIBLE = "认定不符合"
DECISION_CORRECTED = "补正后符合"
DECISIONS = (DECISION_ELIGIBLE, DECISION_INELIGIBLE, DECISION_CORRECTED)

# A list in one cell (评审类别, 回避单位): any of 、 , ， ; ； or a line break.
_MULTI_SPLIT = re.compile(r"[、,，;；\r\n]+")


def split_multi_value(value: Any) -> list[str]:
    """One cell holding a list -> its items, trimmed, blanks dropped, order kept, duplicates removed.

    >>> split_multi_value("优秀服务机构、创新服务产品；优秀服务专家")
    ['优秀服务机构', '创新服务产品', '优秀服务专家']
    """
    if value is None:
        return []
    # clean_text folds full-width ASCII (NFKC turns ， and ； into , and ;) but keeps 、.
    text = clean_text(value)
    items: list[str] = []
    for part in _MULTI_SPLIT.split(text):
        part = part.strip().strip("\u3000")
        if part and part not in items:
            items.append(part)
    return items


def prior_award_status(edition: Edition) -> str:
    return f"{edition.data['prior_awards']['year']}年度获评有效"


def register_statuses(edition: Edition) -> tuple[str, str, str]:
    """The 申报汇总 状态 values: 待评审 / 不符合条件 / 2020年度获评有效."""
    return (STATUS_PENDING, STATUS_INELIGIBLE, prior_award_status(edition))


def register_status_choices(edition: Edition) -> tuple[str, ...]:
    """Every 申报汇总 状态: the three of ``register_statuses`` and 待补正, 待定."""
    pending, ineligible, prior = register_statuses(edition)
    return (pending, STATUS_TO_CORRECT, STATUS_UNDECIDED, ineligible, prior)


def window_metric_keys(edition: Edition) -> list[str]:
    """Keys of the 窗口平台 metric columns, in the edition's metric order (``metric1`` ...)."""
    return [f"metric{i}" for i, _ in enumerate(edition.award("window")["metrics"], start=1)]


def intake_award_names(edition: Edition) -> tuple[str, ...]:
    return tuple(edition.award_name(k) for k in INTAKE_AWARD_KEYS)


def scored_award_names(edition: Edition) -> tuple[str, ...]:
    """Awards with an expert review score and an 官网备案 score (institution, expert, product)."""
    return tuple(edition.award_name(k) for k in PORTAL_AWARD_KEYS)


def all_award_names(edition: Edition) -> tuple[str, ...]:
    return tuple(award["name"] for award in edition.data["awards"].values())


def build_hub_schema(edition: Edition) -> tuple[SheetSchema, ...]:
    """Every hub sheet with a column schema (all but 工作流程说明 and 设置), in workbook order."""
    year = edition.year
    prior_year = edition.data["prior_awards"]["year"]
    window = edition.award("window")
    not_built = ("built", ("否",))
    id_note = "组织或产品填统一社会信用代码，个人填身份证号码。用于与申报准确匹配。"

    metrics = tuple(
        Field(label, key, T.DECIMAL, True, min_value=0, exempt_when=not_built,
              note=f"{year}年运营数据（数值越大越好；排名时按同层级最高值折算为100分）。未建成实体的平台可不填。", width=12)
        for key, label in zip(window_metric_keys(edition), window["metrics"])
    )
    window_sheet = SheetSchema(
        name=WINDOW_SHEET,
        award_key="window",
        description=(
            f"全省窗口平台名录及{year}年运营数据。最受欢迎窗口服务平台只在已建成实体的综合窗口平台中评选，"
            "市州、县市区两个层级分别排名；产业集群窗口平台不参加该项评选。"
        ),
        identity_keys=("name",),
        fields=(
            Field("平台名称", "name", T.TEXT, True, note="窗口平台全称，与服务之星申报中的“所在窗口平台”一致。", width=34),
            Field("平台类型", "platform_type", T.CHOICE, True, PLATFORM_TYPES, width=20),
            Field("所属市州", "city", T.CHOICE, True, CHOICES_CITIES, width=14),
            Field("所属县市区", "county", T.CHOICE, False, CHOICES_COUNTIES,
                  note="县市区综合窗口平台必填所在县市区；市州平台可不填。", width=14),
            Field("已建成实体", "built", T.YES_NO, True, YES_NO, note="已建成实体窗口的选“是”。未建成的不参加最受欢迎窗口服务平台评选，也不能推荐服务之星。", width=10),
            *metrics,
        ),
    )

    review_awards = "、".join(intake_award_names(edition))
    experts_sheet = SheetSchema(
        name=EXPERTS_SHEET,
        description="评审专家名单。每位专家一行，专家编号唯一；评审类别和回避单位可在一格内填写多项，用“、”分隔。",
        identity_keys=("expert_id",),
        fields=(
            Field("专家编号", "expert_id", T.TEXT, True, max_chars=20, note="唯一编号，如 ZJ01。专家评分工作簿的文件名带有此编号。", width=10),
            Field("姓名", "name", T.TEXT, True, max_chars=30, width=10),
            Field("身份证号码", "id_number", T.ID_CARD, False,
                  note="选填。用于识别专家本人是否为申报人（回避）。", width=21),
            Field("工作单位", "employer", T.TEXT, True, note="全称。与申报单位相同的自动回避。", width=28),
            Field("统一社会信用代码", "employer_uscc", T.USCC, False,
                  note="选填，工作单位的统一社会信用代码，用于准确识别回避。", width=21),
            Field("所属市州", "city", T.CHOICE, False, CHOICES_CITIES, width=14),
            Field("专业领域", "field", T.TEXT, False, width=16),
            Field("评审类别", "review_awards", T.TEXT, True,
                  note=f"可填多项，用“、”分隔：{review_awards}。", width=28),
            Field("回避单位", "avoid_units", T.TEXT, False,
                  note="需回避的单位名称或统一社会信用代码，可填多项，用“、”分隔。", width=30),
            Field("联系电话", "phone", T.PHONE, False, width=16),
            Field("电子邮箱", "email", T.EMAIL, False, width=22),
        ),
    )

    portal_sheet = SheetSchema(
        name=PORTAL_SHEET,
        description=(
            f"申报主体在省平台网络门户网站的备案得分（0-100分），按{int(edition.scoring['portal_weight'] * 100)}%计入总分；"
            "未填写的按0分计算并提示。按申报类别和证件号码匹配，未填证件号码的按名称匹配。"
        ),
        identity_keys=("award", "id_code", "applicant"),
        fields=(
            Field("申报类别", "award", T.CHOICE, True, scored_award_names(edition), width=14),
            Field("申报主体", "applicant", T.TEXT, True, note="机构名称、专家姓名或产品名称，与申报一致。", width=30),
            Field("证件号码", "id_code", T.TEXT, False, note=id_note, width=21),
            Field("官网备案得分", "portal_score", T.DECIMAL, True, min_value=0, max_value=100, note="0-100分。", width=12),
        ),
    )

    prior_sheet = SheetSchema(
        name=PRIOR_SHEET,
        description=f"往年获奖名单。{prior_year}年度获评的优秀服务机构、优秀服务专家、创新服务产品本年度继续有效，无需重复申报。",
        identity_keys=("year", "award", "id_code", "name"),
        fields=(
            Field("年度", "year", T.YEAR, True, min_value=2000, max_value=year, note=f"获奖年度，如 {prior_year}。", width=8),
            Field("奖项", "award", T.CHOICE, True, all_award_names(edition), width=20),
            Field("名称", "name", T.TEXT, True, note="获奖的机构名称、专家姓名、产品名称或平台名称。", width=30),
            Field("证件号码", "id_code", T.TEXT, False, note=id_note, width=21),
        ),
    )

    bar_years = edition.data["sanctions"]["bar_years"]
    barred_sheet = SheetSchema(
        name=BARRED_SHEET,
        description=f"因弄虚作假被取消评选资格的单位或个人，自取消年度起{bar_years}年内不得参评。",
        identity_keys=("id_code", "name"),
        fields=(
            Field("名称", "name", T.TEXT, True, width=30),
            Field("证件号码", "id_code", T.TEXT, False, note=id_note, width=21),
            Field("取消年度", "year", T.YEAR, True, min_value=2000, max_value=year,
                  note=f"被取消资格的评选年度，{bar_years}年内不得参评。", width=10),
            Field("原因", "reason", T.TEXT, False, width=30),
        ),
    )

    rubric_sheet = SheetSchema(
        name=RUBRIC_SHEET,
        description="各奖项的评分项和分值（每个奖项合计100分），用于生成专家评分工作簿。",
        identity_keys=("award", "item"),
        fields=(
            Field("奖项", "award", T.CHOICE, True, intake_award_names(edition), width=16),
            Field("评分项", "item", T.TEXT, True, width=22),
            Field("分值", "points", T.DECIMAL, True, min_value=0, max_value=100, note="该评分项的满分。每个奖项合计应为100分。", width=8),
            Field("评分要点", "hint", T.TEXT, False, width=60),
        ),
    )

    holidays_sheet = SheetSchema(
        name=HOLIDAYS_SHEET,
        description="公示期按工作日计算（国家法定节假日及调休）。如有日历未包含的调整，在此补充。",
        identity_keys=("date",),
        fields=(
            Field("日期", "date", T.DATE, True, note="如 2022-10-08。", width=12),
            Field("类型", "kind", T.CHOICE, True, HOLIDAY_KINDS, note="休息日：该日不算工作日；工作日：该日（如周末调休）算工作日。", width=10),
            Field("说明", "note", T.TEXT, False, width=24),
        ),
    )

    register_sheet = SheetSchema(
        name=REGISTER_SHEET,
        description="由“汇总”命令写入：每条申报一行，申报编号由省枢纽平台统一分配，重新汇总时保持不变。请勿手工修改。",
        identity_keys=("app_id",),
        fields=(
            Field("申报编号", "app_id", T.TEXT, True, width=12),
            Field("申报类别", "award", T.CHOICE, True, intake_award_names(edition), width=14),
            Field("申报主体", "name", T.TEXT, True, note="机构名称、姓名或产品名称。", width=28),
            Field("证件号码", "id_code", T.TEXT, False, width=21),
            Field("单位或平台", "unit", T.TEXT, False, note="工作单位、申报单位或所在窗口平台。", width=28),
            Field("平台类型", "platform_type", T.TEXT, False, width=18),
            Field("所属市州", "city", T.TEXT, False, width=14),
            Field("所属县市区", "county", T.TEXT, False, width=12),
            Field("初审日期", "prelim_date", T.DATE, False, width=12),
            Field("状态", "status", T.CHOICE, True, register_status_choices(edition), width=16),
            Field("判定依据", "reasons", T.TEXT, False, note="决定状态的问题（错误、往年获奖、禁评等）。", width=50),
            Field("报送单位", "submitter", T.TEXT, False,
                  note="报送该申报的市州（县市区工作簿为“市州+县市区”；无市州的为“直报”加文件名）。同一报送单位重新报送的文件替换其此前导入的全部申报。",
                  width=18),
            Field("来源文件", "source_file", T.TEXT, True, width=30),
            Field("文件SHA256", "source_sha256", T.TEXT, True, width=20),
            Field("来源工作表", "source_sheet", T.TEXT, True, width=12),
            Field("来源行", "source_row", T.INTEGER, True, width=8),
            Field("导入时间", "imported_at", T.TEXT, True, width=20),
        ),
    )

    scores_sheet = SheetSchema(
        name=SCORES_SHEET,
        description="由“收回评分”命令写入：每位专家对每条申报的评分一行。",
        identity_keys=("expert_id", "app_id"),
        fields=(
            Field("专家编号", "expert_id", T.TEXT, True, width=10),
            Field("专家姓名", "expert_name", T.TEXT, True, width=10),
            Field("申报类别", "award", T.TEXT, True, width=14),
            Field("申报编号", "app_id", T.TEXT, True, width=12),
            Field("申报主体", "name", T.TEXT, True, width=28),
            Field("评分", "score", T.DECIMAL, False, min_value=0, max_value=100, note="各评分项之和。", width=8),
            Field("各项得分", "item_scores", T.TEXT, False, width=40),
            Field("回避", "recused", T.YES_NO, False, YES_NO, width=6),
            Field("计入", "counted", T.YES_NO, False, YES_NO, note="回避或有利益冲突的评分不计入。", width=6),
            Field("未计入原因", "not_counted_reason", T.TEXT, False, width=24),
            Field("评语", "comment", T.TEXT, False, width=30),
            Field("来源文件", "source_file", T.TEXT, False, width=30),
            Field("文件SHA256", "source_sha256", T.TEXT, False, width=20),
            Field("导入时间", "imported_at", T.TEXT, False, width=20),
        ),
    )

    ranking_sheet = SheetSchema(
        name=RANKING_SHEET,
        description="由“计算排名”写入。总分 = 专家评审得分×专家权重 + 官网备案得分×官网权重；同分并列，跨名额线的并列待省枢纽平台决定。",
        identity_keys=("award", "app_id"),
        fields=(
            Field("申报类别", "award", T.TEXT, True, width=20),
            Field("组别", "tier", T.TEXT, False, note="最受欢迎窗口服务平台分市州、县市区两个组别。", width=10),
            Field("排名", "rank", T.INTEGER, False, width=6),
            Field("申报编号", "app_id", T.TEXT, False, width=12),
            Field("名称", "name", T.TEXT, True, width=28),
            Field("单位或平台", "unit", T.TEXT, False, width=28),
            Field("所属市州", "city", T.TEXT, False, width=14),
            Field("有效评分数", "score_count", T.INTEGER, False, width=8),
            Field("专家评审得分", "expert_score", T.DECIMAL, False, width=10),
            Field("官网备案得分", "portal_score", T.DECIMAL, False, width=10),
            Field("总分", "total", T.DECIMAL, False, width=10),
            Field("状态", "status", T.TEXT, True, width=12),
            Field("说明", "remark", T.TEXT, False, width=36),
        ),
    )

    publicity_sheet = SheetSchema(
        name=PUBLICITY_SHEET,
        description="由“公示”命令写入。公示期内收到异议并核实的，在“撤销”列选“是”，定稿时递补。不含身份证号码和电话。",
        identity_keys=("award", "name"),
        fields=(
            Field("序号", "seq", T.INTEGER, True, width=6),
            Field("奖项", "award", T.TEXT, True, width=20),
            Field("名称", "name", T.TEXT, True, width=28),
            Field("单位或平台", "unit", T.TEXT, False, width=30),
            Field("所属市州", "city", T.TEXT, False, width=14),
            Field("申报编号", "app_id", T.TEXT, False, width=12),
            Field("公示开始", "start", T.DATE, False, width=12),
            Field("公示结束", "end", T.DATE, False, width=12),
            Field("异议情况", "objection", T.TEXT, False, note="公示期内收到的异议及核实结果。", width=30),
            Field("撤销", "withdrawn", T.YES_NO, False, YES_NO, note="异议核实成立的选“是”，定稿时由下一名递补。", width=6),
        ),
    )

    decisions_sheet = SheetSchema(
        name=DECISIONS_SHEET,
        description=("省枢纽平台对申报的人工认定：“认定符合”“补正后符合”的参加评审和排名，“认定不符合”的列为不符合条件。"
                     "理由必填；汇总和计算排名时采用，重新汇总后仍然有效，并记入操作日志和申报汇总的判定依据。"),
        identity_keys=("app_id",),
        fields=(
            Field("申报编号", "app_id", T.TEXT, True, note="申报汇总中的申报编号。", width=12),
            Field("决定", "decision", T.CHOICE, True, DECISIONS, width=12),
            Field("理由", "reason", T.TEXT, True, note="必填：认定的依据（如 补正材料已收到、核实后确认）。", width=40),
            Field("认定人", "decided_by", T.TEXT, False, width=10),
            Field("日期", "date", T.DATE, False, width=12),
        ),
    )

    log_sheet = SheetSchema(
        name=LOG_SHEET,
        description="每次导入或写入省枢纽平台工作簿的记录（自动追加）。",
        fields=(
            Field("时间", "time", T.TEXT, True, width=20),
            Field("操作人", "user", T.TEXT, True, width=12),
            Field("操作", "action", T.TEXT, True, width=12),
            Field("文件", "file", T.TEXT, False, width=36),
            Field("SHA256", "sha256", T.TEXT, False, width=20),
            Field("条数", "count", T.INTEGER, False, width=8),
            Field("发现问题", "findings", T.TEXT, False, note="错误、警告、提示的条数。", width=40),
        ),
    )

    return (
        window_sheet, experts_sheet, portal_sheet, prior_sheet, barred_sheet, rubric_sheet, holidays_sheet,
        decisions_sheet, register_sheet, scores_sheet, ranking_sheet, publicity_sheet, log_sheet,
    )


@lru_cache(maxsize=None)
def hub_sheet(schema: tuple[SheetSchema, ...], name: str) -> SheetSchema:
    for sheet in schema:
        if sheet.name == name:
            return sheet
    raise KeyError(name)

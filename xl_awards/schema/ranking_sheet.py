"""Labels of the ``排名`` sheet and its ``排名分析`` side sheet (written once, here).

The ``排名`` sheet keeps the ``排名`` schema's columns (``xl_awards.schema.hub``,
申报类别 … 说明) in the same place in every block, so a reader that finds the
header by its labels reads every entry; each block adds its own detail columns
to the right (one per expert, or each window metric raw and scaled).
"""

from __future__ import annotations

ANALYSIS_SHEET = "排名分析"

# Defined names (workbook level) the formulas use; they point at the 设置 values.
NAME_EXPERT_WEIGHT = "专家权重"
NAME_PORTAL_WEIGHT = "官网权重"
NAME_TRIM_THRESHOLD = "去高低分评分数"
NAME_METRIC_WEIGHT = "指标权重{index}"  # 指标权重1 ... in the edition's metric order

TITLE = "{title}——排名"
PARAMETERS = "计算参数"
PARAM_EXPERT_WEIGHT = "专家评审得分权重"
PARAM_PORTAL_WEIGHT = "官网备案得分权重"
PARAM_TRIM = "去掉最高最低分的最少评分数"
PARAM_METHOD = "专家评分汇总方法"
PARAM_MIN_SCORES = "最少有效评分数"
PARAM_METRIC_WEIGHT = "指标权重：{metric}"
PARAM_FALLBACK_NOTE = "“设置”中的该项不是数字单元格（或其值未被采用），此处写入本次计算采用的值 {value}；公式引用此格"

SHEET_NOTE = (
    "排名、有效评分数、专家评审得分、总分均为公式，点击单元格可查看计算过程；权重取自“设置”表。"
    "灰底划线的评分是去掉的一个最高分或最低分；橙底为并列待定（跨名额线的并列，由省枢纽平台研究确定）；"
    "粗线以上为入选。显示保留2位小数，排名按完整精度。修改“设置”或评分后请重新运行“计算排名”以更新状态。"
)
ZSCORE_NOTE = "本次专家评分汇总方法为“标准分”：专家评审得分为程序计算值（先按每位专家换算为标准分，再去掉最高最低分平均），不是公式。"

BLOCK_TITLE = "{award}（名额 {quota} 个）"
TIER_CITY = "市州"
TIER_COUNTY = "县市区"
TIER_EXCLUDED = "不参评"
EXCLUDED_TITLE = "不参加{award}评选的窗口平台"
# On paper (xl_awards.io.ranking_sheet print set-up): under each list, and in the page header/footer.
SIGNATURE_LABEL = "评审专家签字："
SIGNATURE_DATE_LABEL = "日期："
PRINT_HEADER_DATE = "打印日期：&D"
PRINT_FOOTER = "第 &P 页，共 &N 页"

SUMMARY_LABELS = (
    ("applications", "申报"),
    ("eligible", "参评"),
    ("selected", "入选"),
    ("pending", "并列待定"),
    ("not_selected", "未入选"),
    ("prior_award", "往年获奖"),
    ("ineligible", "不符合条件"),
)

COUNTY_COLUMN = "所属县市区"
SCALED_COLUMN = "{metric}（折算）"
# More experts in a reviewed list than this (a province whose applications are each reviewed by a few of
# many experts: at 100x, 200 experts, 5 per application): one column per score in expert order instead of
# one per expert, and the experts of each row named in one column after them.
MAX_EXPERT_COLUMNS = 40
SCORE_SLOT_COLUMN = "评分{n}"
SLOT_EXPERTS_COLUMN = "评审专家（依次对应评分1、评分2……）"

# Cell notes
NOTE_RECUSED = "{expert}：回避，评分不计入"
NOTE_CONFLICT = "{expert}：利益冲突，评分不计入"
NOTE_BLANK = "{expert}：未评分"
NOTE_DROPPED_HIGH = "去掉的最高分"
NOTE_DROPPED_LOW = "去掉的最低分"
NOTE_PORTAL_MISSING = "“官网备案”表中没有该申报的得分，按0分计入"
NOTE_METRIC_INVALID = "原值为空白或负数，按0计算"
NOTE_ZSCORE_SCORE = "标准分：{value}"

# The side sheet
ANALYSIS_TITLE = "{title}——排名分析"
SUMMARY_TITLE = "各奖项汇总"
SUMMARY_HEADERS = ("奖项", "名额", "申报", "参评", "入选", "并列待定", "未入选", "往年获奖", "不符合条件", "评分不足")
SENSITIVITY_TITLE = "敏感性分析：换一种算法，入选名单是否变化"
SENSITIVITY_HEADERS = ("情形", "涉及奖项", "状态变化的申报数", "入选名单是否变化")
SENSITIVITY_DETAIL_TITLE = "状态随算法变化的申报"
SENSITIVITY_DETAIL_HEADERS = ("情形", "奖项", "申报编号", "名称", "所属市州", "现排名", "现状态", "现总分",
                              "新排名", "新状态", "新总分")
SENSITIVITY_NONE = "各情形下入选名单均不变"
YES = "是"
NO = "否"

HISTOGRAM_TITLE = "总分分布（参评申报数）"
HISTOGRAM_BIN = "分数段"
HISTOGRAM_BINS = ((0, 60, "60分以下"), (60, 70, "60-70分"), (70, 80, "70-80分"), (80, 90, "80-90分"),
                  (90, None, "90分及以上"))
CITY_TITLE = "各市州申报数与入选数"
CITY_HEADERS = ("市州", "申报", "入选")
EXPERT_TITLE = "专家评分均值与评审组均值"
EXPERT_HEADERS = ("专家", "奖项", "评分份数", "专家均值", "评审组均值")
CHART_HISTOGRAM = "各奖项总分分布"
CHART_CITY = "各市州申报与入选"
CHART_EXPERT = "各专家评分均值与评审组均值"
AXIS_COUNT = "个数"
AXIS_SCORE = "分"

LOG_ACTION = "计算排名"

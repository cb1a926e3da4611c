"""The button sheets of the ``.xlsm`` workbooks: the hub's ``工作台`` and the city workbook's buttons.

The hub's ``工作台`` (first sheet of the ``.xlsm`` hub only) lists the steps in order, one button
each, what the step needs, a cell to fill where the step needs a value (file lists chosen in the
file dialog land there too), and the date the step last ran — the latest ``操作日志`` row whose
操作 is the step's log action, rewritten whenever a command or a button rewrites the hub.
The city ``.xlsm`` gets 校验 and 清除标记 on its first sheet (``填报说明``).

Each button is bound to a macro of ``macros/*.bas`` (names in ASCII, the captions here); the
cells the macros reach by workbook name are named here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from xl_awards.schema.hub import WORKBENCH_SHEET

__all__ = ["WORKBENCH_SHEET", "Step", "HUB_STEPS", "INTAKE_BUTTONS"]

WORKBENCH_TITLE = "省枢纽平台工作台"
WORKBENCH_NOTE = ("按顺序点击按钮完成各步骤（每一步的详细说明见“工作流程说明”）。点击前请先保存本工作簿；"
                  "“填写”列黄色单元格由您填写，其余由程序写入。不启用宏时，各步骤同样可以用命令行完成。")
WORKBENCH_HEADERS = ("步骤", "按钮", "需要什么", "填写", "上次运行")
COL_STEP, COL_BUTTON, COL_NEEDS, COL_INPUT, COL_LAST_RUN = range(5)
HEADER_ROW = 3  # 0-based: row 4 in Excel
FIRST_STEP_ROW = 4  # 0-based: row 5 in Excel
STATUS_LABEL = "按钮状态"
NEVER_RUN = "尚未运行"

# Workbook names the macros and buttons use (ASCII: the modules stay ASCII).
NAME_STATUS = "XlAwardsStatus"
NAME_SETUP_MESSAGE = "XlAwardsSetupMessage"
NAME_PICKED_APPLICATIONS = "XlAwardsPickedApplications"
NAME_PICKED_SCORES = "XlAwardsPickedScores"

SETUP_MESSAGE = ("未能运行按钮：本机没有可用的 xlwings 加载项或 Python。请按使用说明安装 Python 和本工具"
                 "（pip install \"xl_awards[excel]\"），然后在命令行运行一次 xl-awards excel-setup，重新打开 Excel 后再试。"
                 "不用按钮时，可以用命令行完成同样的步骤。")
SETUP_MESSAGE_LABEL = "按钮提示"


@dataclass(frozen=True)
class Step:
    key: str
    caption: str  # the button's text
    macro: str  # the Sub of macros/*.bas the button runs
    needs: str
    log_action: str | None  # 操作日志 操作 whose latest time is 上次运行
    input_name: str | None = None  # workbook name of the 填写 cell, when the step reads one
    input_hint: str = ""  # what the 填写 cell holds before the user fills it


HUB_STEPS = (
    Step("consolidate", "导入市州申报", "ImportApplications",
         "各市州报送的申报工作簿。点击后在对话框中选择文件（可多选）；取消则改为选择一个文件夹，导入其中全部工作簿。",
         "汇总申报", NAME_PICKED_APPLICATIONS),
    Step("expert_sheets", "生成专家评分表", "MakeExpertSheets",
         "“专家库”“评分细则”已填好，申报已汇总。评分工作簿保存在“填写”中的文件夹（留空：本工作簿旁的“专家评分表”文件夹）。",
         "生成专家评分工作簿"),
    Step("collect", "收回专家评分", "CollectScores",
         "专家报回的评分工作簿。点击后选择文件（可多选）或一个文件夹。",
         "收回专家评分", NAME_PICKED_SCORES),
    Step("rank", "计算排名", "ComputeRanking",
         "专家评分已收回，“官网备案”“窗口平台”已填好。结果写入“排名”。",
         "计算排名"),
    Step("publicity", "生成公示名单", "MakePublicity",
         "排名已计算。在“填写”中填公示开始日期（如 2022-10-10），公示名单文件保存在本工作簿旁。",
         "公示", input_hint="公示开始日期"),
    Step("finalize", "公示期满定稿", "FinalizeAwards",
         "公示期已满，异议已在“公示名单”的“撤销”列处理。“填写”中可填定稿日期（留空：今天）。",
         "定稿", input_hint="定稿日期"),
)

# The city workbook's buttons, on its first sheet: (caption, macro).
INTAKE_BUTTONS = (("校验", "ValidateWorkbook"), ("清除标记", "ClearMarks"))
INTAKE_BUTTON_COLUMN = 5  # 0-based: column F of 填报说明, right of the instructions
INTAKE_STATUS_ROW = 5  # 0-based: the status cell under the buttons


def hub_step(key: str) -> Step:
    for step in HUB_STEPS:
        if step.key == key:
            return step
    raise KeyError(key)

"""Write the hub workbook (省枢纽平台工作簿) with XlsxWriter.

Sheets (SPEC section 3): ``工作流程说明`` (first), ``设置``, the input sheets, the
written sheets (headers only), then hidden ``_选项`` (drop-down lists) and
``_参数`` (workbook facts).  Every data sheet: row 1 a title, row 2 the header
(``Field.header``, a comment on each header cell), data from row 3.

The file is reproducible: fixed document properties, and XlsxWriter writes fixed (in memory)
zip timestamps, so building twice gives the same bytes.  An existing file at the
target is replaced only when the new content differs, and then after a backup
beside it (a hub workbook in use is never lost to a rebuild).
"""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from xl_awards.edition import REVIEWED_AWARD_KEYS, Edition
from xl_awards.io.atomic import backup, check_not_open, write_atomically
from xl_awards.io.vba_project import COMMON_MODULE, HUB_MODULE, add_vba_project
from xl_awards.schema import workbench as W
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema
from xl_awards.schema import hub as H
from xl_awards.hub.settings_sheet import CHOICE, DATE, DECIMAL, INT, READONLY, VALUE_COLUMN, setting_specs, settings_rows

DATA_ROWS = 2000  # rows covered by drop-downs and validation on input sheets
FIRST_DATA_ROW = 2  # 0-based: row 3 in Excel
HEADER_ROW = 1  # 0-based: row 2 in Excel
AUTHOR = "湖南省中小企业公共服务平台网络"
TEXT_CODE_TYPES = (T.ID_CARD, T.USCC)
TEXT_CODE_KEYS = ("id_code", "source_sha256", "sha256", "app_id", "expert_id")


def hub_file_name(edition: Edition, macros: bool = False) -> str:
    return f"{edition.year}年度优秀评选_省枢纽平台工作簿.{'xlsm' if macros else 'xlsx'}"


def write_hub_workbook(edition: Edition, out_dir: str | Path,
                       sample: dict[str, list[dict[str, Any]]] | None = None, *, macros: bool = False) -> Path:
    """Write the hub workbook into ``out_dir``; returns its path.  ``sample``: rows to fill in, by sheet name
    (the demo's sample lists).  ``macros``: the ``.xlsm`` with the ``工作台`` sheet first, one button per step,
    and the VBA project of ``macros/XlAwardsHub.bas`` and ``XlAwardsCommon.bas``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / hub_file_name(edition, macros)
    if not path.exists():
        return write_atomically(path, lambda tmp: _write(edition, tmp, sample, macros))
    check_not_open(path)
    staged = out_dir / f".{path.stem}.new{path.suffix}"
    try:
        _write(edition, staged, sample, macros)
        if filecmp.cmp(staged, path, shallow=False):
            return path
        backup(path)
        write_atomically(path, lambda tmp: tmp.write_bytes(staged.read_bytes()))
    finally:
        staged.unlink(missing_ok=True)
    return path


# -- the writer ------------------------------------------------------------------

class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "等线", "font_size": 11, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({**base, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center"})
        self.header_required = wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "align": "center"})
        self.header_written = wb.add_format({**base, "bold": True, "bg_color": "#E2EFDA", "border": 1, "text_wrap": True, "align": "center"})
        self.text = wb.add_format({**base})
        self.code = wb.add_format({**base, "num_format": "@"})
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.readonly = wb.add_format({**base, "bg_color": "#EDEDED"})
        self.value = wb.add_format({**base, "bg_color": "#FFF2CC", "align": "left"})
        self.value_date = wb.add_format({**base, "bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd", "align": "left"})
        self.step = wb.add_format({**base, "bold": True, "align": "center", "valign": "top", "border": 1})
        self.cell = wb.add_format({**base, "text_wrap": True, "valign": "top", "border": 1})
        self.command = wb.add_format({**base, "text_wrap": True, "valign": "top", "border": 1, "font_name": "Consolas", "font_color": "#1F4E79"})


class _Lists:
    """The hidden ``_选项`` sheet: one column per drop-down list."""

    def __init__(self, edition: Edition):
        d = edition.divisions
        self.columns: dict[str, tuple[str, ...]] = {
            "intake_awards": H.intake_award_names(edition),
            "scored_awards": H.scored_award_names(edition),
            "all_awards": H.all_award_names(edition),
            "platform_types": tuple(H.PLATFORM_TYPES),
            "yes_no": ("是", "否"),
            "cities": tuple(d.city_names),
            "counties": tuple(c for city in d.city_names for c in d.counties(city)),
            "holiday_kinds": H.HOLIDAY_KINDS,
        }
        self._index = {key: i for i, key in enumerate(self.columns)}

    def ref(self, key: str) -> str:
        col = xl_col_to_name(self._index[key])
        return f"='{H.LISTS_SHEET}'!${col}$2:${col}${len(self.columns[key]) + 1}"

    def ref_for(self, values: tuple[str, ...]) -> str | None:
        for key, items in self.columns.items():
            if tuple(items) == tuple(values):
                return self.ref(key)
        return None

    def write(self, ws) -> None:
        for key, col in self._index.items():
            ws.write_string(0, col, key)
            for i, item in enumerate(self.columns[key], start=1):
                ws.write_string(i, col, item)
        ws.hide()


def _write(edition: Edition, path: Path, sample: dict[str, list[dict[str, Any]]] | None, macros: bool = False) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
                                        "in_memory": True})
    try:
        wb.set_properties({
            "title": f"{edition.title}——省枢纽平台工作簿",
            "subject": "省枢纽平台汇总、评审、排名与公示",
            "author": AUTHOR,
            "company": AUTHOR,
            "comments": "由 xl-awards build 生成",
            "created": dt.datetime(edition.year + 1, 1, 1),
        })
        fmt = _Formats(wb)
        lists = _Lists(edition)
        schema = H.build_hub_schema(edition)
        samples = sample or {}

        workbench = wb.add_worksheet(H.WORKBENCH_SHEET) if macros else None
        _write_instructions(wb.add_worksheet(H.INSTRUCTIONS_SHEET), edition, fmt)
        _write_settings(wb.add_worksheet(H.SETTINGS_SHEET), edition, fmt, lists)
        for sheet in schema:
            ws = wb.add_worksheet(sheet.name)
            written = sheet.name in H.WRITTEN_SHEETS
            rows = samples.get(sheet.name, [])
            if sheet.name == H.RUBRIC_SHEET:
                rows = _rubric_rows(edition)
            _write_table(ws, sheet, fmt, lists, rows, written=written)
        lists.write(wb.add_worksheet(H.LISTS_SHEET))
        meta = wb.add_worksheet(H.META_SHEET)
        _write_meta(meta, edition)
        if macros:
            _write_workbench(wb, workbench, meta, fmt)
            add_vba_project(wb, (HUB_MODULE, COMMON_MODULE))
        wb.worksheets()[0].activate()
    finally:
        wb.close()


def _rubric_rows(edition: Edition) -> list[dict[str, Any]]:
    rows = []
    for key in REVIEWED_AWARD_KEYS:
        for item, points, hint in edition.rubric(key):
            rows.append({"award": edition.award_name(key), "item": item, "points": points, "hint": hint})
    return rows


def _print_setup(ws, last_col: int, landscape: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.repeat_rows(HEADER_ROW)


def _workflow_steps(edition: Edition, hub_file: str) -> list[tuple[str, str, str, str]]:
    """(step, what to do, command or button, when)."""
    year = edition.year
    prior = edition.data["prior_awards"]["year"]
    dates = edition.data["dates"]
    start, deadline = edition.date("application_start").isoformat(), edition.deadline.isoformat()
    ew = round(edition.scoring["expert_weight"] * 100)
    pw = round(edition.scoring["portal_weight"] * 100)
    days = edition.data["publicity"]["working_days"]
    window = edition.award("window")
    hub = f'"{hub_file}"'
    return [
        ("核对设置",
         "打开“设置”表，核对评选年度、申报日期、名额、权重、评分汇总方法、公示天数等。默认值取自评选通知；"
         "修改黄色的“值”列后保存即可生效。超出允许范围或填写有误的值不会被采用（沿用预设值），并在汇总和排名时提示。",
         "—", "开始前"),
        ("准备基础数据",
         f"“窗口平台”：录入全省窗口平台名录和{year}年运营数据（{('、'.join(window['metrics']))}）；"
         "“专家库”：录入评审专家、评审类别和回避单位；"
         f"“往年获奖”：录入{prior}年度获奖名单；“禁评名单”：录入被取消资格的单位或个人；"
         "“官网备案”：录入各申报主体的官网备案得分；“评分细则”已按通知填好；"
         "如有日历未包含的放假或调休，在“节假日调整”补充。",
         "—", "评审前"),
        ("下发申报工作簿",
         "生成各市州申报工作簿（每个市州一个）和空白模板，下发到14个市州窗口平台；"
         "县市区的申报经所在市州初审后报送；产业集群窗口平台用空白模板，服务之星直接报省枢纽平台。",
         "xl-awards build --out 模板目录", f"{start} 起"),
        ("接收申报",
         "各市州初审盖章后报送申报工作簿（电子版，非扫描件）和纸质材料（一式两份）。",
         "—", f"{deadline} 前"),
        ("汇总",
         "先关闭本工作簿，再运行命令导入收到的全部申报工作簿。每条申报写入“申报汇总”并分配申报编号（重新汇总时编号不变）；"
         "同一市州重新报送的文件替换该市州原有数据，同一文件导入两次不会重复；每次导入记入“操作日志”；写入前自动备份本工作簿。",
         f"xl-awards consolidate --hub {hub} 文件1.xlsx 文件2.xlsx …", f"{deadline} 后"),
        ("核查",
         f"在“申报汇总”查看每条申报的状态（{'、'.join(H.register_status_choices(edition))}）和判定依据："
         f"{prior}年度获奖者继续有效、禁评名单内的不能参评、逾期报送、跨市州重复申报等都会列出。"
         "只有不符合通知规定条件的才列为不符合条件；填写不完整或格式有误的为待补正（照常参加评审和排名），"
         "重复申报或同一窗口平台推荐多人的为待定。运行 corrections 命令为每个市州生成补正清单，市州修改后重新报送，再次汇总；"
         "省枢纽平台的决定填入“人工认定”表（决定、理由必填），汇总和计算排名时采用。",
         f"查看“申报汇总”；xl-awards corrections --hub {hub} --out 补正通知", f"{deadline} 后"),
        ("生成专家评分表",
         "为“专家库”中的每位专家生成一个受保护的评分工作簿（按评审类别分配，自动回避本单位和回避单位），发给专家。",
         f"xl-awards expert-sheets --hub {hub} --out 专家评分表", dates.get("review_period", "")),
        ("收回评分",
         "收回专家填好的评分工作簿，评分写入“专家评分”。被改动锁定内容、调换行或发错专家的评分表会被指出。",
         f"xl-awards collect --hub {hub} 专家评分表/*.xlsx", dates.get("review_period", "")),
        ("计算排名",
         f"总分 = 专家评审得分×{ew}% + 官网备案得分×{pw}%（未备案的按0分计并提示）；服务之星按评审得分排名；"
         "最受欢迎窗口服务平台按“窗口平台”运营数据，在已建成实体的综合窗口平台中分市州、县市区两级排名。"
         "结果写入“排名”；跨名额线的并列列为“并列待定”，由省枢纽平台研究确定。",
         f"点击“计算排名”按钮，或 xl-awards rank --hub {hub}", dates.get("review_period", "")),
        ("公示",
         f"生成“公示名单”（不含身份证号码和电话），在门户网站公示{days}个工作日。公示期内收到异议并核实成立的，"
         "在“公示名单”的“撤销”列选“是”。",
         f"xl-awards publicity --hub {hub} --start 公示开始日期", dates.get("publicity_period", "")),
        ("定稿",
         "公示期满后生成最终获奖名单（撤销的由下一名递补）和获奖证书。",
         f"xl-awards finalize --hub {hub}", "公示期满后"),
    ]


def _write_instructions(ws, edition: Edition, fmt: _Formats) -> None:
    hub_file = hub_file_name(edition)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 70)
    ws.set_column(3, 3, 44)
    ws.set_column(4, 4, 16)
    ws.write_string(0, 0, f"{edition.title}——省枢纽平台工作流程", fmt.title)
    ws.write_string(1, 0, "本工作簿由省枢纽平台使用：汇总各市州申报、组织专家评审、计算排名、生成公示名单。按以下步骤操作。", fmt.subtitle)
    headers = ("步骤", "事项", "怎么做", "命令或按钮", "时间")
    for col, text in enumerate(headers):
        ws.write_string(3, col, text, fmt.header)
    row = 4
    for i, (title, what, command, when) in enumerate(_workflow_steps(edition, hub_file), start=1):
        ws.write_number(row, 0, i, fmt.step)
        ws.write_string(row, 1, title, fmt.cell)
        ws.write_string(row, 2, what, fmt.cell)
        ws.write_string(row, 3, command, fmt.command)
        ws.write_string(row, 4, when, fmt.cell)
        ws.set_row(row, 64)
        row += 1
    row += 1
    ws.write_string(row, 0, "注意", fmt.title)
    contacts = edition.data.get("contacts", {})
    notes = [
        "运行命令前请先关闭本工作簿：工作簿打开时，命令会提示并停止，不写入任何内容。",
        "每次写入前，自动在同一文件夹保存一份备份（文件名含“备份”和日期时间）。",
        "标 * 的列为必填；表头可以调整顺序，但请勿改名。“申报汇总”“专家评分”“排名”“公示名单”“操作日志”由命令写入，请勿手工修改。",
        "命令行在任何电脑上都可运行（无需 Excel）；在命令前加上 --edition 年度 可使用其他年度的版本预设。",
    ]
    if contacts:
        ws_contact = contacts.get("window_star", {})
        ex_contact = contacts.get("expert_review", {})
        notes.append(
            f"联系人：窗口平台和服务之星 {ws_contact.get('name', '')} {ws_contact.get('phone', '')}；"
            f"机构、专家、产品评审 {ex_contact.get('name', '')} {ex_contact.get('phone', '')}。"
        )
    for note in notes:
        row += 1
        ws.merge_range(row, 1, row, 4, note, fmt.wrap)
        ws.set_row(row, 30)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _validate(ws, first_row: int, col: int, last_row: int, options: dict[str, Any]) -> None:
    options.setdefault("ignore_blank", True)
    ws.data_validation(first_row, col, last_row, col, options)


def _setting_validation(spec, lists: _Lists, cell: str) -> dict[str, Any] | None:
    title = spec.label[:32]
    if spec.none_label:
        number = f"AND(ISNUMBER({cell}),INT({cell})={cell},{cell}>={spec.minimum},{cell}<={spec.maximum})"
        return {"validate": "custom", "value": f'=OR({cell}="{spec.none_label}",{number})',
                "input_title": title, "input_message": f"允许：{spec.allowed}。"[:255],
                "error_title": "超出允许范围", "error_message": f"“{spec.label}”应为{spec.allowed}。"[:255]}
    if spec.kind == DATE:
        return {"validate": "date", "criteria": "between", "minimum": spec.minimum, "maximum": spec.maximum,
                "input_title": title, "input_message": f"填写日期，如 2022-09-20（允许：{spec.allowed}）。",
                "error_title": "日期有误", "error_message": f"请填写 {spec.allowed} 之间的日期。"}
    if spec.kind in (INT, DECIMAL):
        return {"validate": "integer" if spec.kind == INT else "decimal", "criteria": "between",
                "minimum": spec.minimum, "maximum": spec.maximum,
                "input_title": title, "input_message": f"允许：{spec.allowed}。",
                "error_title": "超出允许范围", "error_message": f"“{spec.label}”应为{spec.allowed}。"}
    if spec.kind == CHOICE:
        return {"validate": "list", "source": [label for _, label in spec.choices],
                "input_title": title, "input_message": "从下拉列表选择。",
                "error_title": "不在可选项中", "error_message": f"请从下拉列表选择：{spec.allowed}。"}
    return None


def _write_settings(ws, edition: Edition, fmt: _Formats, lists: _Lists) -> None:
    widths = (30, 34, 20, 26, 70)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"{edition.title}——评选设置", fmt.title)
    ws.merge_range(0, 1, 0, 4, "修改黄色“值”列即可覆盖版本预设；“键”列请勿改动。超出允许范围的值不会被采用，会在汇总和排名时提示。", fmt.subtitle)
    notes = {
        "键": "程序识别用的名称，请勿改动。",
        "项目": "设置项的中文名称。",
        "值": "本年度采用的值。可修改，须在允许范围内。",
        "允许范围": "超出范围的值不会被采用（沿用预设值）。",
        "说明": "该设置的含义。",
    }
    for col, text in enumerate(H.SETTINGS_COLUMNS):
        ws.write_string(HEADER_ROW, col, text, fmt.header)
        ws.write_comment(HEADER_ROW, col, notes[text], {"x_scale": 1.6})
    specs = setting_specs(edition)
    for i, (spec, row) in enumerate(zip(specs, settings_rows(edition))):
        r = FIRST_DATA_ROW + i
        ws.write_string(r, 0, row.key, fmt.readonly)
        ws.write_string(r, 1, row.label, fmt.text)
        if spec.kind == DATE:
            ws.write_datetime(r, 2, dt.datetime.combine(row.value, dt.time()), fmt.value_date)
        elif spec.kind == READONLY:
            ws.write_number(r, 2, row.value, fmt.readonly)
        elif isinstance(row.value, (int, float)):
            ws.write_number(r, 2, row.value, fmt.value)
        else:
            ws.write_string(r, 2, str(row.value), fmt.value)
        ws.write_string(r, 3, row.allowed, fmt.text)
        ws.write_string(r, 4, row.note, fmt.wrap)
        options = _setting_validation(spec, lists, f"{VALUE_COLUMN}{r + 1}")
        if options:
            ws.data_validation(r, 2, r, 2, options)
    ws.freeze_panes(FIRST_DATA_ROW, 2)
    ws.autofilter(HEADER_ROW, 0, HEADER_ROW + len(specs), len(H.SETTINGS_COLUMNS) - 1)
    _print_setup(ws, len(H.SETTINGS_COLUMNS) - 1)


def _field_validation(f: Field, lists: _Lists) -> dict[str, Any] | None:
    title = f.label[:32]
    choices: tuple[str, ...] | None = None
    source = None
    if f.choices == CHOICES_CITIES:
        source = lists.ref("cities")
    elif f.choices == CHOICES_COUNTIES:
        source = lists.ref("counties")
    elif isinstance(f.choices, tuple):
        choices = f.choices
        source = lists.ref_for(choices) or list(choices)
    elif f.type == T.YES_NO:
        source = lists.ref("yes_no")
    if source is not None:
        shown = "、".join(choices) if choices else ""
        message = f"请从下拉列表选择{('：' + shown) if shown and len(shown) < 200 else '。'}"
        return {"validate": "list", "source": source, "input_title": title, "input_message": "从下拉列表选择。",
                "error_title": "不在可选项中", "error_message": message[:255]}
    if f.type in (T.DECIMAL, T.INTEGER, T.YEAR):
        kind = "decimal" if f.type == T.DECIMAL else "integer"
        low = f.min_value if f.min_value is not None else 0
        if f.max_value is not None:
            criteria = {"criteria": "between", "minimum": low, "maximum": f.max_value}
            allowed = f"{_num(low)}～{_num(f.max_value)}"
        else:
            criteria = {"criteria": ">=", "value": low}
            allowed = f"不小于{_num(low)}"
        what = {"decimal": "数字", "integer": "整数"}[kind]
        if f.type == T.YEAR:
            what = "年份（4位整数）"
        return {"validate": kind, **criteria, "input_title": title, "input_message": f"填写{what}，{allowed}。",
                "error_title": "数值有误", "error_message": f"“{f.label}”应为{what}，{allowed}。"}
    if f.type == T.DATE:
        return {"validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
                "input_title": title, "input_message": "填写日期，如 2022-10-08。",
                "error_title": "日期有误", "error_message": f"“{f.label}”应为日期，如 2022-10-08。"}
    if f.type in TEXT_CODE_TYPES:
        return {"validate": "length", "criteria": "==", "value": 18, "input_title": title,
                "input_message": "18位，末位可为字母。", "error_title": "位数有误", "error_message": f"“{f.label}”应为18位。"}
    return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _header_note(f: Field) -> str:
    note = f.note
    if f.required:
        note = ("必填。" + note) if note else "必填。"
    if isinstance(f.choices, tuple) and not note:
        note = "从下拉列表选择。"
    return note or f.label


def _write_table(ws, sheet: SheetSchema, fmt: _Formats, lists: _Lists, rows: list[dict[str, Any]], *, written: bool) -> None:
    fields = sheet.fields
    last_col = len(fields) - 1
    ws.write_string(0, 0, sheet.name, fmt.title)
    if sheet.description:
        ws.merge_range(0, 1, 0, max(last_col, 1), sheet.description, fmt.subtitle)
    ws.set_row(0, 36)
    ws.set_row(HEADER_ROW, 30)
    for col, f in enumerate(fields):
        is_code = f.type in TEXT_CODE_TYPES or f.key in TEXT_CODE_KEYS
        ws.set_column(col, col, f.width, fmt.code if is_code else None)
        header_fmt = fmt.header_written if written else (fmt.header_required if f.required else fmt.header)
        ws.write_string(HEADER_ROW, col, f.header, header_fmt)
        ws.write_comment(HEADER_ROW, col, _header_note(f), {"x_scale": 1.5, "y_scale": 1.3})
        if not written:
            options = _field_validation(f, lists)
            if options:
                _validate(ws, FIRST_DATA_ROW, col, FIRST_DATA_ROW + DATA_ROWS - 1, options)
    for i, row in enumerate(rows):
        r = FIRST_DATA_ROW + i
        for col, f in enumerate(fields):
            _write_value(ws, r, col, row.get(f.key), f, fmt)
    ws.freeze_panes(FIRST_DATA_ROW, 1)
    ws.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(rows), 1), last_col)
    _print_setup(ws, last_col)


def _write_value(ws, r: int, col: int, value: Any, f: Field, fmt: _Formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_string(r, col, "是" if value else "否")
    elif isinstance(value, (dt.datetime, dt.date)):
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        ws.write_datetime(r, col, value, fmt.date)
    elif isinstance(value, (int, float)) and f.type not in TEXT_CODE_TYPES:
        ws.write_number(r, col, value)
    else:
        ws.write_string(r, col, str(value), fmt.code if f.type in TEXT_CODE_TYPES else (fmt.wrap if f.width >= 40 else None))


def _write_meta(ws, edition: Edition) -> None:
    facts = (
        ("工作簿类型", H.HUB_WORKBOOK_KIND),
        ("评选年度", edition.year),
        ("模板版本", H.HUB_TEMPLATE_VERSION),
    )
    for r, (key, value) in enumerate(facts):
        ws.write_string(r, 0, key)
        if isinstance(value, int):
            ws.write_number(r, 1, value)
        else:
            ws.write_string(r, 1, value)
    ws.hide()


# -- 工作台 (the .xlsm's first sheet) -------------------------------------------------------
BUTTON_SIZE = {"width": 128, "height": 34}
STEP_ROW_HEIGHT = 48


def _write_workbench(wb, ws, meta, fmt: _Formats) -> None:
    """Steps in order, a button each (bound to its ``macros/XlAwardsHub.bas`` Sub), needs, 填写, 上次运行.

    The status cell (``XlAwardsStatus``) and the add-in-missing message (``XlAwardsSetupMessage``,
    in the hidden ``_参数`` sheet) are workbook names, so the ASCII macros can reach them.
    """
    ws.set_column(W.COL_STEP, W.COL_STEP, 6)
    ws.set_column(W.COL_BUTTON, W.COL_BUTTON, 20)
    ws.set_column(W.COL_NEEDS, W.COL_NEEDS, 64)
    ws.set_column(W.COL_INPUT, W.COL_INPUT, 36)
    ws.set_column(W.COL_LAST_RUN, W.COL_LAST_RUN, 22)
    ws.write_string(0, 0, W.WORKBENCH_TITLE, fmt.title)
    ws.merge_range(1, 0, 1, W.COL_LAST_RUN, W.WORKBENCH_NOTE, fmt.subtitle)
    ws.set_row(1, 34)
    for col, text in enumerate(W.WORKBENCH_HEADERS):
        ws.write_string(W.HEADER_ROW, col, text, fmt.header)
    quoted = f"'{H.WORKBENCH_SHEET}'"
    for i, step in enumerate(W.HUB_STEPS):
        row = W.FIRST_STEP_ROW + i
        ws.set_row(row, STEP_ROW_HEIGHT)
        ws.write_number(row, W.COL_STEP, i + 1, fmt.step)
        ws.write_blank(row, W.COL_BUTTON, None, fmt.cell)
        ws.insert_button(row, W.COL_BUTTON, {"macro": step.macro, "caption": step.caption,
                                             "x_offset": 6, "y_offset": 7, **BUTTON_SIZE})
        ws.write_string(row, W.COL_NEEDS, step.needs, fmt.cell)
        if step.input_name or step.input_hint or step.key == "expert_sheets":
            ws.write_blank(row, W.COL_INPUT, None, fmt.value)
        else:
            ws.write_blank(row, W.COL_INPUT, None, fmt.cell)
        if step.input_name:
            wb.define_name(step.input_name, f"={quoted}!${xl_col_to_name(W.COL_INPUT)}${row + 1}")
        ws.write_string(row, W.COL_LAST_RUN, W.NEVER_RUN, fmt.cell)
    status_row = W.FIRST_STEP_ROW + len(W.HUB_STEPS) + 1
    ws.write_string(status_row, W.COL_BUTTON, W.STATUS_LABEL, fmt.header)
    ws.merge_range(status_row, W.COL_NEEDS, status_row, W.COL_LAST_RUN, "", fmt.wrap)
    ws.set_row(status_row, 48)
    wb.define_name(W.NAME_STATUS, f"={quoted}!${xl_col_to_name(W.COL_NEEDS)}${status_row + 1}")
    _write_setup_message(wb, meta, H.META_SHEET)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _write_setup_message(wb, meta, sheet_name: str, row: int = 10) -> None:
    """The add-in-missing message in the hidden facts sheet, named for the macros."""
    meta.write_string(row, 0, W.SETUP_MESSAGE_LABEL)
    meta.write_string(row, 1, W.SETUP_MESSAGE)
    wb.define_name(W.NAME_SETUP_MESSAGE, f"='{sheet_name}'!$B${row + 1}")

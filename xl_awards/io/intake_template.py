"""The city intake workbooks (one per 市州, plus a blank template), written with XlsxWriter.

Everything comes from the schema (``xl_awards.schema.intake``) and the edition:
labels, notes, lists, numbers and dates.  Layout (the contract with the reader):
sheets ``填报说明``, the five data sheets, ``校验结果`` (empty), hidden ``_选项``
(drop-down lists) and hidden ``_参数`` (key/value facts).  On each data sheet row 1
is a title, row 2 the header (``Field.header`` with ``Field.note`` as a comment),
data from row 3, then the ``检查`` column and hidden helper columns (see
``check_formula``).  Works with macros disabled: drop-downs, data validation with
Chinese prompts, highlighted required cells, the ``检查`` formulas, print set-up.

Output is reproducible: fixed document properties (created = the edition's notice
date) and XlsxWriter's fixed zip timestamps (written in memory), so the same inputs give
the same bytes.

The five data sheets (thousands of ``检查`` formulas) are the same in every city's workbook:
their strings are written first, so they take the same shared-string indices everywhere,
and every cell format has its index before any sheet is written.  A build (``SharedDataSheets``)
therefore writes the first workbook in full and each further one without the data rows'
formulas and blank cells, then puts the first workbook's compressed data-sheet parts in place
of its own (``_splice``): the same bytes a full write gives, in a fraction of the time.
"""

from __future__ import annotations

import math

import copy
import datetime as dt
import io
import os
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from xl_awards.intake.cells import date_example
from xl_awards.base import messages
from xl_awards.base.addresses import column_letter
from xl_awards.edition import PORTAL_AWARD_KEYS, REVIEWED_AWARD_KEYS, Edition
from xl_awards.base.errors import UsageError
from xl_awards.io import check_formula as cf
from xl_awards.io.vba_project import COMMON_MODULE, INTAKE_MODULE, add_vba_project, sheet_code_name
from xl_awards.schema import workbench as W
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema
from xl_awards.schema.intake import (
    FINDINGS_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET, RECIPIENTS_SHEET, STAR_SHEET, build_intake_schema,
)

TEMPLATE_VERSION = 1
WORKBOOK_TYPE = "市州申报工作簿"
META_KEYS = ("工作簿类型", "市州", "评选年度", "模板版本")
BLANK_TEMPLATE_NAME = "空白模板"
FILE_NAME = "{year}年度优秀评选申报工作簿_{name}.xlsx"

APPLICANT_ROWS = 100  # pre-formatted data rows on each applicant sheet
RECIPIENT_ROWS = 1000  # pre-formatted data rows on 服务对象情况
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2  # 0-based
# Column width units that fit one A4 landscape page at a readable scale (about 60 %).
PRINT_WIDTH_PER_PAGE = 240
FROZEN_COLUMNS = 2  # 申报编号 + name (or 申报类别 + 申报主体) stay visible
EARLIEST_DATE = dt.date(1950, 1, 1)  # lower bound for dates and months typed into the forms
CHECK_WIDTH = 34

AUTHOR = "湖南省中小企业公共服务平台网络省枢纽平台"
COMMENT_AUTHOR = "填报说明"
SIGN_FOOTER = "&L市州窗口平台（盖章）：              初审人（签字）：              日期：&R第 &P 页，共 &N 页"
CHECK_NOTE = (
    "自动检查本行：显示“通过”表示必填项已填、选项和格式正确；否则列出问题，如“身份证号码有误”。"
    "空行不显示。省枢纽平台汇总时还会做资格条件等全面校验。"
)

# Data-validation prompts (titles at most 32 characters, messages at most 255).
DV_CHOICE = "请从下拉列表中选择。"
DV_INTEGER = "请填写{min}~{max}之间的整数。"
DV_INTEGER_MIN = "请填写不小于{min}的整数。"
DV_DECIMAL = "请填写{min}~{max}之间的数字。"
DV_YEAR = "请填写{min}~{max}之间的四位年份，如 {example}。"
DV_DATE = "请填写{start}至{end}之间的日期，如 {example}。"
DV_MONTH = "请填写{start}至{end}之间的年月，如 {example}。"
DV_MAX_CHARS = "不能超过{max}个字。"
DV_CODE = "{label}应为18位，请核对（不要加空格）。"
DV_ERROR_TITLE = "{label}填写有误"


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def intake_file_name(edition: Edition, city: str | None) -> str:
    return FILE_NAME.format(year=edition.year, name=city or BLANK_TEMPLATE_NAME)


def intake_cities(edition: Edition) -> list[str | None]:
    """The cities whose workbooks ``write_intake_workbooks`` writes, in order (``None``: the blank template)."""
    return [*edition.divisions.city_names, None]


def write_intake_workbooks(edition: Edition, out_dir: str | Path, *, macros: bool = False,
                           shared: SharedDataSheets | None = None) -> list[Path]:
    """One workbook per 市州 of the edition's province, then the blank template.

    ``macros``: the ``.xlsm`` versions (same content, plus the 校验 / 清除标记 buttons on
    ``填报说明`` and the VBA project of ``macros/XlAwardsIntake.bas`` and ``XlAwardsCommon.bas``).  ``shared``: data sheets
    already written by an earlier call for the same edition (``.xlsx`` and ``.xlsm`` share them).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    shared = shared if shared is not None else SharedDataSheets()
    for city in intake_cities(edition):
        path = out_dir / intake_file_name(edition, city)
        if macros:
            path = path.with_suffix(".xlsm")
        paths.append(write_intake_workbook(edition, path, city, shared=shared))
    return paths


@dataclass
class SharedDataSheets:
    """The data-sheet parts of the first workbook written, for each kind (.xlsx / .xlsm): a zip
    holding them (or the whole workbook) and their names.

    The two kinds' data sheets differ only in the sheet's code name (``<sheetPr codeName="Sheet2">``
    in the ``.xlsm``), so the second kind's parts are made from the first's (``_other_kind``).
    """
    books: dict[bool, tuple[bytes, frozenset[str]]] = field(default_factory=dict)

    def get(self, macros: bool) -> tuple[bytes, frozenset[str]] | None:
        if macros not in self.books and (not macros) in self.books:
            derived = _other_kind(*self.books[not macros], macros=macros)
            if derived is not None:
                self.books[macros] = derived
        return self.books.get(macros)


def write_intake_workbook(edition: Edition, path: str | Path, city: str | None,
                          shared: SharedDataSheets | None = None) -> Path:
    """Write one intake workbook (``city=None``: the blank template) atomically to ``path``
    (an ``.xlsm`` path gets the buttons and the VBA project).  ``shared``: data sheets
    already written for another city of the same edition, reused (see the module docstring)."""
    path = Path(path)
    if city is not None and city not in edition.divisions.cities:
        raise UsageError(f"“{city}”不是{edition.data['province_name']}的市州")
    path.parent.mkdir(parents=True, exist_ok=True)
    macros = path.suffix.lower() == ".xlsm"
    fd, tmp = tempfile.mkstemp(prefix=".tmp_", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        reference = shared.get(macros) if shared is not None else None
        data = None
        if reference is not None:
            light = io.BytesIO()
            _IntakeWriter(edition, city, light, macros=macros, light=True).write()
            data = _splice(light.getvalue(), *reference)
        if data is None:
            out = io.BytesIO()
            writer = _IntakeWriter(edition, city, out, macros=macros)
            writer.write()
            data = out.getvalue()
            if shared is not None and macros not in shared.books:
                shared.books[macros] = (data, writer.data_parts)
        Path(tmp).write_bytes(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class _PlainFormulaSheet(Worksheet):
    """A worksheet whose formulas use only functions Excel 2007 already had (see ``check_formula``).

    XlsxWriter rewrites newer functions with an ``_xlfn.`` prefix through dozens of regular
    expressions per formula; on thousands of 5,000-character formulas that dominated the build
    time, and none of them can apply here.
    """

    def _prepare_formula(self, formula, expand_future_functions=False):
        return formula[1:] if formula.startswith("=") else formula

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        # The same as XlsxWriter's, less its search for dynamic-array functions (one long regular
        # expression per formula; these formulas never use them) and its array-formula hand-off.
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0


def _raw_entry(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of one member, as stored."""
    z.fp.seek(info.header_offset)
    header = z.fp.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    z.fp.seek(info.header_offset + 30 + name_len + extra_len)
    return z.fp.read(info.compress_size)


def _other_kind(book: bytes, parts: frozenset[str], *, macros: bool) -> tuple[bytes, frozenset[str]] | None:
    """The data-sheet parts of ``book`` as the other kind writes them: the sheet's code name added
    (``macros``) or taken away; compressed as XlsxWriter does.  ``None`` if a part is not as expected."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(parts):
            xml = src.read(name).decode("utf-8")
            number = name.rsplit("sheet", 1)[1].removesuffix(".xml")
            plain, coded = "<sheetPr>", f'<sheetPr codeName="{sheet_code_name(int(number) - 1)}">'
            old, new = (plain, coded) if macros else (coded, plain)
            if xml.count(old) != 1 or xml.count("<sheetPr") != 1:
                return None
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.replace(old, new).encode("utf-8"))
    return out.getvalue(), parts


def _splice(light: bytes, reference: bytes, parts: frozenset[str]) -> bytes | None:
    """``light`` with its ``parts`` replaced by ``reference``'s, copied still compressed
    (``None`` when either lacks one of them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(light)) as a, zipfile.ZipFile(io.BytesIO(reference)) as b:
        if not parts <= set(a.namelist()) or not parts <= set(b.namelist()):
            return None
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name in a.namelist():
                src = b if name in parts else a
                info = copy.copy(src.getinfo(name))
                raw = _raw_entry(src, info)
                info.header_offset = z.fp.tell()
                z.fp.write(info.FileHeader(zip64=False))
                z.fp.write(raw)
                z.filelist.append(info)
                z.NameToInfo[name] = info
                z.start_dir = z.fp.tell()
    return out.getvalue()


class _LightSheet(_PlainFormulaSheet):
    """A data sheet of a light write: its part is replaced by the first workbook's, so it writes none."""

    def _assemble_xml_file(self):
        self._xml_declaration()
        self._xml_close()


class _IntakeWriter:
    def __init__(self, edition: Edition, city: str | None, path, macros: bool = False, light: bool = False):
        """``light``: leave out the data rows' formulas and blank cells (their parts come from another workbook)."""
        self.edition = edition
        self.macros = macros
        self.light = light
        self.city = city
        self.schema = build_intake_schema(edition)
        self.data_parts: frozenset[str] = frozenset()
        self.wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False,
                                             "in_memory": True})
        created = dt.datetime.combine(edition.date("notice_date"), dt.time(9, 0))
        self.wb.set_properties({
            "title": f"{edition.title}申报工作簿（{city or BLANK_TEMPLATE_NAME}）",
            "subject": edition.title,
            "author": AUTHOR,
            "company": AUTHOR,
            "comments": f"模板版本 {TEMPLATE_VERSION}，由 xl-awards build 生成",
            "created": created,
        })
        self.wb.set_calc_mode("auto")
        self._formats()
        self.list_ranges: dict[str, str] = {}

    # -- formats ----------------------------------------------------------------
    def _formats(self) -> None:
        add = self.wb.add_format
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.f_title = add({**base, "bold": True, "font_size": 14, "align": "center"})
        self.f_subtitle = add({**base, "bold": True, "font_size": 12})
        self.f_header = add({**base, "bold": True, "text_wrap": True, "align": "center", "border": 1, "bg_color": "#DDEBF7"})
        self.f_header_req = add({**base, "bold": True, "text_wrap": True, "align": "center", "border": 1, "bg_color": "#FCE4D6"})
        self.f_star = add({**base, "bold": True, "font_color": "#C00000"})
        self.f_check_header = add({**base, "bold": True, "text_wrap": True, "align": "center", "border": 1, "bg_color": "#E2EFDA"})
        self.f_check = add({**base, "text_wrap": True, "font_color": "#C00000"})
        self.f_helper = add({**base, "font_color": "#808080"})
        self.f_text = add({**base, "num_format": "@"})
        self.f_long = add({**base, "num_format": "@", "text_wrap": True, "valign": "top"})
        self.f_int = add({**base, "num_format": "0"})
        self.f_dec = add({**base, "num_format": "0.00"})
        self.f_date = add({**base, "num_format": "yyyy-mm-dd"})
        self.f_month = add({**base, "num_format": "yyyy-mm"})
        self.f_filled = add({"border": 1})  # conditional: grid lines on rows that have data
        self.f_wrap = add({**base, "text_wrap": True, "valign": "top"})
        self.f_table_head = add({**base, "bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7"})
        self.f_table = add({**base, "text_wrap": True, "valign": "top", "border": 1})
        self.f_missing = add({"bg_color": "#FFF2CC"})
        self.f_wrong = add({"bg_color": "#F8CBAD"})
        self.f_ok = add({"font_color": "#375623"})
        # Cell formats get their index now, in this order, whatever the sheets use first
        # (a light write uses fewer of them and must still give the same styles part).
        conditional = {id(f) for f in (self.f_filled, self.f_missing, self.f_wrong, self.f_ok)}
        for f in self.wb.formats:
            if id(f) not in conditional:
                f._get_xf_index()

    def _data_format(self, f: Field):
        if f.type == T.INTEGER or f.type == T.YEAR:
            return self.f_int
        if f.type == T.DECIMAL:
            return self.f_dec
        if f.type in (T.DATE, T.PERIOD):
            return self.f_date
        if f.type == T.YEAR_MONTH:
            return self.f_month
        if f.type == T.TEXT and (f.min_chars or f.width >= 30):
            return self.f_long
        return self.f_text  # text, IDs (so 18 digits stay text), phones, choices

    # -- the workbook -----------------------------------------------------------
    def write(self) -> None:
        instructions = self.wb.add_worksheet(INSTRUCTIONS_SHEET)
        sheet_class = _LightSheet if self.light else _PlainFormulaSheet
        data_sheets = [(sheet, self.wb.add_worksheet(sheet.name, sheet_class)) for sheet in self.schema]
        findings = self.wb.add_worksheet(FINDINGS_SHEET)
        lists = self.wb.add_worksheet(LISTS_SHEET)
        meta = self.wb.add_worksheet(META_SHEET)
        # The data sheets first: their strings take the same shared-string indices in every city's workbook.
        for sheet, ws in data_sheets:
            self._write_data_sheet(sheet, ws)
        self.data_parts = frozenset(f"xl/worksheets/sheet{ws.index + 1}.xml" for _, ws in data_sheets)
        self._write_lists(lists)
        self._write_meta(meta)
        self._write_instructions(instructions)
        findings.set_column(0, 0, 12)
        if self.macros:
            self._write_buttons(instructions, meta)
        instructions.activate()
        self.wb.close()

    def _write_buttons(self, ws, meta) -> None:
        """校验 and 清除标记 right of the instructions, a status cell under them, the VBA project."""
        col = W.INTAKE_BUTTON_COLUMN
        ws.set_column(col, col, 18)
        for i, (caption, macro) in enumerate(W.INTAKE_BUTTONS):
            ws.insert_button(1 + 2 * i, col, {"macro": macro, "caption": caption, "width": 120, "height": 32})
        status = W.INTAKE_STATUS_ROW
        ws.write_string(status, col, W.STATUS_LABEL, self.f_subtitle)
        ws.set_column(col + 1, col + 1, 40)
        ws.write_blank(status + 1, col, None, self.f_wrap)
        quoted = f"'{INSTRUCTIONS_SHEET}'"
        self.wb.define_name(W.NAME_STATUS, f"={quoted}!${column_letter(col)}${status + 2}")
        meta_row = len(META_KEYS) + 1
        meta.write_string(meta_row, 0, W.SETUP_MESSAGE_LABEL)
        meta.write_string(meta_row, 1, W.SETUP_MESSAGE)
        self.wb.define_name(W.NAME_SETUP_MESSAGE, f"='{META_SHEET}'!$B${meta_row + 1}")
        add_vba_project(self.wb, (INTAKE_MODULE, COMMON_MODULE))

    def _write_meta(self, ws) -> None:
        values = (WORKBOOK_TYPE, self.city or "", self.edition.year, TEMPLATE_VERSION)
        for row, (key, value) in enumerate(zip(META_KEYS, values)):
            ws.write_string(row, 0, key)
            if isinstance(value, int):
                ws.write_number(row, 1, value)
            else:
                ws.write_string(row, 1, value)
        ws.set_column(0, 1, 16)
        ws.hide()

    def _lists(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(defined name, column title, values) for every drop-down list, in a fixed order."""
        divisions = self.edition.divisions
        cities = (self.city,) if self.city else tuple(divisions.city_names)
        if self.city:
            counties = divisions.counties(self.city)
        else:
            counties = tuple(c for name in divisions.city_names for c in divisions.counties(name))
        out = [(cf.CITY_LIST_NAME, "市州", cities), (cf.COUNTY_LIST_NAME, "县市区", counties)]
        seen = {cf.CITY_LIST_NAME, cf.COUNTY_LIST_NAME}
        for sheet in self.schema:
            for f in sheet.fields:
                spec = cf.choice_values(f)
                if not isinstance(spec, tuple):
                    continue
                name = cf.list_name(spec)
                if name not in seen:
                    seen.add(name)
                    out.append((name, "/".join(spec) if f.type == T.YES_NO else f.label, spec))
        return out

    def _write_lists(self, ws) -> None:
        col = 0
        for name, title, values in self._lists():
            ws.write_string(0, col, title)
            for i, value in enumerate(values):
                ws.write_string(1 + i, col, value)
            ref = f"{column_letter(col)}$2:${column_letter(col)}${1 + len(values)}"
            self.wb.define_name(name, f"='{LISTS_SHEET}'!${ref}")
            self.list_ranges[name] = ref
            ws.set_column(col, col, max(10, len(title) * 2))
            col += 1
        # The full city/county table the 县市区 check uses (the row's 市州 may differ from the workbook's).
        col += 1
        divisions = self.edition.divisions
        pairs = [(c, k) for c in divisions.city_names for k in divisions.counties(c)]
        ws.write_string(0, col, "市州（全省）")
        ws.write_string(0, col + 1, "县市区（全省）")
        for i, (city, county) in enumerate(pairs):
            ws.write_string(1 + i, col, city)
            ws.write_string(1 + i, col + 1, county)
        for name, c in ((cf.TABLE_CITY_NAME, col), (cf.TABLE_COUNTY_NAME, col + 1)):
            self.wb.define_name(name, f"='{LISTS_SHEET}'!${column_letter(c)}$2:${column_letter(c)}${1 + len(pairs)}")
        ws.set_column(col, col + 1, 22)
        ws.hide()

    # -- data sheets ------------------------------------------------------------
    def _rows(self, sheet: SheetSchema) -> int:
        return RECIPIENT_ROWS if sheet.name == RECIPIENTS_SHEET else APPLICANT_ROWS

    def _write_data_sheet(self, sheet: SheetSchema, ws) -> None:
        layout = cf.RowLayout.for_sheet(sheet)
        n_rows = self._rows(sheet)
        first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + n_rows - 1
        check = layout.check

        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, check,
                       f"{self.edition.title}　{sheet.name}（{self.city or '市州：　　　　'}）", self.f_title)
        ws.set_row(TITLE_ROW, 28)
        ws.set_row(HEADER_ROW, 42)
        for f in sheet.fields:
            col = layout.columns[f.key]
            if f.required:
                ws.write_rich_string(HEADER_ROW, col, f.label, self.f_star, "*", self.f_header_req)
            else:
                ws.write_string(HEADER_ROW, col, f.header, self.f_header)
            note = _header_note(f, sheet)
            if note:
                ws.write_comment(HEADER_ROW, col, note, {"author": COMMENT_AUTHOR, "x_scale": 2.2, "y_scale": 1.6})
            ws.set_column(col, col, f.width)
            fmt = self._data_format(f)
            if not self.light:
                for row in range(first, last + 1):
                    ws.write_blank(row, col, None, fmt)
            self._validate(ws, f, col, first, last)
        ws.write_string(HEADER_ROW, check, sheet.check_column, self.f_check_header)
        ws.write_comment(HEADER_ROW, check, CHECK_NOTE, {"author": COMMENT_AUTHOR, "x_scale": 2.2, "y_scale": 1.6})
        ws.set_column(check, check, CHECK_WIDTH)
        for key, col in layout.helpers.items():
            ws.write_string(HEADER_ROW, col, cf.helper_header(sheet.field(key)), self.f_helper)
            ws.set_column(col, col, 20, None, {"hidden": True})
        for key, col in layout.texts.items():
            ws.write_string(HEADER_ROW, col, cf.text_helper_header(sheet.field(key)), self.f_helper)
            ws.set_column(col, col, 20, None, {"hidden": True})
        if not self.light:
            for row, formulas in cf.row_formulas(layout, range(first + 1, last + 2)).items():
                for col, formula in formulas.items():
                    ws.write_formula(row - 1, col, formula, self.f_check if col == check else self.f_helper, "")
        self._highlight(ws, sheet, layout, first, last)

        ws.freeze_panes(FIRST_DATA_ROW, FROZEN_COLUMNS)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        # A wide form squeezed onto one page width prints too small to read: spread it over as
        # many pages across as keep the print scale readable, repeating the identifying columns.
        total_width = sum(f.width for f in sheet.fields) + CHECK_WIDTH
        pages_wide = max(1, math.ceil(total_width / PRINT_WIDTH_PER_PAGE))
        ws.fit_to_pages(pages_wide, 0)
        ws.repeat_rows(TITLE_ROW, HEADER_ROW)
        if pages_wide > 1:
            ws.repeat_columns(0, FROZEN_COLUMNS - 1)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.7)
        ws.set_footer(SIGN_FOOTER)
        ws.center_horizontally()

    def _highlight(self, ws, sheet: SheetSchema, layout: cf.RowLayout, first: int, last: int) -> None:
        """Yellow: a required cell still blank in a row with data; red: a value the 检查 column flags."""
        sep = messages.CHECK_SEPARATOR
        chk = f'"{sep}"&${column_letter(layout.check)}{first + 1}&"{sep}"'
        for f in sheet.fields:
            col = layout.columns[f.key]
            rng = (first, col, last, col)
            if f.required:
                text = sep + messages.rule_short("required", label=f.label) + sep
                ws.conditional_format(*rng, {"type": "formula", "criteria": f'=ISNUMBER(FIND({cf.lit(text)},{chk}))',
                                             "format": self.f_missing})
            wrong = [sep + s + sep for s in _fixed_shorts(f)]
            if f.min_chars is not None:  # the count varies: "；<label>" and "字少于<min>字；" both present
                marker = "\x00"
                before, after = messages.rule_short("text_min_chars", label=f.label, count=marker, min=f.min_chars).split(marker)
                cond = f"AND(ISNUMBER(FIND({cf.lit(sep + before)},{chk})),ISNUMBER(FIND({cf.lit(after + sep)},{chk})))"
            else:
                cond = None
            terms = [f"ISNUMBER(FIND({cf.lit(w)},{chk}))" for w in wrong] + ([cond] if cond else [])
            if terms:
                ws.conditional_format(*rng, {"type": "formula", "criteria": "=OR(" + ",".join(terms) + ")",
                                             "format": self.f_wrong})
        check_cell = f"${column_letter(layout.check)}{first + 1}"
        ws.conditional_format(first, 0, last, layout.check, {
            "type": "formula", "criteria": f'={check_cell}<>""', "format": self.f_filled})
        ws.conditional_format(first, layout.check, last, layout.check, {
            "type": "formula", "criteria": f'={check_cell}="{messages.CHECK_OK}"', "format": self.f_ok})

    def _validate(self, ws, f: Field, col: int, first: int, last: int) -> None:
        ed = self.edition
        opts: dict[str, Any] = {"input_title": f.label[:32], "error_title": DV_ERROR_TITLE.format(label=f.label)[:32]}
        spec = cf.choice_values(f)
        if f.type in (T.CHOICE, T.YES_NO):
            opts.update(validate="list", source=f"={cf.list_name(spec)}", error_message=DV_CHOICE)
            if f.multiple:  # several choices typed into one cell (管理咨询、财税) are valid: warn, never refuse
                opts["error_type"] = "warning"
        elif f.type == T.INTEGER:
            low = int(f.min_value if f.min_value is not None else 0)
            if f.max_value is not None:
                opts.update(validate="integer", criteria="between", minimum=low, maximum=int(f.max_value),
                            error_message=DV_INTEGER.format(min=low, max=int(f.max_value)))
            else:
                opts.update(validate="integer", criteria=">=", value=low, error_message=DV_INTEGER_MIN.format(min=low))
            opts["error_type"] = "warning"  # 无 / 没有 / 0次 are valid counts: warn, never refuse
        elif f.type == T.DECIMAL:
            low = f.min_value if f.min_value is not None else -1e12
            high = f.max_value if f.max_value is not None else 1e12
            opts.update(validate="decimal", criteria="between", minimum=low, maximum=high,
                        error_message=DV_DECIMAL.format(min=cf._num(low), max=cf._num(high)))
        elif f.type == T.YEAR:
            low = int(f.min_value if f.min_value is not None else EARLIEST_DATE.year)
            high = int(f.max_value if f.max_value is not None else ed.year)
            opts.update(validate="integer", criteria="between", minimum=low, maximum=high,
                        error_message=DV_YEAR.format(min=low, max=high, example=high - 10))
        elif f.type in (T.DATE, T.YEAR_MONTH):
            start, end, style = self._date_range(f)
            opts.update(validate="date", criteria="between", minimum=start, maximum=end, error_type=style)
            if f.type == T.DATE:
                opts["error_message"] = DV_DATE.format(start=start.isoformat(), end=end.isoformat(), example=end.isoformat())
            else:
                opts["error_message"] = DV_MONTH.format(start=f"{start:%Y-%m}", end=f"{end:%Y-%m}", example=f"{end.year - 3}-05")
        elif f.type == T.TEXT and f.max_chars is not None:
            opts.update(validate="length", criteria="<=", value=f.max_chars, error_message=DV_MAX_CHARS.format(max=f.max_chars))
        elif f.type in (T.ID_CARD, T.USCC):
            opts.update(validate="length", criteria="==", value=18, error_type="warning",
                        error_message=DV_CODE.format(label=f.label))
        else:
            opts.update(validate="any")
        prompt = _input_prompt(f, opts.get("error_message", ""))
        if prompt:
            opts["input_message"] = prompt
        elif opts["validate"] == "any":
            return
        ws.data_validation(first, col, last, col, opts)

    def _date_range(self, f: Field) -> tuple[dt.date, dt.date, str]:
        """Sensible bounds for a date field: service dates in the award year (an error otherwise),
        the review date in the application window (a warning), months up to the reference date."""
        ed = self.edition
        if f.type == T.YEAR_MONTH:
            return EARLIEST_DATE, ed.reference_date, "stop"
        if f.key == "date":  # 服务时间 of a service recipient
            return ed.award_year_start, ed.award_year_end, "stop"
        if f.key == "prelim_date":
            return ed.date("application_start"), ed.deadline, "warning"
        return EARLIEST_DATE, ed.deadline, "stop"

    # -- 填报说明 -----------------------------------------------------------------
    def _write_instructions(self, ws) -> None:
        ed = self.edition
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 34)
        ws.set_column(3, 3, 70)
        row = 0
        ws.merge_range(row, 0, row, 3, f"{ed.title}申报工作簿　填报说明", self.f_title)
        ws.set_row(row, 30)
        row += 1

        def para(text: str, fmt=None) -> None:
            nonlocal row
            ws.merge_range(row, 0, row, 3, text, fmt or self.f_wrap)
            lines = max(1, -(-len(text) // 60))
            ws.set_row(row, 16 * lines + 4)
            row += 1

        def heading(text: str) -> None:
            nonlocal row
            row += 1
            para(text, self.f_subtitle)

        para(f"市州：{self.city}" if self.city else "空白模板：请在各表的“所属市州”列选择本市州。")
        para(f"依据：{ed.data['source']}")

        heading("一、时间安排")
        dates = ed.data["dates"]
        para(f"申报时间：{_cn_date(ed.date('application_start'))}至{_cn_date(ed.deadline)}。")
        para(f"各市州窗口平台于{_cn_date(ed.deadline)}前将盖章的纸质材料（一式两份）汇总后邮寄至省枢纽平台"
             f"（{ed.data['contacts']['mail_address']}），并将本工作簿和全部资料电子版（非扫描件）发送至省枢纽平台指定邮箱。")
        para(f"专家评审：{dates['review_period']}；公示：{dates['publicity_period']}，"
             f"在省平台网络门户网站公示{ed.data['publicity']['working_days']}个工作日，无异议后确定最终获奖名单。")

        heading("二、联系方式")
        contacts = ed.data["contacts"]
        for key, awards in ed.contact_awards().items():
            c = contacts[key]
            names = "、".join(f"“{ed.award_name(a)}”" for a in awards)
            para(f"{names}评选：{c['name']}，电话 {c['phone']}，邮箱 {c['email']}")
        para(f"服务热线：{contacts['hotline']}")

        heading("三、评选要求")
        prior = ed.data["prior_awards"]
        prior_names = "、".join(f"“{ed.award_name(a)}”" for a in prior["valid_awards"])
        para(f"获评{prior['year']}年度{prior_names}的继续有效，无需重复申报。")
        para(f"参评单位或个人应如实提供申报材料且无不良征信记录；提供虚假材料的，取消年度参评资格，且{ed.data['sanctions']['bar_years']}年内不得参评。")
        weights = ed.scoring
        scored = "、".join(f"“{ed.award_name(a)}”" for a in PORTAL_AWARD_KEYS)
        para(f"{scored}按 专家评审得分×{weights['expert_weight']:.0%} + 官网备案得分×{weights['portal_weight']:.0%} 排名。")
        quotas = []
        for key in REVIEWED_AWARD_KEYS:
            quotas.append(f"{ed.award_name(key)}{ed.award(key)['quota']}个")
        para("评选数量：" + "，".join(quotas) + "。")

        heading("四、如何填写和检查")
        # The 检查 column's own wording for two common problems (messages.RULES), numbers from the edition.
        star_sheet = next(sheet for sheet in self.schema if sheet.name == STAR_SHEET)
        id_label, text_field = star_sheet.field("id_number").label, star_sheet.field("achievements")
        check_example = messages.CHECK_SEPARATOR.join((
            messages.rule_short("id_card", label=id_label),
            messages.rule_short("text_min_chars", label=text_field.label, count=text_field.min_chars - 1,
                                min=text_field.min_chars),
        ))
        for text in (
            "表头带 * 的列为必填项；鼠标移到表头单元格可看到该项的填写说明。每行填写一项申报，从第3行开始，不要插入空行。",
            "带下拉箭头的单元格请从列表中选择（市州、县市区、性别、平台类型、类别、是/否等）。"
            f"日期填写如 {ed.example('date')}，年月填写如 {ed.example('year_month')}。身份证号码、统一社会信用代码按文本填写。",
            "各表最右边的“检查”列自动检查本行：显示“通过”表示必填项已填写、选项和格式正确；否则列出本行的问题，"
            f"如“{check_example}”（字数不计空格和换行）。空行不显示任何内容。",
            "黄色底色的单元格是本行还没有填写的必填项，红色底色的单元格是“检查”列指出有误的内容。",
            "“检查”列只做基本检查（必填、选项、数字范围、字数、证件号码校验位）。省枢纽平台收到工作簿后会用程序做全面校验"
            "（参评条件、服务对象情况、重复申报等），结果写入“校验结果”工作表。",
            "本工作簿不含宏，在 Excel、WPS 和 LibreOffice 中均可使用。请勿修改表头、删除列或更改工作表名称。",
            "打印：各表已设置为 A4 横向、按页宽缩放、每页重复表头，页脚留有盖章、签字位置；已填写的行自动加表格线。"
            "打印前可选中已填写的行，在“页面布局—打印区域”中设为打印区域。",
        ):
            para(text)

        heading("五、各工作表及填写项")
        for sheet in self.schema:
            row += 1
            para(f"【{sheet.name}】{sheet.description}", self.f_subtitle if not sheet.description else None)
            for col, title in enumerate(("填写项", "是否必填", "格式", "说明")):
                ws.write_string(row, col, title, self.f_table_head)
            row += 1
            for f in sheet.fields:
                ws.write_string(row, 0, f.label, self.f_table)
                ws.write_string(row, 1, _required_text(f, sheet), self.f_table)
                ws.write_string(row, 2, self._format_text(f), self.f_table)
                ws.write_string(row, 3, f.note, self.f_table)
                row += 1
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_footer("&C第 &P 页，共 &N 页")

    def _format_text(self, f: Field) -> str:
        if f.type == T.TEXT:
            text = "文本"
            if f.min_chars is not None:
                text += f"，不少于{f.min_chars}字（不计空格和换行）"
            if f.max_chars is not None:
                text += f"，不超过{f.max_chars}字"
            return text
        if f.type in (T.INTEGER, T.DECIMAL):
            kind = "整数" if f.type == T.INTEGER else "数字"
            low = f.min_value if f.min_value is not None else 0
            if f.max_value is not None:
                return f"{kind}（{cf._num(low)}~{cf._num(f.max_value)}）"
            return f"{kind}（不小于{cf._num(low)}）"
        if f.type == T.CHOICE:
            if f.choices == CHOICES_CITIES:
                return f"从下拉列表选择：{self.city}" if self.city else "从下拉列表选择市州"
            if f.choices == CHOICES_COUNTIES:
                return f"从下拉列表选择{self.city or ''}的县市区"
            return "从下拉列表选择：" + "、".join(f.choices)
        return {
            T.DATE: f"日期，如 {date_example(f)}",
            T.PERIOD: f"日期、月份或期间，如 {date_example(f)}、{date_example(f)[:7]} 或 {date_example(f)[:4]}.3-{date_example(f)[:4]}.6",
            T.YEAR_MONTH: f"年月，如 {self.edition.example('year_month')}",
            T.YEAR: f"四位年份，如 {self.edition.example('year')}",
            T.YES_NO: "是/否",
            T.ID_CARD: "18位身份证号码（末位可为X）",
            T.USCC: "18位统一社会信用代码",
            T.PHONE: "手机号或带区号的固定电话",
            T.EMAIL: "电子邮箱，如 name@example.com",
        }[f.type]


def _required_text(f: Field, sheet: SheetSchema) -> str:
    if not f.required:
        return "否"
    if f.exempt_when:
        key, values = f.exempt_when
        return f"是（{sheet.field(key).label}为{'、'.join(values)}的可不填）"
    return "是"


def _header_note(f: Field, sheet: SheetSchema) -> str:
    parts = []
    if f.required:
        parts.append("必填。" if not f.exempt_when else _required_text(f, sheet) + "。")
    if f.note:
        parts.append(f.note)
    return "".join(parts)


def _input_prompt(f: Field, fallback: str) -> str:
    text = f.note or fallback
    return text[:255]


def _fixed_shorts(f: Field) -> list[str]:
    """Short texts (besides 未填 and the counted 字少于) the 检查 column can show for ``f``."""
    shorts = []
    label = f.label
    if f.type in (T.CHOICE, T.YES_NO):
        shorts.append(messages.rule_short("choice", label=label, value="", choices=""))
    if f.type == T.INTEGER:
        shorts.append(messages.rule_short("integer", label=label, value="", min=""))
    if f.type == T.DECIMAL:
        shorts.append(messages.rule_short("number", label=label, value=""))
    if f.type in (T.INTEGER, T.DECIMAL) and f.max_value is not None or f.type == T.DECIMAL and f.min_value is not None:
        shorts.append(messages.rule_short("range", label=label, value="", min="", max=""))
    if f.type == T.TEXT and f.max_chars is not None:
        shorts.append(messages.rule_short("text_max_chars", label=label, count="", max=f.max_chars))
    if f.type == T.ID_CARD:
        shorts.append(messages.rule_short("id_card", label=label, value="", reason=""))
    if f.type == T.USCC:
        shorts.append(messages.rule_short("uscc", label=label, value="", reason=""))
    return shorts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

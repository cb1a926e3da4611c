"""Fill a built intake template with rows (sample data for the demo, tests and benchmarks).

The values go straight into the template's sheet XML: every other part of the file (data
validations, comments, conditional formats, the VBA project, the ``检查`` formulas of the prepared
rows) is copied as it is, compressed bytes and all.  Columns are found by their header labels
(SPEC section 3), never by position.  A written cell keeps the template's format for it; text stays
text (an inline string: a value starting with ``=``, ``+``, ``-`` or ``@`` is never a formula);
dates are real dates, with the cell's format made a date format.  A row past the template's
prepared ones gets the formulas of the last prepared row (``检查`` and the hidden helper columns
right of it) translated to its own row.  The result is written to ``out_path`` through a temporary
file; the template is never modified.

(openpyxl loading and saving the whole template did the same in 0.9 s a workbook, most of it the
prepared rows' long ``检查`` formulas: the demo fills five.)
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from xl_awards.base import messages, normalize as nz
from xl_awards.base.addresses import column_letter
from xl_awards.base.errors import InputError, UsageError
from xl_awards.base.tables import find_header, header_label
from xl_awards.edition import DEFAULT_EDITION, Edition, load_edition
from xl_awards.intake.intake_book import PREFILLED_KEYS  # prefilled values do not make a row "used"
from xl_awards.io.atomic import write_atomically
from xl_awards.io.sheet_parts import (
    Unsupported, _attr, _split_ref, _text_cell, _to_excel, _unescape, copy_part, escape, sheet_parts,
)
from xl_awards.io.workbook_files import read_grids
from xl_awards.schema import SheetSchema
from xl_awards.schema.intake import META_SHEET, build_intake_schema

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
META_YEAR_KEY = "评选年度"

_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(/?)>")
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_PLAIN_FORMULA = re.compile(r"<f>(.*?)</f>", re.S)
_CACHED_VALUE = re.compile(r"<v\b[^>]*?(?:/>|>.*?</v>)", re.S)
_DIMENSION = re.compile(r'(<dimension\b[^>]*?\bref=")([^"]*)(")')


def sheet_header(grid: list[list[Any]], sheet: SheetSchema) -> tuple[int, dict[str, int], int | None]:
    """(1-based header row, {field key: 1-based column}, 1-based column of ``检查`` or None) in the
    sheet's values ``grid``; ``(0, {}, None)`` when no row matches.  The header rule of ``xl_awards.base.tables``."""
    row, columns = find_header(grid, {f.label: f.key for f in sheet.fields})
    if row < 0:
        return 0, {}, None
    check = None
    for c, value in enumerate(grid[row], start=1):
        if header_label(value) == sheet.check_column:
            check = c
    return row + 1, {key: col + 1 for key, col in columns.items()}, check


def _edition_of(grids: Mapping[str, list[list[Any]]], edition: Edition | None) -> Edition:
    if edition is not None:
        return edition
    for key, value, *_ in (row + [None, None] for row in grids.get(META_SHEET, [])):
        if nz.clean_text(key) == META_YEAR_KEY and nz.clean_text(value).isdigit():
            return load_edition(nz.clean_text(value))
    return load_edition(DEFAULT_EDITION)


def _first_free_row(grid: list[list[Any]], header_row: int, columns: dict[str, int]) -> int:
    """The row after the last one that holds anything in a mapped column (prefilled fields aside)."""
    used = [c - 1 for key, c in columns.items() if key not in PREFILLED_KEYS]
    last = header_row
    for r in range(header_row, len(grid)):  # grid index r is Excel row r + 1
        cells = grid[r]
        if any(c < len(cells) and not nz.is_blank(cells[c]) for c in used):
            last = r + 1
    return last + 1


class _Styles:
    """``xl/styles.xml`` and the cell formats made for dates: a cell's own format with a date number format."""

    def __init__(self, text: str):
        self.text = text
        self.changed = False
        self._made: dict[tuple[int, str], int] = {}
        m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
        if m is None:
            raise Unsupported("no cellXfs")
        self._xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", m.group(1), re.S)
        self._added: list[str] = []

    def dated(self, base: int, code: str) -> int:
        """The index of a cell format like ``base`` with the number format ``code``."""
        key = (base, code)
        if key not in self._made:
            fmt = self._format_id(code)
            xf = self._xfs[base] if 0 <= base < len(self._xfs) else self._xfs[0]
            tag_end = xf.index(">")
            tag, rest = xf[:tag_end], xf[tag_end:]
            if _attr(tag + ">", "numFmtId") == str(fmt):
                self._made[key] = base
            else:
                tag = re.sub(r'\snumFmtId="[^"]*"', "", tag)
                tag = re.sub(r'\sapplyNumberFormat="[^"]*"', "", tag)
                tag = tag.replace("<xf", f'<xf numFmtId="{fmt}" applyNumberFormat="1"', 1)
                self._added.append(tag + rest)
                self._made[key] = len(self._xfs) + len(self._added) - 1
        return self._made[key]

    def _format_id(self, code: str) -> int:
        for tag in re.findall(r"<numFmt\b[^>]*>", self.text):
            if _attr(tag, "formatCode") == code:
                return int(_attr(tag, "numFmtId") or "0")
        used = [int(x) for x in re.findall(r'numFmtId="(\d+)"', self.text)]
        fmt = max([163, *used]) + 1
        entry = f'<numFmt numFmtId="{fmt}" formatCode="{escape(code)}"/>'
        m = re.search(r"<numFmts\b[^>]*?(/?)>", self.text)
        if m is None:
            start = re.search(r"<styleSheet\b[^>]*>", self.text)
            if start is None:
                raise Unsupported("no styleSheet")
            self.text = self.text[:start.end()] + f'<numFmts count="1">{entry}</numFmts>' + self.text[start.end():]
        elif m.group(1) == "/":
            self.text = self.text[:m.start()] + f'<numFmts count="1">{entry}</numFmts>' + self.text[m.end():]
        else:
            close = self.text.index("</numFmts>", m.end())
            self.text = self.text[:close] + entry + self.text[close:]
            count = len(re.findall(r"<numFmt\b", self.text))
            self.text = re.sub(r'(<numFmts\b[^>]*?\bcount=")\d+(")', lambda n: f"{n.group(1)}{count}{n.group(2)}",
                               self.text, count=1)
        self.changed = True
        return fmt

    def final_text(self) -> str:
        if not self._added:
            return self.text
        close = self.text.index("</cellXfs>")
        text = self.text[:close] + "".join(self._added) + self.text[close:]
        count = len(self._xfs) + len(self._added)
        return re.sub(r'(<cellXfs\b[^>]*?\bcount=")\d+(")', lambda m: f"{m.group(1)}{count}{m.group(2)}", text, count=1)

    @property
    def modified(self) -> bool:
        return self.changed or bool(self._added)


def _cell_xml(ref: str, value: Any, style: int | None, styles: _Styles) -> str:
    """The cell ``ref`` holding ``value`` (None: an empty cell keeping its format)."""
    s = "" if style is None else f' s="{style}"'
    if value is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, str):
        try:
            return _text_cell(ref, value, s)
        except Unsupported:
            raise ValueError(f"{ref}: a character a workbook cannot hold") from None
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        timed = isinstance(value, dt.datetime) and value.time() != dt.time(0)
        dated = styles.dated(style or 0, DATETIME_FORMAT if timed else DATE_FORMAT)
        return f'<c r="{ref}" s="{dated}"><v>{_to_excel(value)!r}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    raise ValueError(f"{ref}: a value of type {type(value).__name__}")


@dataclass
class _Row:
    """One row of the sheet: its tag's attributes and its cells by 1-based column (their XML)."""

    number: int
    attrs: str
    cells: dict[int, str] = field(default_factory=dict)

    def xml(self) -> str:
        body = "".join(self.cells[c] for c in sorted(self.cells))
        return f"<row{self.attrs}>{body}</row>" if body else f"<row{self.attrs}/>"


def _parse_row(xml: str) -> _Row:
    close = xml.index(">")
    tag = xml[:close + 1]
    number = _attr(tag, "r")
    if number is None or not number.isdigit():
        raise Unsupported("row without a number")
    attrs = re.sub(r'\sspans="[^"]*"', "", tag[4:close].rstrip("/"))  # spans: optional, and may no longer hold
    row = _Row(int(number), attrs)
    for m in _CELL.finditer(xml):
        ref = _attr(m.group(1), "r")
        if ref is None:
            raise Unsupported("cell without a reference")
        row.cells[_split_ref(ref)[0]] = m.group(0)
    return row


def _style_of(cell: str | None) -> int | None:
    if cell is None:
        return None
    s = _attr(cell[:cell.index(">") + 1], "s")
    return int(s) if s and s.isdigit() else None


def _without_cached_value(cell: str) -> str:
    """A formula cell without its cached result (the values it reads are being written: Excel and
    LibreOffice recalculate the workbook on opening it, as the template asks)."""
    tag_end = cell.index(">")
    tag = re.sub(r'\st="[^"]*"', "", cell[:tag_end])
    return tag + _CACHED_VALUE.sub("", cell[tag_end:])


class _Formulas:
    """The formulas of the last prepared row from the ``检查`` column on, translated to other rows."""

    def __init__(self, rows: dict[int, str], header_row: int, check_col: int | None):
        self.sources: list[tuple[int, str, str, int | None]] = []  # (column, formula, its cell, style)
        self._translators: list | None = None
        if check_col is None:
            return
        for number in sorted((n for n in rows if n > header_row), reverse=True):
            if "<f>" not in rows[number]:
                continue
            cells = _parse_row(rows[number]).cells
            if "<f>" not in cells.get(check_col, ""):
                continue
            for col in sorted(c for c in cells if c >= check_col):
                m = _PLAIN_FORMULA.search(cells[col])
                if m:
                    self.sources.append((col, "=" + _unescape(m.group(1)), f"{column_letter(col - 1)}{number}",
                                         _style_of(cells[col])))
            return

    def extend(self, row: _Row) -> None:
        """Give ``row`` the formulas when the first of them is missing there (a row past the prepared ones)."""
        if not self.sources:
            return
        first = row.cells.get(self.sources[0][0])
        if first is not None and ("<f>" in first or "<v>" in first or "<is>" in first):
            return
        if self._translators is None:  # tokenizing the long formulas takes time: only for rows that need them
            from openpyxl.formula.translate import Translator  # references moved as Excel moves them

            self._translators = [Translator(formula, origin=origin) for _, formula, origin, _ in self.sources]
        for (col, _, _, style), translator in zip(self.sources, self._translators):
            ref = f"{column_letter(col - 1)}{row.number}"
            formula = translator.translate_formula(ref)[1:]
            s = "" if style is None else f' s="{style}"'
            row.cells[col] = f'<c r="{ref}"{s}><f>{escape(formula)}</f></c>'


_ROW_NUMBER = re.compile(r'\sr="(\d+)"')


def _rows_by_number(body: str) -> dict[int, str]:
    """The ``<row>`` elements of a ``sheetData`` body by row number (one pass of ``str.find``: a template's
    body is megabytes of formulas, which a regular expression over every character took 60 ms to split)."""
    rows: dict[int, str] = {}
    pos = 0
    while True:
        start = body.find("<row", pos)
        if start < 0:
            if body[pos:].strip():
                raise Unsupported("unexpected content in sheetData")
            return rows
        if body[pos:start].strip():
            raise Unsupported("unexpected content in sheetData")
        tag_end = body.find(">", start)
        if tag_end < 0:
            raise Unsupported("an unclosed row")
        if body[tag_end - 1] == "/":
            end = tag_end + 1
        else:
            close = body.find("</row>", tag_end)
            if close < 0:
                raise Unsupported("an unclosed row")
            end = close + len("</row>")
        number = _ROW_NUMBER.search(body, start, tag_end)
        if number is None:
            raise Unsupported("row without a number")
        rows[int(number.group(1))] = body[start:end]
        pos = end


def _filled_sheet(text: str, grid: list[list[Any]], header_row: int, columns: dict[str, int],
                  check_col: int | None, rows: Sequence[Mapping[str, Any]], styles: _Styles) -> str:
    """The sheet part ``text`` with ``rows`` written from the first free row on."""
    opening = _SHEET_DATA.search(text)
    if opening is None:
        raise Unsupported("no sheetData")
    if opening.group(1) == "/":
        before, body, after = text[:opening.start()] + "<sheetData>", "", "</sheetData>" + text[opening.end():]
    else:
        end = text.index("</sheetData>", opening.end())
        before, body, after = text[:opening.end()], text[opening.end():end], text[end:]
    by_number = _rows_by_number(body)
    parsed: dict[int, _Row] = {}

    def row_at(number: int) -> _Row:
        if number not in parsed:
            old = by_number.get(number)
            parsed[number] = _Row(number, f' r="{number}"') if old is None else _parse_row(old)
            for col, cell in parsed[number].cells.items():
                if "<f>" in cell or "<f " in cell:
                    parsed[number].cells[col] = _without_cached_value(cell)
        return parsed[number]

    formulas = _Formulas(by_number, header_row, check_col)
    start = _first_free_row(grid, header_row, columns)
    last_col = 0
    for offset, values in enumerate(rows):
        row = row_at(start + offset)
        for key, value in values.items():
            col = columns.get(key)
            if col is None:
                continue
            ref = f"{column_letter(col - 1)}{row.number}"
            row.cells[col] = _cell_xml(ref, value, _style_of(row.cells.get(col)), styles)
            last_col = max(last_col, col)
        formulas.extend(row)
        last_col = max([last_col, *row.cells])
    for number, row in parsed.items():
        by_number[number] = row.xml()
    new_body = "".join(by_number[n] for n in sorted(by_number))
    if rows:
        before = _extended_dimension(before, start + len(rows) - 1, last_col)
    return before + new_body + after


def _extended_dimension(head: str, last_row: int, last_col: int) -> str:
    m = _DIMENSION.search(head)
    if m is None:
        return head
    first, _, last = m.group(2).partition(":")
    try:
        c1, r1 = _split_ref(first)
        c2, r2 = _split_ref(last or first)
    except Unsupported:
        return head
    ref = f"{column_letter(c1 - 1)}{r1}:{column_letter(max(c2, last_col) - 1)}{max(r2, last_row)}"
    return head[:m.start(2)] + ref + head[m.end(2):]


def fill_intake_workbook(
    template_path: str | Path,
    rows_by_sheet: Mapping[str, Sequence[Mapping[str, Any]]],
    out_path: str | Path,
    edition: Edition | None = None,
) -> Path:
    """Write ``rows_by_sheet`` (sheet name -> rows keyed by ``Field.key``) under the template's
    headers and save the result as ``out_path``.  A key present with ``None`` clears its cell.

    Raises ``UsageError`` when ``out_path`` is the template itself and ``InputError`` when the
    template cannot be read or lacks a sheet or a column the rows need.
    """
    template_path, out_path = Path(template_path), Path(out_path)
    name = template_path.name
    if out_path.resolve() == template_path.resolve():
        raise UsageError(f"{name}：输出文件不能与模板相同，模板不会被修改")
    if not template_path.is_file():
        raise InputError(messages.INPUT_ERRORS["not_found"].format(file=name))
    grids, _ = read_grids(template_path, only=[*rows_by_sheet, META_SHEET])  # InputError for what is no workbook
    schema = {s.name: s for s in build_intake_schema(_edition_of(grids, edition))}
    try:
        with zipfile.ZipFile(template_path) as z:
            parts = {title: part for title, part, _ in sheet_parts(z)}
            styles = _Styles(z.read("xl/styles.xml").decode("utf-8"))
            written: dict[str, str] = {}
            for sheet_name, rows in rows_by_sheet.items():
                if sheet_name not in schema:
                    raise ValueError(f"not an intake sheet: {sheet_name}")
                if sheet_name not in parts:
                    raise InputError(messages.INPUT_ERRORS["no_sheets"].format(file=name, sheets=sheet_name))
                sheet, grid = schema[sheet_name], grids.get(sheet_name, [])
                header_row, columns, check_col = sheet_header(grid, sheet)
                if not columns:
                    raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=name, sheet=sheet_name))
                order = [f.key for f in sheet.fields]
                needed = {key for row in rows for key, value in row.items() if value is not None}
                unknown = needed - set(order)
                if unknown:
                    raise ValueError(f"unknown field keys for {sheet_name}: {sorted(unknown)}")
                missing = [sheet.field(k).label for k in order if k in needed and k not in columns]
                if missing:
                    raise InputError(f"{name}：工作表“{sheet_name}”缺少列“{'、'.join(missing)}”")
                part = parts[sheet_name]
                written[part] = _filled_sheet(z.read(part).decode("utf-8"), grid, header_row, columns, check_col,
                                              rows, styles)
    except (Unsupported, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        detail = str(exc) or type(exc).__name__
        raise InputError(messages.INPUT_ERRORS["corrupt"].format(file=name, detail=detail[:80])) from None
    if styles.modified:
        written["xl/styles.xml"] = styles.final_text()

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(template_path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename in written:
                    out = zipfile.ZipInfo(info.filename, info.date_time)
                    out.compress_type = zipfile.ZIP_DEFLATED
                    out.external_attr = info.external_attr
                    zout.writestr(out, written[info.filename].encode("utf-8"))
                else:
                    copy_part(zin, info, zout)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(out_path, write)

"""Cell values written straight into a workbook's sheet XML, every other part copied as it is.

For sample data put into workbooks this tool made (an intake template filled, an expert's scores
entered): a written cell keeps the format the workbook gives it; text is an inline string (never a
formula); a date gets the cell's format with a date number format; the formulas of a touched row
lose their cached results (Excel and LibreOffice recalculate on opening, as these workbooks ask).
Everything else (data validations, comments, conditional formats, protection, the VBA project)
is the workbook's own, byte for byte.  ``Unsupported`` when a sheet is not laid out as expected.

(openpyxl loading and saving the whole workbook did the same in 0.9 s for an intake template, most
of it the prepared rows' long ``检查`` formulas; this takes 0.14 s.)
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from xl_awards.base.addresses import column_letter
from xl_awards.io.sheet_parts import (
    Unsupported, _attr, _split_ref, _text_cell, _to_excel, add_number_format, copy_part, find_number_format, recount,
)

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(/?)>")
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CACHED_VALUE = re.compile(r"<v\b[^>]*?(?:/>|>.*?</v>)", re.S)
_DIMENSION = re.compile(r'(<dimension\b[^>]*?\bref=")([^"]*)(")')
_ROW_NUMBER = re.compile(r'\sr="(\d+)"')


class Styles:
    """``xl/styles.xml`` and the cell formats made for dates: a cell's own format with a date number format."""

    def __init__(self, text: str):
        self.text = text
        self._made: dict[tuple[int, str], int] = {}
        self._formats_added = False
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
                tag = re.sub(r'\s(?:numFmtId|applyNumberFormat)="[^"]*"', "", tag)
                self._added.append(tag.replace("<xf", f'<xf numFmtId="{fmt}" applyNumberFormat="1"', 1) + rest)
                self._made[key] = len(self._xfs) + len(self._added) - 1
        return self._made[key]

    def _format_id(self, code: str) -> int:
        fmt = find_number_format(self.text, code)
        if fmt is None:
            self.text, fmt = add_number_format(self.text, code)
            self._formats_added = True
        return fmt

    @property
    def modified(self) -> bool:
        return self._formats_added or bool(self._added)

    def final_text(self) -> str:
        if not self._added:
            return self.text
        close = self.text.index("</cellXfs>")
        return recount(self.text[:close] + "".join(self._added) + self.text[close:], "cellXfs")

def cell_xml(ref: str, value: Any, style: int | None, styles: Styles) -> str:
    """The cell ``ref`` holding ``value`` in the format ``style`` (None: an empty cell keeping its format)."""
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
class Row:
    """One row of a sheet: its tag's attributes and its cells by 1-based column (their XML)."""

    number: int
    attrs: str
    cells: dict[int, str] = field(default_factory=dict)

    def xml(self) -> str:
        body = "".join(self.cells[c] for c in sorted(self.cells))
        return f"<row{self.attrs}>{body}</row>" if body else f"<row{self.attrs}/>"


def parse_row(xml: str) -> Row:
    close = xml.index(">")
    number = _ROW_NUMBER.search(xml, 0, close)
    if number is None:
        raise Unsupported("row without a number")
    attrs = re.sub(r'\sspans="[^"]*"', "", xml[4:close].rstrip("/"))  # spans: optional, and may no longer hold
    row = Row(int(number.group(1)), attrs)
    for m in _CELL.finditer(xml):
        ref = _attr(m.group(1), "r")
        if ref is None:
            raise Unsupported("cell without a reference")
        row.cells[_split_ref(ref)[0]] = m.group(0)
    return row


def style_of(cell: str | None) -> int | None:
    if cell is None:
        return None
    s = _attr(cell[:cell.index(">") + 1], "s")
    return int(s) if s and s.isdigit() else None


def _without_cached_value(cell: str) -> str:
    tag_end = cell.index(">")
    tag = re.sub(r'\st="[^"]*"', "", cell[:tag_end])
    return tag + _CACHED_VALUE.sub("", cell[tag_end:])


def rows_by_number(body: str) -> dict[int, str]:
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


class SheetCells:
    """One sheet part, its rows parsed only where cells are written."""

    def __init__(self, text: str, styles: Styles):
        self.styles = styles
        opening = _SHEET_DATA.search(text)
        if opening is None:
            raise Unsupported("no sheetData")
        if opening.group(1) == "/":
            self._before, body, self._after = (text[:opening.start()] + "<sheetData>", "",
                                               "</sheetData>" + text[opening.end():])
        else:
            end = text.index("</sheetData>", opening.end())
            self._before, body, self._after = text[:opening.end()], text[opening.end():end], text[end:]
        self.rows = rows_by_number(body)  # row number -> the row's XML as it was
        self._parsed: dict[int, Row] = {}

    def row(self, number: int) -> Row:
        """Row ``number`` to change (made when the sheet has none); its formulas without their cached results."""
        if number not in self._parsed:
            old = self.rows.get(number)
            row = Row(number, f' r="{number}"') if old is None else parse_row(old)
            for col, cell in row.cells.items():
                if "<f>" in cell or "<f " in cell:
                    row.cells[col] = _without_cached_value(cell)
            self._parsed[number] = row
        return self._parsed[number]

    def set(self, number: int, col: int, value: Any) -> None:
        """Cell (``number``, ``col``), 1-based, holds ``value`` (None: emptied), in the format it has."""
        row = self.row(number)
        ref = f"{column_letter(col - 1)}{number}"
        row.cells[col] = cell_xml(ref, value, style_of(row.cells.get(col)), self.styles)

    def text(self) -> str:
        rows = dict(self.rows)
        for number, row in self._parsed.items():
            rows[number] = row.xml()
        before = self._before
        if self._parsed:
            last_col = max((c for row in self._parsed.values() for c in row.cells), default=1)
            before = _extended_dimension(before, max(self._parsed), last_col)
        return before + "".join(rows[n] for n in sorted(rows)) + self._after


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


def write_workbook(source: Path, target: Path, parts: Mapping[str, str]) -> None:
    """``target``: ``source`` with the text of ``parts`` ({member: text}) in place of its own; every other
    member's compressed bytes copied."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in parts:
                out = zipfile.ZipInfo(info.filename, info.date_time)
                out.compress_type = zipfile.ZIP_DEFLATED
                out.external_attr = info.external_attr
                zout.writestr(out, parts[info.filename].encode("utf-8"))
            else:
                copy_part(zin, info, zout)

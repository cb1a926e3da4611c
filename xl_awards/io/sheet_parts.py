"""Rewrite the hub's written sheets part by part, without loading the whole workbook.

The hub is a zip of XML parts.  A rewrite (``write_parts``) copies every part it does not change
byte for byte (compressed bytes as they are: VBA project, drawings, buttons, comments, data
validation, styles...) and regenerates only:

- each written sheet's ``xl/worksheets/sheetN.xml``: the rows up to its header copied as they are,
  the data rows below replaced (``replace``) or the new rows added after the last filled one
  (``append``), streamed so that memory does not grow with the sheet; ``<dimension>`` and the
  ``<autoFilter>`` range follow the new rows;
- ``xl/workbook.xml`` when a written sheet's filter range (``_xlnm._FilterDatabase``) changes;
- ``xl/styles.xml`` when a date needs a cell format the workbook does not have yet;
- the ``工作台`` sheet's 上次运行 cells.

Cells are written as the openpyxl writer writes them (text as inline strings, numbers as
``%.16g``, dates as serial numbers with a ``yyyy-mm-dd`` / ``yyyy-mm-dd hh:mm:ss`` format), so a
file written here reads back with the same values.  Whenever a sheet is not what this writer
expects (no header, a schema column missing from the header, merged cells / comments /
hyperlinks / tables in the data area, a 1904 date system, a value of another type...) it raises
``Unsupported`` and the caller falls back to the whole-workbook openpyxl path.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import posixpath
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from xl_awards.base.addresses import column_letter
from xl_awards.base.tables import find_header
from xl_awards.io.workbook_files import HUB_MAX_ROWS

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HEADER_ROWS = 10  # the header is looked for in the first ten rows (as the openpyxl path does)
CHUNK = 1 << 20
ROWS_PER_WRITE = 2000
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class Unsupported(Exception):
    """The part-level writer cannot write this change faithfully; use the openpyxl path."""


class RowLimit(Exception):
    """The rows would go past Excel's last row (``EXCEL_ROWS``): nothing may be written."""

    def __init__(self, name: str, rows: int, limit: int):
        super().__init__(name, rows, limit)
        self.name, self.rows, self.limit = name, rows, limit


EXCEL_ROWS = HUB_MAX_ROWS  # Excel's last row


@dataclass
class SheetWrite:
    """One written sheet: ``mode`` ``replace`` or ``append``, its schema and rows."""

    name: str
    mode: str
    schema: Any  # xl_awards.schema.SheetSchema
    rows: list[Mapping[str, Any]]
    count: int = 0


@dataclass
class CellPatch:
    """Text values for single cells of one sheet: {(1-based row, 1-based column): text}."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)


# -- locating parts ------------------------------------------------------------------


def _squash(name: str) -> str:
    return "".join(name.split())


def _attr(tag: str, name: str) -> str | None:
    m = re.search(r'(?:^|\s)' + re.escape(name) + r'\s*=\s*"([^"]*)"', tag)
    if m is None:
        m = re.search(r"(?:^|\s)" + re.escape(name) + r"\s*=\s*'([^']*)'", tag)
    return None if m is None else _unescape(m.group(1))


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape(text)``: ``&``, ``>``, ``<`` as entities, in that order (that module
    imports ``urllib.request`` and with it ``http``, ``email`` and ``ssl``: 15 ms at every start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    from html import unescape

    return unescape(text)


def sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """[(sheet name, part path, r:id)] in workbook order."""
    book = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = _attr(tag, "Id"), _attr(tag, "Target")
        if rid and target:
            targets[rid] = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    out = []
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        rid = _attr(tag, "r:id")
        if rid is None:
            m = re.search(r'\s\w+:id\s*=\s*"([^"]*)"', tag)
            rid = m.group(1) if m else None
        name = _attr(tag, "name")
        if name is None or rid not in targets:
            raise Unsupported(f"sheet without a part: {name}")
        out.append((name, targets[rid], rid))
    return out


def find_part(parts: list[tuple[str, str, str]], name: str) -> tuple[int, str, str] | None:
    wanted = _squash(name)
    for i, (title, part, _) in enumerate(parts):
        if _squash(title) == wanted:
            return i, title, part
    return None


# -- raw copy of an unchanged part ---------------------------------------------------


def copy_part(zin: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile, name: str | None = None) -> None:
    """Copy one member's compressed bytes unchanged (recompress only when the member is unusual); ``name``: the
    member's name in ``zout`` when not its own."""
    if info.flag_bits & 0x1 or info.file_size >= zipfile.ZIP64_LIMIT or info.compress_size >= zipfile.ZIP64_LIMIT \
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zin.open(info) as src, zout.open(_fresh_info(info, name), "w") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        return
    fp = zin.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(info.filename)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    out = _fresh_info(info, name)
    out.compress_type = info.compress_type
    out.CRC = info.CRC
    out.compress_size = info.compress_size
    out.file_size = info.file_size
    out.flag_bits = info.flag_bits & 0x800
    out.extra = b""
    dst = zout.fp
    out.header_offset = dst.tell()
    dst.write(out.FileHeader(False))
    left = info.compress_size
    while left:
        chunk = fp.read(min(CHUNK, left))
        if not chunk:
            raise zipfile.BadZipFile(info.filename)
        dst.write(chunk)
        left -= len(chunk)
    zout.filelist.append(out)
    zout.NameToInfo[out.filename] = out
    zout.start_dir = dst.tell()
    zout._didModify = True


def _fresh_info(info: zipfile.ZipInfo, name: str | None = None) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(name or info.filename, info.date_time)
    out.compress_type = zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    out.create_system = info.create_system
    return out


# -- reading the start of a sheet part -----------------------------------------------

_ROW = re.compile(r"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(r"([A-Z]+)(\d+)$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _split_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref.replace("$", ""))
    if m is None:
        raise Unsupported(f"cell reference {ref}")
    return _col_number(m.group(1)), int(m.group(2))


def _text_of(body: str) -> str:
    return "".join(_unescape(t) for t in re.findall(r"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", body, re.S))


class _Strings:
    """The workbook's shared strings, read only when a cell needs them."""

    def __init__(self, z: zipfile.ZipFile):
        self._z = z
        self._items: list[str] | None = None

    def __getitem__(self, i: int) -> str:
        if self._items is None:
            try:
                text = self._z.read("xl/sharedStrings.xml").decode("utf-8")
            except KeyError:
                text = ""
            self._items = [_text_of(si) for si in re.findall(r"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", text, re.S)]
        return self._items[i]


def _cell_value(attrs: str, body: str | None, strings: _Strings) -> Any:
    if not body:
        return None
    kind = _attr(attrs, "t") or "n"
    if kind == "inlineStr":
        return _text_of(body)
    m = re.search(r"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", body, re.S)
    if m is None:
        return None
    raw = _unescape(m.group(1))
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number


@dataclass
class _Row:
    number: int
    xml: str
    cells: dict[int, Any]  # 1-based column -> value (None for a cell without a value)


def _parse_row(xml: str, strings: _Strings) -> _Row:
    head = xml[:xml.index(">") + 1]
    r = _attr(head, "r")
    if r is None or not r.isdigit():
        raise Unsupported("row without a number")
    cells: dict[int, Any] = {}
    for m in _CELL.finditer(xml):
        ref = _attr(m.group(1), "r")
        if ref is None:
            raise Unsupported("cell without a reference")
        col, _ = _split_ref(ref)
        cells[col] = _cell_value(m.group(1), m.group(2), strings)
    return _Row(int(r), xml, cells)


class _PartReader:
    """Streams a sheet part: the text before ``<sheetData>``, its rows one by one, the text after."""

    def __init__(self, stream):
        self._stream = stream
        self._buf = ""
        self._pos = 0
        self._pending = b""
        self._eof = False
        self.head = ""
        self.tail = ""
        self.opening = "<sheetData>"
        self.closing = "</sheetData>"
        self.empty = False

    def _read(self) -> bool:
        """Append the next chunk to the buffer (dropping what was consumed); False at the end."""
        if self._eof:
            return False
        chunk = self._stream.read(CHUNK)
        if not chunk:
            self._eof = True
            if self._pending:
                raise Unsupported("truncated UTF-8")
            return False
        data = self._pending + chunk
        cut = len(data)
        for back in range(1, min(4, len(data)) + 1):  # keep an incomplete UTF-8 sequence for the next read
            byte = data[-back]
            if byte & 0xC0 == 0x80:
                continue
            if byte & 0x80:
                need = 2 if byte & 0xE0 == 0xC0 else 3 if byte & 0xF0 == 0xE0 else 4
                if back < need:
                    cut = len(data) - back
            break
        self._buf = self._buf[self._pos:] + data[:cut].decode("utf-8")
        self._pos = 0
        self._pending = data[cut:]
        return True

    def open(self) -> None:
        while True:
            m = re.search(r"<(?:\w+:)?sheetData\b[^>]*?(/?)>", self._buf)
            if m:
                self.head = self._buf[:m.start()]
                self.opening = m.group(0)
                self.empty = m.group(1) == "/"
                self._pos = m.end()
                return
            if not self._read():
                raise Unsupported("no sheetData")

    _SKIP = re.compile(r"\s*")
    _ROW_START = re.compile(r"<(?:\w+:)?row\b")
    _CLOSE = re.compile(r"</(?:\w+:)?sheetData>")

    def rows(self) -> Iterator[str]:
        """Each row element in order; afterwards ``tail`` holds the text after ``</sheetData>``."""
        if self.empty:
            self.tail = self._rest()
            return
        while True:
            self._pos = self._SKIP.match(self._buf, self._pos).end()
            if self._ROW_START.match(self._buf, self._pos):
                m = _ROW.match(self._buf, self._pos)
                if m is None:
                    if not self._read():
                        raise Unsupported("unterminated row")
                    continue
                self._pos = m.end()
                yield m.group(0)
                continue
            close = self._CLOSE.match(self._buf, self._pos)
            if close:
                self.closing = close.group(0)
                self._pos = close.end()
                self.tail = self._rest()
                return
            if len(self._buf) - self._pos < 64 and self._read():
                continue
            raise Unsupported("unexpected content in sheetData")

    _FORMATTED_ROW = re.compile(r"<(?:\w+:)?row\b[^>]*?\s(?:ht|s|hidden|outlineLevel|customFormat|collapsed)\s*=")

    def skip_rows(self) -> None:
        """Read through the remaining rows without keeping them; ``Unsupported`` if one carries formatting."""
        carry = 256
        while True:
            close = self._CLOSE.search(self._buf, self._pos)
            end = close.start() if close else max(self._pos, len(self._buf) - carry)
            if self._FORMATTED_ROW.search(self._buf, self._pos, end):
                raise Unsupported("a formatted row in the data area")
            if close:
                self.closing = close.group(0)
                self._pos = close.end()
                self.tail = self._rest()
                return
            self._pos = end
            if not self._read():
                raise Unsupported("no end of sheetData")

    def _rest(self) -> str:
        while self._read():
            pass
        rest = self._buf[self._pos:]
        self._buf, self._pos = "", 0
        return rest


# -- writing cells -------------------------------------------------------------------


def _text_cell(ref: str, text: str, style: str = "") -> str:
    return f'<c r="{ref}"' + _text_tail(text, style)


def _text_tail(text: str, style: str = "") -> str:
    """A text cell's XML after its reference."""
    if text == "":
        return f'{style} t="inlineStr"/>'
    if _ILLEGAL.search(text):
        raise Unsupported("illegal character")
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f'{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def find_number_format(styles_xml: str, code: str) -> int | None:
    """The ``numFmtId`` of the custom number format ``code`` in ``xl/styles.xml``'s text, or None."""
    for tag in re.findall(r"<(?:\w+:)?numFmt\b[^>]*>", styles_xml):
        if _attr(tag, "formatCode") == code:
            return int(_attr(tag, "numFmtId") or -1)
    return None


def add_number_format(styles_xml: str, code: str) -> tuple[str, int]:
    """``xl/styles.xml``'s text with the custom number format ``code`` added, and its new ``numFmtId``."""
    used = [int(x) for x in re.findall(r'numFmtId="(\d+)"', styles_xml)]
    fmt_id = max([163, *used]) + 1
    entry = f'<numFmt numFmtId="{fmt_id}" formatCode="{escape(code)}"/>'
    nm = re.search(r"<(?:\w+:)?numFmts\b[^>]*?(/?)>", styles_xml)
    if nm is None:
        start = re.search(r"<(?:\w+:)?styleSheet\b[^>]*>", styles_xml)
        if start is None:
            raise Unsupported("no styleSheet")
        return styles_xml[:start.end()] + f'<numFmts count="1">{entry}</numFmts>' + styles_xml[start.end():], fmt_id
    if nm.group(1) == "/":
        return styles_xml[:nm.start()] + f'<numFmts count="1">{entry}</numFmts>' + styles_xml[nm.end():], fmt_id
    close = re.search(r"</(?:\w+:)?numFmts>", styles_xml).start()
    return recount(styles_xml[:close] + entry + styles_xml[close:], "numFmts"), fmt_id


def recount(styles_xml: str, element: str) -> str:
    """``xl/styles.xml``'s text with the ``count`` of ``element`` (``numFmts`` or ``cellXfs``) set to its children."""
    m = re.search(r"<(?:\w+:)?" + element + r"\b[^>]*>(.*?)</(?:\w+:)?" + element + ">", styles_xml, re.S)
    child = {"numFmts": "numFmt", "cellXfs": "xf"}[element]
    count = len(re.findall(r"<(?:\w+:)?" + child + r"\b", m.group(1)))
    opening = styles_xml[m.start():m.start(1)]
    new = re.sub(r'\scount="\d+"', f' count="{count}"', opening) if "count=" in opening \
        else opening[:-1] + f' count="{count}">'
    return styles_xml[:m.start()] + new + styles_xml[m.start(1):]


class _Styles:
    """Cell formats for dates, found in (or added to) ``xl/styles.xml``."""

    def __init__(self, z: zipfile.ZipFile):
        self.text = z.read("xl/styles.xml").decode("utf-8")
        self.changed = False
        self._ids: dict[str, int] = {}

    def date_style(self, code: str) -> int:
        if code in self._ids:
            return self._ids[code]
        fmt_id = find_number_format(self.text, code)
        m = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", self.text, re.S)
        if m is None:
            raise Unsupported("no cellXfs")
        xfs = re.findall(r"<(?:\w+:)?xf\b[^>]*?(?:/>|>.*?</(?:\w+:)?xf>)", m.group(1), re.S)
        if fmt_id is not None:
            for i, xf in enumerate(xfs):
                tag = xf[:xf.index(">") + 1]
                if _attr(tag, "numFmtId") == str(fmt_id) and all((_attr(tag, a) or "0") == "0"
                                                                for a in ("fontId", "fillId", "borderId")) \
                        and "<alignment" not in xf and "<protection" not in xf:
                    self._ids[code] = i
                    return i
        if fmt_id is None:
            self.text, fmt_id = add_number_format(self.text, code)
            m = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", self.text, re.S)
        xf = (f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" '
              f'pivotButton="0" quotePrefix="0" xfId="0"/>')
        self.text = recount(self.text[:m.end(1)] + xf + self.text[m.end(1):], "cellXfs")
        self.changed = True
        self._ids[code] = len(xfs)
        return len(xfs)


def _cell(ref: str, value: Any, styles: _Styles) -> str:
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, (int, float, decimal.Decimal)):
        if math.isnan(value) or math.isinf(value):
            return f'<c r="{ref}" t="n"/>'
        return f'<c r="{ref}" t="n"><v>{"%.16g" % value}</v></c>'
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise Unsupported("time zone")
        return f'<c r="{ref}" s="{styles.date_style(DATETIME_FORMAT)}" t="n"><v>{"%.16g" % _to_excel(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{styles.date_style(DATE_FORMAT)}" t="n"><v>{"%.16g" % _to_excel(value)}</v></c>'
    raise Unsupported(f"value of type {type(value).__name__}")


_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)


def _to_excel(value: dt.date) -> float:
    """``openpyxl.utils.datetime.to_excel(value)`` for a date or a naive datetime, as that function computes
    it (importing openpyxl for it costs 60 ms at every start): whole days from 1899-12-30, one less up to
    1900-02-28 (Excel's 1900-02-29), plus the time of day as a fraction."""
    if not isinstance(value, dt.datetime):  # openpyxl: ``not hasattr(dt, "date")``
        value = dt.datetime.combine(value, dt.time())
    days = (value - _WINDOWS_EPOCH).days
    if 0 < days <= 60:
        days -= 1
    return days + ((value.hour * 3600) + (value.minute * 60) + value.second + value.microsecond / 10**6) / 86400


# Values whose cell XML (after the reference) depends on the type and the value alone, equal values
# giving equal XML (not floats: -0.0 == 0.0 but they are written "-0" and "0").
_SAME_XML_KINDS = frozenset({int, dt.date, dt.datetime})


def _new_rows(first: int, columns: list[tuple[int, str, str]], rows: Iterable[Mapping[str, Any]],
              styles: _Styles) -> Iterator[str]:
    """Row XML for ``rows`` from Excel row ``first`` (a row without a value writes nothing, as openpyxl)."""
    texts: dict[str, str] = {}  # the same names, codes and file names recur on thousands of rows
    others: dict[tuple, str] = {}  # (type, value) -> the cell's XML after its reference: dates recur too
    starts = [(f'<c r="{letters}', letters, key) for _, letters, key in columns]
    r = first
    for row in rows:
        cells = []
        number = f'{r}"'
        get = row.get
        for start, letters, key in starts:
            value = get(key)
            if value is None:
                continue
            if type(value) is str:
                if not value:
                    continue
                tail = texts.get(value)
                if tail is None:
                    tail = texts[value] = _text_tail(value)
                cells.append(start + number + tail)  # <c r="B7" t="inlineStr">...
            elif value == "":
                continue
            elif value.__class__ in _SAME_XML_KINDS:
                key = (value.__class__, value)
                tail = others.get(key)
                if tail is None:
                    ref = f"{letters}{r}"
                    tail = _cell(ref, value, styles)[len(ref) + 7:]  # after '<c r="' + ref + '"', as every cell starts
                    if len(others) < 65536:
                        others[key] = tail
                cells.append(start + number + tail)
            else:
                cells.append(_cell(f"{letters}{r}", value, styles))
        if cells:
            yield f'<row r="{r}">{"".join(cells)}</row>'
        r += 1


# -- checks on the text after sheetData ----------------------------------------------


def _rows_of_ranges(text: str, element: str) -> list[int]:
    out = []
    for tag in re.findall(r"<(?:\w+:)?" + element + r"\b[^>]*>", text):
        ref = _attr(tag, "ref") or _attr(tag, "sqref") or ""
        for part in ref.split():
            last = part.split(":")[-1]
            try:
                out.append(_split_ref(last)[1])
            except Unsupported:
                pass
    return out


def _check_tail(tail: str, header_row: int) -> None:
    for element in ("mergeCell", "hyperlink"):
        if any(r > header_row for r in _rows_of_ranges(tail, element)):
            raise Unsupported(f"{element} in the data area")
    if re.search(r"<(?:\w+:)?(tableParts|tablePart|oleObjects|controls)\b", tail):
        raise Unsupported("tables or controls on the sheet")


def related_parts(z: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts ``part`` points at with relationships whose type ends in ``/kind`` (``comments``, ``vmlDrawing``)."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    try:
        text = z.read(rels).decode("utf-8")
    except KeyError:
        return []
    found = []
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", text):
        if (_attr(tag, "Type") or "").endswith("/" + kind):
            target = _attr(tag, "Target") or ""
            found.append(target[1:] if target.startswith("/") else
                         posixpath.normpath(posixpath.join(posixpath.dirname(part), target)))
    return found


def _check_comments(z: zipfile.ZipFile, part: str, header_row: int) -> None:
    for path in related_parts(z, part, "comments"):
        try:
            comments = z.read(path).decode("utf-8")
        except KeyError:
            continue
        if any(r > header_row for r in _rows_of_ranges(comments, "comment")):
            raise Unsupported("comments in the data area")


# -- one written sheet ---------------------------------------------------------------


def _formatted(row_xml: str) -> bool:
    return _PartReader._FORMATTED_ROW.match(row_xml) is not None


def _merge_extent(tail: str) -> list[tuple[int, int]]:
    """(column, row) of both corners of every merged range (openpyxl counts them as cells)."""
    out = []
    for tag in re.findall(r"<(?:\w+:)?mergeCell\b[^>]*>", tail):
        for corner in (_attr(tag, "ref") or "").split(":"):
            if corner:
                out.append(_split_ref(corner))
    return out


def _rewrite_sheet(zin: zipfile.ZipFile, part: str, write: SheetWrite, styles: _Styles, strings: _Strings,
                   dst) -> str | None:
    """Stream the new sheet part into ``dst``; returns the new filter range (None when the sheet has none)."""
    with zin.open(part) as stream:
        reader = _PartReader(stream)
        reader.open()
        early: list[_Row] = []
        later: list[_Row] = []
        rows = reader.rows()
        beyond = None
        for xml in rows:
            row = _parse_row(xml, strings) if write.mode == "append" or beyond is None else None
            if beyond is None and row.number <= HEADER_ROWS:
                if early and row.number <= early[-1].number:
                    raise Unsupported("rows out of order")
                early.append(row)
                continue
            beyond = xml
            if write.mode == "append":
                later.append(row)
                continue
            if _formatted(xml):
                raise Unsupported("a formatted row in the data area")
            reader.skip_rows()
            break
        tail = reader.tail
        head = reader.head

    width = max([0, *(max(r.cells) for r in early if r.cells)])
    height = max([0, *(r.number for r in early if r.cells)])
    grid: list[list[Any]] = [[None] * width for _ in range(height)]
    for r in early:
        for c, v in r.cells.items():
            grid[r.number - 1][c - 1] = v
    header, found = find_header(grid, {f.label: f.key for f in write.schema.fields})
    if header < 0:
        raise Unsupported("no header")
    header_row = header + 1
    if any(f.key not in found for f in write.schema.fields):
        raise Unsupported("a schema column is missing from the header")
    columns = sorted((c + 1, column_letter(c), key) for key, c in found.items())
    _check_tail(tail, header_row)
    _check_comments(zin, part, header_row)

    kept = [r for r in early if r.number <= header_row]
    body = [r for r in early if r.number > header_row] + later
    if write.mode == "append":
        schema_cols = {c for c, _, _ in columns}
        last = header_row
        for r in body:
            if any(v not in (None, "") for c, v in r.cells.items() if c in schema_cols):
                last = r.number
        if any(r.number > last for r in body):
            raise Unsupported("rows after the last filled row")
        kept += body
        first_new = last + 1
    else:
        if any(_formatted(r.xml) for r in body):
            raise Unsupported("a formatted row in the data area")
        first_new = header_row + 1

    # every cell of the result: kept cells, merged ranges (openpyxl counts them), new cells
    corners = [(c, r.number) for r in kept for c in r.cells] + _merge_extent(tail)
    new_last_row = new_last_col = 0
    new_first_row = new_first_col = None
    for i, row in enumerate(write.rows):
        filled = [col for col, _, key in columns if (value := row.get(key)) is not None and value != ""]
        if filled:
            new_last_row = first_new + i
            new_first_row = new_first_row or new_last_row
            if filled[-1] > new_last_col:
                new_last_col = filled[-1]
            if new_first_col is None or filled[0] < new_first_col:
                new_first_col = filled[0]
    if new_first_row is not None:
        corners += [(new_first_col, new_first_row), (new_last_col, new_last_row)]
    if corners:
        min_col, min_row = min(c for c, _ in corners), min(r for _, r in corners)
        max_col, max_row = max(c for c, _ in corners), max(r for _, r in corners)
        dim = f"{column_letter(min_col - 1)}{min_row}:{column_letter(max_col - 1)}{max_row}"
    else:
        max_col = max_row = 1
        dim = "A1:A1"
    head = re.sub(r'(<(?:\w+:)?dimension\b[^>]*?\bref=")[^"]*(")', lambda m: m.group(1) + dim + m.group(2), head, count=1)
    new_filter = None
    fm = re.search(r'<(?:\w+:)?autoFilter\b[^>]*?\bref="([^"]*)"', tail)
    if fm:
        filter_col = max(max(c for c, _, _ in columns), max_col)
        filter_row = max(max_row, header_row + 1)
        new_filter = f"A{header_row}:{column_letter(filter_col - 1)}{filter_row}"
        tail = tail[:fm.start(1)] + new_filter + tail[fm.end(1):]

    if first_new + len(write.rows) - 1 > EXCEL_ROWS:
        raise RowLimit(write.name, first_new + len(write.rows) - 1, EXCEL_ROWS)

    def emit(text: str) -> None:
        dst.write(text.encode("utf-8"))

    opening = reader.opening if not reader.empty else reader.opening[:-2].rstrip() + ">"
    emit(head + opening + "".join(r.xml for r in kept))
    batch: list[str] = []
    for text in _new_rows(first_new, columns, write.rows, styles):
        batch.append(text)
        if len(batch) >= ROWS_PER_WRITE:
            emit("".join(batch))
            batch = []
    emit("".join(batch) + reader.closing + tail)
    write.count = len(write.rows)
    return new_filter


def _patch_cells(text: str, patch: CellPatch) -> str:
    """``text`` (a small sheet part) with the cells of ``patch`` set to their texts (style kept)."""
    start = re.search(r"<(?:\w+:)?sheetData\b[^>]*?(/?)>", text)
    if start is None:
        raise Unsupported("no sheetData")
    if start.group(1) == "/":
        body, before, after = "", text[:start.start()] + "<sheetData>", "</sheetData>" + text[start.end():]
    else:
        end = re.search(r"</(?:\w+:)?sheetData>", text)
        before, body, after = text[:start.end()], text[start.end():end.start()], text[end.start():]
    rows = [m.group(0) for m in _ROW.finditer(body)]
    if _ROW.sub("", body).strip():
        raise Unsupported("unexpected content in sheetData")
    by_number: dict[int, str] = {}
    order: list[int] = []
    for xml in rows:
        r = _attr(xml[:xml.index(">") + 1], "r")
        if r is None:
            raise Unsupported("row without a number")
        by_number[int(r)] = xml
        order.append(int(r))
    for (row, col), value in sorted(patch.cells.items()):
        ref = f"{column_letter(col - 1)}{row}"
        xml = by_number.get(row)
        if xml is None:
            by_number[row] = f'<row r="{row}">{_text_cell(ref, value)}</row>'
            order.append(row)
            continue
        cells = list(_CELL.finditer(xml))
        new_cell = None
        for m in cells:
            if _attr(m.group(1), "r") == ref:
                style = _attr(m.group(1), "s")
                new = _text_cell(ref, value, f' s="{style}"' if style and style != "0" else "")
                xml = xml[:m.start()] + new + xml[m.end():]
                new_cell = True
                break
        if new_cell is None:
            new = _text_cell(ref, value)
            at = None
            for m in cells:
                ref_m = _attr(m.group(1), "r")
                if ref_m and _split_ref(ref_m)[0] > col:
                    at = m.start()
                    break
            if at is None:
                if xml.endswith("/>") and not cells:
                    xml = xml[:-2].rstrip() + ">" + new + "</row>"
                else:
                    close = xml.rindex("</")
                    xml = xml[:close] + new + xml[close:]
            else:
                xml = xml[:at] + new + xml[at:]
        by_number[row] = xml
    order = sorted(set(order))
    return before + "".join(by_number[r] for r in order) + after


# -- the whole rewrite ---------------------------------------------------------------


def write_parts(source: Path, target: Path, writes: list[SheetWrite], patches: list[CellPatch]) -> None:
    """Write ``target`` from ``source`` with ``writes`` and ``patches`` applied; ``Unsupported`` when it cannot."""
    with zipfile.ZipFile(source) as zin:
        book = zin.read("xl/workbook.xml").decode("utf-8")
        if re.search(r'date1904\s*=\s*"(1|true)"', book):
            raise Unsupported("1904 date system")
        parts = sheet_parts(zin)
        by_part: dict[str, SheetWrite] = {}
        titles: dict[str, tuple[int, str]] = {}
        for w in writes:
            found = find_part(parts, w.name)
            if found is None:
                raise Unsupported(f"no sheet {w.name}")
            index, title, part = found
            if part in by_part:
                raise Unsupported("two writes to one sheet")
            by_part[part] = w
            titles[part] = (index, title)
        patch_parts: dict[str, CellPatch] = {}
        for p in patches:
            found = find_part(parts, p.name)
            if found is None:
                continue
            if found[2] in by_part or found[2] in patch_parts:
                raise Unsupported("a patched sheet is also written")
            patch_parts[found[2]] = p
        names = set(zin.namelist())
        if any(part not in names for part in [*by_part, *patch_parts]):
            raise Unsupported("a sheet part is missing")
        styles = _Styles(zin)
        strings = _Strings(zin)
        filters: dict[int, tuple[str, str]] = {}
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            deferred = []
            for info in zin.infolist():
                name = info.filename
                if name in by_part:
                    with zout.open(_fresh_info(info), "w") as dst:
                        new_filter = _rewrite_sheet(zin, name, by_part[name], styles, strings, dst)
                    if new_filter is not None:
                        index, title = titles[name]
                        filters[index] = (title, new_filter)
                elif name in patch_parts:
                    text = zin.read(info).decode("utf-8")
                    zout.writestr(_fresh_info(info), _patch_cells(text, patch_parts[name]).encode("utf-8"))
                elif name in ("xl/styles.xml", "xl/workbook.xml"):
                    deferred.append(info)  # written last: they depend on the sheets written above
                else:
                    copy_part(zin, info, zout)
            for info in deferred:
                if info.filename == "xl/styles.xml" and styles.changed:
                    zout.writestr(_fresh_info(info), styles.text.encode("utf-8"))
                elif info.filename == "xl/workbook.xml" and filters:
                    zout.writestr(_fresh_info(info), _update_filter_names(book, filters).encode("utf-8"))
                else:
                    copy_part(zin, info, zout)


def _update_filter_names(book: str, filters: dict[int, tuple[str, str]]) -> str:
    def absolute(ref: str) -> str:
        out = []
        for part in ref.split(":"):
            m = _REF.match(part)
            out.append(f"${m.group(1)}${m.group(2)}")
        return ":".join(out)

    def fix(m: re.Match) -> str:
        tag, value = m.group(1), m.group(2)
        if _attr(tag, "name") != "_xlnm._FilterDatabase":
            return m.group(0)
        sheet_id = _attr(tag, "localSheetId")
        if sheet_id is None or not sheet_id.isdigit() or int(sheet_id) not in filters:
            return m.group(0)
        title, ref = filters[int(sheet_id)]
        quoted = "'" + title.replace("'", "''") + "'"
        return f"{tag}{escape(quoted)}!{absolute(ref)}</definedName>"

    return re.sub(r"(<(?:\w+:)?definedName\b[^>]*>)(.*?)</(?:\w+:)?definedName>", fix, book, flags=re.S)


# -- openpyxl on a skeleton: sheets cut to their first rows, spliced back after the save -------

# Sheets whose XML is larger are cut to their first HEADER_ROWS rows.  Small as it is: openpyxl's load
# and save of the demo hub's twenty uncut sheets under 256 KiB (8,000 cells) took 0.35 s of rank's 0.7 s;
# cut, rank takes 0.35 s and writes the same bytes.
STUB_BYTES = 4 * 1024


def write_skeleton(source: Path, target: Path, keep: Iterable[str] = (), stub_bytes: int | None = None,
                   bare: Iterable[str] = ()) -> dict[str, str]:
    """Copy ``source`` to ``target`` with every sheet above ``stub_bytes`` (not in ``keep``) cut to its first rows.

    Returns {sheet title: part} of the cut sheets.  openpyxl then loads and saves only what a
    person can see in the first rows of those sheets; ``splice_sheets`` puts their rows back.
    ``bare``: sheets the edit replaces, held without their notes (comments and their drawing).
    """
    wanted = {_squash(k) for k in keep}
    stripped = {_squash(k) for k in bare}
    stub_bytes = STUB_BYTES if stub_bytes is None else stub_bytes
    with zipfile.ZipFile(source) as zin:
        parts = sheet_parts(zin)
        cut = {}
        noteless = {}  # sheet part -> its relationships part, for the bare sheets
        for title, part, _ in parts:
            try:
                info = zin.getinfo(part)
            except KeyError:
                continue
            if info.file_size > stub_bytes and _squash(title) not in wanted:
                cut[part] = title
            if _squash(title) in stripped:
                noteless[part] = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        rels_of_bare = {rels: part for part, rels in noteless.items()}
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename in rels_of_bare:
                    text = zin.read(info).decode("utf-8")
                    text = re.sub(r"<(?:\w+:)?Relationship\b[^>]*\bType=\"[^\"]*/(?:comments|vmlDrawing)\"[^>]*/>", "", text)
                    zout.writestr(_fresh_info(info), text.encode("utf-8"))
                    continue
                if info.filename in noteless and info.filename not in cut:
                    text = zin.read(info).decode("utf-8")
                    zout.writestr(_fresh_info(info), re.sub(r"<(?:\w+:)?legacyDrawing\b[^>]*/>", "", text).encode("utf-8"))
                    continue
                if info.filename not in cut:
                    copy_part(zin, info, zout)
                    continue
                with zin.open(info) as stream, zout.open(_fresh_info(info), "w") as dst:
                    reader = _PartReader(stream)
                    reader.open()
                    first = []
                    for xml in reader.rows():
                        head = xml[:xml.index(">") + 1]
                        r = _attr(head, "r")
                        if r is None or not r.isdigit():
                            raise Unsupported("row without a number")
                        if int(r) > HEADER_ROWS:
                            _skip_to_end(reader)
                            break
                        first.append(xml)
                    opening = reader.opening if not reader.empty else reader.opening[:-2].rstrip() + ">"
                    tail = reader.tail
                    if info.filename in noteless:
                        tail = re.sub(r"<(?:\w+:)?legacyDrawing\b[^>]*/>", "", tail)
                    dst.write((reader.head + opening + "".join(first) + reader.closing + tail).encode("utf-8"))
    return {title: part for part, title in cut.items()}


def _skip_to_end(reader: _PartReader) -> None:
    while True:
        close = reader._CLOSE.search(reader._buf, reader._pos)
        if close:
            reader.closing = close.group(0)
            reader._pos = close.end()
            reader.tail = reader._rest()
            return
        reader._pos = max(reader._pos, len(reader._buf) - 64)
        if not reader._read():
            raise Unsupported("no end of sheetData")


def splice_sheets(saved: Path, original: Path, target: Path, sheets: dict[str, str],
                  generated: Mapping[str, Any] | None = None) -> None:
    """Write ``target``: ``saved`` (openpyxl's save of a skeleton) with the rows of ``sheets``
    ({title in ``saved``: part in ``original``}) taken back from ``original``, and the rows of
    ``generated`` ({title in ``saved``: an object with ``dimension``, ``chunks()`` and ``parts(zsaved,
    sheet part)``, e.g. ``io.layout_rows.LayoutRows``}) in place of openpyxl's, and the parts that
    ``parts`` names ({part: a function giving its text in chunks}) in place of openpyxl's.

    openpyxl keeps the cell formats' order (new ones are added at the end), so the rows' style
    numbers stay valid; their shared strings come back with ``original``'s string table (openpyxl
    writes text inline, so the saved workbook has none of its own).
    """
    with zipfile.ZipFile(saved) as zsaved, zipfile.ZipFile(original) as zorig:
        saved_parts = {t: p for t, p, _ in sheet_parts(zsaved)}
        todo = {}
        for title, orig_part in sheets.items():
            if title not in saved_parts:
                raise Unsupported(f"sheet {title} not in the saved workbook")
            todo[saved_parts[title]] = orig_part
        made, extra = {}, {}
        for title, rows in (generated or {}).items():
            if title not in saved_parts:
                raise Unsupported(f"sheet {title} not in the saved workbook")
            made[saved_parts[title]] = rows
            extra.update(rows.parts(zsaved, saved_parts[title]))  # {part: chunks} (the sheet's notes)
        names = set(zsaved.namelist())
        strings = "xl/sharedStrings.xml" in zorig.namelist() and bool(todo)
        if strings and "xl/sharedStrings.xml" in names:
            raise Unsupported("shared strings in both workbooks")
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for info in zsaved.infolist():
                if strings and info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                    text = zsaved.read(info).decode("utf-8")
                    if info.filename == "[Content_Types].xml":
                        text = _insert_before(text, "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                                              '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
                    else:
                        text = _insert_before(text, "</Relationships>", f'<Relationship Id="rIdXlAwardsStrings" Type='
                                              f'"{NS_REL}/sharedStrings" Target="sharedStrings.xml"/>')
                    zout.writestr(_fresh_info(info), text.encode("utf-8"))
                    continue
                if info.filename in made:
                    _write_generated(zsaved, info, made[info.filename], zout)
                    continue
                if info.filename in extra:
                    with zout.open(_fresh_info(info), "w") as dst:
                        for chunk in extra[info.filename]():
                            dst.write(chunk.encode("utf-8"))
                    continue
                if info.filename not in todo:
                    copy_part(zsaved, info, zout)
                    continue
                mine = _read_through(zsaved, info)
                with zorig.open(todo[info.filename]) as stream:  # decompressing is cheap, compressing is not
                    theirs = _PartReader(stream)
                    theirs.open()
                    head = _with_dimension(mine.head, theirs.head)
                    if head == theirs.head and _prefix(theirs.opening) == _prefix(mine.opening) and not theirs.empty:
                        _skip_to_end(theirs)
                        if mine.tail == theirs.tail:  # openpyxl wrote what was there: the part as it is
                            copy_part(zorig, zorig.getinfo(todo[info.filename]), zout, info.filename)
                            continue
                with zorig.open(todo[info.filename]) as stream, zout.open(_fresh_info(info), "w") as dst:
                    theirs = _PartReader(stream)
                    theirs.open()
                    if _prefix(theirs.opening) != _prefix(mine.opening):
                        raise Unsupported("sheet XML with another namespace prefix")
                    dst.write((head + "<sheetData>").encode("utf-8"))
                    if not theirs.empty:
                        while True:
                            close = theirs._CLOSE.search(theirs._buf, theirs._pos)
                            end = close.start() if close else max(theirs._pos, len(theirs._buf) - 64)
                            dst.write(theirs._buf[theirs._pos:end].encode("utf-8"))
                            theirs._pos = end
                            if close:
                                break
                            if not theirs._read():
                                raise Unsupported("no end of sheetData")
                    dst.write(("</sheetData>" + mine.tail).encode("utf-8"))
            if strings:
                copy_part(zorig, zorig.getinfo("xl/sharedStrings.xml"), zout)


def _read_through(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> _PartReader:
    """A sheet part read to its end: ``head`` and ``tail`` known, its rows passed over."""
    with z.open(info) as stream:
        reader = _PartReader(stream)
        reader.open()
        if reader.empty:
            for _ in reader.rows():
                pass
        else:
            _skip_to_end(reader)
    return reader


_DIMENSION_REF = re.compile(r'(<(?:\w+:)?dimension\b[^>]*?\bref=")([^"]*)(")')


def _set_dimension(head: str, ref: str) -> str:
    """``head`` with its ``<dimension ref>`` set to ``ref``."""
    return _DIMENSION_REF.sub(lambda m: m.group(1) + ref + m.group(3), head, count=1)


def _with_dimension(head: str, source_head: str) -> str:
    """``head`` with the ``<dimension ref>`` of ``source_head`` (when it has one)."""
    dim = _DIMENSION_REF.search(source_head)
    return head if dim is None else _set_dimension(head, dim.group(2))


def _write_generated(zsaved: zipfile.ZipFile, info: zipfile.ZipInfo, rows, zout: zipfile.ZipFile) -> None:
    """The sheet part ``info`` of ``zsaved`` with its rows replaced by ``rows.chunks()`` and its dimension by
    ``rows.dimension``."""
    mine = _read_through(zsaved, info)
    head = _set_dimension(mine.head, rows.dimension)
    if _prefix(mine.opening):
        raise Unsupported("sheet XML with a namespace prefix")
    with zout.open(_fresh_info(info), "w") as dst:
        dst.write((head + "<sheetData>").encode("utf-8"))
        for chunk in rows.chunks():
            dst.write(chunk.encode("utf-8"))
        dst.write(("</sheetData>" + mine.tail).encode("utf-8"))


def _prefix(tag: str) -> str:
    m = re.match(r"<(\w+:)?", tag)
    return m.group(1) or "" if m else ""


def _insert_before(text: str, marker: str, item: str) -> str:
    at = text.rfind(marker)
    if at < 0:
        raise Unsupported(f"no {marker}")
    return text[:at] + item + text[at:]

"""Read one large hub sheet row by row from its XML part, without the whole sheet in memory at once.

``评分明细`` of a large province runs over several sheets of 833,331 rows (100x: 1.75 million); a
later ``collect`` keeps the rows of every expert it does not import again.  Read as a grid (python-
calamine), one such sheet costs about 600 MiB for a moment on top of what is kept; read here, only
the kept rows are held, as read-only records with their repeated text shared.

Values read as the grid reader gives them for what the hub's writers write: inline or shared
strings, numbers, booleans.  Whatever else (a formula, a number with a cell format — a date typed
by a person — an error value, a sheet over the hub's limits) raises ``Unsupported``, and the caller
reads the sheet through the guarded grid reader instead.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Callable

from xl_awards.base.normalize import is_blank
from xl_awards.base.tables import Record, locate_table
from xl_awards.io.sheet_parts import (
    _CELL,
    HEADER_ROWS,
    Unsupported,
    _attr,
    _cell_value,
    _PartReader,
    _split_ref,
    _Strings,
    _unescape,
    find_part,
    sheet_parts,
)
from xl_awards.io.workbook_files import HUB_MAX_ROWS, HUB_MAX_UNCOMPRESSED_BYTES


# A cell as the hub's writers write it: text inline, a number, an empty cell (style only on text or empty cells).
_PLAIN_CELL = re.compile(r'<c r="([A-Z]{1,3})\d+"(?: s="\d+")?(?: t="(inlineStr|n)")?'
                         r'(?:\s*/>|>(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>|<v>([^<]*)</v>)?</c>)')
_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        col = _COLUMNS[letters] = col - 1
    return col


def _plain_cells(xml: str) -> dict[int, Any] | None:
    """{0-based column: value} of a row written as the hub's writers write rows, None for any other row."""
    cells: dict[int, Any] = {}
    n = 0
    for m in _PLAIN_CELL.finditer(xml):
        n += 1
        letters, kind, text, number = m.groups()
        if text is not None:
            cells[_column(letters)] = _unescape(text) if "&" in text else text
        elif number is not None:
            if kind != "n" or ' s="' in m.group(0):
                return None
            value = float(number)
            cells[_column(letters)] = int(value) if value.is_integer() and "." not in number and "e" not in number.lower() \
                else value
        else:
            cells[_column(letters)] = "" if kind == "inlineStr" else None
    if n != xml.count("<c "):
        return None
    return cells


def _cells(xml: str, strings: _Strings) -> dict[int, Any]:
    """{0-based column: value} of one row's XML."""
    plain = _plain_cells(xml)
    if plain is not None:
        return plain
    cells: dict[int, Any] = {}
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2)
        ref = _attr(attrs, "r")
        if ref is None:
            raise Unsupported("cell without a reference")
        if body and "<f" in body:
            raise Unsupported("formula")
        kind = _attr(attrs, "t") or "n"
        if kind in ("e", "d"):
            raise Unsupported("error or ISO date cell")
        if kind == "n" and body and _attr(attrs, "s") not in (None, "0"):
            raise Unsupported("number with a cell format")
        col, _ = _split_ref(ref)
        cells[col - 1] = _cell_value(attrs, body, strings)
    return cells


def read_sheet_records(path: str | Path, schema, keep: Callable[[Record], bool] | None = None
                       ) -> list[tuple[int, Record]] | None:
    """[(Excel row, record)] of the sheet named ``schema.name`` (None when the workbook has no such sheet),
    its header recognised as the grid reader recognises it (``base.tables.locate_table``), blank rows
    skipped and empty text read as None (``hub_book.read_table``); ``keep``: only the rows it accepts.
    ``Unsupported`` when the sheet is not one this reader reads faithfully (see the module)."""
    with zipfile.ZipFile(path) as z:
        found = find_part(sheet_parts(z), schema.name)
        if found is None:
            return None
        info = z.getinfo(found[2])
        if info.file_size > HUB_MAX_UNCOMPRESSED_BYTES:
            raise Unsupported("sheet over the hub's size limit")
        strings = _Strings(z)
        with z.open(info) as stream:
            reader = _PartReader(stream)
            reader.open()
            rows = reader.rows()
            grid: list[list[Any]] = []
            first_data = None  # the first row below the header rows, already read
            for xml in rows:
                number = int(_attr(xml[:xml.index(">") + 1], "r") or 0)
                if number < 1:
                    raise Unsupported("row without a number")
                cells = _cells(xml, strings)
                if number > HEADER_ROWS:
                    first_data = (number, cells)
                    break
                while len(grid) < number:
                    grid.append([])
                width = max(cells, default=-1) + 1
                grid[number - 1] = [cells.get(c) for c in range(width)]
            located = locate_table(schema, grid)
            if located is None:
                raise Unsupported("header not recognised")
            header_row, columns = located
            keys = list(columns)
            index = {key: i for i, key in enumerate(keys)}
            cols = list(columns.values())
            shared: dict[str, str] = {}
            out: list[tuple[int, Record]] = []

            def add(number: int, cells: dict[int, Any]) -> None:
                if number > HUB_MAX_ROWS:
                    raise Unsupported("rows over the hub's limit")
                values = []
                for c in cols:
                    value = cells.get(c)
                    if type(value) is str:
                        value = shared.setdefault(value, value) if value else None
                    values.append(value)
                if all(is_blank(v) for v in values):
                    return
                record = Record(index, tuple(values))
                if keep is None or keep(record):
                    out.append((number, record))

            for r in range(header_row + 1, len(grid)):
                add(r + 1, dict(enumerate(grid[r])))
            if first_data is not None:
                add(*first_data)
                for xml in rows:
                    number = int(_attr(xml[:xml.index(">") + 1], "r") or 0)
                    add(number, _cells(xml, strings))
    return out

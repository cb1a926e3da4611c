"""Fill a built intake template with rows (sample data for the demo, tests and benchmarks).

Columns are found by their header labels (SPEC section 3), never by position.  The values go
straight into the template's sheet XML (``io.sheet_cells``): every other part of the file (data
validations, comments, conditional formats, the VBA project, the ``检查`` formulas of the prepared
rows) stays as it is; a written cell keeps the template's format for it; text stays text (a value
starting with ``=``, ``+``, ``-`` or ``@`` is never a formula); dates are real dates.  A row past the
template's prepared ones gets the formulas of the last prepared row (``检查`` and the hidden helper
columns right of it) translated to its own row.  The result is written to ``out_path`` through a
temporary file; the template is never modified.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Mapping, Sequence

from xl_awards.base import messages, normalize as nz
from xl_awards.base.addresses import column_letter
from xl_awards.base.errors import InputError, UsageError
from xl_awards.base.tables import find_header, header_label
from xl_awards.edition import DEFAULT_EDITION, Edition, load_edition
from xl_awards.intake.intake_book import PREFILLED_KEYS  # prefilled values do not make a row "used"
from xl_awards.io.atomic import write_atomically
from xl_awards.io.sheet_cells import Row, SheetCells, Styles, parse_row, style_of, write_workbook
from xl_awards.io.sheet_parts import Unsupported, _unescape, escape, sheet_parts
from xl_awards.io.workbook_files import read_grids
from xl_awards.schema import SheetSchema
from xl_awards.schema.intake import META_SHEET, build_intake_schema

META_YEAR_KEY = "评选年度"

_PLAIN_FORMULA = re.compile(r"<f>(.*?)</f>", re.S)


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
            cells = parse_row(rows[number]).cells
            if "<f>" not in cells.get(check_col, ""):
                continue
            for col in sorted(c for c in cells if c >= check_col):
                m = _PLAIN_FORMULA.search(cells[col])
                if m:
                    self.sources.append((col, "=" + _unescape(m.group(1)), f"{column_letter(col - 1)}{number}",
                                         style_of(cells[col])))
            return

    def extend(self, row: Row) -> None:
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


def _filled_sheet(sheet: SheetCells, grid: list[list[Any]], header_row: int, columns: dict[str, int],
                  check_col: int | None, rows: Sequence[Mapping[str, Any]]) -> str:
    """The sheet's text with ``rows`` written from the first free row on."""
    formulas = _Formulas(sheet.rows, header_row, check_col)
    start = _first_free_row(grid, header_row, columns)
    for offset, values in enumerate(rows):
        for key, value in values.items():
            if key in columns:
                sheet.set(start + offset, columns[key], value)
        formulas.extend(sheet.row(start + offset))
    return sheet.text()


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
            styles = Styles(z.read("xl/styles.xml").decode("utf-8"))
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
                written[part] = _filled_sheet(SheetCells(z.read(part).decode("utf-8"), styles), grid, header_row,
                                              columns, check_col, rows)
    except (Unsupported, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        detail = str(exc) or type(exc).__name__
        raise InputError(messages.INPUT_ERRORS["corrupt"].format(file=name, detail=detail[:80])) from None
    if styles.modified:
        written["xl/styles.xml"] = styles.final_text()

    out_path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(out_path, lambda tmp: write_workbook(template_path, tmp, written))

"""Fill a built intake template with rows (sample data for the demo, tests and benchmarks).

The template is opened with openpyxl so its data validations, comments,
conditional formats and ``检查`` formulas stay; columns are found by their
header labels (SPEC section 3), never by position.  Text stays text (a value
starting with ``=``, ``+``, ``-`` or ``@`` is written as a string, never as a
formula); dates are real dates with a date format.  The result is written to
``out_path`` through a temporary file; the template is never modified.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Mapping, Sequence

from openpyxl import load_workbook
from openpyxl.formula.translate import Translator

from xl_awards.base import messages, normalize as nz
from xl_awards.edition import DEFAULT_EDITION, Edition, load_edition
from xl_awards.base.errors import InputError, UsageError
from xl_awards.io.atomic import write_atomically
from xl_awards.io.workbook_files import close_macro_archive
from xl_awards.base.tables import HEADER_SEARCH_ROWS, find_header, header_label
from xl_awards.schema import SheetSchema
from xl_awards.intake.intake_book import PREFILLED_KEYS  # prefilled values do not make a row "used"
from xl_awards.schema.intake import META_SHEET, build_intake_schema

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
META_YEAR_KEY = "评选年度"


def sheet_header(ws, sheet: SheetSchema) -> tuple[int, dict[str, int], int | None]:
    """(1-based header row, {field key: 1-based column}, 1-based column of ``检查`` or None);
    ``(0, {}, None)`` when no row matches.  The header rule of ``xl_awards.base.tables``."""
    grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)]
    row, columns = find_header(grid, {f.label: f.key for f in sheet.fields})
    if row < 0:
        return 0, {}, None
    check = None
    for c, value in enumerate(grid[row], start=1):
        if header_label(value) == sheet.check_column:
            check = c
    return row + 1, {key: col + 1 for key, col in columns.items()}, check


def _edition_of(wb, edition: Edition | None) -> Edition:
    if edition is not None:
        return edition
    if META_SHEET in wb.sheetnames:
        for key, value, *_ in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
            if nz.clean_text(key) == META_YEAR_KEY and nz.clean_text(value).isdigit():
                return load_edition(nz.clean_text(value))
    return load_edition(DEFAULT_EDITION)


def _first_free_row(ws, header_row: int, columns: dict[str, int]) -> int:
    """The row after the last one that holds anything in a mapped column (prefilled fields aside)."""
    used = [c for key, c in columns.items() if key not in PREFILLED_KEYS]
    last = header_row
    for r in range(header_row + 1, ws.max_row + 1):
        if any(not nz.is_blank(ws.cell(r, c).value) for c in used):
            last = r
    return last + 1


def _write_value(cell, value: Any) -> None:
    if isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT if value.time() == dt.time(0) else DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula: keep it text
    else:
        cell.value = value


class _FormulaRows:
    """Gives a written row the template's formulas (``检查`` and the hidden helper columns right of it)
    when the template's prepared rows stop before it: each formula of the last prepared row,
    parsed once, translated to the row."""

    def __init__(self, ws, header_row: int, check_col: int | None):
        self.ws = ws
        self.sources: list[tuple[int, Translator, Any]] = []  # (column, translator, style)
        if check_col is None:
            return
        last_col = ws.max_column
        for r in range(ws.max_row, header_row, -1):
            above = ws.cell(r, check_col)
            if isinstance(above.value, str) and above.value.startswith("="):
                for col in range(check_col, last_col + 1):
                    source = ws.cell(r, col)
                    if isinstance(source.value, str) and source.value.startswith("="):
                        self.sources.append((col, Translator(source.value, origin=source.coordinate), source._style))
                return

    def extend(self, row: int) -> None:
        if not self.sources or self.ws.cell(row, self.sources[0][0]).value not in (None, ""):
            return
        for col, translator, style in self.sources:
            target = self.ws.cell(row, col)
            target.value = translator.translate_formula(target.coordinate)
            target._style = style


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
    keep_vba = template_path.suffix.lower() == ".xlsm"
    try:
        wb = load_workbook(template_path, keep_vba=keep_vba, rich_text=False)
    except Exception as exc:  # zip, XML or openpyxl errors: not a usable workbook
        raise InputError(messages.INPUT_ERRORS["corrupt"].format(file=name, detail=type(exc).__name__)) from None
    schema = {s.name: s for s in build_intake_schema(_edition_of(wb, edition))}

    for sheet_name, rows in rows_by_sheet.items():
        if sheet_name not in schema:
            raise ValueError(f"not an intake sheet: {sheet_name}")
        if sheet_name not in wb.sheetnames:
            raise InputError(messages.INPUT_ERRORS["no_sheets"].format(file=name, sheets=sheet_name))
        sheet, ws = schema[sheet_name], wb[sheet_name]
        header_row, columns, check_col = sheet_header(ws, sheet)
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
        start = _first_free_row(ws, header_row, columns)
        formulas = _FormulaRows(ws, header_row, check_col)
        for offset, row in enumerate(rows):
            r = start + offset
            for key, value in row.items():
                if key in columns:
                    _write_value(ws.cell(r, columns[key]), value)
            formulas.extend(r)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return write_atomically(out_path, wb.save)
    finally:
        close_macro_archive(wb)

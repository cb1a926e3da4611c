"""The hub workbook as tables (pure core, no file I/O).

``hub_book_from_grids`` turns whole-sheet grids (lists of rows of cell values,
as python-calamine or an xlwings range gives them) into a ``HubBook``: the
effective edition (preset + ``设置`` overrides), the settings findings, and
each hub sheet's rows keyed by field key with their Excel row numbers.
``xl_awards.io.hub.read_hub`` reads a file into grids and calls it.

Header rows are found by their labels in the first rows (SPEC section 3), so
columns may be moved and extra columns added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from xl_awards.base import messages, normalize as nz
from xl_awards.edition import Edition
from xl_awards.base.errors import InputError
from xl_awards.base.findings import Finding, cell_address, column_letter
from xl_awards.schema import SheetSchema, find_header, sheet_key
from xl_awards.schema import hub as H
from xl_awards.edition.overrides import read_settings

Grid = Sequence[Sequence[Any]]
Row = tuple[int, dict[str, Any]]  # (Excel row number, {key: raw value})

# 设置 columns (键 / 项目 / 值 / 允许范围 / 说明) -> the keys ``xl_awards.edition.overrides.read_settings`` reads.
SETTINGS_KEYS = dict(zip(H.SETTINGS_COLUMNS, ("key", "label", "value", "allowed", "note")))


@dataclass
class HubTable:
    """One hub sheet: rows keyed by field key, with their Excel row numbers (blank rows skipped)."""

    schema: SheetSchema
    sheet_name: str  # as spelled in the workbook
    header_row: int  # 1-based Excel row of the header
    columns: dict[str, int]  # field key -> 0-based column index
    rows: list[Row]
    missing: tuple[str, ...] = ()  # keys of schema fields without a column

    def cell(self, row: int, key: str) -> str:
        col = self.columns.get(key)
        return "" if col is None else cell_address(row, col)


@dataclass
class HubBook:
    file_name: str
    preset: Edition
    edition: Edition  # preset + accepted 设置 overrides
    overrides: dict[str, Any]
    tables: dict[str, HubTable] = field(default_factory=dict)  # sheet name (schema spelling) -> table
    findings: list[Finding] = field(default_factory=list)  # settings findings + sheet-level findings
    path: Path | None = None

    def table(self, sheet_name: str) -> HubTable | None:
        return self.tables.get(sheet_name)

    def rows(self, sheet_name: str) -> list[Row]:
        table = self.tables.get(sheet_name)
        return list(table.rows) if table else []

    @property
    def register(self) -> list[Row]:
        """The existing ``申报汇总`` rows (consolidation keeps their 申报编号 stable)."""
        return self.rows(H.REGISTER_SHEET)


def _finding(rule: str, file_name: str, sheet_name: str, *, at_row: int | None = None, field_label: str = "", **values) -> Finding:
    return Finding(rule=rule, severity=messages.rule_severity(rule), message=messages.rule_message(rule, **values),
                   file=file_name, sheet=sheet_name, cell="", row=at_row, field=field_label)


def _data_rows(grid: Grid, header_row: int, columns: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    items = list(columns.items())
    for r in range(header_row + 1, len(grid)):
        cells = grid[r]
        width = len(cells)
        raw = {key: _value(cells[c]) if c < width else None for key, c in items}
        if all(nz.is_blank(v) for v in raw.values()):
            continue
        rows.append((r + 1, raw))
    return rows


def _value(value: Any) -> Any:
    return None if value == "" else value


def read_table(sheet: SheetSchema, sheet_name: str, grid: Grid) -> HubTable | None:
    """A hub sheet's table, or None when its header row cannot be recognised."""
    header_row, columns = find_header(grid, {f.label: f.key for f in sheet.fields})
    required = [f.key for f in sheet.fields if f.required]
    if sum(1 for k in required if k in columns) < max(1, math.ceil(len(required) / 2)):
        return None
    missing = tuple(f.key for f in sheet.fields if f.key not in columns)
    return HubTable(sheet, sheet_name, header_row + 1, columns, _data_rows(grid, header_row, columns), missing)


def hub_book_from_grids(file_name: str, grids: dict[str, Grid], edition: Edition, *, path: Path | None = None) -> HubBook:
    """Build a ``HubBook`` from whole-sheet grids starting at A1.

    Raises ``InputError`` when the ``设置`` sheet is missing (not a hub workbook)
    or a sheet's header row cannot be recognised.  A missing hub sheet other than
    ``设置`` is a finding (the sheet reads as empty); so is a missing required column.
    """
    by_key = {sheet_key(name): name for name in grids}
    settings_name = by_key.get(sheet_key(H.SETTINGS_SHEET))
    if settings_name is None:
        raise InputError(messages.INPUT_ERRORS["not_hub"].format(file=file_name, sheet=H.SETTINGS_SHEET))
    settings_grid = grids[settings_name]
    header_row, columns = find_header(settings_grid, SETTINGS_KEYS)
    if "value" not in columns or not ({"key", "label"} & set(columns)):
        raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=file_name, sheet=settings_name))
    settings_rows = _data_rows(settings_grid, header_row, columns)
    result = read_settings(settings_rows, edition, file=file_name, sheet=settings_name,
                           value_column=column_letter(columns["value"]))
    book = HubBook(
        file_name=file_name, preset=edition, edition=edition.with_overrides(result.overrides),
        overrides=result.overrides, findings=list(result.findings), path=path,
    )
    for sheet in H.build_hub_schema(edition):
        actual = by_key.get(sheet_key(sheet.name))
        if actual is None:
            if sheet.name in H.OPTIONAL_SHEETS:
                continue  # a hub workbook made before the sheet existed: read as empty
            book.findings.append(_finding("missing_sheet", file_name, sheet.name, sheet=sheet.name))
            continue
        table = read_table(sheet, actual, grids[actual])
        if table is None:
            raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=file_name, sheet=actual))
        book.tables[sheet.name] = table
        for key in table.missing:
            f = sheet.field(key)
            if f.required:
                book.findings.append(_finding("missing_column", file_name, sheet.name, at_row=table.header_row,
                                              field_label=f.label, label=f.label))
    return book

"""The hub workbook as tables (pure core, no file I/O).

``hub_book_from_grids`` turns whole-sheet grids (lists of rows of cell values,
as python-calamine or an xlwings range gives them) into a ``HubBook``: the
effective edition (preset + ``设置`` overrides), the settings findings, and
each hub sheet's rows keyed by field key with their Excel row numbers.
``xl_awards.io.hub.read_hub`` reads a file into grids and calls it.

Header rows are found by their labels in the first rows (SPEC section 3), so
columns may be moved and extra columns added; the header rule and the recognition threshold
are those of ``xl_awards.base.tables`` (shared with the intake reader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping

from xl_awards.base import messages
from xl_awards.edition import Edition
from xl_awards.base.errors import InputError
from xl_awards.base.addresses import column_letter
from xl_awards.base.findings import Finding
from xl_awards.base.tables import Grid, Row, Table, data_rows, find_header, locate_table, missing_keys
from xl_awards.schema import SheetSchema, sheet_key
from xl_awards.schema import hub as H
from xl_awards.schema.review import ASSIGNMENT_SCHEMA
from xl_awards.hub.settings_sheet import read_settings

# 设置 columns (键 / 项目 / 值 / 允许范围 / 说明) -> the keys ``xl_awards.hub.settings_sheet.read_settings`` reads.

# Written by a command and absent before it first runs; read like the others when present.
OPTIONAL_SHEETS = (ASSIGNMENT_SCHEMA,)

SETTINGS_KEYS = dict(zip(H.SETTINGS_COLUMNS, ("key", "label", "value", "allowed", "note")))


# A hub sheet read against its schema (the one table type of ``xl_awards.base.tables``).
HubTable = Table


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


def read_table(sheet: SheetSchema, sheet_name: str, grid: Grid) -> HubTable | None:
    """A hub sheet's table, or None when its header row cannot be recognised (``base.tables``).
    Hub cells that are empty strings read as None."""
    located = locate_table(sheet, grid)
    if located is None:
        return None
    header_row, columns = located
    # rows as read-only records: a hub table may have hundreds of thousands of rows
    rows = data_rows(grid, header_row + 1, columns, empty_as_none=True, records=True)
    return Table(sheet, sheet_name, header_row + 1, columns, rows, missing_keys(sheet, columns))


def sheets_read(edition: Edition) -> list[str]:
    """The names of the sheets ``hub_book_from_grids`` reads (a reader may skip every other sheet)."""
    return [H.SETTINGS_SHEET, *(s.name for s in H.build_hub_schema(edition)), *(s.name for s in OPTIONAL_SHEETS)]


def hub_book_from_grids(file_name: str, grids: Mapping[str, Grid], edition: Edition, *, path: Path | None = None,
                        skipped: Collection[str] = ()) -> HubBook:
    """Build a ``HubBook`` from whole-sheet grids starting at A1 (``grids``: each sheet's asked for once, in
    turn, so that a reader may read it only then).

    Raises ``InputError`` when the ``设置`` sheet is missing (not a hub workbook)
    or a sheet's header row cannot be recognised.  A missing hub sheet other than
    ``设置`` is a finding (the sheet reads as empty); so is a missing required column.
    ``skipped``: sheets not read on purpose (``io.hub.read_hub(skip=...)``): empty, no finding.
    """
    by_key = {sheet_key(name): name for name in grids}
    settings_name = by_key.get(sheet_key(H.SETTINGS_SHEET))
    if settings_name is None:
        raise InputError(messages.INPUT_ERRORS["not_hub"].format(file=file_name, sheet=H.SETTINGS_SHEET))
    settings_grid = grids[settings_name]
    header_row, columns = find_header(settings_grid, SETTINGS_KEYS)
    if "value" not in columns or not ({"key", "label"} & set(columns)):
        raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=file_name, sheet=settings_name))
    settings_rows = data_rows(settings_grid, header_row + 1, columns, empty_as_none=True)
    result = read_settings(settings_rows, edition, file=file_name, sheet=settings_name,
                           value_column=column_letter(columns["value"]))
    book = HubBook(
        file_name=file_name, preset=edition, edition=edition.with_overrides(result.overrides),
        overrides=result.overrides, findings=list(result.findings), path=path,
    )
    for sheet in H.build_hub_schema(edition):
        if sheet.name in skipped:
            continue
        actual = by_key.get(sheet_key(sheet.name))
        if actual is None:
            if sheet.name in H.OPTIONAL_SHEETS:
                continue  # a hub workbook made before the sheet existed: read as empty
            book.findings.append(messages.finding("missing_sheet", file=file_name, sheet=sheet.name))
            continue
        table = read_table(sheet, actual, grids[actual])
        if table is None:
            raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=file_name, sheet=actual))
        book.tables[sheet.name] = table
        for key in table.missing:
            f = sheet.field(key)
            if f.required:
                book.findings.append(messages.finding("missing_column", file=file_name, sheet=sheet.name,
                                                      row=table.header_row, field=f.label, label=f.label))
    # Sheets the commands write later (评审分配 by expert-sheets): read when present, no finding when absent.
    for sheet in OPTIONAL_SHEETS:
        actual = by_key.get(sheet_key(sheet.name))
        table = read_table(sheet, actual, grids[actual]) if actual is not None else None
        if table is not None:
            book.tables[sheet.name] = table
    return book

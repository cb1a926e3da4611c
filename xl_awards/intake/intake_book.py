"""An intake workbook as tables: what the reader hands to the checks.

Pure core (no file I/O): ``book_from_grids`` turns whole-sheet grids (lists of
rows of cell values, as python-calamine or an xlwings range gives them) into an
``IntakeBook``.  ``xl_awards.io.intake.read_intake`` reads a file into grids
and calls it; a button can call it with the open workbook's ranges.

Header rows are found by their labels (SPEC section 3), not by position, with the one header
rule and recognition threshold of ``xl_awards.base.tables`` (shared with the hub reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from xl_awards.base import messages, normalize as nz
from xl_awards.edition import Edition
from xl_awards.base.errors import InputError
from xl_awards.base.findings import Finding
from xl_awards.base.tables import HEADER_SEARCH_ROWS, Grid, Table, data_rows, locate_table, missing_keys
from xl_awards.schema import SheetSchema, sheet_key
from xl_awards.schema.intake import META_SHEET, build_intake_schema

META_CITY_KEY = "市州"
# Fields a template may prefill on every data row: a row with nothing else is blank.
PREFILLED_KEYS = frozenset({"city"})

MergedRange = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based, inclusive


# An applicant or recipient sheet read against its schema (the one table type of ``xl_awards.base.tables``).
IntakeTable = Table


@dataclass
class IntakeBook:
    path: Path | None
    file_name: str
    city: str | None  # the workbook's 市州 (full name), None for a blank template
    tables: dict[str, IntakeTable] = field(default_factory=dict)  # sheet name -> table, schema order
    findings: list[Finding] = field(default_factory=list)  # sheet-level findings of the reader

    def table(self, sheet_name: str) -> IntakeTable | None:
        return self.tables.get(sheet_name)


_SCHEMAS: dict[int, tuple] = {}  # id(edition) -> (edition, its intake schema)


def intake_schema(edition: Edition) -> tuple[SheetSchema, ...]:
    """``build_intake_schema(edition)``, built once per edition object (a consolidation reads every
    workbook against the same edition)."""
    cached = _SCHEMAS.get(id(edition))
    if cached is None or cached[0] is not edition:
        if len(_SCHEMAS) > 16:
            _SCHEMAS.clear()
        cached = (edition, build_intake_schema(edition))
        _SCHEMAS[id(edition)] = cached
    return cached[1]


def book_from_grids(
    file_name: str,
    grids: dict[str, Grid],
    edition: Edition,
    *,
    merged: dict[str, Iterable[MergedRange]] | None = None,
    path: Path | None = None,
) -> IntakeBook:
    """Build an ``IntakeBook`` from whole-sheet grids that start at cell A1.

    Raises ``InputError`` when no intake sheet is found or a sheet's header row
    cannot be recognised.
    """
    merged = merged or {}
    schema = intake_schema(edition)
    by_key = {sheet_key(name): name for name in grids}
    city = _workbook_city(file_name, grids.get(by_key.get(sheet_key(META_SHEET), "")), edition)
    book = IntakeBook(path=path, file_name=file_name, city=city)
    missing = [sheet.name for sheet in schema if sheet_key(sheet.name) not in by_key]
    if len(missing) == len(schema):
        names = "、".join(s.name for s in schema)
        raise InputError(messages.INPUT_ERRORS["no_sheets"].format(file=file_name, sheets=names))
    if missing:
        raise InputError(messages.INPUT_ERRORS["missing_sheets"].format(file=file_name, sheets="、".join(missing)))
    for sheet in schema:
        actual = by_key[sheet_key(sheet.name)]
        table = _read_table(sheet, actual, grids[actual], list(merged.get(actual, ())))
        if table is None:
            raise InputError(messages.INPUT_ERRORS["headers_unrecognised"].format(file=file_name, sheet=actual))
        book.tables[sheet.name] = table
        for key in table.missing:
            f = sheet.field(key)
            if f.required:
                book.findings.append(
                    messages.finding("missing_column", file=file_name, sheet=sheet.name, row=table.header_row, field=f.label,
                                     label=f.label)
                )
    if city is None:
        book.findings.append(messages.finding("workbook_city_unknown", file=file_name))
    return book


# CJK unified ideographs: NFKC leaves each unchanged, none is whitespace, ``*`` or a bracket, none is
# reordered or composed with the character before it (tests/intake/test_intake_book_headers.py).
_IDEOGRAPHS = "\u4e00-\u9fff"


@lru_cache(maxsize=64)
def _too_long_run(longest_label: int) -> re.Pattern:
    return re.compile(f"[{_IDEOGRAPHS}]{{{longest_label + 1}}}")


def _cannot_be_label(longest_label: int) -> Callable[[str], bool]:
    """For a text longer than ``longest_label``: True when no header label can come of it (see
    ``header_search_rows``)."""
    def cannot_be_label(value: str) -> bool:
        m = _too_long_run(longest_label).search(value)  # compiled at the first long text (about 1 ms each)
        if m is None:
            return False
        head = nz.nfkc(value[:m.start()])
        return "(" not in head and "（" not in head

    return cannot_be_label


def header_search_rows(sheet: SheetSchema, grid: Grid) -> Grid:
    """The rows the header is looked for in, with every text that cannot be a header label left out (None).

    A narrative in a data row near the top would otherwise be folded (NFKC) and searched whole for
    each sheet.  A text is left out when it holds a run of more ideographs than the longest label
    before any bracket: its label (``base.tables.header_label``) then keeps that run, so it is longer
    than every label.  Everything else is kept as it is, so the header found is the same.
    ``locate_intake_table`` passes over the same texts while it searches.
    """
    longest = max(len(f.label) for f in sheet.fields)
    cannot_be_label = _cannot_be_label(longest)
    rows = []
    for cells in grid[:HEADER_SEARCH_ROWS]:
        kept = list(cells)
        for i, value in enumerate(kept):
            if type(value) is str and len(value) > longest and cannot_be_label(value):  # a shorter text holds no such run
                kept[i] = None
        rows.append(kept)
    return rows


def locate_intake_table(sheet: SheetSchema, grid: Grid) -> tuple[int, dict[str, int]] | None:
    """``locate_table(sheet, header_search_rows(sheet, grid))`` in one pass over the cells."""
    longest = max(len(f.label) for f in sheet.fields)
    return locate_table(sheet, grid, skip_long=(longest, _cannot_be_label(longest)))


def _read_table(sheet: SheetSchema, sheet_name: str, grid: Grid, merged: list[MergedRange]) -> IntakeTable | None:
    located = locate_intake_table(sheet, grid)
    if located is None:
        return None
    best_row, best_map = located
    # a header cell merged over several rows: data starts below the merged block
    data_start = max([best_row] + [r1 for (r0, _), (r1, _) in merged if r0 == best_row]) + 1
    grid = _fill_merged(grid, [m for m in merged if m[0][0] >= data_start])
    rows = data_rows(grid, data_start, best_map, ignore_keys=PREFILLED_KEYS)
    return Table(sheet, sheet_name, best_row + 1, best_map, rows, missing_keys(sheet, best_map))


def _fill_merged(grid: Grid, ranges: Iterable[MergedRange]) -> Grid:
    """A merged block's value (stored in its top-left cell) applies to every row of its first column.

    What a user who merges 所属市州 over several rows means.  The other columns of
    a merged block stay blank: a value belongs to one field.
    """
    ranges = list(ranges)
    if not ranges:
        return grid
    rows = [list(r) for r in grid]
    for (r0, c0), (r1, _c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            if c0 < len(rows[r]):
                rows[r][c0] = value
    return rows


def _workbook_city(file_name: str, meta: Grid | None, edition: Edition) -> str | None:
    divisions = edition.divisions
    if meta:
        for cells in meta:
            if len(cells) >= 2 and re.sub(r"\s+", "", nz.clean_text(cells[0])) == META_CITY_KEY:
                city = divisions.resolve_city(nz.clean_text(cells[1]))
                if city:
                    return city
                break
    return city_in_file_name(file_name, edition)


def city_in_file_name(file_name: str, edition: Edition) -> str | None:
    """The one city whose full or short name appears in the file name's stem, else None."""
    from xl_awards.edition.divisions import short_name

    stem = nz.clean_text(Path(file_name).stem)
    divisions = edition.divisions
    hits = {city for city in divisions.city_names if city in stem or short_name(city) in stem}
    if not hits:  # a county's own workbook named after the county: 浏阳市申报.xlsx is 长沙市's
        hits = {city for city in divisions.city_names for county in divisions.counties(city) if county in stem}
    return hits.pop() if len(hits) == 1 else None

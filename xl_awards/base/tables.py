"""A sheet read as a table: the one header finder and the one table reader (intake and hub).

The rule, in words:

- A header cell's label is its text up to the first bracket, NFKC-normalised, without
  whitespace or a leading/trailing ``*`` (SPEC section 3: ``姓名（必填）`` and ``* 姓 名`` read
  as ``姓名``).
- The header row is the row, among the first ``HEADER_SEARCH_ROWS`` rows, whose cells match the
  most of the sheet's labels (the first such row on a tie).  Each key takes the first column
  whose label matches it.
- The sheet is recognised as the schema's sheet when its header row holds at least half of the
  schema's required columns (and at least one).  Half, because a user may delete or misspell a
  few columns: those are reported as ``missing_column`` findings on a sheet that is still read,
  while a title row or an unrelated sheet that happens to share one or two labels is not taken
  for the header.  (The intake sheets have 6 to 22 required columns, the hub sheets 2 to 9;
  the intake reader's former "at least two" floor never bound, as half of 6 is 3.)
- Data rows are the rows below the header; a row whose cells are all blank is skipped.
  Rows keep their Excel row number.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from operator import itemgetter
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Mapping, Sequence

from xl_awards.base import normalize as nz
from xl_awards.base.addresses import cell_address

HEADER_SEARCH_ROWS = 10  # the header row is looked for in the first rows of a sheet

Grid = Sequence[Sequence[Any]]
Row = tuple[int, dict[str, Any]]  # (Excel row number, {key: raw value})


_BRACKET = re.compile(r"[(（]")


def header_label(text: Any) -> str:
    """Header cell text -> label, per SPEC section 3."""
    if text is None:
        return ""
    return _text_label(str(text))


@lru_cache(maxsize=8192)  # the same template's headers, read from every workbook of a consolidation
def _text_label(text: str) -> str:
    label = nz.nfkc(text)  # full-width （ becomes (
    bracket = _BRACKET.search(label)
    if bracket:
        label = label[:bracket.start()]
    # str.split() splits on exactly the characters regex \s matches in a str (str.isspace)
    return "".join(label.split()).strip("*＊")


def find_header(grid: Any, labels: dict[str, str], search_rows: int = HEADER_SEARCH_ROWS, *,
                skip_long: tuple[int, Callable[[str], bool]] | None = None) -> tuple[int, dict[str, int]]:
    """(0-based header row, {key: 0-based column}) of the row among the first ``search_rows`` of
    ``grid`` (a list of rows of cell values) whose cells match most of ``labels`` (label -> key),
    by the header rule of ``header_label``; ``(-1, {})`` if none matches.

    ``skip_long`` = (n, cannot_be_label): a text longer than n characters for which
    ``cannot_be_label(text)`` is true is passed over as if the cell were blank (the caller knows that
    no label can come of it; the reader of intake sheets passes over narratives this way)."""
    best_row, best_map = -1, {}
    label_of = _text_label
    longer_than, cannot_be_label = skip_long if skip_long else (-1, None)
    every_key = len(set(labels.values()))  # a row with every key: no later row can match more
    for r, cells in enumerate(grid[:search_rows]):
        found: dict[str, int] = {}
        for c, value in enumerate(cells):
            if type(value) is str:
                if cannot_be_label is not None and len(value) > longer_than and cannot_be_label(value):
                    continue
                key = labels.get(label_of(value))
            elif isinstance(value, str):
                key = labels.get(header_label(value))
            else:
                continue
            if key is not None and key not in found:
                found[key] = c
        if len(found) > len(best_map):
            best_row, best_map = r, found
            if len(found) == every_key:
                break  # the rows below a complete header row are data (intake: 9 of the 10 rows searched)
    return best_row, best_map


def header_recognised(columns: Collection[str], required: Sequence[str]) -> bool:
    """At least half of the required keys (and at least one) have a column: see the module rule."""
    return sum(1 for k in required if k in columns) >= max(1, math.ceil(len(required) / 2))


@dataclass
class Table:
    """One sheet read against its schema: rows keyed by field key, with their Excel row numbers."""

    schema: Any  # xl_awards.schema.SheetSchema
    sheet_name: str  # as spelled in the workbook
    header_row: int  # 1-based Excel row of the header
    columns: dict[str, int]  # field key -> 0-based column index
    rows: list[Row]  # blank rows skipped
    missing: tuple[str, ...] = ()  # keys of the schema's fields without a column

    def cell(self, row: int, key: str) -> str:
        """A1 address of field ``key`` on Excel row ``row`` ('' when the column is missing)."""
        col = self.columns.get(key)
        return "" if col is None else cell_address(row, col)


class Record(Mapping):
    """A read-only table row {key: value}: the row's values as a tuple and the table's key index, shared by
    every row (a dict per row costs about 650 bytes for 14 keys: at 100x the hub's 专家评分 and 评审分配 have
    350,000 rows each)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple):
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"Record({dict(self)!r})"


def data_rows(grid: Grid, start: int, columns: dict[str, int], *, ignore_keys: Collection[str] = (),
              empty_as_none: bool = False, records: bool = False) -> list[Row]:
    """The rows of ``grid`` from 0-based row ``start`` as {key: raw value}, skipping rows whose
    cells (other than ``ignore_keys``: values a template prefills) are all blank.  With
    ``empty_as_none``, an empty string reads as None.  ``records``: each row a read-only ``Record``
    instead of a dict (large tables)."""
    rows: list[Row] = []
    keys = list(columns)
    index = {key: i for i, key in enumerate(keys)}
    cols = list(columns.values())
    need = max(cols) + 1 if cols else 0
    pick = itemgetter(*cols) if len(cols) > 1 else None  # a row as wide as the table: one C call
    checked = [i for i, key in enumerate(keys) if key not in ignore_keys]
    is_blank = nz.is_blank
    for r in range(start, len(grid)):
        cells = grid[r]
        width = len(cells)
        if pick is not None and width >= need:
            values = pick(cells)
        else:
            values = tuple(cells[c] if c < width else None for c in cols)
        if empty_as_none:
            values = tuple(None if value == "" else value for value in values)
        for i in checked:  # the row is kept at its first cell that is not blank
            value = values[i]
            if value is None:
                continue
            if type(value) is str:
                if value.strip():
                    break
            elif not is_blank(value):
                break
        else:
            continue
        rows.append((r + 1, Record(index, values) if records else dict(zip(keys, values))))
    return rows


def locate_table(schema: Any, grid: Grid, *,
                 skip_long: tuple[int, Callable[[str], bool]] | None = None) -> tuple[int, dict[str, int]] | None:
    """(0-based header row, columns) of ``schema``'s header in ``grid``, or None when not recognised
    (``skip_long``: as in ``find_header``)."""
    header_row, columns = find_header(grid, {f.label: f.key for f in schema.fields}, skip_long=skip_long)
    if not header_recognised(columns, [f.key for f in schema.fields if f.required]):
        return None
    return header_row, columns


def missing_keys(schema: Any, columns: Iterable[str]) -> tuple[str, ...]:
    present = set(columns)
    return tuple(f.key for f in schema.fields if f.key not in present)

"""Read the hub workbook, and rewrite its written sheets in place.

Reading: ``read_hub(path, edition)`` reads every sheet at once with
python-calamine (read-only) and hands the grids to
``xl_awards.hub.hub_book.hub_book_from_grids``.  Anything that is not a readable
hub workbook raises ``InputError`` with one Chinese line naming the file.

Rewriting (consolidation, collection, ranking, publicity): open the hub for update,
replace or append the rows of the written sheets, save safely::

    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, register_schema, rows)
    append_sheet_rows(wb, log_schema, [log_row])
    save_hub(wb, path)          # lock check, backup, temporary file, rename

Only the data rows below a sheet's header are touched: titles, headers, header
comments, column widths, frozen panes and the other sheets (their drop-downs,
validation, notes) stay as they were.

``load_hub_for_update`` returns a ``HubUpdate``: the row changes are kept and ``save_hub``
writes them part by part (``xl_awards.io.sheet_parts``: only the written sheets' XML is
regenerated, every other part copied byte for byte), without loading the whole workbook.
Code that needs the workbook itself (the ranking sheets with their charts) uses
``update.workbook``, the openpyxl ``Workbook`` loaded on demand with the changes so far applied;
the save is then the whole-workbook openpyxl save.  The openpyxl save is also the fallback
whenever a written sheet is not laid out as the part writer expects.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Iterable, Mapping

from xl_awards.base.addresses import column_letter
from xl_awards.edition import Edition
from xl_awards.hub.hub_book import HubBook, HubTable, hub_book_from_grids
from xl_awards.io.atomic import backup, backups_to_keep, check_not_open, is_read_only, prune_backups, write_atomically
from xl_awards.io.workbook_files import (
    HUB_MAX_ROWS, HUB_MAX_UNCOMPRESSED_BYTES, SheetGrids, check_workbook_file, error_detail, input_error, read_grids,
)
from xl_awards.base.tables import find_header
from xl_awards.schema import SheetSchema
from xl_awards.schema import hub as H

__all__ = [
    "HubBook", "HubTable", "read_hub", "load_hub_for_update", "replace_sheet_rows", "append_sheet_rows",
    "save_hub", "hub_sheet_schema", "backup_text", "HubUpdate",
]

def read_hub(path: str | Path, edition: Edition, skip: Iterable[str] = ()) -> HubBook:
    """Read the hub workbook: effective edition, settings findings, every hub sheet's rows.

    ``skip``: hub sheets the caller does not read (``rank`` rewrites 排名 and never reads it: at 100x
    70,000 rows of 22 columns); they read as empty, with no finding."""
    from xl_awards.hub.hub_book import sheets_read

    path = Path(path)
    skip = set(skip)
    # only the sheets the hub book reads: not 评分明细 (at 10x: 700,000 rows nobody here needs);
    # repeated text shared (评审分配 repeats expert, file and signature on each row; at 100x: peak 780 -> 514 MiB);
    # one sheet's grid at a time, each made into the book's rows before the next is read
    grids = SheetGrids(path, [s for s in sheets_read(edition) if s not in skip], max_rows=HUB_MAX_ROWS,
                       max_bytes=HUB_MAX_UNCOMPRESSED_BYTES, share_text=True)
    return hub_book_from_grids(path.name, grids, edition, path=path, skipped=skip)


# -- rewriting with openpyxl -------------------------------------------------------

class HubUpdate:
    """Pending changes to one hub workbook, written by ``save_hub``.

    ``writes``: the row changes (``replace_sheet_rows`` / ``append_sheet_rows``) in call order.
    ``workbook``: the openpyxl ``Workbook``, loaded on first use with ``writes`` applied; from
    then on changes go to it and the save is openpyxl's.  Attribute and item access the
    ``HubUpdate`` does not know (``wb["设置"]``, ``wb.sheetnames``) go to ``workbook``.
    """

    def __init__(self, path: Path):
        self.path = path
        self.writes: list = []
        self.edits: list = []  # (number of writes before it, fn)
        self._wb = None
        self._skeleton: _Skeleton | None = None

    @property
    def loaded(self) -> bool:
        return self._wb is not None

    @property
    def workbook(self):
        if self._wb is None:
            wb = _load_openpyxl(self.path)
            edits = list(self.edits)
            for i, w in enumerate(self.writes):
                while edits and edits[0][0] <= i:
                    edits.pop(0)[1](wb)
                (_replace_rows if w.mode == "replace" else _append_rows)(wb, w.schema, w.rows)
            for _, fn in edits:
                fn(wb)
            self._wb = wb
            self.close()
        return self._wb

    def edit(self, fn, keep: Iterable[str] = (), rows: bool = False, replaced: Iterable[str] = ()):
        """``fn(workbook)`` on an openpyxl workbook of the hub, for changes rows cannot express (charts,
        styles, defined names); returns what ``fn`` returns.

        The workbook is the hub with its sheets cut to their first rows (all but the smallest: ``sheet_parts.STUB_BYTES``; ``keep``: sheets
        ``fn`` reads beyond them, never cut); ``save_hub`` puts their rows back after openpyxl's
        save.  ``fn`` must leave the cut sheets as they are (it may remove them); when it did not,
        or anything else is unexpected, the save runs ``fn`` again on the whole workbook.

        ``rows``: ``fn(workbook, rows)`` is called with a dict in which it may put, for a sheet it
        made, the rows to write in place of openpyxl's (``io.layout_rows.LayoutRows``); on the whole
        workbook it gets None and writes its cells through openpyxl.

        ``replaced``: sheets ``fn`` removes and makes again (``rank``: 排名); the skeleton holds them
        without their notes (at 100x 140,000 of them, which openpyxl would load for nothing).  When
        ``fn`` keeps one, the save runs ``fn`` on the whole workbook.
        """
        if self._wb is not None:
            return fn(self._wb, None) if rows else fn(self._wb)
        if self._skeleton is None:
            self._skeleton = _Skeleton(self.path, keep, replaced)
        self.edits.append((len(self.writes), (lambda wb: fn(wb, None)) if rows else fn))
        return fn(self._skeleton.wb, self._skeleton.rows) if rows else fn(self._skeleton.wb)

    def close(self) -> None:
        """Remove the skeleton's temporary files (``save_hub`` does this; harmless when there are none)."""
        if self._skeleton is not None:
            self._skeleton.close()
            self._skeleton = None

    @property
    def sheetnames(self) -> list[str]:
        """The sheet names in workbook order (read from the file's workbook part until the workbook is loaded)."""
        if self._wb is not None:
            return self._wb.sheetnames
        import zipfile

        from xl_awards.io.sheet_parts import sheet_parts

        with zipfile.ZipFile(self.path) as z:
            return [name for name, _, _ in sheet_parts(z)]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.workbook, name)

    def __getitem__(self, key):
        return self.workbook[key]

    def __contains__(self, key) -> bool:
        return key in self.workbook


class _Skeleton:
    """The hub with its sheets cut to their first rows (``sheet_parts.write_skeleton``), loaded with openpyxl."""

    def __init__(self, path: Path, keep: Iterable[str], replaced: Iterable[str] = ()):
        import shutil
        import tempfile

        from xl_awards.io.sheet_parts import write_skeleton

        self.folder = Path(tempfile.mkdtemp(prefix="xl-awards-"))
        try:
            self.file = self.folder / f"skeleton{path.suffix}"
            self.cut = write_skeleton(path, self.file, keep, bare=replaced)  # {title: part in the hub}
            self.bare = set(replaced)
            self.wb = _load_openpyxl(self.file)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.sheets = {ws.title: ws for ws in self.wb.worksheets}
        self.rows: dict = {}  # {openpyxl sheet made by an edit: its rows, written after the save (HubUpdate.edit)}
        self.before = {title: _values(ws) for title, ws in self.sheets.items()}

    def unchanged(self, title: str) -> bool:
        ws = self.sheets[title]
        return ws in self.wb.worksheets and ws.title == title and _values(ws) == self.before[title]

    def save(self, original: Path, writes) -> Path:
        """openpyxl's save of the edited skeleton with the cut sheets' rows put back; ``Unsupported`` when an
        edit changed a cut sheet or a sheet ``writes`` go to."""
        from xl_awards.io.sheet_parts import Unsupported, find_part, splice_sheets

        titles = list(self.sheets)
        for w in writes:
            found = find_part([(t, "", "") for t in titles], w.name)
            if found is not None and not self.unchanged(found[1]):
                raise Unsupported(f"{w.name} changed by an edit and written")
        from xl_awards.io.sheet_parts import _squash

        bare = {_squash(t) for t in self.bare}
        for title, ws in self.sheets.items():
            if _squash(title) in bare and ws in self.wb.worksheets:
                raise Unsupported(f"{title} held without its notes and kept by the edit")
        splice = {}
        for title, part in self.cut.items():
            ws = self.sheets.get(title)
            if ws is None or ws not in self.wb.worksheets:
                continue  # removed by the edit: its rows go with it
            if not self.unchanged(title):
                raise Unsupported(f"{title} cut and changed")
            splice[ws.title] = part
        saved = self.folder / f"saved{original.suffix}"
        self.wb.save(saved)
        if original.suffix.lower() == ".xlsm":
            restore_missing_parts(self.file.read_bytes(), saved)
        spliced = self.folder / f"spliced{original.suffix}"
        generated = {ws.title: rows for ws, rows in self.rows.items() if ws in self.wb.worksheets}
        splice_sheets(saved, original, spliced, splice, generated)
        return spliced

    def close(self) -> None:
        import shutil

        from xl_awards.io.workbook_files import close_macro_archive

        close_macro_archive(self.wb)
        shutil.rmtree(self.folder, ignore_errors=True)


def _values(ws) -> dict:
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}


def load_hub_for_update(path: str | Path) -> HubUpdate:
    """The hub workbook, opened for changes (``HubUpdate``).  ``InputError`` when it is not a readable workbook."""
    import zipfile

    path = Path(path)
    # the sheets are read later, each by the reader that bounds it (read_grids), or cut (sheet_parts)
    check_workbook_file(path, max_rows=HUB_MAX_ROWS, max_bytes=HUB_MAX_UNCOMPRESSED_BYTES, read_sheets=())
    try:
        with zipfile.ZipFile(path) as z:
            z.getinfo("xl/workbook.xml")
    except Exception as exc:
        raise input_error("corrupt", path, detail=error_detail(exc)) from None
    return HubUpdate(path)


def _load_openpyxl(path: Path):
    """The hub workbook as an openpyxl ``Workbook`` (macros kept for .xlsm).  ``InputError`` when unreadable."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True)
    except Exception as exc:
        raise input_error("corrupt", path, detail=error_detail(exc)) from None


def _openpyxl_of(wb):
    return wb.workbook if isinstance(wb, HubUpdate) else wb


def _sheet(wb, name: str):
    wanted = "".join(name.split())
    for ws in wb.worksheets:
        if "".join(ws.title.split()) == wanted:
            return ws
    return None


def _ensure_sheet(wb, sheet: SheetSchema):
    """The worksheet for ``sheet``, created (title, header) before the hidden sheets when missing."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    ws = _sheet(wb, sheet.name)
    if ws is not None:
        return ws
    visible = [i for i, w in enumerate(wb.worksheets) if w.sheet_state == "visible"]
    ws = wb.create_sheet(sheet.name, index=(visible[-1] + 1) if visible else None)
    ws.cell(row=1, column=1, value=sheet.name).font = Font(bold=True, size=14)
    for col, f in enumerate(sheet.fields, start=1):
        cell = ws.cell(row=2, column=col, value=f.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E2EFDA")
        if f.note:
            cell.comment = Comment(f.note, "xl-awards")
        ws.column_dimensions[column_letter(col - 1)].width = f.width
    ws.freeze_panes = "B3"
    return ws


def _header_columns(ws, sheet: SheetSchema) -> tuple[int, dict[str, int]]:
    """(1-based header row, {key: 1-based column}); schema fields without a column get one appended to the header."""
    grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10), values_only=True)]
    header_row, columns = find_header(grid, {f.label: f.key for f in sheet.fields})
    if header_row < 0:
        header_row = 1  # 0-based: row 2, under the title
        columns = {}
    excel_header = header_row + 1
    out = {key: col + 1 for key, col in columns.items()}
    header_cells = grid[header_row] if header_row < len(grid) else []
    used = [c + 1 for c, v in enumerate(header_cells) if v not in (None, "")]
    next_col = max([*used, *out.values(), 0]) + 1
    for f in sheet.fields:
        if f.key not in out:
            ws.cell(row=excel_header, column=next_col, value=f.header)
            out[f.key] = next_col
            next_col += 1
    return excel_header, out


def _set(cell, value: Any) -> None:
    if isinstance(value, bool):
        value = "是" if value else "否"
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _write_rows(ws, first_row: int, columns: dict[str, int], rows: Iterable[Mapping[str, Any]]) -> int:
    r = first_row
    for row in rows:
        for key, col in columns.items():
            value = row.get(key)
            if value is not None and value != "":
                _set(ws.cell(row=r, column=col), value)
        r += 1
    return r - first_row


def _update_filter(ws, header_row: int, columns: dict[str, int]) -> None:
    if ws.auto_filter and ws.auto_filter.ref:
        last_col = max(max(columns.values()), ws.max_column)
        last_row = max(ws.max_row, header_row + 1)
        ws.auto_filter.ref = f"A{header_row}:{column_letter(last_col - 1)}{last_row}"


def _queue(wb, mode: str, sheet: SheetSchema, rows: Iterable[Mapping[str, Any]]) -> int | None:
    """Keep the change in ``wb`` (a ``HubUpdate`` not loaded into openpyxl); None when it must go to openpyxl."""
    from xl_awards.io.sheet_parts import SheetWrite

    if not isinstance(wb, HubUpdate) or wb.loaded:
        return None
    if not isinstance(rows, Sequence):
        rows = list(rows)  # a Sequence (a list, or rows made on demand) is kept as it is
    wb.writes.append(SheetWrite(sheet.name, mode, sheet, rows))
    return len(rows)


def replace_sheet_rows(wb, sheet: SheetSchema, rows: Iterable[Mapping[str, Any]]) -> int:
    """Replace every data row below ``sheet``'s header with ``rows`` ({field key: value}); returns the count.

    The header is found by its labels; fields without a column are appended to
    the header.  Columns not in the schema (hub staff's own) are cleared too,
    since their rows no longer line up.
    """
    queued = _queue(wb, "replace", sheet, rows)
    return queued if queued is not None else _replace_rows(_openpyxl_of(wb), sheet, rows)


def append_sheet_rows(wb, sheet: SheetSchema, rows: Iterable[Mapping[str, Any]]) -> int:
    """Append ``rows`` after the last non-blank row below ``sheet``'s header (for ``操作日志``)."""
    queued = _queue(wb, "append", sheet, rows)
    return queued if queued is not None else _append_rows(_openpyxl_of(wb), sheet, rows)


def _replace_rows(wb, sheet: SheetSchema, rows: Iterable[Mapping[str, Any]]) -> int:
    ws = _ensure_sheet(wb, sheet)
    header_row, columns = _header_columns(ws, sheet)
    if ws.max_row > header_row:
        ws.delete_rows(header_row + 1, ws.max_row - header_row)
    count = _write_rows(ws, header_row + 1, columns, rows)
    _update_filter(ws, header_row, columns)
    return count


def _append_rows(wb, sheet: SheetSchema, rows: Iterable[Mapping[str, Any]]) -> int:
    ws = _ensure_sheet(wb, sheet)
    header_row, columns = _header_columns(ws, sheet)
    last = header_row
    for r in range(ws.max_row, header_row, -1):
        if any(ws.cell(row=r, column=c).value not in (None, "") for c in columns.values()):
            last = r
            break
    count = _write_rows(ws, last + 1, columns, rows)
    _update_filter(ws, header_row, columns)
    return count


def save_hub(wb, path: str | Path, *, make_backup: bool = True) -> Path | None:
    """Save the updated hub safely: stop if it is open (lock file) or read-only, keep a backup, write atomically.

    Returns the backup's path (None when ``make_backup`` is false or the file did not exist).
    ``InputError`` when the workbook is open, the backup or the write fails (the original is then
    untouched, and a backup made for this write is removed again).  After a write, only the newest
    ``backups_to_keep()`` backups are kept.
    """
    import os

    path = Path(path)
    check_not_open(path)
    _check_row_limit(wb, path)
    parts = isinstance(wb, HubUpdate) and not wb.loaded and path.exists() and wb.path.resolve() == path.resolve()
    if not parts:
        wb = _openpyxl_of(wb)
        refresh_workbench(wb)
    original = path.read_bytes() if not parts and path.suffix.lower() == ".xlsm" and path.exists() else None
    if path.exists() and (is_read_only(path) or not os.access(path.parent, os.W_OK)):
        raise input_error("hub_read_only", path)
    copy = None
    if make_backup and path.exists():
        try:
            copy = backup(path)
        except OSError as exc:
            raise input_error("backup_failed", path, detail=exc.strerror or type(exc).__name__) from None

    def write(tmp: Path) -> None:
        if parts:
            try:
                _write_parts(wb, tmp)
            finally:
                wb.close()
            return
        wb.save(tmp)
        if original is not None:
            restore_missing_parts(original, tmp)

    from xl_awards.io.sheet_parts import RowLimit

    try:
        write_atomically(path, write)
    except RowLimit as exc:
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise input_error("sheet_over_excel_rows", path, sheet=exc.name, rows=f"{exc.rows:,}",
                          limit=f"{exc.limit:,}", hint=ROW_LIMIT_HINTS.get(exc.name, ROW_LIMIT_HINT)) from None
    except OSError as exc:
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise input_error("write_failed", path, detail=exc.strerror or type(exc).__name__) from None
    if copy is not None:
        prune_backups(path)
    return copy


# What to do when a written sheet would not fit Excel's rows (the long forms of the review grow with
# applications x experts x rubric items).
ROW_LIMIT_HINTS = {
    "评分明细": "请在“设置”中填写“每项申报评审专家数”（减少每项申报的评审专家），重新生成专家评分工作簿后再收回",
    "评审分配": "请在“设置”中填写“每项申报评审专家数”（减少每项申报的评审专家）后再运行",
}
ROW_LIMIT_HINT = "请减少该表的行数后再运行"
WRITE_MAX_ROWS = HUB_MAX_ROWS  # a written sheet's last row at most (Excel's)


def _check_row_limit(wb, path: Path) -> None:
    """Refuse (``InputError``, nothing written) a replace whose rows cannot fit below a two-row title and header."""
    writes = wb.writes if isinstance(wb, HubUpdate) else []
    for w in writes:
        rows = len(w.rows) + 2
        if w.mode == "replace" and rows > WRITE_MAX_ROWS:
            raise input_error("sheet_over_excel_rows", path, sheet=w.name, rows=f"{rows:,}", limit=f"{WRITE_MAX_ROWS:,}",
                              hint=ROW_LIMIT_HINTS.get(w.name, ROW_LIMIT_HINT))


def _write_parts(update: HubUpdate, tmp: Path) -> None:
    """Write ``update`` into ``tmp`` part by part; through openpyxl when the part writer declines."""
    from xl_awards.io.sheet_parts import Unsupported, write_parts

    try:
        _create_missing_sheets(update)
        source = update._skeleton.save(update.path, update.writes) if update._skeleton is not None else update.path
        write_parts(source, tmp, update.writes, [_workbench_patch(update)])
        update.close()
        return
    except (Unsupported, KeyError, ValueError, IndexError, zipfile_error()):
        pass
    original = update.path.read_bytes() if update.path.suffix.lower() == ".xlsm" else None
    wb = update.workbook
    refresh_workbench(wb)
    wb.save(tmp)
    if original is not None:
        restore_missing_parts(original, tmp)
    from xl_awards.io.workbook_files import close_macro_archive

    close_macro_archive(wb)  # the update's workbook, loaded here: done with


def _create_missing_sheets(update: HubUpdate) -> None:
    """Sheets that ``update`` writes to but the hub does not have yet (评审分配, 评分明细 on the first run) are
    created, title and header, on the cut skeleton, so that the rows still go in part by part."""
    from xl_awards.io.sheet_parts import find_part

    parts = [(t, "", "") for t in update.sheetnames] if update._skeleton is None else \
        [(ws.title, "", "") for ws in update._skeleton.wb.worksheets]
    missing = [w.schema for w in update.writes if find_part(parts, w.name) is None]
    if missing:
        update.edit(lambda wb: [_ensure_sheet(wb, schema) for schema in missing])


def zipfile_error():
    import zipfile

    return zipfile.BadZipFile


def _workbench_patch(update: HubUpdate):
    """The 上次运行 cells of ``工作台`` as the log will be after ``update``'s appended rows."""
    from xl_awards.hub.workbench import last_run_column
    from xl_awards.io.sheet_parts import CellPatch
    from xl_awards.schema import workbench as W

    grids, _ = read_grids(update.path, only=H.LOG_SHEET, max_rows=HUB_MAX_ROWS, max_bytes=HUB_MAX_UNCOMPRESSED_BYTES)
    rows: list[dict[str, Any]] = []
    schema = hub_sheet_schema_for_log()
    for grid in grids.values():
        header, columns = find_header(grid[:10], {f.label: f.key for f in schema.fields})
        if header >= 0:
            rows = [{k: (r[c] if c < len(r) else None) for k, c in columns.items()} for r in grid[header + 1:]]
    squashed = "".join(H.LOG_SHEET.split())
    for w in update.writes:
        if "".join(w.name.split()) == squashed:
            rows = list(w.rows) if w.mode == "replace" else rows + list(w.rows)
    patch = CellPatch(H.WORKBENCH_SHEET)
    for i, text in enumerate(last_run_column(rows)):
        patch.cells[(W.FIRST_STEP_ROW + 1 + i, W.COL_LAST_RUN + 1)] = text
    return patch


def backup_text(copy: Path) -> str:
    """What a command prints about the backup it made."""
    return f"原工作簿已备份为 {copy.name}（只保留最近 {backups_to_keep()} 份备份，更早的已删除）"


# -- the .xlsm hub: 工作台 dates, and parts openpyxl drops ----------------------------------

def refresh_workbench(wb) -> None:
    """Rewrite the 上次运行 column of ``工作台`` (when present) from ``操作日志`` as it is in ``wb`` now."""
    from xl_awards.hub.workbench import last_run_column
    from xl_awards.schema import workbench as W

    bench = _sheet(wb, H.WORKBENCH_SHEET)
    log = _sheet(wb, H.LOG_SHEET)
    if bench is None:
        return
    rows: list[dict[str, Any]] = []
    if log is not None:
        grid = [list(r) for r in log.iter_rows(min_row=1, max_row=log.max_row, values_only=True)]
        schema = hub_sheet_schema_for_log()
        header, columns = find_header(grid[:10], {f.label: f.key for f in schema.fields})
        if header >= 0:
            rows = [{k: (r[c] if c < len(r) else None) for k, c in columns.items()} for r in grid[header + 1:]]
    for i, text in enumerate(last_run_column(rows)):
        bench.cell(row=W.FIRST_STEP_ROW + 1 + i, column=W.COL_LAST_RUN + 1).value = text


def hub_sheet_schema_for_log() -> SheetSchema:
    """The ``操作日志`` schema (its labels do not depend on the edition)."""
    from xl_awards.edition import load_edition

    return hub_sheet_schema(load_edition(), H.LOG_SHEET)


def restore_missing_parts(original: bytes, saved: Path) -> list[str]:
    """Copy back into ``saved`` every part a worksheet points at that openpyxl left out (returns their names).

    openpyxl keeps an ``.xlsm``'s ``vbaProject.bin`` and button drawings (``keep_vba``) but only VML
    parts named with one digit: ``vmlDrawing10.vml`` and up are dropped while the sheet still points
    at them.  The parts come from the file as it was before this save.
    """
    import io
    import posixpath
    import re
    import zipfile

    with zipfile.ZipFile(saved) as z:
        names = set(z.namelist())
        wanted = set()
        for name in names:
            if name.startswith("xl/worksheets/_rels/") and name.endswith(".rels"):
                for target in re.findall(r'Target="([^"]+)"', z.read(name).decode("utf-8")):
                    part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl/worksheets", target))
                    wanted.add(part)
    missing = sorted(wanted - names)
    if not missing:
        return []
    with zipfile.ZipFile(io.BytesIO(original)) as src:
        available = [m for m in missing if m in src.namelist()]
        if available:
            with zipfile.ZipFile(saved, "a", compression=zipfile.ZIP_DEFLATED) as out:
                for part in available:
                    out.writestr(part, src.read(part))
    return available


def hub_sheet_schema(edition: Edition, name: str) -> SheetSchema:
    """The schema of one hub sheet (``H.REGISTER_SHEET``, ``H.LOG_SHEET`` ...)."""
    return H.hub_sheet(H.build_hub_schema(edition), name)

"""Write findings back into a workbook: a ``校验结果`` sheet listing every finding (with a link to
its cell) and the offending cells highlighted (fill by severity, a comment with the message).

Writes a copy beside the input (``<stem>_校验结果<suffix>``) unless the caller names the input
itself; always through a temporary file and ``os.replace``.  Macros of an .xlsm are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from xl_awards.base.addresses import column_letter
from xl_awards.base.findings import SEVERITY_LABELS, Finding
from xl_awards.sheets.findings_sheet import (
    FILL_COLORS,
    FINDINGS_COLUMNS,
    FINDINGS_WIDTHS,
    SEVERITY_RANK,
    findings_by_cell,
    findings_rows,
    previous_marks,
    worst_severity,
)
from xl_awards.io.atomic import check_not_open, write_atomically
from xl_awards.io.sheet_parts import Unsupported
from xl_awards.io.workbook_files import close_macro_archive, error_detail, input_error, read_grids
from xl_awards.schema.intake import FINDINGS_SHEET

COPY_SUFFIX = "_校验结果"
COMMENT_AUTHOR = "校验"
FILLS = {severity: PatternFill("solid", fgColor=color) for severity, color in FILL_COLORS.items()}
NO_FILL = PatternFill(fill_type=None)
__all__ = ["write_findings", "default_output_path", "FINDINGS_COLUMNS", "FINDINGS_WIDTHS", "SEVERITY_RANK", "FILLS"]


def default_output_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{COPY_SUFFIX}{path.suffix}")


def _keep_text(ws, row: int) -> None:
    """Never let user text become a formula (openpyxl reads a string starting with ``=`` as one)."""
    for cell in ws[row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def write_findings(source: str | Path, findings: Sequence[Finding], output: str | Path | None = None) -> Path:
    """Write ``findings`` (those of this one workbook) into a copy of ``source`` (or ``output``).

    ``output`` equal to ``source`` writes in place (atomically; refused while the workbook is open in
    an office application).  Returns the path written.  ``InputError`` (one line, nothing written)
    when openpyxl cannot load the workbook or the output cannot be written.
    """
    source = Path(source)
    output = Path(output) if output is not None else default_output_path(source)
    check_not_open(output)  # the input itself (in place), or a copy left open from an earlier run
    made_folder = not output.parent.exists()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomically(output, lambda tmp: _write_on_skeleton(source, findings, tmp))
        except Unsupported:  # a sheet not laid out as the part writer expects: the whole workbook through openpyxl
            write_atomically(output, lambda tmp: _save(_load(source, source), findings, tmp))
    except BaseException as exc:
        if made_folder and output.parent.is_dir() and not any(output.parent.iterdir()):
            output.parent.rmdir()  # nothing written: no folder left behind either
        if isinstance(exc, OSError):
            raise input_error("write_failed", output, detail=exc.strerror or type(exc).__name__) from None
        raise
    return output


def _load(path: Path, source: Path):
    try:
        return load_workbook(path, keep_vba=source.suffix.lower() == ".xlsm", rich_text=False)
    except Exception as exc:  # the reader accepted it; openpyxl may still refuse an odd file
        raise input_error("write_back_unreadable", source, detail=error_detail(exc)) from None


def _save(wb, findings: Sequence[Finding], target: Path) -> None:
    """The findings written into ``wb`` (earlier marks cleared, ``校验结果`` made again, cells marked), saved as ``target``."""
    try:
        _clear_previous_marks(wb)
        if FINDINGS_SHEET in wb.sheetnames:
            index = wb.sheetnames.index(FINDINGS_SHEET)
            del wb[FINDINGS_SHEET]
            ws = wb.create_sheet(FINDINGS_SHEET, index)
        else:
            ws = wb.create_sheet(FINDINGS_SHEET, _findings_sheet_position(wb))
        _write_findings_sheet(ws, findings, wb.sheetnames)
        _mark_cells(wb, findings)
        wb.save(target)
    finally:
        close_macro_archive(wb)


def _write_on_skeleton(source: Path, findings: Sequence[Finding], target: Path) -> None:
    """``_save`` on the workbook with every sheet it leaves alone cut to its first rows, their rows put back
    after openpyxl's save (``sheet_parts``, as for the hub): openpyxl reads and writes only ``校验结果`` and
    the sheets with cells to mark or unmark.  A filled template's data sheets are megabytes of ``检查``
    formulas: 0.5 s a workbook through openpyxl whole.  ``Unsupported`` when the parts are not as expected."""
    import shutil
    import tempfile
    import zipfile
    import zlib

    from xl_awards.io.hub import restore_missing_parts
    from xl_awards.io.sheet_parts import sheet_parts, splice_sheets, write_skeleton

    try:
        with zipfile.ZipFile(source) as z:
            names = [title for title, _, _ in sheet_parts(z)]
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:  # the whole path words the refusal
        raise Unsupported(f"workbook parts: {exc}") from None
    marked = {sheet for sheet, _ in findings_by_cell(findings, names)}
    if FINDINGS_SHEET in names:
        grids, _ = read_grids(source, only=FINDINGS_SHEET)
        marked |= {sheet for sheet, _ in previous_marks(next(iter(grids.values()), [])[1:])}
    folder = Path(tempfile.mkdtemp(prefix="xl-awards-"))
    try:
        skeleton = folder / f"skeleton{source.suffix}"
        try:
            cut = write_skeleton(source, skeleton, keep=[FINDINGS_SHEET, *marked], stub_bytes=0)
        except (KeyError, zipfile.BadZipFile, UnicodeDecodeError, zlib.error) as exc:
            raise Unsupported(f"workbook parts: {exc}") from None
        saved = folder / f"saved{source.suffix}"
        _save(_load(skeleton, source), findings, saved)
        if source.suffix.lower() == ".xlsm":
            restore_missing_parts(skeleton.read_bytes(), saved)
        splice_sheets(saved, source, target, cut)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _findings_sheet_position(wb) -> int:
    """After the last visible sheet (hidden helper sheets stay at the end)."""
    position = 0
    for i, ws in enumerate(wb.worksheets):
        if ws.sheet_state == "visible":
            position = i + 1
    return position


def _write_findings_sheet(ws, findings: Sequence[Finding], sheet_names: list[str]) -> None:
    ws.append(list(FINDINGS_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(FINDINGS_WIDTHS):
        ws.column_dimensions[column_letter(i)].width = width
    ws.freeze_panes = "A2"
    for f, values in zip(findings, findings_rows(findings)):
        ws.append(values)
        r = ws.max_row
        _keep_text(ws, r)
        ws.cell(r, 7).alignment = Alignment(wrap_text=True, vertical="top")
        fill = FILLS.get(f.severity)
        if fill:
            ws.cell(r, 6).fill = fill
        if f.cell and f.sheet in sheet_names:
            link = ws.cell(r, 3)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}", display=f.cell)
            link.font = Font(color="0563C1", underline="single")
    ws.auto_filter.ref = f"A1:G{max(1, ws.max_row)}"


def _mark_cells(wb, findings: Sequence[Finding]) -> None:
    for (sheet, address), group in findings_by_cell(findings, wb.sheetnames).items():
        cell = wb[sheet][address]
        cell.fill = FILLS[worst_severity(group)]
        text = "\n".join(f"【{SEVERITY_LABELS[f.severity]}】{f.message}" for f in group)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 320, 40 + 30 * len(group)
        cell.comment = comment


def _clear_previous_marks(wb) -> None:
    """Cells marked by an earlier write-back into the same file lose their fill and comment."""
    if FINDINGS_SHEET not in wb.sheetnames:
        return
    for sheet, address in previous_marks(wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True)):
        if sheet not in wb.sheetnames:
            continue
        try:
            cell = wb[sheet][address]
        except (ValueError, KeyError):
            continue
        if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR:
            cell.comment = None
            cell.fill = NO_FILL

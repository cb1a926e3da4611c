"""Write findings back into a workbook: a ``校验结果`` sheet listing every finding (with a link to
its cell) and the offending cells highlighted (fill by severity, a comment with the message).

Writes a copy beside the input (``<stem>_校验结果<suffix>``) unless the caller names the input
itself; always through a temporary file and ``os.replace``.  Macros of an .xlsm are kept.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from xl_awards.errors import InputError
from xl_awards.findings import ERROR, INFO, SEVERITY_LABELS, WARNING, Finding
from xl_awards.schema.intake import FINDINGS_SHEET

FINDINGS_COLUMNS = ("序号", "工作表", "单元格", "行", "字段", "级别", "问题说明")
FINDINGS_WIDTHS = (6, 14, 8, 6, 18, 6, 80)
COPY_SUFFIX = "_校验结果"
COMMENT_AUTHOR = "校验"
FILLS = {
    ERROR: PatternFill("solid", fgColor="FFC7CE"),
    WARNING: PatternFill("solid", fgColor="FFEB9C"),
    INFO: PatternFill("solid", fgColor="DDEBF7"),
}
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
NO_FILL = PatternFill(fill_type=None)


def default_output_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{COPY_SUFFIX}{path.suffix}")


def _keep_text(ws, row: int) -> None:
    """Never let user text become a formula (openpyxl reads a string starting with ``=`` as one)."""
    for cell in ws[row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def write_findings(source: str | Path, findings: Sequence[Finding], output: str | Path | None = None) -> Path:
    """Write ``findings`` (those of this one workbook) into a copy of ``source`` (or ``output``).

    ``output`` equal to ``source`` writes in place (atomically).  Returns the path written.
    """
    source = Path(source)
    output = Path(output) if output is not None else default_output_path(source)
    keep_vba = source.suffix.lower() == ".xlsm"
    try:
        wb = load_workbook(source, keep_vba=keep_vba, rich_text=False)
    except Exception as exc:  # the reader accepted it; openpyxl may still refuse an odd file
        raise InputError(f"{source.name}：无法写入校验结果（{type(exc).__name__}）") from None

    _clear_previous_marks(wb)
    if FINDINGS_SHEET in wb.sheetnames:
        index = wb.sheetnames.index(FINDINGS_SHEET)
        del wb[FINDINGS_SHEET]
        ws = wb.create_sheet(FINDINGS_SHEET, index)
    else:
        ws = wb.create_sheet(FINDINGS_SHEET, _findings_sheet_position(wb))
    _write_findings_sheet(ws, findings, wb.sheetnames)
    _mark_cells(wb, findings)

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".xl_awards_", suffix=output.suffix, dir=output.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return output


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
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes = "A2"
    for n, f in enumerate(findings, start=1):
        ws.append([n, f.sheet, f.cell, f.row, f.field, SEVERITY_LABELS[f.severity], f.message])
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
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.cell and f.sheet in wb.sheetnames:
            by_cell[(f.sheet, f.cell)].append(f)
    for (sheet, address), group in by_cell.items():
        cell = wb[sheet][address]
        worst = min(group, key=lambda f: SEVERITY_RANK[f.severity])
        cell.fill = FILLS[worst.severity]
        text = "\n".join(f"【{SEVERITY_LABELS[f.severity]}】{f.message}" for f in group)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 320, 40 + 30 * len(group)
        cell.comment = comment


def _clear_previous_marks(wb) -> None:
    """Cells marked by an earlier write-back into the same file lose their fill and comment."""
    if FINDINGS_SHEET not in wb.sheetnames:
        return
    for values in wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True):
        if len(values) < 3 or not values[1] or not values[2]:
            continue
        sheet = str(values[1])
        if sheet not in wb.sheetnames:
            continue
        try:
            cell = wb[sheet][str(values[2])]
        except (ValueError, KeyError):
            continue
        if cell.comment is not None and cell.comment.author == COMMENT_AUTHOR:
            cell.comment = None
            cell.fill = NO_FILL

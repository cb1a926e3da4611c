"""The ``校验结果`` sheet as data (pure core): its columns, one row per finding, the cells to mark.

Shared by the openpyxl write-back (``xl_awards.io.findings_sheet``, the command line) and the
xlwings button (``xl_awards.excel.buttons.xl_validate``), so both write the same table and mark
the same cells with the same colours.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from xl_awards.base.findings import ERROR, INFO, SEVERITY_LABELS, WARNING, Finding
from xl_awards.base.messages import EFFECT_LABELS

# 申报对象 (who: 服务之星“张三”（第5行）) and 影响 (资格不符 / 待补正 / 待定) came later: appended so the
# older columns keep their places.
FINDINGS_COLUMNS = ("序号", "工作表", "单元格", "行", "字段", "级别", "问题说明", "申报对象", "影响")
FINDINGS_WIDTHS = (6, 14, 8, 6, 18, 6, 80, 30, 10)
SHEET_COLUMN, CELL_COLUMN = 1, 2  # 0-based positions of 工作表 and 单元格 in a row
# Fill colour of a marked cell, by severity (RRGGBB; Excel's light red / yellow / blue).
FILL_COLORS = {ERROR: "FFC7CE", WARNING: "FFEB9C", INFO: "DDEBF7"}
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


def findings_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    """One row per finding, in the order of ``FINDINGS_COLUMNS`` (header not included)."""
    return [
        [n, f.sheet, f.cell, f.row, f.field, SEVERITY_LABELS[f.severity], f.message, f.applicant,
         EFFECT_LABELS[f.effect] if f.severity == ERROR else ""]
        for n, f in enumerate(findings, start=1)
    ]


def findings_by_cell(findings: Iterable[Finding], sheet_names: Iterable[str]) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, A1 address) -> the findings about that cell, for cells on the given sheets (first-seen order)."""
    names = set(sheet_names)
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.cell and f.sheet in names:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    return by_cell


def worst_severity(group: Sequence[Finding]) -> str:
    return min((f.severity for f in group), key=SEVERITY_RANK.__getitem__)


def cells_to_mark(findings: Iterable[Finding], sheet_names: Iterable[str]) -> dict[tuple[str, str], str]:
    """(sheet, A1 address) -> fill colour (RRGGBB) of the worst finding about that cell."""
    return {key: FILL_COLORS[worst_severity(group)] for key, group in findings_by_cell(findings, sheet_names).items()}


def previous_marks(rows: Iterable[Sequence[Any]]) -> list[tuple[str, str]]:
    """The (sheet, address) pairs listed in an earlier ``校验结果`` sheet's data rows (header excluded)."""
    seen: dict[tuple[str, str], None] = {}
    for values in rows:
        if len(values) <= CELL_COLUMN:
            continue
        sheet, cell = values[SHEET_COLUMN], values[CELL_COLUMN]
        if sheet and cell and isinstance(sheet, str) and isinstance(cell, str):
            seen[(sheet.strip(), cell.strip().upper())] = None
    return list(seen)

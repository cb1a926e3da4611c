"""Write one 补正清单 workbook per city (XlsxWriter), ready to e-mail.

One sheet ``补正清单``: a title row, a header row, then one row per problem, the rows of one
applicant together (alternately shaded), each row complete (申报编号 … 来源行) so that it can be
filtered or read back.  An existing file is never overwritten: the new list is written beside it
as ``<name>(2).xlsx`` (then (3) …), and the caller reports the name used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import xlsxwriter

from xl_awards.hub.corrections import CorrectionLine
from xl_awards.io.atomic import write_atomically

SHEET = "补正清单"
COLUMNS = ("申报编号", "申报类别", "申报主体", "状态", "工作表", "单元格", "问题说明", "影响", "处理意见", "来源文件", "来源行")
WIDTHS = (12, 14, 26, 10, 14, 8, 70, 10, 36, 24, 8)
HEADER_ROW = 1  # 0-based: row 2 in Excel (row 1 is the title)


def file_name_for(city: str) -> str:
    """长沙市 -> 长沙市_补正清单.xlsx; 直报：集群直报.xlsx -> 直报_集群直报_补正清单.xlsx."""
    stem = re.sub(r"\.(xlsx|xlsm)$", "", city, flags=re.I)
    stem = re.sub(r"[\\/:*?\"<>|：\s]+", "_", stem).strip("_")
    return f"{stem}_补正清单.xlsx"


def free_path(path: Path) -> Path:
    """``path`` when no file is there, else the first free ``<stem>(n)<suffix>``."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        n += 1
    return candidate


def write_corrections_book(out_dir: str | Path, city: str, title: str, lines: Sequence[CorrectionLine]) -> Path:
    """Write ``lines`` for ``city`` into ``out_dir``; returns the path written (never an existing file's)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = free_path(out_dir / file_name_for(city))

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False})
        try:
            bold = wb.add_format({"bold": True, "font_size": 13})
            head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
            plain = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
            shaded = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#F2F2F2"})
            ws = wb.add_worksheet(SHEET)
            ws.write_string(0, 0, title, bold)
            for col, (label, width) in enumerate(zip(COLUMNS, WIDTHS)):
                ws.write_string(HEADER_ROW, col, label, head)
                ws.set_column(col, col, width)
            shade, previous = False, None
            for i, line in enumerate(lines, start=HEADER_ROW + 1):
                who = line.app_id or line.name
                if who != previous:
                    shade, previous = not shade, who
                fmt = shaded if shade else plain
                values = (line.app_id, line.award, line.name, line.status, line.sheet, line.cell, line.problem,
                          line.effect_label, line.todo, line.source_file)
                for col, value in enumerate(values):
                    ws.write_string(i, col, value or "", fmt)
                if line.source_row is not None:
                    ws.write_number(i, len(values), line.source_row, fmt)
                else:
                    ws.write_blank(i, len(values), None, fmt)
            ws.freeze_panes(HEADER_ROW + 1, 0)
            ws.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(lines), 1), len(COLUMNS) - 1)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(HEADER_ROW)
        finally:
            wb.close()

    return write_atomically(path, write)

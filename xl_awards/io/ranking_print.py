"""The ranking on paper, one list per sheet: ``<hub>_排名打印.xlsx`` beside the hub (written by ``rank``).

A sheet has a single print-title range, and the lists of ``排名`` each have their own header row
(expert columns, window metrics), so ``排名`` itself cannot repeat each list's header on its
continuation pages.  This workbook can: one sheet per list (and one for the window platforms that
do not take part), each with the list's title, counts and header row repeated at the top of every
page, A4 landscape at a readable scale (at least ``MIN_SCALE`` %; a list wider than the page
continues on pages to the right with 排名 / 申报编号 / 名称 repeated at the left), the page header
with the title and the print date, the footer "第 x 页，共 y 页", and the signature line
评审专家签字 / 日期 under the list.

The cells are the ``排名`` layout's (``xl_awards.sheets.ranking_sheet``): text as written, each
formula replaced by the value Python computed for it (the value the formula gives, checked in
LibreOffice by the ranking tests), so the file is a snapshot of one ranking, printed and signed
as it is.  The columns 申报类别 and 组别 are left out (the sheet is one list; its title names
both), so are columns empty throughout a list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_awards.base.addresses import column_index
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L
from xl_awards.sheets.ranking_sheet import (
    FILLS,
    GREY,
    STYLE_BLOCK_TITLE,
    STYLE_BOLD,
    STYLE_CENTER,
    STYLE_GREY,
    STYLE_LEFT,
    STYLE_NUMBER,
    STYLE_QUOTA_LINE,
    STYLE_SHEET_TITLE,
    STYLE_STRIKE,
    STYLE_WRAP_CENTER,
    RankingLayout,
)

SUFFIX = "_排名打印.xlsx"
A4 = 9
MIN_SCALE = 70  # per cent: the smallest scale a list is printed at
# Characters of column width one A4 landscape page holds at 100 % with the margins below (measured in
# LibreOffice's PDF: 105 to 110; 排名 at 70 % holds about 157).
PAGE_CHARACTERS = 108
LEFT_OUT = ("award", "tier")  # 申报类别, 组别: named by the sheet's title
REPEATED_LEFT = ("rank", "app_id", "name")  # on the pages to the right of a wide list
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def print_path(hub_path: str | Path) -> Path:
    hub_path = Path(hub_path)
    return hub_path.with_name(hub_path.stem + SUFFIX)


@dataclass
class PrintList:
    """One sheet: the title, the counts (text), the header row and the entries, then the signature line.

    ``title_row`` and ``summary_row`` are printed as one line of text each (their cells run across
    columns left out here); ``header_row`` and ``entries`` cell by cell in ``columns``.
    """

    name: str
    title_row: int
    summary_row: int | None
    header_row: int
    entries: list[int]
    signature_row: int | None
    columns: list[int] = field(default_factory=list)

    @property
    def repeat(self) -> int:
        """The rows printed at the top of every page: title, counts (when any), header."""
        return 3 if self.summary_row is not None else 2


def print_lists(layout: RankingLayout) -> list[PrintList]:
    """The lists of ``layout`` as print sheets: each ranked list, then the excluded platforms (if any)."""
    lists: list[PrintList] = []
    blocks = sorted(layout.blocks.values(), key=lambda b: b.title_row)
    signatures = {r for (r, _), v in layout.values.items() if v == L.SIGNATURE_LABEL}
    for b in blocks:
        signature = b.last_row + 1 if b.last_row + 1 in signatures else None
        lists.append(PrintList(_sheet_name(layout.values.get((b.title_row, 1))), b.title_row, b.summary_row,
                               b.header_row, list(range(b.first_row, b.last_row + 1)), signature))
    last_block_end = max((b.last_row + 1 for b in blocks), default=0)
    excluded = [r for r in range(last_block_end + 1, layout.last_row + 1) if (r, 1) in layout.values]
    if excluded and blocks:
        title, *entries = excluded
        lists.append(PrintList(_sheet_name(layout.values.get((title, 1))), title, None, blocks[0].header_row,
                               entries, None))
    skip = {layout.columns[k] for k in LEFT_OUT if k in layout.columns}
    owner = {}  # row -> the list it is printed in (entries and signature line)
    for i, pl in enumerate(lists):
        for r in [*pl.entries, *([pl.signature_row] if pl.signature_row else [])]:
            owner.setdefault(r, i)
    used: list[set[int]] = [set() for _ in lists]
    for (r, c), v in layout.values.items():
        i = owner.get(r)
        if i is not None and v not in (None, ""):
            used[i].add(c)
    names: set[str] = set()
    for i, pl in enumerate(lists):
        pl.columns = sorted(used[i] - skip)
        base, n = pl.name, 2
        while pl.name in names:
            pl.name = f"{base[:28]}({n})"
            n += 1
        names.add(pl.name)
    return lists


def line_text(layout: RankingLayout, values: "_Printed", row: int) -> str:
    """A row's cells as one line: the title as it is, the counts as 申报数 14　参评数 12 ..."""
    cells = [v for v in (values.get((row, c)) for c in range(1, values.last_column + 1)) if v not in (None, "")]
    parts: list[str] = []
    for v in cells:
        text = f"{v:g}" if isinstance(v, float) else str(v)
        if parts and isinstance(v, (int, float)):
            parts[-1] += f" {text}"
        else:
            parts.append(text)
    return "　".join(parts)


def _sheet_name(title: Any) -> str:
    text = str(title or H.RANKING_SHEET).split("（名额")[0]
    return INVALID_SHEET_CHARS.sub("", text)[:31] or H.RANKING_SHEET


def print_scale(widths: list[float]) -> int:
    """The largest whole per cent (at most 100, at least ``MIN_SCALE``) at which the columns fit one page across."""
    total = sum(widths) or 1
    return max(MIN_SCALE, min(100, math.floor(100 * PAGE_CHARACTERS / total)))


class _Printed:
    """Every cell of the layout as printed: formulas replaced by Python's value (None: blank).

    Only the formula cells' values are held here; the rest are the layout's own (the sheet of a
    large province has over a million cells)."""

    def __init__(self, layout: RankingLayout):
        self.values = layout.values
        self.expected: dict[tuple[int, int], Any] = {}
        for f in layout.formulas:
            if f.sheet != layout.sheet:
                continue
            m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", f.cell)
            if m:
                self.expected[(int(m.group(2)), column_index(m.group(1)) + 1)] = f.expected
        self.last_column = max((c for _, c in self.values), default=0)

    def get(self, cell: tuple[int, int]) -> Any:
        return self.expected[cell] if cell in self.expected else self.values.get(cell)


def _values(layout: RankingLayout) -> _Printed:
    return _Printed(layout)


class _Formats:
    def __init__(self, wb, layout: RankingLayout):
        self.wb = wb
        self.layout = layout
        self.cache: dict[tuple[str, ...], Any] = {}

    def get(self, keys: tuple[str, ...], bordered: bool):
        if (keys, bordered) not in self.cache:
            props: dict[str, Any] = {"valign": "vcenter", "border": 1 if bordered else 0}
            for key in keys:
                if key == STYLE_BOLD:
                    props["bold"] = True
                elif key == STYLE_SHEET_TITLE:
                    props.update(bold=True, font_size=14)
                elif key == STYLE_BLOCK_TITLE:
                    props.update(bold=True, font_size=12)
                elif key == STYLE_GREY:
                    props["font_color"] = f"#{GREY}"
                elif key == STYLE_STRIKE:
                    props.update(font_strikeout=True, font_color=f"#{GREY}")
                elif key in FILLS:
                    props["bg_color"] = f"#{FILLS[key]}"
                elif key == STYLE_WRAP_CENTER:
                    props.update(text_wrap=True, align="center")
                elif key == STYLE_CENTER:
                    props["align"] = "center"
                elif key == STYLE_LEFT:
                    props["align"] = "left"
                elif key == STYLE_NUMBER:
                    props["num_format"] = self.layout.number_format
                elif key == STYLE_QUOTA_LINE:
                    props["bottom"] = 5  # thick: the quota line
            self.cache[(keys, bordered)] = self.wb.add_format(props)
        return self.cache[(keys, bordered)]


def write_ranking_print(layout: RankingLayout, path: str | Path, title: str) -> Path:
    """Write the print workbook for ``layout`` to ``path`` (atomically); returns the path."""
    import xlsxwriter

    from xl_awards.io.atomic import write_atomically

    path = Path(path)
    values = _values(layout)
    lists = print_lists(layout)

    def write(tmp: Path) -> None:
        # rows are written in order, sheet by sheet: each row goes to the file when the next one starts
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "constant_memory": True})
        wb.set_properties({"title": f"{title}（打印）", "author": "省枢纽平台"})
        formats = _Formats(wb, layout)
        for pl in lists:
            ws = wb.add_worksheet(pl.name)
            widths = [layout.column_widths.get(c, 10) for c in pl.columns]
            for i, width in enumerate(widths):
                ws.set_column(i, i, width)
            ws.write_string(0, 0, line_text(layout, values, pl.title_row), formats.get((STYLE_BLOCK_TITLE,), False))
            ws.set_row(0, 22)
            out_r = 1
            if pl.summary_row is not None:
                ws.write_string(out_r, 0, line_text(layout, values, pl.summary_row), formats.get((STYLE_GREY,), False))
                out_r += 1
            for src_r in [pl.header_row, *pl.entries, *([pl.signature_row] if pl.signature_row else [])]:
                if src_r in layout.row_heights:
                    ws.set_row(out_r, layout.row_heights[src_r])
                bordered = src_r != pl.signature_row  # the header and the entries get cell borders
                for out_c, src_c in enumerate(pl.columns):
                    value = values.get((src_r, src_c))
                    keys = tuple(layout.styles.get((src_r, src_c), ()))
                    fmt = formats.get(keys, bordered) if (keys or bordered) else None
                    if value is None or value == "":
                        if fmt is not None:
                            ws.write_blank(out_r, out_c, None, fmt)
                    elif isinstance(value, bool):
                        ws.write_string(out_r, out_c, "是" if value else "否", fmt)
                    elif isinstance(value, str):
                        ws.write_string(out_r, out_c, value, fmt)
                    elif isinstance(value, (int, float)):
                        ws.write_number(out_r, out_c, value, fmt)
                    else:
                        ws.write(out_r, out_c, value, fmt)
                out_r += 1
            last_row = out_r - 1
            ws.set_paper(A4)
            ws.set_landscape()
            ws.set_print_scale(print_scale(widths))
            ws.set_margins(left=0.3, right=0.3, top=0.7, bottom=0.7)
            ws.set_header(f"&C{_escape(title)}&R{L.PRINT_HEADER_DATE}", {"margin": 0.3})
            ws.set_footer(f"&C{L.PRINT_FOOTER}", {"margin": 0.3})
            ws.repeat_rows(0, pl.repeat - 1)
            left = [i for i, c in enumerate(pl.columns) if c in {layout.columns.get(k) for k in REPEATED_LEFT}]
            if left and sum(widths) > PAGE_CHARACTERS * 100 / print_scale(widths):
                ws.repeat_columns(min(left), max(left))  # a list wider than the page: who each row is, on every page
            ws.freeze_panes(pl.repeat, 0)
            ws.print_area(0, 0, last_row, max(len(pl.columns) - 1, 0))
        wb.close()

    write_atomically(path, write)
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&&")

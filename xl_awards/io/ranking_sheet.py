"""Write the ``排名`` sheet (and its ``排名分析`` side sheet) into the hub workbook with openpyxl.

The ``排名`` sheet's content — every value and live formula, the workbook names, which cell
gets which style, the notes, and Python's expected value for each formula — is the pure
layout ``xl_awards.sheets.ranking_sheet.ranking_layout`` (read its docstring for what the sheet
shows).  The 计算排名 button writes the same layout through xlwings; this module applies it
with openpyxl: values (text always as text), fonts, fills, borders, alignment, number
formats, notes, column widths, names, page set-up; then writes ``排名分析`` (summary,
sensitivity, histogram / per-city / per-expert tables with native bar charts).
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName

from xl_awards.edition import Edition
from xl_awards.base.addresses import column_letter
from xl_awards.base.messages import RANK_STATUS_LABELS
from xl_awards.sheets.ranking_sheet import (  # noqa: F401  (Block, FormulaCell: re-exported for callers)
    FILLS,
    GREY,
    number_format,
    STYLE_BLOCK_TITLE,
    STYLE_BOLD,
    STYLE_CENTER,
    STYLE_FILL_HEADER,
    STYLE_GREY,
    STYLE_LEFT,
    STYLE_NUMBER,
    STYLE_PENDING,
    STYLE_QUOTA_LINE,
    STYLE_SHEET_TITLE,
    STYLE_STRIKE,
    STYLE_WRAP_CENTER,
    Block,
    FormulaCell,
    RankingLayout,
    find_sheet,
    ranking_layout,
)
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L
from xl_awards.scoring import CATEGORIES, SELECTED
from xl_awards.scoring.categories import REVIEWED_CATEGORIES

AUTHOR = "xl-awards"
THICK = Side(style="thick", color="000000")

FONTS = {
    STYLE_BOLD: Font(bold=True),
    STYLE_SHEET_TITLE: Font(bold=True, size=14),
    STYLE_BLOCK_TITLE: Font(bold=True, size=12),
    STYLE_GREY: Font(color=GREY),
    STYLE_STRIKE: Font(strike=True, color=GREY),
}
ALIGNMENTS = {
    STYLE_WRAP_CENTER: Alignment(wrap_text=True, vertical="center", horizontal="center"),
    STYLE_CENTER: Alignment(horizontal="center"),
    STYLE_LEFT: Alignment(horizontal="left"),
}
PATTERN_FILLS = {key: PatternFill("solid", fgColor=color) for key, color in FILLS.items()}
FILL_HEADER = PATTERN_FILLS[STYLE_FILL_HEADER]
FILL_PENDING = PATTERN_FILLS[STYLE_PENDING]


@dataclass
class WrittenRanking:
    formulas: list[FormulaCell]
    blocks: dict[str, Block]
    names: dict[str, str]  # defined name -> what it points at
    columns: dict[str, int]  # schema key -> column (1-based)
    fallbacks: list[str]  # names that could not point at 设置 (the value written in 排名 instead)
    zscore: bool
    layout: RankingLayout | None = None


def _sheet(wb, name: str):
    found = find_sheet(wb.sheetnames, name)
    return wb[found] if found is not None else None


def _fresh_sheet(wb, name: str, after: str | None = None):
    """Remove ``name`` if present and create it again at the same place (else after ``after``)."""
    old = _sheet(wb, name)
    if old is not None:
        index = wb.worksheets.index(old)
        wb.remove(old)
    else:
        anchor = _sheet(wb, after) if after else None
        index = wb.worksheets.index(anchor) + 1 if anchor is not None else len(wb.worksheets)
    return wb.create_sheet(name, index)


def settings_sheet(wb) -> tuple[str, list[list]] | None:
    """(name, values from A1) of the hub's ``设置`` sheet, as ``ranking_layout`` takes it."""
    ws = _sheet(wb, H.SETTINGS_SHEET)
    if ws is None:
        return None
    return ws.title, [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]


def _define(wb, name: str, ref: str) -> None:
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _style(cell, keys, number: str) -> None:
    for key in keys:  # in order: a later key of the same kind replaces an earlier one
        if key in FONTS:
            cell.font = FONTS[key]
        elif key in PATTERN_FILLS:
            cell.fill = PATTERN_FILLS[key]
        elif key in ALIGNMENTS:
            cell.alignment = ALIGNMENTS[key]
        elif key == STYLE_NUMBER:
            cell.number_format = number
        elif key == STYLE_QUOTA_LINE:
            cell.border = Border(bottom=THICK)


def apply_layout(wb, layout: RankingLayout, after: str | None = H.SCORES_SHEET, rows: dict | None = None):
    """(Re)create the layout's sheet in ``wb`` and write it: values, styles, notes, names, set-up.

    ``rows``: when given (the hub's skeleton, ``io.hub.HubUpdate.edit(..., rows=True)``), the cells'
    values and styles are not put into openpyxl but into ``rows[sheet]``, a ``LayoutRows`` written in
    place of the sheet's rows after the save; openpyxl gets one styled cell per distinct style and the
    noted cells.
    """
    ws = _fresh_sheet(wb, layout.sheet, after=after)
    if rows is not None:
        from xl_awards.io.layout_rows import LayoutRows, style_ids_of

        ids = style_ids_of(ws, layout.styles, lambda cell, keys: _style(cell, keys, layout.number_format))
        rows[ws] = LayoutRows(ws, layout.values, layout.formula_cells, layout.styles, layout.notes, ids)
    else:
        for (r, c), value in layout.values.items():
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str) and (r, c) not in layout.formula_cells:
                cell.data_type = "s"  # text is never a formula
        for (r, c), keys in layout.styles.items():
            _style(ws.cell(row=r, column=c), keys, layout.number_format)
    notes = layout.notes if rows is None else {cell: layout.notes[cell] for cell in [rows[ws].first_note] if cell}
    for (r, c), text in notes.items():
        ws.cell(row=r, column=c).comment = Comment(text, AUTHOR, width=260, height=90)
    for name, ref in layout.names.items():
        _define(wb, name, ref)
    for col, width in layout.column_widths.items():
        ws.column_dimensions[column_letter(col - 1)].width = width
    for row, height in layout.row_heights.items():
        ws.row_dimensions[row].height = height
    ws.freeze_panes = layout.freeze
    print_setup(ws, layout)
    return ws


# -- on paper ----------------------------------------------------------------------------
# 排名 is printed for the review meeting and filed signed.  Each list starts on a new page
# (a row break before its title; the excluded platforms too), A4 landscape at a fixed readable
# scale (70 %); the 22 columns print three pages across, split by column breaks after J (官网备案得分)
# and P, with 排名 / 申报编号 / 名称 repeated at the left of the later pages.  The page header has
# the title and the print date, the footer "第 x 页，共 y 页"; the signature line 评审专家签字 / 日期
# is the row under each list (ranking_layout).  Widths measured in LibreOffice's rendering:
# about 9.5 px per character of column width, so a 70 % page holds about 157 characters.
A4 = 9
PRINT_SCALE = 70  # per cent
COLUMN_BREAKS = (10, 16)  # after J and after P
TITLE_COLUMNS = "C:E"  # 排名, 申报编号, 名称 on the pages further right
ANALYSIS_SCALE = 70  # 排名分析: its tables (A..K, 152 characters) first, then one page per chart


def _page(ws, scale: int, title: str) -> None:
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = scale
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.center.text = title
    ws.oddHeader.right.text = L.PRINT_HEADER_DATE
    ws.oddFooter.center.text = L.PRINT_FOOTER


def print_setup(ws, layout: RankingLayout) -> None:
    from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak

    title = str(layout.values.get((1, 1)) or layout.sheet)
    _page(ws, PRINT_SCALE, title)
    ws.print_title_cols = TITLE_COLUMNS
    rows = RowBreak()
    starts = sorted(b.title_row for b in layout.blocks.values())
    last_block_end = max((b.last_row for b in layout.blocks.values()), default=0)
    excluded = [r for r in range(last_block_end + 2, layout.last_row + 1) if (r, 1) in layout.values]
    for row in [*starts[1:], *excluded[:1]]:
        rows.append(Break(id=row - 1))
    ws.row_breaks = rows
    cols = ColBreak()
    for col in COLUMN_BREAKS:
        if layout.last_column > col:
            cols.append(Break(id=col))
    ws.col_breaks = cols


# -- the analysis sheet ------------------------------------------------------------------
def _write_analysis(wb, ranking, edition: Edition) -> None:
    ws = _fresh_sheet(wb, L.ANALYSIS_SHEET, after=H.RANKING_SHEET)
    result, settings = ranking.result, ranking.data.settings
    bold = Font(bold=True)

    def put(r, c, value, *, b=False, number=False):
        cell = ws.cell(row=r, column=c, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if b:
            cell.font = bold
        if number:
            cell.number_format = number_format(settings.decimals)
        return cell

    def header(r, labels):
        for i, label in enumerate(labels, start=1):
            cell = put(r, i, label, b=True)
            cell.fill = FILL_HEADER

    def award_label(category):
        name = settings.award_name(category)
        if category == "window_city":
            return f"{name}（{L.TIER_CITY}）"
        if category == "window_county":
            return f"{name}（{L.TIER_COUNTY}）"
        return name

    put(1, 1, L.ANALYSIS_TITLE.format(title=edition.title)).font = Font(bold=True, size=14)
    r = 3
    put(r, 1, L.SUMMARY_TITLE, b=True)
    header(r + 1, L.SUMMARY_HEADERS)
    r += 2
    for category in CATEGORIES:
        s = result.categories[category].summary
        values = (award_label(category), s.quota, s.applications, s.eligible, s.selected, s.pending,
                  s.not_selected, s.prior_award, s.ineligible, s.too_few_scores)
        for i, v in enumerate(values, start=1):
            put(r, i, v)
        r += 1

    # sensitivity
    r += 1
    put(r, 1, L.SENSITIVITY_TITLE, b=True)
    header(r + 1, L.SENSITIVITY_HEADERS)
    r += 2
    sens = ranking.sensitivity
    for scenario in sens.scenarios:
        changes = sens.for_scenario(scenario.key)
        changed_lists = "、".join(settings.award_name(c) for c in scenario.categories)
        selection_changes = any(SELECTED in (ch.baseline_status, ch.alternative_status) for ch in changes)
        put(r, 1, scenario.label)
        put(r, 2, changed_lists)
        put(r, 3, len(changes))
        cell = put(r, 4, L.YES if selection_changes else L.NO, b=selection_changes)
        if selection_changes:
            cell.fill = FILL_PENDING
        r += 1
    r += 1
    put(r, 1, L.SENSITIVITY_DETAIL_TITLE, b=True)
    r += 1
    if not sens.changes:
        put(r, 1, L.SENSITIVITY_NONE)
        r += 1
    else:
        header(r, L.SENSITIVITY_DETAIL_HEADERS)
        r += 1
        labels = {s.key: s.label for s in sens.scenarios}
        for ch in sens.changes:
            values = (labels[ch.scenario], settings.award_name(ch.category), ch.id, ch.name, ch.city,
                      ch.baseline_rank, RANK_STATUS_LABELS[ch.baseline_status], ch.baseline_total,
                      ch.alternative_rank, RANK_STATUS_LABELS[ch.alternative_status], ch.alternative_total)
            for i, v in enumerate(values, start=1):
                put(r, i, v, number=i in (8, 11))
            r += 1

    # histogram of totals per list
    r += 1
    put(r, 1, L.HISTOGRAM_TITLE, b=True)
    hist_header = r + 1
    header(hist_header, (L.HISTOGRAM_BIN, *(award_label(c) for c in CATEGORIES)))
    r = hist_header + 1
    for low, high, label in L.HISTOGRAM_BINS:
        put(r, 1, label)
        for i, category in enumerate(CATEGORIES, start=2):
            n = sum(1 for e in result.categories[category].entries
                    if e.ranked and e.total is not None and e.total >= low and (high is None or e.total < high))
            put(r, i, n)
        r += 1
    hist_last = r - 1
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = L.CHART_HISTOGRAM
    chart.y_axis.title = L.AXIS_COUNT
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(CATEGORIES), min_row=hist_header, max_row=hist_last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=hist_header + 1, max_row=hist_last))
    _axes(chart)
    charts = [chart]

    # per city
    r += 1
    put(r, 1, L.CITY_TITLE, b=True)
    city_header = r + 1
    header(city_header, L.CITY_HEADERS)
    r = city_header + 1
    entries = [e for c in CATEGORIES for e in result.categories[c].entries]
    for city in edition.divisions.city_names:
        put(r, 1, city)
        put(r, 2, sum(1 for e in entries if e.city == city))
        put(r, 3, sum(1 for e in entries if e.city == city and e.status == SELECTED))
        r += 1
    city_last = r - 1
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = L.CHART_CITY
    chart.y_axis.title = L.AXIS_COUNT
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=city_header, max_row=city_last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=city_header + 1, max_row=city_last))
    chart.width = 22
    _axes(chart)
    charts.append(chart)

    # each expert's mean against the panel's
    r += 1
    put(r, 1, L.EXPERT_TITLE, b=True)
    expert_header = r + 1
    header(expert_header, L.EXPERT_HEADERS)
    r = expert_header + 1
    for row in expert_means(result):
        for i, v in enumerate(row, start=1):
            put(r, i, v, number=i >= 4)
        r += 1
    expert_last = r - 1
    if expert_last > expert_header:
        chart = BarChart()
        chart.type, chart.grouping = "col", "clustered"
        chart.title = L.CHART_EXPERT
        chart.y_axis.title = L.AXIS_SCORE
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=expert_header, max_row=expert_last),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=2, min_row=expert_header + 1, max_row=expert_last))
        chart.width = 24
        _axes(chart)
        charts.append(chart)
    for col, width in zip("ABCDEFGHIJK", (30, 22, 12, 16, 12, 10, 10, 10, 10, 10, 10)):
        ws.column_dimensions[col].width = width
    chart_pages = _place(ws, charts, r + 1)
    _analysis_print_setup(ws, L.ANALYSIS_TITLE.format(title=edition.title), [expert_header - 1, *chart_pages])


def _chart_rows(ws) -> list[int]:
    """The 1-based rows the charts of ``ws`` are anchored at."""
    rows = []
    for chart in ws._charts:
        anchor = chart.anchor
        if isinstance(anchor, str):
            rows.append(int("".join(ch for ch in anchor if ch.isdigit())))
        else:
            rows.append(anchor._from.row + 1)
    return rows


CHART_ROWS = 24  # rows a chart of height 9 cm covers (20 rows of LibreOffice's 12.8 pt), with a margin


def _analysis_print_setup(ws, title: str, page_rows: list[int]) -> None:
    """A page starts at each of ``page_rows``: the expert table's title, then each chart.

    The short tables share the first page, the expert table (one row per expert and award) starts
    its own, and each chart has a page of its own. Every page is in one band of columns (A..K), so
    no page is left empty beside a shorter table.
    """
    from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak

    _page(ws, ANALYSIS_SCALE, title)
    rows = RowBreak()
    for row in page_rows:
        if row > 1:
            rows.append(Break(id=row - 1))
    ws.row_breaks = rows
    ws.col_breaks = ColBreak()


def _axes(chart) -> None:
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    chart.height = 9
    chart.width = max(chart.width, 18)
    chart.legend.position = "b"


def _place(ws, charts: list, first_free_row: int) -> list[int]:
    """Anchor the charts in column A under the tables, ``CHART_ROWS`` apart; returns their pages' first rows.

    Each chart sits one row below the top of its page, so its frame never touches the page before.
    """
    pages = []
    at = first_free_row + 1
    for chart in charts:
        pages.append(at)
        ws.add_chart(chart, f"A{at + 1}")
        at += CHART_ROWS
    return pages


def expert_means(result) -> list[tuple[str, str, int, float, float]]:
    """(expert, award, counted scores, the expert's mean, the panel's mean) per expert and reviewed award."""
    rows = []
    for category in REVIEWED_CATEGORIES:
        cat = result.categories[category]
        by_expert: dict[str, list[float]] = {}
        names: dict[str, str] = {}
        for e in cat.entries:
            for line in e.scores:
                if line.counted and line.score is not None:
                    by_expert.setdefault(line.expert_id, []).append(line.score)
                    names[line.expert_id] = line.expert_name
        everything = [s for scores in by_expert.values() for s in scores]
        if not everything:
            continue
        panel = sum(everything) / len(everything)
        for expert_id in sorted(by_expert):
            scores = by_expert[expert_id]
            rows.append((f"{expert_id} {names[expert_id]}".strip(), cat.award_name, len(scores),
                         sum(scores) / len(scores), panel))
    return rows


def write_ranking_sheets(wb, ranking, edition: Edition, rows: dict | None = None) -> WrittenRanking:
    """Write ``排名`` and ``排名分析`` into the openpyxl workbook ``wb`` (the caller saves it; ``rows``: see
    ``apply_layout``)."""
    layout = ranking_layout(ranking, edition, settings_sheet(wb))
    apply_layout(wb, layout, rows=rows)
    _write_analysis(wb, ranking, edition)
    return WrittenRanking(layout.formulas, layout.blocks, layout.names, layout.columns, layout.fallbacks,
                          layout.zscore, layout)

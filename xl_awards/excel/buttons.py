"""The workbook buttons: one thin ``xl_`` function per button around the same core as the command line.

Every sheet is read in one call (``sheet.range(A1:last used cell).value``) and every table is
written in one call (``range.value = rows``; the ``排名`` sheet, constants and live formulas
together, with one ``range.formula = grid``); only fill colours go cell by cell, and only for the
cells a finding names (plus the cells an earlier run marked, to clear them) — 排名's colours and
number formats go one call per rectangle of the layout.

In Excel the buttons call these through the xlwings add-in (``macros/*.bas``)::

    RunPython "import xl_awards.excel.buttons as b; b.xl_validate()"

With no argument the function works on ``xw.Book.caller()``, the workbook whose button was
pressed; the tests pass a remote-engine book (``xw.Book(json=payload)``) instead.
"""

from __future__ import annotations

from typing import Any, Sequence

import xlwings as xw

from xl_awards.intake.cells import FORMULA_PREFIXES
from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import InputError
from xl_awards.base.findings import Finding, count_by_severity
from xl_awards.sheets.findings_sheet import FINDINGS_COLUMNS, cells_to_mark, findings_rows, previous_marks
from xl_awards.intake.intake_book import book_from_grids
from xl_awards.sheets.ranking_sheet import (
    FILLS,
    STYLE_NUMBER,
    STYLE_PENDING,
    STYLE_QUOTA_LINE,
    STYLE_SELECTED,
    STYLE_TIE,
    find_sheet,
    ranking_layout,
)
from xl_awards.schema.intake import FINDINGS_SHEET
from xl_awards.intake.validation import validate_books

# What the buttons say (message-box title and summary lines).
VALIDATE_TITLE = "校验"
VALIDATE_CLEAN = "校验完成：未发现问题。"
VALIDATE_SUMMARY = "校验完成：错误 {error} 个，警告 {warning} 个，提示 {info} 个。详见“{sheet}”工作表，问题单元格已标色。"

Grid = list[list[Any]]


# -- reading and writing whole ranges -----------------------------------------------------
def sheet_grid(sheet) -> Grid:
    """The sheet's values from A1 to its last used cell, read in one call (rows of equal length)."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [list(row) for row in values]


def read_grids(book) -> dict[str, Grid]:
    """Every sheet of ``book`` as a grid starting at A1, one read per sheet."""
    return {sheet.name: sheet_grid(sheet) for sheet in book.sheets}


def as_text(value: Any) -> Any:
    """A string Excel would take for a formula gets the text prefix ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(sheet, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> None:
    """Clear ``sheet`` and write ``header`` + ``rows`` from A1 in one call (text never becomes a formula)."""
    sheet.clear()
    table = [list(header)] + [[as_text(v) for v in row] for row in rows]
    sheet.range((1, 1)).value = table


def _is_visible(sheet) -> bool:
    try:
        return bool(sheet.visible)
    except (KeyError, AttributeError, NotImplementedError):
        return True


def ensure_sheet(book, name: str):
    """The sheet called ``name``; added after the last visible sheet when missing."""
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    visible = [s for s in book.sheets if _is_visible(s)]
    after = visible[-1] if visible else book.sheets[len(book.sheets) - 1]
    return book.sheets.add(name, after=after)


def _hex(color: str) -> str:
    return "#" + color


def alert(book, prompt: str, title: str) -> None:
    """A message box where the engine has one (Excel, the remote clients); silently nothing elsewhere."""
    try:
        book.app.alert(prompt, title)
    except (NotImplementedError, AttributeError):
        pass


# -- 校验 (city intake workbook) --------------------------------------------------------------
def validation_summary(findings: Sequence[Finding]) -> str:
    counts = count_by_severity(findings)
    if not findings:
        return VALIDATE_CLEAN
    return VALIDATE_SUMMARY.format(sheet=FINDINGS_SHEET, **counts)


def write_findings(book, findings: Sequence[Finding], previous: Grid | None) -> None:
    """The ``校验结果`` sheet (same table as ``xl-awards validate --write-back``) and the cell colours.

    ``previous`` is the earlier ``校验结果`` grid (header included), whose marked cells are
    cleared unless a finding names them again.
    """
    names = [s.name for s in book.sheets]
    marks = cells_to_mark(findings, names)
    for sheet_name, address in previous_marks((previous or [])[1:]):
        if (sheet_name, address) not in marks and sheet_name in names:
            try:
                book.sheets[sheet_name].range(address).color = None
            except Exception:  # an address an earlier run (or a user) left that is no longer a cell
                continue
    sheet = ensure_sheet(book, FINDINGS_SHEET)
    write_table(sheet, FINDINGS_COLUMNS, findings_rows(findings))
    for (sheet_name, address), color in marks.items():
        book.sheets[sheet_name].range(address).color = _hex(color)
    if findings:
        sheet.activate()


def xl_validate(book=None, edition: Edition | None = None) -> str:
    """校验: check the open intake workbook, write ``校验结果`` and mark the offending cells.

    Returns (and shows) a one-line Chinese summary; unreadable input is shown as its one
    line (``InputError``), the workbook left as it was.
    """
    book = book or xw.Book.caller()
    edition = edition or load_edition()
    grids = read_grids(book)
    previous = grids.pop(FINDINGS_SHEET, None)
    try:
        intake = book_from_grids(book.name, grids, edition)
    except InputError as exc:
        alert(book, str(exc), VALIDATE_TITLE)
        return str(exc)
    findings = validate_books([intake], edition)
    write_findings(book, findings, previous)
    summary = validation_summary(findings)
    alert(book, summary, VALIDATE_TITLE)
    return summary


# -- 计算排名 (hub workbook) ------------------------------------------------------------------
RANK_TITLE = "计算排名"
RANK_DONE = ("“{sheet}”已更新：排名、有效评分数、专家评审得分、总分均为公式（与命令 xl-awards rank 写入的相同），"
             "点击单元格可查看计算过程。单元格批注和“排名分析”（敏感性分析、图表）请用命令 xl-awards rank 生成。")
RANK_FINDINGS = "发现问题：错误 {error} 个，警告 {warning} 个，提示 {info} 个（命令 xl-awards rank 列出明细）。"
# The button's share of the layout's styling: the 2-decimal format, the status colours and the
# quota line (fonts, notes, widths and charts are the command line's).
BUTTON_FILLS = (STYLE_SELECTED, STYLE_PENDING, STYLE_TIE)


def define_name(book, name: str, refers_to: str) -> None:
    """Point the workbook name ``name`` at ``refers_to`` (``=...``), replacing an earlier definition."""
    if name in book.names:
        book.names[name].delete()
    book.names.add(name, refers_to)


def write_ranking_layout(book, layout) -> Any:
    """Write the ``排名`` layout (``xl_awards.sheets.ranking_sheet``) into ``book``; returns the sheet.

    The old content is cleared in one call, the workbook names are (re)defined before the
    formulas that use them, the whole grid — constants and ``=...`` formulas — goes in with one
    ``range.formula = grid``, then one call per rectangle of number format, fill or quota line.
    """
    sheet = ensure_sheet(book, layout.sheet)
    sheet.clear()
    for name, target in layout.names.items():
        define_name(book, name, "=" + target)
    grid = layout.formula_grid()
    if grid:
        sheet.range((1, 1)).formula = grid
    for r1, c1, r2, c2 in layout.ranges(STYLE_NUMBER):
        sheet.range((r1, c1), (r2, c2)).number_format = layout.number_format
    for key in BUTTON_FILLS:
        for r1, c1, r2, c2 in layout.ranges(key):
            sheet.range((r1, c1), (r2, c2)).color = _hex(FILLS[key])
    for r1, c1, r2, c2 in layout.ranges(STYLE_QUOTA_LINE):
        rng = sheet.range((r1, c1), (r2, c2))
        if not hasattr(rng, "borders"):  # xlwings before 0.37.x (the last release for Python 3.10 lacks it)
            continue
        border = rng.borders["edge_bottom"]
        border.line_style = "continuous"
        border.weight = "thick"
    return sheet


def _append_log(book, hub, values: dict[str, Any]) -> None:
    """``values`` (the row ``xl-awards rank`` logs) on ``操作日志`` under its last row, in one write."""
    from xl_awards.schema import hub as H

    table = hub.table(H.LOG_SHEET)
    if table is None:
        return
    columns = {k: c for k, c in table.columns.items() if k in values}
    if not columns:
        return
    first, last = min(columns.values()), max(columns.values())
    row = [None] * (last - first + 1)
    for key, col in columns.items():
        row[col - first] = as_text(values[key])
    next_row = max([table.header_row] + [r for r, _ in table.rows]) + 1
    book.sheets[table.sheet_name].range((next_row, first + 1)).value = [row]


def xl_rank(book=None, edition: Edition | None = None) -> str:
    """计算排名: rank all six lists from the open hub workbook and write ``排名`` with live formulas.

    The ranking is ``xl_awards.hub.scoring_inputs.compute_ranking`` and the sheet is
    ``xl_awards.sheets.ranking_sheet.ranking_layout`` — the same as ``xl-awards rank`` writes (the
    command adds notes, fonts and the ``排名分析`` sheet with charts).  Returns (and shows) a
    Chinese summary; an unreadable hub is its one line, nothing written.
    """
    from xl_awards.hub.hub_book import hub_book_from_grids
    from xl_awards.jobs.rank import RankRun, log_row, summary_lines
    from xl_awards.hub.scoring_inputs import compute_ranking
    from xl_awards.schema import hub as H

    book = book or xw.Book.caller()
    edition = edition or load_edition()
    grids = read_grids(book)
    try:
        hub = hub_book_from_grids(book.name, grids, edition)
        ranking = compute_ranking(hub)
    except InputError as exc:
        alert(book, str(exc), RANK_TITLE)
        return str(exc)
    findings = list(hub.findings) + ranking.findings
    settings_name = find_sheet(grids, H.SETTINGS_SHEET)
    settings = (settings_name, grids[settings_name]) if settings_name is not None else None
    layout = ranking_layout(ranking, hub.edition, settings)
    sheet = write_ranking_layout(book, layout)
    _append_log(book, hub, log_row(book.name, ranking, findings))
    sheet.activate()
    run = RankRun(ranking=ranking, findings=findings, written=layout, backup=None, edition=hub.edition)
    lines = [RANK_DONE.format(sheet=H.RANKING_SHEET), *summary_lines(run),
             RANK_FINDINGS.format(**count_by_severity(findings))]
    summary = "\n".join(lines)
    alert(book, summary, RANK_TITLE)
    return summary

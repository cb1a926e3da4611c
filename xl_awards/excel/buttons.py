"""The workbook buttons: one thin ``xl_`` function per button around the same core as the command line.

Every sheet is read in one call (``sheet.range(A1:last used cell).value``) and every table is
written in one call (``range.value = rows``); only fill colours go cell by cell, and only for the
cells a finding names (plus the cells an earlier run marked, to clear them).

In Excel the buttons call these through the xlwings add-in (``macros/*.bas``)::

    RunPython "import xl_awards.excel.buttons as b; b.xl_validate()"

With no argument the function works on ``xw.Book.caller()``, the workbook whose button was
pressed; the tests pass a remote-engine book (``xw.Book(json=payload)``) instead.
"""

from __future__ import annotations

from typing import Any, Sequence

import xlwings as xw

from xl_awards.edition import Edition, load_edition
from xl_awards.errors import InputError
from xl_awards.findings import Finding, count_by_severity
from xl_awards.findings_sheet import FINDINGS_COLUMNS, cells_to_mark, findings_rows, previous_marks
from xl_awards.intake_book import book_from_grids
from xl_awards.schema.intake import FINDINGS_SHEET
from xl_awards.validation import validate_books

FORMULA_PREFIXES = ("=", "+", "-", "@")  # text starting with these is written as text (Excel's ' prefix)

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
RANK_DONE = "“{sheet}”已更新（数值表；带公式和图表的排名表请用命令 xl-awards rank 生成）。"
RANK_FINDINGS = "发现问题：错误 {error} 个，警告 {warning} 个，提示 {info} 个（命令 xl-awards rank 列出明细）。"
NUMBER_FORMAT = "0.00"  # shown with 2 decimals; the cells hold full precision (SPEC section 5)
DECIMAL_KEYS = ("expert_score", "portal_score", "total")


def ranking_table(ranking, edition: Edition) -> tuple[list[str], list[list[Any]]]:
    """The ``排名`` sheet as one table: the ``排名`` schema's columns, every list in ``rank --json`` order.

    ``ranking`` is ``xl_awards.ranking.compute_ranking(hub)`` (what ``xl-awards rank`` ranks).
    Values only: the command line's sheet adds live formulas, formatting and charts.
    """
    from xl_awards.messages import RANK_STATUS_LABELS
    from xl_awards.schema import hub as H
    from xl_awards.schema import ranking as L
    from xl_awards.scoring.settings import CATEGORIES, WEIGHTED_CATEGORIES

    schema = H.hub_sheet(H.build_hub_schema(edition), H.RANKING_SHEET)
    keys = [f.key for f in schema.fields]
    settings = ranking.data.settings
    tiers = {"window_city": L.TIER_CITY, "window_county": L.TIER_COUNTY}
    rows = []
    for category in CATEGORIES:
        window = category in tiers
        for e in ranking.result.categories[category].entries:
            values = {
                "award": settings.award_name(category),
                "tier": tiers.get(category, ""),
                "rank": e.rank,
                "app_id": "" if window else e.id,
                "name": e.name,
                "unit": ranking.data.units.get((category, e.id), ""),
                "city": e.city,
                "score_count": None if window else e.counted,
                "expert_score": None if window else e.expert_score,
                "portal_score": e.portal_score if category in WEIGHTED_CATEGORIES else None,
                "total": e.total,
                "status": RANK_STATUS_LABELS[e.status],
                "remark": e.reason,
            }
            rows.append([values.get(k) for k in keys])
    return [f.label for f in schema.fields], rows


def _append_log(book, hub, entries: int, findings: Sequence[Finding]) -> None:
    """One row on ``操作日志`` under its last row, in one write (as ``xl-awards rank`` logs)."""
    from xl_awards.findings import SEVERITY_LABELS
    from xl_awards.jobs.expert_sheets import current_user, now_text
    from xl_awards.schema import hub as H
    from xl_awards.schema import ranking as L

    table = hub.table(H.LOG_SHEET)
    if table is None:
        return
    counts = count_by_severity(findings)
    values = {"time": now_text(), "user": current_user(), "action": L.LOG_ACTION, "file": book.name,
              "count": entries, "findings": "，".join(f"{SEVERITY_LABELS[s]}{n}" for s, n in counts.items())}
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
    """计算排名: rank all six lists from the open hub workbook and write ``排名`` (values) in one range.

    The ranking is ``xl_awards.ranking.compute_ranking`` — the same as ``xl-awards rank``.
    Returns (and shows) a Chinese summary; an unreadable hub is its one line, nothing written.
    """
    from xl_awards.hub_book import hub_book_from_grids
    from xl_awards.jobs.rank import RankRun, summary_lines
    from xl_awards.ranking import compute_ranking
    from xl_awards.schema import hub as H

    book = book or xw.Book.caller()
    edition = edition or load_edition()
    try:
        hub = hub_book_from_grids(book.name, read_grids(book), edition)
        ranking = compute_ranking(hub)
    except InputError as exc:
        alert(book, str(exc), RANK_TITLE)
        return str(exc)
    findings = list(hub.findings) + ranking.findings
    header, rows = ranking_table(ranking, hub.edition)
    sheet = ensure_sheet(book, H.RANKING_SHEET)
    write_table(sheet, header, rows)
    if rows:
        keys = [f.key for f in H.hub_sheet(H.build_hub_schema(hub.edition), H.RANKING_SHEET).fields]
        cols = [keys.index(k) + 1 for k in DECIMAL_KEYS]
        sheet.range((2, min(cols)), (len(rows) + 1, max(cols))).number_format = NUMBER_FORMAT
    _append_log(book, hub, len(rows), findings)
    sheet.activate()
    run = RankRun(ranking=ranking, findings=findings, written=None, backup=None, edition=hub.edition)
    lines = [RANK_DONE.format(sheet=H.RANKING_SHEET), *summary_lines(run),
             RANK_FINDINGS.format(**count_by_severity(findings))]
    summary = "\n".join(lines)
    alert(book, summary, RANK_TITLE)
    return summary

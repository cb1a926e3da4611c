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

from pathlib import Path
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


def refresh_workbench(book, grids: dict[str, Grid], log_rows) -> None:
    """The ``工作台`` 上次运行 column (when the sheet is there) from ``log_rows``, in one write."""
    from xl_awards.hub.workbench import last_run_column
    from xl_awards.schema import workbench as W

    if W.WORKBENCH_SHEET not in grids:
        return
    column = [[text] for text in last_run_column(log_rows)]
    book.sheets[W.WORKBENCH_SHEET].range((W.FIRST_STEP_ROW + 1, W.COL_LAST_RUN + 1)).value = column


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
    new_log = log_row(book.name, ranking, findings)
    _append_log(book, hub, new_log)
    refresh_workbench(book, grids, [row for _, row in hub.rows(H.LOG_SHEET)] + [new_log])
    sheet.activate()
    run = RankRun(ranking=ranking, findings=findings, written=layout, backup=None, edition=hub.edition)
    lines = [RANK_DONE.format(sheet=H.RANKING_SHEET), *summary_lines(run),
             RANK_FINDINGS.format(**count_by_severity(findings))]
    summary = "\n".join(lines)
    alert(book, summary, RANK_TITLE)
    return summary


# -- 清除标记 (city intake workbook) ----------------------------------------------------------
CLEAR_TITLE = "清除标记"
CLEAR_DONE = "已清除上次校验标记的 {count} 个单元格的底色，并清空“{sheet}”。填报内容未改动。"


def xl_clear_marks(book=None) -> str:
    """清除标记: uncolour every cell the last 校验 marked and leave ``校验结果`` with its header only."""
    book = book or xw.Book.caller()
    names = [s.name for s in book.sheets]
    if FINDINGS_SHEET not in names:
        message = CLEAR_DONE.format(count=0, sheet=FINDINGS_SHEET)
        alert(book, message, CLEAR_TITLE)
        return message
    previous = sheet_grid(book.sheets[FINDINGS_SHEET])
    count = 0
    for sheet_name, address in previous_marks(previous[1:]):
        if sheet_name in names:
            try:
                book.sheets[sheet_name].range(address).color = None
                count += 1
            except Exception:  # an address that is no longer a cell
                continue
    write_table(book.sheets[FINDINGS_SHEET], FINDINGS_COLUMNS, [])
    message = CLEAR_DONE.format(count=count, sheet=FINDINGS_SHEET)
    alert(book, message, CLEAR_TITLE)
    return message


# -- the other hub steps: the command's job function on a copy of the saved workbook ---------
# A job function rewrites the hub file (openpyxl, backup, atomic save), which Excel holds open.
# The button runs that same function on a copy of the saved file in a temporary folder (with the
# hub's review key beside it), then writes back into the open workbook every sheet whose content
# changed, one range per sheet — so the number of Excel calls depends on the sheets, not the rows.
STEP_NEEDS_SAVE = "请先保存本工作簿（按钮读取已保存的文件），再点击按钮。"
STEP_NO_FILES = "没有选择文件：请点击按钮后在对话框中选择文件或文件夹。"
STEP_BAD_DATE = "“{step}”的“填写”单元格应为日期（如 2022-10-10），现为“{value}”。"
STEP_DONE = "{step}完成。{detail}"
STEP_NOT_DONE = "{step}未完成，工作簿未改动。{detail}"


class StepNotDone(Exception):
    """Raised by a button's job when its command wrote nothing (the text says why); nothing is written back."""


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def workbench_inputs(grids: dict[str, Grid]) -> dict[str, Any]:
    """{step key: the value of its 填写 cell} from the ``工作台`` grid (missing sheet: {})."""
    from xl_awards.schema import workbench as W

    grid = grids.get(W.WORKBENCH_SHEET)
    if not grid:
        return {}
    out = {}
    for i, step in enumerate(W.HUB_STEPS):
        r = W.FIRST_STEP_ROW + i
        if r < len(grid) and W.COL_INPUT < len(grid[r]):
            out[step.key] = grid[r][W.COL_INPUT]
    return out


def picked_files(value: Any) -> list[Path]:
    """The workbooks in a 填写 cell: one path per line; a folder stands for the workbooks in it."""
    files: list[Path] = []
    for line in _cell_text(value).splitlines():
        path = Path(line.strip().strip('"'))
        if not line.strip():
            continue
        if path.is_dir():
            files += sorted(p for p in path.iterdir()
                            if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", ".")))
        else:
            files.append(path)
    return files


def _as_date(value: Any, step: str):
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    try:
        return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise InputError(STEP_BAD_DATE.format(step=step, value=text)) from None


def _file_grid(path: Path) -> dict[str, Grid]:
    """Every sheet of the saved file as a grid from A1: formulas as ``=...`` text, values as they are."""
    import openpyxl

    wb = openpyxl.load_workbook(path, keep_vba=False)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            rows.append([c.value if c.data_type == "f" else as_text(c.value) for c in row])
        out[ws.title] = rows
    return out


def _trimmed(grid: Grid) -> Grid:
    rows = [list(r) for r in grid]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v not in (None, "")), default=0) for r in rows), default=0)
    return [[(None if v == "" else v) for v in (r + [None] * width)[:width]] for r in rows]


def write_back_changes(book, before: dict[str, Grid], after: dict[str, Grid]) -> list[str]:
    """Write into ``book`` each sheet of ``after`` that differs from ``before`` (one clear + one write per sheet)."""
    changed = []
    for name, grid in after.items():
        new = _trimmed(grid)
        if name in before and _trimmed(before[name]) == new:
            continue
        sheet = ensure_sheet(book, name)
        sheet.clear_contents()
        if new:
            sheet.range((1, 1)).value = new
        changed.append(name)
    return changed


def run_hub_job(book, step_key: str, job, hub_file: str | Path | None = None) -> str:
    """Run ``job(copy_path, inputs, hub_folder) -> detail text`` on a copy of the saved hub; write back what changed."""
    import shutil
    import tempfile

    from xl_awards.io.expert_book import key_file_path
    from xl_awards.schema import workbench as W

    step = W.hub_step(step_key)
    book = book or xw.Book.caller()
    source = Path(hub_file) if hub_file is not None else Path(book.fullname)
    if not source.is_file():
        alert(book, STEP_NEEDS_SAVE, step.caption)
        return STEP_NEEDS_SAVE
    before = read_grids(book)
    inputs = workbench_inputs(before)
    with tempfile.TemporaryDirectory(prefix="xl-awards-button-") as tmp:
        copy = Path(tmp) / source.name
        shutil.copyfile(source, copy)
        key, copy_key = key_file_path(source), key_file_path(copy)
        if key.is_file():
            shutil.copyfile(key, copy_key)
        try:
            detail = job(copy, inputs, source.parent)
        except InputError as exc:
            alert(book, str(exc), step.caption)
            return str(exc)
        except StepNotDone as exc:
            message = STEP_NOT_DONE.format(step=step.caption, detail=str(exc))
            alert(book, message, step.caption)
            return message
        if copy_key.is_file() and not key.is_file():
            shutil.copyfile(copy_key, key)
        after = _file_grid(copy)
    write_back_changes(book, before, after)
    message = STEP_DONE.format(step=step.caption, detail=detail)
    alert(book, message, step.caption)
    return message


def _files_or_stop(inputs: dict[str, Any], key: str) -> list[Path]:
    files = picked_files(inputs.get(key))
    if not files:
        raise InputError(STEP_NO_FILES)
    return files


def xl_consolidate(book=None, hub_file=None, edition: Edition | None = None) -> str:
    """导入市州申报: ``xl_awards.jobs.consolidate.consolidate_files`` on the files chosen in the dialog."""
    from xl_awards.jobs.consolidate import consolidate_files, summary_text

    def job(copy, inputs, folder):
        result, _ = consolidate_files(copy, _files_or_stop(inputs, "consolidate"), edition or load_edition())
        return summary_text(result, copy.name)

    return run_hub_job(book, "consolidate", job, hub_file)


def xl_expert_sheets(book=None, hub_file=None, edition: Edition | None = None) -> str:
    """生成专家评分表: ``xl_awards.jobs.expert_sheets.issue_expert_sheets`` into the 填写 folder (default 专家评分表)."""
    from xl_awards.jobs.expert_sheets import issue_expert_sheets, summary_text

    def job(copy, inputs, folder):
        out = Path(_cell_text(inputs.get("expert_sheets")) or folder / "专家评分表")
        assignment, written = issue_expert_sheets(copy, out, edition or load_edition())
        return summary_text(assignment, written) + f"\n保存在：{out}"

    return run_hub_job(book, "expert_sheets", job, hub_file)


def xl_collect(book=None, hub_file=None, edition: Edition | None = None) -> str:
    """收回专家评分: ``xl_awards.jobs.collect.collect_files`` on the returned workbooks chosen in the dialog."""
    from xl_awards.jobs.collect import collect_files

    def job(copy, inputs, folder):
        result = collect_files(copy, _files_or_stop(inputs, "collect"), edition or load_edition())
        rejected = sum(1 for c in result.checked if not c.accepted)
        return f"导入 {len(result.imported)} 位专家的评分，退回 {rejected} 个工作簿。"

    return run_hub_job(book, "collect", job, hub_file)


def xl_publicity(book=None, hub_file=None, edition: Edition | None = None, pdf: bool = True) -> str:
    """生成公示名单: ``xl_awards.jobs.publicity.publicity_hub`` from the start date in 填写, files beside the hub."""
    from xl_awards.jobs.publicity import award_names, finding_lines, publicity_hub, summary_lines

    def job(copy, inputs, folder):
        start = _as_date(inputs.get("publicity"), _caption("publicity"))
        run = publicity_hub(copy, start, edition or load_edition(), folder, pdf=pdf)
        detail = "\n".join(summary_lines(run, award_names(run.edition)) + finding_lines(run.findings))
        if not run.written:
            raise StepNotDone(detail)
        return detail

    return run_hub_job(book, "publicity", job, hub_file)


def xl_finalize(book=None, hub_file=None, edition: Edition | None = None, pdf: bool = True) -> str:
    """公示期满定稿: ``xl_awards.jobs.finalize.finalize_hub`` (date in 填写, else today), files beside the hub."""
    import datetime as dt

    from xl_awards.jobs.finalize import finalize_hub, summary_lines
    from xl_awards.jobs.publicity import finding_lines

    def job(copy, inputs, folder):
        value = inputs.get("finalize")
        today = _as_date(value, _caption("finalize")) if _cell_text(value) else dt.date.today()
        run = finalize_hub(copy, today, edition or load_edition(), folder, pdf=pdf)
        detail = "\n".join(summary_lines(run) + finding_lines(run.findings))
        if not run.written:
            raise StepNotDone(detail)
        return detail

    return run_hub_job(book, "finalize", job, hub_file)


def _caption(key: str) -> str:
    from xl_awards.schema.workbench import hub_step

    return hub_step(key).caption

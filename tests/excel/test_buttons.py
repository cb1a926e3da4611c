"""The workbook buttons on xlwings' real remote engine (``xw.Book(json=payload)``, no Excel, no mocks).

A payload is what an Excel client sends: every sheet's values from A1.  It is built here from a
real workbook the project wrote (template + sample rows, read back with python-calamine), the
button runs on it, and the actions the engine would send back to Excel (``book.json()``) are
inspected: the values written, the cells coloured, and that tables go in whole ranges.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import re
from pathlib import Path

import os

import pytest

# xlwings decides at import time whether its remote engine (xlwings.pro, PolyForm Noncommercial)
# is available: the noncommercial key must be in the environment before the first import.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw   # noqa: E402
# The quota line's border needs Range.borders (xlwings 0.37.x; Python 3.10 stops at 0.37.0, without it).
HAS_BORDERS = hasattr(xw.main.Range, "borders")
import python_calamine as pc   # noqa: E402

from xl_awards.edition import load_edition   # noqa: E402
from xl_awards.sheets.findings_sheet import FINDINGS_COLUMNS  # noqa: E402
from xl_awards.schema.intake import FINDINGS_SHEET, STAR_SHEET, build_intake_schema   # noqa: E402

EDITION = load_edition(2021)
ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
DATA_START = 3  # the intake template: title row 1, header row 2, data from row 3


@pytest.fixture(autouse=True)
def remote_engine(monkeypatch):
    """The remote engine, registered even when another module imported xlwings without the key."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


# -- payloads from real workbooks ---------------------------------------------------------------
def _payload_value(value):
    """A cell value as the Excel clients send it: dates as ISO strings with Z, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def payload_from_file(path: Path, name: str | None = None, extra_sheets: dict | None = None) -> dict:
    """The remote-engine payload of ``path``: every sheet's values (from A1) and visibility."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            values = [[_payload_value(v) for v in row] for row in rows] or [[]]
            visible = "Visible" if str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible) else "Hidden"
            sheets.append({"name": meta.name, "values": values, "visibility": visible, "pictures": [], "tables": []})
    finally:
        wb.close()
    for sheet_name, values in (extra_sheets or {}).items():
        for sheet in sheets:
            if sheet["name"] == sheet_name:
                sheet["values"] = values
    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def actions(book, func: str | None = None) -> list[dict]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def sheet_index(payload: dict, name: str) -> int:
    return [s["name"] for s in payload["sheets"]].index(name)


def column_of(payload: dict, sheet: str, label: str, header_row: int = 2) -> int:
    """0-based column of a header label (the header cell may carry a * and a note in brackets)."""
    header = payload["sheets"][sheet_index(payload, sheet)]["values"][header_row - 1]
    hits = [c for c, v in enumerate(header) if isinstance(v, str) and re.split(r"[（(]", v.replace("*", "").strip())[0] == label]
    assert len(hits) == 1, (label, header)
    return hits[0]


def a1(row0: int, col0: int) -> str:
    letters, n = "", col0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row0 + 1}"


# -- 校验 ------------------------------------------------------------------------------------
from xl_awards.io import intake_fill, intake_template   # noqa: E402
from xl_awards.demo import sample  # noqa: E402


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return intake_template.write_intake_workbook(EDITION, tmp_path_factory.mktemp("tpl") / "长沙市.xlsx", "长沙市")


@pytest.fixture(scope="module")
def planted_workbook(template, tmp_path_factory):
    rows, planted = sample.inject_errors(sample.sample_intake_rows(EDITION, "长沙市"), edition=EDITION)
    out = intake_fill.fill_intake_workbook(template, rows, tmp_path_factory.mktemp("wb") / "长沙市_有误.xlsx")
    return out, planted


def _validate(payload):
    from xl_awards.excel.buttons import xl_validate

    book = xw.Book(json=payload)
    summary = xl_validate(book, EDITION)
    return book, summary


def test_validate_writes_findings_and_marks_exactly_the_planted_cells(planted_workbook):
    path, planted = planted_workbook
    payload = payload_from_file(path)
    book, summary = _validate(payload)
    findings_pos = sheet_index(payload, FINDINGS_SHEET)

    # The planted mistakes, worked out from the sample generator's record: list index i is
    # Excel row i + 3, the column is where the field's label sits in the header row.
    labels = {s.name: {f.key: f.label for f in s.fields} for s in build_intake_schema(EDITION)}
    expected_cells = set()
    for p in planted:
        col = column_of(payload, p.sheet, labels[p.sheet][p.field])
        for i in (p.row, *p.also):
            expected_cells.add((p.sheet, a1(i + DATA_START - 1, col)))

    # 1. the 校验结果 table: header + one row per finding, in one setValues call from A1
    writes = [a for a in actions(book, "setValues") if a["sheet_position"] == findings_pos]
    assert len(writes) == 1
    table = writes[0]["values"]
    assert (writes[0]["start_row"], writes[0]["start_column"]) == (0, 0)
    assert table[0] == list(FINDINGS_COLUMNS)
    body = table[1:]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))  # 序号 1..n
    assert {(r[1], r[2]) for r in body} == expected_cells
    # the planted wrong 身份证号码 check digit: its row names the cell and says what is wrong
    id_error = next(p for p in planted if p.kind == "id_check_digit")
    id_cell = a1(id_error.row + DATA_START - 1, column_of(payload, STAR_SHEET, "身份证号码"))
    id_rows = [r for r in body if r[1] == STAR_SHEET and r[2] == id_cell]
    assert len(id_rows) == 1
    assert id_rows[0][3] == id_error.row + DATA_START and id_rows[0][4] == "身份证号码" and id_rows[0][5] == "错误"
    assert "校验位" in id_rows[0][6]

    # 2. colours: exactly the offending cells, each once; errors light red
    colours = actions(book, "setRangeColor")
    names = [s["name"] for s in payload["sheets"]]
    coloured = {(names[a["sheet_position"]], a1(a["start_row"], a["start_column"])) for a in colours}
    assert coloured == expected_cells and len(colours) == len(expected_cells)
    assert all((a["row_count"], a["column_count"]) == (1, 1) for a in colours)
    by_cell = {(names[a["sheet_position"]], a1(a["start_row"], a["start_column"])): a["args"][0] for a in colours}
    assert by_cell[(STAR_SHEET, id_cell)] == "#FFC7CE"

    # 3. whole ranges: the only values written are the one table (no cell-by-cell writes)
    assert len(actions(book, "setValues")) == 1
    # 4. the summary counts the severities of the table's rows
    errors = sum(1 for r in body if r[5] == "错误")
    warnings = sum(1 for r in body if r[5] == "警告")
    assert summary.startswith(f"校验完成：错误 {errors} 个，警告 {warnings} 个")
    assert actions(book, "alert")[0]["args"][:2] == [summary, "校验"]


def test_validate_clean_workbook_writes_header_only(template, tmp_path):
    out = intake_fill.fill_intake_workbook(template, sample.sample_intake_rows(EDITION, "长沙市"), tmp_path / "长沙市_填报.xlsx")
    payload = payload_from_file(out)
    book, summary = _validate(payload)
    assert summary == "校验完成：未发现问题。"
    writes = actions(book, "setValues")
    assert len(writes) == 1 and writes[0]["values"] == [list(FINDINGS_COLUMNS)]
    assert writes[0]["sheet_position"] == sheet_index(payload, FINDINGS_SHEET)
    assert actions(book, "setRangeColor") == []


def test_validate_clears_earlier_marks_but_keeps_those_still_wrong(planted_workbook):
    path, planted = planted_workbook
    base = payload_from_file(path)
    id_error = next(p for p in planted if p.kind == "id_check_digit")
    still_wrong = a1(id_error.row + DATA_START - 1, column_of(base, STAR_SHEET, "身份证号码"))
    fixed = "B40"  # a cell an earlier run marked; nothing is wrong there now (row 40 is empty)
    earlier = [list(FINDINGS_COLUMNS),
               [1, STAR_SHEET, fixed, 40, "姓名", "错误", "旧的问题"],
               [2, STAR_SHEET, still_wrong, id_error.row + DATA_START, "身份证号码", "错误", "旧的问题"],
               [3, "不存在的表", "A1", 1, "", "错误", "旧的问题"]]
    payload = payload_from_file(path, extra_sheets={FINDINGS_SHEET: earlier})
    book, _ = _validate(payload)
    star = sheet_index(payload, STAR_SHEET)
    cleared = [a for a in actions(book, "setRangeColor") if a["args"] == [None]]
    # only B40 is cleared: the still-wrong cell is re-marked (not cleared), the unknown sheet skipped
    assert [(a["sheet_position"], a["start_row"], a["start_column"]) for a in cleared] == [(star, 39, 1)]
    remarked = [a for a in actions(book, "setRangeColor") if a["args"] == ["#FFC7CE"]
                and (a["sheet_position"], a1(a["start_row"], a["start_column"])) == (star, still_wrong)]
    assert len(remarked) == 1
    # the old table is replaced: the sheet is cleared before the new table goes in
    findings_pos = sheet_index(payload, FINDINGS_SHEET)
    funcs = [a["func"] for a in actions(book) if a["sheet_position"] == findings_pos]
    assert funcs.index("sheetClear") < funcs.index("setValues")


def test_validate_adds_the_findings_sheet_when_missing(planted_workbook):
    path, _ = planted_workbook
    payload = payload_from_file(path)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != FINDINGS_SHEET]
    visible = [s["name"] for s in payload["sheets"] if s["visibility"] == "Visible"]
    assert visible[-1] == "服务对象情况" and len(visible) == 6  # 填报说明 + the five data sheets
    book, _ = _validate(payload)  # (the engine inserts the new sheet into the payload's list)
    added = actions(book, "addSheet")
    # after the last visible sheet: 0-based position 6, before the hidden lists
    assert added == [dict(added[0], args=[6, FINDINGS_SHEET])]
    assert len(actions(book, "setValues")) == 1


def test_validate_unreadable_workbook_says_one_line_and_writes_nothing(tmp_path):
    payload = {"client": "VBA", "version": xw.__version__,
               "book": {"name": "随便.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
               "sheets": [{"name": "Sheet1", "values": [["a", "b"], [1, 2]], "visibility": "Visible",
                           "pictures": [], "tables": []}]}
    book, summary = _validate(payload)
    assert "随便.xlsx" in summary and "\n" not in summary
    assert [a["func"] for a in actions(book)] == ["alert"]


# -- 计算排名 --------------------------------------------------------------------------------
def _hub_with_scores(folder: Path) -> Path:
    """The built hub template with three 优秀服务机构 applications, their scores and 官网备案 records."""
    from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
    from xl_awards.io.hub_template import write_hub_workbook
    from xl_awards.schema import hub as H

    path = write_hub_workbook(EDITION, folder)
    award = EDITION.award_name("institution")
    codes = {"J001": "91430100MA4L000001", "J002": "91430100MA4L000002", "J003": "91430100MA4L000003"}
    names = {"J001": "甲服务机构", "J002": "乙服务机构", "J003": "丙服务机构"}
    register = [{"app_id": i, "award": award, "name": names[i], "id_code": codes[i], "unit": names[i],
                 "city": "长沙市", "status": H.STATUS_PENDING, "source_file": "长沙市.xlsx", "source_sha256": "0" * 64,
                 "source_sheet": "优秀服务机构", "source_row": n + 3, "imported_at": "2022-09-21 09:00:00"}
                for n, i in enumerate(codes)]
    marks = {"J001": (90, 80, 85, 70, 95), "J002": (88, 86, 84), "J003": (70, 72, 74)}
    scores = [{"expert_id": f"T{k + 1}", "expert_name": f"专家{k + 1}", "award": award, "app_id": i,
               "name": names[i], "score": v, "recused": "否", "counted": "是"}
              for i, values in marks.items() for k, v in enumerate(values)]
    portal = [{"award": award, "applicant": names["J001"], "id_code": codes["J001"], "portal_score": 80},
              {"award": award, "applicant": names["J002"], "id_code": codes["J002"], "portal_score": 90}]
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), register)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.SCORES_SHEET), scores)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.PORTAL_SHEET), portal)
    save_hub(wb, path, make_backup=False)
    return path


def _rank_button(payload):
    from xl_awards.excel.buttons import xl_rank

    book = xw.Book(json=payload)
    return book, xl_rank(book, EDITION)


def _settings_row(payload, key: str) -> int:
    """1-based row of a 设置 key, found by reading the payload's 设置 sheet (键 in column A)."""
    rows = payload["sheets"][sheet_index(payload, "设置")]["values"]
    return next(n for n, row in enumerate(rows, start=1) if row and row[0] == key)


# The 3-institution hub of _hub_with_scores, laid out by hand (windows and stars have no entries,
# so each of their blocks is a title, a summary and a header row; a block starts two rows after
# the previous block's last row): 市州 6-8, 县市区 10-12, 服务之星 14-16, 优秀服务机构 title 18,
# summary 19, header 20, then by total J002 row 21, J001 row 22, J003 row 23.  Experts T1..T5 sit
# in N..R.  Worked by hand (weights 0.7 / 0.3, trimmed mean from 5 counted scores):
# J001: 90 80 85 70 95 -> drop 95 and 70 -> (90+80+85)/3 = 85; 0.7*85 + 0.3*80 = 59.5 + 24 = 83.5
# J002: 88 86 84 (3 < 5: plain mean) = 86; 0.7*86 + 0.3*90 = 60.2 + 27 = 87.2
# J003: 70 72 74 -> 72; no 官网备案 record counts 0: 0.7*72 = 50.4
TRIMMED = "=ROUND(IF(COUNT({r})>=MAX(去高低分评分数,3),(SUM({r})-MAX({r})-MIN({r}))/(COUNT({r})-2),AVERAGE({r})),9)"
RANK_KEYS = "(K$21:K$23>K{n})+(K$21:K$23=K{n})*(I$21:I$23>I{n})+(K$21:K$23=K{n})*(I$21:I$23=I{n})*(J$21:J$23>J{n})"


def test_rank_writes_live_formulas_in_one_range(tmp_path):
    from xl_awards.schema import hub as H

    path = _hub_with_scores(tmp_path)
    payload = payload_from_file(path)
    book, summary = _rank_button(payload)
    rank_pos = sheet_index(payload, H.RANKING_SHEET)
    log_pos = sheet_index(payload, H.LOG_SHEET)

    # 1. what is sent: clear 排名 once, the names, ONE formula grid from A1, a few formats, the log row.
    on_rank = [a for a in actions(book) if a["sheet_position"] == rank_pos]
    borders = ["setBorderProperty", "setBorderProperty"] if HAS_BORDERS else []
    assert [a["func"] for a in on_rank] == ["sheetClear", "setFormula", "setNumberFormat", "setNumberFormat",
                                            "setNumberFormat", "setRangeColor", *borders, "activateSheet"]
    funcs = [a["func"] for a in actions(book)]
    assert funcs.index("sheetClear") < funcs.index("namesAdd") and funcs.count("namesAdd") == 7
    assert max(i for i, f in enumerate(funcs) if f == "namesAdd") < funcs.index("setFormula")  # names first
    assert [a["sheet_position"] for a in actions(book, "setValues")] == [log_pos]  # no values table any more
    write = actions(book, "setFormula")[0]
    assert (write["start_row"], write["start_column"]) == (0, 0)
    grid = write["values"]

    def at(a1_address):
        col = ord(a1_address[0]) - 64
        row = int(a1_address[1:])
        return grid[row - 1][col - 1]

    # 2. the workbook names point at the 设置 values (key in column A, value in column C)
    added = {a["args"][0]: a["args"][1] for a in actions(book, "namesAdd")}
    assert added["专家权重"] == f"='设置'!$C${_settings_row(payload, 'scoring.expert_weight')}"
    assert added["官网权重"] == f"='设置'!$C${_settings_row(payload, 'scoring.portal_weight')}"
    assert added["去高低分评分数"] == f"='设置'!$C${_settings_row(payload, 'scoring.trim_threshold')}"
    assert at("D3") == "=专家权重" and at("E3") == "=官网权重"

    # 3. the cells: header, ids, scores as numbers, the aggregate / total / rank as formulas
    assert grid[19][:13] == ["申报类别", "组别", "排名", "申报编号", "名称", "单位或平台", "所属市州", "有效评分数",
                             "专家评审得分", "官网备案得分", "总分", "状态", "说明"]
    assert [at(f"D{n}") for n in (21, 22, 23)] == ["J002", "J001", "J003"]
    assert [at(f"{c}22") for c in "NOPQR"] == [90, 80, 85, 70, 95]
    # blanks go as "" (older xlwings, the last for Python 3.10, sends them as None)
    assert [("" if at(f"{c}21") is None else at(f"{c}21")) for c in "NOPQR"] == [88, 86, 84, "", ""]
    for n in (21, 22, 23):
        assert at(f"H{n}") == f"=COUNT(N{n}:R{n})"
        assert at(f"I{n}") == TRIMMED.format(r=f"N{n}:R{n}")
        assert at(f"K{n}") == f"=ROUND(专家权重*I{n}+官网权重*J{n},9)"
        assert at(f"C{n}") == "=1+SUMPRODUCT(" + RANK_KEYS.format(n=n) + ")"
        assert at(f"L{n}") == "入选"  # quota 10, three applications
    assert [at(f"J{n}") for n in (21, 22, 23)] == [90, 80, 0]
    assert at("B19") == "=COUNTA(E21:E23)"

    # 4. shown with 2 decimals: I21:K23, the experts' scores N21:P23 and Q22:R22 (only J001 has 5);
    #    入选 green in L21:L23; the quota line under row 23 across A..R.
    fmt = [(a["start_row"], a["start_column"], a["row_count"], a["column_count"], a["args"])
           for a in actions(book, "setNumberFormat")]
    assert fmt == [(20, 8, 3, 3, ["0.00"]), (20, 13, 3, 3, ["0.00"]), (21, 16, 1, 2, ["0.00"])]
    assert [(a["start_row"], a["start_column"], a["row_count"], a["column_count"], a["args"])
            for a in actions(book, "setRangeColor")] == [(20, 11, 3, 1, ["#C6EFCE"])]
    if HAS_BORDERS:
        assert {(a["start_row"], a["start_column"], a["row_count"], a["column_count"])
                for a in actions(book, "setBorderProperty")} == {(22, 0, 1, 18)}
        assert [a["args"] for a in actions(book, "setBorderProperty")] == [
            ["edge_bottom", "line_style", "continuous"], ["edge_bottom", "weight", "thick"]]

    # 5. the log row goes under the 操作日志 header (template: title row 1, header row 2 -> row 3)
    log = actions(book, "setValues")[0]
    assert log["start_row"] == 2 and "计算排名" in log["values"][0] and 3 in log["values"][0]
    # two findings: J003 has no 官网备案 record (a warning; it counts 0 and is still ranked), and the
    # template's 窗口平台 sheet is empty (one warning at that sheet)
    assert "发现问题：错误 0 个，警告 2 个，提示 0 个" in summary
    assert log["values"][0][-1] == "错误0，警告2，提示0"
    assert "优秀服务机构：申报 3，参评 3，入选 3（名额 10）" in summary and "公式" in summary
    assert actions(book, "alert")[0]["args"][0] == summary


def _file_cell(ws, row, col):
    cell = ws.cell(row=row, column=col)
    return None if cell.value == "" else cell.value


def _grid_cell(grid, row, col):
    if row > len(grid) or col > len(grid[row - 1]):
        return None
    value = grid[row - 1][col - 1]
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]  # the text prefix: Excel stores the text without it
    return None if value == "" else value


@pytest.mark.parametrize("settings", [None, {"scoring.expert_weight": "60%", "scoring.portal_weight": "40%"}],
                         ids=["weights-in-settings", "weights-as-text"])
def test_rank_button_writes_what_the_command_writes(tmp_path, settings):
    """The hand-worked hub of rank_scenario: the button's grid and names equal the command's file, cell by cell."""
    import openpyxl

    from rank_scenario import make_hub
    from xl_awards.jobs.rank import rank_hub
    from xl_awards.schema import hub as H

    path = make_hub(tmp_path, settings=settings)
    payload = payload_from_file(path)  # the hub as the button sees it, before either path ranks it
    book, _ = _rank_button(payload)
    grid = actions(book, "setFormula")[0]["values"]
    added = {a["args"][0]: a["args"][1] for a in actions(book, "namesAdd")}

    run = rank_hub(path, EDITION, when="2022-09-30 10:00:00")
    wb = openpyxl.load_workbook(path)
    ws = wb[H.RANKING_SHEET]
    rows = max(ws.max_row, len(grid))
    cols = max(ws.max_column, max(len(r) for r in grid))
    differences, formulas = [], 0
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            mine, theirs = _grid_cell(grid, r, c), _file_cell(ws, r, c)
            if ws.cell(row=r, column=c).data_type == "f":
                formulas += 1
                assert isinstance(mine, str) and mine.startswith("=")
            if mine != theirs:
                differences.append((a1(r - 1, c - 1), mine, theirs))
    assert differences == []
    assert formulas == len(run.written.formulas) > 100  # every formula of the command is in the grid
    # the names: same targets (the button sends them as "=..." definitions)
    assert {n: "=" + wb.defined_names[n].attr_text for n in added} == added
    assert set(added) == set(run.written.names)
    if settings:  # 60% as text in 设置: both point the weight names at the value written in 排名
        assert added["专家权重"] == "='排名'!$D$3" and _grid_cell(grid, 3, 4) == pytest.approx(0.6)
    else:
        assert added["专家权重"] == f"='设置'!$C${_settings_row(payload, 'scoring.expert_weight')}"
    # hand-worked spots (rank_scenario): JG01 row 28 (0.7*85 + 0.3*90 = 86.5), the 3-way tie rows 38-40.
    assert _grid_cell(grid, 28, 4) == "JG01" and _grid_cell(grid, 28, 11) == "=ROUND(专家权重*I28+官网权重*J28,9)"
    assert [_grid_cell(grid, n, 12) for n in (38, 39, 40)] == ["并列待定"] * 3


def test_rank_button_replaces_the_names_an_earlier_run_left(tmp_path):
    """A hub ranked before (by the command) already has the names: each is deleted, then added again."""
    from xl_awards.jobs.rank import rank_hub
    from xl_awards.schema import hub as H

    path = _hub_with_scores(tmp_path)
    rank_hub(path, EDITION, when="2022-09-30 10:00:00")
    payload = payload_from_file(path)
    settings_pos = sheet_index(payload, H.SETTINGS_SHEET)
    row = _settings_row(payload, "scoring.expert_weight")
    payload["names"] = [{"name": "专家权重", "sheet_index": settings_pos, "address": f"C{row}", "book_scope": True,
                         "scope_sheet_name": None, "scope_sheet_index": None}]  # as the VBA client lists a name
    book, _ = _rank_button(payload)
    funcs = [(a["func"], a["args"][0] if a["func"] == "namesAdd" else None) for a in actions(book)
             if a["func"] in ("nameDelete", "namesAdd")]
    assert funcs[0] == ("nameDelete", None) and funcs[1] == ("namesAdd", "专家权重")
    assert actions(book, "nameDelete")[0]["args"][0] == "专家权重"
    assert len(actions(book, "namesAdd")) == 7


def _replay(path, payload, book_actions, out):
    """Apply the button's actions to a copy of the hub, as the Excel client would (values, formulas,
    names; formats and colours are left out), so that a real spreadsheet application can compute it."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.load_workbook(path)
    names = [s["name"] for s in payload["sheets"]]
    for a in book_actions:
        func = a["func"]
        if func == "sheetClear":
            ws = wb[names[a["sheet_position"]]]
            index = wb.worksheets.index(ws)
            wb.remove(ws)
            wb.create_sheet(names[a["sheet_position"]], index)
        elif func == "nameDelete":
            del wb.defined_names[a["args"][0]]
        elif func == "namesAdd":
            wb.defined_names[a["args"][0]] = DefinedName(a["args"][0], attr_text=a["args"][1][1:])
        elif func in ("setFormula", "setValues"):
            ws = wb[names[a["sheet_position"]]]
            for i, values in enumerate(a["values"]):
                for j, v in enumerate(values):
                    cell = ws.cell(row=a["start_row"] + i + 1, column=a["start_column"] + j + 1)
                    if isinstance(v, str) and v.startswith("'"):
                        cell.value, cell.data_type = v[1:], "s"
                    elif func == "setFormula" or not (isinstance(v, str) and v.startswith("=")):
                        cell.value = None if v == "" else v
                    else:
                        cell.value, cell.data_type = v, "s"
        else:
            assert func in ("setNumberFormat", "setRangeColor", "setBorderProperty", "activateSheet", "alert"), func
    wb.save(out)
    return out


@pytest.mark.libreoffice
def test_rank_button_sheet_computes_in_a_spreadsheet_application(tmp_path, libreoffice):
    """The button's formulas, recalculated by LibreOffice: the hand-worked totals and ranks, and on
    the rank_scenario hub every formula cell equals Python's number (as the command's sheet does)."""
    from rank_scenario import make_hub
    from xl_awards.schema import hub as H

    small = _hub_with_scores(tmp_path / "small")
    small_payload = payload_from_file(small)
    small_book, _ = _rank_button(small_payload)
    big = make_hub(tmp_path / "big")
    big_payload = payload_from_file(big)
    big_book, _ = _rank_button(big_payload)
    outs = [_replay(small, small_payload, actions(small_book), tmp_path / "small_button.xlsx"),
            _replay(big, big_payload, actions(big_book), tmp_path / "big_button.xlsx")]
    small_values, big_values = libreoffice.recalculate_many(outs)

    sheet = small_values[H.RANKING_SHEET]

    def at(a1_address):
        return sheet[int(a1_address[1:]) - 1][ord(a1_address[0]) - 65]

    assert at("D3") == pytest.approx(0.7) and at("E3") == pytest.approx(0.3)  # =专家权重 from 设置
    assert [at(f"K{n}") for n in (21, 22, 23)] == [pytest.approx(87.2), pytest.approx(83.5), pytest.approx(50.4)]
    assert [at(f"I{n}") for n in (21, 22, 23)] == [pytest.approx(86), pytest.approx(85), pytest.approx(72)]
    assert [at(f"H{n}") for n in (21, 22, 23)] == [3, 5, 3]
    assert [at(f"C{n}") for n in (21, 22, 23)] == [1, 2, 3]
    assert at("B19") == 3

    # every formula of the big hub's layout against the Python number it was written with
    from xl_awards.io.hub import read_hub
    from xl_awards.hub.scoring_inputs import compute_ranking
    from xl_awards.sheets.ranking_sheet import ranking_layout

    grid = actions(big_book, "setFormula")[0]["values"]
    settings_grid = big_payload["sheets"][sheet_index(big_payload, H.SETTINGS_SHEET)]["values"]
    layout = ranking_layout(compute_ranking(read_hub(big, EDITION)), EDITION, (H.SETTINGS_SHEET, settings_grid))
    values = big_values[H.RANKING_SHEET]
    mismatches = []
    for f in layout.formulas:
        col = ord(f.cell[0]) - 65
        row = int(f.cell[1:]) - 1
        assert grid[row][col] == f.formula  # the button wrote this formula there
        got = values[row][col] if row < len(values) and col < len(values[row]) else ""
        ok = got == "" if f.expected is None else isinstance(got, float) and abs(got - f.expected) <= 1e-9
        if not ok:
            mismatches.append((f.cell, f.formula, got, f.expected))
    assert not mismatches
    # hand-worked (rank_scenario): JG01 86.5, the three 83.5s share rank 2, CP02 ties CP01's 84 but ranks 2.
    assert values[27][10] == pytest.approx(86.5)
    assert [values[n - 1][2] for n in (37, 38, 39, 40, 41)] == [1, 2, 2, 2, 5]
    assert [values[n - 1][2] for n in (46, 47)] == [1, 2] and values[46][10] == pytest.approx(values[45][10])


def test_rank_on_a_workbook_that_is_not_a_hub_says_one_line(tmp_path, template):
    from xl_awards.excel.buttons import xl_rank

    book = xw.Book(json=payload_from_file(template))
    summary = xl_rank(book, EDITION)
    assert "设置" in summary and "\n" not in summary
    assert [a["func"] for a in actions(book)] == ["alert"]


# -- macros ----------------------------------------------------------------------------------
SUB = re.compile(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(\s*\)\s*$(.*?)^\s*End\s+Sub\s*$", re.M | re.S | re.I)
RUN = re.compile(r'^Application\.Run\s+"xlwings\.xlam!RunPython",\s*"([^"]*)"$')


def _macro_files() -> list[Path]:
    files = sorted(MACROS.glob("*.bas"))
    assert files, "macros/*.bas missing"
    return files


def test_macros_are_ascii():
    for path in _macro_files():
        path.read_bytes().decode("ascii")  # raises on any non-ASCII byte


RUN_STEP = re.compile(r'^RunStep\s+"(\w+)"$')
RUN_PYTHON = re.compile(r'^Application\.Run\s+"xlwings\.xlam!RunPython",\s*"([^"]*)"\s*&\s*entry\s*&\s*"\(\)"$')


def test_each_button_macro_runs_one_existing_python_function_through_run_step():
    entries = {}
    texts = {path.name: path.read_text(encoding="ascii") for path in _macro_files()}
    # the one call into Python, in the module every workbook carries (RunStep in XlAwardsCommon):
    # "import xl_awards.excel.buttons as b; b." & entry & "()"
    calls = {name: [RUN_PYTHON.match(ln.strip()) for ln in text.splitlines() if "RunPython" in ln]
             for name, text in texts.items()}
    assert {name: len(found) for name, found in calls.items() if found} == {"XlAwardsCommon.bas": 1}
    assert calls["XlAwardsCommon.bas"][0]
    assert re.search(r"^Public Sub RunStep\(ByVal entry As String\)$", texts["XlAwardsCommon.bas"], re.M)
    prefix = calls["XlAwardsCommon.bas"][0].group(1)
    for path in _macro_files():
        text = texts[path.name]
        # the module is named after its file: `xlwings vba import` replaces a module by the file's stem
        assert re.search(r'^Attribute VB_Name = "(\w+)"', text, re.M).group(1) == path.stem
        for name, body in SUB.findall(text):
            lines = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
            steps = [RUN_STEP.match(ln) for ln in lines if ln.startswith("RunStep ")]
            if not steps:
                continue
            assert len(steps) == 1 and steps[0], (path.name, name, lines)
            entries[name] = prefix + steps[0].group(1) + "()"
    assert set(entries) == {"ValidateWorkbook", "ClearMarks", "ImportApplications", "MakeExpertSheets",
                            "CollectScores", "ComputeRanking", "MakePublicity", "FinalizeAwards"}
    for name, command in entries.items():
        # "import a.b as c; c.f()": the module imports and f is a function of it taking no required argument
        tree = ast.parse(command)
        imp, call = tree.body
        assert isinstance(imp, ast.Import) and isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
        module = importlib.import_module(imp.names[0].name)
        func = getattr(module, call.value.func.attr)
        assert call.value.func.value.id == (imp.names[0].asname or imp.names[0].name)
        assert callable(func) and not call.value.args
        params = inspect.signature(func).parameters.values()
        assert all(p.default is not inspect.Parameter.empty for p in params), name
    assert entries["ValidateWorkbook"].endswith("xl_validate()") and entries["ComputeRanking"].endswith("xl_rank()")

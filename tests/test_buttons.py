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
import re
from pathlib import Path

import os

import pytest

# xlwings decides at import time whether its remote engine (xlwings.pro, PolyForm Noncommercial)
# is available: the noncommercial key must be in the environment before the first import.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
xw = pytest.importorskip("xlwings")
pc = pytest.importorskip("python_calamine")

from xl_awards.edition import load_edition  # noqa: E402
from xl_awards.findings_sheet import FINDINGS_COLUMNS  # noqa: E402
from xl_awards.schema.intake import FINDINGS_SHEET, STAR_SHEET, build_intake_schema  # noqa: E402

EDITION = load_edition(2021)
ROOT = Path(__file__).resolve().parents[1]
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
intake_template = pytest.importorskip("xl_awards.io.intake_template")
intake_fill = pytest.importorskip("xl_awards.io.intake_fill")
sample = pytest.importorskip("xl_awards.sample")


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


def test_rank_writes_the_ranking_in_one_range(tmp_path):
    pytest.importorskip("xl_awards.ranking")
    from xl_awards.excel.buttons import xl_rank
    from xl_awards.schema import hub as H

    path = _hub_with_scores(tmp_path)
    payload = payload_from_file(path)
    book = xw.Book(json=payload)
    summary = xl_rank(book, EDITION)
    rank_pos = sheet_index(payload, H.RANKING_SHEET)
    log_pos = sheet_index(payload, H.LOG_SHEET)

    writes = actions(book, "setValues")
    assert sorted(a["sheet_position"] for a in writes) == sorted([rank_pos, log_pos])  # one table, one log row
    table = next(a for a in writes if a["sheet_position"] == rank_pos)
    assert (table["start_row"], table["start_column"]) == (0, 0)
    header, *rows = table["values"]
    assert header == ["申报类别", "组别", "排名", "申报编号", "名称", "单位或平台", "所属市州", "有效评分数",
                      "专家评审得分", "官网备案得分", "总分", "状态", "说明"]
    got = {r[3]: r for r in rows}
    assert [r[3] for r in rows] == ["J002", "J001", "J003"]  # by total, desc
    # Worked by hand (weights 0.7 / 0.3, trimmed mean from 5 counted scores):
    # J001: 90 80 85 70 95 -> drop 95 and 70 -> (90+80+85)/3 = 85; 0.7*85 + 0.3*80 = 59.5 + 24 = 83.5
    # J002: 88 86 84 (3 < 5: plain mean) = 86; 0.7*86 + 0.3*90 = 60.2 + 27 = 87.2
    # J003: 70 72 74 -> 72; no 官网备案 record counts 0: 0.7*72 = 50.4
    for app_id, rank, count, expert, portal, total in (("J002", 1, 3, 86, 90, 87.2), ("J001", 2, 5, 85, 80, 83.5),
                                                        ("J003", 3, 3, 72, 0, 50.4)):
        r = got[app_id]
        assert r[0] == "优秀服务机构" and r[2] == rank and r[6] == "长沙市" and r[7] == count
        assert r[8] == pytest.approx(expert) and r[9] == pytest.approx(portal) and r[10] == pytest.approx(total)
        assert r[11] == "入选"  # quota 10, three applications
    # shown with 2 decimals: one number-format call over 专家评审得分..总分 (columns I:K) of the 3 rows
    fmt = actions(book, "setNumberFormat")
    assert [(a["sheet_position"], a["start_row"], a["start_column"], a["row_count"], a["column_count"], a["args"])
            for a in fmt] == [(rank_pos, 1, 8, 3, 3, ["0.00"])]
    # the log row goes under the 操作日志 header (template: title row 1, header row 2, no rows yet -> row 3)
    log = next(a for a in writes if a["sheet_position"] == log_pos)
    assert log["start_row"] == 2 and "计算排名" in log["values"][0]
    # one finding: J003 has no 官网备案 record (a warning; it counts 0 and is still ranked)
    assert "发现问题：错误 0 个，警告 1 个，提示 0 个" in summary
    assert log["values"][0][-1] == "错误0，警告1，提示0"
    assert "优秀服务机构：申报 3，参评 3，入选 3（名额 10）" in summary
    assert actions(book, "alert")[0]["args"][0] == summary


def test_rank_on_a_workbook_that_is_not_a_hub_says_one_line(tmp_path, template):
    pytest.importorskip("xl_awards.ranking")
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


def test_each_macro_is_one_call_into_an_existing_python_function():
    subs = {}
    for path in _macro_files():
        text = path.read_text(encoding="ascii")
        # the module is named after its file: `xlwings vba import` replaces a module by the file's stem
        assert re.search(r'^Attribute VB_Name = "(\w+)"', text, re.M).group(1) == path.stem
        found = SUB.findall(text)
        assert found, path.name
        for name, body in found:
            lines = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("'")]
            assert len(lines) == 1, (path.name, name, lines)
            match = RUN.match(lines[0])
            assert match, (path.name, name, lines[0])
            subs[name] = match.group(1)
    assert set(subs) == {"ValidateWorkbook", "ComputeRanking"}
    for name, command in subs.items():
        # "import a.b as c; c.f()": the module imports and f is a function of it taking no required argument
        tree = ast.parse(command)
        imp, call = tree.body
        assert isinstance(imp, ast.Import) and isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
        module = importlib.import_module(imp.names[0].name)
        func = getattr(module, call.value.func.attr)
        assert call.value.func.value.id == (imp.names[0].asname or imp.names[0].name)
        assert callable(func) and not call.value.args
    assert subs["ValidateWorkbook"].endswith("xl_validate()") and subs["ComputeRanking"].endswith("xl_rank()")

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

"""评分明细 past one sheet's rows goes on continuation sheets 评分明细（续1）, （续2）, ... (the scenario of
``test_collect``; read its docstring).  Excel's 1,048,576 rows stand in as a small number here.

The scenario's 评分明细 has 69 rows worked out by hand: E01 JG001 + JG002 (6 rubric items each) = 12,
E02 JG002 = 6, E03 / E04 / E05 CP001 (5 items) + JG001 + JG002 = 17 each.
"""

from __future__ import annotations

import openpyxl
import pytest

from test_collect import FRACTION, fill, issue, make_hub, returned, sheet_rows
from xl_awards.cli import main
from xl_awards.io import hub as hub_io
from xl_awards.io.atomic import file_sha256
from xl_awards.schema.review import detail_sheet_index, detail_sheet_name

DETAIL = "评分明细"
LABELS = ["专家编号", "专家姓名", "申报编号", "申报类别", "申报主体", "评分项", "得分", "回避", "评语", "来源文件",
          "文件SHA256", "导入时间"]


def detail_sheets(hub) -> list[str]:
    return [name for name in openpyxl.load_workbook(hub, read_only=True).sheetnames if name.startswith(DETAIL)]


def all_detail(hub) -> list[dict]:
    return [row for name in detail_sheets(hub) for row in sheet_rows(hub, name)]


def test_rows_past_a_sheet_go_on_continuation_sheets_read_back_and_emptied_when_no_longer_needed(
        tmp_path, capsys, monkeypatch):
    hub = make_hub(tmp_path)
    issued = issue(tmp_path, hub)
    back = returned(tmp_path, issued)
    capsys.readouterr()

    # A sheet holds 40 rows here: 38 below the title and header -> 38 + 31.
    monkeypatch.setattr(hub_io, "WRITE_MAX_ROWS", 40)
    assert main(["collect", "--hub", str(hub), *map(str, back.values())]) == 0
    assert "已写入“专家评分”“评分明细”（及续表1张）“专家评分统计”" in capsys.readouterr().out
    assert detail_sheets(hub) == ["评分明细", "评分明细（续1）"]
    assert [len(sheet_rows(hub, n)) for n in detail_sheets(hub)] == [38, 31]
    ws = openpyxl.load_workbook(hub)["评分明细（续1）"]
    assert [str(c.value).rstrip("*") for c in ws[2]][:len(LABELS)] == LABELS  # the same columns, header in row 2
    rows = all_detail(hub)
    assert len({(r["专家编号"], r["申报编号"], r["评分项"]) for r in rows}) == 69
    assert {(r["评分项"], r["得分"]) for r in rows if r["专家编号"] == "E04" and r["申报编号"] == "CP001"} == {
        ("独特性与原创性", 17.5), ("经济和社会效益", 17.5), ("示范推广价值", 14), ("服务标准与流程", 10.5),
        ("经典案例与成效", 10.5)}  # E04 scores 70 % of each item's maximum (25, 25, 20, 15, 15)
    old_sha = {r["专家编号"]: r["文件SHA256"] for r in rows}

    # 28 rows a sheet: E03 returns a corrected workbook; the 52 rows kept are read from both sheets,
    # E03's 17 replaced -> 28 + 28 + 13.
    monkeypatch.setattr(hub_io, "WRITE_MAX_ROWS", 30)
    again = fill(issued["E03"], tmp_path / "second" / issued["E03"].name, FRACTION["E03"] - 0.1)
    assert main(["collect", "--hub", str(hub), str(again)]) == 0
    assert "（及续表2张）" in capsys.readouterr().out
    assert detail_sheets(hub) == ["评分明细", "评分明细（续1）", "评分明细（续2）"]
    assert [len(sheet_rows(hub, n)) for n in detail_sheets(hub)] == [28, 28, 13]
    rows = all_detail(hub)
    assert len(rows) == 69 and len({(r["专家编号"], r["申报编号"], r["评分项"]) for r in rows}) == 69
    assert {r["文件SHA256"] for r in rows if r["专家编号"] == "E03"} == {file_sha256(again)}
    assert all(r["文件SHA256"] == old_sha[r["专家编号"]] for r in rows if r["专家编号"] != "E03")
    assert {r["得分"] for r in rows if r["专家编号"] == "E03" and r["评分项"] == "独特性与原创性"} == {20}  # 80 % of 25

    # Excel's own limit again: all 69 rows fit on 评分明细; the continuation sheets keep their header only.
    monkeypatch.setattr(hub_io, "WRITE_MAX_ROWS", 1_048_576)
    assert main(["collect", "--hub", str(hub), str(back["E04"])]) == 0
    out = capsys.readouterr().out
    assert "已写入“专家评分”“评分明细”“专家评分统计”" in out and "续表" not in out
    assert [len(sheet_rows(hub, n)) for n in detail_sheets(hub)] == [69, 0, 0]
    ws = openpyxl.load_workbook(hub)["评分明细（续2）"]
    assert [str(c.value).rstrip("*") for c in ws[2]][:len(LABELS)] == LABELS
    assert len({(r["专家编号"], r["申报编号"], r["评分项"]) for r in all_detail(hub)}) == 69


def test_continuation_sheet_names():
    assert detail_sheet_name(0) == "评分明细" and detail_sheet_name(2) == "评分明细（续2）"
    assert detail_sheet_index("评分明细") == 0
    assert detail_sheet_index("评分明细（续1）") == 1
    assert detail_sheet_index("评分明细(续12)") == 12  # half-width brackets
    assert detail_sheet_index(" 评分明细（续 3） ") == 3  # blanks ignored
    for other in ("评分明细（续0）", "评分明细续1", "评分明细（续）", "评分明细（续64）", "评分明细2", "专家评分"):
        assert detail_sheet_index(other) is None, other


def test_a_sheet_holds_no_more_cells_than_a_hub_sheet_may_have_to_be_read():
    # A hub sheet is read up to 10 million cells: 10,000,000 // 12 columns = 833,333 rows (fewer than Excel's
    # 1,048,576), less the title and header rows.
    from xl_awards.jobs.collect import detail_rows_per_sheet

    assert detail_rows_per_sheet() == 833_331


def test_detail_rows_by_index_equal_the_rows_in_order():
    # 评分明细 rows are made on demand: two kept rows, then a book with 3 records, a rejected book
    # (none), a book with 2: row i by index is the i-th row in order, slices and negative indexes too.
    from types import SimpleNamespace

    from xl_awards.jobs.collect import DetailRows, _Slice

    def rec(app, item, score):
        return SimpleNamespace(expert_id="E1", expert_name="甲", app_id=app, award_name="优秀服务机构", applicant=app,
                               item=item, score=score, avoided=False, comment="")

    books = [SimpleNamespace(book=SimpleNamespace(file=f"{n}.xlsx", sha256=n * 64), records=records)
             for n, records in (("a", [rec("JG1", "x", 1), rec("JG1", "y", 2), rec("JG2", "x", 3)]), ("b", []),
                                ("c", [rec("JG3", "x", 4), rec("JG3", "y", 5)]))]
    rows = DetailRows([{"score": -1}, {"score": 0}], books, "2022-09-25 10:00:00")
    assert len(rows) == 7
    assert [r["score"] for r in rows] == [-1, 0, 1, 2, 3, 4, 5]
    assert [rows[i]["score"] for i in range(7)] == [-1, 0, 1, 2, 3, 4, 5]
    assert rows[5]["source_file"] == "c.xlsx" and rows[4]["source_file"] == "a.xlsx" and rows[-1]["item"] == "y"
    assert [r["score"] for r in _Slice(rows, 3, 6)] == [2, 3, 4] and len(_Slice(rows, 3, 6)) == 3
    with pytest.raises(IndexError):
        rows[7]

"""设置 每项申报评审专家数 drives expert-sheets (the scenario of ``test_collect``; read its docstring).

With 3 experts per application instead of whole panels, worked out by hand from the assignment
rule (most-constrained application first; each takes the eligible experts with the lowest load,
ties by 专家编号):
  CP001 (eligible E03 E04 E05)      -> E03 E04 E05            loads E03 1, E04 1, E05 1
  JG001 (eligible E01 E03 E04 E05)  -> E01 (0), E03, E04 (1)  loads E01 1, E03 2, E04 2
  JG002 (eligible E01 .. E05)       -> E02 (0), E01, E05 (1)  loads E01 2, E02 1, E05 2
9 assignments instead of the whole panels' 12; the two conflicts are recorded as 回避 as before.
"""

from __future__ import annotations

import openpyxl

from test_collect import make_hub, sheet_rows
from xl_awards.cli import main


def set_setting(hub, key, value):
    wb = openpyxl.load_workbook(hub)
    ws = wb["设置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == key)
    assert ws.cell(row=row, column=2).value == "每项申报评审专家数"
    assert ws.cell(row=row, column=3).value == "全部专家"  # as the template writes it
    ws.cell(row=row, column=3).value = value
    wb.save(hub)


def reviews(hub):
    rows = sheet_rows(hub, "评审分配")
    return sorted((r["申报编号"], r["专家编号"]) for r in rows if r["分配"] == "评审"), \
        sorted((r["申报编号"], r["专家编号"]) for r in rows if r["分配"] == "回避")


def test_three_experts_per_application_from_the_settings_sheet(tmp_path, capsys):
    hub = make_hub(tmp_path)
    set_setting(hub, "scoring.experts_per_application", 3)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 0
    review, avoid = reviews(hub)
    assert review == [("CP001", "E03"), ("CP001", "E04"), ("CP001", "E05"),
                      ("JG001", "E01"), ("JG001", "E03"), ("JG001", "E04"),
                      ("JG002", "E01"), ("JG002", "E02"), ("JG002", "E05")]
    assert avoid == [("CP001", "E01"), ("JG001", "E02")]
    out = capsys.readouterr().out
    assert "E01 张三：2 项" in out and "E02 李四：1 项" in out and "E05 孙七：2 项" in out


def test_all_experts_typed_as_text_is_the_whole_panel(tmp_path, capsys):
    hub = make_hub(tmp_path)
    set_setting(hub, "scoring.experts_per_application", "全部")
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 0
    review, _ = reviews(hub)
    assert len(review) == 12  # 4 + 5 + 3, as in test_collect


def test_two_experts_per_application_is_refused_against_three_counted_scores(tmp_path, capsys):
    hub = make_hub(tmp_path)
    set_setting(hub, "scoring.experts_per_application", 2)
    code = main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")])
    out = capsys.readouterr().out
    assert "每项申报评审专家数（2）少于最少有效评分数（3）" in out
    assert "未生成任何专家评分工作簿" in out and "评审专家不足" not in out
    assert code == 1 and not list((tmp_path / "issued").glob("*.xlsx"))
    assert not list(hub.parent.glob("*备份*"))  # the hub was not rewritten


def test_a_settings_error_elsewhere_does_not_stop_the_issue(tmp_path, capsys):
    hub = make_hub(tmp_path)
    set_setting(hub, "scoring.experts_per_application", 3)
    wb = openpyxl.load_workbook(hub)
    ws = wb["设置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "awards.star.quota")
    ws.cell(row=row, column=3).value = "三十"
    wb.save(hub)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 0
    assert len(reviews(hub)[0]) == 9


def test_a_review_sheet_that_would_pass_excels_last_row_is_refused_and_the_hub_kept(tmp_path, capsys, monkeypatch):
    # Excel's 1,048,576 rows stand in as 15 here: 评审分配 of the scenario (whole panels) has 12 评审 rows
    # and 2 回避 rows + title and header = 16 rows.
    import hashlib

    from xl_awards.io import hub as hub_io

    hub = make_hub(tmp_path)
    before = hashlib.sha256(hub.read_bytes()).hexdigest()
    monkeypatch.setattr(hub_io, "WRITE_MAX_ROWS", 15)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{hub.name}：工作表“评审分配”将有 16 行，超过 Excel 每张工作表 15 行的上限，未写入，省枢纽平台工作簿未改动；"
                   "请在“设置”中填写“每项申报评审专家数”（减少每项申报的评审专家）后再运行"]
    assert hashlib.sha256(hub.read_bytes()).hexdigest() == before
    assert not list(hub.parent.glob("*备份*"))  # no backup left behind for a write that did not happen
    assert not list(hub.parent.glob("*.key"))  # nor the review key of an issue that did not happen
    assert not list((tmp_path / "issued").glob("*.xlsx"))  # the expert workbooks never landed

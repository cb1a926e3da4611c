"""Reviewer R2 playing the hub clerk: what the commands print after each step (the next step, who
has not returned scores, a re-issue voiding earlier workbooks), collect's junk-input contract with a
corrupt file among good ones, the printable lists' sheet names and footers, and publicity dates
around National Day 2022 worked out by hand.

Hand-worked calendar (State Council notice for 2022): 10-01 .. 10-07 National Day holiday;
10-08 (Sat) and 10-09 (Sun) are make-up working days.
- start Thu 2022-09-29: working days 09-29, 09-30, 10-08, 10-09, 10-10 -> ends 10-10, final from 10-11;
- start Sat 2022-10-01 (a holiday): moved to the next working day 10-08; 10-08, 10-09, 10-10, 10-11,
  10-12 -> ends 10-12.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from test_collect import EXPERTS, INST, issue, make_hub as make_review_hub, returned
from test_publicity_job import CLEAN, PENDING, make_hub as make_ranked_hub, sheet_rows
from factory import write_intake
from hubfactory import make_hub as make_empty_hub
from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.io.atomic import file_sha256
from xl_awards.jobs.finalize import finalize_hub
from xl_awards.jobs.next_steps import shell_arg
from xl_awards.jobs.publicity import publicity_hub
from xl_awards.schema import hub as H

EDITION = load_edition(2021)


# -- collect ---------------------------------------------------------------------------------


def test_collect_corrupt_file_among_good_ones_writes_nothing(tmp_path, capsys):
    hub = make_review_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    bad = tmp_path / "returned" / "专家评分_E05_孙七_损坏.xlsx"
    bad.write_bytes(back["E05"].read_bytes()[:4000])  # a truncated zip
    before = file_sha256(hub)
    capsys.readouterr()
    assert main(["collect", "--hub", str(hub), str(back["E01"]), str(bad)]) == 2
    captured = capsys.readouterr()
    # The junk-input contract: nothing on stdout, one Chinese line naming the bad file, hub untouched.
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and bad.name in lines[0] and "损坏" in lines[0] and "Traceback" not in captured.err
    assert file_sha256(hub) == before


def test_collect_names_experts_not_returned_and_the_next_step(tmp_path, capsys):
    hub = make_review_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    capsys.readouterr()
    # Three of the five experts return their workbooks; E04 赵六 and E05 孙七 are still out.
    assert main(["collect", "--hub", str(hub), str(back["E01"]), str(back["E02"]), str(back["E03"])]) == 0
    out = capsys.readouterr().out
    assert "导入 3 位专家的评分，退回 0 个工作簿" in out
    assert "尚未报回评分的专家（2位）：E04 赵六、E05 孙七" in out
    assert f"运行 xl-awards rank --hub {shell_arg(hub)}" in out
    assert "原工作簿已备份为" in out
    # E04 returns a tampered workbook: rejected whole, nothing imported, the clerk is told what to do.
    wb = openpyxl.load_workbook(back["E04"])
    wb[INST].protection.sheet = False
    wb[INST]["B3"] = "乙机构（改）"
    wb.save(back["E04"])
    assert main(["collect", "--hub", str(hub), str(back["E04"])]) == 1
    out = capsys.readouterr().out
    assert "导入 0 位专家的评分，退回 1 个工作簿" in out
    assert "未导入任何评分（“专家评分”未改动）" in out
    assert "尚未报回评分的专家（2位）：E04 赵六、E05 孙七" in out
    assert "更正后原文件报回" in out
    # 专家评分 still holds exactly E01 (2 applications), E02 (1) and E03 (3): 6 rows.
    ws = openpyxl.load_workbook(hub)[H.SCORES_SHEET]
    assert sorted({r[0] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}) == ["E01", "E02", "E03"]
    assert sum(1 for r in ws.iter_rows(min_row=3, values_only=True) if r[0]) == 6


def test_expert_sheets_reissue_says_earlier_workbooks_are_void(tmp_path, capsys):
    hub = make_review_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    out = capsys.readouterr().out
    # First issue: no scores yet, so no re-issue note; the summary and next step are on stdout.
    assert "已写入：" in out and "作废" not in out and "收回后运行 xl-awards collect" in out
    assert main(["collect", "--hub", str(hub), str(back["E01"]), str(back["E02"]), str(back["E03"])]) == 0
    capsys.readouterr()
    (tmp_path / "issued").rename(tmp_path / "issued_v1")
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 0
    out = capsys.readouterr().out
    # E01 2 + E02 1 + E03 3 = 6 score pairs, all still assigned (nothing changed in 专家库): 6 kept, 0 dropped.
    assert "此前下发的评分工作簿作废" in out and "仍分配给同一专家的 6 条继续计入" in out and "其余 0 条不再计入" in out


def test_expert_sheets_shortfall_tells_what_to_fix(tmp_path, capsys):
    # Without E05 the product panel leaves CP001 two eligible experts (< 3): nothing written.
    hub = make_review_hub(tmp_path, EXPERTS[:4])
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 1
    out = capsys.readouterr().out
    assert "未生成任何专家评分工作簿" in out and "在“专家库”补充" in out


# -- consolidate and rank: the next step ---------------------------------------------------


def test_consolidate_prints_the_next_step(tmp_path, capsys):
    hub = make_empty_hub(tmp_path / "hub with space")
    intake = write_intake(tmp_path / "长沙市.xlsx")
    code = main(["consolidate", "--hub", str(hub), str(intake)])
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    assert last.startswith("下一步：")
    assert f'--hub "{hub}"' in last  # a path with a space is quoted so it can be pasted back
    assert ("不符合条件" in last) == (code == 1)


def test_rank_next_step_names_pending_ties(tmp_path, capsys):
    hub = make_ranked_hub(tmp_path / "a", PENDING, rank=False)
    assert main(["rank", "--hub", str(hub)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    # PENDING: JG010 and JG011 tie on 86 at rank 10 with one place left -> 2 entries 并列待定.
    assert "有 2 个“并列待定”" in last and "xl-awards publicity" in last
    hub = make_ranked_hub(tmp_path / "b", CLEAN, rank=False)
    assert main(["rank", "--hub", str(hub)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "并列待定" not in last and "xl-awards publicity --hub" in last


# -- publicity around National Day 2022 ----------------------------------------------------


def test_publicity_across_national_day_and_finalize_the_day_after(tmp_path, capsys):
    hub = make_ranked_hub(tmp_path, CLEAN)
    assert main(["publicity", "--hub", str(hub), "--start", "2022-09-29", "--no-pdf",
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "公示期：2022-09-29 至 2022-10-10（5个工作日：09-29、09-30、10-08、10-09、10-10）" in out
    assert "公示期满（2022-10-11 及以后）运行 xl-awards finalize" in out
    rows = sheet_rows(hub, H.PUBLICITY_SHEET)
    header = [c.value for c in openpyxl.load_workbook(hub)[H.PUBLICITY_SHEET][2]]
    start_col, end_col = header.index("公示开始"), header.index("公示结束")
    assert {(str(r[start_col])[:10], str(r[end_col])[:10]) for r in rows} == {("2022-09-29", "2022-10-10")}
    # The last day of publicity is too early; the day after is the first day to finalise.
    assert not finalize_hub(hub, dt.date(2022, 10, 10), EDITION, tmp_path / "out", pdf=False).written
    assert finalize_hub(hub, dt.date(2022, 10, 11), EDITION, tmp_path / "out", pdf=False).written


def test_publicity_starting_on_a_holiday_moves_to_the_makeup_saturday(tmp_path):
    hub = make_ranked_hub(tmp_path, CLEAN)
    run = publicity_hub(hub, dt.date(2022, 10, 1), EDITION, None, pdf=False)
    assert run.window.working_days == (dt.date(2022, 10, 8), dt.date(2022, 10, 9), dt.date(2022, 10, 10),
                                       dt.date(2022, 10, 11), dt.date(2022, 10, 12))
    assert (run.window.start, run.window.end) == (dt.date(2022, 10, 8), dt.date(2022, 10, 12))
    assert [f.rule for f in run.findings] == ["publicity_start_moved"]


# -- the printable documents ---------------------------------------------------------------


def test_list_documents_sheet_names_and_footer(tmp_path):
    hub = make_ranked_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    publicity_hub(hub, dt.date(2022, 10, 10), EDITION, out, pdf=False)
    finalize_hub(hub, dt.date(2022, 10, 17), EDITION, out, pdf=False)
    notice = openpyxl.load_workbook(out / "2021年度优秀评选拟获奖名单公示.xlsx")
    final = openpyxl.load_workbook(out / "2021年度优秀评选最终获奖名单.xlsx")
    # The final list is not titled as the publicity notice.
    assert notice.sheetnames == ["2021年度优秀评选拟获奖名单公示"]
    assert final.sheetnames == ["2021年度优秀评选最终获奖名单"]
    for wb in (notice, final):
        footer = wb.worksheets[0].oddFooter.center
        # Font size 9 is its own code; the text starts with the year (not swallowed as "&92021").
        assert footer.size == 9 and footer.text.startswith("2021年度")


def test_list_pdf_footer_keeps_the_year(tmp_path, libreoffice):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    hub = make_ranked_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    run = publicity_hub(hub, dt.date(2022, 10, 10), EDITION, out, office=libreoffice)
    assert run.pdf_error == ""
    text = subprocess.run(["pdftotext", "-layout", str(out / "2021年度优秀评选拟获奖名单公示.pdf"), "-"],
                          capture_output=True, text=True).stdout
    footer = [line for line in text.splitlines() if "第 1 页" in line]
    assert footer and "2021年度湖南省中小企业公共服务平台网络优秀评选拟获奖名单公示" in footer[0]


def test_rank_with_errors_says_fix_and_rerun_not_publicise(tmp_path, capsys):
    hub = make_ranked_hub(tmp_path, CLEAN, rank=False)
    # Every entry of this hub has 3 counted scores; a minimum of 4 in 设置 leaves all of them unranked.
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.SETTINGS_SHEET]
    row = next(c.row for c in ws["A"] if c.value == "scoring.min_counted_scores")
    ws.cell(row=row, column=3, value=4)
    wb.save(hub)
    assert main(["rank", "--hub", str(hub)]) == 1
    out = capsys.readouterr().out
    assert "只有3份有效专家评分，少于4份" in out
    last = out.strip().splitlines()[-1]
    assert "重新计算排名" in last and "publicity" not in last


def test_expert_sheet_header_row_shows_long_rubric_items_in_full(tmp_path, capsys):
    hub = make_review_hub(tmp_path)
    issued = issue(tmp_path, hub)
    ws = openpyxl.load_workbook(issued["E01"])[INST]
    assert ws["D2"].value == "平台注册与线上线下服务(15分)"
    # 12 CJK characters (平台注册与线上线下服务 + 分, 2 units each) + "(", "1", "5", ")" -> 24 + 4 = 28 units;
    # the score column is 11 wide (about 10 usable) -> ceil(28/10) = 3 lines x 15 pt + 6 = 51 pt
    # (it was a fixed 36 pt, two lines, which cut the item name off in print).
    assert ws.row_dimensions[2].height == 51

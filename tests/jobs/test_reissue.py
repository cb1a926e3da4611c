"""Scores follow the current assignment: expert-sheets run again, then rank (real hub workbooks).

The scenario of ``test_collect`` (read its docstring): five experts, JG001 乙机构, JG002 庚机构
(优秀服务机构), CP001 好产品 (创新服务产品); every item scored at a fixed fraction of its maximum,
so each application total is E01 80, E02 60, E03 90, E04 70, E05 50.  No 官网备案 rows: the
portal score is 0 and the total is 0.7 x the review score.

Re-issue 1 — E05's 评审类别 loses 优秀服务机构 (only 创新服务产品 left).  The new 评审分配 (whole
panels, conflicts kept out): JG001 E01 E03 E04 (E02 works at 乙机构), JG002 E01 E02 E03 E04,
CP001 E03 E04 E05 (E01 works at 甲大学).  E05's two institution scores are no longer counted:
  JG001: 80, 90, 70 (n = 3 < 5: mean) = 240 / 3 = 80      (with E05's 50 it was 72.5)
  JG002: 80, 60, 90, 70 (n = 4: mean) = 300 / 4 = 75      (with E05: trimmed (80+60+70)/3 = 70)
  CP001: 90, 70, 50 = 70 (unchanged)
  totals 0.7 x 80 = 56, 0.7 x 75 = 52.5, 0.7 x 70 = 49.
Re-issue 2 — a sixth expert E06 周八 (己大学) joins the institution panel: pairs (E06, JG001) and
(E06, JG002) have no score yet: both listed, and E06 named as outstanding (2 items).  The
counted scores stay those of re-issue 1.
"""

from __future__ import annotations

import json

from test_collect import EDITION, EXPERTS, INST, PROD, fill, issue, make_hub, returned
from xl_awards.cli import main
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.jobs.rank import rank_hub
from xl_awards.schema import hub as H


def set_experts(hub, experts):
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.EXPERTS_SHEET), experts)
    save_hub(wb, hub, make_backup=False)


def collected_hub(tmp_path, capsys):
    hub = make_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    assert main(["collect", "--hub", str(hub), *map(str, back.values())]) == 0
    capsys.readouterr()
    return hub


def reissue(tmp_path, hub, experts, folder):
    set_experts(hub, experts)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / folder)]) == 0


def scores(doc, category):
    return {e["id"]: (e["expert_score"], e["total"]) for e in doc["categories"][category]}


E05_PRODUCTS_ONLY = [dict(e, review_awards=PROD) if e["expert_id"] == "E05" else e for e in EXPERTS]


def test_before_any_reissue_every_collected_score_counts(tmp_path, capsys):
    hub = collected_hub(tmp_path, capsys)
    run = rank_hub(hub)
    # JG001: 80, 90, 70, 50 -> mean 72.5; JG002: 80, 60, 90, 70, 50 -> trimmed (80+60+70)/3 = 70.
    assert scores(run.json, "institution") == {"JG001": (72.5, 50.75), "JG002": (70.0, 49.0), "JG003": (None, None)}
    rules = {f.rule for f in run.findings}
    assert not rules & {"rank_score_unassigned", "rank_score_outstanding", "rank_experts_outstanding"}


def test_scores_of_pairs_no_longer_assigned_are_listed_and_not_counted(tmp_path, capsys):
    hub = collected_hub(tmp_path, capsys)
    reissue(tmp_path, hub, E05_PRODUCTS_ONLY, "issued2")
    out = capsys.readouterr().out
    assert "2 条不再计入" in out  # E05's JG001 and JG002 scores, said at the re-issue already
    run = rank_hub(hub)
    assert scores(run.json, "institution") == {"JG001": (80.0, 56.0), "JG002": (75.0, 52.5), "JG003": (None, None)}
    assert scores(run.json, "product") == {"CP001": (70.0, 49.0)}
    stale = [(f.rule, f.sheet, f.cell) for f in run.findings if f.rule == "rank_score_unassigned"]
    # 专家评分 rows in collect order, each workbook's institution sheet before its product sheet:
    # E01 (JG001, JG002) rows 3-4, E02 (JG002) 5, E03 (JG001, JG002, CP001) 6-8, E04 the same 9-11,
    # E05 (JG001, JG002, CP001) 12-14 -> E05's JG001 / JG002 scores on rows 12 and 13.
    assert stale == [("rank_score_unassigned", H.SCORES_SHEET, "A12"), ("rank_score_unassigned", H.SCORES_SHEET, "A13")]
    messages = [f.message for f in run.findings if f.rule == "rank_score_unassigned"]
    assert "专家E05 孙七对优秀服务机构“乙机构”（JG001）的评分（50）未计入" in messages[0]
    assert not any(f.rule in ("rank_score_outstanding", "rank_experts_outstanding") for f in run.findings)
    # The command line prints the same findings.
    assert main(["rank", "--hub", str(hub)]) == 0
    text = capsys.readouterr().out
    assert text.count("当前“评审分配”已不把该申报分配给这位专家") == 2


def test_assigned_pairs_without_a_score_and_outstanding_experts(tmp_path, capsys):
    hub = collected_hub(tmp_path, capsys)
    reissue(tmp_path, hub, E05_PRODUCTS_ONLY, "issued2")
    six = [*E05_PRODUCTS_ONLY, {"expert_id": "E06", "name": "周八", "employer": "己大学", "review_awards": INST}]
    reissue(tmp_path, hub, six, "issued3")
    capsys.readouterr()
    run = rank_hub(hub)
    assert scores(run.json, "institution") == {"JG001": (80.0, 56.0), "JG002": (75.0, 52.5), "JG003": (None, None)}
    missing = [(f.sheet, f.message) for f in run.findings if f.rule == "rank_score_outstanding"]
    assert [sheet for sheet, _ in missing] == ["评审分配", "评审分配"]
    assert "专家E06 周八尚未报回对优秀服务机构“乙机构”（JG001）的评分" in missing[0][1]
    assert "“庚机构”（JG002）" in missing[1][1]
    summary = [f.message for f in run.findings if f.rule == "rank_experts_outstanding"]
    assert summary == ["1位专家的评分工作簿尚未收回或缺少本次分配的申报：E06 周八（2项）；"
                       "请催收后运行 xl-awards collect 导入，再重新计算排名"]
    assert main(["rank", "--hub", str(hub)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(
        f"下一步：催收上面列出的尚未报回的专家评分工作簿，收回后运行 xl-awards collect --hub {hub} 收回的文件，再重新计算排名")
    # collect names the outstanding expert from the current 评审分配: E05's new workbook (CP001 at 50,
    # unchanged) is collected, E06 is still outstanding.
    e05 = fill(tmp_path / "issued3" / "专家评分_E05_孙七.xlsx", tmp_path / "back3" / "专家评分_E05_孙七.xlsx", 0.5)
    assert main(["collect", "--hub", str(hub), str(e05)]) == 0
    assert "尚未报回评分的专家（1位）：E06 周八" in capsys.readouterr().out
    # A conflict found later is still handled as before: E03 declares 庚机构 as a 回避单位 now.
    set_experts(hub, [dict(e, avoid_units="庚机构") if e["expert_id"] == "E03" else e for e in six])
    run = rank_hub(hub)
    conflict = [f.message for f in run.findings if f.rule == "rank_score_conflict"]
    assert len(conflict) == 1 and "E03 王五" in conflict[0] and "JG002" in conflict[0]
    # JG002 now counts E01 80, E02 60, E04 70 -> 210 / 3 = 70.
    assert scores(run.json, "institution")["JG002"] == (70.0, 49.0)
    assert main(["rank", "--hub", str(hub), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["categories"]["institution"][0]["id"] == "JG001"


def test_an_empty_experts_sheet_is_one_finding_at_that_sheet(tmp_path, capsys):
    from xl_awards.io.atomic import file_sha256

    hub = make_hub(tmp_path, experts=[])
    before = file_sha256(hub)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued"), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    # 3 applications 待评审 (JG001, JG002, CP001), no expert: one finding, not three shortfalls.
    assert [(f["rule"], f["sheet"]) for f in findings] == [("review_experts_empty", "专家库")]
    assert "3项待评审的申报" in findings[0]["message"]
    assert file_sha256(hub) == before and not (tmp_path / "issued").exists()


def test_an_award_no_expert_reviews_is_one_finding_per_award(tmp_path, capsys):
    # Nobody reviews 创新服务产品 any more: CP001 is one finding for the award; institutions are fine.
    hub = make_hub(tmp_path, experts=[dict(e, review_awards=INST) for e in EXPERTS])
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued"), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["sheet"], f["field"]) for f in findings] == [("review_panel_empty", "专家库", "评审类别")]
    assert "创新服务产品的1项申报无法分配评审专家" in findings[0]["message"]


def test_an_empty_window_sheet_is_one_finding_at_that_sheet(tmp_path):
    from rank_scenario import make_hub as make_rank_hub

    run = rank_hub(make_rank_hub(tmp_path, windows=[]))
    window = [(f.rule, f.sheet) for f in run.findings if f.sheet == "窗口平台"]
    assert window == [("rank_window_empty", "窗口平台")]
    assert run.json["categories"]["window_city"] == [] and run.json["categories"]["window_county"] == []


def test_collect_refuses_a_workbook_with_swapped_rubric_headers(tmp_path, capsys):
    # E03's 优秀服务机构 sheet: D2 平台注册与线上线下服务(15分) and E2 行业影响力(15分) swapped (same
    # maximum) after filling; the whole workbook is refused, the other four are imported.
    import openpyxl

    from test_collect import sheet_rows
    from xl_awards.io.atomic import file_sha256

    hub = make_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    wb = openpyxl.load_workbook(back["E03"])
    ws = wb[INST]
    ws.protection.sheet = False
    ws["D2"], ws["E2"] = ws["E2"].value, ws["D2"].value
    wb.save(back["E03"])
    sha = file_sha256(back["E03"])
    capsys.readouterr()
    assert main(["collect", "--hub", str(hub), *map(str, back.values()), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["file"], f["sheet"], f["cell"]) for f in findings] == [
        ("review_header_moved", back["E03"].name, INST, "D2")]
    assert "表头D2、E2与签发的不一致" in findings[0]["message"]
    assert {r["专家编号"] for r in sheet_rows(hub, H.SCORES_SHEET)} == {"E01", "E02", "E04", "E05"}
    assert file_sha256(back["E03"]) == sha  # the returned file is left as it was

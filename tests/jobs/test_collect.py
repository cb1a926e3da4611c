"""The expert-sheets and collect commands end to end on a real hub workbook (the built hub template),
with hand-built 专家库 / 申报汇总 rows and expectations worked out by hand.

Scenario (edition 2021, whole panels, at least 3 experts per application):
  E01 张三 甲大学     reviews 优秀服务机构, 创新服务产品
  E02 李四 乙机构     reviews 优秀服务机构
  E03 王五 丙中心     reviews 优秀服务机构, 创新服务产品
  E04 赵六 丁研究院   reviews 优秀服务机构, 创新服务产品
  E05 孙七 戊学院     reviews 优秀服务机构, 创新服务产品
  JG001 乙机构 (优秀服务机构)   -> E02 works there: E01, E03, E04, E05
  JG002 庚机构 (优秀服务机构)   -> all five
  CP001 好产品 of 甲大学 (创新服务产品) -> E01 works there: E03, E04, E05
  JG003 辛机构 status 不符合条件 -> not reviewed
Loads: E01 2, E02 1, E03 3, E04 3, E05 3 (12 assignments, 2 conflicts recorded as 回避).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl

from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.io.atomic import file_sha256
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.schema import header_label
from xl_awards.schema import hub as H

EDITION = load_edition(2021)
INST, PROD = "优秀服务机构", "创新服务产品"
EXPERTS = [
    {"expert_id": "E01", "name": "张三", "employer": "甲大学", "review_awards": f"{INST}、{PROD}"},
    {"expert_id": "E02", "name": "李四", "employer": "乙机构", "review_awards": INST},
    {"expert_id": "E03", "name": "王五", "employer": "丙中心", "review_awards": f"{INST}，{PROD}"},
    {"expert_id": "E04", "name": "赵六", "employer": "丁研究院", "review_awards": f"{INST};{PROD}"},
    {"expert_id": "E05", "name": "孙七", "employer": "戊学院", "review_awards": f"{INST}\n{PROD}"},
]
PROVENANCE = {"source_file": "长沙市.xlsx", "source_sha256": "0" * 64, "source_sheet": "x", "source_row": 3,
              "imported_at": "2022-09-21 10:00:00"}
REGISTER = [
    {"app_id": "JG001", "award": INST, "name": "乙机构", "city": "长沙市", "status": "待评审", **PROVENANCE},
    {"app_id": "JG002", "award": INST, "name": "庚机构", "city": "株洲市", "status": "待评审", **PROVENANCE},
    {"app_id": "CP001", "award": PROD, "name": "好产品", "unit": "甲大学", "city": "长沙市", "status": "待评审", **PROVENANCE},
    {"app_id": "JG003", "award": INST, "name": "辛机构", "city": "湘潭市", "status": "不符合条件", **PROVENANCE},
]
# Every item scored at this fraction of its maximum (all multiples of 0.5 for these rubrics),
# so each application total is 100 x fraction: E01 80, E02 60, E03 90, E04 70, E05 50.
FRACTION = {"E01": 0.8, "E02": 0.6, "E03": 0.9, "E04": 0.7, "E05": 0.5}


def make_hub(tmp_path: Path, experts=EXPERTS) -> Path:
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    path = write_hub_workbook(EDITION, hub_dir)
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.EXPERTS_SHEET), experts)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), REGISTER)
    save_hub(wb, path, make_backup=False)
    return path


def sheet_rows(path: Path, name: str) -> list[dict]:
    """A hub sheet's data rows as {label: value} (openpyxl, header in row 2, `*` dropped)."""
    ws = openpyxl.load_workbook(path)[name]
    header = [header_label(c.value) for c in ws[2]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]


def fill(path: Path, out: Path, fraction: float, edits=None) -> Path:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[1:]:
        if ws.sheet_state != "visible":
            continue
        for c, cell in enumerate(ws[2], start=1):
            m = re.fullmatch(r"(.+)\((\d+(?:\.\d+)?)分\)", str(cell.value or ""))
            if m and not m[1].startswith("合计"):
                for r in range(3, ws.max_row + 1):
                    if ws.cell(row=r, column=1).value:
                        ws.cell(row=r, column=c, value=float(m[2]) * fraction)
    for (sheet, cell), value in (edits or {}).items():
        wb[sheet][cell] = value
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def issue(tmp_path: Path, hub: Path) -> dict[str, Path]:
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 0
    return {p.name.split("_")[1]: p for p in sorted((tmp_path / "issued").glob("*.xlsx"))}


def returned(tmp_path: Path, issued: dict[str, Path], edits=None) -> dict[str, Path]:
    edits = edits or {}
    return {e: fill(p, tmp_path / "returned" / p.name, FRACTION[e], edits.get(e)) for e, p in issued.items()}


def test_expert_sheets_assigns_writes_and_records(tmp_path, capsys):
    hub = make_hub(tmp_path)
    issued = issue(tmp_path, hub)
    assert sorted(p.name for p in issued.values()) == [
        "专家评分_E01_张三.xlsx", "专家评分_E02_李四.xlsx", "专家评分_E03_王五.xlsx", "专家评分_E04_赵六.xlsx",
        "专家评分_E05_孙七.xlsx"]
    out = capsys.readouterr().out
    assert "申报 3 项，专家 5 位" in out and "E01 张三：2 项" in out and "E02 李四：1 项" in out
    assert (hub.parent / f"{hub.stem}.key").is_file()
    assert list(hub.parent.glob("*备份*"))  # a backup before the hub was rewritten
    rows = sheet_rows(hub, "评审分配")
    review = sorted((r["专家编号"], r["申报编号"]) for r in rows if r["分配"] == "评审")
    assert review == [("E01", "JG001"), ("E01", "JG002"), ("E02", "JG002"), ("E03", "CP001"), ("E03", "JG001"),
                      ("E03", "JG002"), ("E04", "CP001"), ("E04", "JG001"), ("E04", "JG002"), ("E05", "CP001"),
                      ("E05", "JG001"), ("E05", "JG002")]
    avoided = sorted((r["专家编号"], r["申报编号"], r["回避原因"]) for r in rows if r["分配"] == "回避")
    assert avoided == [("E01", "CP001", "工作单位相同"), ("E02", "JG001", "工作单位相同")]
    wb = openpyxl.load_workbook(issued["E01"])
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["评分说明", INST]
    assert [wb[INST].cell(row=r, column=1).value for r in (3, 4)] == ["JG001", "JG002"]
    assert [r["操作"] for r in sheet_rows(hub, H.LOG_SHEET)] == ["生成专家评分工作簿"]


def test_shortfall_writes_nothing(tmp_path, capsys):
    # Without E05 the product panel is E01, E03, E04; E01 works at 甲大学 -> 2 eligible < 3.
    hub = make_hub(tmp_path, EXPERTS[:4])
    before = file_sha256(hub)
    assert main(["expert-sheets", "--hub", str(hub), "--out", str(tmp_path / "issued")]) == 1
    captured = capsys.readouterr()
    assert "CP001" in captured.out and "排除回避后只有2位" in captured.out
    assert not (tmp_path / "issued").exists()
    assert file_sha256(hub) == before
    assert not (hub.parent / f"{hub.stem}.key").exists()


def test_collect_imports_scores_and_the_lenient_harsh_view(tmp_path):
    hub = make_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    assert main(["collect", "--hub", str(hub), *map(str, back.values())]) == 0
    scores = sheet_rows(hub, H.SCORES_SHEET)
    assert len(scores) == 12  # one row per assignment
    got = {(r["专家编号"], r["申报编号"]): r["评分"] for r in scores}
    assert got[("E01", "JG001")] == 80 and got[("E05", "CP001")] == 50 and got[("E03", "JG002")] == 90
    assert all(r["计入"] == "是" and r["回避"] == "否" for r in scores)
    detail = sheet_rows(hub, "评分明细")
    # 9 institution assignments x 6 items + 3 product assignments x 5 items = 69 rows.
    assert len(detail) == 69
    assert {(r["评分项"], r["得分"]) for r in detail if r["专家编号"] == "E04" and r["申报编号"] == "CP001"} == {
        ("独特性与原创性", 17.5), ("经济和社会效益", 17.5), ("示范推广价值", 14), ("服务标准与流程", 10.5),
        ("经典案例与成效", 10.5)}
    assert len({r["文件SHA256"] for r in detail}) == 5
    stats = {(r["专家编号"], r["申报类别"]): r for r in sheet_rows(hub, "专家评分统计")}
    # JG001 mean (80+90+70+50)/4 = 72.5; JG002 mean (80+60+90+70+50)/5 = 70; CP001 mean (90+70+50)/3 = 70.
    # E01: ((80-72.5)+(80-70))/2 = 8.75; E02: 60-70 = -10; E03 inst: (17.5+20)/2 = 18.75; E05 prod: 50-70 = -20.
    assert stats[("E01", INST)]["与同组平均差"] == 8.75 and stats[("E01", INST)]["评分份数"] == 2
    assert stats[("E02", INST)]["与同组平均差"] == -10
    assert stats[("E03", INST)]["与同组平均差"] == 18.75
    assert stats[("E05", PROD)]["与同组平均差"] == -20 and stats[("E05", PROD)]["平均分"] == 50
    log = sheet_rows(hub, H.LOG_SHEET)
    assert [r["操作"] for r in log].count("收回专家评分") == 5


def test_same_workbook_twice_and_a_later_run_replace(tmp_path, capsys):
    hub = make_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    e03 = str(back["E03"])
    capsys.readouterr()  # the expert-sheets summary
    assert main(["collect", "--hub", str(hub), e03, e03, "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []  # the same path twice is read once, with a note
    assert err.strip() == f"提示：{e03} 指定了2次（同一文件），只读取一次"
    assert len(sheet_rows(hub, H.SCORES_SHEET)) == 3  # E03's three, not six
    # A second run with a corrected E03 workbook (JG002 's first item 13.5 -> 10) replaces E03's rows.
    fixed = fill(tmp_path / "issued" / back["E03"].name, tmp_path / "second" / back["E03"].name, 0.9,
                 {(INST, "D4"): 10})
    assert main(["collect", "--hub", str(hub), str(fixed), str(back["E04"])]) == 0
    scores = {(r["专家编号"], r["申报编号"]): r for r in sheet_rows(hub, H.SCORES_SHEET)}
    assert len(scores) == 6
    assert scores[("E03", "JG002")]["评分"] == 86.5  # 90 - 13.5 + 10
    assert scores[("E03", "JG002")]["来源文件"] == fixed.name
    assert any("替换专家E03" in (r["发现问题"] or "") for r in sheet_rows(hub, H.LOG_SHEET))


def test_tampered_workbook_rejected_whole_others_imported(tmp_path, capsys):
    hub = make_hub(tmp_path)
    issued = issue(tmp_path, hub)
    back = returned(tmp_path, issued)
    # E04: protection removed, the locked 申报主体 of JG001 (row 3) edited.
    wb = openpyxl.load_workbook(back["E04"])
    wb[INST].protection.sheet = False
    wb[INST]["B3"] = "乙机构（改）"
    wb.save(back["E04"])
    # E05: a score over the maximum (D3 = 平台注册与线上线下服务, max 15).
    fill(issued["E05"], back["E05"], FRACTION["E05"], {(INST, "D3"): 16})
    capsys.readouterr()
    assert main(["collect", "--hub", str(hub), *map(str, back.values()), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert {(f["rule"], Path(f["file"]).name, f["sheet"], f["cell"]) for f in findings} == {
        ("review_cell_edited", back["E04"].name, INST, "B3"),
        ("review_score_range", back["E05"].name, INST, "D3")}
    assert set(findings[0]) == {"rule", "severity", "file", "sheet", "cell", "row", "field", "message", "effect"}
    experts = {r["专家编号"] for r in sheet_rows(hub, H.SCORES_SHEET)}
    assert experts == {"E01", "E02", "E03"}  # nothing of E04 or E05
    assert {r["专家编号"] for r in sheet_rows(hub, "评分明细")} == {"E01", "E02", "E03"}


def test_renamed_file_stale_issue_and_late_conflict(tmp_path, capsys):
    hub = make_hub(tmp_path)
    issued = issue(tmp_path, hub)
    back = returned(tmp_path, issued)
    # E02's returned workbook renamed as if it were E01's.
    renamed = tmp_path / "misfiled" / "专家评分_E01_张三.xlsx"
    renamed.parent.mkdir()
    shutil.copy(back["E02"], renamed)
    # E03 later declares 庚机构 (JG002) as a 回避单位: its JG002 score is imported but not counted.
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.EXPERTS_SHEET),
                       [dict(e, avoid_units="庚机构") if e["expert_id"] == "E03" else e for e in EXPERTS])
    save_hub(wb, hub, make_backup=False)
    capsys.readouterr()
    assert main(["collect", "--hub", str(hub), str(renamed), str(back["E03"]), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["file"]) for f in findings] == [("review_file_expert", renamed.name)]
    scores = {(r["专家编号"], r["申报编号"]): r for r in sheet_rows(hub, H.SCORES_SHEET)}
    assert set(scores) == {("E03", "CP001"), ("E03", "JG001"), ("E03", "JG002")}
    assert scores[("E03", "JG002")]["计入"] == "否" and "申报回避单位" in scores[("E03", "JG002")]["未计入原因"]
    # Re-issuing makes the earlier E01 workbook stale.
    old_e01 = back["E01"]
    (tmp_path / "issued").rename(tmp_path / "issued_v1")
    issue(tmp_path, hub)
    capsys.readouterr()
    assert main(["collect", "--hub", str(hub), str(old_e01), "--json"]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["review_stale"]


def test_hub_open_or_key_missing_exit_2(tmp_path, capsys):
    hub = make_hub(tmp_path)
    back = returned(tmp_path, issue(tmp_path, hub))
    lock = hub.with_name(f".~lock.{hub.name}#")
    lock.write_text("x")
    before = file_sha256(hub)
    assert main(["collect", "--hub", str(hub), str(back["E01"])]) == 2
    assert "正在被" in capsys.readouterr().err
    assert file_sha256(hub) == before
    lock.unlink()
    (hub.parent / f"{hub.stem}.key").unlink()
    assert main(["collect", "--hub", str(hub), str(back["E01"])]) == 2
    assert "签名密钥" in capsys.readouterr().err
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    (hub.parent / f"{hub.stem}.key").write_text("key=abc\n")
    assert main(["collect", "--hub", str(hub), str(junk)]) == 2
    assert "junk.xlsx" in capsys.readouterr().err


def test_sample_scores_for_the_demo_are_valid_and_deterministic(tmp_path):
    from xl_awards.io.expert_book import fill_sample_scores

    hub = make_hub(tmp_path)
    issued = issue(tmp_path, hub)
    a = fill_sample_scores(issued["E03"], tmp_path / "a" / issued["E03"].name, seed=7)
    b = fill_sample_scores(issued["E03"], tmp_path / "b" / issued["E03"].name, seed=7)
    values = lambda p: [c.value for ws in openpyxl.load_workbook(p).worksheets[1:3] for row in ws["D3:I4"] for c in row]
    assert values(a) == values(b)
    import zipfile

    with zipfile.ZipFile(issued["E03"]) as z_issued, zipfile.ZipFile(a) as z_filled:
        assert z_filled.namelist() == z_issued.namelist()
        changed = [n for n in z_issued.namelist() if z_issued.read(n) != z_filled.read(n)]
    assert len(changed) == 2 and all(n.startswith("xl/worksheets/sheet") for n in changed)  # the two score sheets
    assert all(ws.protection.sheet for ws in openpyxl.load_workbook(a).worksheets[1:3])  # still protected
    assert main(["collect", "--hub", str(hub), str(a)]) == 0  # every score in 0..max, 0.5 steps, none missing
    detail = sheet_rows(hub, "评分明细")
    assert len(detail) == 2 * 6 + 5  # E03: JG001, JG002 (6 items each) and CP001 (5 items)

"""``xl-awards rank`` end to end on a real hub workbook (the built hub template) with the hand-worked
scenario of ``rank_scenario`` (read its docstring for every number used below)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from rank_scenario import EDITION, INST, EXP, PORTAL, REGISTER, SCORES, _app, make_hub
from xl_awards.cli import main
from xl_awards.io.hub import read_hub
from xl_awards.hub.scoring_inputs import ranking_rows
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["rank", *args])
    out, err = capsys.readouterr()
    return code, out, err


def entry(doc, category, entry_id):
    return next(e for e in doc["categories"][category] if e["id"] == entry_id)


def row(id_, name, city, expert, portal, total, rank, status):
    return {"id": id_, "name": name, "city": city, "expert_score": expert, "portal_score": portal,
            "total": total, "rank": rank, "status": status}


# Hand-worked (see rank_scenario): every list in ranking order, then the unranked entries.
EXPECTED = {
    "window_city": [
        row("长沙市中小企业公共服务平台", "长沙市中小企业公共服务平台", "长沙市", None, None, 87.5, 1, "selected"),
        row("衡阳市中小企业公共服务平台", "衡阳市中小企业公共服务平台", "衡阳市", None, None, 75.0, 2, "not_selected"),
        row("张家界市中小企业公共服务平台", "张家界市中小企业公共服务平台", "张家界市", None, None, None, None, "ineligible"),
    ],
    "window_county": [
        row("浏阳市中小企业公共服务平台", "浏阳市中小企业公共服务平台", "长沙市", None, None, 87.5, 1, "selected"),
        row("醴陵市中小企业公共服务平台", "醴陵市中小企业公共服务平台", "株洲市", None, None, 75.0, 2, "not_selected"),
    ],
    "star": [
        row("XX01", "星一", "长沙市", 90.0, None, 90.0, 1, "selected"),
        row("XX02", "星二", "衡阳市", 256 / 3, None, 256 / 3, 2, "not_selected"),
    ],
    "institution": [
        row("JG01", "甲机构", "长沙市", 85.0, 90.0, 86.5, 1, "selected"),
        row("JG02", "乙机构", "株洲市", 86.0, 80.0, 84.2, 2, "selected"),
        row("JG03", "丙机构", "湘潭市", 85.0, 0.0, 59.5, 3, "not_selected"),
        row("JG04", "丁机构", "衡阳市", None, 0.0, None, None, "prior_award_valid"),
        row("JG05", "戊机构", "岳阳市", None, 0.0, None, None, "ineligible"),
    ],
    "expert": [
        row("ZX01", "专家甲", "长沙市", 90.0, 90.0, 90.0, 1, "selected"),
        row("ZX02", "专家乙", "株洲市", 85.0, 80.0, 83.5, 2, "tie_pending"),
        row("ZX03", "专家丙", "湘潭市", 85.0, 80.0, 83.5, 2, "tie_pending"),
        row("ZX04", "专家丁", "衡阳市", 85.0, 80.0, 83.5, 2, "tie_pending"),
        row("ZX05", "专家戊", "邵阳市", 70.0, 70.0, 70.0, 5, "not_selected"),
    ],
    "product": [
        row("CP01", "智造贷", "长沙市", 90.0, 70.0, 84.0, 1, "selected"),
        row("CP02", "云上通", "衡阳市", 84.0, 84.0, 84.0, 2, "not_selected"),
        row("CP04", "智造险", "长沙市", 70.0, 60.0, 67.0, 3, "not_selected"),
        row("CP03", "云上通", "岳阳市", 60.0, 50.0, 57.0, 4, "not_selected"),
    ],
}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """The scenario hub, ranked once through the command line (shared by the read-only tests)."""
    tmp = tmp_path_factory.mktemp("rank")
    path = make_hub(tmp)
    code = main(["rank", "--hub", str(path), "--json"])
    return path, code


def test_json_is_exactly_the_spec_shape_with_hand_worked_numbers(tmp_path, capsys):
    path = make_hub(tmp_path)
    code, out, err = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 0, err  # only warnings: 官网备案 missing, a conflict found, a pending tie
    doc = json.loads(out)
    assert list(doc) == ["edition", "categories"]
    assert doc["edition"] == 2021
    assert list(doc["categories"]) == ["window_city", "window_county", "star", "institution", "expert", "product"]
    for category, rows in EXPECTED.items():
        got = doc["categories"][category]
        assert [list(e) for e in got] == [list(r) for r in rows]  # keys and their order
        for g, want in zip(got, rows):
            for key, value in want.items():
                if isinstance(value, float):
                    assert g[key] == pytest.approx(value, abs=1e-12), (category, g["id"], key)
                else:
                    assert g[key] == value, (category, g["id"], key)
    # The 产业集群 platform is in no list.
    assert all("有色金属" not in e["name"] for rows in doc["categories"].values() for e in rows)


def test_human_summary_and_findings(tmp_path, capsys):
    path = make_hub(tmp_path)
    code, out, _ = run_cli(capsys, "--hub", str(path))
    assert code == 0
    assert "优秀服务机构：申报 5，参评 3，入选 2（名额 2），并列待定 0，往年获奖继续有效 1，不符合条件 1" in out
    assert "优秀服务专家：申报 5，参评 5，入选 1（名额 2），并列待定 3" in out
    assert "最受欢迎窗口服务平台（市州）：申报 3，参评 2，入选 1（名额 1），并列待定 0，不符合条件 1" in out
    # 60/40 swaps the product selection (CP01 0.6*90+0.4*70 = 82 < CP02 0.6*84+0.4*84 = 84).
    assert "专家评审60%、官网备案40%：智造贷（CP01）入选 → 未入选" in out
    assert "专家评审60%、官网备案40%：云上通（CP02）未入选 → 入选" in out
    assert "丙机构”（JG03）在“官网备案”表中没有得分" in out
    assert "专家ZJ03 张三与“云上通”（CP02）存在利益冲突（工作单位相同）" in out
    assert "优秀服务专家第2名有3个申报并列" in out
    assert "错误 0 个，警告 3 个" in out


def test_sheet_shows_counted_dropped_and_excluded_scores(ranked):
    path, code = ranked
    assert code == 0
    ws = openpyxl.load_workbook(path)[H.RANKING_SHEET]
    cells = {c.value: c for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    header_rows = [c.row for c in ws["E"] if c.value == "名称"]
    assert len(header_rows) == 6  # one block per list

    def entry_row(app_id):
        return next(c.row for c in ws["D"] if c.value == app_id)

    def expert_col(app_row, expert_id):
        header = max(h for h in header_rows if h < app_row)
        return next(c.column for c in ws[header] if isinstance(c.value, str) and c.value.startswith(expert_id))

    def cell(app_id, expert_id):
        r = entry_row(app_id)
        return ws.cell(row=r, column=expert_col(r, expert_id))

    # JG01: 95 (ZJ05) and 70 (ZJ04) dropped; the others counted.
    assert cell("JG01", "ZJ05").value == 95 and cell("JG01", "ZJ05").font.strike
    assert cell("JG01", "ZJ04").value == 70 and cell("JG01", "ZJ04").font.strike
    assert not cell("JG01", "ZJ01").font.strike
    # JG03: 90, 90 — only ONE dropped (ZJ01's), and 75.
    assert cell("JG03", "ZJ01").font.strike and not cell("JG03", "ZJ02").font.strike
    assert cell("JG03", "ZJ05").value == 75 and cell("JG03", "ZJ05").font.strike
    assert sum(1 for e in ("ZJ01", "ZJ02", "ZJ03", "ZJ04", "ZJ05") if cell("JG03", e).font.strike) == 2
    # JG02: 4 scores, nothing dropped; ZJ05 recused: empty cell with a note.
    assert not any(cell("JG02", e).font.strike for e in ("ZJ01", "ZJ02", "ZJ03", "ZJ04"))
    assert cell("JG02", "ZJ05").value is None and "回避" in cell("JG02", "ZJ05").comment.text
    # CP02: ZJ03's 99 is a conflict: out of the cell, shown in the note.
    assert cell("CP02", "ZJ03").value is None
    assert "利益冲突" in cell("CP02", "ZJ03").comment.text and "99" in cell("CP02", "ZJ03").comment.text

    columns = {c.value: c.column_letter for c in ws[header_rows[0]] if c.value}
    jg03 = entry_row("JG03")
    assert ws[f"{columns['官网备案得分']}{jg03}"].value == 0
    assert "没有该申报的得分" in ws[f"{columns['官网备案得分']}{jg03}"].comment.text
    # Live formulas referencing the 设置 weights by name, and the threshold.
    jg01 = entry_row("JG01")
    total = ws[f"{columns['总分']}{jg01}"].value
    assert total.startswith("=ROUND(专家权重*") and "官网权重*" in total
    assert "去高低分评分数" in ws[f"{columns['专家评审得分']}{jg01}"].value
    assert ws[f"{columns['排名']}{jg01}"].value.startswith("=1+SUMPRODUCT(")
    assert ws[f"{columns['有效评分数']}{jg01}"].value.startswith("=COUNT(")
    # Not ranked: no rank formula.
    assert ws[f"{columns['排名']}{entry_row('JG04')}"].value is None
    assert ws[f"{columns['状态']}{entry_row('JG04')}"].value == "往年获奖继续有效"
    assert ws[f"{columns['状态']}{entry_row('JG05')}"].value == "不符合条件"
    assert ws[f"{columns['说明']}{entry_row('JG05')}"].value == "未承诺无不良征信记录"
    # 2 decimals shown.
    assert ws[f"{columns['总分']}{jg01}"].number_format == "0.00"
    # The quota line: a thick line under the last selected (JG02), none under JG01.
    assert ws[f"{columns['名称']}{entry_row('JG02')}"].border.bottom.style == "thick"
    assert ws[f"{columns['名称']}{jg01}"].border.bottom.style != "thick"
    # The pending tie: orange rows; the selected one above it carries the line.
    for app_id in ("ZX02", "ZX03", "ZX04"):
        r = entry_row(app_id)
        assert ws[f"{columns['状态']}{r}"].value == "并列待定"
        assert ws[f"{columns['名称']}{r}"].fill.fgColor.rgb.endswith("F8CBAD")
    assert ws[f"{columns['名称']}{entry_row('ZX01')}"].border.bottom.style == "thick"
    # The summary row of a block (live COUNTIF): 优秀服务专家 入选 1, 并列待定 3.
    assert any(isinstance(v, str) and v.startswith("=COUNTIF(") for r in ws.iter_rows(values_only=True) for v in r)
    assert "并列待定数" in cells


def test_window_blocks_scale_by_the_built_platforms_of_the_tier(ranked):
    path, _ = ranked
    ws = openpyxl.load_workbook(path)[H.RANKING_SHEET]
    r = next(c.row for c in ws["E"] if c.value == "衡阳市中小企业公共服务平台")
    header = max(c.row for c in ws["E"] if c.value == "名称" and c.row < r)
    labels = {c.value: c.column_letter for c in ws[header] if c.value}
    scaled = ws[f"{labels['平台活跃度（折算）']}{r}"].value
    # 100 x 50 / MAX over the two built city platforms (张家界, not built, is below them, outside the range).
    assert scaled.startswith("=IF(MAX(") and "100*" in scaled
    zjj = next(c.row for c in ws["E"] if c.value == "张家界市中小企业公共服务平台")
    assert zjj > r and f"${r}" in scaled and f"${zjj}" not in scaled
    assert ws[f"{labels['平台活跃度（折算）']}{zjj}"].value is None
    assert ws[f"{labels['总分']}{r}"].value.startswith("=ROUND(指标权重1*")


def test_sheet_reads_back_and_a_second_run_gives_the_same_result(ranked, capsys):
    path, _ = ranked
    hub = read_hub(path, EDITION)  # the 排名 header is recognised (no InputError)
    rows = ranking_rows(hub)
    by_id = {(r["award"], r["app_id"] or r["name"]): r for r in rows}
    assert by_id[(INST, "JG01")]["status_key"] == "selected"
    assert by_id[(EXP, "ZX03")]["status_key"] == "tie_pending"
    assert by_id[("最受欢迎窗口服务平台", "长沙市中小企业公共服务平台")]["tier"] == "市州"
    assert len([r for r in rows if r["status_key"] == "selected"]) == 7  # 1+1+1+2+1+1
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 0
    assert json.loads(out)["categories"]["expert"][1]["status"] == "tie_pending"
    log = [r for _, r in read_hub(path, EDITION).rows(H.LOG_SHEET) if r.get("action") == L.LOG_ACTION]
    assert len(log) == 2  # one line per run


def test_long_form_scores_are_summed_per_expert_and_application(tmp_path, capsys):
    # JG01's ZJ01 80 written as two rubric-item rows 50 + 30: the same 85 / 86.5 as before.
    scores = dict(SCORES)
    scores["JG01"] = [("ZJ01", 50), ("ZJ01", 30)] + SCORES["JG01"][1:]
    path = make_hub(tmp_path, scores=scores)
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 0
    e = entry(json.loads(out), "institution", "JG01")
    assert (e["expert_score"], e["total"]) == (85.0, 86.5)


def test_failed_checks_exit_1_and_are_reported(tmp_path, capsys):
    # JG06: ZJ01 80, ZJ02 80, ZJ03 回避 -> 2 counted < 最少有效评分数 3: not ranked, error.
    # 专家戊's 官网备案 row now carries 专家甲's 证件号码: name -> ZX05, number -> ZX01: error, not used,
    # so ZX05 has no record: 0.7*70 + 0 = 49 (still rank 5).
    register = REGISTER + [_app("JG06", INST, "己机构", "常德市", id_code="91430700MA4J000006")]
    scores = {**SCORES, "JG06": [("ZJ01", 80), ("ZJ02", 80), ("ZJ03", None, "是", "否")]}
    portal = [p for p in PORTAL if p["applicant"] != "专家戊"] + [
        {"award": EXP, "applicant": "专家戊", "id_code": "430102198001010011", "portal_score": 70}]
    path = make_hub(tmp_path, register=register, scores=scores, portal=portal)
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 1
    doc = json.loads(out)
    jg06 = entry(doc, "institution", "JG06")
    assert (jg06["rank"], jg06["status"], jg06["expert_score"]) == (None, "not_selected", 80.0)
    zx05 = entry(doc, "expert", "ZX05")
    assert (zx05["portal_score"], zx05["total"], zx05["rank"]) == (0.0, 49.0, 5)
    assert entry(doc, "expert", "ZX01")["portal_score"] == 90.0  # its own record still counts
    code, out, _ = run_cli(capsys, "--hub", str(path))
    assert code == 1
    assert "己机构”（JG06）只有2份有效专家评分，少于3份" in out
    assert "官网备案第" in out and "“专家戊”" in out and "指向不同的申报" in out
    assert "评分不足未排名 1" in out


def test_percent_weights_in_settings_flow_into_the_ranking(tmp_path, capsys):
    # 设置 weights typed as text "60%" / "40%": accepted (0.6 / 0.4); the products swap:
    # CP02 0.6*84 + 0.4*84 = 84 > CP01 0.6*90 + 0.4*70 = 82.
    path = make_hub(tmp_path, settings={"scoring.expert_weight": "60%", "scoring.portal_weight": "40%"})
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 0
    doc = json.loads(out)
    assert [(e["id"], e["status"]) for e in doc["categories"]["product"][:2]] == [
        ("CP02", "selected"), ("CP01", "not_selected")]
    assert entry(doc, "product", "CP01")["total"] == pytest.approx(82.0, abs=1e-12)
    # The cell in 设置 is text, so the workbook name points at the value written in 排名.
    wb = openpyxl.load_workbook(path)
    assert "'排名'!" in wb.defined_names["专家权重"].attr_text
    assert "'设置'!" in wb.defined_names["指标权重1"].attr_text


def test_zscore_method_writes_numbers_and_says_so(tmp_path, capsys):
    path = make_hub(tmp_path, settings={"scoring.aggregation": "标准分"})
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 0
    ws = openpyxl.load_workbook(path)[H.RANKING_SHEET]
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and L.ZSCORE_NOTE in c.value]
    assert notes
    header = next(c.row for c in ws["E"] if c.value == "名称")
    col = next(c.column_letter for c in ws[header] if c.value == "专家评审得分")
    r = next(c.row for c in ws["D"] if c.value == "JG01")
    value = ws[f"{col}{r}"].value
    assert isinstance(value, float)
    assert value == pytest.approx(entry(json.loads(out), "institution", "JG01")["expert_score"], abs=1e-12)


def test_open_hub_is_refused_with_exit_2_and_left_unchanged(tmp_path, capsys):
    path = make_hub(tmp_path)
    before = path.read_bytes()
    lock = path.with_name(f".~lock.{path.name}#")
    lock.write_text("someone,host,2022")
    code, out, err = run_cli(capsys, "--hub", str(path))
    assert code == 2
    assert "正在被" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, lock.name])


def test_unreadable_hub_exit_2(tmp_path, capsys):
    junk = tmp_path / "hub.xlsx"
    junk.write_bytes(b"not a workbook")
    code, _, err = run_cli(capsys, "--hub", str(junk))
    assert code == 2 and "hub.xlsx" in err and "Traceback" not in err
    assert junk.read_bytes() == b"not a workbook"


def test_demo_step_ranks_the_demo_hub_and_skips_without_scores(tmp_path):
    from types import SimpleNamespace

    from xl_awards.demo.context import Skip
    from xl_awards.demo.steps import rank_step as demo_step

    path = make_hub(tmp_path / "a")
    ctx = SimpleNamespace(hub=path, edition=EDITION, data={})
    lines = demo_step(ctx)
    assert "优秀服务专家：申报 5，参评 5，入选 1（名额 2），并列待定 3" in lines
    assert ctx.data["ranking"].json["categories"]["institution"][0]["id"] == "JG01"
    empty = make_hub(tmp_path / "b", scores={})
    with pytest.raises(Skip):
        demo_step(SimpleNamespace(hub=empty, edition=EDITION, data={}))


def test_product_records_without_a_number_cannot_pick_between_equal_names(tmp_path, capsys):
    # Two products are called 云上通 (CP02 of 乙科技, CP03 of 丙科技); a record "云上通" without
    # 证件号码 fits both: an error, not used, and both have no 官网备案 (0): CP02 0.7*84 = 58.8,
    # CP03 0.7*60 = 42.  A record for a name no application has is only a warning.
    portal = [p for p in PORTAL if p["applicant"] != "云上通"] + [
        {"award": "创新服务产品", "applicant": "云上通", "portal_score": 84},
        {"award": "创新服务产品", "applicant": "不存在的产品", "portal_score": 99}]
    path = make_hub(tmp_path, portal=portal)
    code, out, _ = run_cli(capsys, "--hub", str(path), "--json")
    assert code == 1
    doc = json.loads(out)
    assert entry(doc, "product", "CP02")["total"] == pytest.approx(58.8, abs=1e-12)
    assert entry(doc, "product", "CP03")["total"] == pytest.approx(42.0, abs=1e-12)
    code, out, _ = run_cli(capsys, "--hub", str(path))
    assert "“云上通”在创新服务产品中对应2个申报，无法确定是哪一个" in out
    assert "“不存在的产品”（创新服务产品）找不到对应的申报" in out


def test_institution_records_without_a_number_match_by_name_or_are_reported(tmp_path, capsys):
    # 乙机构 has no 证件号码 in the scenario and is matched by its name (80); a second record without a
    # number for a name no institution has is only a warning and changes no total.
    portal = PORTAL + [{"award": INST, "applicant": "不存在的机构", "portal_score": 95}]
    code, out, _ = run_cli(capsys, "--hub", str(make_hub(tmp_path, portal=portal)), "--json")
    assert code == 0
    doc = json.loads(out)
    assert entry(doc, "institution", "JG02")["portal_score"] == 80.0
    assert all(e["portal_score"] != 95 for e in doc["categories"]["institution"])
    code, out, _ = run_cli(capsys, "--hub", str(make_hub(tmp_path / "b", portal=portal)))
    assert "官网备案第" in out and "“不存在的机构”（优秀服务机构）找不到对应的申报" in out

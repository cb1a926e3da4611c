"""The 排名 sheet's formulas compute what Python computed: the ranked hub is recalculated in
LibreOffice headless (one session for the whole module) and every formula cell is compared with
Python's number (tolerance 1e-9), ranks exactly; a few are also checked against the hand-worked
scenario (rank_scenario).  Charts and workbook names survive a LibreOffice load."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from rank_scenario import EDITION, make_hub
from xl_awards.jobs.rank import rank_hub
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, libreoffice):
    """Two ranked hubs — 设置 weights as numbers (names point at 设置) and as text "60%"/"40%"
    (names point at the values written in 排名) — recalculated in one LibreOffice run, plus the
    first one saved back by LibreOffice as .xlsx."""
    runs, paths = [], []
    for name, settings in (("plain", None), ("percent", {"scoring.expert_weight": "60%",
                                                        "scoring.portal_weight": "40%"})):
        path = make_hub(tmp_path_factory.mktemp(name), settings=settings)
        runs.append(rank_hub(path, EDITION, when="2022-09-30 10:00:00"))
        paths.append(path)
    # The third: a column per score instead of one per expert (as for a list with more than 40 experts):
    # 3 stands in for 40, so 优秀服务机构 (5 experts) and 创新服务产品 (4) get score columns.
    path = make_hub(tmp_path_factory.mktemp("slots"))
    saved_limit = L.MAX_EXPERT_COLUMNS
    L.MAX_EXPERT_COLUMNS = 3
    try:
        runs.append(rank_hub(path, EDITION, when="2022-09-30 10:00:00"))
    finally:
        L.MAX_EXPERT_COLUMNS = saved_limit
    paths.append(path)
    values = libreoffice.recalculate_many(paths)
    saved = libreoffice.convert(paths[0], "xlsx", tmp_path_factory.mktemp("lo"))
    return list(zip(runs, paths, values)), saved


def value_at(values, sheet, coordinate):
    col, row = coordinate_from_string(coordinate)
    grid = values[sheet]
    r, c = row - 1, column_index_from_string(col) - 1
    if r >= len(grid) or c >= len(grid[r]):
        return ""
    return grid[r][c]


def test_every_formula_cell_equals_pythons_number(recalculated):
    results, _ = recalculated
    for run, path, values in results:
        formulas = run.written.formulas
        # Every formula in 排名 is in the list compared (none escapes the check).
        ws = openpyxl.load_workbook(path)[H.RANKING_SHEET]
        in_sheet = {c.coordinate for r in ws.iter_rows() for c in r
                    if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"}
        assert in_sheet == {f.cell for f in formulas if f.sheet == H.RANKING_SHEET}
        kinds = {f.what for f in formulas}
        assert {"rank", "count", "aggregate", "total", "scaled", "summary", "parameter"} <= kinds
        mismatches = []
        for f in formulas:
            got = value_at(values, f.sheet, f.cell)
            if f.expected is None:
                ok = got == ""
            else:
                ok = isinstance(got, float) and abs(got - f.expected) <= 1e-9
                if f.what in ("rank", "count", "summary"):
                    ok = ok and got == f.expected  # ranks and counts exactly
            if not ok:
                mismatches.append((path.parent.name, f.cell, f.formula, got, f.expected))
        assert not mismatches


def test_recalculated_values_match_the_hand_worked_scenario(recalculated):
    results, _ = recalculated
    (run, path, values), (run_pct, path_pct, values_pct) = results[:2]

    def lookup(run, values, category, entry_id, key):
        block = run.written.blocks[category]
        r = block.rows[entry_id]
        col = run.written.columns[key]
        return values[H.RANKING_SHEET][r - 1][col - 1]

    # 0.7*85 + 0.3*90 = 86.5; ZX02..ZX04 share rank 2; CP02 ties CP01's 84 but ranks 2 on review score.
    assert lookup(run, values, "institution", "JG01", "total") == pytest.approx(86.5, abs=1e-9)
    assert lookup(run, values, "institution", "JG03", "expert_score") == pytest.approx(85, abs=1e-9)
    assert [lookup(run, values, "expert", i, "rank") for i in ("ZX01", "ZX02", "ZX03", "ZX04", "ZX05")] == \
        [1, 2, 2, 2, 5]
    assert [lookup(run, values, "product", i, "rank") for i in ("CP01", "CP02")] == [1, 2]
    assert lookup(run, values, "product", "CP02", "total") == lookup(run, values, "product", "CP01", "total")
    # Window: 长沙 87.5, 衡阳 75 (张家界's 1000s are not in the tier maximum).
    assert lookup(run, values, "window_city", "长沙市中小企业公共服务平台", "total") == pytest.approx(87.5, abs=1e-9)
    assert lookup(run, values, "window_city", "衡阳市中小企业公共服务平台", "total") == pytest.approx(75, abs=1e-9)
    # 60/40 (设置 as text): CP01 0.6*90+0.4*70 = 82 rank 2, CP02 84 rank 1.
    assert lookup(run_pct, values_pct, "product", "CP01", "total") == pytest.approx(82, abs=1e-9)
    assert lookup(run_pct, values_pct, "product", "CP02", "rank") == 1
    assert run.written.fallbacks == [] and set(run_pct.written.fallbacks) == {L.NAME_EXPERT_WEIGHT,
                                                                               L.NAME_PORTAL_WEIGHT}


def test_names_point_at_the_settings_values(recalculated):
    results, _ = recalculated
    run, path, values = results[0]
    wb = openpyxl.load_workbook(path)
    ws = wb[H.SETTINGS_SHEET]
    row_of = {r[0].value: r[0].row for r in ws.iter_rows(min_row=1) if r[0].value}
    assert wb.defined_names[L.NAME_EXPERT_WEIGHT].attr_text == f"'设置'!$C${row_of['scoring.expert_weight']}"
    assert wb.defined_names[L.NAME_PORTAL_WEIGHT].attr_text == f"'设置'!$C${row_of['scoring.portal_weight']}"
    assert wb.defined_names[L.NAME_TRIM_THRESHOLD].attr_text == f"'设置'!$C${row_of['scoring.trim_threshold']}"
    assert wb.defined_names["指标权重4"].attr_text == f"'设置'!$C${row_of['awards.window.metric_weights.4']}"


def test_charts_and_sheets_survive_a_libreoffice_load(recalculated):
    results, saved = recalculated
    run, path, _ = results[0]
    wb = openpyxl.load_workbook(path)
    assert len(wb[L.ANALYSIS_SHEET]._charts) == 3  # openpyxl keeps only what it wrote; the file has 3
    with zipfile.ZipFile(path) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 3
    with zipfile.ZipFile(saved) as z:  # LibreOffice loaded the workbook and wrote the charts back
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 3
    back = openpyxl.load_workbook(saved)
    assert H.RANKING_SHEET in back.sheetnames and L.ANALYSIS_SHEET in back.sheetnames
    # The sensitivity view lists the two products whose status depends on the weights.
    cells = [c.value for r in back[L.ANALYSIS_SHEET].iter_rows() for c in r]
    assert "专家评审60%、官网备案40%" in cells and "智造贷" in cells and "云上通" in cells


def test_a_list_with_many_experts_has_a_column_per_score(recalculated):
    # The scenario's 优秀服务机构 (rank_scenario): JG02 80, 84, 88, 92 by ZJ01..ZJ04 and ZJ05 回避 -> mean 86;
    # JG01 80, 90, 85, 70, 95 -> drop 95 and 70: 85; JG03 90, 90, 80, 85, 75 -> 85.  服务之星 (3 experts) keeps a
    # column per expert.
    results, _ = recalculated
    run, path, values = results[2]
    sheet = values[H.RANKING_SHEET]
    block = run.written.blocks["institution"]
    header = sheet[block.header_row - 1][13:19]
    assert header == ["评分1", "评分2", "评分3", "评分4", "评分5", "评审专家（依次对应评分1、评分2……）"]
    jg02 = sheet[block.rows["JG02"] - 1]
    assert jg02[13:17] == [80, 84, 88, 92] and jg02[17] == ""
    assert jg02[18] == "ZJ01 张一、ZJ02 张二、ZJ03 张三、ZJ04 张四、ZJ05 张五"
    col = run.written.columns["expert_score"] - 1
    assert [sheet[block.rows[a] - 1][col] for a in ("JG01", "JG02", "JG03")] == [85, 86, 85]  # recalculated
    ws = openpyxl.load_workbook(path)[H.RANKING_SHEET]
    assert "ZJ05" in ws.cell(row=block.rows["JG02"], column=18).comment.text  # the recused score's note
    jg01 = ws[block.rows["JG01"]]  # 80, 90, 85, 70, 95 by ZJ01..ZJ05: 70 and 95 struck through, no note each
    assert [c.font.strike for c in jg01[13:18]] == [None, None, None, True, True]
    assert all(c.comment is None for c in jg01[13:18])
    star = run.written.blocks["star"]
    assert sheet[star.header_row - 1][13:16] == ["ZJ01 张一", "ZJ02 张二", "ZJ03 张三"]

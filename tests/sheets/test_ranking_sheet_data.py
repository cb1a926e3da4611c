"""The ``排名`` layout (pure core, shared by ``xl-awards rank`` and the 计算排名 button), on the
hand-worked hub of ``rank_scenario`` and on small hand-built layouts.

Where the rows are, worked out by hand from the layout's rules (title row 1, 计算参数 rows 2-3,
note row 4, blocks from row 6; a block is title, summary, header, its entries — ranked first in
rank order, then the unranked — and the next block starts two rows after the last entry):

  市州 window    title 6,  summary 7,  header 8,  长沙 9 (1), 衡阳 10 (2), 张家界 11 (not built)
  县市区 window  title 13, summary 14, header 15, 浏阳 16, 醴陵 17
  服务之星       title 19, summary 20, header 21, XX01 22, XX02 23
  优秀服务机构   title 25, summary 26, header 27, JG01 28, JG02 29, JG03 30, JG04 31 (往年), JG05 32
  优秀服务专家   title 34, summary 35, header 36, ZX01 37, ZX02..ZX04 38-40 (tied), ZX05 41
  创新服务产品   title 43, summary 44, header 45, CP01 46, CP02 47, CP04 48, CP03 49
  not taking part: title 51, the cluster platform 52

Columns A..M are the 排名 schema (A 申报类别, C 排名, D 申报编号, E 名称, H 有效评分数, I 专家评审得分,
J 官网备案得分, K 总分, L 状态); details from N: one per expert (ZJ01 N, ZJ02 O, ZJ03 P, ZJ04 Q,
ZJ05 R) or, for windows, N 所属县市区 then each metric raw / scaled (O/P, Q/R, S/T, U/V).
"""

from __future__ import annotations

import openpyxl
import pytest

from rank_scenario import EDITION, make_hub
from xl_awards.io.hub import read_hub
from xl_awards.hub.scoring_inputs import compute_ranking
from xl_awards.sheets.ranking_sheet import (
    STYLE_DROPPED,
    STYLE_EXCLUDED,
    STYLE_MISSING,
    STYLE_NUMBER,
    STYLE_PENDING,
    STYLE_QUOTA_LINE,
    STYLE_SELECTED,
    STYLE_STRIKE,
    STYLE_TIE,
    Block,
    RankingLayout,
    ranking_layout,
    settings_cells,
)
from xl_awards.schema import hub as H

TRIM = "=ROUND(IF(COUNT({r})>=MAX(去高低分评分数,3),(SUM({r})-MAX({r})-MIN({r}))/(COUNT({r})-2),AVERAGE({r})),9)"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = make_hub(tmp_path_factory.mktemp("layout"))
    ranking = compute_ranking(read_hub(path, EDITION))
    grid = [list(r) for r in openpyxl.load_workbook(path)[H.SETTINGS_SHEET].iter_rows(values_only=True)]
    return ranking, grid


@pytest.fixture(scope="module")
def layout(scenario):
    ranking, grid = scenario
    return ranking_layout(ranking, EDITION, (H.SETTINGS_SHEET, grid))


def expected_at(layout, cell):
    hits = [f for f in layout.formulas if f.cell == cell]
    assert len(hits) == 1, cell
    return hits[0].expected


def test_blocks_sit_where_the_rows_add_up(layout):
    b = layout.blocks
    assert [(c, b[c].title_row, b[c].header_row, b[c].first_row, b[c].last_ranked_row, b[c].last_row)
            for c in ("window_city", "window_county", "star", "institution", "expert", "product")] == [
        ("window_city", 6, 8, 9, 10, 11), ("window_county", 13, 15, 16, 17, 17), ("star", 19, 21, 22, 23, 23),
        ("institution", 25, 27, 28, 30, 32), ("expert", 34, 36, 37, 41, 41), ("product", 43, 45, 46, 49, 49)]
    assert b["institution"].rows == {"JG01": 28, "JG02": 29, "JG03": 30, "JG04": 31, "JG05": 32}
    assert b["product"].rows == {"CP01": 46, "CP02": 47, "CP04": 48, "CP03": 49}
    assert layout.values[(27, 9)] == "专家评审得分" and layout.values[(27, 14)] == "ZJ01 张一"
    assert layout.values[(52, 5)] == "有色金属产业集群窗口平台"


def test_institution_cells_are_formulas_worked_by_hand(layout):
    v = layout.values
    # JG01: 80 90 85 70 95 in N..R; trimmed (95 and 70 dropped) = 85; 0.7*85 + 0.3*90 = 86.5, rank 1.
    assert [v[(28, c)] for c in range(14, 19)] == [80, 90, 85, 70, 95]
    assert v[(28, 8)] == "=COUNT(N28:R28)" and expected_at(layout, "H28") == 5
    assert v[(28, 9)] == TRIM.format(r="N28:R28") and expected_at(layout, "I28") == pytest.approx(85)
    assert v[(28, 10)] == 90
    assert v[(28, 11)] == "=ROUND(专家权重*I28+官网权重*J28,9)" and expected_at(layout, "K28") == pytest.approx(86.5)
    assert v[(28, 3)] == ("=1+SUMPRODUCT((K$28:K$30>K28)+(K$28:K$30=K28)*(I$28:I$30>I28)"
                          "+(K$28:K$30=K28)*(I$28:I$30=I28)*(J$28:J$30>J28))")
    assert expected_at(layout, "C28") == 1
    assert {c for c in range(14, 19) if STYLE_DROPPED in layout.styles.get((28, c), ())} == {17, 18}  # 70, 95
    assert STYLE_STRIKE in layout.styles[(28, 18)]
    # JG02: ZJ05 回避 -> R29 empty (the formulas never see it), grey, with a note; mean of 4 = 86; 84.2.
    assert (29, 18) not in layout.values and STYLE_EXCLUDED in layout.styles[(29, 18)]
    assert "回避" in layout.notes[(29, 18)]
    assert expected_at(layout, "H29") == 4 and expected_at(layout, "K29") == pytest.approx(84.2)
    # JG03: two 90s, only one dropped (ZJ01's, N30) with the 75 (R30); no 官网备案 -> 0, marked: 59.5.
    assert {c for c in range(14, 19) if STYLE_DROPPED in layout.styles.get((30, c), ())} == {14, 18}
    assert v[(30, 10)] == 0 and STYLE_MISSING in layout.styles[(30, 10)]
    assert expected_at(layout, "K30") == pytest.approx(59.5) and expected_at(layout, "C30") == 3
    # JG04 (往年获奖) and JG05 (不符合条件): listed, not ranked, no total.
    for r in (31, 32):
        assert (r, 3) not in layout.values and (r, 11) not in layout.values
    assert v[(31, 12)] == "往年获奖继续有效" and v[(32, 12)] == "不符合条件"


def test_window_and_star_cells(layout):
    v = layout.values
    # 长沙 [100, 50, 20, 10] against the built tier's max [100, 100, 20, 10]: 100, 50, 100, 100 -> 87.5.
    assert v[(9, 16)] == "=IF(MAX(O$9:O$10)=0,0,100*O9/MAX(O$9:O$10))" and expected_at(layout, "P9") == 100
    assert v[(9, 18)] == "=IF(MAX(Q$9:Q$10)=0,0,100*Q9/MAX(Q$9:Q$10))" and expected_at(layout, "R9") == 50
    assert v[(9, 11)] == "=ROUND(指标权重1*P9+指标权重2*R9+指标权重3*T9+指标权重4*V9,9)"
    assert expected_at(layout, "K9") == pytest.approx(87.5) and expected_at(layout, "K10") == pytest.approx(75)
    assert v[(9, 3)] == "=1+SUMPRODUCT(--(K$9:K$10>K9))"
    # 张家界 (not built): its 1000s shown, not in the tier range (rows 9-10), no rank.
    assert v[(11, 15)] == 1000 and (11, 3) not in v and (11, 16) not in v
    # 服务之星: total = the hub review score (90, mean of 3), rank by total only.
    assert v[(22, 11)] == "=I22" and expected_at(layout, "K22") == pytest.approx(90)
    assert v[(23, 3)] == "=1+SUMPRODUCT(--(K$22:K$23>K23))" and expected_at(layout, "C23") == 2


def test_parameters_point_at_settings_through_names(layout, scenario):
    _, grid = scenario
    row_of = {r[0]: n for n, r in enumerate(grid, start=1) if r and isinstance(r[0], str)}
    assert layout.names == {
        "专家权重": f"'设置'!$C${row_of['scoring.expert_weight']}",
        "官网权重": f"'设置'!$C${row_of['scoring.portal_weight']}",
        "去高低分评分数": f"'设置'!$C${row_of['scoring.trim_threshold']}",
        **{f"指标权重{i}": f"'设置'!$C${row_of[f'awards.window.metric_weights.{i}']}" for i in range(1, 5)},
    }
    assert layout.fallbacks == []
    # 计算参数: labels in row 2 from D, the values in row 3 as formulas on the names.
    assert [layout.values[(3, c)] for c in range(4, 11)] == [
        "=专家权重", "=官网权重", "=去高低分评分数", "=指标权重1", "=指标权重2", "=指标权重3", "=指标权重4"]
    assert expected_at(layout, "D3") == pytest.approx(0.7) and expected_at(layout, "F3") == 5


def test_without_settings_the_names_point_at_the_values_written_in_the_sheet(scenario):
    ranking, _ = scenario
    layout = ranking_layout(ranking, EDITION, None)
    assert sorted(layout.fallbacks) == sorted(["专家权重", "官网权重", "去高低分评分数",
                                               "指标权重1", "指标权重2", "指标权重3", "指标权重4"])
    assert layout.names["专家权重"] == "'排名'!$D$3" and layout.names["指标权重4"] == "'排名'!$J$3"
    assert layout.values[(3, 4)] == pytest.approx(0.7) and not layout.is_formula(3, 4)
    assert "0.7" in layout.notes[(3, 4)]


def test_summary_rows_count_by_formula(layout):
    v = layout.values
    # 机构: 申报 5, 参评 5 - 往年 1 - 不符合 1 = 3, 入选 2; 专家: 3 pending.
    assert v[(26, 2)] == "=COUNTA(E28:E32)" and expected_at(layout, "B26") == 5
    assert v[(26, 4)] == '=B26-COUNTIF(L28:L32,"往年获奖继续有效")-COUNTIF(L28:L32,"不符合条件")'
    assert expected_at(layout, "D26") == 3 and expected_at(layout, "F26") == 2
    assert v[(35, 7)] == "并列待定数" and expected_at(layout, "H35") == 3


def test_marks_as_rectangles(layout):
    # 入选 cells (column L): 长沙 9, 浏阳 16, XX01 22, JG01-JG02 28-29, ZX01 37, CP01 46.
    assert layout.ranges(STYLE_SELECTED) == [(9, 12, 9, 12), (16, 12, 16, 12), (22, 12, 22, 12),
                                             (28, 12, 29, 12), (37, 12, 37, 12), (46, 12, 46, 12)]
    # the three-way tie at rank 2 straddles the quota of 2: rows 38-40, columns A..M, one rectangle.
    assert layout.ranges(STYLE_PENDING) == [(38, 1, 40, 13)]
    assert layout.ranges(STYLE_TIE) == []  # the only shared rank is pending (orange, not yellow)
    # a line under the last selected, across the schema and the block's detail columns.
    assert layout.ranges(STYLE_QUOTA_LINE) == [(9, 1, 9, 22), (16, 1, 16, 22), (22, 1, 22, 16),
                                               (29, 1, 29, 18), (37, 1, 37, 16), (46, 1, 46, 17)]


def test_formula_grid_is_the_sheet_with_text_kept_as_text():
    layout = RankingLayout(sheet="排名")
    layout.values.update({(1, 1): "标题", (2, 1): "=SUM(B2:C2)", (2, 2): 1.5, (2, 3): "=1+1",
                          (3, 2): "-5", (3, 3): "'引号", (4, 1): "@x"})
    layout.formula_cells.add((2, 1))
    assert layout.formula_grid() == [
        ["标题", None, None],
        ["=SUM(B2:C2)", 1.5, "'=1+1"],  # user text that looks like a formula stays text
        [None, "'-5", "''引号"],
        ["'@x", None, None],
    ]


def test_number_ranges_cover_blanks_inside_a_block_only():
    layout = RankingLayout(sheet="排名")
    layout.blocks["b1"] = Block("b1", 1, 2, 3, 4, 6, 6)
    layout.blocks["b2"] = Block("b2", 8, 9, 10, 11, 12, 12)
    for cell, value in {(4, 2): 1.0, (6, 2): 2.0, (4, 3): 3.0, (6, 3): 4.0,  # B, C: rows 4 and 6
                        (4, 4): 1.0, (6, 4): 1.0, (4, 5): 1.0, (5, 5): 1.0, (6, 5): 1.0,  # D (D5 empty), E
                        (11, 2): 5.0, (12, 2): 6.0}.items():
        layout.values[cell] = value
        layout.styles[cell] = [STYLE_NUMBER]
    layout.values[(5, 3)] = "文字"  # C5 holds text: C's run breaks there
    # B4:B6 one run (B5 is empty: a format there shows nothing); C4 and C6 apart; D4:E6 one
    # rectangle (equal runs side by side); B11:B12 in the next block, never joined across blocks.
    assert layout.ranges(STYLE_NUMBER) == [(4, 2, 6, 2), (4, 3, 4, 3), (4, 4, 6, 5), (6, 3, 6, 3), (11, 2, 12, 2)]
    # fills never cover unstyled cells
    layout.styles[(4, 7)] = [STYLE_PENDING]
    layout.styles[(6, 7)] = [STYLE_PENDING]
    assert layout.ranges(STYLE_PENDING) == [(4, 7, 4, 7), (6, 7, 6, 7)]


def test_settings_cells_from_a_grid():
    grid = [["标题", None, None], ["键", "项目", "值"], ["scoring.expert_weight", "专家权重", 0.6], [None, None, None],
            ["  scoring.portal_weight ", "官网权重", "40%"]]
    assert settings_cells("设 置", grid) == {"scoring.expert_weight": ("'设 置'!$C$3", 0.6),
                                             "scoring.portal_weight": ("'设 置'!$C$5", "40%")}
    assert settings_cells("设置", [["无表头"]]) == {}

"""``排名``'s cells written as sheet XML (xl_awards.io.layout_rows) instead of an openpyxl cell per value.

The rank writes the sheet's frame through openpyxl and its rows as XML after openpyxl's save.  The
file must be the one openpyxl alone would have written: the hand-worked rank scenario
(tests/rank_scenario.py) is ranked both ways and every part of the two hubs is compared byte for byte
(only the save time in docProps/core.xml differs).  The cell XML itself is checked against strings
written out by hand.
"""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest

from tests import rank_scenario as S
from xl_awards.hub.scoring_inputs import compute_ranking
from xl_awards.io import layout_rows
from xl_awards.io.hub import load_hub_for_update, read_hub, save_hub
from xl_awards.io.layout_rows import LayoutRows, style_ids_of
from xl_awards.io.ranking_sheet import write_ranking_sheets
from xl_awards.io.sheet_parts import Unsupported
from xl_awards.jobs.rank import rank_hub
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _rank_both_ways(tmp_path, hub):
    ranking = compute_ranking(read_hub(hub, S.EDITION))
    out = {}
    for mode in ("rows", "openpyxl"):
        path = tmp_path / f"{mode}{hub.suffix}"
        shutil.copy2(hub, path)
        wb = load_hub_for_update(path)
        if mode == "rows":
            rows_seen = {}

            def edit(book, rows):
                rows_seen["rows"] = rows
                return write_ranking_sheets(book, ranking, S.EDITION, rows)

            wb.edit(edit, keep=(H.SETTINGS_SHEET,), rows=True, replaced=(H.RANKING_SHEET, L.ANALYSIS_SHEET))
            assert len(rows_seen["rows"]) == 1  # 排名 went the XML way
        else:
            wb.edit(lambda book: write_ranking_sheets(book, ranking, S.EDITION), keep=(H.SETTINGS_SHEET,))
        save_hub(wb, path, make_backup=False)
        out[mode] = _parts(path)
    return out


def _assert_same(out):
    a, b = out["rows"], out["openpyxl"]
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_the_ranked_hub_is_byte_identical_to_openpyxls(tmp_path):
    out = _rank_both_ways(tmp_path, S.make_hub(tmp_path / "hub"))
    _assert_same(out)
    sheet = next(n for n, data in out["rows"].items() if n.startswith("xl/worksheets/sheet")
                 and "专家评审得分".encode() in data and b"COUNTIF" in data)
    xml = out["rows"][sheet].decode()
    # a few cells worked out by hand from the scenario: the title, a formula, a note's cell
    assert '<c r="A1" s="' in xml and S.EDITION.title in xml
    assert "<f>" in xml and "<v /></c>" in xml
    assert any(n.startswith("xl/comments") for n in out["rows"])  # the recused / dropped-score notes


def test_score_columns_layout_is_byte_identical_too(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_EXPERT_COLUMNS", 3)  # 优秀服务机构 (5 experts), 创新服务产品 (4): score columns
    _assert_same(_rank_both_ways(tmp_path, S.make_hub(tmp_path / "hub")))


def test_a_macro_hub_keeps_its_project_and_buttons(tmp_path, monkeypatch):
    """The .xlsm hub (VBA project, 工作台 buttons): ranked both ways, the same parts and bytes."""
    real = S.write_hub_workbook
    monkeypatch.setattr(S, "write_hub_workbook", lambda *a, **k: real(*a, **k, macros=True))
    hub = S.make_hub(tmp_path / "hub")
    assert hub.suffix == ".xlsm"
    out = _rank_both_ways(tmp_path, hub)
    _assert_same(out)
    assert "xl/vbaProject.bin" in out["rows"]


def test_a_second_ranking_replaces_the_first_the_same_way(tmp_path):
    hub = S.make_hub(tmp_path / "hub")
    rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    _assert_same(_rank_both_ways(tmp_path, hub))


def test_when_the_xml_way_declines_the_whole_workbook_is_written_by_openpyxl(tmp_path, monkeypatch):
    hub = S.make_hub(tmp_path / "hub")
    reference = tmp_path / "reference.xlsx"
    shutil.copy2(hub, reference)
    rank_hub(reference, S.EDITION, when="2022-09-30 10:00:00")

    def decline(self):
        raise Unsupported("test")
        yield  # pragma: no cover

    monkeypatch.setattr(layout_rows.LayoutRows, "chunks", decline)
    rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    got = openpyxl.load_workbook(hub)
    want = openpyxl.load_workbook(reference)
    def look(ws):
        return [[(c.value, c.font.b, c.font.strike, c.fill.fgColor.rgb, c.number_format) for c in r] for r in ws.iter_rows()]

    for name in (H.RANKING_SHEET, L.ANALYSIS_SHEET):
        assert look(got[name]) == look(want[name])
    assert {c.coordinate for r in got[H.RANKING_SHEET].iter_rows() for c in r if c.comment} == \
        {c.coordinate for r in want[H.RANKING_SHEET].iter_rows() for c in r if c.comment} != set()


def _frame(values, styles=None, notes=None, formulas=(), heights=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, height in (heights or {}).items():
        ws.row_dimensions[row].height = height

    def apply(cell, keys):
        for key in keys:
            if key == "bold":
                cell.font = openpyxl.styles.Font(bold=True)
            elif key == "number":
                cell.number_format = "0.00"

    ids = style_ids_of(ws, styles or {}, apply)
    return ids, LayoutRows(ws, values, set(formulas), styles or {}, notes or {}, ids)


def test_cells_as_written_by_hand():
    values = {(1, 1): "标题", (1, 3): 86.5, (2, 1): "=SUM(C1:C1)", (2, 2): " 前后空格 ", (2, 3): "a<b&c>d",
              (3, 1): "=不是公式", (3, 2): 3, (4, 2): None}
    ids, rows = _frame(values, styles={(1, 1): ["bold"], (2, 1): ["number"], (4, 2): ["bold"]},
                       notes={(5, 4): "说明"}, formulas={(2, 1)}, heights={7: 30})
    assert ids[("bold",)] != ids[("number",)]
    bold, number = ids[("bold",)], ids[("number",)]
    assert "".join(rows.chunks()) == (
        f'<row r="1"><c r="A1" s="{bold}" t="inlineStr"><is><t>标题</t></is></c>'
        '<c r="C1" t="n"><v>86.5</v></c></row>'
        f'<row r="2"><c r="A2" s="{number}"><f>SUM(C1:C1)</f><v /></c>'
        '<c r="B2" t="inlineStr"><is><t xml:space="preserve"> 前后空格 </t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>a&lt;b&amp;c&gt;d</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>=不是公式</t></is></c>'  # text, not in formula_cells
        '<c r="B3" t="n"><v>3</v></c></row>'
        f'<row r="4"><c r="B4" s="{bold}" t="n" /></row>'
        '<row r="5"><c r="D5" t="n" /></row>'  # the noted cell, empty
        '<row r="7" ht="30" customHeight="1"></row>')  # a row with a height and no cells
    assert rows.dimension == "A1:D5"


def test_a_control_character_sends_the_sheet_the_openpyxl_way():
    _, rows = _frame({(1, 1): "名称\x01"})
    with pytest.raises(Unsupported):
        list(rows.chunks())


NOTES = {(5, 4): "说明", (1, 1): "标题的说明", (2, 3): " a<b & \"c\"\n第二行", (30, 28): "远处的说明"}


def test_cells_and_notes_as_openpyxl_writes_them(tmp_path):
    """The same cells and notes through openpyxl alone: the same sheet, comments and drawing parts."""
    from openpyxl.comments import Comment

    from xl_awards.io.sheet_parts import splice_sheets

    values = {(1, 1): "标题", (1, 3): 86.5, (2, 1): "=SUM(C1:C1)", (2, 2): " 前后空格 ", (2, 3): "a<b&c>d",
              (3, 1): "=不是公式", (3, 2): 3, (3, 5): 1e-20, (3, 6): 123456789012345678, (4, 2): None, (6, 1): ""}
    styles = {(1, 1): ["bold"], (2, 1): ["number"], (4, 2): ["bold"], (6, 3): ["bold", "number"]}
    heights = {7: 30, 2: 44}
    _, rows = _frame(values, styles=styles, notes=NOTES, formulas={(2, 1)}, heights=heights)
    r, c = rows.first_note
    rows.ws.cell(row=r, column=c).comment = Comment(NOTES[(r, c)], "xl-awards", width=260, height=90)
    rows.ws.parent.save(tmp_path / "frame.xlsx")
    splice_sheets(tmp_path / "frame.xlsx", tmp_path / "frame.xlsx", tmp_path / "spliced.xlsx", {},
                  {rows.ws.title: rows})

    wb = openpyxl.Workbook()
    ws = wb.active
    for row, height in heights.items():
        ws.row_dimensions[row].height = height
    for (r, c), v in values.items():
        cell = ws.cell(row=r, column=c)
        cell.value = v
        if isinstance(v, str) and (r, c) != (2, 1):
            cell.data_type = "s"
    for (r, c), keys in sorted(styles.items()):
        for key in keys:
            if key == "bold":
                ws.cell(row=r, column=c).font = openpyxl.styles.Font(bold=True)
            else:
                ws.cell(row=r, column=c).number_format = "0.00"
    for (r, c), text in NOTES.items():
        ws.cell(row=r, column=c).comment = Comment(text, "xl-awards", width=260, height=90)
    wb.save(tmp_path / "openpyxl.xlsx")
    got, want = _parts(tmp_path / "spliced.xlsx"), _parts(tmp_path / "openpyxl.xlsx")
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    xml = got["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:AB30" />' in xml  # the far note at AB30 counts
    comments = got["xl/comments/comment1.xml"].decode()
    assert comments.count("<comment ") == 4 and '<comment ref="AB30"' in comments
    assert "<t xml:space=\"preserve\"> a&lt;b &amp; \"c\"\n第二行</t>" in comments
    drawing = got["xl/drawings/commentsDrawing1.vml"].decode()
    assert [int(n) for n in __import__("re").findall(r"_x0000_s(\d+)", drawing)] == [1026, 1027, 1028, 1029]


XR_UID = (b'<sheetView xr:uid="{00000000-0001-0000-0000-000000000000}" '
          b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"')


def _sheet_values(path) -> dict[str, list]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets}


def test_the_large_sheets_cut_from_the_skeleton_come_back_as_they_were(tmp_path, monkeypatch):
    """The hub's large sheets are cut from the workbook openpyxl loads and put back after its save: copied
    as they are (compressed bytes) when openpyxl wrote the same text around their rows, else rows re-streamed
    under openpyxl's head.  Either way every sheet reads as without cutting."""
    from xl_awards.io import sheet_parts

    hub = S.make_hub(tmp_path / "hub")
    whole = tmp_path / "whole" / hub.name  # the same name: 操作日志 names the file
    whole.parent.mkdir()
    shutil.copy2(hub, whole)
    monkeypatch.setattr(sheet_parts, "STUB_BYTES", 1 << 40)  # nothing cut: the reference
    rank_hub(whole, S.EDITION, when="2022-09-30 10:00:00")

    monkeypatch.setattr(sheet_parts, "STUB_BYTES", 2000)  # 专家评分, 专家库, 申报汇总 ... are cut
    with zipfile.ZipFile(hub) as z:
        before = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
        cut = [t for t, p, _ in sheet_parts.sheet_parts(z) if z.getinfo(p).file_size > 2000]
    assert H.SCORES_SHEET in cut
    rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    assert _sheet_values(hub) == _sheet_values(whole)
    with zipfile.ZipFile(hub) as z:
        parts = {t: p for t, p, _ in sheet_parts.sheet_parts(z)}
        after = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    scores = parts[H.SCORES_SHEET]
    assert after[scores] == before[scores]  # copied as it was: not even recompressed
    with zipfile.ZipFile(hub) as z:
        before_rows = z.read(scores).count(b"<row ")

    # a sheet whose head openpyxl writes otherwise (here: a view attribute openpyxl leaves out): rows re-streamed
    edited = tmp_path / "edited" / hub.name
    edited.parent.mkdir()
    with zipfile.ZipFile(hub) as zin, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == scores:
                data = data.replace(b"<sheetView ", XR_UID + b" ", 1)  # as Excel writes it
                assert XR_UID in data
            zout.writestr(info, data)
    reference = tmp_path / "reference" / hub.name
    reference.parent.mkdir()
    shutil.copy2(edited, reference)
    monkeypatch.setattr(sheet_parts, "STUB_BYTES", 1 << 40)
    rank_hub(reference, S.EDITION, when="2022-09-30 10:00:00")
    monkeypatch.setattr(sheet_parts, "STUB_BYTES", 2000)
    rank_hub(edited, S.EDITION, when="2022-09-30 10:00:00")
    assert _sheet_values(edited) == _sheet_values(reference)
    with zipfile.ZipFile(edited) as z:
        text = z.read(scores)
    assert text.count(b"<row ") == before_rows and b"xr:uid" not in text  # openpyxl's head


def test_rank_does_not_read_the_old_ranking(tmp_path):
    """排名 is rewritten, never read by rank: a 排名 whose header a person broke does not stop the ranking."""
    hub = S.make_hub(tmp_path / "hub")
    rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.RANKING_SHEET]
    for row in ws.iter_rows(min_row=1, max_row=12):
        for cell in row:
            if cell.value is not None and not isinstance(cell.value, (int, float)):
                cell.value = "乱填"
    wb.save(hub)
    from xl_awards.base.errors import InputError

    with pytest.raises(InputError):  # the commands that read 排名 (publicity) say it cannot be read
        read_hub(hub, S.EDITION)
    run = rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    assert not [f for f in run.findings if f.rule in ("missing_sheet", "headers_unrecognised")]
    assert openpyxl.load_workbook(hub)[H.RANKING_SHEET]["A1"].value == L.TITLE.format(title=S.EDITION.title)


def test_an_edit_that_keeps_a_replaced_sheet_is_saved_with_its_notes(tmp_path):
    """A sheet named as replaced but kept by the edit: the whole workbook is saved, 排名's notes intact."""
    hub = S.make_hub(tmp_path / "hub")
    rank_hub(hub, S.EDITION, when="2022-09-30 10:00:00")
    notes = {c.coordinate for r in openpyxl.load_workbook(hub)[H.RANKING_SHEET].iter_rows() for c in r if c.comment}
    assert notes
    wb = load_hub_for_update(hub)
    wb.edit(lambda book: setattr(book[L.ANALYSIS_SHEET]["A2"], "value", "备注"), replaced=(H.RANKING_SHEET,))
    save_hub(wb, hub, make_backup=False)
    got = openpyxl.load_workbook(hub)
    assert {c.coordinate for r in got[H.RANKING_SHEET].iter_rows() for c in r if c.comment} == notes
    assert got[L.ANALYSIS_SHEET]["A2"].value == "备注"

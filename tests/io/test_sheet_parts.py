"""The part-level hub writer: only the written sheets' XML changes, values read back as written.

Each test writes a real hub built from the template (.xlsx and .xlsm) and reads it back with
python-calamine and openpyxl; the expected values are worked out by hand from the rows written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xl_awards.edition import load_edition
from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.io.sheet_parts import SheetWrite, Unsupported, write_parts
from xl_awards.schema import hub as H
from xl_awards.schema import workbench as W

EDITION = load_edition(2021)
LOG = hub_sheet_schema(EDITION, H.LOG_SHEET)
REGISTER = hub_sheet_schema(EDITION, H.REGISTER_SHEET)
EXPERTS = hub_sheet_schema(EDITION, H.EXPERTS_SHEET)


def _sheet(path, name):
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python()


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("macros", [False, True])
def test_only_the_written_sheets_change_and_every_other_part_is_copied(tmp_path, macros):
    path = write_hub_workbook(EDITION, tmp_path, macros=macros)
    before = _parts(path)
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, EXPERTS, [{"expert_id": "E01", "name": "张三"}, {"expert_id": "E02", "name": "李四"}])
    append_sheet_rows(wb, LOG, [{"time": "2022-09-01 10:00:00", "user": "测试", "action": "汇总申报", "count": 3}])
    save_hub(wb, path, make_backup=False)
    assert not wb.loaded  # written part by part, never loaded into openpyxl
    after = _parts(path)
    assert set(after) == set(before)
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
    changed = sorted(n for n in before if before[n] != after[n])
    sheets = {s for s in changed if s.startswith("xl/worksheets/sheet")}
    # 专家库, 操作日志 and, in the .xlsm, 工作台 (its 上次运行 column); workbook.xml for the filter range
    assert len(sheets) == (3 if macros else 2)
    assert set(changed) - sheets <= {"xl/workbook.xml"}
    if macros:
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
        assert after["xl/drawings/vmlDrawing1.vml"].decode().count('ObjectType="Button"') == 6
    experts = _sheet(path, H.EXPERTS_SHEET)
    header = next(i for i, r in enumerate(experts) if "专家编号*" in [str(v) for v in r])
    assert [r[:2] for r in experts[header + 1:]] == [["E01", "张三"], ["E02", "李四"]]
    log_ws = openpyxl.load_workbook(path)[H.LOG_SHEET]
    assert log_ws.auto_filter.ref == f"A2:G{log_ws.max_row}" and log_ws.max_row == 3  # header row 2, one row
    assert f"'{H.LOG_SHEET}'!$A$2:$G$3" in book
    log = _sheet(path, H.LOG_SHEET)
    assert log[-1][:3] == ["2022-09-01 10:00:00", "测试", "汇总申报"] and log[-1][5] == 3
    if not macros:
        return
    ws = openpyxl.load_workbook(path)[W.WORKBENCH_SHEET]
    last = [ws.cell(row=W.FIRST_STEP_ROW + 1 + i, column=W.COL_LAST_RUN + 1).value for i in range(6)]
    assert last == ["2022-09-01 10:00:00"] + [W.NEVER_RUN] * 5  # step 1 is 汇总申报


def test_values_are_typed_as_the_openpyxl_path_types_them(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path)
    wb = load_hub_for_update(path)
    rows = [
        {"app_id": "JG-001", "name": " 前后有空格 <&> ", "source_row": 7, "imported_at": dt.datetime(2022, 9, 1, 10, 30)},
        {"app_id": "JG-002", "name": "=1+1", "source_row": 2.5, "imported_at": dt.date(2022, 9, 2)},
        {"app_id": "JG-003", "name": "", "source_row": None, "status": True},
    ]
    replace_sheet_rows(wb, REGISTER, rows)
    save_hub(wb, path, make_backup=False)
    assert not wb.loaded
    ws = openpyxl.load_workbook(path)[H.REGISTER_SHEET]
    header = next(c.row for c in ws["A"] if c.value and "申报编号" in str(c.value))
    col = {str(c.value).rstrip("*"): c.column for c in ws[header] if c.value}
    first = header + 1
    assert ws.cell(first, col["申报编号"]).value == "JG-001"
    assert ws.cell(first, col["申报主体"]).value == " 前后有空格 <&> "
    assert ws.cell(first + 1, col["申报主体"]).value == "=1+1"  # text, never a formula
    assert ws.cell(first + 1, col["申报主体"]).data_type == "s"
    assert ws.cell(first, col["导入时间"]).value == dt.datetime(2022, 9, 1, 10, 30)
    assert ws.cell(first, col["导入时间"]).number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.cell(first + 1, col["导入时间"]).value == dt.datetime(2022, 9, 2)
    assert ws.cell(first + 1, col["导入时间"]).number_format == "yyyy-mm-dd"
    assert ws.cell(first + 2, col["申报主体"]).value is None
    assert ws.max_row == first + 2
    grid = _sheet(path, H.REGISTER_SHEET)
    assert grid[first - 1][col["导入时间"] - 1] == dt.datetime(2022, 9, 1, 10, 30)
    assert grid[first][col["导入时间"] - 1] == dt.date(2022, 9, 2)


def test_a_second_replace_leaves_no_old_rows(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path)
    for names in (["甲", "乙", "丙"], ["丁"]):
        wb = load_hub_for_update(path)
        replace_sheet_rows(wb, EXPERTS, [{"expert_id": f"E{i}", "name": n} for i, n in enumerate(names)])
        save_hub(wb, path, make_backup=False)
    grid = _sheet(path, H.EXPERTS_SHEET)
    header = next(i for i, r in enumerate(grid) if "专家编号*" in [str(v) for v in r])
    assert [r[1] for r in grid[header + 1:]] == ["丁"]


def test_merged_cells_in_the_data_area_go_through_openpyxl(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[H.EXPERTS_SHEET]
    ws.merge_cells("A20:C20")
    wb.save(path)
    update = load_hub_for_update(path)
    replace_sheet_rows(update, EXPERTS, [{"expert_id": "E01", "name": "张三"}])
    with pytest.raises(Unsupported):
        write_parts(path, tmp_path / "out.xlsx", update.writes, [])
    save_hub(update, path, make_backup=False)  # falls back to the whole-workbook save
    grid = _sheet(path, H.EXPERTS_SHEET)
    assert any(r[:2] == ["E01", "张三"] for r in grid)


def test_a_sheet_that_does_not_exist_is_refused_by_the_part_writer(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path)
    other = dataclasses.replace(EXPERTS, name="不存在的表")
    with pytest.raises(Unsupported):
        write_parts(path, tmp_path / "out.xlsx", [SheetWrite(other.name, "replace", other, [])], [])


def test_a_sheet_the_hub_lacks_is_created_on_the_cut_skeleton_and_its_rows_go_in_part_by_part(tmp_path):
    from xl_awards.schema.review import DETAIL_SCHEMA

    path = write_hub_workbook(EDITION, tmp_path, macros=True)
    before = _parts(path)
    hidden = [ws.title for ws in openpyxl.load_workbook(path).worksheets if ws.sheet_state != "visible"]
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, DETAIL_SCHEMA, [
        {"expert_id": "ZJ01", "expert_name": "王建华", "app_id": "JG-001", "award": "优秀服务机构", "name": "机构甲",
         "item": "服务能力", "score": 17.5, "recused": "否"},
        {"expert_id": "ZJ02", "expert_name": "李淑芬", "app_id": "JG-001", "award": "优秀服务机构", "name": "机构甲",
         "item": "服务能力", "score": 16, "recused": "否"}])
    save_hub(wb, path, make_backup=False)
    assert not wb.loaded  # the new sheet was made on the skeleton, not by loading the whole hub
    grid = _sheet(path, "评分明细")
    labels = [f.header for f in DETAIL_SCHEMA.fields]  # 专家编号*, 专家姓名*, ...: as the template writes headers
    assert grid[0][0] == "评分明细" and grid[1][:len(labels)] == labels
    assert grid[2][:7] == ["ZJ01", "王建华", "JG-001", "优秀服务机构", "机构甲", "服务能力", 17.5]
    assert grid[3][6] == 16 and len(grid) == 4
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert names.index("评分明细") < min(names.index(h) for h in hidden)  # among the visible sheets
    assert book["评分明细"]["A2"].font.b
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == before["xl/vbaProject.bin"]
        buttons = sum(z.read(n).decode().count('ObjectType="Button"') for n in z.namelist() if n.endswith(".vml"))
    assert buttons == 6


DETAIL_ROWS = 3000  # about 1 MB of sheet XML: over the size at which a sheet is cut for openpyxl


def _big_hub(tmp_path, macros=True):
    from xl_awards.schema.review import DETAIL_SCHEMA

    path = write_hub_workbook(EDITION, tmp_path, macros=macros)
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, DETAIL_SCHEMA, [
        {"expert_id": f"ZJ{i % 20:02d}", "expert_name": "王建华", "app_id": f"JG-{i // 4:04d}", "award": "优秀服务机构",
         "name": f"机构{i // 4}", "item": f"评分项{i % 4}", "score": i % 25, "recused": "否",
         "source_file": "专家评分.xlsx", "source_sha256": "ab" * 32, "imported_at": "2022-09-30 10:00:00"}
        for i in range(DETAIL_ROWS)])
    save_hub(wb, path, make_backup=False)
    return path


def _add_sheet(book):
    from openpyxl.styles import Font

    ws = book.create_sheet("新表")
    ws["A1"] = "标题"
    ws["A1"].font = Font(bold=True, size=16)
    ws["B2"] = 42
    return ws.title


def test_an_openpyxl_edit_runs_on_the_hub_with_its_large_sheets_cut_and_their_rows_come_back(tmp_path):
    path = _big_hub(tmp_path)
    project = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    header_font = openpyxl.load_workbook(path)["评分明细"]["A2"].font.b
    wb = load_hub_for_update(path)
    assert wb.edit(_add_sheet) == "新表"
    cut = wb._skeleton.cut
    assert "评分明细" in cut  # the large sheet was cut for openpyxl
    append_sheet_rows(wb, LOG, [{"time": "2022-10-01 09:00:00", "user": "测试", "action": "计算排名"}])
    save_hub(wb, path, make_backup=False)
    assert not wb.loaded  # never loaded whole
    detail = _sheet(path, "评分明细")
    assert len(detail) == 2 + DETAIL_ROWS  # title, header, every row
    assert detail[2][:3] == ["ZJ00", "王建华", "JG-0000"] and detail[-1][6] == (DETAIL_ROWS - 1) % 25
    book = openpyxl.load_workbook(path)
    assert book["新表"]["A1"].value == "标题" and book["新表"]["A1"].font.b and book["新表"]["B2"].value == 42
    assert book["评分明细"]["A2"].font.b == header_font is True  # the rows kept their cell formats
    assert _sheet(path, H.LOG_SHEET)[-1][:3] == ["2022-10-01 09:00:00", "测试", "计算排名"]
    assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == project
    ws = book[W.WORKBENCH_SHEET]
    assert ws.cell(row=W.FIRST_STEP_ROW + 4, column=W.COL_LAST_RUN + 1).value == "2022-10-01 09:00:00"  # step 4


def test_an_edit_that_changes_a_cut_sheet_is_run_again_on_the_whole_workbook(tmp_path):
    path = _big_hub(tmp_path, macros=False)

    def change(book):
        book["评分明细"]["M1"] = "人工备注"

    wb = load_hub_for_update(path)
    wb.edit(change)
    save_hub(wb, path, make_backup=False)
    assert wb.loaded  # the whole-workbook path
    detail = _sheet(path, "评分明细")
    assert detail[0][12] == "人工备注" and len(detail) == 2 + DETAIL_ROWS


def test_rows_past_excels_last_row_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    # Excel's 1,048,576 stands in as 5: the log's header is row 2, so 4 appended rows would end on row 6
    import xl_awards.io.sheet_parts as parts
    from xl_awards.base.errors import InputError

    path = write_hub_workbook(EDITION, tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(parts, "EXCEL_ROWS", 5)
    wb = load_hub_for_update(path)
    append_sheet_rows(wb, LOG, [{"time": f"2022-09-0{i} 10:00:00", "user": "测试", "action": "汇总申报"} for i in range(1, 5)])
    with pytest.raises(InputError) as refused:
        save_hub(wb, path)
    assert str(refused.value) == (f"{path.name}：工作表“操作日志”将有 6 行，超过 Excel 每张工作表 5 行的上限，未写入，"
                                  "省枢纽平台工作簿未改动；请减少该表的行数后再运行")
    assert path.read_bytes() == before and not list(tmp_path.glob("*备份*"))


def test_excel_serials_are_openpyxls_and_text_is_escaped_as_saxutils_escapes_it():
    """The part writer's own date serial and XML escape give exactly what openpyxl and xml.sax.saxutils give
    (it does not import them: 75 ms at every start)."""
    import random
    from xml.sax.saxutils import escape as sax_escape

    from openpyxl.utils.datetime import to_excel

    from xl_awards.io.sheet_parts import _to_excel, escape

    # worked by hand: 1900-01-01 is serial 1 (Excel counts a 1900-02-29), 1900-03-01 is 61, 2022-09-10 is 44814
    assert _to_excel(dt.date(1900, 1, 1)) == 1 and _to_excel(dt.date(1900, 3, 1)) == 61
    assert _to_excel(dt.date(2022, 9, 10)) == 44814.0
    assert _to_excel(dt.datetime(2022, 9, 10, 12)) == 44814.5
    rng = random.Random(1900)
    values = [dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 2, 28), dt.date(1900, 3, 1),
              dt.datetime(1900, 2, 28, 23, 59, 59, 999999), dt.date(9999, 12, 31), dt.date(1, 1, 1)]
    for _ in range(5000):
        day = dt.date(1890, 1, 1) + dt.timedelta(days=rng.randrange(60000))
        values.append(day)
        values.append(dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60),
                                                       rng.choice([0, rng.randrange(10 ** 6)]))))
    for value in values:
        ours, theirs = _to_excel(value), to_excel(value)
        assert ours == theirs and type(ours) is type(theirs) and "%.16g" % ours == "%.16g" % theirs, value
    for text in ["", "a<b>&c", "&amp;", "<<>>&&", "“引号”'\"", "]]>", "张三 & 李四 <公司>"]:
        assert escape(text) == sax_escape(text), text
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"

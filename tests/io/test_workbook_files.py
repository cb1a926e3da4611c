"""Every reader shares the file checks: the hub and expert-workbook readers word a folder or an
empty file as clearly as the intake reader (one Chinese line, exit 2)."""

import pytest

from xl_awards.cli import main


@pytest.mark.parametrize("command", [["rank", "--hub"], ["consolidate", "--hub"]])
def test_a_folder_given_as_the_hub(tmp_path, capsys, command):
    folder = tmp_path / "枢纽"
    folder.mkdir()
    args = command + [str(folder)] + ([str(folder)] if command[0] == "consolidate" else [])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("枢纽：") and "文件夹" in err and "\n" not in err


def test_an_empty_file_given_as_a_returned_expert_workbook(tmp_path, capsys):
    from xl_awards.io.expert_book import read_expert_workbook
    from xl_awards.base.errors import InputError

    empty = tmp_path / "专家评分_E01_张三.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as exc:
        read_expert_workbook(empty)
    assert str(exc.value).startswith("专家评分_E01_张三.xlsx：") and "空" in str(exc.value)


def test_read_grids_reads_only_the_sheets_asked_for(tmp_path):
    import xlsxwriter

    from xl_awards.io.workbook_files import read_grids

    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, value in (("设置", 1), ("评分 明细", 2), ("ＡＢ", 3), ("其他", 4)):
        wb.add_worksheet(name).write(0, 0, value)
    wb.close()
    grids, _ = read_grids(path, only=["设置", "评分明细", "AB"])  # blanks and full-width letters as sheet_key matches
    assert grids == {"设置": [[1.0]], "评分 明细": [[2.0]], "ＡＢ": [[3.0]]}
    grids, _ = read_grids(path, only="其他")
    assert grids == {"其他": [[4.0]]}


def test_hub_sheets_read_with_shared_text_equal_the_plain_read(tmp_path):
    from xl_awards.io.workbook_files import read_grids

    # share_text (the hub reader): the same grid from A1, ragged rows padded as the plain read pads them,
    # a sheet starting past A1 read as it is; equal texts are then one object.
    import xlsxwriter

    path = tmp_path / "hub.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("评审分配")
    ws.write_row(0, 0, ["标题"])
    ws.write_row(1, 0, ["专家编号", "签名", "得分"])
    for r in range(2, 6):
        ws.write_row(r, 0, ["ZJ01", "ab" * 32, r * 1.5])
    ws.write(8, 4, "远处")  # a blank row 7-8 and a wider last row
    book.add_worksheet("从B3开始").write("B3", "x")
    book.close()
    plain, _ = read_grids(path)
    shared, _ = read_grids(path, share_text=True)
    assert shared == plain
    assert shared["评审分配"][8] == ["", "", "", "", "远处"] and len(shared["评审分配"]) == 9
    assert shared["从B3开始"] == [["", ""], ["", ""], ["", "x"]]
    rows = shared["评审分配"][2:6]
    assert all(r[1] is rows[0][1] for r in rows)  # one object for the four equal signatures


def test_the_hub_reader_bounds_the_sheets_it_reads_and_not_the_others(tmp_path):
    # The hub reader reads only the hub book's sheets (not 工作流程说明, 评分明细, 排名分析): a stray cell at
    # SF30000 (500 columns x 30,000 rows = 15 million cells, over the 10 million a reader may allocate) on
    # 工作流程说明 leaves the hub readable; the same cell on 申报汇总, which is read, is refused in one line.
    import openpyxl

    from xl_awards.base.errors import InputError
    from xl_awards.edition import load_edition
    from xl_awards.io.hub import load_hub_for_update, read_hub
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.hub_template import write_hub_workbook

    edition = load_edition(2021)
    template = write_hub_workbook(edition, tmp_path / "t")
    for sheet, readable in (("工作流程说明", True), ("申报汇总", False)):
        hub = tmp_path / sheet / template.name
        hub.parent.mkdir()
        wb = openpyxl.load_workbook(template)
        wb[sheet]["SF30000"] = "远处"
        wb.save(hub)
        if readable:
            with hub_writer(hub, "测试"):
                assert read_hub(hub, edition).table("申报汇总") is not None
                assert "工作流程说明" in load_hub_for_update(hub).sheetnames
        else:
            with pytest.raises(InputError) as caught:
                read_hub(hub, edition)
            assert str(caught.value) == (f"{hub.name}：工作表“申报汇总”的使用区域为 30000 行 × 500 列，超过上限 10000000 个单元格，"
                                         "已拒绝读取；请删除多余的行列后再试")


def test_a_sheet_at_the_row_limit_is_read_and_one_past_it_refused_with_page_breaks_in_it(tmp_path):
    """The quick scan counts row tags from above ('<rowBreaks' counts too): a sheet at the limit is then
    scanned exactly and still read."""
    import xlsxwriter

    from xl_awards.base.errors import InputError
    from xl_awards.io import workbook_files as wf

    path = tmp_path / "rows.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    for r in range(30):
        ws.write(r, 0, r)
    ws.set_h_pagebreaks([10, 20])
    wb.close()
    wf._CHECKED.clear()
    wf.check_workbook_file(path, max_rows=30)  # 30 rows (and a <rowBreaks> element): within the limit
    wf._CHECKED.clear()
    with pytest.raises(InputError, match="29"):
        wf.check_workbook_file(path, max_rows=29)


def test_sheet_grids_checks_the_file_once_and_reads_each_sheet_only_when_asked(tmp_path, monkeypatch):
    """The hub reader holds one sheet's grid at a time (``SheetGrids``): the file is checked once for every
    sheet to be read, each sheet is read when asked for and not kept, the others are never read."""
    import xlsxwriter

    from xl_awards.base.errors import InputError
    from xl_awards.io import workbook_files as wf

    path = tmp_path / "hub.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in (("设置", [["键", "值"], ["a", 1]]), ("申报汇总", [["编号"], ["JG-001"], ["JG-002"]]),
                       ("评分明细", [["x"]] * 5)):
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()
    scans, reads = [], []
    real_scan, real_read = wf._whole_file_within, wf.read_grids
    monkeypatch.setattr(wf, "_whole_file_within", lambda *a, **k: scans.append(1) or real_scan(*a, **k))
    monkeypatch.setattr(wf, "read_grids", lambda p, only, **k: reads.append(list(only)) or real_read(p, only=only, **k))
    wf._CHECKED.clear()

    grids = wf.SheetGrids(path, ["设置", "申报汇总", "不存在的表"])
    assert list(grids) == ["设置", "申报汇总"] and len(grids) == 2 and reads == []
    assert grids["申报汇总"] == [["编号"], ["JG-001"], ["JG-002"]]
    assert grids["设置"] == [["键", "值"], ["a", 1.0]]
    assert grids["申报汇总"] is not grids["申报汇总"]  # read again when asked again: nothing kept
    assert reads == [["申报汇总"], ["设置"], ["申报汇总"], ["申报汇总"]]
    assert len(scans) == 1  # one check of the file, for both sheets
    with pytest.raises(KeyError):
        grids["评分明细"]  # not among the sheets asked for

    junk = tmp_path / "坏文件.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(InputError) as exc:
        wf.SheetGrids(junk, ["设置"])
    assert str(exc.value).startswith("坏文件.xlsx：") and "\n" not in str(exc.value)

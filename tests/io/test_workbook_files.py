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

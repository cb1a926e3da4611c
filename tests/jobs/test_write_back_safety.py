"""`validate --write-back` when the output cannot be written: one Chinese line, exit 2, the input untouched."""

from factory import write_intake
from test_validate_cli import bad_star_rows
from xl_awards.cli import main


def test_in_place_refused_while_the_workbook_is_open(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    before = path.read_bytes()
    (tmp_path / ".~lock.长沙市.xlsx#").write_text("")  # LibreOffice has it open
    assert main(["validate", str(path), "--write-back", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["长沙市.xlsx：工作簿正在被 Excel、WPS 或 LibreOffice 打开（发现锁定文件 .~lock.长沙市.xlsx#），"
                   "请先关闭后再运行，本次未写入"]
    assert path.read_bytes() == before


def test_output_path_taken_by_a_folder(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    before = path.read_bytes()
    (tmp_path / "长沙市_校验结果.xlsx").mkdir()  # the default copy's name is a folder: the rename fails
    assert main(["validate", str(path), "--write-back"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["长沙市_校验结果.xlsx：写入失败（Is a directory），原文件未改动"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["长沙市.xlsx", "长沙市_校验结果.xlsx"]  # no temporary file left

"""The reader's junk-input contract: whatever the file, one Chinese line naming it, exit 2, no
traceback, the file untouched; or, for a readable workbook with odd layout, the right findings."""

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checkhelp import triples
from factory import EDITION, write_intake
from xl_awards.cli import main
from xl_awards.io.intake import read_intake
from xl_awards.jobs.validate import validate_files
from xl_awards.schema.intake import STAR_SHEET

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(stream_name: str, size: int = 4096) -> bytes:
    """A minimal OLE2 / CFB (MS-CFB v3) file with one stream, as .xls and encrypted OOXML files are.

    Sector 0 holds the FAT, sector 1 the directory, sectors 2.. the stream (>= 4096 bytes, so it
    lives in regular sectors and no mini stream is needed).
    """
    n_data = size // 512
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108
    assert len(header) == 512
    fat = [FATSECT, ENDOFCHAIN] + [i + 1 for i in range(2, 2 + n_data - 1)] + [ENDOFCHAIN]
    fat += [FREESECT] * (128 - len(fat))

    def entry(name, kind, child, start, length):
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", NOSTREAM, NOSTREAM, child) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", start, length))

    directory = entry("Root Entry", 5, 1, ENDOFCHAIN, 0) + entry(stream_name, 2, NOSTREAM, 2, size)
    directory += entry("", 0, NOSTREAM, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + bytes(size)


def assert_input_error(path: Path, capsys, *fragments: str) -> None:
    """`validate` exits 2 with one line on stderr naming the file, and leaves the file as it was."""
    before = (path.read_bytes(), os.stat(path).st_mtime_ns) if path.is_file() else None
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert code == 2
    assert captured.out == ""  # no empty summary table: the one line on stderr is all there is
    assert len(err.splitlines()) == 1, err
    assert path.name in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    if before is not None:
        assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_not_found(tmp_path, capsys):
    assert_input_error(tmp_path / "没有这个文件.xlsx", capsys, "文件不存在")


@pytest.mark.parametrize(
    "content",
    [
        b"name,city\n\xe5\xbc\xa0,\xe9\x95\xbf\xe6\xb2\x99\n",  # a CSV renamed .xlsx
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",  # a PDF renamed .xlsx
        bytes(range(256)) * 8,  # random bytes
    ],
)
def test_not_a_workbook(tmp_path, capsys, content):
    path = tmp_path / "申报.xlsx"
    path.write_bytes(content)
    assert_input_error(path, capsys, "不是 Excel 工作簿")


def test_empty_file(tmp_path, capsys):
    path = tmp_path / "申报.xlsx"
    path.write_bytes(b"")
    assert_input_error(path, capsys, "是空文件（0 字节）")


def test_directory_given_as_file(tmp_path, capsys):
    path = tmp_path / "长沙市.xlsx"
    path.mkdir()
    assert_input_error(path, capsys, "是文件夹，不是工作簿")


def test_no_read_permission(capsys):
    """A file the user may not read.  Root reads anything, so as root the call runs as nobody."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="xl_awards_perm_", dir="/tmp"))
    try:
        os.chmod(folder, 0o755)  # nobody may look into the folder, not into the file
        path = write_intake(folder / "无权限.xlsx")
        main(["validate", str(path)])  # warm up every import while they are readable
        capsys.readouterr()
        os.chmod(path, 0)
        before = os.stat(path).st_mtime_ns
        as_root = os.geteuid() == 0
        if as_root:
            os.seteuid(65534)
        try:
            code = main(["validate", str(path)])
        finally:
            if as_root:
                os.seteuid(0)
        captured = capsys.readouterr()
        assert code == 2 and captured.out == ""
        assert captured.err.strip() == "无权限.xlsx：没有读取权限，请检查文件权限或先关闭占用该文件的程序"
        assert os.stat(path).st_mtime_ns == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_zip_that_is_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert_input_error(path, capsys, "不是 Excel 工作簿")


def test_truncated_zip(tmp_path, capsys):
    good = write_intake(tmp_path / "good.xlsx")
    path = tmp_path / "截断.xlsx"
    path.write_bytes(good.read_bytes()[:3000])  # the central directory is gone
    assert_input_error(path, capsys, "已损坏")


def test_damaged_sheet_xml(tmp_path, capsys):
    good = write_intake(tmp_path / "good.xlsx")
    path = tmp_path / "损坏.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            dst.writestr(item, data)
    assert_input_error(path, capsys, "已损坏")


def test_legacy_xls(tmp_path, capsys):
    data = compound_file("Workbook")
    try:
        import olefile  # noqa: F811
        assert olefile.OleFileIO(io.BytesIO(data)).listdir() == [["Workbook"]]
    except ImportError:
        pass
    for name in ("旧版.xls", "改名.xlsx"):  # an .xls, and an .xls renamed .xlsx
        path = tmp_path / name
        path.write_bytes(data)
        assert_input_error(path, capsys, "旧版 .xls", "另存为 .xlsx")


def test_encrypted_crafted(tmp_path, capsys):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(compound_file("EncryptedPackage"))
    assert_input_error(path, capsys, "已加密")


def test_encrypted_real(tmp_path, capsys):
    from msoffcrypto.format import ooxml  # msoffcrypto-tool (test extra) encrypts a real workbook

    plain = write_intake(tmp_path / "plain.xlsx")
    path = tmp_path / "有密码.xlsx"
    with plain.open("rb") as src, path.open("wb") as dst:
        ooxml.OOXMLFile(src).encrypt("secret", dst)
    assert_input_error(path, capsys, "已加密", "取消密码")


def test_no_intake_sheets(tmp_path, capsys):
    from openpyxl import Workbook

    path = tmp_path / "别的表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "姓名"
    wb.save(path)
    assert_input_error(path, capsys, "找不到任何申报工作表", STAR_SHEET)


def test_headers_renamed_beyond_recognition(tmp_path, capsys):
    renamed = {"姓名": "名字", "性别": "男/女", "身份证号码": "证件", "所在窗口平台": "单位", "平台类型": "类型",
               "从事中小企业服务起始年月": "起始", "近一年企业投诉次数": "投诉", "主要服务业绩": "业绩",
               "所属市州": "市", "联系电话": "电话", "无不良征信记录承诺": "承诺"}
    path = write_intake(tmp_path / "改表头.xlsx", rename={STAR_SHEET: renamed})
    assert_input_error(path, capsys, "表头无法识别", f"“{STAR_SHEET}”")


def test_empty_data_sheet_is_unrecognised(tmp_path, capsys):
    from openpyxl import load_workbook

    path = write_intake(tmp_path / "清空.xlsx")
    wb = load_workbook(path)
    wb[STAR_SHEET].delete_rows(1, 10)
    wb.save(path)
    assert_input_error(path, capsys, "表头无法识别")


def test_subprocess_has_no_traceback(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a workbook")
    result = subprocess.run([sys.executable, "-m", "xl_awards", "validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"{path.name}：不是 Excel 工作簿（.xlsx/.xlsm），无法读取"


# -- readable workbooks with an odd layout: findings, not failures --------------------------------
def test_missing_required_column_is_one_finding(tmp_path):
    def two_stars(rows):
        second = dict(rows[STAR_SHEET][0], id_number="430304198001014569", platform="浏阳市中小企业公共服务平台",
                      platform_type="县市区综合窗口平台")
        rows[STAR_SHEET].append(second)
    from checkhelp import run

    findings = run(tmp_path, two_stars, drop={STAR_SHEET: {"phone"}})
    assert triples(findings) == [("missing_column", "", "error")]
    f = findings[0]
    assert (f.sheet, f.row, f.field) == (STAR_SHEET, 2, "联系电话")


def test_missing_optional_and_extra_columns_are_fine(tmp_path):
    from checkhelp import run

    assert run(tmp_path, drop={STAR_SHEET: {"position", "honors", "app_id"}},
               extra_columns={STAR_SHEET: ["备注", "检查"]}) == []


def test_header_found_anywhere_in_the_first_rows_in_any_order(tmp_path):
    from openpyxl import load_workbook

    path = write_intake(tmp_path / "长沙市.xlsx", reverse_columns=True)
    wb = load_workbook(path)
    ws = wb[STAR_SHEET]
    ws.insert_rows(1, 3)  # header now on row 5, data on row 6
    ws["A1"] = "填表单位："
    # columns reversed: A is 荣誉证明, B 主要服务业绩材料.  Labels with notes, spaces and a
    # full-width asterisk still match.
    ws.cell(5, 1).value, ws.cell(5, 2).value = "荣誉证明(如有)", " 主要服务 业绩材料 ＊（附件）"
    wb.save(path)
    assert validate_files([path], EDITION) == []
    book = read_intake(path, EDITION)
    table = book.tables[STAR_SHEET]
    assert table.header_row == 5 and table.rows[0][0] == 6


def test_merged_cells(tmp_path):
    def two_stars(rows):
        second = dict(rows[STAR_SHEET][0], id_number="430304198001014569", platform="浏阳市中小企业公共服务平台",
                      platform_type="县市区综合窗口平台")
        rows[STAR_SHEET].append(second)
    from checkhelp import run

    # 所属市州 (L) merged over both rows: the value applies to both; the title merged across row 1
    findings = run(tmp_path, two_stars, merges={STAR_SHEET: ["L3:L4", "A1:U1"]})
    assert findings == []


def test_merged_header_cells(tmp_path):
    from openpyxl import load_workbook

    path = write_intake(tmp_path / "长沙市.xlsx")
    wb = load_workbook(path)
    ws = wb[STAR_SHEET]
    ws.insert_rows(3)  # a second header row under the first ...
    for col in range(1, ws.max_column + 1):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)  # ... merged into it
    wb.save(path)
    book = read_intake(path, EDITION)
    assert book.tables[STAR_SHEET].header_row == 2
    assert [r for r, _ in book.tables[STAR_SHEET].rows] == [4]  # the merged header's lower row is not data
    assert validate_files([path], EDITION) == []


def test_xlsm_is_read(tmp_path):
    path = write_intake(tmp_path / "长沙市.xlsm")
    assert validate_files([path], EDITION) == []


def test_sheet_missing(tmp_path, capsys):
    # issue 2: "a workbook with a sheet missing": one line naming the file and the sheet, exit 2
    from openpyxl import load_workbook

    path = write_intake(tmp_path / "少一张表.xlsx")
    wb = load_workbook(path)
    del wb["创新服务产品"]
    wb.save(path)
    assert_input_error(path, capsys, "缺少工作表“创新服务产品”")

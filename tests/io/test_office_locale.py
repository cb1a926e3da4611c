"""LibreOffice under a C/POSIX locale (cron, bare containers): Chinese file names still convert."""

import pytest
import xlsxwriter

from xl_awards.io.libreoffice import LibreOffice, office_env, unavailable_reason


@pytest.mark.parametrize("env, expected", [
    ({"LC_ALL": "C"}, "C.UTF-8"),  # forced to UTF-8
    ({"LANG": "POSIX"}, "C.UTF-8"),
    ({"LANG": "zh_CN.UTF-8"}, None),  # already UTF-8: left alone (no LC_ALL added)
    ({"LC_ALL": "en_US.utf8"}, "en_US.utf8"),
])
def test_office_env_forces_a_utf8_locale(monkeypatch, env, expected):
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert office_env().get("LC_ALL") == expected


@pytest.mark.libreoffice
def test_pdf_of_a_chinese_path_under_the_c_locale(tmp_path, monkeypatch):
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"LibreOffice headless unavailable: {reason}")
    folder = tmp_path / "公示"
    folder.mkdir()
    source = folder / "拟获奖名单.xlsx"
    wb = xlsxwriter.Workbook(source)
    wb.add_worksheet("名单").write(0, 0, "服务之星")
    wb.close()
    monkeypatch.setenv("LC_ALL", "C")  # soffice under C said "Unsupported URL" for this path
    with LibreOffice() as lo:  # its own soffice: the session one was started with the tester's locale
        pdf = lo.convert(source, "pdf", folder, recalculate=False)
    assert pdf == folder.resolve() / "拟获奖名单.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"

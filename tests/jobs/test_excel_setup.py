"""``xl-awards excel-setup``: one line and exit 2 without Excel; with Excel, the add-in install is run
with this Python and xlwings' config file gets the interpreter line (other lines kept)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xl_awards.base.errors import UsageError
from xl_awards.cli import main
from xl_awards.jobs.excel_setup import excel_setup


def test_on_this_linux_machine_it_says_so_in_one_line_and_exits_2(capsys):
    assert main(["excel-setup"]) == 2
    out = capsys.readouterr()
    lines = [ln for ln in (out.out + out.err).splitlines() if ln.strip()]
    assert len(lines) == 1 and "没有 Microsoft Excel" in lines[0] and "Traceback" not in out.err


def _runner(calls, code=0):
    def run(cmd):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, code, stdout="", stderr="" if code == 0 else "Excel not found")
    return run


def test_windows_with_excel_installs_the_addin_and_sets_the_interpreter(tmp_path):
    appdata = tmp_path / "AppData"
    (appdata / "Microsoft" / "Excel").mkdir(parents=True)
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"PYTHONPATH","D:\\lib"\n', encoding="utf-8")
    calls = []
    python = "C:\\Python311\\python.exe"
    lines = excel_setup("Windows", tmp_path, {"APPDATA": str(appdata)}, python, _runner(calls))
    assert calls == [[python, "-m", "xlwings", "addin", "install"]]
    assert config.read_text(encoding="utf-8").splitlines() == ['"PYTHONPATH","D:\\lib"', f'"INTERPRETER_WIN","{python}"']
    assert any("信任中心" in ln for ln in lines) and any(python in ln for ln in lines)


def test_windows_without_excel_or_with_a_failing_install_changes_nothing(tmp_path):
    calls = []
    with pytest.raises(UsageError, match="没有 Microsoft Excel"):
        excel_setup("Windows", tmp_path, {"APPDATA": str(tmp_path / "none")}, sys.executable, _runner(calls))
    assert calls == []
    (tmp_path / "Library" / "Containers" / "com.microsoft.Excel").mkdir(parents=True)
    with pytest.raises(UsageError, match="安装 xlwings 加载项失败：Excel not found"):
        excel_setup("Darwin", tmp_path, {}, sys.executable, _runner(calls, code=1))
    assert not (tmp_path / ".xlwings").exists()
    with pytest.raises(UsageError, match="未安装 xlwings"):
        excel_setup("Darwin", tmp_path, {}, sys.executable, _runner(calls), has_xlwings=False)

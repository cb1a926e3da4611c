"""Progress of validate and consolidate on a terminal: files done of total and the current file.

The command runs as its own process (``.venv/bin/xl-awards``) with standard error on a
pseudo-terminal, as a user at a console sees it; standard output goes to a pipe.  The bar is drawn
for every file (its name, before it is read) and once more with the last count, however quickly the
files are read (``jobs.progress.each``): workbooks of a few applications each do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factory import valid_rows, write_intake
from xl_awards.io.hub_template import write_hub_workbook
from factory import EDITION
from tests import terminal

EXE = str(Path(sys.executable).with_name("xl-awards"))
CITIES = ("长沙市", "株洲市", "湘潭市")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("progress")
    rows = valid_rows()
    paths = []
    for city in CITIES:
        paths.append(write_intake(folder / f"{city}申报.xlsx", rows, city=city))
    return paths


def run_on_terminal(args: list[str], *, stderr_on_terminal: bool = True, timeout: float = 120) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``xl-awards ARGS`` with stderr on a pseudo-terminal (or a pipe).
    Standard output goes to a file, so that a long report never blocks the command."""
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "COLUMNS": "120"}
    if not stderr_on_terminal:
        proc = subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr
    # a console window of 30 rows x 120 columns (a fresh pseudo-terminal has none: 0 x 0)
    return terminal.run_on_terminal([EXE, *args], env=env, size=(30, 120), timeout=timeout)


def test_validate_shows_files_done_of_total_and_the_current_file(workbooks):
    code, stdout, stderr = run_on_terminal(["validate", *map(str, workbooks)])
    assert "3/3" in stderr
    assert any(p.name in stderr for p in workbooks)
    assert "共 3 个文件" in stdout  # the report itself is unchanged, on stdout
    assert "3/3" not in stdout


@pytest.mark.parametrize("flag", ["--quiet", "--json"])
def test_validate_is_silent_with_quiet_or_json(workbooks, flag):
    code, stdout, stderr = run_on_terminal(["validate", flag, *map(str, workbooks)])
    assert stderr == ""
    assert stdout


def test_validate_is_silent_when_stderr_is_redirected(workbooks):
    code, stdout, stderr = run_on_terminal(["validate", *map(str, workbooks)], stderr_on_terminal=False)
    assert stderr == ""


def test_consolidate_shows_progress_and_nothing_with_quiet(workbooks, tmp_path):
    hub = write_hub_workbook(EDITION, tmp_path / "hub")
    quiet_hub = tmp_path / "quiet" / hub.name
    quiet_hub.parent.mkdir()
    shutil.copy2(hub, quiet_hub)
    code, stdout, stderr = run_on_terminal(["consolidate", "--hub", str(hub), *map(str, workbooks)])
    assert "3/3" in stderr and any(p.name in stderr for p in workbooks)
    assert f"写入{hub.name}" in stderr
    code, stdout, stderr = run_on_terminal(["consolidate", "--quiet", "--hub", str(quiet_hub), *map(str, workbooks)])
    assert stderr == ""

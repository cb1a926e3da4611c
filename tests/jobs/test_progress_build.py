"""Progress of ``build`` and ``expert-sheets`` on a terminal: files written of total and the current file.

The venv's ``xl-awards`` runs as a subprocess with standard error on a pseudo-terminal
(``os.openpty``), as a user at a console sees it; with ``--quiet`` or standard error redirected to a
file nothing is drawn, and standard output is the same either way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from tests import terminal

XL_AWARDS = str(Path(sys.executable).with_name("xl-awards"))


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """(exit code, standard output, what was drawn on the terminal standard error)."""
    # every update drawn (tqdm's TQDM_MININTERVAL), however fast the machine: the test sees each file's name
    env = {**os.environ, "TERM": "xterm", "TQDM_MININTERVAL": "0"}
    return terminal.run_on_terminal([XL_AWARDS, *args], cwd=cwd, env=env, size=(40, 160))  # a console 160 wide


def run_redirected(args: list[str], cwd: Path) -> tuple[int, str, str]:
    proc = subprocess.run([XL_AWARDS, *args], cwd=cwd, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_build_shows_files_written_of_total_and_the_current_file(tmp_path):
    code, out, drawn = run_on_terminal(["build", "--out", "模板"], tmp_path)
    assert code == 0, out
    assert "已生成2021年度模板 32 个" in out
    counts = {int(n) for n in re.findall(r"生成模板 (\d+)/32", drawn)}
    assert counts and max(counts) >= 1, drawn
    assert re.search(r"2021年度优秀评选申报工作簿_\w+\.xls[xm]", drawn), drawn


def test_build_draws_nothing_with_quiet_or_when_redirected(tmp_path):
    code, out, drawn = run_on_terminal(["build", "--quiet", "--out", "a"], tmp_path)
    assert code == 0 and "已生成2021年度模板 32 个" in out
    assert drawn == ""
    code, out2, err = run_redirected(["build", "--out", "b"], tmp_path)
    assert code == 0 and err == ""
    assert out2.replace(str(Path("b")), "a") == out


def test_expert_sheets_shows_expert_workbooks_written_of_total_and_the_current_file(tmp_path):
    from test_collect import make_hub  # five experts, three applications (see its docstring)

    hub = make_hub(tmp_path)
    code, out, drawn = run_on_terminal(["expert-sheets", "--hub", str(hub), "--out", "评分表"], tmp_path)
    assert code == 0, out
    files = sorted(p.name for p in (tmp_path / "评分表").glob("*.xlsx"))
    assert len(files) == 5
    counts = {int(n) for n in re.findall(r"生成专家评分工作簿 (\d+)/5", drawn)}
    assert counts, drawn
    assert any(name in drawn for name in files), drawn


def test_expert_sheets_draws_nothing_with_json(tmp_path):
    from test_collect import make_hub

    hub = make_hub(tmp_path)
    code, out, drawn = run_on_terminal(["expert-sheets", "--json", "--hub", str(hub), "--out", "评分表"], tmp_path)
    assert code == 0 and len(json.loads(out)["files"]) == 5
    assert drawn == ""

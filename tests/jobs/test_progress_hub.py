"""Progress of ``collect``, ``publicity`` and ``finalize`` on standard error: shown on a terminal, never when quiet, --json or redirected.

The command runs in a subprocess whose standard error is a pseudo-terminal (``pty``) or a pipe.
Two returned files that are not scoring workbooks are read (both rejected with a finding), so the
progress line ``读取评分工作簿 n/2`` is drawn while they are read, and
``写入省枢纽平台工作簿……`` while the hub is rewritten to log them.  publicity and finalize name each PDF they convert
(``生成 PDF：<document>……``) and the hub rewrite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xl_awards.edition import load_edition
from xl_awards.io.expert_book import load_review_key, save_review_key
from xl_awards.io.hub_template import write_hub_workbook
from tests import terminal

EXE = str(Path(sys.executable).with_name("xl-awards"))
LABEL = "读取评分工作簿"
STEP = "写入省枢纽平台工作簿……"


@pytest.fixture
def setup(tmp_path):
    hub = write_hub_workbook(load_edition(2021), tmp_path / "hub")
    save_review_key(hub, load_review_key(hub, create=True))  # the signing key expert-sheets leaves beside the hub
    files = []
    for name in ("专家评分_甲.xlsx", "专家评分_乙.xlsx"):
        path = tmp_path / name
        shutil.copy(hub, path)  # a workbook, but not a scoring workbook
        files.append(str(path))
    return hub, files


def _run_on_pty(args: list[str]) -> tuple[int, str]:
    code, _, drawn = terminal.run_on_terminal([EXE, *args], env={**os.environ, "COLUMNS": "120"},
                                              size=(40, 120))  # a terminal 120 columns wide
    return code, drawn


def test_collect_shows_files_done_of_total_and_the_hub_rewrite_on_a_terminal(setup):
    hub, files = setup
    code, err = _run_on_pty(["collect", "--hub", str(hub), *files])
    assert code == 1  # neither file is a scoring workbook: both rejected (findings, exit 1)
    assert f"{LABEL} 0/2" in err  # drawn at the start; later counts only when reading takes a tenth of a second
    assert STEP in err


@pytest.mark.parametrize("switch", ["--quiet", "--json"])
def test_quiet_and_json_show_no_progress_on_a_terminal(setup, switch):
    hub, files = setup
    _, err = _run_on_pty(["collect", switch, "--hub", str(hub), *files])
    assert LABEL not in err and STEP not in err


def test_redirected_output_shows_no_progress(setup):
    hub, files = setup
    proc = subprocess.run([EXE, "collect", "--hub", str(hub), *files], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "专家评分_甲.xlsx" in proc.stdout  # the findings are there
    assert LABEL not in proc.stderr and STEP not in proc.stderr


# -- publicity and finalize: each PDF conversion and the hub rewrite ----------------------------------
# Hub of ``test_publicity_job`` (10 institutions above the line, 2 stars), publicity from 2022-10-10
# (five working days, over on 10-14), finalized on 10-17; both with PDFs through LibreOffice.

PUBLICITY_DOC = "2021年度优秀评选拟获奖名单公示.xlsx"
FINAL_DOCS = ("2021年度优秀评选最终获奖名单.xlsx", "2021年度优秀评选获奖证书.xlsx")


@pytest.fixture
def ranked_hub(tmp_path):
    from xl_awards.io.libreoffice import unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(f"LibreOffice headless unavailable: {reason}")
    from test_publicity_job import CLEAN, make_hub

    return make_hub(tmp_path, CLEAN), tmp_path / "out"


def test_publicity_and_finalize_show_each_pdf_and_the_hub_rewrite_on_a_terminal(ranked_hub):
    hub, out = ranked_hub
    code, err = _run_on_pty(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--out", str(out)])
    assert code == 0, err
    assert f"生成 PDF：{PUBLICITY_DOC}……" in err and STEP in err
    assert (out / PUBLICITY_DOC.replace(".xlsx", ".pdf")).is_file()
    code, err = _run_on_pty(["finalize", "--hub", str(hub), "--today", "2022-10-17", "--out", str(out)])
    assert code == 0, err
    assert f"生成 PDF：{FINAL_DOCS[0]}、{FINAL_DOCS[1]}……" in err and STEP in err


def test_publicity_quiet_on_a_terminal_shows_no_progress(ranked_hub):
    hub, out = ranked_hub
    code, err = _run_on_pty(["publicity", "--quiet", "--hub", str(hub), "--start", "2022-10-10", "--out", str(out),
                             "--no-pdf"])
    assert code == 0, err
    assert "生成 PDF" not in err and STEP not in err

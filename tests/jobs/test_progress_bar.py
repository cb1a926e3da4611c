"""The progress bar itself (xl_awards.jobs.progress) on a real pseudo-terminal.

A fresh pseudo-terminal reports a size of 0 x 0 (as some terminals of CI machines and IDEs do);
the bar must still be drawn there, and it names the file being worked on next to the count of
files done: while 株洲市 is read, "1/2 ... 株洲市.xlsx".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.terminal import run_on_terminal

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
sys.path.insert(0, {root!r})
from xl_awards.jobs import progress
progress.configure()
for path in progress.each(["/in/长沙市.xlsx", "/in/株洲市.xlsx"], "读取工作簿"):
    print("<" + path.rsplit("/", 1)[1] + ">", file=sys.stderr, flush=True)
"""


def _run_on_pty() -> str:
    code, _, drawn = run_on_terminal([sys.executable, "-c", CHILD.format(root=str(ROOT))], size=None, timeout=20)
    assert code == 0
    return drawn


def test_a_terminal_of_no_size_still_shows_the_count_and_the_current_file():
    text = _run_on_pty().replace("\r\n", "\n")
    # each redraw starts with a carriage return; the ones drawn before 株洲市 is worked on
    frames = [f for f in text[:text.index("<株洲市.xlsx>")].split("\r") if f.strip()]
    drawn = [f for f in frames if "读取工作簿" in f]
    assert any("0/2" in f and "长沙市.xlsx" in f for f in drawn), frames
    assert any("1/2" in f and "株洲市.xlsx" in f for f in drawn), frames
    assert ", 株洲市" not in text  # the name stands alone, without tqdm's postfix comma
    # and the last count is drawn, however quickly the last file went
    assert "读取工作簿 2/2" in text[text.index("<株洲市.xlsx>"):]


def test_nothing_when_stderr_is_not_a_terminal():
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT))], capture_output=True, text=True,
                          timeout=20)
    assert done.returncode == 0
    assert done.stderr == "<长沙市.xlsx>\n<株洲市.xlsx>\n"

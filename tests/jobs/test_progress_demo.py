"""``xl-awards demo`` progress on standard error: on a terminal only, never with ``--quiet``.

The demo runs as a real process of the installed ``xl-awards`` whose standard error is a pseudo-terminal
(``os.openpty``) and whose standard output is a pipe.  The first step (building the templates) is enough
to see the progress line; the process (and only it, with its own process group) is then stopped
(SIGTERM, which the demo turns into an exit that also ends its LibreOffice).  With
standard error redirected the demo writes nothing there: ``tests/demo/test_demo.py`` checks that on its
full run.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).parents[2]
EXE = str(Path(sys.executable).with_name("xl-awards"))
TIMEOUT = 240.0  # seconds: the build step on a busy machine


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TMPDIR"] = str(tmp)  # the demo's LibreOffice profile goes here, so the test sees it removed
    env["PYTHONUNBUFFERED"] = "1"  # standard output arrives line by line through the pipe
    env["COLUMNS"] = "200"
    return env


def _demo_on_a_terminal(out: Path, *extra: str, until: str, on: str) -> tuple[str, str]:
    """Run the demo with stderr on a pty until ``until`` appears on ``on`` ("err" or "out"), then stop it.

    Returns (standard output, standard error) read so far."""
    master, slave = os.openpty()
    proc = subprocess.Popen([EXE, "demo", "--out", str(out), *extra], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, env=_env(out.parent), cwd=REPO, start_new_session=True)
    os.close(slave)
    got = {"out": b"", "err": b""}
    streams = {proc.stdout.fileno(): "out", master: "err"}
    deadline = time.monotonic() + TIMEOUT
    try:
        while until not in got[on].decode("utf-8", "replace") and streams and time.monotonic() < deadline:
            ready, _, _ = select.select(list(streams), [], [], 1.0)
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the pty's other end closed
                    chunk = b""
                if chunk:
                    got[streams[fd]] += chunk
                else:
                    del streams[fd]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()
        os.close(master)
    return got["out"].decode("utf-8", "replace"), got["err"].decode("utf-8", "replace")


def test_progress_names_the_steps_done_of_the_total_and_the_current_step(tmp_path):
    _, err = _demo_on_a_terminal(tmp_path / "demo", until="生成模板", on="err")
    assert "演示进度 0/9 步已完成，当前：生成模板" in err, err
    # stopped mid-build, the demo still ended the LibreOffice it had started (its profile is removed)
    assert not list(tmp_path.glob("xl_awards_lo_*"))


def test_nothing_on_the_terminal_with_quiet(tmp_path):
    # A file where the templates folder goes: the first step fails at once, after its progress line would
    # have been drawn; the rest are skipped.
    out = tmp_path / "demo"
    out.mkdir()
    (out / "模板").write_text("not a folder")
    printed, err = _demo_on_a_terminal(out, "--quiet", until="演示未完成", on="out")
    assert "【1/9】生成模板 —— 失败" in printed and "演示未完成" in printed, printed
    assert err == ""


def test_the_same_failing_run_shows_progress_without_quiet(tmp_path):
    out = tmp_path / "demo"
    out.mkdir()
    (out / "模板").write_text("not a folder")
    printed, err = _demo_on_a_terminal(out, until="演示未完成", on="out")
    assert "【1/9】生成模板 —— 失败" in printed, printed
    assert "演示进度 0/9 步已完成，当前：生成模板" in err, err

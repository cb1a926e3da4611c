"""Running a command with its standard error on a real pseudo-terminal, as a user at a console sees it.

One helper for the progress tests (tests/jobs/test_progress_*.py): standard output goes to a file (a
long report never blocks the command), standard error to the terminal, and what was drawn there is
returned.  ``size``: the console's (rows, columns); ``None`` leaves a fresh pseudo-terminal's 0 x 0.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import tempfile
import termios
import time
from pathlib import Path


def run_on_terminal(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                    size: tuple[int, int] | None = (30, 120), timeout: float = 120) -> tuple[int, str, str]:
    """(exit code, standard output, what was drawn on the terminal) of ``cmd``."""
    master, slave = pty.openpty()
    if size is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    with tempfile.TemporaryFile() as stdout:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL,
                                env=env if env is not None else dict(os.environ))
        os.close(slave)
        drawn = b""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:  # the command has ended and closed its side
                        break
                    if not chunk:
                        break
                    drawn += chunk
                elif proc.poll() is not None:
                    break
            code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(master)
        stdout.seek(0)
        return code, stdout.read().decode("utf-8"), drawn.decode("utf-8", "replace")

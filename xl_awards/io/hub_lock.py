"""One writer per hub: every command that rewrites the hub workbook holds this lock from its read to the rename.

Without it two runs at the same time both read the same hub, and the later rename silently drops
the other run's rows.  The rule:

- Before the lock: the hub must be a readable workbook (``check_workbook_file``), not open in
  Excel/WPS/LibreOffice (``~$`` / ``.~lock.`` files), and writable, with its folder writable (a
  read-only hub is refused, never replaced).
- The lock itself is two files beside the hub.  ``.<hub>.flock`` is the operating system's lock
  (``filelock``), which the system releases when the process dies, so a killed run never blocks
  the next; ``<hub>.lock`` is the human-readable note of who holds it (user, host, process id,
  start time, command), deleted when the run ends.
- A second run waits up to ``lock_wait_seconds()`` (``XL_AWARDS_LOCK_WAIT``, default 5) and
  then stops with one Chinese line naming the holder, exit 2, having written nothing.
- A note left behind (the run was killed) whose process is gone on this host, or older than
  ``STALE_AFTER_HOURS``, is reported as stale with how to clear it (delete the note after making
  sure nobody is running); a recent note from another host counts as held (a network share may
  not pass the system lock between machines).
- Once held: temporary files of our own naming left beside the hub by a killed run are removed
  (only the holder writes them, so any found then are stale).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import time
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from xl_awards.base import messages
from xl_awards.base.errors import InputError
from xl_awards.io.atomic import check_not_open, is_read_only, remove_stale_temporaries
from xl_awards.io.workbook_files import HUB_MAX_ROWS, HUB_MAX_UNCOMPRESSED_BYTES, check_workbook_file

LOCK_WAIT_ENV = "XL_AWARDS_LOCK_WAIT"
LOCK_WAIT_SECONDS = 5.0
STALE_AFTER_HOURS = 12
POLL_SECONDS = 0.1
NOTE_HEADER = "# xl-awards 正在写入此省枢纽平台工作簿；运行结束后本文件自动删除。"


def lock_wait_seconds() -> float:
    """How long a second run waits for the hub: ``$XL_AWARDS_LOCK_WAIT`` seconds, default 5."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT_SECONDS)))
    except ValueError:
        return LOCK_WAIT_SECONDS


def note_path(hub: str | Path) -> Path:
    hub = Path(hub)
    return hub.with_name(f"{hub.name}.lock")


def system_lock_path(hub: str | Path) -> Path:
    hub = Path(hub)
    return hub.with_name(f".{hub.name}.flock")


def _error(kind: str, hub: Path, **values) -> InputError:
    return InputError(messages.INPUT_ERRORS[kind].format(file=hub.name, **values))


def read_note(path: Path) -> dict[str, str] | None:
    """The holder's note as {key: value}; None when there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def owner_text(note: dict[str, str] | None) -> str:
    if not note:
        return "持有者不明"
    return (f"用户 {note.get('user') or '未知'}，主机 {note.get('host') or '未知'}，进程 {note.get('pid') or '未知'}，"
            f"{note.get('command') or '命令'}自 {note.get('time') or '未知时间'} 开始")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def stale_reason(note: dict[str, str], now: dt.datetime | None = None) -> str | None:
    """Why a leftover note is stale ('' reasons are never returned), or None when it may be held."""
    now = now or dt.datetime.now()
    try:
        since = dt.datetime.fromisoformat(note.get("time", ""))
    except ValueError:
        since = None
    if since is not None and now - since > dt.timedelta(hours=STALE_AFTER_HOURS):
        return f"已超过 {STALE_AFTER_HOURS} 小时"
    if note.get("host") == socket.gethostname():
        try:
            pid = int(note.get("pid", ""))
        except ValueError:
            return "记录的进程号无效"
        if not _pid_alive(pid):
            return "该进程已不存在，可能是上次运行被中断"
    elif since is None:
        return "记录无法识别"
    return None


def _check_writable(hub: Path) -> None:
    if is_read_only(hub) or not os.access(hub.parent, os.W_OK | os.X_OK):
        raise _error("hub_read_only", hub)


@contextlib.contextmanager
def hub_writer(hub_path: str | Path, command: str = "", wait: float | None = None) -> Iterator[Path]:
    """Hold the hub for writing (see the module docstring); yields the hub's path.  ``InputError`` when it cannot be held."""
    hub = Path(hub_path)
    check_workbook_file(hub, max_rows=HUB_MAX_ROWS, max_bytes=HUB_MAX_UNCOMPRESSED_BYTES, read_sheets=())  # none read here
    check_not_open(hub)
    _check_writable(hub)
    wait = lock_wait_seconds() if wait is None else wait
    note = note_path(hub)
    system = FileLock(str(system_lock_path(hub)), timeout=wait)
    start = time.monotonic()
    try:
        system.acquire()
    except Timeout:
        raise _error("hub_locked", hub, owner=owner_text(read_note(note)), wait=f"{wait:g}") from None
    except OSError:
        raise _error("hub_read_only", hub) from None
    try:
        while True:  # a note from another host: wait for it like for the system lock
            held = read_note(note)
            if held is None:
                break
            reason = stale_reason(held)
            if reason:
                raise _error("hub_lock_stale", hub, lock=note.name, owner=owner_text(held), reason=reason)
            if time.monotonic() - start >= wait:
                raise _error("hub_locked", hub, owner=owner_text(held), wait=f"{wait:g}")
            time.sleep(POLL_SECONDS)
        _write_note(note, command)
        try:
            remove_stale_temporaries(hub)
            yield hub
        finally:
            note.unlink(missing_ok=True)
    finally:
        system.release()


def _write_note(note: Path, command: str) -> None:
    text = "\n".join([
        NOTE_HEADER,
        f"user={_user()}",
        f"host={socket.gethostname()}",
        f"pid={os.getpid()}",
        f"time={dt.datetime.now().replace(microsecond=0).isoformat(sep=' ')}",
        f"command={command}",
    ]) + "\n"
    try:
        note.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _error("hub_read_only", note.with_name(note.name[:-len(".lock")])) from exc


def _user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return ""

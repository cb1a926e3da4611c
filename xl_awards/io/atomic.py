"""File safety for workbooks the tool rewrites (the hub workbook).

- ``check_not_open(path)``: stop when Excel/WPS (``~$<name>``) or LibreOffice
  (``.~lock.<name>#``) has the file open — writing under an open workbook loses
  the user's edits or fails on Windows.
- ``backup(path)``: a timestamped copy beside the file before it is rewritten.
- ``write_atomically(path, write_fn)``: ``write_fn`` writes a temporary file in
  the same folder, which then replaces the original with ``os.replace``; if
  ``write_fn`` raises, the original is untouched and the temporary file removed.
- ``file_sha256(path)``: the hash recorded in provenance and the 操作日志.

A typical rewrite::

    check_not_open(hub)
    backup(hub)
    write_atomically(hub, workbook.save)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from xl_awards.base import messages
from xl_awards.base.errors import InputError

BACKUP_MARK = "备份"


def lock_files(path: str | Path) -> list[Path]:
    """Lock files beside ``path`` that show it is open in an office application."""
    path = Path(path)
    name = path.name
    candidates = [
        path.with_name(f"~${name}"),  # Excel, WPS
        path.with_name(f".~lock.{name}#"),  # LibreOffice
    ]
    if len(name) > 2:
        candidates.append(path.with_name(f"~${name[2:]}"))  # Office replaces the first two characters of long names
    seen: list[Path] = []
    for candidate in candidates:
        if candidate.exists() and candidate not in seen:
            seen.append(candidate)
    return seen


def check_not_open(path: str | Path) -> None:
    """Raise ``InputError`` (one Chinese line) when the workbook is open in Excel, WPS or LibreOffice."""
    locks = lock_files(path)
    if locks:
        raise InputError(messages.INPUT_ERRORS["hub_open"].format(file=Path(path).name, lock=locks[0].name))


def backup_path(path: str | Path, when: dt.datetime | None = None) -> Path:
    """``汇总.xlsx`` -> ``汇总.备份-20220921-153000.xlsx`` (a suffix -2, -3 ... if that name is taken)."""
    path = Path(path)
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{BACKUP_MARK}-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{BACKUP_MARK}-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def backup(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Copy ``path`` beside itself under a timestamped name; returns the copy's path."""
    path = Path(path)
    target = backup_path(path, when)
    shutil.copy2(path, target)
    return target


def write_atomically(path: str | Path, write_fn: Callable[[Path], object]) -> Path:
    """Call ``write_fn(temp_path)`` then move the temporary file over ``path``.

    The temporary file sits in the same folder (same file system, so the rename
    is atomic) and keeps ``path``'s suffix (openpyxl and XlsxWriter look at it).
    On any exception the temporary file is removed, ``path`` is left as it was,
    and the exception propagates.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write_fn(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

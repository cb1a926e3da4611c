"""File safety for workbooks the tool rewrites (the hub workbook).

- ``check_not_open(path)``: stop when Excel/WPS (``~$<name>``) or LibreOffice
  (``.~lock.<name>#``) has the file open — writing under an open workbook loses
  the user's edits or fails on Windows.
- ``backup(path)``: a timestamped copy beside the file before it is rewritten (copied to a
  temporary name, then renamed: a killed copy never looks like a backup);
  ``prune_backups(path, keep)`` then keeps the newest ``keep`` (``backups_to_keep()``:
  ``$XL_AWARDS_BACKUPS_KEEP``, default 20) and deletes older ones.
- ``remove_stale_temporaries(path)``: temporary files of our own naming beside ``path`` left by
  a killed run (called by the hub's writer while it holds the lock).
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
BACKUPS_KEEP_ENV = "XL_AWARDS_BACKUPS_KEEP"
BACKUPS_KEEP = 20
TEMP_MARK = ".tmp-"


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


def is_read_only(path: str | Path) -> bool:
    """Whether ``path`` must not be replaced: no write permission, or the read-only attribute (no write bit
    for anyone, which also stops a user who could rename over it, such as an administrator)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not (mode & 0o222)


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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}{TEMP_MARK}", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        shutil.copy2(path, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def backups_to_keep() -> int:
    """How many backups of a workbook are kept: ``$XL_AWARDS_BACKUPS_KEEP``, default 20 (at least 1)."""
    try:
        return max(1, int(os.environ.get(BACKUPS_KEEP_ENV, BACKUPS_KEEP)))
    except ValueError:
        return BACKUPS_KEEP


def backups_of(path: str | Path) -> list[Path]:
    """The backups of ``path`` beside it, oldest first (their names sort by time)."""
    path = Path(path)
    prefix = f"{path.stem}.{BACKUP_MARK}-"

    def order(p: Path) -> tuple[str, int]:
        stamp = p.name[len(prefix):-len(path.suffix) or None]
        parts = stamp.split("-")
        return ("-".join(parts[:2]), int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1)

    found = [p for p in path.parent.glob(f"{glob_escape(prefix)}*{glob_escape(path.suffix)}")
             if p.is_file() and p.name.startswith(prefix)]
    return sorted(found, key=order)


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


def prune_backups(path: str | Path, keep: int | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``path``; returns the deleted ones."""
    keep = backups_to_keep() if keep is None else keep
    old = backups_of(path)[:-keep] if keep > 0 else backups_of(path)
    removed = []
    for p in old:
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove temporary files of our own naming beside ``path`` (``.<stem>.tmp-*``, ``.<stem>.new<suffix>``)."""
    path = Path(path)
    removed = []
    patterns = [f".{glob_escape(path.stem)}{TEMP_MARK}*", f".{glob_escape(path.stem)}.new{glob_escape(path.suffix)}"]
    for pattern in patterns:
        for p in path.parent.glob(pattern):
            try:
                if p.is_file():
                    p.unlink()
                    removed.append(p)
            except OSError:
                pass
    return removed


def write_atomically(path: str | Path, write_fn: Callable[[Path], object]) -> Path:
    """Call ``write_fn(temp_path)`` then move the temporary file over ``path``.

    The temporary file sits in the same folder (same file system, so the rename
    is atomic) and keeps ``path``'s suffix (openpyxl and XlsxWriter look at it).
    On any exception the temporary file is removed, ``path`` is left as it was,
    and the exception propagates.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}{TEMP_MARK}", suffix=path.suffix, dir=path.parent)
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

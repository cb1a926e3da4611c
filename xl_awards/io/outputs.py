"""Output folders that receive several files at once (expert workbooks, publicity and final documents).

The rule: every precondition is checked before the first write (``check_out_dir``: not a file,
writable, and none of the target files open in an office application), and the files land
together or not at all (``staged_outputs``): they are written into a temporary folder beside the
target (same file system), and moved into the target only by ``commit()``, which the job calls
after the hub has been saved.  Any failure before that removes the temporary folder: the target
folder and the hub are as they were.  Every failure is one Chinese line (``InputError``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from xl_awards.base import messages
from xl_awards.base.errors import InputError
from xl_awards.io.atomic import lock_files

STAGE_PREFIX = ".xl-awards-tmp-"


def _error(kind: str, out: Path, **values) -> InputError:
    return InputError(messages.INPUT_ERRORS[kind].format(out=out, **values))


def _anchor(out: Path) -> Path:
    """``out`` when it is a folder, else its nearest existing ancestor (``InputError`` when that is a file)."""
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise _error("out_is_file", probe if probe != out else out)
    return probe


def check_out_dir(out: str | Path, files: Iterable[str] = ()) -> None:
    """Raise ``InputError`` unless ``out`` can receive ``files`` (names): a folder (or creatable), writable, none open."""
    out = Path(out)
    anchor = _anchor(out)
    if not os.access(anchor, os.W_OK | os.X_OK):
        raise _error("out_not_writable", out, detail="没有写入权限")
    for name in files:
        target = out / name
        if target.is_dir():
            raise _error("out_not_writable", target, detail="同名的文件夹已存在")
        if target.exists() and not os.access(target, os.W_OK):
            raise _error("out_not_writable", target, detail="文件是只读的")
        locks = lock_files(target)
        if locks:
            raise InputError(messages.INPUT_ERRORS["output_open"].format(file=target.name, lock=locks[0].name))


class Stage:
    """A temporary folder beside the target; ``commit()`` moves its files into the target."""

    def __init__(self, out: Path, folder: Path):
        self.out = out
        self.folder = folder
        self.written: list[str] = []
        self.committed: list[Path] = []

    def path(self, name: str) -> Path:
        return self.folder / name

    def write(self, name: str, write_fn: Callable[[Path], object]) -> Path:
        """``write_fn(path)`` writes the file ``name`` into the stage; an ``OSError`` becomes one Chinese line."""
        target = self.folder / name
        try:
            write_fn(target)
            self.written.append(name)
        except OSError as exc:
            raise _error("out_not_writable", self.out, detail=exc.strerror or type(exc).__name__) from None
        return target

    def commit(self) -> list[Path]:
        """Move every file of the stage into the target folder (each a rename on one file system);
        returns their new paths, those written through ``write`` first, in order."""
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            names = [p.name for p in sorted(self.folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
            for name in [n for n in self.written if n in names] + [n for n in names if n not in self.written]:
                os.replace(self.folder / name, self.out / name)
                self.committed.append(self.out / name)
        except OSError as exc:
            raise _error("out_not_writable", self.out, detail=exc.strerror or type(exc).__name__) from None
        return self.committed


@contextlib.contextmanager
def staged_outputs(out: str | Path) -> Iterator[Stage]:
    """A ``Stage`` for ``out``; its temporary folder is removed on the way out, committed or not."""
    out = Path(out)
    anchor = _anchor(out)
    try:
        folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=anchor))
    except OSError as exc:
        raise _error("out_not_writable", out, detail=exc.strerror or type(exc).__name__) from None
    try:
        yield Stage(out, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

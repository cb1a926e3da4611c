"""Read a city intake workbook (.xlsx / .xlsm) into an ``IntakeBook``.

Whole sheets are read at once with python-calamine (fast, read-only: the input
file is never modified).  Anything that is not a readable workbook raises
``InputError`` with one Chinese line naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from xl_awards.edition import Edition
from xl_awards.intake_book import IntakeBook, IntakeTable, book_from_grids
from xl_awards.io.workbook_files import check_workbook_file, input_error, read_grids

__all__ = ["IntakeBook", "IntakeTable", "read_intake", "check_workbook_file"]


def read_intake(path: str | Path, edition: Edition, *, file_name: str | None = None) -> IntakeBook:
    """Read every intake sheet of ``path``.  ``file_name`` is the name findings carry (default: the file's name)."""
    path = Path(path)
    check_readable(path)
    grids, merged = read_grids(path, merged=True)
    return book_from_grids(file_name or path.name, grids, edition, merged=merged, path=path)


def check_readable(path: Path) -> None:
    """The cases the generic workbook check words vaguely: a folder, an empty file, no read permission."""
    if path.is_dir():
        raise input_error("is_directory", path)
    if not path.exists():
        return  # the workbook check says the file does not exist
    try:
        with path.open("rb") as fh:
            empty = fh.read(1) == b""
    except PermissionError:
        raise input_error("no_permission", path) from None
    except OSError:
        return  # anything else: the workbook check reports it
    if empty:
        raise input_error("empty_file", path)

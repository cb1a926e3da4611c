"""Read a city intake workbook (.xlsx / .xlsm) into an ``IntakeBook``.

Whole sheets are read at once with python-calamine (fast, read-only: the input
file is never modified).  Anything that is not a readable workbook raises
``InputError`` with one Chinese line naming the file.
"""

from __future__ import annotations

from pathlib import Path

from xl_awards.edition import Edition
from xl_awards.intake.intake_book import IntakeBook, IntakeTable, book_from_grids
from xl_awards.io.workbook_files import check_workbook_file, read_grids

__all__ = ["IntakeBook", "IntakeTable", "read_intake", "check_workbook_file"]


def read_intake(path: str | Path, edition: Edition, *, file_name: str | None = None) -> IntakeBook:
    """Read every intake sheet of ``path``.  ``file_name`` is the name findings carry (default: the file's name)."""
    path = Path(path)
    grids, merged = read_grids(path, merged=True)
    return book_from_grids(file_name or path.name, grids, edition, merged=merged, path=path)


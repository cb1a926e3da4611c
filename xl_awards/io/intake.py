"""Read a city intake workbook (.xlsx / .xlsm) into an ``IntakeBook``.

Whole sheets are read at once with python-calamine (fast, read-only: the input
file is never modified).  Anything that is not a readable workbook raises
``InputError`` with one Chinese line naming the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine as pc

from xl_awards import messages
from xl_awards.edition import Edition
from xl_awards.errors import InputError
from xl_awards.intake_book import IntakeBook, IntakeTable, book_from_grids

__all__ = ["IntakeBook", "IntakeTable", "read_intake", "check_workbook_file"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# An encrypted OOXML file is an OLE2 compound file with this stream (MS-OFFCRYPTO).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _error(kind: str, path: Path, **values) -> InputError:
    return InputError(messages.INPUT_ERRORS[kind].format(file=path.name, **values))


def check_workbook_file(path: Path) -> None:
    """Raise ``InputError`` unless ``path`` looks like an OOXML workbook (cheap: magic bytes and zip directory)."""
    if not path.is_file():
        raise _error("not_found", path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head == OLE2_MAGIC:
                data = head + fh.read()
                raise _error("encrypted" if ENCRYPTED_STREAM in data else "xls", path)
    except OSError as exc:
        raise _error("corrupt", path, detail=exc.strerror or type(exc).__name__) from None
    if not head.startswith(ZIP_MAGICS):
        raise _error("not_workbook", path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error("corrupt", path, detail=f"压缩包结构损坏：{exc}") from None
    if "xl/workbook.xml" not in names:
        raise _error("not_workbook", path)


def read_intake(path: str | Path, edition: Edition, *, file_name: str | None = None) -> IntakeBook:
    """Read every intake sheet of ``path``.  ``file_name`` is the name findings carry (default: the file's name)."""
    path = Path(path)
    check_workbook_file(path)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            grids = {}
            merged = {}
            for name in wb.sheet_names:
                sheet = wb.get_sheet_by_name(name)
                grids[name] = sheet.to_python(skip_empty_area=False)
                ranges = sheet.merged_cell_ranges
                if ranges:
                    merged[name] = ranges
        finally:
            wb.close()
    except InputError:
        raise
    except Exception as exc:  # calamine: zip, XML or password errors in a damaged file
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
        if isinstance(exc, getattr(pc, "PasswordError", ())):
            raise _error("encrypted", path) from None
        raise _error("corrupt", path, detail=detail) from None
    book = book_from_grids(file_name or path.name, grids, edition, merged=merged, path=path)
    return book

"""Reading a workbook's sheets as grids of values (python-calamine), with the junk-input contract.

Every reader (intake, hub, returned expert workbooks) comes through here, so a file that is not a
workbook, a corrupt or encrypted one or a legacy ``.xls`` gives the same one Chinese line
(``InputError``, exit code 2) whatever command read it.  Nothing here writes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import python_calamine as pc

from xl_awards.base import messages
from xl_awards.base.errors import InputError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# An encrypted OOXML file is an OLE2 compound file with this stream (MS-OFFCRYPTO).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

Grid = list[list[Any]]


def input_error(kind: str, path: Path, **values) -> InputError:
    return InputError(messages.INPUT_ERRORS[kind].format(file=path.name, **values))


def error_detail(exc: BaseException) -> str:
    """A library's exception as the short detail of the ``corrupt`` message: its first line, at most 120 characters."""
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:120]


def check_workbook_file(path: Path) -> None:
    """Raise ``InputError`` unless ``path`` looks like an OOXML workbook (cheap: magic bytes and zip directory)."""
    if path.is_dir():
        raise input_error("is_directory", path)
    if not path.is_file():
        raise input_error("not_found", path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head == b"":
                raise input_error("empty_file", path)
            if head == OLE2_MAGIC:
                data = head + fh.read()
                raise input_error("encrypted" if ENCRYPTED_STREAM in data else "xls", path)
    except PermissionError:
        raise input_error("no_permission", path) from None
    except OSError as exc:
        raise input_error("corrupt", path, detail=exc.strerror or type(exc).__name__) from None
    if not head.startswith(ZIP_MAGICS):
        raise input_error("not_workbook", path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise input_error("corrupt", path, detail=f"压缩包结构损坏：{exc}") from None
    if "xl/workbook.xml" not in names:
        raise input_error("not_workbook", path)


def read_grids(path: Path, *, merged: bool = False) -> tuple[dict[str, Grid], dict[str, list]]:
    """Every sheet's values from A1 (one read per sheet) and, when asked, its merged ranges."""
    check_workbook_file(path)
    grids: dict[str, Grid] = {}
    merges: dict[str, list] = {}
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            for name in wb.sheet_names:
                sheet = wb.get_sheet_by_name(name)
                grids[name] = sheet.to_python(skip_empty_area=False)
                if merged and sheet.merged_cell_ranges:
                    merges[name] = sheet.merged_cell_ranges
        finally:
            wb.close()
    except Exception as exc:  # calamine: zip, XML or password errors in a damaged file
        if isinstance(exc, getattr(pc, "PasswordError", ())):
            raise input_error("encrypted", path) from None
        raise input_error("corrupt", path, detail=error_detail(exc)) from None
    return grids, merges

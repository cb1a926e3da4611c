"""The VBA project of the ``.xlsm`` workbooks, built from the text sources in ``macros/``.

Rule: the modules of a built workbook are exactly the ``macros/*.bas`` files (ASCII only, so
they read the same under every Windows code page), and the project is made by maintained
libraries, never by hand: pyOpenVBA creates the project (``ThisWorkbook``, one document
module per sheet with the code names Excel gives, ``Sheet1``...), adds each ``.bas`` text
(CRLF line ends, its ``Attribute VB_Name`` line kept) and saves it into a skeleton ``.xlsm``
written by XlsxWriter; the ``xl/vbaProject.bin`` part of that skeleton is then handed to
XlsxWriter's ``add_vba_project`` for the real workbook, whose sheets get the same code names.

The project holds source only (no compiled cache): Office compiles it when the workbook opens.
The same sources and sheet count give the same bytes (cached per process).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

MACROS_DIR = Path(__file__).resolve().parents[2] / "macros"
HUB_MODULE = "XlAwardsHub"
INTAKE_MODULE = "XlAwardsIntake"
COMMON_MODULE = "XlAwardsCommon"  # RunStep and the set-up message, in every .xlsm
WORKBOOK_CODE_NAME = "ThisWorkbook"


def module_path(module: str) -> Path:
    return MACROS_DIR / f"{module}.bas"


def module_source(module: str) -> str:
    """The ``.bas`` text of ``module`` (``ValueError`` if it is not pure ASCII)."""
    text = module_path(module).read_text(encoding="ascii")
    return text


def sheet_code_name(index: int) -> str:
    """The code name Excel gives the ``index``-th sheet (0-based): ``Sheet1``, ``Sheet2``..."""
    return f"Sheet{index + 1}"


@lru_cache(maxsize=None)
def vba_project_bin(modules: tuple[str, ...], sheet_count: int) -> bytes:
    """``vbaProject.bin`` with a document module for each of ``sheet_count`` sheets and the ``modules``."""
    import xlsxwriter
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory(prefix="xl-awards-vba-") as tmp:
        skeleton = Path(tmp) / "skeleton.xlsm"
        wb = xlsxwriter.Workbook(str(skeleton))
        for i in range(sheet_count):
            wb.add_worksheet(sheet_code_name(i))
        wb.close()
        book = ExcelFile(skeleton)
        project = book.add_vba_project()
        for module in modules:
            source = module_source(module).replace("\r\n", "\n").replace("\n", "\r\n")
            project.add_module(module, source)
        book.save()
        with zipfile.ZipFile(skeleton) as z:
            return z.read("xl/vbaProject.bin")


def add_vba_project(wb, modules: tuple[str, ...]) -> None:
    """Give the XlsxWriter workbook ``wb`` (all sheets added) the project and the sheets their code names."""
    sheets = wb.worksheets()
    data = vba_project_bin(tuple(modules), len(sheets))
    wb.add_vba_project(io.BytesIO(data), is_stream=True)
    wb.set_vba_name(WORKBOOK_CODE_NAME)
    for i, ws in enumerate(sheets):
        ws.set_vba_name(sheet_code_name(i))

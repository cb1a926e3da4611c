"""Reading a workbook's sheets as grids of values (python-calamine), with the junk-input contract.

Every reader (intake, hub, returned expert workbooks, the openpyxl load of a hub before it is
rewritten) comes through here, so a file that is not a workbook, a corrupt or encrypted one, a
legacy ``.xls`` or one past the size limits gives the same one Chinese line (``InputError``, exit
code 2) whatever command read it.  Nothing here writes.

Limits (edition-independent, far above any real submission).  A file past one is refused before the
reader library sees it:

- ``MAX_UNCOMPRESSED_BYTES`` (200 MB): the parts' sizes once unzipped, as the zip declares them and
  as actually counted while scanning (a declared size may lie);
- ``MAX_PARTS`` (2,000): parts in the zip;
- ``MAX_ROWS`` (100,000) and ``MAX_COLUMNS`` (500) per sheet, and ``MAX_CELLS`` (10 million) for
  the rectangle from A1 to the last used cell, which is what the reader allocates.  A sheet's
  ``<dimension>`` is checked first, but it may be missing or lie, so every row and cell reference
  in the sheet's XML is scanned too (a stray value at XFD100000 is found either way).
  The hub workbook, which this tool writes, may use as many rows as Excel allows (``HUB_MAX_ROWS``):
  its 评审分配 and 评分明细 sheets have a row per application and expert (140,000 for 7,000
  applications reviewed by 20 experts), and unzipped it may reach 3 GB (``HUB_MAX_UNCOMPRESSED_BYTES``; about
  2 GB for 70,000 applications each reviewed by 5 experts);
  ``MAX_CELLS`` still bounds what is read.

The reader library (Rust, through pyo3) can raise ``PanicException``, a ``BaseException``: it is
caught here, the one place that calls the library, and worded as a corrupt file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Iterable

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import python_calamine as pc

from xl_awards.base import messages
from xl_awards.base.errors import InputError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# An encrypted OOXML file is an OLE2 compound file with this stream (MS-OFFCRYPTO).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
HUB_MAX_UNCOMPRESSED_BYTES = 3 * 1024 * 1024 * 1024  # the hub at 100x (1.75 million rows of 评分明细) is about 2 GB
MAX_PARTS = 2000
MAX_ROWS = 100_000
HUB_MAX_ROWS = 1_048_576  # Excel's own maximum
MAX_COLUMNS = 500
MAX_CELLS = 10_000_000
SCAN_CHUNK = 1 << 20

Grid = list[list[Any]]

_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,12})"')
_ROW_TAG_PREFIXED = re.compile(rb"<\w+:row\b")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Za-z]{1,8})(\d{1,12})"')
_REF = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")
# checked files: (resolved path, size, mtime) -> None, so one command's several reads scan once
_CHECKED: dict[tuple[str, int, int, int, int], None] = {}


def input_error(kind: str, path: Path, **values) -> InputError:
    return InputError(messages.INPUT_ERRORS[kind].format(file=path.name, **values))


def error_detail(exc: BaseException) -> str:
    """A library's exception as the short detail of the ``corrupt`` message: its first line, at most 120 characters."""
    return (f"{type(exc).__name__}: {exc}".splitlines() or [type(exc).__name__])[0][:120]


def column_number(letters: str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _ref_extent(ref: str) -> tuple[int, int] | None:
    """(last row, last column) of a dimension ref such as ``A1:XFD100000`` (None when unreadable)."""
    last = ref.strip().split(":")[-1]
    match = _REF.match(last)
    return (int(match[2]), column_number(match[1])) if match else None


def _check_extent(path: Path, sheet: str, rows: int, columns: int, max_rows: int) -> None:
    if rows > max_rows:
        raise input_error("too_many_rows", path, sheet=sheet, rows=rows, limit=max_rows)
    if columns > MAX_COLUMNS:
        raise input_error("too_many_columns", path, sheet=sheet, columns=columns, limit=MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise input_error("too_many_cells", path, sheet=sheet, rows=rows, columns=columns, limit=MAX_CELLS)


_REL_ID_TARGET = re.compile(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_REL_TARGET_ID = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
_SHEET_TAG = re.compile(r'<(?:\w+:)?sheet\b[^>]*>')
_NAME_ATTR = re.compile(r'\bname="([^"]*)"')
_RID_ATTR = re.compile(r'\br:id="([^"]*)"|\bid="([^"]*)"')


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> the sheet's name as the workbook shows it (the part name when it cannot be told)."""
    names: dict[str, str] = {}
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return names
    return _parse_sheet_names(workbook, rels)


def _quick_sheet_names(zf: zipfile.ZipFile, raw: bytes) -> dict[str, str] | None:
    """``_sheet_names(zf)`` from the file's bytes already read (``_whole_part``: the same bytes ``zf.read``
    gives), or None when either part is missing or not plainly readable so (``_sheet_names`` decides)."""
    parts = []
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        info = zf.NameToInfo.get(name)  # the entry zf.read(name) reads
        data = None if info is None else _whole_part(raw, info)
        if data is None:
            return None
        parts.append(data)
    return _parse_sheet_names(*parts)


def _parse_sheet_names(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    names: dict[str, str] = {}
    workbook = workbook_xml[:SCAN_CHUNK * 4].decode("utf-8", "replace")
    rels = rels_xml[:SCAN_CHUNK * 4].decode("utf-8", "replace")
    targets = {m[1]: m[2] for m in _REL_ID_TARGET.finditer(rels)}
    targets.update({m[2]: m[1] for m in _REL_TARGET_ID.finditer(rels)})
    for m in _SHEET_TAG.finditer(workbook):
        name = _NAME_ATTR.search(m[0])
        rid = _RID_ATTR.search(m[0])
        if not name or not rid:
            continue
        target = targets.get(rid[1] or rid[2], "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part.lower()] = _unescape(name[1])
    return names


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


# A cell or row reference that could take a sheet past a limit: three or more column letters, two
# past CV (column 100), or a row number of six digits or more (100000 on).  Matched without its tag
# (a superset of the references the exact scan counts).  A sheet without one has at most 100 columns
# and 99,999 rows by its references (under 10 million cells): only its count of row tags can then
# break a limit.
_LARGE_REF = re.compile(
    rb'r="(?:[A-Za-z]{3,8}[0-9]{1,12}|(?:[D-Zd-z][A-Za-z]|[Cc][W-Zw-z])[0-9]{1,12}|[A-Za-z]{0,8}[0-9]{6,12})"')


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str | None, budget: int,
               max_rows: int, max_bytes: int) -> int:
    """Stream one part, counting its real size against ``budget``; for a sheet, its extent too.  Returns the bytes read.

    A sheet is first read the cheap way (``_quick_sheet_scan``); only when that cannot tell that the
    sheet is within the limits is it scanned again reference by reference (``_exact_scan_part``),
    which raises exactly as it always did.
    """
    if sheet is not None:
        total = _quick_sheet_scan(zf, info, path, budget, max_rows)
        if total is not None:
            return total
    return _exact_scan_part(zf, info, path, sheet, budget, max_rows, max_bytes)


def _quick_sheet_scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, budget: int,
                      max_rows: int) -> int | None:
    """The bytes of a sheet part when it is certainly within every limit, else None (never raises an ``InputError``):
    its dimension within the limits, no ``_LARGE_REF``, at most ``max_rows`` row tags (counted from above:
    a part near the limit is left to ``_exact_scan_part``)."""
    total = row_tags = 0
    dimension_seen = False
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(SCAN_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > budget:
                return None
            data = tail + chunk
            cut = max(0, data.rfind(b"<", 0, max(0, len(data) - 200)))  # as in _exact_scan_part
            if not dimension_seen:
                m = _DIMENSION.search(data)
                if m:
                    dimension_seen = True
                    extent = _ref_extent(m[1].decode("ascii", "replace"))
                    if extent and (extent[0] > max_rows or extent[1] > MAX_COLUMNS
                                   or extent[0] * extent[1] > MAX_CELLS):
                        return None
            if _LARGE_REF.search(data):
                return None
            # at least the row tags _count_row_tags counts (each holds '<row' or ':row'); a tag in the
            # tail is counted again with the next chunk: more, never fewer
            row_tags += data.count(b"<row") + data.count(b":row")
            if row_tags > max_rows:
                return None
            tail = data[cut:]
    return total


def _exact_scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, sheet: str | None, budget: int,
                     max_rows: int, max_bytes: int) -> int:
    """Stream one part, counting its real size against ``budget``; for a sheet, every row and cell reference."""
    total = 0
    rows = row_tags = columns = 0
    dimension_seen = False
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(SCAN_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > budget:
                raise input_error("too_large", path, limit=max_bytes // (1024 * 1024))
            if sheet is None:
                continue
            data = tail + chunk
            # the end from the last tag starting before the final 200 bytes is scanned again with the
            # next chunk (a tag cut in two); rows are counted only up to that tag, so none twice or never
            cut = max(0, data.rfind(b"<", 0, max(0, len(data) - 200)))
            if not dimension_seen:
                m = _DIMENSION.search(data)
                if m:
                    dimension_seen = True
                    extent = _ref_extent(m[1].decode("ascii", "replace"))
                    if extent:
                        _check_extent(path, sheet, *extent, max_rows)
            found = _ROW_REF.findall(data)
            if found:
                rows = max(rows, max(map(int, found)))
            row_tags += _count_row_tags(data[:cut])
            cells = _CELL_REF.findall(data)  # (letters, digits) of every cell: one C-level pass
            if cells:
                letters = {c for c, _ in cells}
                columns = max(columns, max(column_number(c.decode("ascii")) for c in letters))
                rows = max(rows, max(int(d) for _, d in cells))
            _check_extent(path, sheet, max(rows, row_tags), columns, max_rows)
            tail = data[cut:]
    if sheet is not None:
        row_tags += _count_row_tags(tail)
        _check_extent(path, sheet, max(rows, row_tags), columns, max_rows)
    return total


def _count_row_tags(data: bytes) -> int:
    """Rows in a piece of sheet XML, with or without an ``r`` attribute (a namespace prefix counted by regex)."""
    n = data.count(b"<row ") + data.count(b"<row>") + data.count(b"<row/")
    if b":row" in data:
        n += len(_ROW_TAG_PREFIXED.findall(data))
    return n


def check_workbook_file(path: Path, *, max_rows: int | None = None, max_bytes: int | None = None,
                        read_sheets: Iterable[str] | None = None) -> None:
    """Raise ``InputError`` unless ``path`` is an OOXML workbook within the limits (magic bytes, zip directory,
    declared and real sizes, part count, every sheet's extent; ``max_rows`` per sheet and ``max_bytes`` unzipped, ``MAX_ROWS`` and
    ``MAX_UNCOMPRESSED_BYTES`` if not given).  ``read_sheets``: the only sheets that are going to be read, the
    only ones scanned (None: every sheet; the others count by their declared size).  The hub is read a few sheets at a time: at 100x its sheets are 1.9 GB of XML
    (a scan of all of them took 45 s), 1.2 GB of it 评分明细, which no reader of the hub book reads."""
    path = Path(path)
    max_rows = MAX_ROWS if max_rows is None else max_rows
    max_bytes = MAX_UNCOMPRESSED_BYTES if max_bytes is None else max_bytes
    if path.is_dir():
        raise input_error("is_directory", path)
    if not path.is_file():
        raise input_error("not_found", path)
    try:
        stat = path.stat()
        with path.open("rb") as fh:
            head = fh.read(8)
            if head == b"":
                raise input_error("empty_file", path)
            if head == OLE2_MAGIC:
                data = head + fh.read(MAX_UNCOMPRESSED_BYTES)
                raise input_error("encrypted" if ENCRYPTED_STREAM in data else "xls", path)
    except PermissionError:
        raise input_error("no_permission", path) from None
    except OSError as exc:
        raise input_error("corrupt", path, detail=exc.strerror or type(exc).__name__) from None
    if not head.startswith(ZIP_MAGICS):
        raise input_error("not_workbook", path)
    from xl_awards.schema import sheet_key

    scanned = None if read_sheets is None else frozenset(sheet_key(n) for n in read_sheets)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, max_rows, max_bytes, scanned)
    if key in _CHECKED or (scanned is not None and any(
            k[:5] == key[:5] and (k[5] is None or scanned <= k[5]) for k in _CHECKED)):
        return  # checked already, these sheets with it (``SheetGrids`` reads the sheets of one check one by one)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise input_error("too_many_parts", path, count=len(infos), limit=MAX_PARTS)
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise input_error("not_workbook", path)
            if sum(i.file_size for i in infos) > max_bytes:
                raise input_error("too_large", path, limit=max_bytes // (1024 * 1024))
            raw = _small_file_bytes(path, stat.st_size, max_rows)
            sheets = (None if raw is None else _quick_sheet_names(zf, raw)) or _sheet_names(zf)
            if raw is None or not _whole_file_within(raw, infos, sheets, max_rows, scanned):
                budget = max_bytes
                for info in infos:
                    if info.is_dir():
                        continue
                    sheet = _sheet_of(info, sheets)
                    if sheet is not None and scanned is not None and sheet_key(sheet) not in scanned:
                        budget -= info.file_size  # not read: its declared size counts
                        continue
                    budget -= _scan_part(zf, info, path, sheet, budget, max_rows, max_bytes)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError, zlib.error) as exc:  # zlib.error: a damaged deflate stream inside a part
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise input_error("corrupt", path, detail=f"压缩包结构损坏：{detail}"[:160]) from None
    if len(_CHECKED) > 256:
        _CHECKED.clear()
    _CHECKED[key] = None


def _shared_grid(sheet) -> Grid:
    """The sheet's values from A1, equal text values made one object (the reader makes one per cell; the
    hub's 评审分配 repeats expert, file and signature on each of its rows: at 100x, 350,000 rows)."""
    if sheet.start != (0, 0):  # rows from A1 as they are (row by row the reader starts at the first used column)
        return sheet.to_python(skip_empty_area=False)
    memo: dict[str, str] = {}
    share = memo.setdefault
    return [[share(v, v) if v.__class__ is str else v for v in row] for row in sheet.iter_rows()]


def _sheet_of(info: zipfile.ZipInfo, sheets: dict[str, str]) -> str | None:
    sheet = sheets.get(info.filename.lower())
    if sheet is None and _SHEET_PART.match(info.filename):
        sheet = Path(info.filename).stem
    return sheet


# The whole-file check: a small workbook (most intake workbooks) read in one piece.
QUICK_FILE_BYTES = 16 * 1024 * 1024
QUICK_PART_BYTES = 64 * 1024 * 1024
_PLAIN_FLAGS = 0x2 | 0x4 | 0x8 | 0x800  # deflate options, data descriptor, UTF-8 names: nothing to decode otherwise


def _small_file_bytes(path: Path, size: int, max_rows: int) -> bytes | None:
    """The whole file when ``_whole_file_within`` may decide on it (small enough, and row limits its
    reasoning holds for: a reference without ``_LARGE_REF`` is below row 100,000), else None (also when
    it cannot be read: the part-by-part scan then words the error)."""
    if size > QUICK_FILE_BYTES or max_rows < 99_999:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _whole_file_within(raw: bytes, infos: list[zipfile.ZipInfo], sheets: dict[str, str],
                       max_rows: int, scanned: frozenset[str] | None = None) -> bool:
    """True when every part of the file (``raw``, its bytes) is certainly sound and within the limits, read
    in one piece: each part as ``zipfile`` reads it (its local header, name and bounds; deflated or stored;
    exactly its declared size; its CRC) and each sheet as ``_quick_sheet_scan`` tells (dimension, no
    ``_LARGE_REF``, row tags counted from above).  The part-by-part scan would accept such a file; any
    doubt (False) leaves the file to that scan, which decides and words every refusal as before.  Only
    for the row limits the quick scan's reasoning holds for (a reference without ``_LARGE_REF`` is
    below row 100,000).  ``scanned``: as in ``check_workbook_file``, a sheet not read is not looked at."""
    from xl_awards.schema import sheet_key

    for info in infos:
        if info.is_dir():
            continue
        sheet = _sheet_of(info, sheets)
        if sheet is not None and scanned is not None and sheet_key(sheet) not in scanned:
            continue  # not read: the part-by-part scan does not look at it either
        data = _whole_part(raw, info)
        if data is None:
            return False
        if sheet is not None and not _sheet_quickly_within(data, max_rows):
            return False
    return True


def _whole_part(raw: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The part's bytes when they read exactly as ``zipfile`` would read them without an error, else None."""
    if (info.flag_bits & ~_PLAIN_FLAGS or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or info.file_size > QUICK_PART_BYTES):
        return None
    offset = info.header_offset
    header = raw[offset:offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader:
        return None
    fields = struct.unpack(zipfile.structFileHeader, header)
    if fields[0] != zipfile.stringFileHeader:
        return None
    name_length, extra_length = fields[10], fields[11]
    name = raw[offset + zipfile.sizeFileHeader:offset + zipfile.sizeFileHeader + name_length]
    try:
        if name.decode("utf-8" if fields[3] & 0x800 else "cp437") != info.orig_filename:
            return None
    except UnicodeDecodeError:
        return None
    start = offset + zipfile.sizeFileHeader + name_length + extra_length
    end_offset = getattr(info, "_end_offset", None)
    if end_offset is not None and start + info.compress_size > end_offset:  # overlapped entries
        return None
    compressed = raw[start:start + info.compress_size]
    if len(compressed) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        data = compressed
    else:
        inflate = zlib.decompressobj(-15)
        try:
            data = inflate.decompress(compressed, info.file_size + 1)
        except zlib.error:
            return None
        if not inflate.eof:
            return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


def _sheet_quickly_within(data: bytes, max_rows: int) -> bool:
    """``_quick_sheet_scan`` on a sheet part's whole bytes: True when certainly within every limit."""
    m = _DIMENSION.search(data)
    if m:
        extent = _ref_extent(m[1].decode("ascii", "replace"))
        if extent and (extent[0] > max_rows or extent[1] > MAX_COLUMNS or extent[0] * extent[1] > MAX_CELLS):
            return False
    if _LARGE_REF.search(data):
        return False
    # at least the row tags (each '<row' or ':row' holds a 'row' of its own): one pass, counted from above
    return data.count(b"row") <= max_rows


def _library_error(path: Path, exc: BaseException) -> InputError:
    """The reader library's exception (a panic included) as one Chinese line."""
    if isinstance(exc, getattr(pc, "PasswordError", ())):
        return input_error("encrypted", path)
    if isinstance(exc, MemoryError):
        return input_error("too_large", path, limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024))
    return input_error("corrupt", path, detail=error_detail(exc))


def read_grids(path: Path, *, merged: bool = False, only: str | Iterable[str] | None = None,
               max_rows: int | None = None, max_bytes: int | None = None,
               share_text: bool = False) -> tuple[dict[str, Grid], dict[str, list]]:
    """Every sheet's values from A1 to its last used cell (one read per sheet) and, when asked, its merged ranges.

    ``only``: read just the sheet(s) of that name or those names (matched as ``schema.sheet_key``: NFKC,
    blanks ignored); none when absent.  ``share_text``: equal text values of a sheet are one object (less
    memory for sheets that repeat values row after row, a little slower).
    """
    from xl_awards.schema import sheet_key

    path = Path(path)
    max_rows = MAX_ROWS if max_rows is None else max_rows
    names = None if only is None else ([only] if isinstance(only, str) else list(only))
    check_workbook_file(path, max_rows=max_rows, max_bytes=max_bytes, read_sheets=names)
    grids: dict[str, Grid] = {}
    merges: dict[str, list] = {}
    wanted = None if names is None else {sheet_key(n) for n in names}
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            for name in wb.sheet_names:
                if wanted is not None and sheet_key(name) not in wanted:
                    continue
                sheet = wb.get_sheet_by_name(name)
                if sheet.height > max_rows or sheet.width > MAX_COLUMNS:  # the scan above already bounds them
                    raise input_error("too_many_rows" if sheet.height > max_rows else "too_many_columns", path,
                                      sheet=name, rows=sheet.height, columns=sheet.width,
                                      limit=max_rows if sheet.height > max_rows else MAX_COLUMNS)
                grids[name] = _shared_grid(sheet) if share_text else sheet.to_python(skip_empty_area=False)
                if merged and sheet.merged_cell_ranges:
                    merges[name] = sheet.merged_cell_ranges
        finally:
            wb.close()
    except InputError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # calamine: zip, XML or password errors, and pyo3's PanicException
        raise _library_error(path, exc) from None
    return grids, merges


class SheetGrids(Mapping):
    """``read_grids(path, only=names, ...)``'s grids, each sheet read when it is asked for and not kept.

    The file is checked once, for all of the sheets, when this is made (``InputError`` as ``read_grids``).
    A caller that turns each grid into rows before asking for the next holds one grid at a time: the hub's
    sheets a command reads are at 100x 1.5 GB of XML, and all their grids at once were the larger part of
    the peak memory of every command that reads the hub."""

    def __init__(self, path: Path, only: Iterable[str], *, max_rows: int | None = None, max_bytes: int | None = None,
                 share_text: bool = False):
        from xl_awards.schema import sheet_key

        self.path = Path(path)
        self._limits = {"max_rows": max_rows, "max_bytes": max_bytes, "share_text": share_text}
        names = list(only)
        check_workbook_file(self.path, max_rows=MAX_ROWS if max_rows is None else max_rows, max_bytes=max_bytes,
                            read_sheets=names)
        wanted = {sheet_key(n) for n in names}
        try:
            wb = pc.CalamineWorkbook.from_path(str(self.path))
            try:
                self._names = [n for n in wb.sheet_names if sheet_key(n) in wanted]
            finally:
                wb.close()
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # calamine: zip, XML or password errors, and pyo3's PanicException
            raise _library_error(self.path, exc) from None

    def __getitem__(self, name: str) -> Grid:
        if name not in self._names:
            raise KeyError(name)
        grids, _ = read_grids(self.path, only=[name], **self._limits)
        return grids[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def close_macro_archive(wb) -> None:
    """Close the in-memory zip openpyxl keeps an ``.xlsm``'s parts in (``load_workbook(keep_vba=True)``:
    ``wb.vba_archive``, opened for appending and never closed), once the workbook is done with.  Left to the
    garbage collector, its buffer may be finalised first, and Python prints an ignored ``ValueError`` from
    ``ZipFile.__del__`` (seen at the end of ``demo``)."""
    archive = getattr(wb, "vba_archive", None)
    if archive is not None:
        try:
            archive.close()
        except ValueError:  # its buffer already closed: nothing left to close
            pass

"""Expert scoring workbooks: writing the issued ones (XlsxWriter), reading returned ones (python-calamine).

Layout of an issued workbook ``专家评分_<专家编号>_<姓名>.xlsx``:

- ``评分说明`` (first): who it is for, how to fill it in, the rubric per award (items, maxima,
  hints from the edition), the return date (设置 ``dates.review_return_deadline``), the contact of
  each award reviewed (edition ``award_contacts``), a signature line.
- one sheet per award reviewed, named after the award (``优秀服务机构`` ...): row 1 a title,
  row 2 the header, data from row 3.  Columns 申报编号, 申报主体, (product sheets: 申报单位,) 所属市州 (locked), one column per
  rubric item ``行业影响力(15分)`` (unlocked; data validation 0..max in steps of 0.5 with a Chinese
  prompt and error), ``合计(100分)`` (=SUM formula, locked), ``回避`` (是/否 drop-down, unlocked),
  ``评语`` (unlocked).  Unfilled score cells are highlighted (conditional formatting).  A4
  landscape, one page wide, the header rows repeated, a footer with 评审专家签字 and 日期.
- ``_签发`` (very hidden): the signed issued content (canonical JSON, in chunks of 30 000
  characters: rows, rubric, from version 2 the header row cell for cell and the products' 申报单位)
  and its HMAC-SHA256 signature.

Every sheet is protected and the workbook structure is locked, with a password derived from the
hub's key (``review.protection_password``).  Protection is a convenience for the expert, not the
integrity check: the signature is.

The hub's key: the environment variable ``XL_AWARDS_REVIEW_KEY`` (any text) if set, otherwise the
key file ``<hub stem>.key`` beside the hub workbook, created on first use by ``expert-sheets``
(a random 256-bit key, hex).  The key file also shows the protection password for hub staff.
Keep it with the hub workbook and never send it out: whoever holds it can sign workbooks.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Mapping, Sequence

import xlsxwriter
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from xl_awards.edition import Edition
from xl_awards.base.errors import InputError
from xl_awards.base.addresses import cell_address, column_letter
from xl_awards.io.atomic import file_sha256
from xl_awards.io.workbook_files import HUB_MAX_ROWS, HUB_MAX_UNCOMPRESSED_BYTES, input_error, read_grids
from xl_awards.base.normalize import clean_text
from xl_awards.review.people import (
    COL_APP_ID,
    COL_APPLICANT,
    COL_CITY,
    COL_UNIT,
)
from xl_awards.review.signing import IssuedBook, protection_password, sign
from xl_awards.review.returned import ReturnedBook, ReturnedSheet

FILE_PREFIX = "专家评分"
INSTRUCTIONS_SHEET = "评分说明"
META_SHEET = "_签发"
META_KIND = "专家评分工作簿"
CHUNK = 30000  # a cell holds at most 32 767 characters
HEADER_ROW = 1  # 0-based: row 2 in Excel
FIRST_DATA_ROW = 2  # 0-based: row 3 in Excel
KEY_ENV = "XL_AWARDS_REVIEW_KEY"

META_KEYS = ("工作簿类型", "专家编号", "专家姓名", "评选年度", "版本", "签发时间", "签名", "内容分段数")


_UNSAFE = re.compile(r'[\\/:*?"<>|\s_]+')
_FILE_EXPERT = re.compile(rf"^{FILE_PREFIX}_([^_]+)_")

ID_COLUMN_WIDTHS = {COL_APP_ID: 12, COL_APPLICANT: 30, COL_UNIT: 26, COL_CITY: 16}


# --------------------------------------------------------------------------------------
# Key and file names
# --------------------------------------------------------------------------------------


def key_file_path(hub_path: str | Path) -> Path:
    hub_path = Path(hub_path)
    return hub_path.with_name(f"{hub_path.stem}.key")


KEY_ENCODINGS = ("utf-8-sig", "utf-16", "gbk")  # as saved by any editor: UTF-8 (with or without BOM), Notepad's "Unicode", GBK


def decode_key_text(data: bytes) -> str | None:
    """A key file's text whatever the editor saved it as (UTF-8 with or without BOM, UTF-16 with BOM, GBK); None when none fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif len(data) >= 2 and data[1:2] == b"\x00" and data[0:1] != b"\x00":
        encodings = ("utf-16-le",)  # UTF-16 without a BOM: ASCII letters each followed by a zero byte
    else:
        encodings = ("utf-8-sig", "gbk")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def load_review_key(hub_path: str | Path, create: bool = False) -> bytes:
    """The hub's signing key: ``$XL_AWARDS_REVIEW_KEY``, else ``<hub stem>.key``.

    ``create``: when there is neither, a new key is returned *without* writing it; the caller
    saves it with ``save_review_key`` once the workbooks it signed are written.
    """
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = key_file_path(hub_path)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise input_error("no_permission" if isinstance(exc, PermissionError) else "key_unreadable", path) from None
        text = decode_key_text(data)
        if text is None:
            raise input_error("key_unreadable", path)
        for line in text.splitlines():
            if line.strip().startswith("key="):
                value = line.strip()[4:].strip()
                if value:
                    return value.encode("utf-8")
        raise InputError(f"{path.name}：签名密钥文件内容无效（缺少 key= 行），请从备份恢复")
    if not create:
        raise InputError(f"{path.name}：找不到签名密钥文件（应与省枢纽平台工作簿放在同一文件夹，由生成专家评分工作簿时创建），无法核验专家评分工作簿")
    return secrets.token_hex(32).encode("utf-8")


def has_review_key(hub_path: str | Path) -> bool:
    """Whether a key exists already (environment or key file)."""
    return bool(os.environ.get(KEY_ENV)) or key_file_path(hub_path).is_file()


def save_review_key(hub_path: str | Path, key: bytes) -> Path:
    """Write the key file beside the hub (atomically; readable by its owner only)."""
    from xl_awards.io.atomic import write_atomically

    path = key_file_path(hub_path)
    value = key.decode("utf-8")
    text = (
        "# xl-awards 专家评分工作簿签名密钥。请与省枢纽平台工作簿一起妥善保管，切勿外发。\n"
        "# 丢失后已下发的专家评分工作簿将无法核验，需重新生成并下发。\n"
        f"key={value}\n"
        f"# 专家评分工作簿的工作表和结构保护密码（由密钥生成）：{protection_password(key)}\n"
    )
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    try:
        path.chmod(0o600)
    except OSError:
        pass
    return path


def expert_file_name(expert_id: str, name: str) -> str:
    """``专家评分_E01_张三.xlsx`` (characters a file name cannot hold are replaced by ``-``)."""
    safe_id = _UNSAFE.sub("-", clean_text(expert_id)).strip("-") or "未编号"
    safe_name = _UNSAFE.sub("-", clean_text(name)).strip("-") or "专家"
    return f"{FILE_PREFIX}_{safe_id}_{safe_name}.xlsx"


def parse_file_expert_id(file_name: str) -> str | None:
    """The 专家编号 a returned file's name carries, or None."""
    match = _FILE_EXPERT.match(Path(file_name).name)
    return match[1] if match else None


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def write_expert_workbooks(edition: Edition, books: Sequence[IssuedBook], out_dir: str | Path, key: bytes,
                           contact: Mapping[str, str] | None = None) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [write_expert_workbook(edition, b, out / expert_file_name(b.expert_id, b.expert_name), key, contact)
            for b in books]


def write_expert_workbook(edition: Edition, book: IssuedBook, path: str | Path, key: bytes,
                          contact: Mapping[str, str] | None = None) -> Path:
    """Write one expert's scoring workbook atomically (temporary file, structure lock, rename)."""
    path = Path(path)
    password = protection_password(key)
    content = book.canonical()
    signature = sign(content, key)
    fd, tmp_name = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb = xlsxwriter.Workbook(str(tmp))
        fmt = _formats(wb)
        _write_instructions(wb, fmt, edition, book, password, contact)
        for sheet in book.sheets:
            _write_score_sheet(wb, fmt, edition, book, sheet, password)
        _write_meta(wb, book, content, signature, password)
        wb.set_properties({"title": f"{edition.title} 专家评分表", "author": "省枢纽平台",
                           "comments": f"{book.expert_id} {book.expert_name}"})
        wb.close()
        _lock_structure(tmp, password)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _formats(wb) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "header": wb.add_format({**base, "bold": True, "text_wrap": True, "align": "center", "border": 1,
                                 "bg_color": "#DDEBF7"}),
        "locked": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "total": wb.add_format({**base, "border": 1, "num_format": "0.0", "bg_color": "#F2F2F2"}),
        "score": wb.add_format({**base, "border": 1, "locked": False, "num_format": "0.0", "bg_color": "#FFFFFF"}),
        "open": wb.add_format({**base, "border": 1, "locked": False, "text_wrap": True}),
        "text": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({**base, "bold": True}),
        "unfilled": wb.add_format({"bg_color": "#FFF2CC"}),
    }


def _protect(ws, password: str) -> None:
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True,
                          "format_columns": True, "format_rows": True})


def _write_instructions(wb, fmt, edition: Edition, book: IssuedBook, password: str,
                        contact: Mapping[str, str] | None) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 70)
    ws.merge_range(0, 0, 0, 2, f"{edition.title} 专家评分表", fmt["title"])
    award_names = "、".join(s.award_name for s in book.sheets)
    count = sum(len(s.rows) for s in book.sheets)
    lines = [
        f"评审专家：{book.expert_id} {book.expert_name}",
        f"评审奖项：{award_names}（共{count}项申报）",
        "填写说明：",
        f"1. 每个奖项一张评分表。请在各评分项列（白色单元格）填写得分，范围为0到该项满分，可保留{edition.score_step:g}分；“合计”自动计算。",
        "2. 黄色底色表示尚未填写的得分。全部申报都须评分；与申报人或申报单位存在利益关系的，请在“回避”列选“是”，该行不再评分。",
        "3. 可在“评语”列填写简要评价。",
        "4. 请勿修改申报编号、申报主体、所属市州、表头和工作表，勿增删行、勿调换顺序，勿改动文件名；"
        "工作簿带有省枢纽平台的签发校验，改动后将整本退回重评。",
        "5. 评分完成后保存，原文件报回省枢纽平台；如需纸质件，请打印各评分表并在页脚签字。",
    ]
    row = 2
    for line in lines:
        ws.merge_range(row, 0, row, 2, line, fmt["text"])
        ws.set_row(row, 32 if len(line) > 60 else 18)
        row += 1
    row += 1
    for sheet in book.sheets:
        ws.merge_range(row, 0, row, 2, f"{sheet.award_name}评分细则（满分{sheet.maximum:g}分）", fmt["bold"])
        row += 1
        for col, label in enumerate(("评分项", "分值", "评分要点")):
            ws.write_string(row, col, label, fmt["header"])
        row += 1
        hints = {str(r[0]): (str(r[2]) if len(r) > 2 else "") for r in edition.rubric(sheet.award)} \
            if sheet.award in edition.data.get("rubrics", {}) else {}
        for item, maximum in sheet.items:
            ws.write_string(row, 0, item, fmt["locked"])
            ws.write_number(row, 1, maximum, fmt["locked"])
            ws.write_string(row, 2, hints.get(item, ""), fmt["locked"])
            ws.set_row(row, 32)
            row += 1
        row += 1
    deadline = edition.data.get("dates", {}).get("review_return_deadline")
    if deadline:
        day = dt.date.fromisoformat(str(deadline))
        ws.merge_range(row, 0, row, 2, f"报回截止日期：请于{day.year}年{day.month}月{day.day}日前将评分完成的工作簿报回省枢纽平台",
                       fmt["bold"])
        row += 1
    groups = [(None, contact)] if contact else award_contacts(edition, [s.award for s in book.sheets])
    for awards, person in groups:
        scope = f"（{'、'.join(edition.award_name(a) for a in awards)}）" if awards else ""
        ws.merge_range(row, 0, row, 2, f"联系人{scope}：{person.get('name', '')}　电话：{person.get('phone', '')}　"
                                       f"邮箱：{person.get('email', '')}", fmt["text"])
        row += 1
    row += 1
    ws.merge_range(row, 0, row, 2, "评审专家签字：＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", fmt["bold"])
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()
    _protect(ws, password)


def award_contacts(edition: Edition, awards: Sequence[str]) -> list[tuple[tuple[str, ...], Mapping[str, str]]]:
    """The notice's contact for each award (edition ``award_contacts`` -> ``contacts``: 服务之星 and windows the first
    contact, the other three the second), grouped: [((award keys), {name, phone, email}), ...]."""
    contacts = edition.data.get("contacts", {})
    by_award = edition.data.get("award_contacts", {})
    groups: dict[str, list[str]] = {}
    for award in awards:
        key = by_award.get(award, "expert_review")
        if isinstance(contacts.get(key), Mapping):
            groups.setdefault(key, []).append(award)
    return [(tuple(keys), contacts[key]) for key, keys in groups.items()]


SCORE_COLUMN_WIDTH = 11  # characters; a long rubric item wraps onto more header lines


def _display_width(text: str) -> int:
    """Width in Excel column units: a CJK or full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _header_height(headers, widths) -> int:
    """Row height (points) showing every wrapped header in full (bold 10.5pt: about 15 points a line),
    at least two lines; a long item such as “平台注册与线上线下服务(15分)” takes three in an 11-wide column."""
    lines = max(math.ceil(_display_width(t) / max(1, w - 1)) for t, w in zip(headers, widths))
    return max(2, lines) * 15 + 6


class _SumSheet(Worksheet):
    """A score sheet: its only formulas are the rows' ``=SUM(..)``, which XlsxWriter would otherwise pass,
    one by one, through its regular expressions for newer (``_xlfn.``) and dynamic-array functions."""

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(formula[1:] if formula.startswith("=") else formula, cell_format, value)
        return 0


def _write_score_sheet(wb, fmt, edition: Edition, book: IssuedBook, sheet, password: str) -> None:
    ws = wb.add_worksheet(sheet.award_name, _SumSheet)
    n_items = len(sheet.items)
    identity = sheet.identity_columns
    first_score = len(identity)
    last_score = first_score + n_items - 1
    total_col = last_score + 1
    avoid_col = total_col + 1
    comment_col = avoid_col + 1
    headers = list(sheet.header)  # signed: the returned sheet must keep it cell for cell
    ws.merge_range(0, 0, 0, comment_col, f"{sheet.award_name} 专家评分表（评审专家：{book.expert_id} {book.expert_name}）",
                   fmt["title"])
    ws.set_row(0, 24)
    widths = [ID_COLUMN_WIDTHS[label] for label in identity] + [SCORE_COLUMN_WIDTH] * n_items + [10, 7, 36]
    ws.set_row(HEADER_ROW, _header_height(headers, widths))
    for c, text in enumerate(headers):
        ws.write_string(HEADER_ROW, c, text, fmt["header"])
    for c, label in enumerate(identity):
        ws.set_column(c, c, ID_COLUMN_WIDTHS[label])
    ws.set_column(first_score, last_score, SCORE_COLUMN_WIDTH)
    ws.set_column(total_col, total_col, 10)
    ws.set_column(avoid_col, avoid_col, 7)
    ws.set_column(comment_col, comment_col, 36)

    last_row = FIRST_DATA_ROW + len(sheet.rows) - 1
    for j, (app_id, applicant, city) in enumerate(sheet.rows):
        r = FIRST_DATA_ROW + j
        values = {COL_APP_ID: app_id, COL_APPLICANT: applicant, COL_CITY: city,
                  COL_UNIT: sheet.units[j] if sheet.units else ""}
        for c, label in enumerate(identity):
            ws.write_string(r, c, values[label], fmt["locked"])
        for c in range(first_score, last_score + 1):
            ws.write_blank(r, c, None, fmt["score"])
        first, last = cell_address(r + 1, first_score), cell_address(r + 1, last_score)
        ws.write_formula(r, total_col, f"=SUM({first}:{last})", fmt["total"], 0)
        ws.write_string(r, avoid_col, "否", fmt["open"])
        ws.write_blank(r, comment_col, None, fmt["open"])
    if sheet.rows:
        step = edition.score_step
        for k, (item, maximum) in enumerate(sheet.items):
            c = first_score + k
            top = cell_address(FIRST_DATA_ROW + 1, c)
            ws.data_validation(FIRST_DATA_ROW, c, last_row, c, {
                "validate": "custom",
                "value": f"=AND(ISNUMBER({top}),{top}>=0,{top}<={maximum:g},MOD({top}*{1 / step:g},1)=0)",
                "ignore_blank": True,
                "input_title": "评分"[:32],
                "input_message": f"{item}：请填写0到{maximum:g}之间的分数，可保留{step:g}分"[:255],
                "error_title": "分数无效",
                "error_message": f"“{item}”的得分应为0到{maximum:g}之间的数字，以{step:g}分为单位"[:255],
                "error_type": "stop",
            })
        ws.data_validation(FIRST_DATA_ROW, avoid_col, last_row, avoid_col, {
            "validate": "list", "source": ["是", "否"],
            "input_title": "回避",
            "input_message": "与申报人或申报单位存在利益关系的选“是”，该行不再评分",
            "error_title": "请选择", "error_message": "请从下拉列表选择“是”或“否”",
        })
        avoid_ref = f"${column_letter(avoid_col)}{FIRST_DATA_ROW + 1}"
        top_left = cell_address(FIRST_DATA_ROW + 1, first_score)
        ws.conditional_format(FIRST_DATA_ROW, first_score, last_row, last_score, {
            "type": "formula", "criteria": f'=AND(ISBLANK({top_left}),{avoid_ref}<>"是")', "format": fmt["unfilled"],
        })
    ws.freeze_panes(FIRST_DATA_ROW, first_score)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, HEADER_ROW)
    ws.print_area(0, 0, max(last_row, HEADER_ROW), comment_col)
    ws.set_footer("&L评审专家签字：＿＿＿＿＿＿＿＿&C第 &P 页，共 &N 页&R日期：＿＿＿＿年＿＿月＿＿日")
    _protect(ws, password)


def _write_meta(wb, book: IssuedBook, content: str, signature: str, password: str) -> None:
    ws = wb.add_worksheet(META_SHEET)
    chunks = [content[i:i + CHUNK] for i in range(0, len(content), CHUNK)] or [""]
    values = [META_KIND, book.expert_id, book.expert_name, str(book.year), str(book.version), book.issued_at,
              signature, str(len(chunks))]
    for r, (k, v) in enumerate(zip(META_KEYS, values)):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    for i, chunk in enumerate(chunks, start=1):
        r = len(META_KEYS) + i - 1
        ws.write_string(r, 0, f"内容{i}")
        ws.write_string(r, 1, chunk)
    ws.very_hidden()
    _protect(ws, password)


def legacy_password_hash(password: str) -> str:
    """The ECMA-376 legacy 16-bit password hash used by sheet and workbook protection."""
    value = 0
    for ch in reversed(password):
        value = ((value >> 14) & 0x01) | ((value << 1) & 0x7FFF)
        value ^= ord(ch)
    value = ((value >> 14) & 0x01) | ((value << 1) & 0x7FFF)
    value ^= len(password)
    value ^= 0xCE4B
    return f"{value:X}"


def _lock_structure(path: Path, password: str) -> None:
    """Add ``<workbookProtection lockStructure>`` to xl/workbook.xml (XlsxWriter has no API for it)."""
    element = f'<workbookProtection workbookPassword="{legacy_password_hash(password)}" lockStructure="1"/>'
    tmp = path.with_suffix(".lock.tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                xml = data.decode("utf-8")
                match = re.search(r"<workbookPr\b[^>]*/>", xml)
                if match:
                    xml = xml[:match.end()] + element + xml[match.end():]
                else:
                    xml = xml.replace("<bookViews>", element + "<bookViews>", 1)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    os.replace(tmp, path)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def read_expert_workbook(path: str | Path, file_name: str | None = None) -> ReturnedBook:
    """Read a returned workbook, values only (python-calamine: nothing in the file is ever run).

    Raises ``InputError`` (one Chinese line naming the file) when it cannot be read at all.
    """
    path = Path(path)
    grids, _ = read_grids(path)
    content = signature = None
    meta_grid = grids.pop(META_SHEET, None)
    if meta_grid is not None:
        meta = {clean_text(row[0]): (row[1] if len(row) > 1 else None) for row in meta_grid if row}
        signature = clean_text(meta.get("签名")) or None
        try:
            parts = int(float(clean_text(meta.get("内容分段数")) or 0))
        except ValueError:
            parts = 0
        # Chunks are read verbatim (not cleaned): the signature covers the exact text.
        chunks = [meta.get(f"内容{i}") for i in range(1, parts + 1)]
        if parts and all(isinstance(c, str) for c in chunks):
            content = "".join(chunks)
    sheets = {name: ReturnedSheet(name=name, cells=[list(row) for row in grid]) for name, grid in grids.items()}
    return ReturnedBook(
        file=file_name or path.name,
        sha256=file_sha256(path),
        file_expert_id=parse_file_expert_id(path.name),
        content=content,
        signature=signature,
        sheets=sheets,
    )


__all__ = [
    "FILE_PREFIX", "INSTRUCTIONS_SHEET", "META_SHEET", "KEY_ENV", "key_file_path", "load_review_key",
    "expert_file_name", "parse_file_expert_id", "write_expert_workbook", "write_expert_workbooks",
    "read_expert_workbook", "legacy_password_hash",
]


def read_hub_extra_sheet(hub_path: str | Path, schema) -> list[dict[str, Any]]:
    """Rows ({field key: value}) of a hub sheet outside the hub schema (``评审分配``, ``评分明细``); [] when absent."""
    from xl_awards.hub.hub_book import read_table

    path = Path(hub_path)
    grids, _ = read_grids(path, only=schema.name, max_rows=HUB_MAX_ROWS, max_bytes=HUB_MAX_UNCOMPRESSED_BYTES,
                          share_text=True)  # the guarded reader (hub limits)
    if not grids:
        return []
    name, grid = next(iter(grids.items()))
    if not grid:
        return []
    table = read_table(schema, name, grid)
    return [row for _, row in table.rows] if table else []


_ITEM_HEADER = re.compile(r"^(.+)\((\d+(?:\.\d+)?)分\)$")


def fill_sample_scores(path: str | Path, out_path: str | Path, seed: int = 0) -> Path:
    """An issued workbook filled like an expert would (demo and tests): every score cell gets an
    invented, deterministic score between 55% and 95% of the item's maximum, in 0.5 steps.
    Only the score cells are written, into the sheet XML (``io.sheet_cells``): protection, the
    signature sheet and everything else stay as issued."""
    import random

    from xl_awards.io.sheet_cells import SheetCells, Styles, write_workbook
    from xl_awards.io.sheet_parts import sheet_parts

    path, out = Path(path), Path(out_path)
    grids, _ = read_grids(path)  # the guarded reader: the file checked before anything reads it
    visible = set(_visible_sheets(path)) - {INSTRUCTIONS_SHEET}
    written: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        styles = Styles(z.read("xl/styles.xml").decode("utf-8"))
        for title, part, _ in sheet_parts(z):
            grid = grids.get(title)
            if title not in visible or not grid or len(grid) <= HEADER_ROW:
                continue
            sheet = None
            for c, text in enumerate(grid[HEADER_ROW], start=1):
                m = _ITEM_HEADER.match(re.sub(r"\s+", "", str(text or "")))
                if not m or m[1].startswith("合计"):
                    continue
                maximum = float(m[2])
                for r, cells in enumerate(grid[HEADER_ROW + 1:], start=HEADER_ROW + 2):  # Excel rows
                    if not cells or cells[0] in (None, ""):
                        continue
                    rng = random.Random(f"{seed}|{path.name}|{title}|{r}|{c}")
                    sheet = sheet or SheetCells(z.read(part).decode("utf-8"), styles)
                    sheet.set(r, c, round(maximum * rng.uniform(0.55, 0.95) * 2) / 2)
            if sheet is not None:
                written[part] = sheet.text()
    if styles.modified:
        written["xl/styles.xml"] = styles.final_text()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(path, out, written)
    return out


def _visible_sheets(path: Path) -> list[str]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return [m.name for m in book.sheets_metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]
    finally:
        book.close()

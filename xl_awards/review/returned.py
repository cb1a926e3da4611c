"""Returned expert workbooks: checked cell by cell against the verified issued content."""

from __future__ import annotations
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping
from xl_awards.base.addresses import cell_address
from xl_awards.base.findings import Finding
from xl_awards.base.messages import finding
from xl_awards.base.normalize import NormalizeError, clean_text, normalize_name, to_number, to_yes_no
from xl_awards.base.tables import find_header, header_label
from xl_awards.review.people import COL_APPLICANT, COL_APP_ID, COL_AVOID, COL_CITY, COL_COMMENT, COL_UNIT, Expert, IDENTITY_COLUMNS, item_header
from xl_awards.review.signing import IssuedBook, IssuedSheet, signature_ok


# --------------------------------------------------------------------------------------
# Returned workbooks
# --------------------------------------------------------------------------------------


@dataclass
class ReturnedSheet:
    """A visible sheet of a returned workbook, values only.

    ``cells[r][c]`` is the value at 1-based row ``r + 1`` and 0-based column ``c``.
    """

    name: str
    cells: list[list[Any]]


@dataclass
class ReturnedBook:
    file: str  # file name (as given on the command line, for findings)
    sha256: str
    file_expert_id: str | None  # 专家编号 parsed from the file name, None if the name has none
    content: str | None  # the stored canonical text (None: no hidden sheet)
    signature: str | None
    sheets: dict[str, ReturnedSheet]


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """One line of 专家评分 (long form): an expert's score of one rubric item of one application."""

    expert_id: str
    expert_name: str
    app_id: str
    award_name: str
    applicant: str
    item: str
    score: float | None  # None when 回避
    avoided: bool
    comment: str


@dataclass
class CheckedBook:
    book: ReturnedBook
    issued: IssuedBook | None
    findings: list[Finding]
    records: list[ScoreRecord]  # empty when the workbook is rejected

    @property
    def accepted(self) -> bool:
        return self.issued is not None and not any(f.is_error for f in self.findings)


def _norm_header(value: Any) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_text(value))).strip("*")


def check_returned(book: ReturnedBook, key: bytes, experts: Mapping[str, Expert] | None = None, *,
                   score_step: float) -> CheckedBook:
    """Verify a returned scoring workbook and read its scores.

    A score is a whole multiple of ``score_step`` (the edition's ``scoring.score_step``) from 0 to
    the item's maximum.

    Any error rejects the whole workbook (``records`` empty): nothing is half-imported.
    """
    findings: list[Finding] = []
    file = book.file

    def add(rule: str, **kw) -> None:
        findings.append(finding(rule, file=file, **kw))

    if book.content is None or book.signature is None:
        add("review_meta_missing")
        return CheckedBook(book, None, findings, [])
    if not signature_ok(book.content, book.signature, key):
        add("review_signature", expert=book.file_expert_id or "（未知）")
        return CheckedBook(book, None, findings, [])
    issued = IssuedBook.from_canonical(book.content)
    expert_label = f"{issued.expert_id} {issued.expert_name}"

    if book.file_expert_id is None:
        add("review_file_name", expert=expert_label)
    elif book.file_expert_id != issued.expert_id:
        add("review_file_expert", file_expert=book.file_expert_id, expert=expert_label)
    if experts is not None:
        known = experts.get(issued.expert_id)
        if known is None:
            add("review_unknown_expert", expert=expert_label)
        elif normalize_name(known.name) != normalize_name(issued.expert_name):
            add("review_expert_renamed", expert=expert_label, name=known.name)

    records: list[ScoreRecord] = []
    for spec in issued.sheets:
        records.extend(_check_sheet(book, issued, spec, expert_label, findings, score_step))
    if any(f.is_error for f in findings):
        records = []
    return CheckedBook(book, issued, findings, records)


def _check_sheet(book: ReturnedBook, issued: IssuedBook, spec: IssuedSheet, expert_label: str,
                 findings: list[Finding], score_step: float) -> list[ScoreRecord]:
    sheet_name = spec.award_name

    def add(rule: str, cell: str = "", row: int | None = None, field_: str = "", **kw) -> None:
        findings.append(finding(rule, file=book.file, sheet=sheet_name, cell=cell, row=row, field=field_,
                                expert=expert_label, sheet_label=sheet_name, **kw))

    sheet = book.sheets.get(sheet_name)
    if sheet is None:
        add("review_sheet_missing")
        return []
    cells = sheet.cells
    h, _ = find_header(cells, {COL_APP_ID: "app_id"})  # the first row with a 申报编号 cell
    if h < 0:
        add("review_header_missing")
        return []
    header = cells[h]
    columns: dict[str, int] = {}
    for c, text in enumerate(header):
        label = header_label(text)
        if label and label not in columns:
            columns[label] = c

    # Identity columns and rubric items must be there, rubric headers unchanged.
    fatal = rubric_changed = False
    identity = spec.identity_columns
    for label in identity:
        if label not in columns:
            add("review_column_missing", label=label)
            fatal = True
    for item, maximum in spec.items:
        if item not in columns:
            add("review_column_missing", label=item_header(item, maximum))
            fatal = True
            continue
        c = columns[item]
        if _norm_header(header[c]) != _norm_header(item_header(item, maximum)):
            add("review_rubric_changed", cell=cell_address(h + 1, c), row=h + 1, field_=item,
                value=clean_text(header[c]), expected=item_header(item, maximum))
            rubric_changed = True
    if fatal:
        return []
    # The header row cell for cell as issued: two items with the same maximum swapped keep every
    # label intact, yet each score would be filed under the other item.
    issued_header = spec.header
    moved = [] if rubric_changed else [
        c for c, want in enumerate(issued_header) if _norm_header(header[c] if c < len(header) else "") != _norm_header(want)]
    if moved:
        add("review_header_moved", cell=cell_address(h + 1, moved[0]), row=h + 1,
            cells="、".join(cell_address(h + 1, c) for c in moved),
            value="、".join(clean_text(header[c]) if c < len(header) else "（空）" for c in moved),
            expected="、".join(issued_header[c] for c in moved))
        return []
    avoid_col = columns.get(COL_AVOID)
    comment_col = columns.get(COL_COMMENT)
    if avoid_col is None:
        add("review_column_missing", label=COL_AVOID)
        return []

    def value(r: int, c: int | None) -> Any:
        if c is None or r >= len(cells) or c >= len(cells[r]):
            return None
        return cells[r][c]

    expected_ids = [r[0] for r in spec.rows]
    watched = [columns[l] for l in identity] + [columns[i] for i, _ in spec.items] + [avoid_col]
    if comment_col is not None:
        watched.append(comment_col)
    last = h
    for r in range(h + 1, len(cells)):
        if any(clean_text(value(r, c)) for c in watched):
            last = r

    records: list[ScoreRecord] = []
    missing: list[str] = []
    id_col, name_col, city_col = (columns[l] for l in IDENTITY_COLUMNS)
    for j, (app_id, applicant, city) in enumerate(spec.rows):
        r = h + 1 + j
        excel_row = r + 1
        got_id = clean_text(value(r, id_col))
        if not any(clean_text(value(r, c)) for c in watched):
            add("review_row_removed", cell=cell_address(excel_row, id_col), row=excel_row, field_=COL_APP_ID,
                expected=f"{applicant}（{app_id}）")
            continue
        if got_id != app_id:
            rule = "review_row_moved" if got_id in expected_ids else "review_cell_edited"
            add(rule, cell=cell_address(excel_row, id_col), row=excel_row, field_=COL_APP_ID,
                label=COL_APP_ID, value=got_id, expected=app_id)
            continue
        checks = [(COL_APPLICANT, name_col, applicant), (COL_CITY, city_col, city)]
        if spec.units:
            checks.insert(1, (COL_UNIT, columns[COL_UNIT], spec.units[j]))
        for label, c, want in checks:
            got = clean_text(value(r, c))
            if got != want:
                add("review_cell_edited", cell=cell_address(excel_row, c), row=excel_row, field_=label,
                    label=label, value=got, expected=want)
        raw_avoid = value(r, avoid_col)
        try:
            avoided = to_yes_no(raw_avoid) == "是"
        except NormalizeError:
            add("review_avoid_value", cell=cell_address(excel_row, avoid_col), row=excel_row, field_=COL_AVOID,
                value=clean_text(raw_avoid))
            continue
        comment = clean_text(value(r, comment_col))
        for item, maximum in spec.items:
            c = columns[item]
            raw = value(r, c)
            address = cell_address(excel_row, c)
            if avoided:
                records.append(ScoreRecord(issued.expert_id, issued.expert_name, app_id, spec.award_name,
                                           applicant, item, None, True, comment))
                continue
            try:
                score = to_number(raw)
            except NormalizeError:
                score = math.nan
            if score is None:
                missing.append(address)
                continue
            if not (0 <= score <= maximum) or not float(score * (1 / score_step)).is_integer():
                add("review_score_range", cell=address, row=excel_row, field_=item,
                    label=item_header(item, maximum), max=f"{maximum:g}", step=f"{score_step:g}",
                    value=clean_text(raw))
                continue
            records.append(ScoreRecord(issued.expert_id, issued.expert_name, app_id, spec.award_name,
                                       applicant, item, float(score), False, comment))
    for r in range(h + 1 + len(spec.rows), last + 1):
        shown = clean_text(value(r, id_col)) or clean_text(value(r, name_col)) or "（无编号）"
        add("review_row_added", cell=cell_address(r + 1, id_col), row=r + 1, field_=COL_APP_ID, value=shown)
    if missing:
        add("review_scores_missing", cell=missing[0], count=len(missing), cells="、".join(missing))
    return records

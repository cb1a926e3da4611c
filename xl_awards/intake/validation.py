"""Validation of intake workbooks: the pure core behind ``xl-awards validate`` and its button.

``validate_books(books, edition)`` runs every check SPEC section 4 lets the
given workbooks decide on their own, and returns the findings in reading order
(file, sheet, row, column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from xl_awards.intake.cells import ChoiceLists
from xl_awards.intake.columns import check_table_cells
from xl_awards.intake.checked_row import CheckedRow
from xl_awards.intake.cross import check_duplicates, check_star_platforms
from xl_awards.intake.eligibility import check_applicant_row
from xl_awards.intake.recipients import check_recipients
from xl_awards.edition import Edition
from xl_awards.base.findings import Finding
from xl_awards.base.addresses import column_index
from xl_awards.base import messages, normalize as nz
from xl_awards.intake.intake_book import IntakeBook, intake_schema
from xl_awards.schema.intake import RECIPIENTS_SHEET


def choice_lists(edition: Edition) -> ChoiceLists:
    divisions = edition.divisions
    all_counties = tuple(c for city in divisions.city_names for c in divisions.counties(city))

    def counties(city: str) -> tuple[str, ...]:
        return divisions.counties(city) if city in divisions.cities else all_counties

    return ChoiceLists(cities=tuple(divisions.city_names), counties=counties)


def check_book_rows(book: IntakeBook, edition: Edition, choices: ChoiceLists | None = None) -> tuple[list[CheckedRow], list[CheckedRow], list[Finding]]:
    """Cell and row rules of one workbook.  Returns (applicant rows, recipient rows, findings)."""
    choices = choices or choice_lists(edition)
    applicants: list[CheckedRow] = []
    recipients: list[CheckedRow] = []
    findings: list[Finding] = []
    for table in book.tables.values():
        checked = check_table_cells(table.schema, [raw for _, raw in table.rows], choices)
        is_applicant = bool(table.schema.award_key)
        kept = applicants if is_applicant else recipients
        for (row_number, raw), (values, issues) in zip(table.rows, checked):
            row = CheckedRow(book, table, row_number, raw, values)
            if issues:
                findings.extend(row.finding(issue.rule, issue.field.key, **issue.values) for issue in issues)
            kept.append(row)
            if is_applicant:
                findings.extend(check_applicant_row(row, edition))
    if RECIPIENTS_SHEET in book.tables:
        findings.extend(check_recipients(applicants, recipients, edition))
    if not applicants and not recipients:
        findings.append(messages.finding("empty_workbook", file=book.file_name))
    return applicants, recipients, findings


@dataclass
class CheckedBooks:
    """What ``check_books`` found: the findings in reading order and the checked rows they are about."""

    findings: list[Finding]
    applicants: list[CheckedRow]  # applicant rows of every workbook, in reading order
    recipients: list[CheckedRow]  # 服务对象情况 rows of every workbook


# Wraps the loop over the workbooks' file names (progress on a terminal): yields the names unchanged.
EachFile = Callable[[list[str]], Iterable[str]]


def check_books(books: Sequence[IntakeBook], edition: Edition, each_file: EachFile | None = None) -> CheckedBooks:
    """``validate_books`` with the checked rows kept (consolidation builds its register from them)."""
    choices = choice_lists(edition)
    findings: list[Finding] = []
    all_applicants: list[CheckedRow] = []
    all_recipients: list[CheckedRow] = []
    names = [b.file_name for b in books]
    for _, book in zip(each_file(names) if each_file else names, books):
        findings.extend(book.findings)
        applicants, recipients, found = check_book_rows(book, edition, choices)
        findings.extend(found)
        all_applicants.extend(applicants)
        all_recipients.extend(recipients)
    findings.extend(check_duplicates(all_applicants, edition))
    findings.extend(check_star_platforms(all_applicants, edition))
    findings = name_applicants(findings, all_applicants, all_recipients)
    return CheckedBooks(order_findings(findings, books, edition), all_applicants, all_recipients)


UNNAMED = "（未填名称）"


def applicant_label(row: CheckedRow) -> str:
    """服务之星“张三”（第5行）: how a clerk finds the applicant a finding is about."""
    name = row.values.get("name") or nz.clean_text(row.raw.get("name")) or UNNAMED
    return f"{row.sheet}“{name}”（第{row.row}行）"


def recipient_label(row: CheckedRow) -> str:
    """优秀服务机构“某公司”的服务对象（服务对象情况第7行）."""
    award = row.values.get("award") or nz.clean_text(row.raw.get("award"))
    name = nz.clean_text(row.raw.get("applicant")) or UNNAMED
    return f"{award}“{name}”的服务对象（{row.sheet}第{row.row}行）" if award else f"{row.sheet}第{row.row}行"


def name_applicants(findings: Sequence[Finding], applicants: Sequence[CheckedRow],
                    recipients: Sequence[CheckedRow]) -> list[Finding]:
    """Each row finding with the applicant it is about (``Finding.applicant``)."""
    wanted = {(f.file, f.sheet, f.row) for f in findings}  # a label only for a row some finding is about
    labels = {}
    for rows, label in ((applicants, applicant_label), (recipients, recipient_label)):
        for r in rows:
            key = (r.book.file_name, r.sheet, r.row)
            if key in wanted:
                labels[key] = label(r)
    return [replace(f, applicant=labels[(f.file, f.sheet, f.row)]) if (f.file, f.sheet, f.row) in labels else f
            for f in findings]


def validate_books(books: Sequence[IntakeBook], edition: Edition, each_file: EachFile | None = None) -> list[Finding]:
    """Every finding for the given workbooks: the reader's sheet-level findings, cell and row rules,
    recipients per workbook, and duplicates across all of them."""
    return check_books(books, edition, each_file).findings


def order_findings(findings: Sequence[Finding], books: Sequence[IntakeBook], edition: Edition) -> list[Finding]:
    """Reading order: files as given, sheets in template order, then row and column."""
    file_order = {}
    for i, book in enumerate(books):
        file_order.setdefault(book.file_name, i)
    sheet_order = {s.name: i for i, s in enumerate(intake_schema(edition))}
    return sorted(
        findings,
        key=lambda f: (
            file_order.get(f.file, len(file_order)),
            sheet_order.get(f.sheet, -1),
            f.row if f.row is not None else -1,
            column_index(f.cell),
        ),
    )

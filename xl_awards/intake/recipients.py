"""The 服务对象情况 sheet against the applicant sheets of the same workbook.

Each institution / expert / product needs ``edition.min_recipient_rows`` rows,
matched by 申报类别 + 申报主体 (the applicant's name, normalised); a row must
name a known applicant, its date must fall in the award year, and the same
company twice for one applicant is a warning.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Sequence

from xl_awards.base import normalize as nz
from xl_awards.intake.checked_row import CheckedRow
from xl_awards.edition import Edition
from xl_awards.base.findings import Finding

RECIPIENT_AWARDS = ("institution", "expert", "product")


def _shown(raw, period) -> str:
    """A service time as the message shows it: a typed text as typed, a date cell as its day."""
    if isinstance(raw, str):
        return nz.clean_text(raw)
    return period[0].isoformat() if period[0] == period[1] else f"{period[0].isoformat()}~{period[1].isoformat()}"


def check_recipients(applicants: Sequence[CheckedRow], recipients: Sequence[CheckedRow], edition: Edition) -> Iterator[Finding]:
    """``applicants``: checked rows of one workbook's applicant sheets; ``recipients``: its 服务对象情况 rows."""
    award_names = {edition.award_name(k): k for k in RECIPIENT_AWARDS}
    # (award key, normalised applicant name) -> recipient rows
    by_applicant: dict[tuple[str, str], list[CheckedRow]] = defaultdict(list)
    known: dict[str, set[str]] = defaultdict(set)
    named: list[tuple[CheckedRow, str, str]] = []  # (row, award, normalised name) of the applicants with a name
    for row in applicants:
        award = row.table.schema.award_key
        if award in RECIPIENT_AWARDS and row.values.get("name"):
            name = nz.normalize_name(row.values["name"])
            known[award].add(name)
            named.append((row, award, name))

    start, end = edition.award_year_start, edition.award_year_end
    seen: dict[tuple[str, str, str], CheckedRow] = {}
    for row in recipients:
        v = row.values
        award = award_names.get(v.get("award") or "")
        name = nz.normalize_name(v.get("applicant")) if v.get("applicant") else ""
        if award and name:
            by_applicant[(award, name)].append(row)
            if name not in known[award]:
                yield row.finding("recipient_unknown_applicant", "applicant", value=v["applicant"], award=v["award"])
        period = v.get("date")  # (first day, last day): a day, a month or a period
        if period is not None and not (start <= period[0] and period[1] <= end):
            yield row.finding("recipient_date_out_of_year", "date", value=_shown(row.raw.get("date"), period),
                              year=edition.year)
        if v.get("company") and nz.is_blank(row.raw.get("company_uscc")) and "company_uscc" in row.raw:
            yield row.finding("recipient_no_uscc", "company_uscc", name=v["company"])
        company = v.get("company_uscc") or nz.normalize_name(v.get("company") or "")
        if award and name and company:
            key = (award, name, company)
            first = seen.get(key)
            if first is None:
                seen[key] = row
            else:
                company_key = "company_uscc" if v.get("company_uscc") else "company"
                yield row.finding("recipient_duplicate", company_key, value=nz.clean_text(row.raw.get("company")) or company, other_row=first.row)

    minimum = edition.min_recipient_rows
    for row, award, name in named:
        count = len(by_applicant.get((award, name), ()))
        if count < minimum:
            yield row.finding("recipients_missing", "name", name=row.values["name"], count=count, min=minimum)

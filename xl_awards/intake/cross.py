"""Rules across rows and files: the same applicant twice in one award, and more than the allowed
number of 服务之星 from one window platform.  Both rows of a pair get an error naming the other.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Sequence

from xl_awards.base import normalize as nz
from xl_awards.intake.cells import stored_as_number
from xl_awards.intake.checked_row import CheckedRow
from xl_awards.edition import Edition
from xl_awards.base.findings import Finding
from xl_awards.schema import FieldType as T


def applicant_identity(row: CheckedRow) -> tuple | None:
    """What makes an application the same one: the sheet's identity fields (身份证号码, 统一社会信用代码,
    or a product's name with its unit's code), normalised.  None when any part is blank or invalid."""
    parts = []
    schema = row.table.schema
    for key in schema.identity_keys:
        value = row.values.get(key)
        if not value and schema.field(key).type in (T.ID_CARD, T.USCC):
            raw = row.raw.get(key)
            if stored_as_number(raw):
                return None  # Excel zeroed the tail of this number: different people look alike
            value = nz.to_code(raw)  # a mistyped number repeated is still the same applicant
        if not value:
            return None
        parts.append(nz.normalize_name(value) if isinstance(value, str) else value)
    return tuple(parts) or None


OTHERS_LISTED = 5  # a message names at most this many other rows


def list_others(places: Sequence[str]) -> str:
    """The other rows of a group as a message names them: at most ``OTHERS_LISTED``, then 等N处."""
    if len(places) > OTHERS_LISTED:
        return "、".join(places[:OTHERS_LISTED]) + f"等{len(places)}处"
    return "、".join(places)


def _others(row: CheckedRow, group: Sequence[CheckedRow]) -> str:
    return list_others([row.where(other) for other in group if other is not row])


def check_duplicates(rows: Sequence[CheckedRow], edition: Edition) -> Iterator[Finding]:
    """``rows``: applicant rows of every given workbook."""
    groups: dict[tuple, list[CheckedRow]] = defaultdict(list)
    for row in rows:
        identity = applicant_identity(row)
        if identity is not None:
            groups[(row.table.schema.award_key, identity)].append(row)
    for (award, _), group in groups.items():
        if len(group) < 2:
            continue
        key = group[0].table.schema.identity_keys[0]
        for row in group:
            name = row.values.get("name") or nz.clean_text(row.raw.get(key))
            yield row.finding("duplicate_applicant", key, name=name, award=edition.award_name(award), other=_others(row, group))


def check_star_platforms(rows: Sequence[CheckedRow], edition: Edition) -> Iterator[Finding]:
    """At most ``max_per_platform`` 服务之星 per window platform across the given workbooks."""
    limit = edition.award("star")["max_per_platform"]
    groups: dict[str, list[CheckedRow]] = defaultdict(list)
    for row in rows:
        if row.table.schema.award_key == "star" and row.values.get("platform"):
            groups[nz.normalize_name(row.values["platform"])].append(row)
    for group in groups.values():
        if len(group) <= limit:
            continue
        for row in group:
            yield row.finding("star_platform_duplicate", "platform", platform=row.values["platform"], other=_others(row, group))

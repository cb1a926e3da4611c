"""The content issued to an expert and its signature (HMAC-SHA256 under the hub's key)."""

from __future__ import annotations
import hashlib
import hmac
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence
from xl_awards.base.normalize import clean_text
from xl_awards.review.assignment import _app_order
from xl_awards.review.people import (COL_APP_ID, COL_APPLICANT, COL_AVOID, COL_CITY, COL_COMMENT, COL_UNIT,
                                    EXPERT_BOOK_VERSION, UNIT_AWARDS, Expert, ReviewApplication, item_header,
                                    total_header)


# --------------------------------------------------------------------------------------
# Issued content and its signature
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSheet:
    award: str  # award key
    award_name: str  # the sheet's name
    items: tuple[tuple[str, float], ...]  # rubric (item, maximum)
    rows: tuple[tuple[str, str, str], ...]  # (申报编号, 申报主体, 所属市州), in sheet order
    units: tuple[str, ...] = ()  # 申报单位 per row (product sheets from version 2), else empty
    columns: tuple[str, ...] = ()  # the header row as issued (version 2); empty: ``default_columns``

    @property
    def maximum(self) -> float:
        return sum(m for _, m in self.items)

    @property
    def identity_columns(self) -> tuple[str, ...]:
        """The locked columns before the rubric items."""
        return (COL_APP_ID, COL_APPLICANT, COL_UNIT, COL_CITY) if self.units else (COL_APP_ID, COL_APPLICANT, COL_CITY)

    def default_columns(self) -> tuple[str, ...]:
        """The header row the layout gives: identity columns, ``行业影响力(15分)`` ..., ``合计(100分)``, 回避, 评语."""
        return (*self.identity_columns, *(item_header(i, m) for i, m in self.items), total_header(self.maximum),
                COL_AVOID, COL_COMMENT)

    @property
    def header(self) -> tuple[str, ...]:
        """The header row the returned sheet must still have, cell for cell (signed from version 2)."""
        return self.columns or self.default_columns()


@dataclass(frozen=True)
class IssuedBook:
    expert_id: str
    expert_name: str
    year: int
    version: int
    issued_at: str  # ISO timestamp: a re-issue is a different content
    sheets: tuple[IssuedSheet, ...]

    def to_data(self) -> dict:
        return {
            "expert_id": self.expert_id,
            "expert_name": self.expert_name,
            "year": self.year,
            "version": self.version,
            "issued_at": self.issued_at,
            "sheets": [_sheet_data(s, self.version) for s in self.sheets],
        }

    def canonical(self) -> str:
        """The exact text that is signed and stored: sorted keys, no spaces, UTF-8 characters."""
        return json.dumps(self.to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_canonical(cls, text: str) -> "IssuedBook":
        data = json.loads(text)
        return cls(
            expert_id=str(data["expert_id"]),
            expert_name=str(data["expert_name"]),
            year=int(data["year"]),
            version=int(data["version"]),
            issued_at=str(data["issued_at"]),
            sheets=tuple(
                IssuedSheet(award=str(s["award"]), award_name=str(s["award_name"]),
                            items=tuple((str(i), float(m)) for i, m in s["items"]),
                            rows=tuple(tuple(str(v) for v in r) for r in s["rows"]),
                            units=tuple(str(u) for u in s.get("units", ())),
                            columns=tuple(str(c) for c in s.get("columns", ())))
                for s in data["sheets"]
            ),
        )


def _sheet_data(s: IssuedSheet, version: int) -> dict:
    data = {"award": s.award, "award_name": s.award_name, "items": [[item, float(m)] for item, m in s.items],
            "rows": [list(r) for r in s.rows]}
    if version >= 2:  # version 1 content is signed without these keys and must stay byte-identical
        data["columns"] = list(s.header)
        data["units"] = list(s.units)
    return data


def issue_book(expert: Expert, apps: Iterable[ReviewApplication], rubrics: Mapping[str, Sequence[tuple]],
               year: int, issued_at: str) -> IssuedBook:
    """The content of one expert's workbook: one sheet per award, rows in 申报编号 order.

    ``rubrics``: award key -> [(item, maximum, hint?), ...] (``Edition.rubric``).
    """
    by_award: dict[str, list[ReviewApplication]] = defaultdict(list)
    for app in sorted(apps, key=_app_order):
        by_award[app.award].append(app)
    sheets = []
    for award, rows in sorted(by_award.items(), key=lambda kv: _app_order(kv[1][0])):
        items = tuple((str(r[0]), float(r[1])) for r in rubrics[award])
        sheet = IssuedSheet(
            award=award, award_name=rows[0].award_name or award, items=items,
            rows=tuple((a.app_id, clean_text(a.name), clean_text(a.city)) for a in rows),
            units=tuple(clean_text(a.unit) for a in rows) if award in UNIT_AWARDS else ())
        sheets.append(IssuedSheet(sheet.award, sheet.award_name, sheet.items, sheet.rows, sheet.units,
                                  sheet.default_columns()))
    return IssuedBook(expert_id=expert.expert_id, expert_name=expert.name, year=int(year),
                      version=EXPERT_BOOK_VERSION, issued_at=issued_at, sheets=tuple(sheets))


def sign(text: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the canonical text under the hub's key."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_ok(text: str, signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(text, key), clean_text(signature).lower())


def protection_password(key: bytes) -> str:
    """The sheet / structure protection password, derived from the hub's key (the hub keeps it)."""
    return hmac.new(key, b"xl_awards sheet protection", hashlib.sha256).hexdigest()[:12]



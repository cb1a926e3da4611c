"""Declarative field lists: one list per sheet drives the template, the reader, the checks and the outputs.
May import base and edition only.  A label or an enumeration is written once.

Header matching (SPEC section 3): a header cell's text with surrounding spaces
and ``*`` removed, cut at the first ``(`` or ``（``, equals the label.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from xl_awards.base.tables import HEADER_SEARCH_ROWS, find_header, header_label  # noqa: F401  (re-exported: the header rule lives in base.tables)


class FieldType(str, enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    YEAR_MONTH = "year_month"
    YEAR = "year"
    CHOICE = "choice"  # enumeration
    YES_NO = "yes_no"
    ID_CARD = "id_card"  # 身份证号码 (GB 11643)
    USCC = "uscc"  # 统一社会信用代码 (GB 32100)
    PHONE = "phone"
    EMAIL = "email"
    PERIOD = "period"  # a service time: a day, a month or a period (normalize.to_period)


# Dynamic choice lists, resolved per workbook (a city's own counties, say).
CHOICES_CITIES = "@cities"
CHOICES_COUNTIES = "@counties"


@dataclass(frozen=True)
class Field:
    label: str
    key: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[str, ...] | str | None = None  # a tuple, or CHOICES_CITIES / CHOICES_COUNTIES
    min_value: float | None = None
    max_value: float | None = None
    min_chars: int | None = None  # narratives: characters, whitespace not counted
    max_chars: int | None = None
    # Not required when another field of the row has one of these values: (key, (values...)).
    exempt_when: tuple[str, tuple[str, ...]] | None = None
    material: bool = False  # a 是/否 column for one of the paper materials
    note: str = ""  # the header's comment in the template, in Chinese
    width: float = 14
    multiple: bool = False  # a CHOICE field that may hold several choices (管理咨询、财税)

    @property
    def header(self) -> str:
        """The header text written in templates: ``姓名*`` or ``职务``."""
        return f"{self.label}*" if self.required else self.label

    def is_required_for(self, row: dict[str, Any]) -> bool:
        if not self.required:
            return False
        if self.exempt_when:
            key, values = self.exempt_when
            from xl_awards.base.normalize import clean_text

            if clean_text(row.get(key)) in values:
                return False
        return True


@dataclass(frozen=True)
class SheetSchema:
    name: str  # sheet name, part of the interface
    fields: tuple[Field, ...]
    award_key: str | None = None  # edition award key for applicant sheets
    description: str = ""  # what the sheet is for, for 填报说明
    identity_keys: tuple[str, ...] = ()  # fields that name the applicant (duplicate detection)
    check_column: str = "检查"
    _by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})
        if len(self._by_key) != len(self.fields):
            raise ValueError(f"duplicate field keys in sheet {self.name}")

    def field(self, key: str) -> Field:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    @property
    def labels(self) -> list[str]:
        return [f.label for f in self.fields]

    def by_label(self) -> dict[str, Field]:
        return {f.label: f for f in self.fields}


def sheet_key(name: str) -> str:
    """A sheet name for matching a workbook's sheets to the schema: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))

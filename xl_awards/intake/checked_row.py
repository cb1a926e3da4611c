"""What the row-, sheet- and file-level checks share: a checked row and a finding builder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xl_awards.base import messages
from xl_awards.base.findings import Finding
from xl_awards.intake.intake_book import IntakeBook, IntakeTable


@dataclass(frozen=True)
class CheckedRow:
    """One data row after normalisation: ``values[key]`` is the clean value, None when blank or invalid."""

    book: IntakeBook
    table: IntakeTable
    row: int  # Excel row number
    raw: dict[str, Any]
    values: dict[str, Any]

    @property
    def sheet(self) -> str:
        return self.table.schema.name

    def label(self, key: str) -> str:
        return self.table.schema.field(key).label

    def finding(self, rule: str, key: str | None = None, **values: Any) -> Finding:
        """A finding on this row, at the cell of field ``key`` (or on the row when key is None)."""
        label = self.label(key) if key else ""
        return messages.finding_at(rule, file=self.book.file_name, sheet=self.sheet,
                                   cell=self.table.cell(self.row, key) if key else "", at_row=self.row, field=label,
                                   label=label, **values)

    def where(self, other: "CheckedRow") -> str:
        """How this row names ``other`` in a message: 第5行, or 文件“工作表”第5行 in another file."""
        if other.book is self.book and other.sheet == self.sheet:
            return f"第{other.row}行"
        if other.book is self.book:
            return f"“{other.sheet}”第{other.row}行"
        return f"{other.book.file_name}“{other.sheet}”第{other.row}行"

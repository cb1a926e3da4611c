"""Findings located in a hub sheet, and the key of a ranked entry."""

from __future__ import annotations
from typing import Any
from xl_awards.base.findings import Finding
from xl_awards.base.messages import finding_at


Key = tuple[str, str]  # (category, id); a window platform's id is its name


def make_finding(rule: str, sheet: str = "", at_row: int | None = None, field_label: str = "", **values: Any) -> Finding:
    """A finding located in a hub sheet; ``values`` fill the message (which may itself name a ``row``)."""
    return finding_at(rule, sheet=sheet, at_row=at_row, field=field_label, **values)

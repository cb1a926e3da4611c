"""Findings located in a hub sheet, and the key of a ranked entry."""

from __future__ import annotations
from typing import Any
from xl_awards.base.findings import Finding
from xl_awards.base.messages import RANK_STATUS_LABELS, rule_message, rule_severity


STATUS_BY_LABEL = {label: code for code, label in RANK_STATUS_LABELS.items()}

Key = tuple[str, str]  # (category, id); a window platform's id is its name


def make_finding(rule: str, sheet: str = "", at_row: int | None = None, field_label: str = "", **values: Any) -> Finding:
    """A finding located in a hub sheet; ``values`` fill the message (which may itself name a ``row``)."""
    return Finding(rule=rule, severity=rule_severity(rule), message=rule_message(rule, **values), sheet=sheet,
                   row=at_row, field=field_label)



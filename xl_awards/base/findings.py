"""Findings: what a check says about a cell, a row, a sheet or a file.

Modelled on frictionless-py's errors: data with a location, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# The keys of `validate --json` (SPEC section 7), in order; ``effect`` (SPEC section 4) last.
JSON_KEYS = ("rule", "severity", "file", "sheet", "cell", "row", "field", "message", "effect")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    field: str = ""
    # who the finding is about, as a clerk names it: 服务之星“张三”（第5行） (not in the JSON)
    applicant: str = ""

    @property
    def text(self) -> str:
        """The message naming the applicant: 服务之星“张三”（第5行）：…"""
        return f"{self.applicant}：{self.message}" if self.applicant else self.message

    def to_json(self) -> dict:
        """The ``JSON_KEYS`` in order (every field is a str, an int or None: no copy needed)."""
        return {"rule": self.rule, "severity": self.severity, "file": self.file, "sheet": self.sheet, "cell": self.cell,
                "row": self.row, "field": self.field, "message": self.message, "effect": self.effect}

    @property
    def effect(self) -> str:
        """What the finding does to the application: exclude / correct / decide / none (decided by the rule)."""
        from xl_awards.base.messages import rule_effect  # messages imports this module

        return rule_effect(self.rule, self.severity)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)

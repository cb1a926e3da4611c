"""Findings: what a check says about a cell, a row, a sheet or a file.

Modelled on frictionless-py's errors: data with a location, never exceptions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# The keys of `validate --json` (SPEC section 7), in order.
JSON_KEYS = ("rule", "severity", "file", "sheet", "cell", "row", "field", "message")


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

    def to_json(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in JSON_KEYS}

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

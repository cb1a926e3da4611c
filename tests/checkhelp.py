"""Shared helpers for the check tests: build a workbook from edited valid rows and validate it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from factory import EDITION, valid_rows, write_intake
from xl_awards.jobs.validate import validate_files


def run(tmp_path: Path, edit: Callable[[dict], None] | None = None, name: str = "长沙市.xlsx", **kwargs):
    rows = valid_rows()
    if edit:
        edit(rows)
    path = write_intake(tmp_path / name, rows, **kwargs)
    return validate_files([path], EDITION)


def triples(findings) -> list[tuple[str, str, str]]:
    """(rule, cell, severity), sorted: what tests compare against hand-worked expectations."""
    return sorted((f.rule, f.cell, f.severity) for f in findings)


def only(findings, rule: str):
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) == 1, findings
    return hits[0]

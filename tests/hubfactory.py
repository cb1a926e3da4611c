"""A hub workbook in tmp_path for the consolidation tests: the built template (no sample data), with
the rows a test puts on 往年获奖 / 禁评名单 and, optionally, 设置 values changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_awards.edition import load_edition
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.schema import hub as H

EDITION = load_edition(2021)


def make_hub(folder: Path, prior: list[dict[str, Any]] | None = None, barred: list[dict[str, Any]] | None = None,
             settings: dict[str, Any] | None = None) -> Path:
    """``prior`` / ``barred``: rows keyed by field key (往年获奖: year, award, name, id_code;
    禁评名单: name, id_code, year, reason); their Excel rows start at 3 (title row 1, header row 2)."""
    path = write_hub_workbook(EDITION, folder)
    wb = load_hub_for_update(path)
    if prior:
        replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.PRIOR_SHEET), prior)
    if barred:
        replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.BARRED_SHEET), barred)
    for key, value in (settings or {}).items():
        ws = wb[H.SETTINGS_SHEET]
        row = next(c.row for c in ws["A"] if c.value == key)
        ws.cell(row=row, column=3, value=value)
    save_hub(wb, path, make_backup=False)
    return path


def register(path: Path) -> list[dict[str, Any]]:
    """The 申报汇总 rows as read back (blank cells None)."""
    return [row for _, row in read_hub(path, EDITION).register]


def log(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_hub(path, EDITION).rows(H.LOG_SHEET)]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["app_id"]: row for row in rows}


def sheet_values(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]

"""Sample hub data (invented) for the demo and tests: window platforms, experts, prior awards, barred list.

The JSON files in ``xl_awards/demo/data/`` are written by ``scripts/make_sample_hub_data.py``;
their rows use the hub sheets' column labels.  ``sample_hub_rows`` maps them to
schema keys, ready for the hub template or for tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xl_awards.edition import Edition
from xl_awards.schema.hub import (
    BARRED_SHEET, EXPERTS_SHEET, PRIOR_SHEET, WINDOW_SHEET, build_hub_schema, hub_sheet,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# sheet -> (file, list key inside the file)
SAMPLE_FILES = {
    WINDOW_SHEET: ("sample_window_platforms.json", "平台"),
    EXPERTS_SHEET: ("sample_experts.json", "专家"),
    PRIOR_SHEET: ("sample_prior_awards.json", "往年获奖"),
    BARRED_SHEET: ("sample_barred.json", "禁评名单"),
}


def load_sample_file(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def sample_hub_rows(edition: Edition) -> dict[str, list[dict[str, Any]]]:
    """Sheet name -> rows keyed by field key (``{"name": ..., "platform_type": ..., "metric1": ...}``)."""
    schema = build_hub_schema(edition)
    out: dict[str, list[dict[str, Any]]] = {}
    for sheet_name, (file_name, list_key) in SAMPLE_FILES.items():
        by_label = hub_sheet(schema, sheet_name).by_label()
        rows = []
        for item in load_sample_file(file_name)[list_key]:
            rows.append({by_label[label].key: value for label, value in item.items() if label in by_label})
        out[sheet_name] = rows
    return out


def sample_portal_rows(edition: Edition, register: list[dict[str, Any]], seed: int = 0,
                       leave_out: int = 1) -> list[dict[str, Any]]:
    """Invented 官网备案 scores for the register's applications awaiting review.

    One row per 待评审 institution / expert / product (keys of the 官网备案 sheet), with a
    deterministic score between 60 and 98 in steps of 0.5.  The last ``leave_out`` such
    applications get no row, so the demo shows the "missing 官网备案 counts 0" finding.
    """
    import random

    from xl_awards.schema.hub import register_statuses, scored_award_names

    pending = register_statuses(edition)[0]
    scored = set(scored_award_names(edition))
    wanted = [r for r in register if r.get("award") in scored and r.get("status") == pending]
    rng = random.Random(seed)
    rows = []
    for row in wanted[: max(0, len(wanted) - leave_out)]:
        rows.append({
            "award": row["award"],
            "applicant": row["name"],
            "id_code": row.get("id_code") or "",
            "portal_score": rng.randrange(120, 197) / 2,
        })
    return rows

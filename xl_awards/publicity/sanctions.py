"""A withdrawal for false materials offers the 禁评名单 row to add (never adds it by itself).

The notice (section 九.1): an applicant that provided false materials, once verified, loses the
year's eligibility and may not apply for the next years (edition ``sanctions.bar_years``).  At
finalize, a withdrawn entry whose 异议情况 names false materials (edition
``sanctions.false_material_keywords``: 虚假材料, 弄虚作假 ...) gets a suggested 禁评名单 row:
名称 and 证件号码 of the applicant (a product's 申报单位, since the unit applied; a person's
身份证号码; a window platform's name), 取消年度 = the award year, 原因 = the objection as recorded.
The clerk checks it and copies it into 禁评名单: a bar is a decision, so the tool only offers it.

Pure core: published rows and the register's identities in, suggested rows out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from xl_awards.base.normalize import clean_text
from xl_awards.publicity.final_list import PublishedRow

DEFAULT_KEYWORDS = ("虚假材料", "弄虚作假")


@dataclass(frozen=True)
class Identity:
    """Who applied, as 申报汇总 holds it (the unit for a product)."""

    name: str
    id_code: str = ""


@dataclass(frozen=True)
class BarSuggestion:
    published: PublishedRow
    award: str  # the award label
    name: str  # 名称 for 禁评名单
    id_code: str  # 证件号码
    year: int  # 取消年度
    last_year: int  # the last year the applicant may not apply
    reason: str  # 原因

    def sheet_row(self) -> dict:
        return {"name": self.name, "id_code": self.id_code, "year": self.year, "reason": self.reason,
                "award": self.award, "app_id": self.published.id, "applicant": self.published.name,
                "objection": self.published.objection}


def names_false_materials(objection: str, keywords: Sequence[str] = DEFAULT_KEYWORDS) -> bool:
    """``"经核实，该机构提供虚假材料"`` -> True; ``"重复申报，已撤销"`` -> False."""
    text = "".join(clean_text(objection).split())
    return any(k and k in text for k in keywords)


def suggest_bars(withdrawn: Sequence[PublishedRow], identities: Mapping[tuple[str, str], Identity],
                 award_labels: Mapping[str, str], year: int, bar_years: int,
                 keywords: Sequence[str] = DEFAULT_KEYWORDS) -> list[BarSuggestion]:
    """One suggestion per withdrawn row whose 异议情况 names false materials.

    ``identities``: (category, 申报编号) -> Identity from 申报汇总; a row not found there is
    suggested by its published name without a 证件号码.
    """
    out = []
    for p in withdrawn:
        if not names_false_materials(p.objection, keywords):
            continue
        who = identities.get(p.key) or Identity(p.name)
        award = award_labels.get(p.category or "", "")
        reason = f"{year}年度{award}“{p.name}”经核实提供虚假材料，取消评选资格：{p.objection.strip()}"
        out.append(BarSuggestion(p, award, who.name or p.name, who.id_code, int(year), int(year) + int(bar_years) - 1,
                                 reason))
    return out

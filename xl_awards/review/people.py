"""Experts and the applications they review, and conflicts of interest (回避)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from xl_awards.base.normalize import clean_text, normalize_name, to_code
from xl_awards.schema.hub import split_multi_value


# Workbook layout version: part of the signed content; bump when the layout changes.
# 1: 申报编号, 申报主体, 所属市州, rubric items, 合计, 回避, 评语 on every award sheet.
# 2: the header row itself is signed (``IssuedSheet.columns``), and a product sheet shows 申报单位
#    after 申报主体 (signed as ``IssuedSheet.units``).  Version 1 workbooks are still read.
EXPERT_BOOK_VERSION = 2

# Labels of the scoring sheets (user-facing; written here once).
COL_APP_ID = "申报编号"
COL_APPLICANT = "申报主体"
COL_CITY = "所属市州"
COL_TOTAL = "合计"
COL_AVOID = "回避"
COL_COMMENT = "评语"
COL_UNIT = "申报单位"  # a product's unit, shown so that an expert can see a conflict
IDENTITY_COLUMNS = (COL_APP_ID, COL_APPLICANT, COL_CITY)
UNIT_AWARDS = ("product",)  # award sheets that show 申报单位

def split_list(value: Any) -> tuple[str, ...]:
    """``"优秀服务机构、创新服务产品"`` -> ``("优秀服务机构", "创新服务产品")`` (SPEC section 3 separators)."""
    return tuple(split_multi_value(value))


def item_header(item: str, maximum: float) -> str:
    """The score column's header: ``行业影响力(15分)``; ``header_label`` cuts it back to the item."""
    return f"{item}({maximum:g}分)"


def total_header(maximum: float) -> str:
    return f"{COL_TOTAL}({maximum:g}分)"


# --------------------------------------------------------------------------------------
# People and applications
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expert:
    """A row of 专家库."""

    expert_id: str  # 专家编号
    name: str  # 姓名
    employer: str = ""  # 工作单位
    employer_code: str = ""  # 工作单位的统一社会信用代码 (optional)
    id_number: str = ""  # 身份证号码 (optional)
    city: str = ""  # 所属市州
    field: str = ""  # 专业领域
    awards: tuple[str, ...] = ()  # 评审类别: award names (award keys are accepted too)
    avoid: tuple[str, ...] = ()  # 回避单位: unit names or codes

    @property
    def label(self) -> str:
        return f"{self.expert_id} {self.name}".strip()


@dataclass(frozen=True)
class ReviewApplication:
    """An application awaiting review (a row of 申报汇总)."""

    app_id: str  # 申报编号
    award: str  # edition award key: star / institution / expert / product
    name: str  # 申报主体: 机构名称 / 姓名 / 产品名称
    award_name: str = ""  # 优秀服务机构 ...
    id_code: str = ""  # 证件号码: 统一社会信用代码 (organisations) or 身份证号码 (people)
    unit: str = ""  # the unit behind the applicant: product's 申报单位, expert's 工作单位, star's 所在窗口平台
    unit_code: str = ""  # that unit's 统一社会信用代码 (products)
    city: str = ""  # 所属市州

    @property
    def label(self) -> str:
        return f"{self.award_name or self.award}“{self.name}”（{self.app_id}）"


# --------------------------------------------------------------------------------------
# Conflicts of interest (回避)
# --------------------------------------------------------------------------------------

CONFLICT_EMPLOYER = "employer"  # the expert's 工作单位 is the applicant or the applicant's unit
CONFLICT_SELF = "self"  # the expert is the applicant (by 身份证号码)
CONFLICT_DECLARED = "declared"  # a declared 回避单位 matches the applicant or its unit
CONFLICT_LABELS = {CONFLICT_EMPLOYER: "工作单位相同", CONFLICT_SELF: "本人申报", CONFLICT_DECLARED: "申报回避单位"}


# every expert meets every application: the same few thousand names and codes normalised once each
_name = functools.lru_cache(maxsize=1 << 16)(normalize_name)
_code = functools.lru_cache(maxsize=1 << 16)(to_code)


def _names(*values: str) -> set[str]:
    return {n for n in map(_name, values) if n}


def _codes(*values: str) -> set[str]:
    return {c for c in map(_code, values) if c}


def conflicts(expert: Expert, app: ReviewApplication) -> list[str]:
    """The kinds of conflict between an expert and an application (empty: none).

    Blank names or codes never match.  Names are compared normalised
    (``normalize_name``); codes (统一社会信用代码 / 身份证号码) compact and upper case.
    """
    found: list[str] = []
    app_names = _names(app.name, app.unit)
    app_codes = _codes(app.id_code, app.unit_code)
    if (_names(expert.employer) & app_names) or (_codes(expert.employer_code) & app_codes):
        found.append(CONFLICT_EMPLOYER)
    if _codes(expert.id_number) & _codes(app.id_code):
        found.append(CONFLICT_SELF)
    declared = set(expert.avoid)
    if (_names(*declared) & app_names) or (_codes(*declared) & app_codes):
        found.append(CONFLICT_DECLARED)
    return found


class ConflictIndex:
    """The experts who may conflict with an application, found by its names and codes instead of by trying
    every expert (at 100x: 70,000 applications x 200 experts).  An expert outside ``candidates(app)`` shares
    no name or code with it, so ``conflicts`` is empty for them; for those inside, call ``conflicts``."""

    def __init__(self, experts: Iterable[Expert]):
        self.by_name: dict[str, set[str]] = {}
        self.by_code: dict[str, set[str]] = {}
        for e in experts:
            for name in _names(e.employer, *e.avoid):
                self.by_name.setdefault(name, set()).add(e.expert_id)
            for code in _codes(e.employer_code, e.id_number, *e.avoid):
                self.by_code.setdefault(code, set()).add(e.expert_id)

    def candidates(self, app: ReviewApplication) -> set[str]:
        found: set[str] = set()
        for name in _names(app.name, app.unit):
            found |= self.by_name.get(name, set())
        for code in _codes(app.id_code, app.unit_code):
            found |= self.by_code.get(code, set())
        return found


def on_panel(expert: Expert, app: ReviewApplication) -> bool:
    """The expert's 评审类别 includes the application's award (by name or key)."""
    wanted = {w for w in (app.award_name, app.award) if w}
    return any(clean_text(a) in wanted for a in expert.awards)



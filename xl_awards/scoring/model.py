"""Inputs and outputs of the scoring core: plain dataclasses, no I/O.

Inputs are what the hub workbook holds (read by ``io``); outputs carry every
intermediate number so that the 排名 sheet can show, and recompute with
formulas, each step: the counted scores and which were dropped, the review
score, 官网备案得分, the total, the rank and the status with its reason.

Public numbers on the outputs are full-precision floats; the exact values the
ranking compared are kept alongside (``*_exact``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

from xl_awards.base.findings import Finding
from xl_awards.scoring.numbers import Number
from xl_awards.scoring.categories import INELIGIBLE, NOT_SELECTED, PRIOR_AWARD_VALID, SELECTED, TIE_PENDING

# Why a score is not counted.
EXCLUDED_RECUSED = "recused"  # marked 回避 by the expert
EXCLUDED_CONFLICT = "conflict"  # a conflict found by the hub (same unit, the applicant, a 回避单位)
EXCLUDED_BLANK = "blank"  # no score given
# Which counted score the trimmed rule dropped.
DROPPED_HIGH = "highest"
DROPPED_LOW = "lowest"

# Flags an entry can carry (each also yields a Finding; ids are messages.RULES keys).
FLAG_PORTAL_MISSING = "rank_portal_missing"
FLAG_TOO_FEW_SCORES = "rank_too_few_scores"
FLAG_METRIC_INVALID = "rank_window_metric_invalid"
FLAG_TIE_PENDING = "rank_tie_pending"


# -- inputs -------------------------------------------------------------------
@dataclass(frozen=True)
class ExpertScore:
    """One expert's score for one application (the sum of its rubric items)."""

    expert_id: str
    score: Number | None
    recused: bool = False  # 回避 = 是 on the expert's sheet
    conflict: bool = False  # conflict detected by the hub
    expert_name: str = ""


@dataclass(frozen=True)
class Application:
    """An application to 服务之星 / 优秀服务机构 / 优秀服务专家 / 创新服务产品."""

    id: str  # 申报编号
    name: str  # 机构名称 / 姓名 / 产品名称 as written
    city: str = ""
    scores: tuple[ExpertScore, ...] = ()
    portal_score: Number | None = None  # 官网备案得分; None = no record (counts 0, flagged)
    prior_award: bool = False  # a valid 2020 award of the same award
    ineligible_reason: str | None = None  # Chinese reason when not eligible (禁评名单, failed checks...)
    county: str = ""


@dataclass(frozen=True)
class Platform:
    """A row of the hub's 窗口平台 sheet."""

    id: str
    name: str
    platform_type: str  # 市州综合窗口平台 / 县市区综合窗口平台 / 产业集群窗口平台
    built: bool  # 已建成实体
    metrics: Mapping[str, Number | None]  # metric label -> 2021 value
    city: str = ""
    county: str = ""
    ineligible_reason: str | None = None


@dataclass(frozen=True)
class RankingInput:
    """Everything ``rank_all`` ranks; any list may be empty."""

    star: tuple[Application, ...] = ()
    institution: tuple[Application, ...] = ()
    expert: tuple[Application, ...] = ()
    product: tuple[Application, ...] = ()
    platforms: tuple[Platform, ...] = ()

    def applications(self, category: str) -> tuple[Application, ...]:
        return getattr(self, category)


# -- outputs ------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreLine:
    """One expert score as the ranking used it."""

    expert_id: str
    expert_name: str
    score: float | None  # as given
    counted: bool
    excluded: str | None = None  # EXCLUDED_* when not counted
    used: float | None = None  # the value aggregated (= score, or the z-score-normalised score)
    dropped: str | None = None  # DROPPED_HIGH / DROPPED_LOW under the trimmed rule


@dataclass(frozen=True)
class MetricLine:
    """One window-platform metric: raw value, the tier maximum, the scaled score."""

    metric: str
    value: float | None  # as given
    used: float  # the value used (missing or negative -> 0)
    tier_max: float
    scaled: float  # 100 × used / tier_max (0 when tier_max is 0)
    weight: float


@dataclass(frozen=True)
class RankedEntry:
    category: str
    id: str
    name: str
    city: str
    county: str = ""
    scores: tuple[ScoreLine, ...] = ()
    counted: int = 0
    trimmed: bool = False
    expert_score: float | None = None
    portal_score: float | None = None  # the 官网备案得分 used (0.0 when missing); None for star/window
    portal_missing: bool = False
    metrics: tuple[MetricLine, ...] = ()
    total: float | None = None
    rank: int | None = None
    status: str = ""
    reason: str = ""  # Chinese; why not ranked, or why pending
    flags: tuple[str, ...] = ()
    expert_exact: Fraction | None = field(default=None, repr=False)
    portal_exact: Fraction | None = field(default=None, repr=False)
    total_exact: Fraction | None = field(default=None, repr=False)

    @property
    def ranked(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class Summary:
    applications: int  # every entry listed
    eligible: int  # applications − ineligible − prior awards (those competing, flagged ones included)
    ranked: int
    selected: int
    pending: int  # entries tie_pending
    not_selected: int
    prior_award: int
    ineligible: int
    too_few_scores: int
    quota: int

    @property
    def open_places(self) -> int:
        """Places left for the hub to fill from a pending group."""
        return max(self.quota - self.selected, 0) if self.pending else 0


@dataclass(frozen=True)
class CategoryResult:
    category: str
    award_name: str
    quota: int
    entries: tuple[RankedEntry, ...]  # ranked first (by rank), then unranked

    @property
    def summary(self) -> Summary:
        st = [e.status for e in self.entries]
        ineligible = st.count(INELIGIBLE)
        prior = st.count(PRIOR_AWARD_VALID)
        return Summary(
            applications=len(st),
            eligible=len(st) - ineligible - prior,
            ranked=sum(1 for e in self.entries if e.ranked),
            selected=st.count(SELECTED),
            pending=st.count(TIE_PENDING),
            not_selected=st.count(NOT_SELECTED),
            prior_award=prior,
            ineligible=ineligible,
            too_few_scores=sum(1 for e in self.entries if FLAG_TOO_FEW_SCORES in e.flags),
            quota=self.quota,
        )

    def entry(self, entry_id: str) -> RankedEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)


@dataclass(frozen=True)
class RankingResult:
    edition_year: int
    categories: dict[str, CategoryResult]  # CATEGORIES order
    excluded_platforms: tuple[RankedEntry, ...] = ()  # cluster / unknown-type platforms, not in any list
    findings: tuple[Finding, ...] = ()

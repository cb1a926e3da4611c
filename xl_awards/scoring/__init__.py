"""Scoring and ranking (SPEC section 5): exact numbers, aggregation, totals, ranks, quotas, ties.
Pure core: may import base and edition only; never io, jobs, excel or demo.

    settings = ScoringSettings.from_edition(edition)          # edition after 设置 overrides
    result = rank_all(RankingInput(star=..., institution=..., expert=..., product=..., platforms=...), settings)
    to_rank_json(result)                                     # `rank --json`
    summaries(result); sensitivity(inputs, settings, result)

Modules: ``numbers`` (exact arithmetic, ``round2``), ``categories`` (categories, statuses, settings),
``aggregation`` (trimmed mean / mean / z-score), ``model`` (inputs, outputs),
``rank`` (totals, ranks, quota line), ``report`` (JSON, summaries,
sensitivity).
"""

from xl_awards.scoring.aggregation import Aggregate, aggregate, normalise_zscores
from xl_awards.scoring.model import (
    Application,
    CategoryResult,
    ExpertScore,
    MetricLine,
    Platform,
    RankedEntry,
    RankingInput,
    RankingResult,
    ScoreLine,
    Summary,
)
from xl_awards.scoring.numbers import exact, round2
from xl_awards.scoring.rank import all_entries, quota_status, rank_all, rank_applications, rank_platforms
from xl_awards.scoring.report import (
    RANK_JSON_KEYS,
    Scenario,
    Sensitivity,
    StatusChange,
    scenarios,
    sensitivity,
    summaries,
    to_rank_json,
)
from xl_awards.scoring.categories import (
    CATEGORIES,
    INELIGIBLE,
    METHODS,
    NOT_SELECTED,
    PRIOR_AWARD_VALID,
    SELECTED,
    STATUSES,
    TIE_PENDING,
    ScoringSettings,
    ScoringSettingsError,
)

__all__ = [name for name in dir() if not name.startswith("_")]

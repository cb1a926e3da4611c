"""Scoring settings, taken from an edition (so the hub's 设置 overrides flow through)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from xl_awards.base.errors import InputError
from xl_awards.edition import PORTAL_AWARD_KEYS, REVIEWED_AWARD_KEYS
from xl_awards.scoring.numbers import exact

# The lists of `rank --json` (SPEC section 7), in the order they are written.
CATEGORIES = ("window_city", "window_county", "star", "institution", "expert", "product")
# category -> edition award key
CATEGORY_AWARD = {
    "window_city": "window",
    "window_county": "window",
    "star": "star",
    "institution": "institution",
    "expert": "expert",
    "product": "product",
}
# Lists whose total is expert_weight × review score + portal_weight × 官网备案得分.
# (their category keys are the edition's award keys)
WEIGHTED_CATEGORIES = PORTAL_AWARD_KEYS
# Lists ranked on expert review scores (服务之星: the hub review score, no portal part).
REVIEWED_CATEGORIES = REVIEWED_AWARD_KEYS

METHODS = ("trimmed_mean", "mean", "zscore")

SELECTED = "selected"
TIE_PENDING = "tie_pending"
NOT_SELECTED = "not_selected"
PRIOR_AWARD_VALID = "prior_award_valid"
INELIGIBLE = "ineligible"
STATUSES = (SELECTED, TIE_PENDING, NOT_SELECTED, PRIOR_AWARD_VALID, INELIGIBLE)


def category_award_names(edition) -> dict[str, str]:
    """List (category) -> the award's name in the edition (both window lists: the window award's)."""
    return {c: edition.award_name(CATEGORY_AWARD[c]) for c in CATEGORIES}


def category_quotas(edition) -> dict[str, object]:
    """List (category) -> its quota as written in the edition (the window award's is split city/county)."""
    out: dict[str, object] = {}
    for category in CATEGORIES:
        quota = edition.award(CATEGORY_AWARD[category])["quota"]
        if isinstance(quota, dict):
            quota = quota["city" if category == "window_city" else "county"]
        out[category] = quota
    return out


class ScoringSettingsError(InputError):
    """A scoring setting (from the preset or the hub's 设置 sheet) that makes no sense."""


@dataclass(frozen=True)
class ScoringSettings:
    """Everything the scoring core needs to know about an edition.

    Weights are kept as the numbers written; arithmetic uses their exact
    decimal value (0.7 is 7/10).
    """

    year: int
    award_names: dict[str, str]
    quotas: dict[str, int]  # per category
    expert_weight: float = 0.7
    portal_weight: float = 0.3
    aggregation: str = "trimmed_mean"
    trim_threshold: int = 5
    min_counted_scores: int = 3
    decimals: int = 2
    window_metrics: tuple[str, ...] = ()
    window_metric_weights: tuple[float, ...] = ()
    prior_award_year: int | None = None
    sensitivity_weights: tuple[tuple[float, float], ...] = ((0.6, 0.4), (0.8, 0.2))
    sensitivity_methods: tuple[str, ...] = ("mean", "trimmed_mean")

    def __post_init__(self) -> None:
        _check(self)

    @classmethod
    def from_edition(cls, edition) -> "ScoringSettings":
        s = edition.scoring
        window = edition.award("window")
        quotas = category_quotas(edition)
        names = category_award_names(edition)
        prior = edition.data.get("prior_awards", {}).get("year")
        try:
            return cls(
                year=edition.year,
                award_names=names,
                quotas={k: _int(v, f"{names[k]}名额") for k, v in quotas.items()},
                expert_weight=_number(s["expert_weight"], "专家评审权重"),
                portal_weight=_number(s["portal_weight"], "官网备案权重"),
                aggregation=str(s["aggregation"]).strip(),
                trim_threshold=_int(s["trim_threshold"], "去高低分的最少评分份数"),
                min_counted_scores=_int(s["min_counted_scores"], "最少有效评分份数"),
                decimals=_int(s["decimals"], "显示小数位数"),
                window_metrics=tuple(window["metrics"]),
                window_metric_weights=tuple(_number(w, "窗口平台指标权重") for w in window["metric_weights"]),
                prior_award_year=int(prior) if prior is not None else None,
                sensitivity_weights=tuple(
                    (_number(e, "敏感性分析权重"), _number(p, "敏感性分析权重"))
                    for e, p in s["sensitivity_weights"]
                ),
                sensitivity_methods=tuple(s["sensitivity_methods"]),
            )
        except KeyError as exc:  # a preset missing a key is a broken preset
            raise ScoringSettingsError(f"版本预设缺少评分设置 {exc.args[0]}") from None

    def quota(self, category: str) -> int:
        return self.quotas[category]

    def award_name(self, category: str) -> str:
        return self.award_names[category]

    @property
    def expert_weight_exact(self) -> Fraction:
        return exact(self.expert_weight)

    @property
    def portal_weight_exact(self) -> Fraction:
        return exact(self.portal_weight)

    @property
    def metric_weights_exact(self) -> tuple[Fraction, ...]:
        return tuple(exact(w) for w in self.window_metric_weights)


def _number(value, label: str) -> float:
    if isinstance(value, bool):
        raise ScoringSettingsError(f"设置：{label}“{value}”不是数字")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScoringSettingsError(f"设置：{label}“{value}”不是数字") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ScoringSettingsError(f"设置：{label}“{value}”不是数字")
    return number


def _int(value, label: str) -> int:
    number = _number(value, label)
    if number != int(number) or number < 0:
        raise ScoringSettingsError(f"设置：{label}“{value}”应为非负整数")
    return int(number)


def _check(s: ScoringSettings) -> None:
    if s.aggregation not in METHODS:
        raise ScoringSettingsError(f"设置：评审分汇总方法“{s.aggregation}”无效，可选：{'、'.join(METHODS)}")
    for method in s.sensitivity_methods:
        if method not in METHODS:
            raise ScoringSettingsError(f"设置：敏感性分析方法“{method}”无效，可选：{'、'.join(METHODS)}")
    for label, w in (("专家评审权重", s.expert_weight), ("官网备案权重", s.portal_weight)):
        if not 0 <= w <= 1:
            raise ScoringSettingsError(f"设置：{label}应在0到1之间，现为{w}")
    if exact(s.expert_weight) + exact(s.portal_weight) != 1:
        raise ScoringSettingsError(
            f"设置：专家评审权重与官网备案权重之和应为1，现为{s.expert_weight}+{s.portal_weight}"
        )
    if len(s.window_metric_weights) != len(s.window_metrics):
        raise ScoringSettingsError(
            f"设置：窗口平台指标{len(s.window_metrics)}项，权重却有{len(s.window_metric_weights)}项"
        )
    if any(w < 0 for w in s.window_metric_weights):
        raise ScoringSettingsError("设置：窗口平台指标权重不能为负数")
    for e, p in s.sensitivity_weights:
        if exact(e) + exact(p) != 1 or not (0 <= e <= 1 and 0 <= p <= 1):
            raise ScoringSettingsError(f"设置：敏感性分析权重{e}/{p}之和应为1")
    for category in CATEGORIES:
        if category not in s.quotas:
            raise ScoringSettingsError(f"设置：缺少{category}的名额")

"""How one application's counted expert scores become its expert review score.

Methods (the edition's ``scoring.aggregation``, overridable in 设置):

``trimmed_mean``
    With n >= ``trim_threshold`` counted scores: (sum − one highest − one
    lowest) / (n − 2).  Equal highest (or lowest) scores: only ONE is dropped.
    With fewer scores: the plain mean.  (Trimming also needs n >= 3, so a
    threshold below 3 behaves as 3.)
``mean``
    The plain mean of the counted scores.
``zscore``
    Per-expert normalisation within an award, then the ``trimmed_mean`` rule on
    the normalised scores.  For each expert e with counted scores in the award:
    m_e = mean, sd_e = population standard deviation of e's scores; the panel's
    M and SD are the mean and population standard deviation of ALL counted
    scores in the award.  A score s becomes  M + SD × (s − m_e) / sd_e,  i.e.
    the expert's z-score put back on the panel's scale, so the result reads on
    the same 0..100 scale (same mean and spread as the raw panel).  It is not
    clipped: a very lenient or strict expert's extreme score may land slightly
    outside 0..100.  An expert with a single score in the award, or whose
    scores are all equal (sd_e = 0), keeps the raw scores unchanged (there is
    nothing to normalise against).  Recused and conflict scores take no part.

All arithmetic is exact (see ``numbers``) except the square root of the
z-score method, which is a float ratio SD / sd_e.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Hashable, Iterable, Sequence

from xl_awards.scoring.numbers import Number, exact
from xl_awards.scoring.categories import METHODS


@dataclass(frozen=True)
class Aggregate:
    """The aggregate of a list of scores, and which of them were dropped."""

    value: Fraction | None  # None when there is no score
    count: int
    trimmed: bool
    dropped_high: int | None = None  # index into the scores given
    dropped_low: int | None = None


def aggregate(scores: Sequence[Number], method: str = "trimmed_mean", threshold: int = 5) -> Aggregate:
    """Aggregate ``scores`` (already the counted ones) by ``method``.

    For ``zscore`` the scores must already be normalised (``normalise_zscores``):
    this function then applies the trimmed rule.  Of equal highest scores the
    first is the one dropped; of equal lowest scores the last (so that with all
    scores equal, two different scores are dropped).
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}")
    values = [exact(s) for s in scores]
    n = len(values)
    if n == 0:
        return Aggregate(None, 0, False)
    if method == "mean" or n < max(threshold, 3):
        return Aggregate(sum(values, Fraction(0)) / n, n, False)
    high = max(values)
    low = min(values)
    i_high = values.index(high)
    i_low = n - 1 - values[::-1].index(low)
    value = (sum(values, Fraction(0)) - high - low) / (n - 2)
    return Aggregate(value, n, True, i_high, i_low)


def _pstdev(values: list[Fraction]) -> tuple[Fraction, Fraction]:
    """Mean and population variance, exactly."""
    mean = sum(values, Fraction(0)) / len(values)
    var = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    return mean, var


def normalise_zscores(scores: Iterable[tuple[Hashable, Hashable, Number]]) -> dict[Hashable, Fraction]:
    """Per-expert z-score normalisation (see the module text).

    ``scores`` is ``(key, expert_id, score)`` for every counted score of one
    award; returns ``{key: normalised score}``.
    """
    rows = [(key, expert, exact(score)) for key, expert, score in scores]
    if not rows:
        return {}
    panel_mean, panel_var = _pstdev([s for _, _, s in rows])
    by_expert: dict[Hashable, list[Fraction]] = defaultdict(list)
    for _, expert, s in rows:
        by_expert[expert].append(s)
    stats = {e: _pstdev(v) for e, v in by_expert.items()}
    out: dict[Hashable, Fraction] = {}
    for key, expert, s in rows:
        mean, var = stats[expert]
        if len(by_expert[expert]) < 2 or var == 0:
            out[key] = s
        else:
            ratio = Fraction(math.sqrt(panel_var / var))  # SD / sd_e
            out[key] = panel_mean + (s - mean) * ratio
    return out

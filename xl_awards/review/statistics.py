"""The per-expert lenient / harsh view of the counted scores."""

from __future__ import annotations
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence
from xl_awards.review.assignment import _natural
from xl_awards.review.returned import ScoreRecord


# --------------------------------------------------------------------------------------
# Lenient / harsh view
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertStat:
    expert_id: str
    expert_name: str
    award_name: str
    count: int  # applications scored (回避 not counted)
    mean: float | None  # mean of the expert's totals
    spread: float | None  # population standard deviation of the expert's totals
    low: float | None
    high: float | None
    deviation: float | None  # mean over the expert's applications of (own total - all experts' mean total)


def application_totals(records: Iterable[ScoreRecord]) -> dict[tuple[str, str], float]:
    """(expert id, app id) -> sum of rubric items; applications marked 回避 are left out."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for rec in records:
        if not rec.avoided and rec.score is not None:
            totals[(rec.expert_id, rec.app_id)] += rec.score
    return dict(totals)


def expert_summary(records: Sequence[ScoreRecord]) -> list[ExpertStat]:
    """Per expert and award: count, mean, spread, and how far the expert sits from the panel.

    ``deviation`` > 0: more lenient than the other reviewers of the same applications;
    < 0: harsher.  An application's panel mean is the mean total over every expert who scored it.
    """
    totals = application_totals(records)
    names: dict[str, str] = {}
    award_of: dict[str, str] = {}
    for rec in records:
        names[rec.expert_id] = rec.expert_name
        award_of[rec.app_id] = rec.award_name
    by_app: dict[str, list[float]] = defaultdict(list)
    for (eid, aid), total in totals.items():
        by_app[aid].append(total)
    app_mean = {aid: sum(v) / len(v) for aid, v in by_app.items()}
    groups: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for (eid, aid), total in totals.items():
        groups[(eid, award_of[aid])].append((aid, total))
    for rec in records:  # experts who only marked 回避 still get a line
        groups.setdefault((rec.expert_id, rec.award_name), [])
    stats = []
    for (eid, award), pairs in sorted(groups.items(), key=lambda kv: (_natural(kv[0][0]), kv[0][1])):
        values = [t for _, t in pairs]
        if values:
            mean = sum(values) / len(values)
            spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            deviation = sum(t - app_mean[aid] for aid, t in pairs) / len(pairs)
            stats.append(ExpertStat(eid, names[eid], award, len(values), mean, spread, min(values), max(values), deviation))
        else:
            stats.append(ExpertStat(eid, names[eid], award, 0, None, None, None, None, None))
    return stats

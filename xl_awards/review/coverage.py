"""Scores follow the current assignment (评审分配).

The rule: once experts have been assigned (the hub's 评审分配 has at least one 评审 row), an
expert's score of an application counts only where the current 评审分配 pairs that expert with
that application.  A score collected from an earlier issue still counts when the re-issue kept
the same pair (the same expert reviews the same application); a score for a pair the current
assignment no longer holds (the expert left the award's panel, a conflict, a new load balance)
is not counted and is listed.  Every assigned pair without a score row is outstanding, and the
experts with outstanding pairs are the workbooks still to be collected.

With no 评审 row at all (scores typed into 专家评分 by hand, no expert-sheets run) every score
counts, as before.

Pure core: pairs in, a ``Coverage`` out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from xl_awards.review.assignment import _natural

Pair = tuple[str, str]  # (专家编号, 申报编号)


def _pair_order(pair: Pair) -> tuple:
    return (_natural(pair[0]), _natural(pair[1]))


@dataclass(frozen=True)
class Coverage:
    assigned: frozenset[Pair]  # the current 评审 pairs; empty: no assignment recorded
    stale: tuple[Pair, ...]  # scored, but not assigned now (not counted)
    outstanding: tuple[Pair, ...]  # assigned, no score yet

    @property
    def has_assignment(self) -> bool:
        return bool(self.assigned)

    def counts(self, expert_id: str, app_id: str) -> bool:
        """A score of this pair may count (no assignment recorded, or the pair is assigned)."""
        return not self.assigned or (expert_id, app_id) in self.assigned

    def outstanding_by_expert(self) -> dict[str, tuple[str, ...]]:
        """专家编号 -> the 申报编号 still to be scored, experts in 专家编号 order."""
        out: dict[str, list[str]] = defaultdict(list)
        for expert_id, app_id in self.outstanding:
            out[expert_id].append(app_id)
        return {e: tuple(out[e]) for e in sorted(out, key=_natural)}


def check_coverage(assigned: Iterable[Pair], scored: Iterable[Pair]) -> Coverage:
    """Compare the current assignment with the pairs that have a score row.

    >>> c = check_coverage([("E1", "A1"), ("E2", "A1")], [("E1", "A1"), ("E3", "A1")])
    >>> c.stale, c.outstanding
    ((('E3', 'A1'),), (('E2', 'A1'),))
    >>> check_coverage([], [("E3", "A1")]).counts("E3", "A1")
    True
    """
    assigned_set = frozenset(assigned)
    scored_set = set(scored)
    if not assigned_set:
        return Coverage(frozenset(), (), ())
    stale = tuple(sorted(scored_set - assigned_set, key=_pair_order))
    outstanding = tuple(sorted(assigned_set - scored_set, key=_pair_order))
    return Coverage(assigned_set, stale, outstanding)

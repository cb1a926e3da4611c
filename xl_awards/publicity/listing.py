"""Candidates from the ranking and the 公示名单 they make."""

from __future__ import annotations
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence
from xl_awards.base.findings import Finding
from xl_awards.base.messages import RANK_STATUS_LABELS
from xl_awards.base.normalize import clean_text
from xl_awards.schema import hub as H
from xl_awards.schema import publicity as P
from xl_awards.scoring.categories import CATEGORIES, NOT_SELECTED, SELECTED, TIE_PENDING
from xl_awards.publicity.masking import mask_personal_info
from xl_awards.publicity.sheet_findings import Key, make_finding
from xl_awards.publicity.working_days import _raw_text


# -- candidates and the list -----------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """One ranked entry as publicity needs it (from the ranking; see the job's coupling function)."""

    category: str
    id: str  # 申报编号; a window platform's name
    name: str
    unit: str = ""
    city: str = ""
    rank: int | None = None
    total: float | None = None
    status: str = NOT_SELECTED
    decided: bool = False  # a tie the hub decided in the 排名 sheet

    @property
    def key(self) -> Key:
        return (self.category, self.id)


def award_label(category: str, award_names: Mapping[str, str]) -> str:
    """The 奖项 text: the award name, with the tier for window platforms."""
    name = award_names[category]
    tier = P.TIER_LABELS.get(category)
    return P.AWARD_WITH_TIER.format(award=name, tier=tier) if tier else name


def category_by_label(label: str, award_names: Mapping[str, str]) -> str | None:
    text = clean_text(label)  # clean_text folds full-width brackets: compare both sides folded
    for category in CATEGORIES:
        if clean_text(award_label(category, award_names)) == text:
            return category
    return None


def apply_sheet_statuses(candidates: Mapping[str, Sequence[Candidate]], sheet: Mapping[Key, str],
                         award_names: Mapping[str, str], allow_picks: bool = False,
                         ) -> tuple[dict[str, list[Candidate]], list[Finding], set[Key]]:
    """Merge the hub's decisions from the ``排名`` sheet (status codes by key) into the recomputed ranking.

    Returns (candidates with decided ties, findings, picks).  A ``tie_pending`` entry
    marked selected / not_selected in the sheet is decided; one still pending stays
    pending.  Any other difference (an entry missing, a status changed) means the
    sheet is stale and is an error — except, with ``allow_picks`` (finalize), a
    ranked not_selected entry marked 入选: a hub pick for a tie at the new line,
    returned in ``picks`` for ``final_list`` to check.
    """
    out: dict[str, list[Candidate]] = {}
    found: list[Finding] = []
    picks: set[Key] = set()
    for category in CATEGORIES:
        award = award_label(category, award_names)
        items = []
        for c in candidates.get(category, ()):
            marked = sheet.get(c.key)
            if c.status == TIE_PENDING and marked in (SELECTED, NOT_SELECTED):
                c = replace(c, status=marked, decided=True)
            elif marked == c.status:
                pass
            elif allow_picks and c.status == NOT_SELECTED and c.rank is not None and marked == SELECTED:
                picks.add(c.key)
            else:
                if marked is None:
                    detail = "不在“排名”表中"
                else:
                    detail = (f"“排名”表中的状态为“{RANK_STATUS_LABELS.get(marked, marked)}”，"
                              f"按当前数据应为“{RANK_STATUS_LABELS[c.status]}”")
                found.append(make_finding("publicity_ranking_stale", H.RANKING_SHEET, award=award, name=c.name,
                                      detail=detail))
            items.append(c)
        out[category] = items
    known = {c.key for items in candidates.values() for c in items}
    for key in sheet:
        if key not in known and key[0] in CATEGORIES:
            found.append(make_finding("publicity_ranking_stale", H.RANKING_SHEET, award=award_label(key[0], award_names),
                                  name=key[1], detail="在“排名”表中，但按当前数据不在排名中"))
    return out, found, picks


def unresolved_ties(candidates: Mapping[str, Sequence[Candidate]], quotas: Mapping[str, int],
                    award_names: Mapping[str, str]) -> list[Finding]:
    """One error per list that still has ``tie_pending`` entries (names, rank, places left)."""
    found = []
    for category in CATEGORIES:
        items = candidates.get(category, ())
        pending = [c for c in items if c.status == TIE_PENDING]
        if not pending:
            continue
        selected = sum(1 for c in items if c.status == SELECTED)
        places = max(quotas.get(category, 0) - selected, 0)
        found.append(make_finding("publicity_tie_unresolved", H.RANKING_SHEET, award=award_label(category, award_names),
                              rank=min(c.rank or 0 for c in pending), places=places,
                              names="、".join(f"“{c.name}”" for c in pending)))
    return found


@dataclass(frozen=True)
class ListEntry:
    """A row of 公示名单 / 获奖名单."""

    category: str
    seq: int
    award: str  # 奖项 text
    id: str  # 申报编号 ('' for window platforms)
    name: str
    unit: str
    city: str
    rank: int | None = None
    way: str = P.WAY_PUBLICITY
    remark: str = ""

    @property
    def key(self) -> Key:
        return (self.category, self.id or self.name)

    def sheet_row(self, **extra: Any) -> dict[str, Any]:
        return {"seq": self.seq, "award": self.award, "name": self.name, "unit": self.unit, "city": self.city,
                "app_id": self.id, "rank": self.rank, "way": self.way, "remark": self.remark, **extra}


def _entry(c: Candidate, seq: int, award_names: Mapping[str, str], **extra: Any) -> ListEntry:
    window = c.category.startswith("window")
    return ListEntry(category=c.category, seq=seq, award=award_label(c.category, award_names),
                     id="" if window else mask_personal_info(c.id), name=mask_personal_info(c.name),
                     unit=mask_personal_info(c.unit), city=mask_personal_info(c.city), rank=c.rank, **extra)


def _by_rank(items: Iterable[Candidate]) -> list[Candidate]:
    return sorted(items, key=lambda c: (c.rank if c.rank is not None else 10 ** 9))


def publicity_list(candidates: Mapping[str, Sequence[Candidate]], award_names: Mapping[str, str],
                   quotas: Mapping[str, int] | None = None) -> tuple[list[ListEntry], list[Finding]]:
    """The 公示名单: selected entries per list, by rank, 序号 from 1 in each list.

    Call after ``unresolved_ties`` found nothing (pending entries are never listed).
    A warning when the hub's tie decisions put more entries than the quota on a list.
    """
    entries: list[ListEntry] = []
    found: list[Finding] = []
    for category in CATEGORIES:
        chosen = _by_rank(c for c in candidates.get(category, ()) if c.status == SELECTED)
        for seq, c in enumerate(chosen, start=1):
            entries.append(_entry(c, seq, award_names))
        quota = (quotas or {}).get(category)
        if quota is not None and len(chosen) > quota:
            found.append(make_finding("publicity_over_quota", H.PUBLICITY_SHEET, award=award_label(category, award_names),
                                  count=len(chosen), quota=quota))
    return entries, found


def carry_objections(entries: Sequence[ListEntry], previous: Iterable[tuple[int, Mapping[str, Any]]],
                     award_names: Mapping[str, str]) -> tuple[dict[Key, dict[str, Any]], list[Finding]]:
    """异议情况 / 撤销 already entered on an earlier 公示名单, kept for the same entries when it is rewritten."""
    wanted = {e.key: e for e in entries}
    kept: dict[Key, dict[str, Any]] = {}
    found = []
    for _, row in previous:
        objection, withdrawn = _raw_text(row.get("objection")), clean_text(row.get("withdrawn"))
        if not objection and not withdrawn:
            continue
        category = category_by_label(row.get("award"), award_names)
        key = (category, clean_text(row.get("app_id")) or clean_text(row.get("name")))
        if key in wanted:
            kept[key] = {"objection": objection or None, "withdrawn": withdrawn or None}
            found.append(make_finding("publicity_kept_objection", H.PUBLICITY_SHEET, name=wanted[key].name,
                                  award=wanted[key].award))
    return kept, found



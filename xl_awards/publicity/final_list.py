"""Objections recorded during publicity and the final list."""

from __future__ import annotations
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence
from xl_awards.base.findings import Finding
from xl_awards.base.normalize import NormalizeError, clean_text, to_date, to_yes_no
from xl_awards.schema import hub as H
from xl_awards.schema import publicity as P
from xl_awards.scoring.categories import CATEGORIES, NOT_SELECTED
from xl_awards.publicity.listing import Candidate, ListEntry, _by_rank, _entry, award_label, category_by_label
from xl_awards.publicity.sheet_findings import Key, make_finding
from xl_awards.publicity.working_days import _raw_text


# -- objections and the final list ------------------------------------------------------

@dataclass(frozen=True)
class PublishedRow:
    """A row of the 公示名单 sheet as the hub left it at the end of publicity."""

    row: int  # Excel row
    category: str | None
    id: str  # 申报编号, or the name for window platforms
    name: str
    withdrawn: bool
    objection: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def key(self) -> Key:
        return (self.category or "", self.id)


def published_rows(rows: Iterable[tuple[int, Mapping[str, Any]]], award_names: Mapping[str, str]) -> list[PublishedRow]:
    out = []
    for excel_row, row in rows:
        name = clean_text(row.get("name"))
        if not name:
            continue
        try:
            withdrawn = to_yes_no(row.get("withdrawn")) == "是"
        except NormalizeError:
            withdrawn = False
        dates = []
        for key in ("start", "end"):
            try:
                dates.append(to_date(row.get(key)))
            except NormalizeError:
                dates.append(None)
        out.append(PublishedRow(excel_row, category_by_label(row.get("award"), award_names),
                                clean_text(row.get("app_id")) or name, name, withdrawn,
                                _raw_text(row.get("objection")), dates[0], dates[1]))
    return out


@dataclass
class FinalResult:
    entries: list[ListEntry]
    findings: list[Finding] = field(default_factory=list)
    withdrawn: list[PublishedRow] = field(default_factory=list)
    moved_up: list[ListEntry] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """A tie at the new line (or a misplaced pick) left undecided: the list is not final."""
        return any(f.is_error for f in self.findings)


def final_list(candidates: Mapping[str, Sequence[Candidate]], published: Sequence[PublishedRow],
               award_names: Mapping[str, str], picks: Iterable[Key] = ()) -> FinalResult:
    """Remove the withdrawn entries and refill their places from the next ranked not_selected entries.

    Per list: the published entries not withdrawn stay (in rank order); for each
    withdrawn one a place opens, filled group by group in rank order from the
    ranked ``not_selected`` entries not already published.  A group (equal rank)
    larger than the places left is a tie at the new line: it is filled only from
    the hub's ``picks`` when they are exactly the places left; otherwise it is
    reported and the places stay open.
    """
    picks = set(picks)
    used_picks: set[Key] = set()
    tied_keys: set[Key] = set()  # members of reported ties at the new line
    found: list[Finding] = []
    by_key = {c.key: c for items in candidates.values() for c in items}
    published_keys = {p.key for p in published}
    result = FinalResult(entries=[])
    for p in published:
        if p.category is None or p.key not in by_key:
            found.append(make_finding("finalize_unknown_row", H.PUBLICITY_SHEET, p.row, row=p.row, name=p.name,
                                  award=award_names.get(p.category or "", "") or "?"))
            continue
    for category in CATEGORIES:
        award = award_label(category, award_names)
        rows = [p for p in published if p.category == category and p.key in by_key]
        kept = _by_rank(by_key[p.key] for p in rows if not p.withdrawn)
        gone = [p for p in rows if p.withdrawn]
        for p in gone:
            result.withdrawn.append(p)
            if p.objection:
                found.append(make_finding("finalize_withdrawn", H.PUBLICITY_SHEET, p.row, award=award, name=p.name,
                                      objection=p.objection))
            else:
                found.append(make_finding("finalize_withdrawn_no_reason", H.PUBLICITY_SHEET, p.row, "异议情况", row=p.row,
                                      name=p.name))
        places = len(gone)
        pool = _by_rank(c for c in candidates.get(category, ())
                        if c.status == NOT_SELECTED and c.rank is not None and c.key not in published_keys)
        moved: list[Candidate] = []
        tied = False
        while places > 0 and pool:
            rank = pool[0].rank
            group = [c for c in pool if c.rank == rank]
            pool = [c for c in pool if c.rank != rank]
            if len(group) <= places:
                moved += group
                places -= len(group)
                continue
            chosen = [c for c in group if c.key in picks]
            if len(chosen) == places:
                moved += chosen
                used_picks.update(c.key for c in chosen)
                places = 0
            else:
                tied = True
                tied_keys.update(c.key for c in group)
                found.append(make_finding("finalize_tie_at_line", H.RANKING_SHEET, award=award, rank=rank,
                                      count=len(group), places=places, names="、".join(f"“{c.name}”" for c in group)))
            break
        if places > 0 and not tied:
            found.append(make_finding("finalize_no_successor", H.PUBLICITY_SHEET, award=award, count=len(gone),
                                  available=len(gone) - places, vacant=places))
        seq = 0
        for c in kept:
            seq += 1
            result.entries.append(_entry(c, seq, award_names))
        for c in moved:
            seq += 1
            entry = _entry(c, seq, award_names, way=P.WAY_MOVED_UP)
            result.entries.append(entry)
            result.moved_up.append(entry)
            found.append(make_finding("finalize_moved_up", H.RANKING_SHEET, award=award, name=c.name, rank=c.rank))
    for key in sorted(picks - used_picks):
        c = by_key.get(key)
        # A pick inside a reported tie group is waiting for the right count; elsewhere it is misplaced.
        if c is not None and key not in tied_keys:
            found.append(make_finding("finalize_pick_not_tied", H.RANKING_SHEET, award=award_label(c.category, award_names),
                                  name=c.name))
    result.findings = found
    return result

"""``xl-awards collect --hub HUB FILE... [--json]``: returned expert workbooks -> ``专家评分``.

Each workbook is read values-only (python-calamine; macros never run) and verified
(``xl_awards.review.check_returned``): signature, expert identity (file name, 专家库), the
issue recorded in ``评审分配`` (an older issue is refused), locked content (rows swapped,
names edited, rubric changed, rows added or removed), scores in range, missing scores.
A workbook with any error is rejected whole; nothing of it is imported.

Accepted workbooks replace that expert's earlier scores (a later file on the command line
replaces an earlier one for the same expert; a new import replaces the rows from an earlier
run), each replacement logged as a finding and in ``操作日志``.  Written to the hub (backup,
atomic write, refused while the hub is open):

- ``专家评分``: one row per expert and application (sum of items, 各项得分, 回避, 计入 — not
  counted when 回避 or when the hub finds a conflict now: same unit, the applicant, a 回避单位);
- ``评分明细``: the long form, one row per expert, application and rubric item; rows past one
  sheet's (``detail_rows_per_sheet``: 833,331) go on 评分明细（续1）, （续2）, ... in order, and a
  continuation sheet no longer needed is left with its header only;
- ``专家评分统计``: per expert and award, count, mean, spread, difference from the panel.

The experts still to return are those with a pair of the current 评审分配 that has no score
(``xl_awards.review.coverage``).

Exit 0 when no errors, 1 when a workbook was rejected (or any error), 2 for unreadable input
(any unreadable file stops the run before the hub is written: ``InputError``, one line per file).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Collection, Sequence

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import InputError
from xl_awards.base.findings import Finding, has_errors
from xl_awards.jobs.common import current_user, now_text
from xl_awards.hub.review_inputs import applications_from_hub, experts_from_hub
from xl_awards.jobs.next_steps import next_step
from xl_awards.base.messages import NEXT_STEPS, finding
from xl_awards.base.normalize import NormalizeError, clean_text, to_number, to_yes_no
from xl_awards.review.people import CONFLICT_LABELS, conflicts
from xl_awards.review.coverage import check_coverage
from xl_awards.review.returned import CheckedBook, ScoreRecord, check_returned
from xl_awards.review.statistics import expert_summary
from xl_awards.schema import hub as H
from xl_awards.schema.review import ASSIGNMENT_SCHEMA, DETAIL_SCHEMA, ROLE_REVIEW, SUMMARY_SCHEMA, detail_schema, \
    detail_sheet_index

ACTION = "收回专家评分"
RECUSED_REASON = "专家回避"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿")
    parser.add_argument("files", nargs="+", metavar="FILE", help="专家报回的评分工作簿，可多个（同一专家的后一个替换前一个）")
    parser.add_argument("--json", action="store_true", help="以 JSON 数组输出问题清单（供其他程序使用）")


@dataclass
class CollectResult:
    findings: list[Finding] = field(default_factory=list)
    checked: list[CheckedBook] = field(default_factory=list)
    input_errors: list[InputError] = field(default_factory=list)
    imported: dict[str, CheckedBook] = field(default_factory=dict)  # expert id -> the workbook imported
    backup: Path | None = None
    not_returned: list[str] = field(default_factory=list)  # "ZJ03 张志强": issued, no scores in the hub yet
    detail_sheets: list[str] = field(default_factory=list)  # the 评分明细 sheets written with rows, in order


def collect_files(hub_path: str | Path, files: Sequence[str | Path], edition: Edition | None = None,
                  imported_at: str | None = None) -> CollectResult:
    """Verify and import returned workbooks into the hub (the button and the command line call this)."""
    from xl_awards.io.hub_lock import hub_writer

    hub_path = Path(hub_path)
    with hub_writer(hub_path, ACTION):  # held from the read to the rename: one writer per hub
        return _collect(hub_path, files, edition, imported_at)


def _collect(hub_path: Path, files: Sequence[str | Path], edition: Edition | None, imported_at: str | None) -> CollectResult:
    from xl_awards.io.expert_book import load_review_key, read_expert_workbook
    from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, \
        replace_sheet_rows, save_hub

    hub = read_hub(hub_path, edition or load_edition())
    edition = hub.edition
    key = load_review_key(hub_path)
    experts = {e.expert_id: e for e in experts_from_hub(hub)}
    apps = {a.app_id: a for a in applications_from_hub(hub, edition, pending_only=False)}
    issued_signatures: dict[str, str] = {}
    assigned: set[tuple[str, str]] = set()
    for _, row in hub.rows(ASSIGNMENT_SCHEMA.name):  # read with the hub (an optional hub sheet)
        if clean_text(row.get("role")) == ROLE_REVIEW:
            assigned.add((clean_text(row.get("expert_id")), clean_text(row.get("app_id"))))
            if clean_text(row.get("signature")):
                issued_signatures[clean_text(row.get("expert_id"))] = clean_text(row.get("signature")).lower()
    # Rows already in the hub from earlier runs: kept unless that expert is imported again.
    old_scores = [row for _, row in hub.rows(H.SCORES_SHEET)]
    del hub  # its tables (评审分配: a row per application and expert) are not needed any more
    imported_at = imported_at or now_text()
    result = CollectResult()

    from xl_awards.jobs.validate import unique_paths

    paths, _ = unique_paths(files)  # a file named twice is read once (the order kept: a later file replaces)
    names = [p.name for p in paths]
    from xl_awards.jobs import progress

    for path in progress.each(paths, "读取评分工作簿"):
        file_name = path.name if names.count(path.name) == 1 else str(path)
        try:
            book = read_expert_workbook(path, file_name=file_name)
        except InputError as exc:
            result.input_errors.append(exc)
            continue
        checked = check_returned(book, key, experts, score_step=edition.score_step)
        # the cells and the issued content are in the records now (at 100x: 200 workbooks of about 1,750 rows)
        book.sheets, book.content = {}, None
        if checked.issued is not None:
            checked.issued = replace(checked.issued, sheets=())
        if checked.accepted and issued_signatures:
            expert_id = checked.issued.expert_id
            if issued_signatures.get(expert_id) != (book.signature or "").lower():
                checked.findings.append(finding("review_stale", file=file_name, issued=checked.issued.issued_at,
                                                 expert=f"{expert_id} {checked.issued.expert_name}"))
                checked.records = []
        result.checked.append(checked)
        result.findings.extend(checked.findings)
        if checked.accepted:
            expert_id = checked.issued.expert_id
            earlier = result.imported.get(expert_id)
            if earlier is not None:
                result.findings.append(finding("review_replaced", file=file_name, previous=earlier.book.file,
                                                expert=f"{expert_id} {checked.issued.expert_name}"))
            result.imported[expert_id] = checked

    if result.input_errors:
        # An unreadable file stops the whole run before anything is written (as consolidate does):
        # one line per unreadable file, the hub untouched, exit 2.
        raise InputError("\n".join(str(e) for e in result.input_errors))
    if not result.checked:
        return result  # nothing to import: the hub is left alone

    kept_detail = _read_detail(hub_path, dropped=set(result.imported))
    replaced_from: dict[str, str] = {}
    for row in old_scores:
        expert_id = clean_text(row.get("expert_id"))
        if expert_id in result.imported:
            replaced_from.setdefault(expert_id, clean_text(row.get("source_file")) or "此前导入")
    for expert_id, previous in replaced_from.items():
        checked = result.imported[expert_id]
        result.findings.append(finding("review_replaced", file=checked.book.file, previous=previous,
                                        expert=f"{expert_id} {checked.issued.expert_name}"))
    kept_scores = [r for r in old_scores if clean_text(r.get("expert_id")) not in result.imported]

    new_scores = []
    for expert_id, checked in result.imported.items():
        new_scores.extend(_score_rows(checked, experts, apps, imported_at))
    detail = DetailRows(kept_detail, list(result.imported.values()), imported_at)

    all_scores = kept_scores + new_scores
    # Outstanding: experts with a pair of the current 评审分配 that has no score yet (an earlier
    # score of a pair no longer assigned does not make a workbook returned).
    coverage = check_coverage(assigned, {(clean_text(r.get("expert_id")), clean_text(r.get("app_id")))
                                         for r in all_scores})
    result.not_returned = [f"{e} {experts[e].name}" if e in experts else e for e in coverage.outstanding_by_expert()]
    stats = expert_summary(_records_from_score_rows(all_scores))
    decimals = int(edition.scoring.get("decimals", 2))

    def rounded(x):
        return None if x is None else round(x, decimals)

    summary_rows = [{"expert_id": s.expert_id, "expert_name": s.expert_name, "award": s.award_name,
                     "count": s.count, "mean": rounded(s.mean), "spread": rounded(s.spread), "low": rounded(s.low),
                     "high": rounded(s.high), "deviation": rounded(s.deviation)} for s in stats]

    log_rows = []
    for checked in result.checked:
        errors = sum(1 for f in checked.findings if f.is_error)
        warnings = sum(1 for f in checked.findings if f.severity == "warning")
        imported = result.imported.get(checked.issued.expert_id) is checked if checked.issued else False
        status = "已导入" if imported else ("已被后一文件替换" if checked.accepted else "整本退回")
        log_rows.append({"time": imported_at, "user": current_user(), "action": ACTION, "file": checked.book.file,
                         "sha256": checked.book.sha256,
                         "count": len({r.app_id for r in checked.records}) if imported else 0,
                         "findings": f"{status}；错误{errors}，警告{warnings}"})
    for expert_id, previous in replaced_from.items():
        log_rows.append({"time": imported_at, "user": current_user(), "action": ACTION,
                         "file": result.imported[expert_id].book.file,
                         "findings": f"替换专家{expert_id}此前导入的评分（来源：{previous}）"})

    wb = load_hub_for_update(hub_path)
    replace_sheet_rows(wb, hub_sheet_schema(edition, H.SCORES_SHEET), all_scores)
    result.detail_sheets = _write_detail(wb, detail)
    replace_sheet_rows(wb, SUMMARY_SCHEMA, summary_rows)
    append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET), log_rows)
    with progress.step("写入省枢纽平台工作簿"):
        result.backup = save_hub(wb, hub_path)
    return result


def _read_detail(hub_path: Path, dropped: Collection[str] = ()) -> list:
    """The 评分明细 rows of the hub (评分明细, then its continuation sheets in their order) but those of the
    experts ``dropped`` (imported again in this run).

    Each sheet is read row by row (``io.sheet_rows``: only the kept rows held; at 100x the sheets hold
    1.75 million rows); a sheet that reader declines is read through the guarded grid reader."""
    import zlib

    from xl_awards.io.expert_book import read_hub_extra_sheet
    from xl_awards.io.hub import load_hub_for_update, zipfile_error
    from xl_awards.io.sheet_parts import Unsupported
    from xl_awards.io.sheet_rows import read_sheet_records

    def kept(row) -> bool:
        return clean_text(row.get("expert_id")) not in dropped

    names = sorted((i, n) for n in load_hub_for_update(hub_path).sheetnames if (i := detail_sheet_index(n)) is not None)
    rows: list = []
    for i, _ in names:
        try:
            records = read_sheet_records(hub_path, detail_schema(i), kept)
        except (Unsupported, KeyError, ValueError, IndexError, EOFError, zlib.error, zipfile_error()):
            records = None  # the guarded reader below says what is wrong, if anything is
        if records is None:
            rows.extend(r for r in read_hub_extra_sheet(hub_path, detail_schema(i)) if kept(r))
        else:
            rows.extend(record for _, record in records)
    return rows


def detail_rows_per_sheet() -> int:
    """Rows of 评分明细 on one sheet: Excel's rows, and no more cells than a hub sheet may have to be read
    again (``MAX_CELLS``), less the title and header rows."""
    from xl_awards.io import hub as hub_io
    from xl_awards.io import workbook_files

    return min(hub_io.WRITE_MAX_ROWS, workbook_files.MAX_CELLS // len(DETAIL_SCHEMA.fields)) - 2


def _write_detail(wb, detail: Sequence) -> list[str]:
    """``detail`` over 评分明细 and as many continuation sheets as it needs; continuation sheets of an earlier,
    longer run emptied (header kept).  Returns the names of the sheets holding rows."""
    from xl_awards.io.hub import replace_sheet_rows
    from xl_awards.schema import review

    per_sheet = detail_rows_per_sheet()
    count = max(1, -(-len(detail) // per_sheet))
    if count > review.DETAIL_MAX_SHEETS:
        count = review.DETAIL_MAX_SHEETS  # the last sheet then holds the rest and the row limit refuses it
    written = []
    for n in range(count):
        stop = len(detail) if n == count - 1 else (n + 1) * per_sheet
        replace_sheet_rows(wb, detail_schema(n), _Slice(detail, n * per_sheet, stop))
        written.append(detail_schema(n).name)
    stale = sorted(i for name in wb.sheetnames if (i := detail_sheet_index(name)) is not None and i >= count)
    for n in stale:
        replace_sheet_rows(wb, detail_schema(n), [])
    return written if len(detail) else []


class _LazyRows(Sequence):
    """A Sequence whose rows are made when read: subclasses give ``__len__`` and ``_at(i)`` for 0 <= i < len."""

    def _at(self, i: int):
        raise NotImplementedError

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._at(i)


class _Slice(_LazyRows):
    """Rows ``start:stop`` of a Sequence, made when read (so that ``DetailRows`` stays lazy)."""

    def __init__(self, rows: Sequence, start: int, stop: int):
        self.rows, self.start, self.stop = rows, start, max(start, stop)

    def __len__(self) -> int:
        return self.stop - self.start

    def _at(self, i: int):
        return self.rows[self.start + i]

    def __iter__(self):
        for i in range(self.start, self.stop):
            yield self.rows[i]


class DetailRows(_LazyRows):
    """The 评分明细 rows: those kept from earlier runs, then one per imported record, each made when it is
    read (at 10x: 700,000 rows, which held as dicts at once cost about 600 MiB)."""

    def __init__(self, kept: list[dict[str, Any]], imported: list[CheckedBook], imported_at: str):
        self.kept = kept
        self.books = [(checked.book, checked.records) for checked in imported if checked.records]
        self.starts = list(itertools.accumulate((len(recs) for _, recs in self.books), initial=len(kept)))
        self.imported_at = imported_at

    def __len__(self) -> int:
        return self.starts[-1]

    def _at(self, i: int):
        if i < len(self.kept):
            return self.kept[i]
        n = bisect.bisect_right(self.starts, i) - 1  # the book holding row i
        book, records = self.books[n]
        return self._row(book, records[i - self.starts[n]])

    def __iter__(self):
        yield from self.kept
        for book, records in self.books:
            for rec in records:
                yield self._row(book, rec)

    def _row(self, book, rec) -> dict[str, Any]:
        return {
            "expert_id": rec.expert_id, "expert_name": rec.expert_name, "app_id": rec.app_id,
            "award": rec.award_name, "name": rec.applicant, "item": rec.item, "score": rec.score,
            "recused": "是" if rec.avoided else "否", "comment": rec.comment, "source_file": book.file,
            "source_sha256": book.sha256, "imported_at": self.imported_at,
        }


def _score_rows(checked: CheckedBook, experts, apps, imported_at: str) -> list[dict[str, Any]]:
    """One 专家评分 row per application of an accepted workbook."""
    by_app: dict[str, list[ScoreRecord]] = defaultdict(list)
    for rec in checked.records:
        by_app[rec.app_id].append(rec)
    rows = []
    expert = experts.get(checked.issued.expert_id)
    for app_id, recs in by_app.items():
        first = recs[0]
        recused = any(r.avoided for r in recs)
        kinds = conflicts(expert, apps[app_id]) if expert is not None and app_id in apps else []
        reason = RECUSED_REASON if recused else (
            "利益冲突：" + "、".join(CONFLICT_LABELS[k] for k in kinds) if kinds else "")
        rows.append({
            "expert_id": first.expert_id, "expert_name": first.expert_name, "award": first.award_name,
            "app_id": app_id, "name": first.applicant,
            "score": None if recused else sum(r.score for r in recs),
            "item_scores": "" if recused else "；".join(f"{r.item}={r.score:g}" for r in recs),
            "recused": "是" if recused else "否", "counted": "否" if (recused or kinds) else "是",
            "not_counted_reason": reason, "comment": first.comment, "source_file": checked.book.file,
            "source_sha256": checked.book.sha256, "imported_at": imported_at,
        })
    return rows


def _records_from_score_rows(rows: list[dict[str, Any]]) -> list[ScoreRecord]:
    """专家评分 rows -> one ScoreRecord per row (item 合计), for the lenient / harsh summary."""
    out = []
    for row in rows:
        try:
            recused = to_yes_no(row.get("recused")) == "是"
        except NormalizeError:
            recused = False
        try:
            score = to_number(row.get("score"))
        except NormalizeError:
            score = None
        if score is None and not recused:
            continue
        out.append(ScoreRecord(clean_text(row.get("expert_id")), clean_text(row.get("expert_name")),
                               clean_text(row.get("app_id")), clean_text(row.get("award")),
                               clean_text(row.get("name")), "合计", None if recused else score, recused, ""))
    return out


def run(args: argparse.Namespace) -> int:
    from xl_awards.io.hub import backup_text
    from xl_awards.jobs.validate import format_table

    import sys

    from xl_awards.jobs.validate import unique_paths

    edition = load_edition(args.edition)
    for note in unique_paths(args.files)[1]:
        print(note, file=sys.stderr)
    result = collect_files(args.hub, args.files, edition)
    if args.json:
        print(json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        print(format_table(result.findings, [c.book.file for c in result.checked]))
        rejected = sum(1 for c in result.checked if not c.accepted)
        print(f"导入 {len(result.imported)} 位专家的评分，退回 {rejected} 个工作簿")
        if result.backup is not None and result.imported:
            continued = f"（及续表{len(result.detail_sheets) - 1}张）" if len(result.detail_sheets) > 1 else ""
            print(f"已写入“{H.SCORES_SHEET}”“{DETAIL_SCHEMA.name}”{continued}“{SUMMARY_SCHEMA.name}”，"
                  f"{backup_text(result.backup)}")
        elif result.backup is not None:
            print(f"未导入任何评分（“{H.SCORES_SHEET}”未改动），本次退回已记入“{H.LOG_SHEET}”")
        if result.not_returned:
            print(NEXT_STEPS["collect_missing"].format(count=len(result.not_returned),
                                                       experts="、".join(result.not_returned)))
        print(next_step("collect_rejected" if rejected else "collect_ok", args.hub))
    return 1 if has_errors(result.findings) else 0

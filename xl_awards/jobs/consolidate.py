"""``xl-awards consolidate --hub HUB FILE... [--json]``: intake workbooks -> the hub's ``申报汇总``.

Order of work: refuse when the hub is open (lock file: one line, exit 2, nothing written); read
the hub; read every file (an unreadable one: one line each, exit 2, nothing written); compute
(``xl_awards.hub.consolidation.consolidate``: every intake check again, the hub-only checks,
stable 申报编号, replacement per submitter); rewrite ``申报汇总`` and append to ``操作日志``
(who: the OS user; when; each file with its SHA-256, row count and findings; a total line),
with a backup of the previous hub beside it and an atomic write.  Then print a summary per
city and award and the findings (the table of ``validate``; ``--json``: the findings array
exactly as ``validate --json``).  Exit 0, 1 when any finding is an error, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Sequence

from xl_awards.hub.consolidation import Consolidation, Source, SummaryLine, consolidate
from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import InputError
from xl_awards.jobs.common import counts_text, current_user, now_text
from xl_awards.schema import hub as H

ACTION = "汇总申报"
# 待补正 and 待定 came later: appended so that the older columns keep their places.
SUMMARY_HEADERS = ("市州", "奖项", "收到", "待评审", "不符合条件", "{prior}", "错误", "警告", "提示", "待补正", "待定")
DECISION_ACTION = "人工认定"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿（将写入“申报汇总”和“操作日志”）")
    parser.add_argument("files", nargs="+", metavar="FILE", help="市州、县市区或产业集群窗口平台报送的申报工作簿，可多个")
    parser.add_argument("--json", action="store_true", help="以 JSON 数组输出问题清单（与 validate --json 相同）")


def log_rows(result: Consolidation, edition: Edition, when: str, user: str) -> list[dict]:
    """One 操作日志 row per file (imported or not) and a total row."""
    rows = []
    for source in [*result.imported, *result.rejected]:
        name = source.book.file_name
        own = result.findings_of(name)
        done = source in result.imported
        status = f"已导入（{result.submitter(source)}）" if done else "未导入（同一报送单位的文件重复）"
        rows.append({"time": when, "user": user, "action": ACTION, "file": Path(name).name, "sha256": source.sha256,
                     "count": len(result.entries_of(source)) if done else 0,
                     "findings": f"{status}；{counts_text(own)}"})
    silent = "、".join(result.silent_cities) or "无"
    rows.append({"time": when, "user": user, "action": ACTION,
                 "file": f"本次{len(result.imported) + len(result.rejected)}个文件，导入{len(result.imported)}个",
                 "count": len(result.register),
                 "findings": (f"{counts_text(result.findings)}；申报汇总{len(result.register)}条：{status_counts(result, '')}"
                              f"；未报送的市州：{silent}")})
    # every 人工认定 applied in this run, on the record
    for f in result.findings:
        if f.rule == "decision_applied":
            rows.append({"time": when, "user": user, "action": DECISION_ACTION, "file": "", "count": 1,
                         "findings": f.message})
    return rows


def status_counts(result: Consolidation, sep: str = " ") -> str:
    """待评审 8，待补正 1，待定 4，不符合条件 1，2020年度获评有效 2"""
    pending, ineligible, prior = result.statuses
    order = (pending, H.STATUS_TO_CORRECT, H.STATUS_UNDECIDED, ineligible, prior)
    return "，".join(f"{s}{sep}{sum(e.status == s for e in result.entries)}" for s in order)


def consolidate_files(hub_path: str | Path, paths: Sequence[str | Path], edition: Edition | None = None,
                      imported_at: str | None = None, user: str | None = None) -> tuple[Consolidation, Path | None]:
    """Consolidate ``paths`` into the hub workbook; returns the result and the backup's path.

    The button and the command line call this.  ``InputError`` (nothing written) when the hub is
    open or unreadable, or any file is unreadable (the message lists every unreadable file).
    """
    from xl_awards.io.atomic import file_sha256
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub
    from xl_awards.jobs import progress
    from xl_awards.jobs.validate import check_progress, read_books

    from xl_awards.base.collections_pause import fewer_collections

    hub_path = Path(hub_path)
    edition = edition or load_edition()
    with hub_writer(hub_path, ACTION), fewer_collections():  # the lock: held from the read to the rename
        hub = read_hub(hub_path, edition)
        books, errors = read_books(paths, hub.edition)
        if errors:
            raise InputError("\n".join(str(e) for e in errors))
        sources = [Source(book, file_sha256(book.path)) for book in books]
        when = imported_at or now_text()
        result = consolidate(sources, hub, when, check_progress)

        with progress.step(f"写入{hub_path.name}"):
            wb = load_hub_for_update(hub_path)
            replace_sheet_rows(wb, hub_sheet_schema(hub.edition, H.REGISTER_SHEET), result.register)
            append_sheet_rows(wb, hub_sheet_schema(hub.edition, H.LOG_SHEET),
                              log_rows(result, hub.edition, when, current_user() if user is None else user))
            backup = save_hub(wb, hub_path)
    return result, backup


# -- output ------------------------------------------------------------------------------------
def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    from xl_awards.jobs.validate import _pad, _width

    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    return ["  " + "  ".join(_pad(str(v), w) for v, w in zip(row, widths)).rstrip() for row in [headers, *rows]]


def summary_text(result: Consolidation, hub_name: str) -> str:
    pending, ineligible, prior = result.statuses
    lines = [f"省枢纽平台工作簿：{hub_name}"]
    lines.append(f"本次导入 {len(result.imported)} 个文件" + (f"，{len(result.rejected)} 个未导入（同一报送单位重复）" if result.rejected else ""))
    for source in result.imported:
        lines.append(f"  {Path(source.book.file_name).name}（{result.submitter(source)}）："
                     f"{len(result.entries_of(source))} 条申报")
    for source in result.rejected:
        lines.append(f"  {Path(source.book.file_name).name}：未导入")
    lines.append(f"申报汇总共 {len(result.register)} 条：{status_counts(result)}")
    if result.summary:
        headers = [h.format(prior=prior) for h in SUMMARY_HEADERS]
        rows = [_summary_row(line) for line in result.summary]
        lines += _table(headers, rows)
        if any(not line.imported_now for line in result.summary):
            lines.append("  （标 * 的为此前导入、本次沿用的申报；问题条数只计本次发现的）")
    silent = result.silent_cities
    lines.append(f"未报送的市州（{len(silent)}个）：{'、'.join(silent)}" if silent else "各市州均已报送")
    return "\n".join(lines)


def _summary_row(line: SummaryLine) -> list[str]:
    group = line.group if line.imported_now else f"{line.group}*"
    return [group, line.award, str(line.received), str(line.pending), str(line.ineligible), str(line.prior),
            str(line.errors), str(line.warnings), str(line.infos), str(line.to_correct), str(line.undecided)]


def run(args: argparse.Namespace) -> int:
    from xl_awards.jobs.validate import format_table

    import sys

    from xl_awards.jobs.validate import unique_paths

    edition = load_edition(args.edition)
    files, notes = unique_paths(args.files)
    for note in notes:
        print(note, file=sys.stderr)
    result, backup = consolidate_files(args.hub, files, edition)
    if args.json:
        print(json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        files = [s.book.file_name for s in [*result.imported, *result.rejected]]
        print(summary_text(result, Path(args.hub).name))
        print()
        print(format_table(result.findings, files))
        if backup is not None:
            from xl_awards.io.hub import backup_text

            print(f"已写入“{H.REGISTER_SHEET}”和“{H.LOG_SHEET}”，{backup_text(backup)}")
        from xl_awards.jobs.next_steps import next_step

        if any(e.status != result.statuses[0] and e.own_lines + e.hub_lines and not e.decision
               and e.status != result.statuses[2] for e in result.entries):
            print(next_step("consolidate_corrections", args.hub))
        print(next_step("consolidate_errors" if result.has_errors else "consolidate_ok", args.hub))
    return 1 if result.has_errors else 0

"""``xl-awards rank --hub HUB [--json]``: compute the ranking of all six lists and write ``排名``.

Reads the hub workbook (refused while it is open), builds the scoring inputs
(``xl_awards.hub.scoring_inputs``), ranks (``xl_awards.scoring``), writes the ``排名`` sheet with
live formulas and the ``排名分析`` side sheet (summary, sensitivity, charts)
(``xl_awards.io.ranking_sheet``), appends a line to ``操作日志`` and saves the hub
(backup, atomic write).

Prints a Chinese summary per list and the findings; ``--json`` prints exactly the
``rank --json`` document of SPEC section 7.  Exit codes: 0 done; 1 done but a check
failed (any error finding: an application with fewer counted scores than the 设置
minimum, a 官网备案 record whose name and number point to different applications, an
invalid score, a 设置 value ignored ...); 2 unreadable hub or the hub is open (nothing
written).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from xl_awards.edition import Edition, load_edition
from xl_awards.base.findings import Finding, has_errors
from xl_awards.base.messages import RANK_STATUS_LABELS
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L
from xl_awards.scoring import CATEGORIES, to_rank_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出排名结果（供其他程序使用）")


@dataclass
class RankRun:
    ranking: object  # xl_awards.hub.scoring_inputs.Ranking
    findings: list[Finding]
    written: object  # xl_awards.io.ranking_sheet.WrittenRanking
    backup: Path | None
    edition: Edition
    print_file: Path | None = None  # the print workbook (io.ranking_print), None when not written
    print_error: str = ""  # why it was not written

    @property
    def json(self) -> dict:
        return to_rank_json(self.ranking.result, self.edition.year)


def rank_hub(hub_path: str | Path, edition: Edition | None = None, when: str | None = None) -> RankRun:
    """Rank and write the hub (the button and the command line call this).  ``InputError`` when unreadable/open."""
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, save_hub
    from xl_awards.io.ranking_sheet import write_ranking_sheets
    from xl_awards.hub.scoring_inputs import compute_ranking

    hub_path = Path(hub_path)
    with hub_writer(hub_path, L.LOG_ACTION):  # held from the read to the rename: one writer per hub
        hub = read_hub(hub_path, edition or load_edition(), skip=(H.RANKING_SHEET,))  # rewritten, never read here
        edition = hub.edition
        ranking = compute_ranking(hub)
        findings = list(hub.findings) + ranking.findings
        del hub  # the ranking holds what the sheets need; the hub's tables are the largest thing in memory
        wb = load_hub_for_update(hub_path)
        # charts, styles and names: through openpyxl, on the hub with its large sheets cut; 排名's cells
        # written as sheet XML after openpyxl's save (io.hub.HubUpdate.edit, io.layout_rows)
        written = wb.edit(lambda book, rows: write_ranking_sheets(book, ranking, edition, rows),
                          keep=(H.SETTINGS_SHEET,), rows=True, replaced=(H.RANKING_SHEET, L.ANALYSIS_SHEET))
        append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET), [log_row(hub_path.name, ranking, findings, when)])
        from xl_awards.jobs import progress

        with progress.step("写入省枢纽平台工作簿"):
            backup = save_hub(wb, hub_path)
    run = RankRun(ranking, findings, written, backup, edition)
    write_print(run, hub_path)
    return run


def write_print(run: RankRun, hub_path: Path) -> None:
    """The print workbook beside the hub (after the hub is saved: the ranking stands even when this fails)."""
    from xl_awards.io.ranking_print import print_path, write_ranking_print

    layout = run.written.layout
    try:
        run.print_file = write_ranking_print(layout, print_path(hub_path), str(layout.values.get((1, 1)) or L.TITLE))
    except OSError as exc:
        run.print_error = exc.strerror or type(exc).__name__
    except Exception as exc:  # the hub is already saved: one line, never a traceback after the ranking stands
        run.print_error = f"{type(exc).__name__}: {exc}"[:120]


def log_row(file_name: str, ranking, findings: list[Finding], when: str | None = None) -> dict:
    """The 操作日志 row of one ranking (the command and the 计算排名 button write the same)."""
    from xl_awards.jobs.common import counts_text, current_user, now_text

    entries = sum(len(c.entries) for c in ranking.result.categories.values())
    return {"time": when or now_text(), "user": current_user(), "action": L.LOG_ACTION, "file": file_name,
            "count": entries, "findings": counts_text(findings)}


def summary_lines(run: RankRun) -> list[str]:
    lines = []
    result = run.ranking.result
    for category in CATEGORIES:
        cat = result.categories[category]
        s = cat.summary
        title = cat.award_name
        if category == "window_city":
            title += f"（{L.TIER_CITY}）"
        elif category == "window_county":
            title += f"（{L.TIER_COUNTY}）"
        text = (f"{title}：申报 {s.applications}，参评 {s.eligible}，入选 {s.selected}（名额 {s.quota}）"
                f"，{RANK_STATUS_LABELS['tie_pending']} {s.pending}")
        if s.prior_award:
            text += f"，往年获奖继续有效 {s.prior_award}"
        if s.ineligible:
            text += f"，不符合条件 {s.ineligible}"
        if s.too_few_scores:
            text += f"，评分不足未排名 {s.too_few_scores}"
        lines.append(text)
    changes = run.ranking.sensitivity.changes
    if changes:
        labels = {s.key: s.label for s in run.ranking.sensitivity.scenarios}
        lines.append(f"敏感性分析：{len(changes)} 个申报的状态随算法变化（详见“{L.ANALYSIS_SHEET}”表）：")
        for ch in changes:
            lines.append(f"  {labels[ch.scenario]}：{ch.name}（{ch.id}）"
                         f"{RANK_STATUS_LABELS[ch.baseline_status]} → {RANK_STATUS_LABELS[ch.alternative_status]}")
    else:
        lines.append(f"敏感性分析：{L.SENSITIVITY_NONE}")
    return lines


def run(args: argparse.Namespace) -> int:
    from xl_awards.jobs.validate import format_table

    result = rank_hub(args.hub, load_edition(args.edition))
    if args.json:
        print(json.dumps(result.json, ensure_ascii=False, indent=2))
    else:
        for line in summary_lines(result):
            print(line)
        print()
        print(format_table(result.findings, [Path(args.hub).name]))
        print(f"已写入“{H.RANKING_SHEET}”和“{L.ANALYSIS_SHEET}”表：{args.hub}")
        if result.backup is not None:
            from xl_awards.io.hub import backup_text

            print(backup_text(result.backup))
        from xl_awards.base.messages import FILE_NOTES
        from xl_awards.io.ranking_print import print_path

        if result.print_file is not None:
            print(FILE_NOTES["rank_print_written"].format(file=result.print_file.name))
        else:
            print(FILE_NOTES["rank_print_failed"].format(file=print_path(args.hub).name, detail=result.print_error))
        from xl_awards.jobs.next_steps import next_step

        pending = sum(1 for e in result.json["categories"].values() for x in e if x["status"] == "tie_pending")
        if has_errors(result.findings):
            print(next_step("rank_errors", args.hub))
        elif any(f.rule == "rank_experts_outstanding" for f in result.findings):
            print(next_step("rank_outstanding", args.hub))
        elif pending:
            print(next_step("rank_pending", args.hub, count=pending))
        else:
            print(next_step("rank_ok", args.hub))
    return 1 if has_errors(result.findings) else 0

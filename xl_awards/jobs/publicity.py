"""``xl-awards publicity --hub HUB --start DATE [--out DIR] [--no-pdf]``: the 公示名单 with its dates.

Steps: read the hub (refused while it is open); compute the publicity window
(``xl_awards.publicity.publicity_window``: the official calendar plus ``节假日调整``);
recompute the ranking from the hub's inputs and merge the hub's tie decisions from
the ``排名`` sheet (a 并列待定 entry whose 状态 the hub changed to 入选 or 未入选);
write ``公示名单`` (序号, 奖项, 名称, 单位或平台, 所属市州, 申报编号, 公示开始, 公示结束 —
never a 身份证号码 or phone number; 异议情况 / 撤销 already entered for the same
entries are kept), append ``操作日志``, save (backup, atomic write); then write the
printable 公示名单 (.xlsx, and .pdf through LibreOffice) into ``--out`` (default:
the hub's folder).

Exit codes: 0 written; 1 nothing written because the ranking is missing, stale
(the data changed after 计算排名) or has unresolved 并列待定 entries (each named);
2 bad usage or unreadable input (a malformed --start, the hub open or unreadable).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import UsageError
from xl_awards.base.findings import SEVERITY_LABELS, Finding, has_errors
from xl_awards.base.normalize import NormalizeError, clean_text, to_date
from xl_awards.scoring.categories import CATEGORIES
from xl_awards.publicity.listing import (
    Candidate,
    ListEntry,
    apply_sheet_statuses,
    carry_objections,
    publicity_list,
    unresolved_ties,
)
from xl_awards.publicity.sheet_findings import Key
from xl_awards.publicity.working_days import PublicityWindow, adjustments_from_rows, publicity_window
from xl_awards.schema import hub as H
from xl_awards.schema import publicity as P
from xl_awards.scoring.categories import category_award_names, category_quotas


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿")
    parser.add_argument("--start", required=True, metavar="DATE", help="公示开始日期，如 2022-10-10")
    parser.add_argument("--out", metavar="DIR", help="公示名单文件的输出目录（默认与省枢纽平台工作簿相同）")
    parser.add_argument("--no-pdf", action="store_true", help="只生成 .xlsx，不通过 LibreOffice 生成 PDF")


# -- the one place that knows the ranking's shape ------------------------------------------

def ranked_candidates(hub) -> dict[str, list[Candidate]]:
    """The ranking recomputed from the hub's inputs (``xl_awards.hub.scoring_inputs.compute_ranking``) as Candidates.

    This is the only coupling to the ranking module: statuses per list
    (selected / tie_pending / not_selected / prior_award_valid / ineligible), ranks,
    totals, and the 单位或平台 the 排名 sheet shows (a county platform's 所属县市区).
    """
    from xl_awards.hub.scoring_inputs import compute_ranking

    ranking = compute_ranking(hub)
    units = ranking.data.units
    out: dict[str, list[Candidate]] = {}
    for category in CATEGORIES:
        result = ranking.result.categories.get(category)
        items = []
        for e in (result.entries if result else ()):
            unit = units.get((category, e.id), "") or (e.county if category == "window_county" else "")
            items.append(Candidate(category=category, id=e.id, name=e.name, unit=unit, city=e.city, rank=e.rank,
                                   total=e.total, status=e.status))
        out[category] = items
    return out


def sheet_statuses(hub, edition: Edition) -> dict[Key, str]:
    """(category, id) -> status code, from the entry rows of the ``排名`` sheet as the hub left it."""
    from xl_awards.hub.scoring_inputs import ranking_rows

    out: dict[Key, str] = {}
    tiers = {label: category for category, label in P.TIER_LABELS.items()}
    for row in ranking_rows(hub):  # entry rows only (block titles, summaries, headers left out)
        status = row["status_key"]
        name = clean_text(row.get("name"))
        award_key = edition.award_key_by_name(clean_text(row.get("award")))
        if award_key is None:
            continue
        if award_key == "window":
            category = tiers.get(clean_text(row.get("tier")))
            if category is None:
                continue  # platforms not in the award (cluster, not built)
            out[(category, name)] = status
        else:
            out[(award_key, clean_text(row.get("app_id")) or name)] = status
    return out


def award_names(edition: Edition) -> dict[str, str]:
    return category_award_names(edition)


def quotas(edition: Edition) -> dict[str, int]:
    return {category: int(quota) for category, quota in category_quotas(edition).items()}


def parse_date(text: str, option: str) -> dt.date:
    try:
        day = to_date(text)
    except NormalizeError:
        day = None
    if day is None:
        raise UsageError(f"{option} “{text}”不是有效日期，请填写如 2022-10-10")
    return day


# -- the job -----------------------------------------------------------------------------

@dataclass
class PublicityRun:
    edition: Edition
    window: PublicityWindow | None
    entries: list[ListEntry]
    findings: list[Finding]
    written: bool = False
    files: list[Path] = field(default_factory=list)
    backup: Path | None = None
    pdf_error: str = ""


def publicity_hub(hub_path: str | Path, start: dt.date, edition: Edition | None = None, out_dir: str | Path | None = None,
                  pdf: bool = True, office=None, when: str | None = None) -> PublicityRun:
    """Compute and write the 公示名单 (the command line and a button call this).  ``InputError`` when unreadable/open."""
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.outputs import check_out_dir

    hub_path = Path(hub_path)
    edition = edition or load_edition()
    out = Path(out_dir) if out_dir else hub_path.parent
    doc_name = f"{P.DOC_FILE.format(year=edition.year)}.xlsx"
    check_out_dir(out, [doc_name, f"{Path(doc_name).stem}.pdf"])  # before the hub is touched
    with hub_writer(hub_path, P.LOG_PUBLICITY):  # held from the read to the rename: one writer per hub
        return _publicity(hub_path, start, edition, out, doc_name, pdf, office, when)


def _publicity(hub_path: Path, start: dt.date, edition: Edition, out: Path, doc_name: str, pdf: bool, office,
               when: str | None) -> PublicityRun:
    from xl_awards.io.hub import (
        append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub,
    )
    from xl_awards.io.outputs import staged_outputs
    from xl_awards.io.publicity_docs import write_list_document
    from xl_awards.jobs.common import current_user, now_text

    hub = read_hub(hub_path, edition)
    edition = hub.edition
    names = award_names(edition)
    adjustments, findings = adjustments_from_rows(hub.rows(H.HOLIDAYS_SHEET))
    window = publicity_window(start, int(edition.data["publicity"]["working_days"]), adjustments)
    findings += window.warnings

    sheet = sheet_statuses(hub, edition)
    if not sheet:
        return PublicityRun(edition, window, [], findings + [_error("publicity_no_ranking")])
    candidates, stale, _ = apply_sheet_statuses(ranked_candidates(hub), sheet, names)
    findings += stale + unresolved_ties(candidates, quotas(edition), names)
    findings += undecided_selected(hub, candidates, names)
    if has_errors(findings):
        return PublicityRun(edition, window, [], findings)
    entries, more = publicity_list(candidates, names, quotas(edition))
    findings += more
    kept, more = carry_objections(entries, hub.rows(H.PUBLICITY_SHEET), names)
    findings += more

    wb = load_hub_for_update(hub_path)
    rows = [e.sheet_row(start=window.start, end=window.end, **kept.get(e.key, {})) for e in entries]
    replace_sheet_rows(wb, hub_sheet_schema(edition, H.PUBLICITY_SHEET), rows)
    append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET), [{
        "time": when or now_text(), "user": current_user(), "action": P.LOG_PUBLICITY, "file": hub_path.name,
        "count": len(entries), "findings": f"公示期 {window.start.isoformat()} 至 {window.end.isoformat()}",
    }])

    title = P.DOC_TITLE.format(title=edition.title)
    intro = [P.DOC_INTRO.format(year=edition.year, title=edition.title, start=P.chinese_date(window.start),
                                end=P.chinese_date(window.end), days=len(window.working_days)),
             P.DOC_OBJECTION]
    run = PublicityRun(edition, window, entries, findings, True)
    # The documents are written first into a temporary folder beside ``out``; the hub is saved next,
    # and the documents moved into ``out`` last: an unwritable ``out`` leaves the hub as it was.
    with staged_outputs(out) as stage:
        doc = stage.write(doc_name, lambda tmp: write_list_document(
            tmp, entries, edition, title=title, intro=intro, date=window.start,
            footer=P.DOC_FOOTER.format(title=edition.title)))
        from xl_awards.jobs import progress

        if pdf:
            with progress.step(f"生成 PDF：{Path(doc).name}"):
                convert_pdfs([doc], stage.folder, office, run)
        with progress.step("写入省枢纽平台工作簿"):
            run.backup = save_hub(wb, hub_path)
        run.files = stage.commit()
    return run


def convert_pdfs(paths: list[Path], out: Path, office, run) -> list[Path]:
    from xl_awards.io.libreoffice import LibreOfficeError
    from xl_awards.io.publicity_docs import to_pdf

    try:
        return to_pdf(paths, out, office)
    except LibreOfficeError as exc:
        run.pdf_error = str(exc).splitlines()[0][:200]
        return []


def undecided_selected(hub, candidates, names) -> list[Finding]:
    """A selected entry still 待补正 or 待定 in 申报汇总, without a 人工认定: publicity waits for the hub."""
    from xl_awards.hub.consolidation import read_decisions
    from xl_awards.scoring.categories import SELECTED

    status = {clean_text(row.get("app_id")): clean_text(row.get("status")) for _, row in hub.register}
    decisions, _ = read_decisions(hub, status)
    out = []
    for group in candidates.values():
        for c in group:
            waiting = status.get(c.id) in (H.STATUS_TO_CORRECT, H.STATUS_UNDECIDED)
            if c.status == SELECTED and waiting and c.id not in decisions:
                out.append(_error("publicity_undecided", award=names.get(c.category, c.category), name=c.name,
                                  id=c.id, status=status[c.id]))
    return out


def _error(rule: str, **values: Any) -> Finding:
    from xl_awards.publicity.sheet_findings import make_finding

    return make_finding(rule, H.RANKING_SHEET, **values)


def finding_lines(findings: list[Finding]) -> list[str]:
    order = {"error": 0, "warning": 1, "info": 2}
    return [f"{SEVERITY_LABELS[f.severity]}：{f.message}" for f in sorted(findings, key=lambda f: order[f.severity])]


def summary_lines(run: PublicityRun, names: dict[str, str]) -> list[str]:
    from xl_awards.publicity.listing import award_label

    lines = []
    if run.window:
        w = run.window
        lines.append(f"公示期：{w.start.isoformat()} 至 {w.end.isoformat()}（{len(w.working_days)}个工作日："
                     f"{'、'.join(d.strftime('%m-%d') for d in w.working_days)}）")
    if run.written:
        for category in CATEGORIES:
            count = sum(1 for e in run.entries if e.category == category)
            lines.append(f"  {award_label(category, names)}：{count}")
    return lines


def run(args: argparse.Namespace) -> int:
    start = parse_date(args.start, "--start")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}：已存在同名文件，请指定一个目录")
    result = publicity_hub(args.hub, start, load_edition(args.edition), out, pdf=not args.no_pdf)
    names = award_names(result.edition)
    for line in summary_lines(result, names) + finding_lines(result.findings):
        print(line)
    if not result.written:
        print(f"未写入公示名单：{args.hub}")
        return 1
    print(f"已写入“{H.PUBLICITY_SHEET}”表：{args.hub}")
    for path in result.files:
        print(f"已生成：{path}")
    if result.pdf_error:
        print(f"警告：未能通过 LibreOffice 生成 PDF（{result.pdf_error}），可打印 .xlsx 文件")
    if result.window is not None:
        from xl_awards.jobs.next_steps import next_step

        print(next_step("publicity_ok", args.hub, after=(result.window.end + dt.timedelta(days=1)).isoformat()))
    return 0

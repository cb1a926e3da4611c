"""``xl-awards finalize --hub HUB [--out DIR] [--today DATE] [--no-pdf]``: the final list and certificates.

Refused (exit 1, one line) until the publicity end date (公示结束 in ``公示名单``) has
passed: ``--today`` (default: the system date) must be later than it.  Then the
entries the hub marked 撤销 = 是 in ``公示名单`` are removed and their places refilled
from the next ranked 未入选 entries (``xl_awards.publicity.final_list``); a tie at
the new line is reported, not cut (exit 1, nothing written: the hub sets 状态 =
入选 on the chosen entries in ``排名`` and runs finalize again).  Written: the
``获奖名单`` sheet (created on first use), a line in ``操作日志``, and into ``--out``
(default: the hub's folder) the printable 获奖名单 and one certificate page per
winner (.xlsx, and .pdf through LibreOffice).

A withdrawal whose 异议情况 names false materials (虚假材料, 弄虚作假) offers the 禁评名单 row to
add: printed as a warning line with every column filled in and written to the ``禁评名单建议``
sheet for the clerk to check and copy; 禁评名单 itself is never changed
(``xl_awards.publicity.sanctions``).

Exit codes: 0 written; 1 refused (too early, no 公示名单, stale ranking, a tie at the
new line); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import UsageError
from xl_awards.base.findings import Finding, has_errors
from xl_awards.jobs.publicity import (
    award_names,
    finding_lines,
    parse_date,
    quotas,
    ranked_candidates,
    sheet_statuses,
    convert_pdfs,
)
from xl_awards.scoring.categories import CATEGORIES
from xl_awards.publicity.final_list import FinalResult, final_list, published_rows
from xl_awards.publicity.sanctions import DEFAULT_KEYWORDS, BarSuggestion, Identity, suggest_bars
from xl_awards.base.normalize import clean_text
from xl_awards.publicity.sheet_findings import make_finding
from xl_awards.publicity.listing import apply_sheet_statuses, award_label, unresolved_ties
from xl_awards.schema import hub as H
from xl_awards.schema import publicity as P


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿")
    parser.add_argument("--out", metavar="DIR", help="获奖名单和证书的输出目录（默认与省枢纽平台工作簿相同）")
    parser.add_argument("--today", metavar="DATE", help="定稿日期（默认今天），须晚于公示结束日期")
    parser.add_argument("--no-pdf", action="store_true", help="只生成 .xlsx，不通过 LibreOffice 生成 PDF")


@dataclass
class FinalizeRun:
    edition: Edition
    findings: list[Finding]
    result: FinalResult | None = None
    written: bool = False
    files: list[Path] = field(default_factory=list)
    backup: Path | None = None
    pdf_error: str = ""


def finalize_hub(hub_path: str | Path, today: dt.date, edition: Edition | None = None,
                 out_dir: str | Path | None = None, pdf: bool = True, office=None,
                 when: str | None = None) -> FinalizeRun:
    """Apply objections, write 获奖名单, the final document and the certificates.  ``InputError`` when unreadable/open."""
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.outputs import check_out_dir

    hub_path = Path(hub_path)
    edition = edition or load_edition()
    out = Path(out_dir) if out_dir else hub_path.parent
    names = [f"{P.FINAL_DOC_FILE.format(year=edition.year)}.xlsx", f"{P.CERT_FILE.format(year=edition.year)}.xlsx"]
    check_out_dir(out, names + [f"{Path(n).stem}.pdf" for n in names])  # before the hub is touched
    with hub_writer(hub_path, P.LOG_FINALIZE):  # held from the read to the rename: one writer per hub
        return _finalize(hub_path, today, edition, out, names, pdf, office, when)


def _finalize(hub_path: Path, today: dt.date, edition: Edition, out: Path, doc_names: list[str], pdf: bool, office,
              when: str | None) -> FinalizeRun:
    from xl_awards.io.hub import (
        append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub,
    )
    from xl_awards.io.outputs import staged_outputs
    from xl_awards.io.publicity_docs import write_certificates, write_list_document
    from xl_awards.jobs.common import current_user, now_text

    hub = read_hub(hub_path, edition)
    edition = hub.edition
    names = award_names(edition)

    published = published_rows(hub.rows(H.PUBLICITY_SHEET), names)
    if not published:
        return FinalizeRun(edition, [make_finding("finalize_no_publicity", H.PUBLICITY_SHEET)])
    ends = [p.end for p in published if p.end]
    if not ends:
        return FinalizeRun(edition, [make_finding("finalize_no_end", H.PUBLICITY_SHEET)])
    end = max(ends)
    if today <= end:
        return FinalizeRun(edition, [make_finding("finalize_too_early", H.PUBLICITY_SHEET, end=end.isoformat(),
                                              today=today.isoformat(),
                                              after=(end + dt.timedelta(days=1)).isoformat())])
    starts = [p.start for p in published if p.start]
    start = min(starts) if starts else end

    candidates, findings, picks = apply_sheet_statuses(ranked_candidates(hub), sheet_statuses(hub, edition), names,
                                                       allow_picks=True)
    findings += unresolved_ties(candidates, quotas(edition), names)
    if has_errors(findings):
        return FinalizeRun(edition, findings)
    result = final_list(candidates, published, names, picks)
    findings += result.findings
    if result.blocked:
        return FinalizeRun(edition, findings, result)
    bars = bar_suggestions(hub, result, names)
    for bar in bars:
        findings.append(make_finding("finalize_bar_suggested", P.BAR_SUGGESTION_SHEET, award=bar.award,
                                     applicant=bar.published.name, name=bar.name, id_code=bar.id_code or "（无）",
                                     year=bar.year, reason=bar.reason, last=bar.last_year))

    wb = load_hub_for_update(hub_path)
    replace_sheet_rows(wb, P.FINAL_SCHEMA, [e.sheet_row(date=today) for e in result.entries])
    if bars or P.BAR_SUGGESTION_SHEET in wb.sheetnames:  # the tool never writes 禁评名单 itself
        replace_sheet_rows(wb, P.BAR_SUGGESTION_SCHEMA, [b.sheet_row() for b in bars])
    append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET), [{
        "time": when or now_text(), "user": current_user(), "action": P.LOG_FINALIZE, "file": hub_path.name,
        "count": len(result.entries),
        "findings": f"撤销 {len(result.withdrawn)}，递补 {len(result.moved_up)}",
    }])
    title = P.FINAL_DOC_TITLE.format(title=edition.title)
    intro = [P.FINAL_DOC_INTRO.format(title=edition.title, start=P.chinese_date(start), end=P.chinese_date(end))]
    run = FinalizeRun(edition, findings, result, True)
    # documents into a temporary folder beside ``out``, then the hub, then the documents into ``out``
    with staged_outputs(out) as stage:
        final_doc = stage.write(doc_names[0], lambda tmp: write_list_document(
            tmp, result.entries, edition, title=title, intro=intro, date=today,
            footer=P.FINAL_DOC_FOOTER.format(title=title)))
        certificates = stage.write(doc_names[1], lambda tmp: write_certificates(tmp, result.entries, edition, today))
        from xl_awards.jobs import progress

        if pdf:
            with progress.step(f"生成 PDF：{Path(final_doc).name}、{Path(certificates).name}"):
                convert_pdfs([final_doc, certificates], stage.folder, office, run)
        with progress.step("写入省枢纽平台工作簿"):
            run.backup = save_hub(wb, hub_path)
        run.files = stage.commit()
    return run


def bar_suggestions(hub, result: FinalResult, names) -> list[BarSuggestion]:
    """The 禁评名单 rows offered for withdrawals for false materials (``xl_awards.publicity.sanctions``)."""
    edition = hub.edition
    identities = {}
    for _, row in hub.register:
        category = edition.award_key_by_name(clean_text(row.get("award")))
        app_id = clean_text(row.get("app_id"))
        if category and app_id:
            unit = clean_text(row.get("unit")) if category == "product" else ""
            identities[(category, app_id)] = Identity(unit or clean_text(row.get("name")), clean_text(row.get("id_code")))
    sanctions = edition.data.get("sanctions", {})
    return suggest_bars(result.withdrawn, identities, {c: award_label(c, names) for c in CATEGORIES}, edition.year,
                        int(sanctions.get("bar_years", 3)),
                        tuple(sanctions.get("false_material_keywords", DEFAULT_KEYWORDS)))


def summary_lines(run: FinalizeRun) -> list[str]:
    if run.result is None or not run.written:
        return []
    names = award_names(run.edition)
    lines = [f"最终获奖名单：{len(run.result.entries)} 个（撤销 {len(run.result.withdrawn)}，递补 {len(run.result.moved_up)}）"]
    for category in CATEGORIES:
        count = sum(1 for e in run.result.entries if e.category == category)
        lines.append(f"  {award_label(category, names)}：{count}")
    return lines


def run(args: argparse.Namespace) -> int:
    today = parse_date(args.today, "--today") if args.today else dt.date.today()
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}：已存在同名文件，请指定一个目录")
    result = finalize_hub(args.hub, today, load_edition(args.edition), out, pdf=not args.no_pdf)
    for line in summary_lines(result) + finding_lines(result.findings):
        print(line)
    if not result.written:
        return 1
    print(f"已写入“{P.FINAL_SHEET}”表：{args.hub}")
    for path in result.files:
        print(f"已生成：{path}")
    if result.pdf_error:
        print(f"警告：未能通过 LibreOffice 生成 PDF（{result.pdf_error}），可打印 .xlsx 文件")
    return 0

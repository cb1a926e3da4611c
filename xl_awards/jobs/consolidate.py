"""``xl-awards consolidate --hub HUB FILE... [--json]``: intake workbooks -> the hub's ``申报汇总``.

Order of work: refuse when the hub is open (lock file: one line, exit 2, nothing written); read
the hub; read every file (an unreadable one: one line each, exit 2, nothing written); compute
(``xl_awards.consolidation.consolidate``: every intake check again, the hub-only checks,
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

from xl_awards.consolidation import Consolidation, Source, SummaryLine, consolidate
from xl_awards.edition import Edition, load_edition
from xl_awards.errors import InputError
from xl_awards.jobs.common import counts_text, current_user, now_text
from xl_awards.schema import hub as H

ACTION = "汇总申报"
SUMMARY_HEADERS = ("市州", "奖项", "收到", "待评审", "不符合条件", "{prior}", "错误", "警告", "提示")


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
    pending, ineligible, prior = result.statuses
    by_status = {s: sum(e.status == s for e in result.entries) for s in result.statuses}
    silent = "、".join(result.silent_cities) or "无"
    rows.append({"time": when, "user": user, "action": ACTION,
                 "file": f"本次{len(result.imported) + len(result.rejected)}个文件，导入{len(result.imported)}个",
                 "count": len(result.register),
                 "findings": (f"{counts_text(result.findings)}；申报汇总{len(result.register)}条：{pending}{by_status[pending]}，"
                              f"{ineligible}{by_status[ineligible]}，{prior}{by_status[prior]}；未报送的市州：{silent}")})
    return rows


def consolidate_files(hub_path: str | Path, paths: Sequence[str | Path], edition: Edition | None = None,
                      imported_at: str | None = None, user: str | None = None) -> tuple[Consolidation, Path | None]:
    """Consolidate ``paths`` into the hub workbook; returns the result and the backup's path.

    The button and the command line call this.  ``InputError`` (nothing written) when the hub is
    open or unreadable, or any file is unreadable (the message lists every unreadable file).
    """
    from xl_awards.io.atomic import check_not_open, file_sha256
    from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub
    from xl_awards.jobs.validate import read_books

    hub_path = Path(hub_path)
    edition = edition or load_edition()
    check_not_open(hub_path)
    hub = read_hub(hub_path, edition)
    books, errors = read_books(paths, hub.edition)
    if errors:
        raise InputError("\n".join(str(e) for e in errors))
    sources = [Source(book, file_sha256(book.path)) for book in books]
    when = imported_at or now_text()
    result = consolidate(sources, hub, when)

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
    counts = {s: sum(e.status == s for e in result.entries) for s in result.statuses}
    lines.append(f"申报汇总共 {len(result.register)} 条：{pending} {counts[pending]}，{ineligible} {counts[ineligible]}，"
                 f"{prior} {counts[prior]}")
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
            str(line.errors), str(line.warnings), str(line.infos)]


def run(args: argparse.Namespace) -> int:
    from xl_awards.jobs.validate import format_table

    edition = load_edition(args.edition)
    result, backup = consolidate_files(args.hub, args.files, edition)
    if args.json:
        print(json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        files = [s.book.file_name for s in [*result.imported, *result.rejected]]
        print(summary_text(result, Path(args.hub).name))
        print()
        print(format_table(result.findings, files))
        if backup is not None:
            print(f"已写入“{H.REGISTER_SHEET}”和“{H.LOG_SHEET}”，原工作簿已备份为 {backup.name}")
        from xl_awards.jobs.next_steps import next_step

        print(next_step("consolidate_errors" if result.has_errors else "consolidate_ok", args.hub))
    return 1 if result.has_errors else 0


# -- the demo's step ---------------------------------------------------------------------------
DEMO_HUB_DIR = "省枢纽平台"
DEMO_DIRECT_DIR = "产业集群直报"


def demo_step(ctx) -> list[str]:
    """The demo's consolidate step (``xl_awards.jobs.demo``): a hub with the invented sample lists
    (窗口平台, 专家库, 往年获奖, 禁评名单), the demo's city workbooks and a cluster platform's direct
    recommendation consolidated into it, then the same files again (the register must not change)."""
    from xl_awards.io.hub import read_hub
    from xl_awards.io.hub_template import write_hub_workbook
    from xl_awards.jobs.demo import Skip, StepFailed
    from xl_awards.sample import sample_cluster_star
    from xl_awards.schema.intake import STAR_SHEET

    if not ctx.intake_files:
        raise Skip("没有可汇总的申报工作簿（前面的步骤未完成）")
    hub = write_hub_workbook(ctx.edition, ctx.out_dir / DEMO_HUB_DIR, sample=True)
    ctx.data["hub"] = str(hub)
    notes = _cover_every_award(hub, ctx.edition)
    files = list(ctx.intake_files)
    blank = next((p for p in ctx.built if "空白" in p.name), None)
    if blank is not None:
        from xl_awards.io.intake_fill import fill_intake_workbook

        direct = ctx.out_dir / DEMO_DIRECT_DIR / f"产业集群窗口平台直报_示例{blank.suffix}"
        files.append(fill_intake_workbook(blank, {STAR_SHEET: [sample_cluster_star(ctx.edition, "长沙市", seed=ctx.seed)]},
                                          direct, ctx.edition))
    files.append(_demo_hub_checks_workbook(ctx))
    result, _ = consolidate_files(hub, files, ctx.edition)
    pending = result.statuses[0]
    clean = {Path(p).resolve() for p in ctx.clean_files}
    wrong = [e for e in result.entries if e.row is not None and Path(e.row.book.path).resolve() in clean and e.status != pending]
    if wrong:
        raise StepFailed(f"无错误的示例中有申报被判为{wrong[0].status}：{wrong[0].values['name']}")
    first = read_hub(hub, ctx.edition).register
    consolidate_files(hub, files, ctx.edition)
    if read_hub(hub, ctx.edition).register != first:
        raise StepFailed("再次汇总同样的文件后申报汇总发生了变化")
    lines = [*notes, *summary_text(result, hub.name).splitlines()]
    lines.append(f"再次汇总同样的 {len(files)} 个文件：申报汇总不变（申报编号、状态、导入时间均保持），操作日志追加一次记录")
    lines.append(_demo_portal_scores(hub, ctx))
    lines.append(f"省枢纽平台工作簿（含虚构的窗口平台、专家库、往年获奖、禁评名单）：{hub}")
    return lines


def _cover_every_award(hub: Path, edition: Edition) -> list[str]:
    """The sample 专家库 names no reviewer for some awards (服务之星): for the demo, every sample
    expert then also reviews those, so that the later steps can run.  Returns a line saying so."""
    from xl_awards.edition import INTAKE_AWARD_KEYS
    from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub

    experts = [row for _, row in read_hub(hub, edition).rows(H.EXPERTS_SHEET)]
    covered = {award for row in experts for award in H.split_multi_value(row.get("review_awards"))}
    missing = [edition.award_name(k) for k in INTAKE_AWARD_KEYS if edition.award_name(k) not in covered]
    if not experts or not missing:
        return []
    for row in experts:
        row["review_awards"] = "、".join([*H.split_multi_value(row.get("review_awards")), *missing])
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(edition, H.EXPERTS_SHEET), experts)
    save_hub(wb, hub, make_backup=False)
    return [f"示例专家库中没有{'、'.join(missing)}的评审专家：演示时由全部示例专家兼评"]


DEMO_HUB_CHECKS_CITY = "益阳市"


def _demo_hub_checks_workbook(ctx) -> Path:
    """A city workbook whose applicants only the hub can judge: a 2020 awardee of 优秀服务机构
    (from the sample 往年获奖) and an institution on the sample 禁评名单 within its bar."""
    from xl_awards.io.intake_fill import fill_intake_workbook
    from xl_awards.io.intake_template import intake_file_name
    from xl_awards.jobs.demo import INTAKE_DIR
    from xl_awards.sample import sample_intake_rows
    from xl_awards.sample_hub import sample_hub_rows
    from xl_awards.schema.intake import INSTITUTION_SHEET, RECIPIENTS_SHEET

    city = DEMO_HUB_CHECKS_CITY
    template = next(p for p in ctx.built if p.name == intake_file_name(ctx.edition, city))
    rows = sample_intake_rows(ctx.edition, city, seed=ctx.seed + 7, counts={INSTITUTION_SHEET: 2})
    hub_rows = sample_hub_rows(ctx.edition)
    institution = ctx.edition.award_name("institution")
    prior = next(r for r in hub_rows[H.PRIOR_SHEET] if r["award"] == institution)
    barred = hub_rows[H.BARRED_SHEET][0]
    for applicant, (name, code) in zip(rows[INSTITUTION_SHEET], ((prior["name"], prior["id_code"]),
                                                                (barred["name"], barred["id_code"]))):
        old_name = applicant["name"]
        applicant.update(name=name, uscc=code)
        for recipient in rows[RECIPIENTS_SHEET]:
            if recipient["applicant"] == old_name:
                recipient["applicant"] = name
    out = ctx.out_dir / INTAKE_DIR / f"{Path(intake_file_name(ctx.edition, city)).stem}_示例_往年获奖与禁评{template.suffix}"
    return fill_intake_workbook(template, rows, out, ctx.edition)


def _demo_portal_scores(hub: Path, ctx) -> str:
    """Invented 官网备案 scores for the demo's applications (one left out on purpose)."""
    from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub
    from xl_awards.sample_hub import sample_portal_rows

    register = [row for _, row in read_hub(hub, ctx.edition).rows(H.REGISTER_SHEET)]
    rows = sample_portal_rows(ctx.edition, register, seed=ctx.seed)
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(ctx.edition, H.PORTAL_SHEET), rows)
    save_hub(wb, hub, make_backup=False)
    return f"官网备案：填入 {len(rows)} 条虚构的官网备案得分（有意留空 1 条，演示“缺少官网备案按0分计并提示”）"

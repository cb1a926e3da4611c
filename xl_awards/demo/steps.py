"""The demo's steps: each runs one command's job function on the demo province.

A step takes the ``DemoContext``, returns the lines it prints, and raises ``Skip`` or ``StepFailed``.
"""

from __future__ import annotations

from pathlib import Path
from xl_awards.base.findings import count_by_severity
from xl_awards.base.findings import has_errors
from xl_awards.edition import Edition
from xl_awards.hub.review_inputs import applications_from_hub
from xl_awards.jobs import collect as collect_job
from xl_awards.jobs import consolidate as consolidate_job
from xl_awards.jobs import expert_sheets as expert_sheets_job
from xl_awards.jobs import finalize as finalize_job
from xl_awards.jobs import publicity as publicity_job
from xl_awards.jobs import rank as rank_job
from xl_awards.jobs.publicity import finding_lines
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L
import datetime as dt
from xl_awards.base.findings import SEVERITY_LABELS
from xl_awards.demo.sample_hub import sample_hub_rows
from xl_awards.demo.context import (
    CLEAN_CITIES,
    CLEAN_CITY_COUNTS,
    ERROR_CITY,
    ERROR_CITY_COUNTS,
    EXAMPLE_FINDINGS,
    INTAKE_DIR,
    TEMPLATES_DIR,
    DemoContext,
    Skip,
    StepFailed,
)
from xl_awards.demo.sample import inject_errors, sample_intake_rows


# -- build, fill, validate ------------------------------------------------------------------
def step_build(ctx: DemoContext) -> list[str]:
    from xl_awards.io.intake_template import intake_file_name
    from xl_awards.jobs.build import build_all

    out = ctx.out_dir / TEMPLATES_DIR
    ctx.built = [Path(p) for p in build_all(ctx.edition, out)]
    for city in (*CLEAN_CITIES, ERROR_CITY):
        path = out / intake_file_name(ctx.edition, city)
        if not path.is_file():
            raise StepFailed(f"生成的模板中找不到{city}的申报工作簿")
        ctx.templates[city] = path
    lines = [f"已生成 {len(ctx.built)} 个工作簿，位于 {out}："]
    lines += [f"  {p.name}" for p in ctx.built]
    return lines


def step_fill(ctx: DemoContext) -> list[str]:
    if not ctx.templates:
        raise Skip("没有可填写的模板（上一步未完成）")
    from xl_awards.io.intake_fill import fill_intake_workbook

    out = ctx.out_dir / INTAKE_DIR
    lines = []
    for city in CLEAN_CITIES:
        template = ctx.templates[city]
        rows = sample_intake_rows(ctx.edition, city, seed=ctx.seed, counts=CLEAN_CITY_COUNTS)
        path = fill_intake_workbook(template, rows, out / f"{template.stem}_示例{template.suffix}", ctx.edition)
        ctx.clean_files.append(path)
        lines.append(f"{path.name}：{_row_counts(rows)}（无错误的示例）")
    template = ctx.templates[ERROR_CITY]
    rows = sample_intake_rows(ctx.edition, ERROR_CITY, seed=ctx.seed, counts=ERROR_CITY_COUNTS)
    rows, planted = inject_errors(rows, seed=ctx.seed, edition=ctx.edition)
    path = fill_intake_workbook(template, rows, out / f"{template.stem}_示例_含错误{template.suffix}", ctx.edition)
    ctx.error_files.append(path)
    ctx.planted[path] = planted
    lines.append(f"{path.name}：{_row_counts(rows)}（预置 {len(planted)} 处错误）")
    lines.append("示例中的人员、单位、证件号码均为虚构。")
    return lines


def _row_counts(rows: dict[str, list]) -> str:
    return "、".join(f"{sheet} {len(items)} 行" for sheet, items in rows.items())


def step_validate(ctx: DemoContext) -> list[str]:
    if not ctx.intake_files:
        raise Skip("没有可校验的申报工作簿（上一步未完成）")
    from xl_awards.jobs import validate as jobs
    from xl_awards.intake.validation import validate_books

    books, errors = jobs.read_books(ctx.intake_files, ctx.edition)
    if errors:
        raise errors[0]
    ctx.findings = list(validate_books(books, ctx.edition))
    lines = [f"校验 {len(books)} 个工作簿（含跨文件的重复申报、同一窗口平台多名服务之星检查）："]
    problems = []
    for book in books:
        own = [f for f in ctx.findings if f.file == book.file_name]
        counts = count_by_severity(own)
        summary = "，".join(f"{SEVERITY_LABELS[s]} {n} 条" for s, n in counts.items())
        lines.append(f"  {book.file_name}：{summary}")
        if Path(book.path).resolve() in {p.resolve() for p in ctx.clean_files} and any(f.is_error for f in own):
            problems.append(f"无错误的示例 {book.file_name} 校验出错误：{own[0].message}")
    for book in books:
        path = next((p for p in ctx.planted if p.resolve() == Path(book.path).resolve()), None)
        if path is None:
            continue
        own = [f for f in ctx.findings if f.file == book.file_name]
        found = {(f.rule, f.sheet) for f in own}
        missed = [p for p in ctx.planted[path] if (p.rule, p.sheet) not in found]
        lines.append(f"  预置错误 {len(ctx.planted[path])} 处，查出 {len(ctx.planted[path]) - len(missed)} 处"
                     "（重复申报、同一平台多名服务之星在涉及的每一行都会列出）。问题示例：")
        for f in own[:EXAMPLE_FINDINGS]:
            lines.append(f"    {f.sheet}!{f.cell or f.row}（{SEVERITY_LABELS[f.severity]}）{f.message}")
        problems += [f"预置错误未被查出：{p.sheet} 第{p.row + 1}条 {p.field}（{p.rule}）" for p in missed]
        ctx.written_back += jobs.write_back([book], own, True)
    for path in ctx.written_back:
        lines.append(f"  校验结果已写入副本：{path}（“校验结果”表列出每个问题，问题单元格已标色并加批注）")
    if problems:
        raise StepFailed("；".join(problems))
    return lines



# -- consolidate -------------------------------------------------------------------------------
# -- the demo's step ---------------------------------------------------------------------------
DEMO_HUB_DIR = "省枢纽平台"
DEMO_DIRECT_DIR = "产业集群直报"


def consolidate_step(ctx) -> list[str]:
    """The demo's consolidate step (``xl_awards.demo``): a hub with the invented sample lists
    (窗口平台, 专家库, 往年获奖, 禁评名单), the demo's city workbooks and a cluster platform's direct
    recommendation consolidated into it, then the same files again (the register must not change)."""
    from xl_awards.io.hub import read_hub
    from xl_awards.io.hub_template import write_hub_workbook
    from xl_awards.demo.sample import sample_cluster_star
    from xl_awards.schema.intake import STAR_SHEET

    if not ctx.intake_files:
        raise Skip("没有可汇总的申报工作簿（前面的步骤未完成）")
    # The .xlsm hub (工作台 with the buttons): every later step rewrites it and must keep its macros.
    sample = sample_hub_rows(ctx.edition)
    notes = _cover_every_award(sample[H.EXPERTS_SHEET], ctx.edition)
    hub = write_hub_workbook(ctx.edition, ctx.out_dir / DEMO_HUB_DIR, sample=sample, macros=True)
    ctx.data["hub"] = str(hub)
    files = list(ctx.intake_files)
    blank = next((p for p in ctx.built if "空白" in p.name), None)
    if blank is not None:
        from xl_awards.io.intake_fill import fill_intake_workbook

        direct = ctx.out_dir / DEMO_DIRECT_DIR / f"产业集群窗口平台直报_示例{blank.suffix}"
        files.append(fill_intake_workbook(blank, {STAR_SHEET: [sample_cluster_star(ctx.edition, "长沙市", seed=ctx.seed)]},
                                          direct, ctx.edition))
    files.append(_demo_hub_checks_workbook(ctx))
    result, _ = consolidate_job.consolidate_files(hub, files, ctx.edition)
    pending = result.statuses[0]
    clean = {Path(p).resolve() for p in ctx.clean_files}
    wrong = [e for e in result.entries if e.row is not None and Path(e.row.book.path).resolve() in clean and e.status != pending]
    if wrong:
        raise StepFailed(f"无错误的示例中有申报被判为{wrong[0].status}：{wrong[0].values['name']}")
    first = read_hub(hub, ctx.edition).register
    consolidate_job.consolidate_files(hub, files, ctx.edition)
    if read_hub(hub, ctx.edition).register != first:
        raise StepFailed("再次汇总同样的文件后申报汇总发生了变化")
    # the planted mistakes fall into the three kinds: some make their row 待补正 (form), 待定 (the
    # duplicate star of one platform) or 不符合条件 (the notice's conditions) -- each kind must be seen
    planted = {Path(p).resolve() for p in ctx.planted}
    kinds = {e.status for e in result.entries if e.row is not None and Path(e.row.book.path).resolve() in planted}
    expected = {H.STATUS_TO_CORRECT, H.STATUS_UNDECIDED, result.statuses[1]}
    if planted and not expected <= kinds:
        raise StepFailed(f"预置错误的申报状态应包括{'、'.join(sorted(expected))}，实际为{'、'.join(sorted(kinds))}")
    from xl_awards.jobs.corrections import write_corrections

    written = write_corrections(hub, ctx.out_dir / "补正通知", ctx.edition)
    planted_cities = {p.book.city for p in result.imported if Path(p.book.path).resolve() in planted}
    if not planted_cities <= {city for city, *_ in written}:
        raise StepFailed("含预置错误的市州没有生成补正清单")
    lines = [*notes, *consolidate_job.summary_text(result, hub.name).splitlines()]
    lines.append(f"再次汇总同样的 {len(files)} 个文件：申报汇总不变（申报编号、状态、导入时间均保持），操作日志追加一次记录")
    for city, path, applicants, problems, _ in written:
        lines.append(f"补正清单（xl-awards corrections）：{city} {applicants} 个申报、{problems} 个问题 -> {path}")
    lines.append(_demo_portal_scores(hub, ctx))
    lines.append(f"省枢纽平台工作簿（含虚构的窗口平台、专家库、往年获奖、禁评名单）：{hub}")
    return lines


def _cover_every_award(experts: list[dict], edition: Edition) -> list[str]:
    """The sample 专家库 names no reviewer for some awards (服务之星): for the demo, every sample
    expert then also reviews those (``experts``, the sample rows, changed before the hub is written),
    so that the later steps can run.  Returns a line saying so."""
    from xl_awards.edition import INTAKE_AWARD_KEYS

    covered = {award for row in experts for award in H.split_multi_value(row.get("review_awards"))}
    missing = [edition.award_name(k) for k in INTAKE_AWARD_KEYS if edition.award_name(k) not in covered]
    if not experts or not missing:
        return []
    for row in experts:
        row["review_awards"] = "、".join([*H.split_multi_value(row.get("review_awards")), *missing])
    return [f"示例专家库中没有{'、'.join(missing)}的评审专家：演示时由全部示例专家兼评"]


DEMO_HUB_CHECKS_CITY = "益阳市"


def _demo_hub_checks_workbook(ctx) -> Path:
    """A city workbook whose applicants only the hub can judge: a 2020 awardee of 优秀服务机构
    (from the sample 往年获奖) and an institution on the sample 禁评名单 within its bar."""
    from xl_awards.io.intake_fill import fill_intake_workbook
    from xl_awards.io.intake_template import intake_file_name
    from xl_awards.demo.sample import sample_intake_rows
    from xl_awards.demo.sample_hub import sample_hub_rows
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
    from xl_awards.demo.sample_hub import sample_portal_rows

    register = [row for _, row in read_hub(hub, ctx.edition).rows(H.REGISTER_SHEET)]
    rows = sample_portal_rows(ctx.edition, register, seed=ctx.seed)
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(ctx.edition, H.PORTAL_SHEET), rows)
    save_hub(wb, hub, make_backup=False)
    return f"官网备案：填入 {len(rows)} 条虚构的官网备案得分（有意留空 1 条，演示“缺少官网备案按0分计并提示”）"


# -- expert_sheets -----------------------------------------------------------------------------
def expert_sheets_step(ctx) -> list[str]:
    """The demo's expert-sheets step (``xl_awards.demo``): issue workbooks from the demo hub."""

    if ctx.hub is None:
        raise Skip("没有省枢纽平台工作簿")
    from xl_awards.io.hub import read_hub

    if not applications_from_hub(read_hub(ctx.hub, ctx.edition), ctx.edition):
        raise Skip("申报汇总中没有待评审的申报")
    assignment, written = expert_sheets_job.issue_expert_sheets(ctx.hub, ctx.out_dir / "专家评分", ctx.edition)
    if not assignment.ok:
        raise StepFailed("；".join(f.message for f in assignment.findings[:3]))
    ctx.data["expert_books"] = [str(p) for p in written]
    return expert_sheets_job.summary_text(assignment, written).splitlines()


# -- collect -----------------------------------------------------------------------------------
def collect_step(ctx) -> list[str]:
    """The demo's collect step: invented scores in each issued workbook, then collect them."""
    from xl_awards.io.expert_book import fill_sample_scores

    books = ctx.data.get("expert_books")
    if not books or ctx.hub is None:
        raise Skip("没有已生成的专家评分工作簿")
    back = ctx.out_dir / "专家评分_报回"
    paths = [fill_sample_scores(p, back / Path(p).name, seed=ctx.seed) for p in books]
    result = collect_job.collect_files(ctx.hub, paths, ctx.edition)
    if result.input_errors or has_errors(result.findings):
        problems = [str(e) for e in result.input_errors] + [f.message for f in result.findings if f.is_error]
        raise StepFailed("；".join(problems[:3]))
    rows = sum(len({r.app_id for r in c.records}) for c in result.imported.values())
    return [f"导入 {len(result.imported)} 位专家的评分，共 {rows} 条（专家×申报），写入“专家评分”“评分明细”“专家评分统计”"]


# -- rank --------------------------------------------------------------------------------------
def rank_step(ctx) -> list[str]:
    """The demo's rank step: rank the hub the earlier steps filled."""

    if ctx.hub is None or not Path(ctx.hub).is_file():
        raise Skip("没有省枢纽平台工作簿")
    from xl_awards.io.hub import read_hub

    hub = read_hub(ctx.hub, ctx.edition)
    if not hub.register:
        raise Skip("申报汇总为空（汇总步骤尚未完成）")
    if not hub.rows(H.SCORES_SHEET):
        raise Skip("专家评分为空（收回评分步骤尚未完成）")
    result = rank_job.rank_hub(ctx.hub, ctx.edition)
    ctx.data["ranking"] = result
    counts = count_by_severity(result.findings)
    lines = rank_job.summary_lines(result)
    lines.append(f"问题：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}；"
                 f"已写入“{H.RANKING_SHEET}”（公式可逐格核对）和“{L.ANALYSIS_SHEET}”（敏感性分析、图表）")
    if result.print_file is not None:
        lines.append(f"评审会签字用的打印版：{result.print_file.name}（每个名单一张表，每页重复表头）")
    return lines


# -- publicity ---------------------------------------------------------------------------------
def publicity_step(ctx) -> list[str]:
    """The demo's publicity step: publicize the ranked hub from a fixed start date (mid-October 2022)."""

    if ctx.hub is None or "ranking" not in ctx.data:
        raise Skip("没有排名结果（计算排名步骤尚未完成）")
    result = publicity_job.publicity_hub(ctx.hub, ctx.edition.date("publicity_start_planned"), ctx.edition, ctx.out_dir / DEMO_DIR,
                                         office=ctx.office)
    ctx.data["publicity"] = result
    lines = publicity_job.summary_lines(result, publicity_job.award_names(ctx.edition)) + publicity_job.finding_lines(result.findings)
    if not result.written:  # e.g. a tie the hub has to decide: what staff would see
        raise Skip("未写入公示名单：" + "；".join(lines[1:]))
    lines += [f"已生成：{p}" for p in result.files]
    if result.pdf_error:
        lines.append(f"未生成 PDF：{result.pdf_error}")
    return lines


DEMO_DIR = "公示"


# -- finalize ----------------------------------------------------------------------------------
def finalize_step(ctx) -> list[str]:
    """The demo's finalize step: the day after publicity ends, no objections."""

    publicity = ctx.data.get("publicity")
    if ctx.hub is None or publicity is None or not publicity.written:
        raise Skip("没有公示名单（公示步骤尚未完成）")
    today = publicity.window.end + dt.timedelta(days=1)
    result = finalize_job.finalize_hub(ctx.hub, today, ctx.edition, ctx.out_dir / DEMO_DIR, office=ctx.office)
    ctx.data["finalize"] = result
    lines = [f"定稿日期 {today.isoformat()}（公示期满次日，示例中无异议）"]
    lines += finalize_job.summary_lines(result) + finding_lines(result.findings)
    if not result.written:
        raise Skip("未定稿：" + "；".join(lines[1:]))
    lines += [f"已生成：{p}" for p in result.files]
    if result.pdf_error:
        lines.append(f"未生成 PDF：{result.pdf_error}")
    return lines

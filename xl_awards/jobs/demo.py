"""``xl-awards demo [--out DIR]``: the whole cycle on built-in sample data (invented people and units).

``run_demo`` is a sequence of named steps.  The first three are built in: build
the templates, fill sample workbooks for a few cities (one with planted
mistakes), validate them and write the 校验结果 copy.  The later steps
(consolidate, expert sheets, collect, rank, publicity, finalize) plug in from
their own job modules: a module ``xl_awards.jobs.<name>`` that defines
``demo_step(ctx: DemoContext) -> list[str]`` (lines to print; files it writes go
under ``ctx.out_dir``, and it may leave data for the next steps in ``ctx.data``)
is run in its place; a step whose module is not there yet is skipped with a
line saying so.  The demo exits 0 when it ran: the planted mistakes are
expected findings, not a failure.  It exits 1 when a step failed (e.g. the
clean sample workbooks gave an error or a planted mistake was not found).
"""

from __future__ import annotations

import argparse
import importlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from xl_awards.edition import Edition, load_edition
from xl_awards.errors import InputError, UsageError
from xl_awards.findings import SEVERITY_LABELS, Finding, count_by_severity
from xl_awards.sample import PlantedError, inject_errors, sample_intake_rows
from xl_awards.schema.intake import STAR_SHEET

DEFAULT_OUT = Path("out/demo")
TEMPLATES_DIR = "模板"
INTAKE_DIR = "市州申报"
# Cities whose sample workbooks the demo fills; the last one gets the planted mistakes.
CLEAN_CITIES = ("长沙市", "衡阳市", "湘西土家族苗族自治州")
ERROR_CITY = "株洲市"
# Enough applications in the clean cities that every award has more candidates than places,
# so the demo's ranking really selects (湘西州 has 9 window platforms: 9 stars at most).
CLEAN_CITY_COUNTS = {"star": 9, "institution": 4, "expert": 4, "product": 4}
ERROR_CITY_COUNTS = {STAR_SHEET: 4}  # enough stars for the star mistakes to sit on distinct rows
EXAMPLE_FINDINGS = 6

DONE, SKIPPED, FAILED = "done", "skipped", "failed"
STATUS_LABELS = {DONE: "完成", SKIPPED: "跳过", FAILED: "失败"}


class StepFailed(Exception):
    """A step ran but its result is wrong (the demo's own self-check)."""


@dataclass
class DemoContext:
    edition: Edition
    out_dir: Path
    seed: int = 0
    built: list[Path] = field(default_factory=list)  # everything `build` wrote
    templates: dict[str, Path] = field(default_factory=dict)  # city -> its intake template
    clean_files: list[Path] = field(default_factory=list)
    error_files: list[Path] = field(default_factory=list)
    planted: dict[Path, list[PlantedError]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    written_back: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # for later steps to pass things on

    @property
    def intake_files(self) -> list[Path]:
        return self.clean_files + self.error_files

    @property
    def hub(self) -> Path | None:
        """The hub workbook `build` wrote, if any (a later step may replace it in ``data``)."""
        if "hub" in self.data:
            return Path(self.data["hub"])
        return next((p for p in self.built if "枢纽" in p.name), None)


@dataclass
class StepResult:
    key: str
    title: str
    status: str
    lines: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    out_dir: Path
    steps: list[StepResult]
    context: DemoContext

    @property
    def ok(self) -> bool:
        return all(step.status != FAILED for step in self.steps)

    def step(self, key: str) -> StepResult:
        return next(s for s in self.steps if s.key == key)


class Skip(Exception):
    """A step that cannot run yet (its module or an input from an earlier step is missing)."""


# -- built-in steps ------------------------------------------------------------------
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
    from xl_awards.validation import validate_books

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


# -- later steps: plugged in from their job modules ---------------------------------
def _plugged(module_name: str) -> Callable[[DemoContext], list[str]]:
    def run(ctx: DemoContext) -> list[str]:
        module = importlib.import_module(f"xl_awards.jobs.{module_name}")
        return list(module.demo_step(ctx) or [])

    return run


# (key, title, function); the keys are the job module names of the plugged steps
STEPS: list[tuple[str, str, Callable[[DemoContext], list[str]]]] = [
    ("build", "生成模板", step_build),
    ("fill", "填写示例申报工作簿", step_fill),
    ("validate", "校验申报工作簿", step_validate),
    ("consolidate", "汇总到省枢纽平台工作簿", _plugged("consolidate")),
    ("expert_sheets", "生成专家评分工作簿", _plugged("expert_sheets")),
    ("collect", "收回专家评分", _plugged("collect")),
    ("rank", "计算排名", _plugged("rank")),
    ("publicity", "生成公示名单", _plugged("publicity")),
    ("finalize", "公示期满定稿", _plugged("finalize")),
]


def run_demo(out_dir: str | Path = DEFAULT_OUT, edition: Edition | None = None, seed: int = 0,
             echo: Callable[[str], None] | None = None) -> DemoResult:
    """Run every step in order; stop after a failed one.  ``echo`` prints each line as it comes."""
    edition = edition or load_edition()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(edition=edition, out_dir=out_dir, seed=seed)
    say = echo or (lambda line: None)
    say(f"演示：{edition.title}（内置示例数据），输出目录 {out_dir}")
    results: list[StepResult] = []
    failed = False
    for number, (key, title, function) in enumerate(STEPS, start=1):
        heading = f"【{number}/{len(STEPS)}】{title}"
        if failed:
            result = StepResult(key, title, SKIPPED, ["前面的步骤失败，未执行"])
        else:
            try:
                result = StepResult(key, title, DONE, function(ctx))
            except Skip as exc:
                result = StepResult(key, title, SKIPPED, [str(exc)])
            except (StepFailed, InputError, UsageError) as exc:
                result = StepResult(key, title, FAILED, [str(exc)])
            except Exception as exc:  # a bug in a step: say which, keep the details for a report
                detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
                result = StepResult(key, title, FAILED, [f"程序错误：{detail}"])
        failed = failed or result.status == FAILED
        results.append(result)
        say(f"{heading} —— {STATUS_LABELS[result.status]}")
        for line in result.lines:
            say(f"  {line}")
    done = sum(r.status == DONE for r in results)
    skipped = sum(r.status == SKIPPED for r in results)
    if failed:
        say(f"演示未完成：{done} 步完成，有步骤失败（见上）")
    else:
        say(f"演示完成：{done} 步完成，{skipped} 步跳过（原因见各步骤）。输出目录 {out_dir}")
    return DemoResult(out_dir=out_dir, steps=results, context=ctx)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help=f"输出目录（默认 {DEFAULT_OUT}）")
    parser.add_argument("--seed", type=int, default=0, help="示例数据的随机种子（相同种子生成相同数据）")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}：已存在同名文件，请指定一个目录")
    result = run_demo(out, load_edition(args.edition), seed=args.seed, echo=print)
    return 0 if result.ok else 1

"""``run_demo``: the whole cycle on built-in sample data (invented people and units).

``run_demo`` is a sequence of named steps (``STEPS``, functions in ``xl_awards.demo.steps``):
build the templates, fill sample workbooks for a few cities (one with planted mistakes),
validate them and write the 校验结果 copy, then consolidate, expert sheets, collect, rank,
publicity and finalize, each through its command's job function.  A step returns the lines it
prints; files it writes go under ``ctx.out_dir``, and it may leave data for the next steps in
``ctx.data``.  The demo exits 0 when it ran: the planted mistakes are expected findings, not a
failure.  It exits 1 when a step failed (e.g. the clean sample workbooks gave an error or a
planted mistake was not found).
"""

from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from xl_awards.base.errors import InputError, UsageError
from xl_awards.demo import steps
from xl_awards.demo.context import (
    DEFAULT_OUT,
    DONE,
    FAILED,
    SKIPPED,
    STATUS_LABELS,
    DemoContext,
    DemoResult,
    Skip,
    StepFailed,
    StepResult,
)
from xl_awards.edition import Edition, load_edition
from xl_awards.jobs import progress

# (key, title, function)
STEPS: list[tuple[str, str, Callable[[DemoContext], list[str]]]] = [
    ("build", "生成模板", steps.step_build),
    ("fill", "填写示例申报工作簿", steps.step_fill),
    ("validate", "校验申报工作簿", steps.step_validate),
    ("consolidate", "汇总到省枢纽平台工作簿", steps.consolidate_step),
    ("expert_sheets", "生成专家评分工作簿", steps.expert_sheets_step),
    ("collect", "收回专家评分", steps.collect_step),
    ("rank", "计算排名", steps.rank_step),
    ("publicity", "生成公示名单", steps.publicity_step),
    ("finalize", "公示期满定稿", steps.finalize_step),
]


def start_office():
    """A LibreOffice for the steps that write PDFs, started now so that it loads while the templates are
    built; None when it cannot start (each PDF step then reports why, as it does on its own)."""
    from xl_awards.io.libreoffice import LibreOffice, LibreOfficeError

    office = LibreOffice()
    try:
        office.start()
    except LibreOfficeError:
        office.close()
        return None
    return office


def run_demo(out_dir: str | Path = DEFAULT_OUT, edition: Edition | None = None, seed: int = 0,
             echo: Callable[[str], None] | None = None) -> DemoResult:
    """Run every step in order; stop after a failed one.  ``echo`` prints each line as it comes.

    While progress is on (``jobs.progress``: standard error is a terminal, no ``--quiet``), standard error
    shows the steps done of the total and the current step's name.
    """
    edition = edition or load_edition()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _terminate_as_exit():
        ctx = DemoContext(edition=edition, out_dir=out_dir, seed=seed, office=start_office())
        try:
            return _run_steps(ctx, echo)
        finally:
            if ctx.office is not None:
                ctx.office.close()


@contextmanager
def _terminate_as_exit():
    """While the demo runs, SIGTERM ends it through its ``finally`` blocks, so the LibreOffice it started
    (a process group of its own) is ended too.  Only in the main thread, where Python handles signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_steps(ctx: DemoContext, echo: Callable[[str], None] | None) -> DemoResult:
    edition, out_dir = ctx.edition, ctx.out_dir
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
                with progress.step(f"演示进度 {number - 1}/{len(STEPS)} 步已完成，当前：{title}"):
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

"""``xl-awards build [--edition 2021] --out DIR [--force] [--no-macros]``: write the templates.

The intake workbook of every 市州 plus the blank template, and the hub workbook.

Never overwrites work: everything is first written into a temporary folder beside ``DIR``; a
file already in ``DIR`` with the same bytes is left as it is, and one that differs (a city
workbook with data, a hub in use) stops the run, naming the files, with nothing written.  With
``--force`` each differing file is first backed up beside itself (the backup is named in the
output), then replaced.  The files land together or not at all.

Besides the macro-free ``.xlsx`` (the default for cities whose IT blocks macros), each workbook is also
written as ``.xlsm`` whose VBA project is built from ``macros/*.bas`` and whose first sheet carries the
buttons (the hub's ``工作台``: one button per step; the city workbook: 校验 and 清除标记).
"""

from __future__ import annotations

import filecmp
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from xl_awards.base import messages
from xl_awards.base.errors import UsageError
from xl_awards.edition import Edition, load_edition
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.io.hub_template import hub_file_name
from xl_awards.io.intake_template import SharedDataSheets, intake_cities, intake_file_name, write_intake_workbook
from xl_awards.jobs import progress

PROGRESS_LABEL = "生成模板"


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在时自动创建）")
    parser.add_argument("--force", action="store_true",
                        help="目录中已有内容不同的同名文件时仍重新生成（原文件先备份，并列出备份文件名）")
    parser.add_argument("--no-macros", action="store_true",
                        help="只生成不含宏的 .xlsx，不生成带按钮的 .xlsm")


@dataclass
class BuildResult:
    files: list[Path] = field(default_factory=list)
    backups: list[tuple[Path, Path]] = field(default_factory=list)  # (replaced file, its backup)
    unchanged: list[Path] = field(default_factory=list)


def _plan(edition: Edition, folder: Path, macros: bool) -> dict[Path, Callable[[], Path]]:
    """Every file to write, in order (the ``.xlsx`` first), with the call that writes it."""
    shared = SharedDataSheets()  # the data sheets are written once for every city and both kinds
    plan: dict[Path, Callable[[], Path]] = {}
    for suffix in (".xlsx", ".xlsm") if macros else (".xlsx",):
        for city in intake_cities(edition):
            path = folder / Path(intake_file_name(edition, city)).with_suffix(suffix)
            plan[path] = partial(write_intake_workbook, edition, path, city, shared=shared)
        plan[folder / hub_file_name(edition, suffix == ".xlsm")] = partial(
            lambda m: Path(write_hub_workbook(edition, folder, macros=m)), suffix == ".xlsm")
    return plan


def build_templates(edition: Edition, out_dir: str | Path, force: bool = False, macros: bool = True) -> BuildResult:
    """Write every template into ``out_dir`` (see the module docstring).  ``UsageError`` when it would overwrite."""
    from xl_awards.io.atomic import backup, check_not_open
    from xl_awards.io.outputs import check_out_dir, staged_outputs
    from xl_awards.io.workbook_files import input_error

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}：已存在同名文件，不是目录")
    check_out_dir(out_dir)
    result = BuildResult()
    with staged_outputs(out_dir) as stage:
        staged = []
        plan = _plan(edition, stage.folder, macros)
        for path in progress.each(list(plan), PROGRESS_LABEL):
            staged.append(plan[path]())
        differing = []
        for p in staged:
            target = out_dir / p.name
            result.files.append(target)
            if target.is_file() and filecmp.cmp(p, target, shallow=False):
                result.unchanged.append(target)
                p.unlink()  # the same bytes are there already: leave that file alone
            elif target.exists():
                differing.append(target)
        if differing and not force:
            raise UsageError(messages.INPUT_ERRORS["build_would_overwrite"].format(
                out=out_dir, count=len(differing), files="、".join(p.name for p in differing)))
        for target in differing:
            check_not_open(target)
        for target in differing:
            try:
                result.backups.append((target, backup(target)))
            except OSError as exc:
                for _, copy in result.backups:
                    copy.unlink(missing_ok=True)
                raise input_error("backup_failed", target, detail=exc.strerror or type(exc).__name__) from None
        stage.commit()
    return result


def build_all(edition: Edition, out_dir: str | Path, force: bool = False, *, macros: bool = True) -> list[Path]:
    """Write every template into ``out_dir``; returns the files, in order (the ``.xlsx`` first)."""
    return build_templates(edition, out_dir, force, macros).files


def run(args) -> int:
    edition = load_edition(args.edition)
    result = build_templates(edition, args.out, force=args.force, macros=not args.no_macros)
    print(f"已生成{edition.year}年度模板 {len(result.files)} 个，保存在 {Path(args.out)}：")
    for path in result.files:
        print(f"  {path.name}" + ("（内容相同，未改动）" if path in result.unchanged else ""))
    for target, copy in result.backups:
        print(f"已替换 {target.name}，原文件已备份为 {copy.name}")
    return 0

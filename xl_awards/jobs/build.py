"""``xl-awards build [--edition 2021] --out DIR [--no-macros]``: write the templates.

The intake workbook of every 市州 plus the blank template, and the hub workbook, as macro-free
``.xlsx`` (the default for cities whose IT blocks macros) and, next to them, as ``.xlsm`` whose
VBA project is built from ``macros/*.bas`` and whose first sheet carries the buttons (the hub's
``工作台``: one button per step; the city workbook: 校验 and 清除标记).  Same bytes for the
same inputs.
"""

from __future__ import annotations

from pathlib import Path

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import UsageError
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.io.intake_template import write_intake_workbooks


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在时自动创建）")
    parser.add_argument("--no-macros", action="store_true",
                        help="只生成不含宏的 .xlsx，不生成带按钮的 .xlsm")


def build_all(edition: Edition, out_dir: str | Path, *, macros: bool = True) -> list[Path]:
    """Write every template into ``out_dir``; returns the files written, in order (the ``.xlsx`` first)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}：已存在同名文件，不是目录")
    paths = [*write_intake_workbooks(edition, out_dir), Path(write_hub_workbook(edition, out_dir))]
    if macros:
        paths += [*write_intake_workbooks(edition, out_dir, macros=True),
                  Path(write_hub_workbook(edition, out_dir, macros=True))]
    return paths


def run(args) -> int:
    edition = load_edition(args.edition)
    paths = build_all(edition, args.out, macros=not getattr(args, "no_macros", False))
    print(f"已生成{edition.year}年度模板 {len(paths)} 个，保存在 {Path(args.out)}：")
    for path in paths:
        print(f"  {path.name}")
    return 0

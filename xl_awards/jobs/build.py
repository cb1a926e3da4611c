"""``xl-awards build [--edition 2021] --out DIR``: write the templates.

The intake workbook of every 市州 plus the blank template, and the hub workbook.
"""

from __future__ import annotations

from pathlib import Path

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import UsageError
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.io.intake_template import write_intake_workbooks


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在时自动创建）")


def build_all(edition: Edition, out_dir: str | Path) -> list[Path]:
    """Write every template into ``out_dir``; returns the files written, in order."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}：已存在同名文件，不是目录")
    return [*write_intake_workbooks(edition, out_dir), Path(write_hub_workbook(edition, out_dir))]


def run(args) -> int:
    edition = load_edition(args.edition)
    paths = build_all(edition, args.out)
    print(f"已生成{edition.year}年度模板 {len(paths)} 个，保存在 {Path(args.out)}：")
    for path in paths:
        print(f"  {path.name}")
    return 0

"""``xl-awards demo [--out DIR] [--seed N]``: the whole cycle on built-in sample data."""

from __future__ import annotations

import argparse
from pathlib import Path

from xl_awards.base.errors import UsageError
from xl_awards.demo.context import DEFAULT_OUT
from xl_awards.demo.runner import run_demo
from xl_awards.edition import load_edition


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help=f"输出目录（默认 {DEFAULT_OUT}）")
    parser.add_argument("--seed", type=int, default=0, help="示例数据的随机种子（相同种子生成相同数据）")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}：已存在同名文件，请指定一个目录")
    result = run_demo(out, load_edition(args.edition), seed=args.seed, echo=print)
    return 0 if result.ok else 1

"""The ``xl-awards`` command.  Parses arguments and calls the same job functions the buttons call.

Exit codes (SPEC section 7): 0 success, 1 findings with errors or a failed check,
2 bad usage or unreadable input (one line, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from xl_awards import __version__
from xl_awards.edition import DEFAULT_EDITION, EditionError
from xl_awards.base.errors import InputError, UsageError
from xl_awards.jobs import progress

# command -> (module with `add_arguments(parser)` and `run(args) -> int`, help); a bare name is in xl_awards.jobs
COMMANDS = {
    "build": ("build", "生成模板：各市州申报工作簿、空白模板、省枢纽平台工作簿"),
    "validate": ("validate", "校验申报工作簿，列出问题（有错误时退出码为 1）"),
    "consolidate": ("consolidate", "汇总各市州申报工作簿到省枢纽平台工作簿的申报汇总表"),
    "expert-sheets": ("expert_sheets", "为每位评审专家生成受保护的评分工作簿"),
    "collect": ("collect", "收回专家评分工作簿，写入专家评分表"),
    "rank": ("rank", "计算排名，写入排名表"),
    "publicity": ("publicity", "生成公示名单及公示日期"),
    "finalize": ("finalize", "公示期满后生成最终获奖名单和证书"),
    "corrections": ("corrections", "按市州生成补正清单（每个市州一个工作簿），发给市州更正"),
    "demo": ("xl_awards.demo.command", "用内置示例数据演示完整评选流程"),
    "excel-setup": ("excel_setup", "在装有 Excel 的电脑上安装按钮所需的 xlwings 加载项并指定 Python"),
}


# argparse's own error texts -> Chinese (the one line a user reads on bad usage).
USAGE_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid choice: '([^']*)'.*"), "未知的命令或选项值：{1}"),
    (re.compile(r"argument (\S+): ignored explicit argument '([^']*)'"), "参数 {0} 不接受值：{1}"),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 - argparse's hook
        for pattern, template in USAGE_ERRORS:
            match = pattern.fullmatch(message)
            if match:
                message = template.format(*match.groups())
                break
        self.exit(2, f"{self.prog}：{message}（用 -h 查看用法）\n")


def command_in(argv: list[str]) -> str:
    """The command named on the command line ('' when none): the first argument that is not an option
    (the top-level options, ``--version`` and ``-h``, take no value)."""
    return next((a for a in argv if not a.startswith("-")), "")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only``, the job module of that command alone is imported (the
    others are listed with their help but take no arguments), so a command starts without loading the rest."""
    parser = ChineseArgumentParser(prog="xl-awards", description="湖南省中小企业公共服务平台网络年度优秀评选工具")
    parser.add_argument("--version", action="version", version=f"xl-awards {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for command, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(command, help=help_text, description=help_text)
        p.add_argument("--edition", default=str(DEFAULT_EDITION), help=f"评选年度版本（默认 {DEFAULT_EDITION}）")
        p.add_argument("--quiet", action="store_true", help="不显示进度（输出重定向或 --json 时本来就不显示）")
        if only is not None and command != only:
            continue
        module = importlib.import_module(module_name if "." in module_name else f"xl_awards.jobs.{module_name}")
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def use_utf8_output() -> None:
    """Chinese text on a console whose encoding cannot show it (e.g. a POSIX/C locale): switch to UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf16", "gb18030") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    from xl_awards.base.collections_pause import fewer_collections

    with fewer_collections():  # from the command's imports on (about 20 collector passes otherwise)
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    use_utf8_output()  # once for every command (usage errors and --help included)
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=command_in(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or bad usage (2)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    progress.configure(quiet=args.quiet, json_output=bool(getattr(args, "json", False)))
    try:
        return int(args.func(args))
    except (InputError, UsageError, EditionError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

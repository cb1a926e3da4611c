"""``xl-awards excel-setup``: the per-machine set-up of the workbook buttons that xlwings can script.

The buttons of the ``.xlsm`` workbooks call Python through the xlwings add-in (``RunPython``,
BSD-3 open source).  On a Windows or macOS machine with Microsoft Excel this command:

1. installs the add-in: ``python -m xlwings addin install`` (copies ``xlwings.xlam`` into
   Excel's start-up folder, ``XLSTART``);
2. points the add-in at this Python (the one that has xl_awards installed): the
   ``INTERPRETER_WIN`` / ``INTERPRETER_MAC`` line of xlwings' user config file
   ``~/.xlwings/xlwings.conf`` (other lines of that file are kept);

then prints what is left by hand (Excel's macro trust settings).  Without Excel (Linux, or no
Excel folder in the user profile) it says so in one line and exits 2, changing nothing.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Callable

from xl_awards.base.errors import UsageError

NO_EXCEL = "本机没有 Microsoft Excel（{where}）：按钮只能在装有 Excel 的 Windows 或 macOS 电脑上使用，本机请直接用命令行。"
NO_XLWINGS = "未安装 xlwings：请先运行 pip install \"xl_awards[excel]\"，再运行 xl-awards excel-setup。"
ADDIN_FAILED = "安装 xlwings 加载项失败：{detail}"
CONFIG_LINE = '"{key}","{value}"'
DONE = [
    "已完成：",
    "  1. 安装 xlwings 加载项（重新打开 Excel 后生效，功能区出现“xlwings”选项卡）；",
    "  2. 按钮使用的 Python：{python}（写入 {config}）。",
    "还需在 Excel 中手工设置（每台电脑一次）：",
    "  3. “文件 ▸ 选项 ▸ 信任中心 ▸ 信任中心设置 ▸ 宏设置”：选“禁用所有宏，并发出通知”；打开工作簿时点“启用内容”。",
    "     或在“信任中心设置 ▸ 受信任位置 ▸ 添加新位置”中加入存放评选工作簿的文件夹。",
    "  4. 从邮件或网上下载的 .xlsm：在文件上右键“属性”，勾选“解除锁定”后再打开，否则 Excel 会阻止其中的宏。",
    "  5. 重新打开 Excel，打开带按钮的 .xlsm 工作簿，点击按钮即可。",
]

Runner = Callable[[list[str]], subprocess.CompletedProcess]


def add_arguments(parser) -> None:
    parser.add_argument("--python", metavar="PATH", help="按钮使用的 Python（默认：运行本命令的 Python）")


def excel_folder(system: str, home: Path, env: dict[str, str]) -> Path | None:
    """Where Excel keeps its user files on this system (None: not Windows/macOS, or Excel absent)."""
    if system == "Windows":
        appdata = env.get("APPDATA")
        folder = Path(appdata) / "Microsoft" / "Excel" if appdata else None
    elif system == "Darwin":
        folder = home / "Library" / "Containers" / "com.microsoft.Excel"
    else:
        return None
    return folder if folder is not None and folder.is_dir() else None


def config_key(system: str) -> str:
    return "INTERPRETER_WIN" if system == "Windows" else "INTERPRETER_MAC"


def set_interpreter(config: Path, key: str, python: str) -> None:
    """Set ``key`` in xlwings' config file (one ``"KEY","value"`` pair per line), keeping the other lines."""
    lines = config.read_text(encoding="utf-8").splitlines() if config.is_file() else []
    lines = [ln for ln in lines if not ln.strip().upper().startswith(f'"{key}"')]
    lines.append(CONFIG_LINE.format(key=key, value=python))
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def excel_setup(system: str, home: Path, env: dict[str, str], python: str, run: Runner,
                has_xlwings: bool = True) -> list[str]:
    """Do the set-up; returns the lines to print.  ``UsageError`` (one line, nothing changed) when it cannot."""
    if excel_folder(system, home, env) is None:
        where = system if system not in ("Windows", "Darwin") else "未找到 Excel 的用户文件夹"
        raise UsageError(NO_EXCEL.format(where=where))
    if not has_xlwings:
        raise UsageError(NO_XLWINGS)
    done = run([python, "-m", "xlwings", "addin", "install"])
    if done.returncode != 0:
        detail = (done.stderr or done.stdout or "").strip().splitlines()
        raise UsageError(ADDIN_FAILED.format(detail=detail[-1] if detail else f"退出码 {done.returncode}"))
    config = home / ".xlwings" / "xlwings.conf"
    set_interpreter(config, config_key(system), python)
    return [line.format(python=python, config=config) for line in DONE]


def _has_xlwings() -> bool:
    import importlib.util

    return importlib.util.find_spec("xlwings") is not None


def run(args) -> int:
    def runner(cmd: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, capture_output=True, text=True)

    lines = excel_setup(platform.system(), Path.home(), dict(os.environ), args.python or sys.executable, runner,
                        has_xlwings=_has_xlwings())
    for line in lines:
        print(line)
    return 0

"""``xl-awards corrections --hub HUB --out DIR``: one 补正清单 workbook per city from the hub's 申报汇总.

Reads the hub (never writes it), lists every recorded problem of each city's applications
(``xl_awards.hub.corrections``) and writes one workbook per city into DIR (an existing file is
kept: the new one takes the next free name, and the summary says so).  Prints one line per city
and the next step.  Exit 0; 2 for an unreadable hub (one line, nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from xl_awards.edition import load_edition
from xl_awards.hub.corrections import applicant_count, corrections_by_city

TITLE = "{title}——{city}申报补正清单（省枢纽平台 {date} 生成）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿（只读取“申报汇总”，不写入）")
    parser.add_argument("--out", required=True, metavar="DIR", help="补正清单的输出文件夹（已有的文件不会被覆盖）")


def write_corrections(hub_path: str | Path, out_dir: str | Path, edition=None, today: dt.date | None = None):
    """Write the lists; returns [(city, path, applicants, problems, existed)] in city order."""
    from xl_awards.io.corrections_book import file_name_for, write_corrections_book
    from xl_awards.io.hub import read_hub

    edition = edition or load_edition()
    hub = read_hub(hub_path, edition)
    when = (today or dt.date.today()).isoformat()
    written = []
    for city, lines in corrections_by_city(hub.register, hub.edition).items():
        wanted = Path(out_dir) / file_name_for(city)
        existed = wanted.exists()
        path = write_corrections_book(out_dir, city, TITLE.format(title=hub.edition.title, city=city, date=when), lines)
        written.append((city, path, applicant_count(lines), len(lines), existed))
    return written


def run(args: argparse.Namespace) -> int:
    from xl_awards.base.messages import NEXT_STEPS
    from xl_awards.jobs.next_steps import shell_arg

    edition = load_edition(args.edition)
    written = write_corrections(args.hub, args.out, edition)
    if not written:
        print("申报汇总中没有需要补正的申报，未生成补正清单")
        return 0
    print(f"已生成 {len(written)} 份补正清单：")
    for city, path, applicants, problems, existed in written:
        note = f"（同名文件已存在，未覆盖，另存为 {path.name}）" if existed else ""
        print(f"  {city}：{applicants} 个申报、{problems} 个问题 -> {path}{note}")
    print(NEXT_STEPS["corrections_ok"].format(out=shell_arg(args.out), hub=shell_arg(args.hub)))
    return 0

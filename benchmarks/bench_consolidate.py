"""Benchmark (a script, not a test): `consolidate_files` on the whole province against the bare
python-calamine read of the same files.

    python benchmarks/bench_consolidate.py [--rows 50] [--repeat 3] [--keep DIR] [--source-only]

Writes 136 intake workbooks (each of the 14 市州 and 122 县市区: ``sample_province_workbooks``),
each with ROWS applications (1 服务之星, the rest shared out over 优秀服务机构 / 优秀服务专家 /
创新服务产品) and their service-recipient rows, and an empty hub workbook.  Then times, best of N:

- the bare read: every sheet of every file with python-calamine (``to_python``), nothing else;
- consolidate: lock check, hub read, every file read and hashed, every intake check, the hub
  checks, numbering, and the hub rewritten (openpyxl, backup, atomic write) — on a fresh copy
  of the empty hub each time.

Prints both times (wall and CPU), each pair run alternately so that a busy machine slows both alike,
and their ratios, in one process and process to process (``xl-awards consolidate --json --hub HUB
FILE...`` against a fresh Python process that only reads the same files with python-calamine; the
package's modules compiled first, as an installed package has them, unless ``--source-only``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

from benchtiming import BARE_READ_SCRIPT, best_pair, prepare_bytecode, print_pair, timed, timed_process

from xl_awards.edition import load_edition
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.jobs.consolidate import consolidate_files
from xl_awards.demo.sample import sample_province_workbooks
from xl_awards.schema.intake import META_SHEET, build_intake_schema


def write_workbook(path: Path, edition, city: str, rows: dict[str, list[dict]]) -> None:
    """Title row, header row, data rows in schema order, a hidden _参数 with the city (as the template does)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for schema in build_intake_schema(edition):
        ws = wb.add_worksheet(schema.name)
        ws.write_string(0, 0, f"{edition.year}年度“{schema.name}”申报表")
        for c, f in enumerate(schema.fields):
            ws.write_string(1, c, f.header)
        for r, row in enumerate(rows.get(schema.name, []), start=2):
            for c, f in enumerate(schema.fields):
                value = row.get(f.key)
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    meta = wb.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate([("工作簿类型", "市州申报工作簿"), ("市州", city), ("评选年度", edition.year), ("模板版本", 1)]):
        meta.write(r, 0, k)
        meta.write(r, 1, v)
    meta.hide()
    wb.close()


def bare_read(paths: list[Path]) -> int:
    cells = 0
    for path in paths:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
        wb.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50, help="applications per workbook (default 50)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    parser.add_argument("--source-only", action="store_true",
                        help="time processes that compile the package's modules from source (no bytecode)")
    args = parser.parse_args()
    edition = load_edition()
    rest = args.rows - 1
    counts = {"star": 1, "institution": rest - 2 * (rest // 3), "expert": rest // 3, "product": rest // 3}
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_consolidate_"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    paths = []
    applications = recipients = 0
    for city, county, rows in sample_province_workbooks(edition, seed=0, counts=counts):
        path = folder / f"{city}_{county or '市本级'}.xlsx"
        write_workbook(path, edition, city, rows)
        paths.append(path)
        applications += sum(len(v) for k, v in rows.items() if k != "服务对象情况")
        recipients += len(rows["服务对象情况"])
    empty_hub = write_hub_workbook(edition, folder / "hub")
    print(f"{len(paths)} workbooks, {applications} applications ({counts}), {recipients} recipient rows; "
          f"written in {time.perf_counter() - start:.1f} s")

    cells = bare_read(paths)
    work = folder / "work"
    work.mkdir(exist_ok=True)
    hub = work / empty_hub.name
    result_box = {}

    def run() -> None:
        for old in work.iterdir():
            old.unlink()
        shutil.copy2(empty_hub, hub)
        result_box["result"], _ = consolidate_files(hub, paths, edition)

    floor, whole = best_pair(args.repeat, lambda: timed(lambda: bare_read(paths)), lambda: timed(run))
    result = result_box["result"]
    errors = sum(f.is_error for f in result.findings)

    exe = str(Path(sys.executable).with_name("xl-awards"))
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    bytecode = prepare_bytecode(args.source_only)

    def run_process() -> tuple[float, float]:
        for old in work.iterdir():
            old.unlink()
        shutil.copy2(empty_hub, hub)
        return timed_process([exe, "consolidate", "--json", "--hub", str(hub), *map(str, paths)])

    floor_process, whole_process = best_pair(
        args.repeat, lambda: timed_process([sys.executable, "-c", BARE_READ_SCRIPT, *map(str, paths)]), run_process)
    print(f"{cells} cells; {len(result.register)} register rows, {len(result.findings)} findings, {errors} errors; "
          f"best of {args.repeat}, run alternately")
    print_pair("in one process (consolidate_files):", "consolidate", floor, whole)
    print_pair(f"process to process (xl-awards consolidate --json; {bytecode}):", "consolidate", floor_process,
               whole_process)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

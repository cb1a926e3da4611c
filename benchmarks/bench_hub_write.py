"""Benchmark (a script, not a test): one rewrite of a large hub, part-level writer against openpyxl.

    python benchmarks/bench_hub_write.py [--scale 10] [--macros] [--path parts|openpyxl|floor|all]

Builds a hub workbook (the .xlsx template, or the .xlsm with --macros) whose 申报汇总 holds
500 x SCALE applications and whose 评分明细 holds 6,000 x SCALE score rows (10x: 60,000 rows, the
size of a province at ten times the demo), then times, each in a fresh process (CPU time,
user + sys, and peak resident memory from ``resource.getrusage``):

- floor: python-calamine reading every sheet of the hub (``to_python``), nothing else;
- parts: the rewrite a collection makes (评分明细 replaced with one row more, a 操作日志 row
  appended) through ``save_hub`` with the part-level writer;
- openpyxl: the same rewrite through the whole-workbook openpyxl load and save.

- rank-parts: a ranking-like rewrite (a new sheet of 1,000 rows written with openpyxl, a log row)
  through ``HubUpdate.edit``: openpyxl on the hub with its large sheets cut;
- rank-openpyxl: the same through the whole-workbook openpyxl load and save.

Prints a table: seconds, ratio to the floor, peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(folder: Path, scale: int, macros: bool) -> Path:
    from xl_awards.edition import load_edition
    from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
    from xl_awards.io.hub_template import write_hub_workbook
    from xl_awards.schema import hub as H
    from xl_awards.schema.review import DETAIL_SCHEMA

    edition = load_edition(2021)
    path = write_hub_workbook(edition, folder, macros=macros)
    register = [{"app_id": f"JG-{i:05d}", "award": "优秀服务机构", "name": f"湖南示例服务机构{i}有限公司",
                 "city": "长沙市", "status": "待评审", "source_file": "2021年度申报工作簿_长沙市.xlsx",
                 "source_sha256": "ab" * 32, "source_sheet": "优秀服务机构", "source_row": i + 3,
                 "imported_at": "2022-09-21 10:00:00"} for i in range(500 * scale)]
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, hub_sheet_schema(edition, H.REGISTER_SHEET), register)
    replace_sheet_rows(wb, DETAIL_SCHEMA, detail_rows(6000 * scale))
    save_hub(wb, path, make_backup=False)
    return path


def detail_rows(n: int) -> list[dict]:
    return [{"expert_id": f"ZJ{i % 200:03d}", "expert_name": "王建华", "app_id": f"JG-{i // 6:05d}",
             "award": "优秀服务机构", "name": f"湖南示例服务机构{i // 6}有限公司", "item": f"评分项{i % 6}",
             "score": 10 + (i % 7) * 1.5, "recused": "否", "source_file": f"专家评分_ZJ{i % 200:03d}.xlsx",
             "source_sha256": "cd" * 32, "imported_at": "2022-09-30 10:00:00"} for i in range(n)]


def run_one(path: Path, how: str, rows: int) -> None:
    """In this process: one rewrite (or the floor read) of ``path``; prints JSON with times and memory."""
    start = time.process_time()
    if how == "floor":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    else:
        from xl_awards.edition import load_edition
        from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, save_hub
        from xl_awards.io.hub import replace_sheet_rows
        from xl_awards.schema import hub as H
        from xl_awards.schema.review import DETAIL_SCHEMA

        edition = load_edition(2021)
        new = detail_rows(rows + 1)
        start = time.process_time()  # the rows are the job's; the rewrite is what is timed
        wb = load_hub_for_update(path)
        if how == "openpyxl":
            wb.workbook  # noqa: B018 - loads the whole workbook: the openpyxl path
        if how.startswith("rank"):  # a ranking-like rewrite: a sheet written with openpyxl, a log row
            def ranking_like(book):
                ws = book.create_sheet("排名示例")
                for r in range(1, 1001):
                    ws.cell(row=r, column=1, value=f"JG-{r:05d}")
                    ws.cell(row=r, column=2, value=r * 0.5)

            if how == "rank-openpyxl":
                ranking_like(wb.workbook)
            else:
                wb.edit(ranking_like, keep=(H.SETTINGS_SHEET,))
        else:
            replace_sheet_rows(wb, DETAIL_SCHEMA, new)
        append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET),
                          [{"time": "2022-10-01 10:00:00", "user": "bench", "action": "收回评分", "count": 1}])
        save_hub(wb, path, make_backup=False)
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    print(json.dumps({"cpu": cpu, "peak_mib": peak}))


def measure(path: Path, how: str, rows: int) -> dict:
    work = path.with_name(f"{how}{path.suffix}")
    shutil.copy(path, work)
    out = subprocess.run([sys.executable, __file__, "--one", how, "--file", str(work), "--rows", str(rows)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--macros", action="store_true")
    parser.add_argument("--path", default="all", choices=["all", "parts", "openpyxl", "floor", "rank-parts", "rank-openpyxl"])
    parser.add_argument("--one")
    parser.add_argument("--file")
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args()
    if args.one:
        run_one(Path(args.file), args.one, args.rows)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        hub = build(Path(tmp), args.scale, args.macros)
        print(f"hub: {hub.stat().st_size / 2**20:.1f} MiB, {6000 * args.scale} rows of 评分明细, "
              f"{500 * args.scale} of 申报汇总 (built in {time.perf_counter() - t0:.0f} s)")
        ways = ["floor", "parts", "openpyxl", "rank-parts", "rank-openpyxl"] if args.path == "all" else [args.path]
        results = {how: measure(hub, how, 6000 * args.scale) for how in ways}
    floor = results.get("floor", {}).get("cpu")
    print(f"{'path':<14}{'CPU s':>10}{'x floor':>10}{'peak MiB':>10}")
    for how, r in results.items():
        ratio = f"{r['cpu'] / floor:.1f}" if floor else "-"
        print(f"{how:<14}{r['cpu']:>10.2f}{ratio:>10}{r['peak_mib']:>10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark (a script, not a test): every step of a whole province at 1x, 10x and 100x, each step
a fresh ``xl-awards`` process timed against its floor, with peak memory.

    python benchmarks/bench_province.py [--scales 1,10,100] [--repeat 1] [--keep DIR]

A province at scale S: the 14 city workbooks with 50 x S applications each (as many 服务之星 as the
city has window platforms, up to S; the rest shared out over 优秀服务机构 / 优秀服务专家 / 创新服务产品),
their service-recipient rows, and a hub with the sample lists and max(17, 2 x S) experts who review
every award: whole panels up to 10x; from 100x (70,000 applications, 200 experts) 设置 每项申报评审专家数
is 5, as a province of that size would set it (``--experts-per-application`` to choose).  Then, each as
its own process (``--json``: no progress output):

| step | floor (a fresh process that only reads the same files with python-calamine) |
|---|---|
| build | XlsxWriter writing the same number of workbooks with one cell each |
| validate (the 14 city workbooks) | the city workbooks |
| consolidate (into the empty hub) | the city workbooks and the hub |
| expert-sheets | the hub |
| collect (every returned workbook, scores filled in beforehand, not timed) | the returned workbooks and the hub |
| rank | the hub |
| publicity --no-pdf | the hub |

Prints one Markdown table (time, floor, ratio, peak resident memory of the step's process) and the
cost per application at each scale, so that linear growth can be read off.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_consolidate import write_workbook  # noqa: E402
from benchtiming import prepare_bytecode  # noqa: E402

from xl_awards.demo.sample import sample_intake_rows  # noqa: E402
from xl_awards.demo.sample_hub import sample_hub_rows  # noqa: E402
from xl_awards.edition import load_edition  # noqa: E402
from xl_awards.io.expert_book import fill_sample_scores  # noqa: E402
from xl_awards.io.hub_template import write_hub_workbook  # noqa: E402
from xl_awards.schema import hub as H  # noqa: E402

EXE = str(Path(sys.executable).with_name("xl-awards"))
READ_FLOOR = """
import sys
from python_calamine import CalamineWorkbook
cells = 0
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python())
print(cells)
"""
WRITE_FLOOR = """
import sys, xlsxwriter
for i in range(int(sys.argv[2])):
    wb = xlsxwriter.Workbook(f"{sys.argv[1]}/floor_{i}.xlsx")
    wb.add_worksheet().write(0, 0, "x")
    wb.close()
"""


def run(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak resident MiB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])}... exited {proc.returncode}: {err[-500:]}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def best(cmd: list[str], repeat: int, before=None) -> tuple[float, float]:
    times, peak = [], 0.0
    for _ in range(repeat):
        if before:
            before()
        seconds, mib, _ = run(cmd)
        times.append(seconds)
        peak = max(peak, mib)
    return min(times), peak


def floor_read(paths: list[Path]) -> list[str]:
    return [sys.executable, "-c", READ_FLOOR, *map(str, paths)]


def experts(edition, count: int) -> list[dict]:
    rows = sample_hub_rows(edition)[H.EXPERTS_SHEET]
    awards = "、".join(edition.award_name(k) for k in ("star", "institution", "expert", "product"))
    out = [dict(r, review_awards=awards) for r in rows]
    fields = ["管理咨询", "财税", "技术创新", "融资服务", "法律", "检验检测"]
    for i in range(len(out), count):
        out.append({"expert_id": f"ZJB{i:03d}", "name": f"评审专家{i:03d}", "employer": f"湖南示例咨询第{i:03d}有限公司",
                    "city": "长沙市", "field": fields[i % len(fields)], "review_awards": awards})
    return out


def set_experts_per_application(hub: Path, count: int) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(hub)
    ws = wb["设置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "scoring.experts_per_application")
    ws.cell(row=row, column=3).value = count
    wb.save(hub)


def province(edition, scale: int, folder: Path, per_application: int | None) -> tuple[list[Path], Path, int]:
    cities = folder / "cities"
    cities.mkdir(parents=True)
    paths, applications = [], 0
    for city in edition.divisions.city_names:
        stars = min(scale, 1 + len(edition.divisions.counties(city)))
        rest = 50 * scale - stars
        counts = {"star": stars, "institution": rest - 2 * (rest // 3), "expert": rest // 3, "product": rest // 3}
        rows = sample_intake_rows(edition, city, seed=scale, counts=counts)
        path = cities / f"{city}.xlsx"
        write_workbook(path, edition, city, rows)
        paths.append(path)
        applications += sum(len(v) for k, v in rows.items() if k != "服务对象情况")
    sample = sample_hub_rows(edition)
    sample[H.EXPERTS_SHEET] = experts(edition, max(17, 2 * scale))
    hub = write_hub_workbook(edition, folder / "hub_empty", sample=sample)
    if per_application:
        set_experts_per_application(hub, per_application)
    return paths, hub, applications


def note(scale: int, rows: list[tuple]) -> None:
    step, t, f, m = rows[-1]
    print(f"[{scale}x] {step}: {t:.2f} s, floor {f:.2f} s, {t / f:.1f}x, {m:.0f} MiB", file=sys.stderr, flush=True)


def bench_scale(edition, scale: int, repeat: int, folder: Path, per_application: int | None) -> list[tuple]:
    made = time.perf_counter()
    paths, empty_hub, applications = province(edition, scale, folder, per_application)
    print(f"[{scale}x] {len(paths)} city workbooks, {applications} applications, "
          f"{per_application or 'all'} experts per application, generated in "
          f"{time.perf_counter() - made:.1f} s", file=sys.stderr)
    hub = folder / "work" / empty_hub.name
    rows = []

    def fresh_hub() -> None:
        shutil.rmtree(hub.parent, ignore_errors=True)
        hub.parent.mkdir(parents=True)
        shutil.copy2(empty_hub, hub)

    built = folder / "built"

    def fresh_build() -> None:
        shutil.rmtree(built, ignore_errors=True)

    t, m = best([EXE, "build", "--out", str(built)], repeat, fresh_build)
    n_built = len(list(built.glob("*.xls[xm]")))
    floor_dir = folder / "floor_build"
    floor_dir.mkdir()
    f, _ = best([sys.executable, "-c", WRITE_FLOOR, str(floor_dir), str(n_built)], repeat)
    rows.append(("build", t, f, m))
    note(scale, rows)
    t, m = best([EXE, "validate", "--json", *map(str, paths)], repeat)
    f, _ = best(floor_read(paths), repeat)
    rows.append(("validate", t, f, m))
    note(scale, rows)
    t, m = best([EXE, "consolidate", "--json", "--hub", str(hub), *map(str, paths)], repeat, fresh_hub)
    f, _ = best(floor_read([*paths, empty_hub]), repeat)
    rows.append(("consolidate", t, f, m))
    note(scale, rows)
    consolidated = folder / "consolidated.xlsx"
    shutil.copy2(hub, consolidated)
    issued = folder / "issued"

    def fresh_issue() -> None:
        shutil.rmtree(issued, ignore_errors=True)
        for key in hub.parent.glob("*.key"):
            key.unlink()
        shutil.copy2(consolidated, hub)

    t, m = best([EXE, "expert-sheets", "--json", "--hub", str(hub), "--out", str(issued)], repeat, fresh_issue)
    f, _ = best(floor_read([consolidated]), repeat)
    rows.append(("expert-sheets", t, f, m))
    note(scale, rows)
    issued_hub = folder / "issued_hub.xlsx"
    shutil.copy2(hub, issued_hub)
    back = folder / "returned"
    from concurrent.futures import ProcessPoolExecutor

    made = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:  # not timed: the experts' work
        returned = list(pool.map(fill_sample_scores, *zip(*[(p, back / p.name) for p in sorted(issued.glob("*.xlsx"))])))
    print(f"[{scale}x] {len(returned)} returned workbooks filled in {time.perf_counter() - made:.1f} s", file=sys.stderr)
    t, m = best([EXE, "collect", "--json", "--hub", str(hub), *map(str, returned)], repeat,
                lambda: shutil.copy2(issued_hub, hub))
    f, _ = best(floor_read([*returned, issued_hub]), repeat)
    rows.append(("collect", t, f, m))
    note(scale, rows)
    t, m = best([EXE, "rank", "--json", "--hub", str(hub)], repeat)
    f, _ = best(floor_read([hub]), repeat)
    rows.append(("rank", t, f, m))
    note(scale, rows)
    start = edition.date("publicity_start_planned").isoformat()
    t, m = best([EXE, "publicity", "--hub", str(hub), "--start", start, "--no-pdf", "--out", str(folder / "pub")], repeat)
    f, _ = best(floor_read([hub]), repeat)
    rows.append(("publicity", t, f, m))
    note(scale, rows)
    return [(scale, applications, *r) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales (default 1,10,100)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step, best taken (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    parser.add_argument("--experts-per-application", type=int, metavar="N",
                        help="设置 每项申报评审专家数 at every scale (default: whole panels up to 10x, 5 from 100x)")
    parser.add_argument("--source-only", action="store_true",
                        help="time processes that compile the package from source (see benchtiming.prepare_bytecode)")
    args = parser.parse_args()
    print(prepare_bytecode(args.source_only), file=sys.stderr)
    edition = load_edition()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_province_"))
    results = []
    try:
        for scale in (int(s) for s in args.scales.split(",")):
            folder = root / f"{scale}x"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            per_application = args.experts_per_application or (5 if scale >= 100 else None)
            results += bench_scale(edition, scale, args.repeat, folder, per_application)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print("| scale | applications | step | time (s) | floor (s) | ratio | peak memory (MiB) | ms per application |")
    print("|---|---|---|---|---|---|---|---|")
    for scale, apps, step, t, f, m in results:
        print(f"| {scale}x | {apps:,} | {step} | {t:.2f} | {f:.2f} | {t / f:.1f} | {m:.0f} | {1000 * t / apps:.2f} |")


if __name__ == "__main__":
    main()

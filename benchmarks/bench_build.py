"""Benchmark (a script, not a test): ``build`` against its floor, and ``expert-sheets`` at growing scales.

    python benchmarks/bench_build.py [--scales 1,10] [--repeat 3] [--keep DIR]

- build: ``xl-awards build --out DIR`` (every template, .xlsx and .xlsm) as a fresh process, against a
  fresh process in which XlsxWriter writes the same number of workbooks with one cell each; best of
  ``--repeat`` runs, the ratio of the two in the same run, and the CPU time (user + system) of each.
- expert-sheets at each scale S (the province of ``bench_province.py``: 50 x S applications per city,
  max(17, 2 x S) experts reviewing every award, consolidated first, not timed): time, CPU time, peak
  resident memory, and the cost per (application x expert) pair assigned, so that linear growth can
  be read off.

Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_province import EXE, WRITE_FLOOR, province  # noqa: E402

from xl_awards.edition import load_edition  # noqa: E402


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak resident MiB, standard output) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])}... exited {code}: {proc.stderr.read().decode()[-800:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode("utf-8", "replace")


def best(cmd: list[str], repeat: int, before=None) -> tuple[float, float, float, str]:
    results = []
    for _ in range(repeat):
        if before:
            before()
        results.append(run(cmd))
    return min(results, key=lambda r: r[0])


def bench_build(folder: Path, repeat: int) -> None:
    built = folder / "built"
    t, cpu, mib, _ = best([EXE, "build", "--out", str(built)], repeat, lambda: shutil.rmtree(built, ignore_errors=True))
    count = len(list(built.glob("*.xls[xm]")))
    floor = folder / "floor"

    def fresh_floor() -> None:
        shutil.rmtree(floor, ignore_errors=True)
        floor.mkdir()

    ft, fcpu, _, _ = best([sys.executable, "-c", WRITE_FLOOR, str(floor), str(count)], repeat, fresh_floor)
    print(f"\n| build ({count} workbooks) | time s | CPU s | peak MiB |\n|---|---|---|---|")
    print(f"| xl-awards build | {t:.2f} | {cpu:.2f} | {mib:.0f} |")
    print(f"| floor: {count} one-cell workbooks | {ft:.2f} | {fcpu:.2f} | |")
    print(f"| ratio | {t / ft:.1f}x | {cpu / fcpu:.1f}x | |")


def bench_expert_sheets(edition, scales: list[int], repeat: int, root: Path) -> None:
    rows = []
    for scale in scales:
        folder = root / f"{scale}x"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        paths, empty_hub, applications = province(edition, scale, folder)
        hub = folder / "work" / empty_hub.name
        hub.parent.mkdir()
        shutil.copy2(empty_hub, hub)
        run([EXE, "consolidate", "--json", "--hub", str(hub), *map(str, paths)])
        consolidated = folder / "consolidated.xlsx"
        shutil.copy2(hub, consolidated)
        issued = folder / "issued"

        def fresh() -> None:
            shutil.rmtree(issued, ignore_errors=True)
            for key in hub.parent.glob("*.key"):
                key.unlink()
            shutil.copy2(consolidated, hub)

        t, cpu, mib, out = best([EXE, "expert-sheets", "--json", "--hub", str(hub), "--out", str(issued)], repeat, fresh)
        data = json.loads(out)
        pairs = sum(len(v) for v in data["assignment"].values())
        rows.append((scale, applications, len(data["files"]), pairs, t, cpu, mib))
        print(f"[{scale}x] done", file=sys.stderr)
    print("\n| scale | applications | expert workbooks | pairs | time s | CPU s | peak MiB | CPU µs per pair |")
    print("|---|---|---|---|---|---|---|---|")
    for scale, apps, files, pairs, t, cpu, mib in rows:
        print(f"| {scale}x | {apps} | {files} | {pairs} | {t:.2f} | {cpu:.2f} | {mib:.0f} | {cpu / pairs * 1e6:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="expert-sheets scales, comma-separated (default 1,10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step, best taken (default 3)")
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_build_"))
    try:
        if not args.skip_build:
            bench_build(root, args.repeat)
        scales = [int(s) for s in args.scales.split(",") if s]
        if scales:
            bench_expert_sheets(load_edition(), scales, max(1, args.repeat // 3), root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

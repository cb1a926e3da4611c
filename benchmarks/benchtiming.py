"""Timing helpers of the benchmark scripts: best of N, a step and its floor run alternately (a busy
machine slows both alike), wall and CPU time, in one process or process to process."""

from __future__ import annotations

import compileall
import resource
import shutil
import subprocess
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xl_awards"

# A fresh Python process that only reads the files named on its command line with python-calamine.
BARE_READ_SCRIPT = """import sys, python_calamine
for p in sys.argv[1:]:
    wb = python_calamine.CalamineWorkbook.from_path(p)
    for n in wb.sheet_names:
        wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
    wb.close()
"""


def timed(func) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def timed_process(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU of the child) seconds of one process; its output is discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_pair(repeat: int, floor, work) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) of ``floor()`` and of ``work()``, run alternately ``repeat`` times each."""
    floors, works = [], []
    for _ in range(repeat):
        floors.append(floor())
        works.append(work())

    def best(runs):
        return min(w for w, _ in runs), min(c for _, c in runs)

    return best(floors), best(works)


def print_pair(label: str, name: str, floor: tuple[float, float], work: tuple[float, float]) -> None:
    print(label)
    print(f"  python-calamine bare read: {floor[0]:8.3f} s wall  {floor[1]:8.3f} s CPU")
    print(f"  {name + ':':25s}  {work[0]:8.3f} s wall  {work[1]:8.3f} s CPU")
    print(f"  ratio {name} / read: {'':{max(0, 11 - len(name))}}{work[0] / floor[0]:6.1f}x wall    "
          f"{work[1] / max(floor[1], 1e-9):6.1f}x CPU")


def prepare_bytecode(source_only: bool) -> str:
    """Put the package's bytecode in the state a run is timed in, and say which.

    An installed package has its modules compiled (pip compiles them at install; a first run writes
    them when bytecode may be written).  With ``PYTHONDONTWRITEBYTECODE`` set and no compiled files,
    every ``xl-awards`` process compiles each module it imports from source (about 30 ms for
    ``validate``), which the bare-read process, importing only compiled library modules, never does.
    Default: compile the package's modules into their ``__pycache__`` folders first, as installing
    does.  ``source_only``: remove those folders, so that every process compiles from source.
    """
    if source_only:
        for folder in PACKAGE.rglob("__pycache__"):
            shutil.rmtree(folder, ignore_errors=True)
        return "bytecode: none (every process compiles the package's modules from source)"
    compileall.compile_dir(str(PACKAGE), quiet=1)
    return "bytecode: the package's modules compiled before timing (as an installed package has them)"

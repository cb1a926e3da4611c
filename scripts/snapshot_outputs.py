"""Snapshot of everything the demo province produces, to compare two versions of the code.

Runs the demo into a fresh folder, then ``validate --json`` on the city workbooks and
``rank --json`` on the hub, and records every written workbook's cell values (python-calamine),
with the values that change from run to run (times, the user's name, backup names, signatures)
replaced by a placeholder.  Two snapshots of the same behaviour are equal:

    python scripts/snapshot_outputs.py before.json
    ... change the code ...
    python scripts/snapshot_outputs.py after.json && cmp before.json after.json
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from python_calamine import CalamineWorkbook

VOLATILE = [
    re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?"),  # timestamps
    re.compile(r"备份-[0-9T:\-]+"),
    re.compile(r"[0-9a-f]{64}"),  # hashes and signatures
]


def scrub(value):
    if isinstance(value, str):
        for pattern in VOLATILE:
            value = pattern.sub("<volatile>", value)
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)


def book_cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        out[name] = [[scrub(v) for v in row] for row in rows]
    return out


def run(cmd: list[str]) -> tuple[int, object]:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = proc.stdout
    return proc.returncode, json.loads(json.dumps(data, ensure_ascii=False), object_hook=None)


def main(target: str) -> int:
    exe = str(Path(sys.executable).with_name("xl-awards"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        subprocess.run([exe, "demo", "--out", str(out)], check=True, capture_output=True)
        cities = sorted(str(p) for p in (out / "市州申报").glob("*.xlsx"))
        hub = next((out / "省枢纽平台").glob("*省枢纽平台工作簿.xls[xm]"))
        snapshot = {
            "validate": run([exe, "validate", "--json", *cities]),
            "rank": run([exe, "rank", "--json", "--hub", str(hub)]),
            "books": {},
        }
        for path in sorted(out.rglob("*.xls[xm]")):
            if "备份" in path.name:
                continue
            snapshot["books"][str(path.relative_to(out))] = book_cells(path)
        text = json.dumps(snapshot, ensure_ascii=False, indent=0, sort_keys=True, default=str)
        text = text.replace(tmp, "<tmp>")
        Path(target).write_text(text, encoding="utf-8")
    print(f"{target}: {len(snapshot['books'])} workbooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

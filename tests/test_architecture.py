"""The core never imports the file or Excel libraries (DESIGN.md: a pure core, thin edges)."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xl_awards"
# The edges: file I/O (io/), the commands (jobs/, cli), the Excel buttons (excel/).
EDGES = {"io", "jobs", "excel", "demo", "cli", "__main__"}


def core_modules() -> list[str]:
    """Every module of the package outside the edges: a new core module is probed without being listed."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in EDGES:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("xl_awards", *parts)))
    return names


BLOCKED = ["openpyxl", "xlsxwriter", "python_calamine", "xlwings"]

PROBE = """
import sys, importlib
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {blocked!r}:
            raise ImportError('core imported ' + name)
        return None
sys.meta_path.insert(0, Block())
for name in {modules!r}:
    importlib.import_module(name)
print('ok')
"""


def test_core_imports_no_file_or_excel_library():
    modules = core_modules()
    # the probe really covers the core: the modules DESIGN.md names as core are all in it
    assert {"xl_awards.base.normalize", "xl_awards.intake.cells", "xl_awards.scoring.aggregation", "xl_awards.hub.scoring_inputs",
            "xl_awards.review", "xl_awards.publicity"} <= set(modules)
    assert not any(m.startswith(("xl_awards.io", "xl_awards.jobs", "xl_awards.excel")) for m in modules)
    code = PROBE.format(blocked=BLOCKED, modules=modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_probe_catches_a_blocked_import():
    code = PROBE.format(blocked=BLOCKED, modules=["openpyxl"])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "core imported openpyxl" in result.stderr

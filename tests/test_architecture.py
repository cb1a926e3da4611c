"""The core never imports the file or Excel libraries (DESIGN.md: a pure core, thin edges)."""

import importlib.util
import subprocess
import sys

CORE_MODULES = [
    "xl_awards.edition",
    "xl_awards.schema",
    "xl_awards.schema.intake",
    "xl_awards.schema.hub",
    "xl_awards.schema.review",
    "xl_awards.intake_book",
    "xl_awards.hub_book",
    "xl_awards.normalize",
    "xl_awards.findings",
    "xl_awards.findings_sheet",
    "xl_awards.messages",
    "xl_awards.checks.cells",
    "xl_awards.checks.ids",
    "xl_awards.checks.eligibility",
    "xl_awards.checks.recipients",
    "xl_awards.checks.cross",
    "xl_awards.validation",
    "xl_awards.scoring",
    "xl_awards.settings",
    "xl_awards.sample",
    "xl_awards.sample_hub",
    "xl_awards.consolidation",
    "xl_awards.ranking",
    "xl_awards.ranking_layout",
    "xl_awards.review",
    "xl_awards.publicity",
]
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
    present = [m for m in CORE_MODULES if importlib.util.find_spec(m.rsplit(".", 1)[0]) and _exists(m)]
    assert "xl_awards.normalize" in present  # the probe really covers the core
    code = PROBE.format(blocked=BLOCKED, modules=present)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def _exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_probe_catches_a_blocked_import():
    code = PROBE.format(blocked=BLOCKED, modules=["openpyxl"])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "core imported openpyxl" in result.stderr

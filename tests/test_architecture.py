"""The package's layering (DESIGN.md: a pure core, thin edges), checked on every module.

1. Each folder imports only the folders its row of ``ALLOWED`` names (read from the ``import``
   statements of every module with ``ast``, including imports inside functions, and the
   module names given to ``importlib`` as strings).
2. Nothing outside ``demo/`` imports the demo; ``cli.py`` only names ``xl_awards.demo.command``.
3. The core never imports the file or Excel libraries (a subprocess imports every core module
   with those blocked).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xl_awards"
# The edges: file I/O (io/), the commands (jobs/, cli), the Excel buttons (excel/).
EDGES = {"io", "jobs", "excel", "demo", "cli", "__main__"}


CORE = ("base", "edition", "schema", "intake", "hub", "review", "scoring", "sheets", "publicity")
# folder -> the folders of the package it may import (besides itself).  Read a row as: what this
# stage needs from the stages before it.
ALLOWED = {
    "edition": set(),  # the notice as data: the bottom layer
    "base": {"edition"},  # findings, messages, normalisation, tables, addresses
    "schema": {"base", "edition"},  # field lists per sheet
    "intake": {"base", "edition", "schema"},
    "review": {"base", "edition", "schema"},
    "scoring": {"base", "edition"},  # numbers and ranks know no sheet
    "hub": {"base", "edition", "schema", "intake", "review", "scoring"},  # hub rows -> domain inputs
    "sheets": {"base", "edition", "schema", "scoring"},  # written sheets as data
    "publicity": {"base", "edition", "schema", "scoring"},
    "io": set(CORE),  # files: the core only, never jobs, excel or demo
    "jobs": set(CORE) | {"io"},
    "excel": set(CORE) | {"io", "jobs"},
    "demo": set(CORE) | {"io", "jobs", "excel"},  # anything
    "cli": {"base", "edition", "jobs", "__version__"},  # the commands, by name (see below for the demo)
    "__main__": {"cli"},
}
# The one place outside demo/ that may name the demo: the command table of cli.py.
DEMO_ENTRY = ("cli", "xl_awards.demo.command")


def imported_modules(path: Path) -> set[str]:
    """Every ``xl_awards...`` module a file imports (statements anywhere, and module-name strings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "xl_awards":
                found |= {f"xl_awards.{a.name}" for a in node.names}
            elif node.module.startswith("xl_awards."):
                found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.add("<relative import>")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("xl_awards.")}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                node.value.startswith("xl_awards.") and node.value.replace(".", "").replace("_", "").isalnum():
            found.add(node.value)
    return found


def folder_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def layering_violations(package: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts == ("__init__.py",):
            continue
        folder = rel.with_suffix("").parts[0]
        for module in sorted(imported_modules(path)):
            if module == "<relative import>":
                out.append(f"{rel}: relative import")
                continue
            target = module.split(".")[1]
            if target == folder:
                continue
            if target == "demo" and folder != "demo":
                if (folder, module) != DEMO_ENTRY:
                    out.append(f"{rel}: imports {module} (only demo/ and cli.py's demo command may)")
                continue
            if target not in ALLOWED.get(folder, set()):
                out.append(f"{rel}: {folder} may not import {module}")
    return out


def test_every_folder_is_in_the_table():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ALLOWED) - {"cli", "__main__"}


def test_each_folder_imports_only_what_its_row_allows():
    assert layering_violations() == []


def test_each_folder_says_what_lives_there_and_what_it_may_import():
    for folder in set(ALLOWED) - {"cli", "__main__"}:
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8"))) or ""
        opening = doc.split("\n\n")[0].splitlines()
        # two lines: what lives there, then what it may import
        assert len(opening) == 2 and "import" in opening[1] and "import" not in opening[0], (folder, opening)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("module, text, expected", [
    # a core module reaching an edge, at the top or inside a function
    ("scoring/x.py", "from xl_awards.io.hub import read_hub\n", "scoring may not import xl_awards.io.hub"),
    ("base/x.py", "def f():\n    import xl_awards.schema.hub\n", "base may not import xl_awards.schema.hub"),
    # a job or the io layer using the demo, by import or by importlib name
    ("jobs/x.py", "from xl_awards.demo import sample\n", "imports xl_awards.demo (only demo/"),
    ("io/x.py", "import importlib\nimportlib.import_module('xl_awards.demo.steps')\n", "imports xl_awards.demo.steps"),
    ("cli.py", "CMD = 'xl_awards.demo.steps'\n", "imports xl_awards.demo.steps"),
    ("edition/x.py", "from xl_awards.base import messages\n", "edition may not import xl_awards.base"),
])
def test_the_check_catches_a_violation(tmp_path, module, text, expected):
    package = tmp_path / "xl_awards"
    write(package / module, text)
    assert any(expected in v for v in layering_violations(package)), layering_violations(package)


def test_the_demo_entry_and_demo_internals_are_allowed(tmp_path):
    package = tmp_path / "xl_awards"
    write(package / "cli.py", "COMMANDS = {'demo': ('xl_awards.demo.command', '演示')}\n")
    write(package / "demo" / "steps.py", "from xl_awards.jobs import rank\nfrom xl_awards.demo import sample\n")
    assert layering_violations(package) == []


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

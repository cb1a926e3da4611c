"""Shared fixtures."""

import contextlib
import io
import os
from pathlib import Path

import pytest
from filelock import FileLock

from xl_awards.io.libreoffice import LibreOffice, unavailable_reason


@pytest.fixture(autouse=True)
def _no_env_review_key(monkeypatch):
    """The hub's review key comes from the key file beside the hub, never from the tester's environment."""
    monkeypatch.delenv("XL_AWARDS_REVIEW_KEY", raising=False)


@pytest.fixture(scope="session")
def libreoffice():
    """One headless LibreOffice for the whole session (skips with the reason when it cannot run)."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"LibreOffice headless unavailable: {reason}")
    with LibreOffice() as lo:
        yield lo


def _run_folder(tmp_path_factory) -> Path:
    """A folder shared by every worker of this test run (pytest-xdist), or this process's own when alone."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_templates(tmp_path_factory) -> Path:
    """The folder ``xl-awards build --out DIR`` writes (every .xlsx and .xlsm), built once for the whole run.

    Shared by every test and every worker: read it, or copy it (``shutil.copytree``) before changing anything.
    """
    from xl_awards.cli import main

    root = _run_folder(tmp_path_factory)
    out = root / "built-templates" / "模板"
    done = root / "built-templates.done"
    with FileLock(str(root / "built-templates.lock")):
        if not done.exists():
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                code = main(["build", "--out", str(out)])
            assert code == 0, printed.getvalue()
            done.write_text(printed.getvalue(), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def built_templates_printout(built_templates, tmp_path_factory) -> str:
    """What that ``xl-awards build`` printed."""
    return (_run_folder(tmp_path_factory) / "built-templates.done").read_text(encoding="utf-8")

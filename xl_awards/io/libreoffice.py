"""LibreOffice headless as a spreadsheet application: recalculate, inspect, convert.

``soffice`` runs headless with its own throw-away profile (``-env:UserInstallation``)
and listens on a named pipe.  The UNO work is done by a small script executed by
``/usr/bin/python3`` (the only Python that can ``import uno`` on Debian), which
connects to that pipe, does a list of tasks and prints one JSON object.  soffice is
always terminated at the end (its whole process group), even after a timeout.

Use one session for several files::

    with LibreOffice() as lo:
        values = lo.recalculate(path)          # {sheet: [[value, ...], ...]}
        info = lo.inspect(path)                # sheet names and visibility
        pdf = lo.convert(path, "pdf", out_dir)

or the one-shot helpers ``recalculate(path)`` and ``convert(path, fmt, out_dir)``.
Values come from ``getDataArray`` on each sheet's used area: numbers are floats,
text is ``str``, empty cells are ``""``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

UNO_PYTHON = "/usr/bin/python3"
START_TIMEOUT = 60.0  # seconds for soffice to accept connections
TASK_TIMEOUT = 300.0  # seconds for one batch of tasks

# Output format -> LibreOffice export filter.
FILTERS = {
    "pdf": "calc_pdf_Export",
    "xlsx": "Calc MS Excel 2007 XML",
    "ods": "calc8",
    "csv": "Text - txt - csv (StarCalc)",
    "html": "HTML (StarCalc)",
}


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, did not start, or failed on a document."""


def office_env() -> dict[str, str]:
    """The environment for soffice and the UNO client: a UTF-8 locale, whatever the caller's.

    Under a C/POSIX locale (cron, a bare container, ``LC_ALL=C``) soffice cannot open a file
    whose path holds Chinese characters ("Unsupported URL"), and every output path here does.
    """
    env = dict(os.environ)
    locale = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    if "utf-8" not in locale.lower().replace("utf8", "utf-8"):
        env["LC_ALL"] = "C.UTF-8"
    return env


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def unavailable_reason() -> str | None:
    """None when LibreOffice headless with UNO can run here; otherwise why not (for skips)."""
    if not soffice_path():
        return "LibreOffice (soffice) is not installed"
    if not Path(UNO_PYTHON).exists():
        return f"{UNO_PYTHON} is missing (needed for the UNO bridge)"
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return f"{UNO_PYTHON} cannot import uno (install python3-uno)"
    return None


# The UNO client: reads {"pipe": ..., "start_timeout": ..., "tasks": [...]} on stdin,
# prints {"results": [...]} or {"error": ...} on stdout.
_UNO_SCRIPT = r'''
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def connect(pipe, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + timeout
    while True:
        try:
            return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.2)

def load(desktop, path):
    url = uno.systemPathToFileUrl(path)
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", False)))
    if doc is None or not hasattr(doc, "getSheets"):
        raise RuntimeError("not loaded as a spreadsheet: " + path)
    return doc

def load_with_macros(desktop, path):
    url = uno.systemPathToFileUrl(path)
    props = (prop("Hidden", True), prop("ReadOnly", False), prop("MacroExecutionMode", 4))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props)
    if doc is None or not hasattr(doc, "getSheets"):
        raise RuntimeError("not loaded as a spreadsheet: " + path)
    return doc

def named_value(doc, name):
    try:
        cells = doc.NamedRanges.getByName(name).getReferredCells()
        return cells.getCellByPosition(0, 0).getString()
    except Exception as exc:
        return None

def macro_report(doc, run, names):
    libs = doc.BasicLibraries
    modules = {}
    if libs.hasByName("VBAProject"):
        libs.loadLibrary("VBAProject")
        lib = libs.getByName("VBAProject")
        modules = {m: lib.getByName(m) for m in lib.getElementNames()}
    buttons = []
    sheet = doc.getSheets().getByIndex(0)
    page = sheet.getDrawPage()
    forms = page.getForms()
    bindings = []
    if forms.getCount():
        form = forms.getByIndex(0)
        for i in range(form.getCount()):
            events = form.getScriptEvents(i)
            bindings.append([e.ScriptCode for e in events])
    k = 0
    for i in range(page.getCount()):
        shape = page.getByIndex(i)
        if shape.supportsService("com.sun.star.drawing.ControlShape"):
            model = shape.getControl()
            buttons.append({"label": model.Label, "scripts": bindings[k] if k < len(bindings) else []})
            k += 1
    before = {n: named_value(doc, n) for n in names}
    runs = []
    provider = doc.getScriptProvider()
    for macro in run:
        url = "vnd.sun.star.script:" + macro + "?language=Basic&location=document"
        for n in names:
            cell = doc.NamedRanges.getByName(n).getReferredCells().getCellByPosition(0, 0) if doc.NamedRanges.hasByName(n) else None
        status = doc.NamedRanges.getByName(names[0]).getReferredCells().getCellByPosition(0, 0) if names and doc.NamedRanges.hasByName(names[0]) else None
        if status is not None:
            status.setString("")
        try:
            provider.getScript(url).invoke((), (), ())
            error = None
        except Exception as exc:
            error = "%s: %s" % (type(exc).__name__, exc)
        runs.append({"macro": macro, "error": error, "after": {n: named_value(doc, n) for n in names}})
    return {"modules": modules, "buttons": buttons, "before": before, "runs": runs}

def used_values(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    data = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow).getDataArray()
    return [list(row) for row in data]

def sheet_info(doc):
    sheets = doc.getSheets()
    return [{"name": s.getName(), "visible": bool(s.IsVisible)} for s in (sheets.getByIndex(i) for i in range(sheets.getCount()))]

def run(desktop, task):
    doc = load_with_macros(desktop, task["path"]) if task["op"] == "macros" else load(desktop, task["path"])
    try:
        op = task["op"]
        if op == "inspect":
            return {"sheets": sheet_info(doc)}
        if op == "macros":
            return macro_report(doc, task.get("run", []), task.get("names", []))
        if op == "recalculate":
            doc.calculateAll()
            sheets = doc.getSheets()
            return {"values": {sheets.getByIndex(i).getName(): used_values(sheets.getByIndex(i)) for i in range(sheets.getCount())},
                    "sheets": sheet_info(doc)}
        if op == "convert":
            if task.get("recalculate"):
                doc.calculateAll()
            doc.storeToURL(uno.systemPathToFileUrl(task["out"]), (prop("FilterName", task["filter"]),))
            return {"out": task["out"]}
        raise ValueError("unknown op " + op)
    finally:
        doc.close(True)

def main():
    job = json.loads(sys.stdin.read())
    ctx = connect(job["pipe"], job["start_timeout"])
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    results = []
    for task in job["tasks"]:
        try:
            results.append(run(desktop, task))
        except Exception as exc:
            results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
    sys.stdout.write(json.dumps({"results": results}, ensure_ascii=False))

main()
'''


CLIENT_ATTEMPTS = 3  # UNO client runs per task batch when one dies without a word


class LibreOffice:
    """One headless soffice process with its own profile; a context manager."""

    def __init__(self, start_timeout: float = START_TIMEOUT, task_timeout: float = TASK_TIMEOUT):
        self.start_timeout = start_timeout
        self.task_timeout = task_timeout
        self._proc: subprocess.Popen | None = None
        self._tmp: str | None = None
        self._pipe = f"xl_awards_{uuid.uuid4().hex}"

    def __enter__(self) -> "LibreOffice":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise LibreOfficeError(reason)
        self._tmp = tempfile.mkdtemp(prefix="xl_awards_lo_")
        profile = Path(self._tmp, "profile").as_uri()
        cmd = [
            soffice_path(), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--nolockcheck", f"-env:UserInstallation={profile}",
            f"--accept=pipe,name={self._pipe};urp;StarOffice.ComponentContext",
        ]
        self._proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=office_env(),
            start_new_session=True,  # its own process group, so close() can end all of it
        )

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # -- tasks ----------------------------------------------------------------
    def run_tasks(self, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run UNO tasks in one client connection; each result is a dict (``error`` on failure)."""
        if self._proc is None:
            raise LibreOfficeError("LibreOffice is not started")
        if self._proc.poll() is not None:
            raise LibreOfficeError(f"soffice exited with code {self._proc.returncode}")
        job = {"pipe": self._pipe, "start_timeout": self.start_timeout, "tasks": tasks}
        for attempt in range(CLIENT_ATTEMPTS):
            try:
                done = subprocess.run(
                    [UNO_PYTHON, "-c", _UNO_SCRIPT], input=json.dumps(job), capture_output=True,
                    text=True, encoding="utf-8", env=office_env(), timeout=self.start_timeout + self.task_timeout,
                )
            except subprocess.TimeoutExpired as exc:
                self.close()
                raise LibreOfficeError(f"LibreOffice did not finish within {exc.timeout:.0f} s") from None
            if done.returncode == 0:
                return json.loads(done.stdout)["results"]
            # A client killed by a signal while soffice was still starting leaves no message: try again.
            if done.stderr.strip() or attempt + 1 == CLIENT_ATTEMPTS or self._proc.poll() is not None:
                break
            time.sleep(1)
        raise LibreOfficeError(f"UNO script failed (exit code {done.returncode}): {done.stderr.strip()[-2000:]}")

    def _one(self, task: dict[str, Any]) -> dict[str, Any]:
        result = self.run_tasks([task])[0]
        if "error" in result:
            raise LibreOfficeError(f"{task['path']}: {result['error']}")
        return result

    def recalculate(self, path: str | Path) -> dict[str, list[list[Any]]]:
        """Load, recalculate everything and return each sheet's used-area values."""
        return self._one({"op": "recalculate", "path": str(Path(path).resolve())})["values"]

    def recalculate_many(self, paths: list[str | Path]) -> list[dict[str, list[list[Any]]]]:
        tasks = [{"op": "recalculate", "path": str(Path(p).resolve())} for p in paths]
        out = []
        for path, result in zip(paths, self.run_tasks(tasks)):
            if "error" in result:
                raise LibreOfficeError(f"{path}: {result['error']}")
            out.append(result["values"])
        return out

    def inspect(self, path: str | Path) -> list[dict[str, Any]]:
        """Sheets of a document as loaded: ``[{"name": ..., "visible": bool}, ...]``."""
        return self._one({"op": "inspect", "path": str(Path(path).resolve())})["sheets"]

    def macros(self, path: str | Path, run: list[str] = (), names: list[str] = ()) -> dict[str, Any]:
        """The VBA modules (name -> source), the first sheet's buttons (label, bound script URLs), and for
        each macro of ``run`` (``VBAProject.Module.Sub``) the values of the workbook ``names`` after it ran
        (the first name is emptied before each run).  Loaded with macros allowed, never saved."""
        return self._one({"op": "macros", "path": str(Path(path).resolve()), "run": list(run), "names": list(names)})

    def convert(self, path: str | Path, fmt: str, out_dir: str | Path, recalculate: bool = True) -> Path:
        """Export ``path`` as ``fmt`` (pdf, xlsx, ods, csv, html) into ``out_dir``; returns the new file."""
        if fmt not in FILTERS:
            raise LibreOfficeError(f"unknown format {fmt!r} (known: {', '.join(FILTERS)})")
        out_dir = Path(out_dir).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"{Path(path).stem}.{fmt}"
        self._one({"op": "convert", "path": str(Path(path).resolve()), "out": str(out),
                   "filter": FILTERS[fmt], "recalculate": recalculate})
        return out


def recalculate(path: str | Path) -> dict[str, list[list[Any]]]:
    with LibreOffice() as lo:
        return lo.recalculate(path)


def convert(path: str | Path, fmt: str, out_dir: str | Path) -> Path:
    with LibreOffice() as lo:
        return lo.convert(path, fmt, out_dir)

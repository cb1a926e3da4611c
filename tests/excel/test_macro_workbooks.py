"""The ``.xlsm`` workbooks ``xl-awards build`` writes, read back by two independent readers.

- oletools' olevba: every VBA module of every built ``.xlsm`` has exactly the ``macros/*.bas`` text.
- LibreOffice (UNO, macros allowed): the module is in the document's ``VBAProject`` library, each
  button on the first sheet carries its caption and is bound to its Sub, and running each Sub here
  — where there is no xlwings add-in — leaves the add-in-missing message (the Chinese text of the
  hidden cell ``XlAwardsSetupMessage``) in the status cell.  LibreOffice runs nothing when a module
  does not compile, so the assertion is on that effect, never on the call returning.

Microsoft Excel is not on this machine: nothing here proves Excel's own behaviour.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xl_awards.edition import load_edition
from xl_awards.io.hub_template import hub_file_name, write_hub_workbook
from xl_awards.io.intake_template import intake_file_name, write_intake_workbook
from xl_awards.io.vba_project import COMMON_MODULE, HUB_MODULE, INTAKE_MODULE, module_path
from xl_awards.schema import workbench as W

EDITION = load_edition(2021)
HUB_MACROS = ["ImportApplications", "MakeExpertSheets", "CollectScores", "ComputeRanking", "MakePublicity",
              "FinalizeAwards"]
HUB_CAPTIONS = ["导入市州申报", "生成专家评分表", "收回专家评分", "计算排名", "生成公示名单", "公示期满定稿"]


@pytest.fixture(scope="module")
def built(built_templates):
    """The run's one build (read only): its folder and its files."""
    return built_templates, sorted(built_templates.iterdir())


def test_build_writes_an_xlsm_beside_every_xlsx(built):
    out, paths = built
    xlsx = sorted(p.name for p in paths if p.suffix == ".xlsx")
    xlsm = sorted(p.name for p in paths if p.suffix == ".xlsm")
    # 14 市州 + the blank template + the hub = 16 of each
    assert len(xlsx) == len(xlsm) == 16
    assert [Path(n).stem for n in xlsx] == [Path(n).stem for n in xlsm]
    for path in paths:
        names = zipfile.ZipFile(path).namelist()
        assert ("xl/vbaProject.bin" in names) == (path.suffix == ".xlsm"), path.name
        content_types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
        assert ("macroEnabled" in content_types) == (path.suffix == ".xlsm"), path.name


def test_same_inputs_give_the_same_bytes(tmp_path):
    a = write_hub_workbook(EDITION, tmp_path / "a", macros=True).read_bytes()
    b = write_hub_workbook(EDITION, tmp_path / "b", macros=True).read_bytes()
    assert a == b
    name = Path(intake_file_name(EDITION, "长沙市")).with_suffix(".xlsm").name
    c = write_intake_workbook(EDITION, tmp_path / "a" / name, "长沙市").read_bytes()
    d = write_intake_workbook(EDITION, tmp_path / "b" / name, "长沙市").read_bytes()
    assert c == d


def test_macro_sources_are_ascii():
    for module in (HUB_MODULE, INTAKE_MODULE, COMMON_MODULE):
        module_path(module).read_bytes().decode("ascii")  # raises on any non-ASCII byte


def test_olevba_reads_back_every_module_of_every_xlsm(built):
    from oletools.olevba import VBA_Parser

    _, paths = built
    xlsm = [p for p in paths if p.suffix == ".xlsm"]
    assert len(xlsm) == 16
    for path in xlsm:
        module = HUB_MODULE if path.name == hub_file_name(EDITION, True) else INTAKE_MODULE
        parser = VBA_Parser(str(path))
        try:
            modules = {name: code for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()
        for own in (module, COMMON_MODULE):  # the workbook's buttons and what every button does
            expected = module_path(own).read_text(encoding="ascii")
            assert modules[f"{own}.bas"].replace("\r\n", "\n") == expected, (path.name, own)
        # the document modules (ThisWorkbook, one per sheet) hold nothing but their attributes
        others = [n for n in modules if n not in (f"{module}.bas", f"{COMMON_MODULE}.bas")]
        assert "ThisWorkbook.cls" in others
        for name in others:
            assert "Sub " not in modules[name], (path.name, name)


def test_the_hub_workbench_lists_the_steps_in_order(built):
    import openpyxl

    out, _ = built
    wb = openpyxl.load_workbook(out / hub_file_name(EDITION, True), keep_vba=True)
    assert wb.sheetnames[0] == W.WORKBENCH_SHEET
    ws = wb[W.WORKBENCH_SHEET]
    assert [ws.cell(row=W.HEADER_ROW + 1, column=c + 1).value for c in range(5)] == list(W.WORKBENCH_HEADERS)
    rows = range(W.FIRST_STEP_ROW + 1, W.FIRST_STEP_ROW + 7)
    assert [ws.cell(row=r, column=1).value for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [ws.cell(row=r, column=W.COL_LAST_RUN + 1).value for r in rows] == [W.NEVER_RUN] * 6
    # the .xlsx hub has no 工作台 (its first sheet stays 工作流程说明)
    plain = openpyxl.load_workbook(out / hub_file_name(EDITION, False))
    assert W.WORKBENCH_SHEET not in plain.sheetnames


@pytest.mark.libreoffice
def test_libreoffice_lists_module_and_buttons_and_runs_each_macro_to_the_setup_message(built, libreoffice):
    out, _ = built
    cases = [
        (out / hub_file_name(EDITION, True), HUB_MODULE, HUB_CAPTIONS, HUB_MACROS),
        (out / Path(intake_file_name(EDITION, "长沙市")).with_suffix(".xlsm").name, INTAKE_MODULE,
         [c for c, _ in W.INTAKE_BUTTONS], [m for _, m in W.INTAKE_BUTTONS]),
        (out / Path(intake_file_name(EDITION, None)).with_suffix(".xlsm").name, INTAKE_MODULE,
         [c for c, _ in W.INTAKE_BUTTONS], [m for _, m in W.INTAKE_BUTTONS]),
    ]
    for path, module, captions, macros in cases:
        report = libreoffice.macros(path, run=[f"VBAProject.{module}.{m}" for m in macros],
                                    names=[W.NAME_STATUS, W.NAME_SETUP_MESSAGE])
        assert module in report["modules"] and COMMON_MODULE in report["modules"], path.name
        source = report["modules"][module]
        for macro in macros:
            assert f"Public Sub {macro}()" in source
        assert [b["label"] for b in report["buttons"]] == captions, path.name
        assert [b["scripts"] for b in report["buttons"]] == [
            [f"vnd.sun.star.script:VBAProject.{module}.{m}?language=Basic&location=document"] for m in macros]
        assert report["before"] == {W.NAME_STATUS: "", W.NAME_SETUP_MESSAGE: W.SETUP_MESSAGE}
        assert [r["macro"].rsplit(".", 1)[1] for r in report["runs"]] == macros
        for run in report["runs"]:
            # the status cell was emptied before the run: only the macro can have written the message
            assert run["error"] is None and run["after"][W.NAME_STATUS] == W.SETUP_MESSAGE, (path.name, run)

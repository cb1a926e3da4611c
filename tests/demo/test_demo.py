"""``xl-awards demo``: the cycle on built-in sample data, end to end on real workbooks."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.demo import context as demo
from xl_awards.demo import runner, steps
from xl_awards.schema.intake import FINDINGS_SHEET, INSTITUTION_SHEET, STAR_SHEET

EDITION = load_edition(2021)


DEMO_STDERR: list[str] = []


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``xl-awards demo`` once for the module: (exit code, output folder, printout); its stderr in DEMO_STDERR."""
    out = tmp_path_factory.mktemp("demo") / "out"
    import contextlib
    import io

    buffer, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(errors):
        code = main(["demo", "--out", str(out)])
    DEMO_STDERR.append(errors.getvalue())
    return code, out, buffer.getvalue()


def test_demo_exits_0_and_writes_the_expected_files(demo_run):
    code, out, text = demo_run
    assert code == 0, text
    intake = out / demo.INTAKE_DIR
    names = sorted(p.name for p in intake.iterdir())
    # 3 clean cities + 1 with planted mistakes + its 校验结果 copy + 益阳市's workbook for the
    # hub-only checks (a 2020 awardee, a barred institution) = 6 files
    assert len(names) == 6, names
    assert sum(n.endswith("_示例_往年获奖与禁评.xlsx") for n in names) == 1
    for city in demo.CLEAN_CITIES:
        assert sum(city in n and n.endswith("_示例.xlsx") for n in names) == 1, city
    assert sum(demo.ERROR_CITY in n and n.endswith("_示例_含错误.xlsx") for n in names) == 1
    assert sum(n.endswith("_含错误_校验结果.xlsx") for n in names) == 1
    # every city's template and the blank one were built (14 + 1 at least)
    assert len([p for p in (out / demo.TEMPLATES_DIR).glob("*.xlsx") if "申报工作簿" in p.name]) == 15
    assert len([p for p in (out / demo.TEMPLATES_DIR).glob("*.xlsm") if "申报工作簿" in p.name]) == 15
    assert "演示完成" in text and "预置错误 8 处，查出 8 处" in text


def test_no_progress_when_standard_error_is_redirected(demo_run):
    assert DEMO_STDERR == [""]


def test_clean_sample_workbooks_validate_without_errors_and_templates_stay_blank(demo_run):
    from xl_awards.jobs.validate import validate_files

    code, out, _ = demo_run
    clean = sorted((out / demo.INTAKE_DIR).glob("*_示例.xlsx"))
    assert len(clean) == 3
    assert validate_files(clean, EDITION) == []  # not even a warning
    # The fill wrote copies: the 长沙市 template has no applicant on its star sheet.
    template = next(p for p in (out / demo.TEMPLATES_DIR).iterdir() if "长沙市" in p.name)
    from xl_awards.io.intake import read_intake

    book = read_intake(template, EDITION)
    assert all(not table.rows for table in book.tables.values())


def test_error_workbook_findings_and_write_back(demo_run):
    from xl_awards.jobs.validate import validate_files

    _, out, _ = demo_run
    bad = next((out / demo.INTAKE_DIR).glob("*_示例_含错误.xlsx"))
    findings = validate_files([bad], EDITION)
    rules = sorted(f.rule for f in findings)
    # 8 planted mistakes; the duplicate expert and the second star of one platform are reported on
    # both rows of each pair: 8 + 2 = 10 findings, all errors.
    assert rules == sorted([
        "id_card", "text_min_chars", "star_complaints", "required", "duplicate_applicant", "duplicate_applicant",
        "star_platform_duplicate", "star_platform_duplicate", "recipient_date_out_of_year", "uscc_not_hunan",
    ])
    assert {f.sheet for f in findings if f.rule == "required"} == {INSTITUTION_SHEET}
    copy = next((out / demo.INTAKE_DIR).glob("*_校验结果.xlsx"))
    ws = load_workbook(copy)[FINDINGS_SHEET]
    listed = [row for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]
    assert len(listed) >= len(findings)
    assert STAR_SHEET in {str(v) for row in listed for v in row}


def test_every_step_runs_its_job_in_order():
    # build, fill, validate, then one step per hub command, each a function of xl_awards.demo.steps
    keys = [key for key, _, _ in runner.STEPS]
    assert keys == ["build", "fill", "validate", "consolidate", "expert_sheets", "collect", "rank", "publicity", "finalize"]
    assert all(function.__module__ == steps.__name__ for _, _, function in runner.STEPS)


def test_out_that_is_a_file_is_bad_usage(tmp_path, capsys):
    target = tmp_path / "not_a_dir"
    target.write_text("x")
    assert main(["demo", "--out", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not_a_dir" in err[0]
    assert target.read_text() == "x"


# -- the demo's hub is the .xlsm: every command rewrote it and its macros must have survived --
def _hub_xlsm(out):
    from xl_awards.io.hub_template import hub_file_name

    return out / steps.DEMO_HUB_DIR / hub_file_name(EDITION, macros=True)


def test_every_command_keeps_the_xlsm_hub_s_vba_project_and_buttons(demo_run):
    import posixpath
    import re
    import zipfile

    from xl_awards.io.hub_template import hub_file_name
    from xl_awards.schema import workbench as W

    code, out, _ = demo_run
    assert code == 0
    hub = _hub_xlsm(out)
    assert hub.is_file() and not hub.with_suffix(".xlsx").exists()
    built = out / demo.TEMPLATES_DIR / hub_file_name(EDITION, macros=True)
    with zipfile.ZipFile(hub) as z, zipfile.ZipFile(built) as b:
        # consolidate, expert-sheets, collect, rank, publicity and finalize each saved the hub:
        # the project is still the built one, byte for byte
        assert z.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
        names = set(z.namelist())
        for name in names:
            if name.startswith("xl/worksheets/_rels/"):
                for target in re.findall(r'Target="([^"]+)"', z.read(name).decode()):
                    part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl/worksheets", target))
                    assert part in names, (name, target)  # no sheet points at a dropped part
        # the 工作台's buttons are still in its drawing, one per step
        bench_vml = z.read("xl/drawings/vmlDrawing1.vml").decode()
        assert bench_vml.count('ObjectType="Button"') == 6
        for step in W.HUB_STEPS:
            assert f"[0]!{step.macro}" in bench_vml
    wb = load_workbook(hub)
    assert wb.sheetnames[0] == W.WORKBENCH_SHEET
    ws = wb[W.WORKBENCH_SHEET]
    last = [ws.cell(row=W.FIRST_STEP_ROW + 1 + i, column=W.COL_LAST_RUN + 1).value for i in range(6)]
    # all six steps ran in the demo, in order: six dates, none 尚未运行, never decreasing
    assert W.NEVER_RUN not in last and last == sorted(last), last


@pytest.mark.libreoffice
def test_the_rewritten_xlsm_hub_still_runs_its_macros_in_libreoffice(demo_run, libreoffice):
    from xl_awards.schema import workbench as W

    _, out, _ = demo_run
    macros = [s.macro for s in W.HUB_STEPS]
    report = libreoffice.macros(_hub_xlsm(out), run=[f"VBAProject.XlAwardsHub.{m}" for m in macros],
                                names=[W.NAME_STATUS, W.NAME_SETUP_MESSAGE])
    assert [b["label"] for b in report["buttons"]] == [s.caption for s in W.HUB_STEPS]
    assert all(r["after"][W.NAME_STATUS] == W.SETUP_MESSAGE for r in report["runs"]), report["runs"]

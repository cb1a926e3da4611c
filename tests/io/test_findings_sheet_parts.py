"""Write-back on the cut workbook (``io.findings_sheet._write_on_skeleton``): openpyxl reads and writes only
校验结果 and the sheets with cells to mark or unmark, the other sheets' rows are put back after its save.
The result must be the workbook the whole-workbook openpyxl path writes, cell by cell: values, formulas,
fills, comments, links, sheet order and visibility — on a first write-back and on a second one that clears
the first's marks, for .xlsx and .xlsm, on real filled templates."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from xl_awards.demo.sample import inject_errors, sample_intake_rows
from xl_awards.edition import load_edition
from xl_awards.io import findings_sheet
from xl_awards.io.intake_fill import fill_intake_workbook
from xl_awards.io.intake_template import write_intake_workbook
from xl_awards.io.sheet_parts import Unsupported
from xl_awards.jobs.validate import validate_files
from xl_awards.schema.intake import FINDINGS_SHEET, STAR_SHEET

EDITION = load_edition(2021)


def _cells(path) -> dict:
    wb = load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                comment = (c.comment.text, c.comment.author) if c.comment else None
                link = c.hyperlink.location if c.hyperlink else None
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None
                if c.value not in (None, "") or comment or link or fill:  # openpyxl drops cells of an empty string
                    out[(ws.title, c.coordinate)] = (c.value, fill, comment, link, c.number_format)
        out[(ws.title, "filter")] = ws.auto_filter.ref
    return out


def _whole(monkeypatch):
    def refuse(*args):
        raise Unsupported("the whole workbook, for comparison")

    monkeypatch.setattr(findings_sheet, "_write_on_skeleton", refuse)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_the_cut_write_back_writes_what_the_whole_workbook_path_writes(tmp_path, monkeypatch, suffix):
    template = write_intake_workbook(EDITION, tmp_path / f"模板{suffix}", "株洲市")
    rows, _ = inject_errors(sample_intake_rows(EDITION, "株洲市", seed=6, counts={STAR_SHEET: 4}), seed=2)
    filled = fill_intake_workbook(template, rows, tmp_path / f"株洲市{suffix}")
    findings = validate_files([filled], EDITION)
    marked = {f.sheet for f in findings if f.cell}
    assert findings and marked and len(marked) < 5  # some data sheets have marks, others are cut

    calls = []
    real = findings_sheet._write_on_skeleton
    monkeypatch.setattr(findings_sheet, "_write_on_skeleton", lambda *a: calls.append(1) or real(*a))
    cut = findings_sheet.write_findings(filled, findings, tmp_path / "cut" / f"a{suffix}")
    assert calls == [1]
    with monkeypatch.context() as m:
        _whole(m)
        whole = findings_sheet.write_findings(filled, findings, tmp_path / "whole" / f"a{suffix}")
    assert _cells(cut) == _cells(whole)
    assert load_workbook(cut)[FINDINGS_SHEET].max_row == len(findings) + 1

    # a second write-back with fewer findings, in place: the first's marks that no longer hold are cleared
    fewer = findings[: len(findings) // 2]
    findings_sheet.write_findings(cut, fewer, cut)
    with monkeypatch.context() as m:
        _whole(m)
        findings_sheet.write_findings(whole, fewer, whole)
    assert _cells(cut) == _cells(whole)
    if suffix == ".xlsm":
        import zipfile

        assert "xl/vbaProject.bin" in zipfile.ZipFile(cut).namelist()


def test_a_workbook_openpyxl_refuses_leaves_no_output_and_no_new_folder(tmp_path):
    from xl_awards.base.errors import InputError

    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: no workbook in it
    before = bad.read_bytes()
    with pytest.raises(InputError) as exc:
        findings_sheet.write_findings(bad, [], tmp_path / "新文件夹" / "坏_校验结果.xlsx")
    assert "\n" not in str(exc.value)
    assert bad.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["坏.xlsx"]

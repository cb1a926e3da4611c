"""fill_intake_workbook: rows land under their headers by label, text stays text, the template is untouched."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from xl_awards.edition import load_edition
from xl_awards.base.errors import InputError, UsageError
from xl_awards.io.atomic import file_sha256
from xl_awards.io.intake_fill import fill_intake_workbook
from xl_awards.demo.sample import inject_errors, sample_intake_rows
from xl_awards.schema import header_label
from xl_awards.schema.intake import (
    INSTITUTION_SHEET,
    META_SHEET,
    RECIPIENTS_SHEET,
    STAR_SHEET,
    build_intake_schema,
)

EDITION = load_edition(2021)
SCHEMA = build_intake_schema(EDITION)
SHEETS = {s.name: s for s in SCHEMA}
CITY = "常德市"


def make_template(path, formula_rows: int = 3):
    """A template like the built intake template, but with the columns REVERSED and an extra column, so that a
    writer assuming positions would put values under the wrong headers.  Row 1 a title, row 2 the
    header, a 检查 formula on the first ``formula_rows`` data rows (=IF(<first column>3="","空","有")).
    """
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SCHEMA:
        ws = wb.create_sheet(sheet.name)
        headers = ["备注（自用）"] + [f.header for f in reversed(sheet.fields)] + ["检查"]
        ws.cell(1, 1, f"{sheet.name}（示例模板）")
        for c, text in enumerate(headers, start=1):
            ws.cell(2, c, text)
        ws.cell(2, 2).comment = Comment("表头批注", "模板")
        check_col = len(headers)
        for r in range(3, 3 + formula_rows):
            ws.cell(r, check_col, f'=IF(B{r}="","空","有")')
        dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        dv.add("B3:B200")
        ws.add_data_validation(dv)
        ws.conditional_formatting.add("B3:B200", CellIsRule(operator="equal", formula=['""'], fill=PatternFill("solid", fgColor="FFFF00")))
    meta = wb.create_sheet(META_SHEET)
    for row in (("工作簿类型", "市州申报工作簿"), ("市州", CITY), ("评选年度", 2021), ("模板版本", 1)):
        meta.append(row)
    meta.sheet_state = "hidden"
    wb.save(path)
    return path


def read_back(path, sheet_name):
    """Rows under the header as {label: cell}, found by label (row 2 here)."""
    ws = load_workbook(path)[sheet_name]
    labels = {c: header_label(ws.cell(2, c).value) for c in range(1, ws.max_column + 1)}
    out = []
    for r in range(3, ws.max_row + 1):
        row = {labels[c]: ws.cell(r, c) for c in labels}
        out.append(row)
    return ws, out


def test_values_land_under_their_labels_and_the_template_is_untouched(tmp_path):
    template = make_template(tmp_path / "模板.xlsx")
    before = file_sha256(template)
    rows = sample_intake_rows(EDITION, CITY, seed=1)
    out = fill_intake_workbook(template, rows, tmp_path / "out" / "常德市_已填.xlsx")
    assert out == tmp_path / "out" / "常德市_已填.xlsx" and out.is_file()
    assert file_sha256(template) == before

    for sheet_name, sheet_rows in rows.items():
        ws, back = read_back(out, sheet_name)
        for i, row in enumerate(sheet_rows):
            cells = back[i]
            assert cells["备注"].value is None  # the extra column is left alone
            for f in SHEETS[sheet_name].fields:
                value, cell = row[f.key], cells[f.label]
                if isinstance(value, dt.date):
                    assert cell.is_date and cell.value.date() == value and cell.number_format == "yyyy-mm-dd"
                else:
                    assert cell.value == value, (sheet_name, i, f.label)
    # e.g. the first star's ID number, as text, under 身份证号码 wherever that column is
    ws, back = read_back(out, STAR_SHEET)
    assert back[0]["身份证号码"].data_type == "s" and back[0]["身份证号码"].value == rows[STAR_SHEET][0]["id_number"]


def test_formula_looking_text_stays_text(tmp_path):
    template = make_template(tmp_path / "模板.xlsx")
    rows = sample_intake_rows(EDITION, CITY, seed=2, counts={INSTITUTION_SHEET: 1})
    inst = rows[INSTITUTION_SHEET][0]
    inst.update(fees="=HYPERLINK(\"http://example.com\")", activities="+参与破零倍增", address="-", contact="@张三")
    out = fill_intake_workbook(template, rows, tmp_path / "out.xlsx")
    ws, back = read_back(out, INSTITUTION_SHEET)
    for label, text in (("服务收费情况", inst["fees"]), ("参与公益活动", inst["activities"]), ("注册地址", "-"), ("联系人", "@张三")):
        cell = back[0][label]
        assert cell.data_type == "s" and cell.value == text, label
    # and the sheet XML holds no formula but the template's 检查 ones (=IF(...) only)
    import zipfile

    with zipfile.ZipFile(out) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in names)
    assert not re.search(r"<f>[^<]*HYPERLINK", xml)  # written as a string cell, not a formula
    # python-calamine (what the reader uses) sees the text itself, not an empty formula result
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(INSTITUTION_SHEET).to_python()
    assert inst["fees"] in grid[2] and "@张三" in grid[2] and "+参与破零倍增" in grid[2]
    assert xml.count("<f>") == xml.count("<f>IF(") > 0


def test_template_features_are_kept_and_the_check_formula_extended(tmp_path):
    template = make_template(tmp_path / "模板.xlsx", formula_rows=2)
    rows = sample_intake_rows(EDITION, CITY, seed=3)
    n = len(rows[RECIPIENTS_SHEET])
    assert n > 2
    out = fill_intake_workbook(template, rows, tmp_path / "out.xlsx")
    wb = load_workbook(out)
    ws = wb[RECIPIENTS_SHEET]
    check_col = ws.max_column
    assert ws.cell(2, check_col).value == "检查"
    # rows 3 and 4 had the formula in the template; rows 5.. get it translated to their own row
    for r in range(3, 3 + n):
        assert ws.cell(r, check_col).value == f'=IF(B{r}="","空","有")'
    assert ws.cell(3 + n, check_col).value is None  # no formula past the written rows
    assert ws.data_validations.dataValidation and str(ws.data_validations.dataValidation[0].sqref) == "B3:B200"
    assert any(str(rng.sqref) == "B3:B200" for rng in ws.conditional_formatting)
    assert ws.cell(2, 2).comment is not None and ws.cell(2, 2).comment.text == "表头批注"
    assert wb[META_SHEET].sheet_state == "hidden"


def test_refuses_to_overwrite_the_template_and_reports_missing_columns(tmp_path):
    template = make_template(tmp_path / "模板.xlsx")
    before = file_sha256(template)
    rows = sample_intake_rows(EDITION, CITY, seed=1)
    with pytest.raises(UsageError):
        fill_intake_workbook(template, rows, template)
    assert file_sha256(template) == before

    wb = load_workbook(template)
    ws = wb[STAR_SHEET]
    for c in range(1, ws.max_column + 1):
        if header_label(ws.cell(2, c).value) == "身份证号码":
            ws.cell(2, c).value = "证件"  # a renamed required column
    broken = tmp_path / "改过表头.xlsx"
    wb.save(broken)
    with pytest.raises(InputError, match="身份证号码"):
        fill_intake_workbook(broken, rows, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="junk.xlsx"):
        fill_intake_workbook(junk, rows, tmp_path / "out2.xlsx")


def test_filled_workbook_reads_back_clean_and_planted_mistakes_are_found(tmp_path):
    from xl_awards.jobs.validate import validate_files

    template = make_template(tmp_path / "模板.xlsx")
    clean = fill_intake_workbook(template, sample_intake_rows(EDITION, CITY, seed=4), tmp_path / "常德市_示例.xlsx")
    assert validate_files([clean], EDITION) == []

    bad_rows, planted = inject_errors(sample_intake_rows(EDITION, CITY, seed=4, counts={STAR_SHEET: 4}), seed=1)
    bad = fill_intake_workbook(template, bad_rows, tmp_path / "常德市_含错误.xlsx")
    findings = validate_files([bad], EDITION)
    # data from row 3 (title row 1, header row 2)
    expected = {(p.rule, p.sheet, 3 + row) for p in planted for row in (p.row, *p.also)}
    assert {(f.rule, f.sheet, f.row) for f in findings} == expected


def test_fill_a_real_built_template(tmp_path):
    from xl_awards.io.intake_template import write_intake_workbook
    from xl_awards.jobs.validate import validate_files

    template = write_intake_workbook(EDITION, tmp_path / "模板.xlsx", CITY)
    before = file_sha256(template)
    out = fill_intake_workbook(template, sample_intake_rows(EDITION, CITY, seed=5), tmp_path / "常德市_示例.xlsx")
    assert file_sha256(template) == before
    assert validate_files([out], EDITION) == []
    wb = load_workbook(out)
    ws = wb[STAR_SHEET]
    assert ws.data_validations.dataValidation  # drop-downs survived


@pytest.mark.libreoffice
def test_check_column_of_a_filled_real_template_in_libreoffice(tmp_path, libreoffice):
    """The template's 检查 formulas, recalculated by LibreOffice, pass every clean sample row and
    name the planted cell mistakes (the short texts of messages.RULES, worked out by hand below)."""
    from xl_awards.io.intake_template import write_intake_workbook

    template = write_intake_workbook(EDITION, tmp_path / "模板.xlsx", CITY)
    rows, planted = inject_errors(sample_intake_rows(EDITION, CITY, seed=6, counts={STAR_SHEET: 4}),
                                  ("id_check_digit", "short_narrative", "missing_required"), seed=2)
    out = fill_intake_workbook(template, rows, tmp_path / "常德市_含错误.xlsx")
    values = libreoffice.recalculate(out)
    # id_check_digit -> "身份证号码有误"; short_narrative keeps 1500 // 3 = 500 characters ->
    # "主要服务业绩500字少于1500字"; missing 联系人 -> "联系人未填".
    expected_text = {"id_check_digit": "身份证号码有误", "short_narrative": "主要服务业绩500字少于1500字",
                     "missing_required": "联系人未填"}
    planted_at = {(p.sheet, p.row): expected_text[p.kind] for p in planted}
    for sheet_name, sheet_rows in rows.items():
        grid = values[sheet_name]
        header = next(i for i, r in enumerate(grid[:10]) if "检查" in r)
        col = grid[header].index("检查")
        for i in range(len(sheet_rows)):
            assert grid[header + 1 + i][col] == planted_at.get((sheet_name, i), "通过"), (sheet_name, i)


def test_rows_past_the_prepared_ones_get_the_helper_formulas_too(tmp_path):
    # The real template prepares RECIPIENT_ROWS rows; its 检查 formula reads hidden helper columns
    # right of 检查.  A row written past the prepared ones needs both, translated to its own row,
    # or every code and number on it would show as wrong.
    from xl_awards.io.intake_template import RECIPIENT_ROWS, write_intake_workbook

    template = write_intake_workbook(EDITION, tmp_path / "模板.xlsx", CITY)
    rows = sample_intake_rows(EDITION, CITY, seed=5)
    base = rows[RECIPIENTS_SHEET][0]
    rows[RECIPIENTS_SHEET] = [dict(base) for _ in range(RECIPIENT_ROWS + 2)]
    out = fill_intake_workbook(template, rows, tmp_path / "out.xlsx")
    ws = load_workbook(out)[RECIPIENTS_SHEET]
    check_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "检查")
    helper_cols = [c for c in range(check_col + 1, ws.max_column + 1) if str(ws.cell(2, c).value).startswith("辅助_")]
    assert helper_cols  # the real template has them (the USCC column's normalised code)
    last_prepared, extra = 2 + RECIPIENT_ROWS, 2 + RECIPIENT_ROWS + 2
    for col in [check_col, *helper_cols]:
        prepared = ws.cell(last_prepared, col).value
        written = ws.cell(extra, col).value
        assert isinstance(written, str) and written.startswith("=")
        # the same formula with its own row number in place of the prepared row's
        assert written == prepared.replace(str(last_prepared), str(extra))


def test_a_date_in_a_formatted_cell_of_the_real_template_keeps_its_font_and_reads_as_that_date(tmp_path):
    # 服务之星's 初审日期 and 从事中小企业服务起始年月 cells are formatted in the template (10-point 宋体; the
    # year-month column 'yyyy-mm'): a date written there keeps the cell's font and gets 'yyyy-mm-dd'.
    from xl_awards.io.intake_template import write_intake_workbook

    template = write_intake_workbook(EDITION, tmp_path / "模板.xlsx", CITY)
    rows = sample_intake_rows(EDITION, CITY, seed=7, counts={STAR_SHEET: 1})
    star = rows[STAR_SHEET][0]
    star.update(prelim_date=dt.date(2022, 9, 5), service_start=dt.date(2015, 6, 1), complaints=0)
    out = fill_intake_workbook(template, {STAR_SHEET: [star]}, tmp_path / "out.xlsx")
    ws_t = load_workbook(template)[STAR_SHEET]
    ws = load_workbook(out)[STAR_SHEET]
    labels = {header_label(ws.cell(2, c).value): c for c in range(1, ws.max_column + 1)}
    for label, day in (("初审日期", dt.datetime(2022, 9, 5)), ("从事中小企业服务起始年月", dt.datetime(2015, 6, 1))):
        cell, blank = ws.cell(3, labels[label]), ws_t.cell(3, labels[label])
        assert cell.is_date and cell.value == day and cell.number_format == "yyyy-mm-dd", label
        assert (cell.font.name, cell.font.sz) == (blank.font.name, blank.font.sz) == ("宋体", 10), label
    assert ws.cell(3, labels["近一年企业投诉次数"]).value == 0
    assert ws.cell(4, labels["姓名"]).value is None  # the next prepared row is left blank
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(STAR_SHEET).to_python()
    assert grid[2][labels["初审日期"] - 1] == dt.date(2022, 9, 5)  # what the intake reader gets


def test_a_template_whose_sheet_it_cannot_lay_out_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    import zipfile

    template = make_template(tmp_path / "模板.xlsx")
    odd = tmp_path / "改过的模板.xlsx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(odd, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<row r="\d+"', b"<row", data)  # rows without their numbers
            zout.writestr(info, data)
    rows = sample_intake_rows(EDITION, CITY, seed=1, counts={STAR_SHEET: 1})
    with pytest.raises(InputError, match="改过的模板.xlsx") as caught:
        fill_intake_workbook(odd, rows, tmp_path / "out.xlsx")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out.xlsx").exists() and not list(tmp_path.glob(".out*"))

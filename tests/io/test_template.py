"""`xl-awards build`: the 14 city intake workbooks and the blank template, read back with openpyxl
and loaded in LibreOffice headless."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.io.intake_template import intake_file_name, write_intake_workbook
from xl_awards.schema import header_label
from xl_awards.schema.intake import (
    EXPERT_SHEET, INSTITUTION_SHEET, PRODUCT_SHEET, RECIPIENTS_SHEET, STAR_SHEET, build_intake_schema, sheet_by_name,
)

EDITION = load_edition(2021)
SCHEMA = build_intake_schema(EDITION)
DATA_SHEETS = [STAR_SHEET, INSTITUTION_SHEET, EXPERT_SHEET, PRODUCT_SHEET, RECIPIENTS_SHEET]
ALL_SHEETS = ["填报说明", *DATA_SHEETS, "校验结果", "_选项", "_参数"]
CITIES = [
    "长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市", "郴州市",
    "永州市", "怀化市", "娄底市", "湘西土家族苗族自治州",
]


@pytest.fixture(scope="module")
def built(built_templates) -> Path:
    """What `xl-awards build --out DIR` wrote, once for the whole run (read only)."""
    return built_templates


def intake_files(out: Path) -> list[Path]:
    return sorted(out.glob("*申报工作簿_*.xlsx"))


def city_book(out: Path, city: str | None):
    return openpyxl.load_workbook(out / intake_file_name(EDITION, city))


def named_list(wb, name: str) -> list:
    """Values of a workbook-level defined name that points at a column range."""
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    return [c.value for row in wb[sheet.strip("'")][ref.replace("$", "")] for c in row]


def first_col(dv) -> int:
    return openpyxl.utils.cell.range_boundaries(str(dv.sqref))[0]


def column_widths(ws) -> dict[int, tuple[float, bool]]:
    """1-based column -> (width, hidden), expanding grouped <col min max> entries."""
    out = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, dim.max + 1):
            out[c] = (dim.width, dim.hidden)
    return out


def test_build_writes_one_workbook_per_city_and_a_blank_template(built, capsys):
    names = sorted(p.name for p in intake_files(built))
    assert names == sorted([f"2021年度优秀评选申报工作簿_{c}.xlsx" for c in CITIES] + ["2021年度优秀评选申报工作簿_空白模板.xlsx"])
    assert len(names) == 15


def test_build_prints_the_files_in_chinese(built_templates_printout):
    printed = built_templates_printout
    # 14 市州 + the blank template, each as .xlsx and as .xlsm (with the buttons)
    lines = [ln.strip() for ln in printed.splitlines() if "申报工作簿_" in ln]
    assert len(lines) == 30
    assert sum(ln.endswith(".xlsx") for ln in lines) == sum(ln.endswith(".xlsm") for ln in lines) == 15
    assert "已生成2021年度模板" in printed and "2021年度优秀评选申报工作簿_张家界市.xlsx" in printed


def test_build_onto_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"x")
    assert main(["build", "--out", str(target)]) == 2
    assert "不是目录" in capsys.readouterr().err
    assert target.read_bytes() == b"x"


def test_sheets_order_visibility_and_facts(built):
    for city in [*CITIES, None]:
        wb = openpyxl.load_workbook(built / intake_file_name(EDITION, city), read_only=True)  # sheets read on demand
        assert wb.sheetnames == ALL_SHEETS
        states = {ws.title: ws.sheet_state for ws in wb.worksheets}
        assert states.pop("_选项") == "hidden" and states.pop("_参数") == "hidden"
        assert set(states.values()) == {"visible"}
        facts = {row[0]: row[1] for row in wb["_参数"].iter_rows(values_only=True)}
        assert (facts.pop("市州") or None) == city  # empty for the blank template
        assert facts == {"工作簿类型": "市州申报工作簿", "评选年度": 2021, "模板版本": 1}
        assert wb["校验结果"].max_row == 1 and wb["校验结果"]["A1"].value is None


def test_headers_marked_and_annotated(built):
    wb = city_book(built, "长沙市")
    for sheet in SCHEMA:
        ws = wb[sheet.name]
        headers = [c.value for c in ws[2]]
        n = len(sheet.fields)
        assert headers[:n] == [f.header for f in sheet.fields]
        assert headers[n] == "检查"
        # the reader's rule (SPEC section 3) finds every label, and no helper column looks like a field
        labels = [header_label(h) for h in headers]
        assert labels[:n] == sheet.labels
        assert not set(labels[n + 1:]) & set(sheet.labels)
        for i, f in enumerate(sheet.fields, start=1):
            comment = ws.cell(2, i).comment
            if f.note:
                assert f.note in comment.text
            if f.required:
                assert comment.text.startswith(("必填", "是（"))
        assert sheet.name in ws["A1"].value and "长沙市" in ws["A1"].value
    star = wb[STAR_SHEET]
    assert star["B2"].value == "姓名*" and star["G2"].value == "职务"  # 职务 is optional
    assert "产业集群窗口平台" in star.cell(2, 1 + [f.key for f in SCHEMA[0].fields].index("prelim_reviewer")).comment.text


def test_drop_down_lists_come_from_the_edition(built):
    wb = city_book(built, "张家界市")
    assert named_list(wb, "list_cities") == ["张家界市"]
    assert named_list(wb, "list_counties") == ["永定区", "武陵源区", "慈利县", "桑植县"]
    star = wb[STAR_SHEET]
    by_col = {first_col(dv): dv for dv in star.data_validations.dataValidation}
    col = {f.key: i + 1 for i, f in enumerate(SCHEMA[0].fields)}
    assert by_col[col["city"]].type == "list" and by_col[col["city"]].formula1 == "list_cities"
    assert by_col[col["county"]].formula1 == "list_counties"
    assert named_list(wb, by_col[col["gender"]].formula1) == ["男", "女"]
    assert named_list(wb, by_col[col["platform_type"]].formula1) == ["市州综合窗口平台", "县市区综合窗口平台", "产业集群窗口平台"]
    assert named_list(wb, by_col[col["credit_pledge"]].formula1) == ["是", "否"]
    assert str(by_col[col["city"]].sqref) == "L3:L102"  # 100 pre-formatted rows
    inst = wb[INSTITUTION_SHEET]
    inst_col = {f.key: i + 1 for i, f in enumerate(sheet_by_name(SCHEMA, INSTITUTION_SHEET).fields)}
    dv = {first_col(d): d for d in inst.data_validations.dataValidation}[inst_col["service_category"]]
    assert len(named_list(wb, dv.formula1)) == 15 and named_list(wb, dv.formula1)[-1] == "信用"
    rec = wb[RECIPIENTS_SHEET]
    dv = rec.data_validations.dataValidation[0]
    assert str(dv.sqref) == "A3:A1002"  # 1000 rows for service recipients
    assert named_list(wb, dv.formula1) == ["优秀服务机构", "优秀服务专家", "创新服务产品"]

    blank = city_book(built, None)
    assert named_list(blank, "list_cities") == CITIES
    assert len(named_list(blank, "list_counties")) == 122  # Hunan's county-level divisions, 2021-2022
    assert len(named_list(blank, "tbl_county")) == 122 and named_list(blank, "tbl_city").count("张家界市") == 4


def test_validations_have_chinese_prompts_and_edition_bounds(built):
    wb = city_book(built, "长沙市")
    star = wb[STAR_SHEET]
    col = {f.key: i + 1 for i, f in enumerate(SCHEMA[0].fields)}
    dvs = {first_col(d): d for d in star.data_validations.dataValidation}
    complaints = dvs[col["complaints"]]
    assert (complaints.type, complaints.formula1, complaints.formula2) == ("whole", "0", "999")
    assert complaints.error == "请填写0~999之间的整数。" and complaints.showErrorMessage
    name = dvs[col["name"]]
    assert (name.type, name.operator, name.formula1) == ("textLength", "lessThanOrEqual", "30")
    review = dvs[col["prelim_date"]]
    # 2022-08-15 and 2022-09-20 as Excel serials: days since 1899-12-30
    assert review.type == "date" and review.errorStyle == "warning"
    assert (int(review.formula1), int(review.formula2)) == (
        (dt.date(2022, 8, 15) - dt.date(1899, 12, 30)).days, (dt.date(2022, 9, 20) - dt.date(1899, 12, 30)).days)
    assert dvs[col["id_number"]].prompt == "18位，末位可为X。仅用于资格核验，公示时不公开。"
    rec = wb[RECIPIENTS_SHEET]
    # 服务时间 may be a day, a month or a period (2021.3-2021.6): no date validation refuses the text forms,
    # the prompt gives the three forms
    assert not [d for d in rec.data_validations.dataValidation if d.type == "date"]
    date_dv = [d for d in rec.data_validations.dataValidation if str(d.sqref) == "F3:F1002"][0]
    assert "2021-06-18" in date_dv.prompt and "2021.3-2021.6" in date_dv.prompt
    expert = wb[EXPERT_SHEET]
    ecol = {f.key: i + 1 for i, f in enumerate(sheet_by_name(SCHEMA, EXPERT_SHEET).fields)}
    year = {first_col(d): d for d in expert.data_validations.dataValidation}[ecol["field_start_year"]]
    assert (year.type, year.formula1, year.formula2) == ("whole", "1950", "2021")


def test_layout_formats_and_print_setup(built):
    wb = city_book(built, "长沙市")
    for sheet in SCHEMA:
        ws = wb[sheet.name]
        n = len(sheet.fields)
        assert ws.freeze_panes == "C3"
        assert ws.print_title_rows == "$1:$2"
        ps = ws.page_setup
        assert (ps.orientation, ps.paperSize, ps.fitToHeight) == ("landscape", 9, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # widths (Field.width + 检查 34): 服务对象情况 177+34 fits one page across (at most 240
        # width units per page); 服务之星 315+34 needs two, 优秀服务机构 469+34 three, and then the
        # identifying columns A:B repeat on every page
        pages = {"服务对象情况": 1, "服务之星": 2, "优秀服务专家": 2, "创新服务产品": 2, "优秀服务机构": 3}[sheet.name]
        assert (ps.fitToWidth or 1) == pages
        assert ws.print_title_cols == (None if pages == 1 else "$A:$B")
        assert "盖章" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text
        rows = 1000 if sheet.name == RECIPIENTS_SHEET else 100
        check_col = openpyxl.utils.get_column_letter(n + 1)
        assert str(ws[f"{check_col}3"].value).startswith("=IF(")
        assert str(ws[f"{check_col}{rows + 2}"].value).startswith("=IF(")
        assert ws[f"{check_col}{rows + 3}"].value is None
        widths = column_widths(ws)
        for i, f in enumerate(sheet.fields, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert widths[i][0] == pytest.approx(f.width, abs=1) and not widths[i][1]
            if f.type.value in ("id_card", "uscc", "phone", "text"):
                assert ws[f"{letter}3"].number_format == "@", f.label  # 18 digits stay text
        helpers = range(n + 2, ws.max_column + 1)
        # one number/code helper per integer, decimal and code field, and a text helper per count (integer) field
        assert len(helpers) == (sum(f.type.value in ("integer", "decimal", "id_card", "uscc") for f in sheet.fields)
                                + sum(f.type.value == "integer" for f in sheet.fields))
        assert all(widths[c][1] for c in helpers)
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        assert any("未填" in r.formula[0] for r in rules)


def test_instructions_explain_dates_contacts_and_fields(built):
    wb = city_book(built, "长沙市")
    text = "\n".join(str(c) for row in wb["填报说明"].iter_rows(values_only=True) for c in row if c)
    for needle in ("2022年8月15日至2022年9月20日", "曾浩", "0731-89706288", "gl@smehn.cn", "徐灿", "gg@smehn.cn",
                   "96871", "劳动西路342号", "“检查”列", "市州：长沙市", "70%", "30%"):
        assert needle in text, needle
    for sheet in SCHEMA:
        assert f"【{sheet.name}】" in text
        for f in sheet.fields:
            assert f.label in text
    assert "是（平台类型为产业集群窗口平台的可不填）" in text
    # each date field's format line gives an example that fits it: 服务时间 a 2021 date, 初审日期 one in
    # the application window (the examples of the fields' own notes)
    rows = {(r[0], r[2]) for r in wb["填报说明"].iter_rows(values_only=True) if r[0]}
    assert ("服务时间", "日期、月份或期间，如 2021-06-18、2021-06 或 2021.3-2021.6") in rows
    assert ("初审日期", "日期，如 2022-09-10") in rows


def test_same_inputs_same_bytes(tmp_path):
    a = write_intake_workbook(EDITION, tmp_path / "a" / "x.xlsx", "衡阳市")
    b = write_intake_workbook(EDITION, tmp_path / "b" / "x.xlsx", "衡阳市")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2022-08-16T" in core  # the edition's notice date, not the build time
    c = write_intake_workbook(EDITION, tmp_path / "c" / "x.xlsx", "岳阳市")
    assert c.read_bytes() != a.read_bytes()


@pytest.mark.parametrize("city", ["长沙市", "株洲市", "湘西土家族苗族自治州", None])
@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_a_city_workbook_of_the_build_is_the_same_as_writing_it_alone(built, tmp_path, city, suffix):
    """The build writes the data sheets once and reuses them for the other cities: the bytes must still be
    those of a workbook written on its own (only the .xlsx of 长沙市 is written in full)."""
    name = intake_file_name(EDITION, city).replace(".xlsx", suffix)
    alone = write_intake_workbook(EDITION, tmp_path / name, city)
    assert (built / name).read_bytes() == alone.read_bytes()
    # the data sheets' parts are those of 长沙市; its title (a shared string) names this workbook's city
    first = built / intake_file_name(EDITION, "长沙市").replace(".xlsx", suffix)
    with zipfile.ZipFile(alone) as z, zipfile.ZipFile(first) as f:
        for n in range(2, 7):
            assert z.read(f"xl/worksheets/sheet{n}.xml") == f.read(f"xl/worksheets/sheet{n}.xml")
    from python_calamine import CalamineWorkbook

    title = CalamineWorkbook.from_path(str(alone)).get_sheet_by_name(SCHEMA[0].name).to_python(nrows=1)[0][0]
    assert title.endswith(f"（{city}）" if city else "（市州：　　　　）")


def test_two_builds_into_two_folders_give_the_same_files(built, tmp_path):
    out = tmp_path / "again"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", "--out", str(out)]) == 0
    names = sorted(p.name for p in built.iterdir())
    assert sorted(p.name for p in out.iterdir()) == names and len(names) == 32
    assert [n for n in names if (out / n).read_bytes() != (built / n).read_bytes()] == []


def test_splice_refuses_workbooks_with_other_parts(tmp_path):
    from xl_awards.io.intake_template import _splice

    def zip_of(**members):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, text in members.items():
                z.writestr(name, text)
        return buf.getvalue()

    light = zip_of(a="light a", b="light b")
    reference = zip_of(a="full a", b="full b")
    spliced = _splice(light, reference, frozenset({"b"}))
    with zipfile.ZipFile(io.BytesIO(spliced)) as z:
        assert z.testzip() is None
        assert (z.read("a"), z.read("b")) == (b"light a", b"full b")
    assert _splice(light, zip_of(a="full a", c="full c"), frozenset({"c"})) is None


def test_unknown_city_is_refused(tmp_path):
    from xl_awards.base.errors import UsageError

    with pytest.raises(UsageError, match="不是湖南省的市州"):
        write_intake_workbook(EDITION, tmp_path / "x.xlsx", "武汉市")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.libreoffice
def test_every_workbook_loads_and_recalculates_in_libreoffice(built, libreoffice):
    import zipfile

    files = intake_files(built)
    assert len(files) == 15
    # The city workbooks differ only in 填报说明, the drop-down lists (_选项), their names and strings; the
    # five data sheets with the 检查 formulas and the 校验结果 sheet are the same bytes in each.  So the blank
    # template and the cities with the fewest and the most counties are recalculated, and every other city is
    # shown to carry exactly their data sheets.
    by_counties = sorted((len(EDITION.divisions.counties(p.stem.split("_")[-1])), p.name)
                         for p in files if "空白模板" not in p.name)
    checked = [built / by_counties[0][1], built / by_counties[-1][1],
               next(p for p in files if "空白模板" in p.name)]
    data_parts = [f"xl/worksheets/sheet{i}.xml" for i in range(2, 8)]  # 服务之星 .. 校验结果
    reference = zipfile.ZipFile(checked[0])
    for p in files:
        with zipfile.ZipFile(p) as z:
            assert [z.read(n) for n in data_parts] == [reference.read(n) for n in data_parts], p.name
    files = checked
    results = libreoffice.run_tasks([{"op": "recalculate", "path": str(p)} for p in files])
    for path, result in zip(files, results):
        assert "error" not in result, (path.name, result)
        assert [(s["name"], s["visible"]) for s in result["sheets"]] == [
            (name, not name.startswith("_")) for name in ALL_SHEETS]
        values = result["values"]
        for sheet in SCHEMA:
            rows = values[sheet.name]
            n = len(sheet.fields)
            assert [header_label(h) for h in rows[1][:n]] == sheet.labels
            # blank rows: the 检查 column is empty, and nothing evaluates to an error
            assert {r[n] for r in rows[2:]} == {""}, (path.name, sheet.name)
            assert not any(isinstance(v, str) and re.match(r"^(#|Err:)", v) for r in rows for v in r[n:])
        assert values["_参数"][1][1] == ("" if "空白模板" in path.name else path.stem.split("_")[-1])


@pytest.mark.libreoffice
def test_libreoffice_converts_a_workbook_to_pdf(built, libreoffice, tmp_path):
    pdf = libreoffice.convert(built / intake_file_name(EDITION, "张家界市"), "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()
    assert pdf.name == "2021年度优秀评选申报工作簿_张家界市.pdf" and data.startswith(b"%PDF")
    # 填报说明 plus five data sheets: at least one page each
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 6

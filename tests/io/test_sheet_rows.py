"""A large hub sheet read row by row from its XML part (xl_awards.io.sheet_rows), as a later collect reads
评分明细 back.  Rows written by the hub's writer, read back by hand-known values; the same rows as the
guarded grid reader gives; and every kind of cell it must not guess at sent back to that reader."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from xl_awards.edition import load_edition
from xl_awards.io.expert_book import read_hub_extra_sheet
from xl_awards.io.hub import load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.io.sheet_parts import Unsupported
from xl_awards.io.sheet_rows import read_sheet_records
from xl_awards.schema.review import DETAIL_SCHEMA

EDITION = load_edition(2021)


def _row(expert, app, item, score, **extra):
    row = {"expert_id": expert, "expert_name": "张一", "app_id": app, "award": "优秀服务机构", "name": "甲机构",
           "item": item, "score": score, "recused": "否", "comment": None, "source_file": f"专家评分_{expert}.xlsx",
           "source_sha256": "ab" * 32, "imported_at": "2022-09-20 10:00:00"}
    row.update(extra)
    return row


ROWS = [
    _row("ZJ01", "JG01", "服务能力", 18.5),
    _row("ZJ01", "JG01", "服务业绩", 20, comment=" 有 <说明> & 建议 "),
    _row("ZJ02", "JG01", "服务能力", None, recused="是", comment="回避"),
    _row("ZJ02", "JG02", "服务能力", 1e-3),
]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    path = write_hub_workbook(EDITION, tmp_path_factory.mktemp("hub"))
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, DETAIL_SCHEMA, ROWS)
    save_hub(wb, path, make_backup=False)
    return path


def test_rows_read_back_as_written(hub):
    got = read_sheet_records(hub, DETAIL_SCHEMA)
    assert [n for n, _ in got] == [3, 4, 5, 6]  # title in row 1, header in row 2
    assert dict(got[0][1]) == ROWS[0]
    assert got[1][1]["comment"] == " 有 <说明> & 建议 " and got[1][1]["score"] == 20
    assert got[2][1]["score"] is None and got[2][1]["recused"] == "是"
    assert got[3][1]["score"] == 0.001


def test_the_same_rows_as_the_grid_reader(hub):
    assert [dict(r) for _, r in read_sheet_records(hub, DETAIL_SCHEMA)] == \
        [dict(r) for r in read_hub_extra_sheet(hub, DETAIL_SCHEMA)]


def test_only_the_rows_kept(hub):
    got = read_sheet_records(hub, DETAIL_SCHEMA, keep=lambda r: r["expert_id"] != "ZJ01")
    assert [(r["expert_id"], r["app_id"]) for _, r in got] == [("ZJ02", "JG01"), ("ZJ02", "JG02")]
    assert got[0][1]["source_file"] is got[1][1]["source_file"]  # repeated text held once


def test_no_such_sheet(hub):
    from xl_awards.schema.review import detail_schema

    assert read_sheet_records(hub, detail_schema(3)) is None


def _edited(hub, tmp_path, edit):
    """The hub with 评分明细 edited and saved by openpyxl (as a person's spreadsheet program would)."""
    path = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(hub)
    edit(wb["评分明细"])
    wb.save(path)
    return path


@pytest.mark.parametrize("edit", [
    lambda ws: setattr(ws["L3"], "value", dt.datetime(2022, 9, 20, 10, 0)),  # a date: a number with a format
    lambda ws: setattr(ws["G4"], "value", "=18+2"),  # a formula
], ids=["date", "formula"])
def test_cells_it_does_not_guess_at_go_to_the_grid_reader(hub, tmp_path, edit):
    path = _edited(hub, tmp_path, edit)
    with pytest.raises(Unsupported):
        read_sheet_records(path, DETAIL_SCHEMA)


def test_a_renamed_header_is_not_guessed_either(hub, tmp_path):
    path = _edited(hub, tmp_path, lambda ws: [setattr(c, "value", "x") for c in ws[2]])
    with pytest.raises(Unsupported):
        read_sheet_records(path, DETAIL_SCHEMA)


def test_shared_strings_are_read(hub, tmp_path):
    """A hub whose 评分明细 takes a cell's text from the shared-string table (as Excel saves): the generic cell path."""
    import re

    path = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(hub) as zin:
        names = zin.namelist()
        table = zin.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in names else None
    if table is None:  # a table of its own, declared
        table, index = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                        'uniqueCount="1"><si><t>ZJ09</t></si></sst>'), 0
    else:  # the hub's own table (the other sheets' texts), one item more
        index = len(re.findall(r"<si\b", table))
        table = table.replace("</sst>", "<si><t>ZJ09</t></si></sst>")
    with zipfile.ZipFile(hub) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/sharedStrings.xml":
                continue
            if "xl/sharedStrings.xml" not in names and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                    b"</Types>")
            elif "xl/sharedStrings.xml" not in names and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org'
                                    b'/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            elif b"ZJ02" in data and info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<c r="A6" t="inlineStr"><is><t>ZJ02</t></is></c>',
                                    f'<c r="A6" t="s"><v>{index}</v></c>'.encode())
                assert f'<c r="A6" t="s"><v>{index}</v>'.encode() in data
            zout.writestr(info, data)
        zout.writestr("xl/sharedStrings.xml", table)
    got = read_sheet_records(path, DETAIL_SCHEMA)
    assert [r["expert_id"] for _, r in got] == ["ZJ01", "ZJ01", "ZJ02", "ZJ09"]

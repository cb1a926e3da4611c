"""Expert scoring workbooks as real files: written with XlsxWriter, filled and tampered with
openpyxl (what an expert or a tamperer with Excel would do), read back with calamine and checked.
One test opens an issued workbook in LibreOffice headless (UNO) like an expert's spreadsheet
application would: protection on, only the intended cells unlocked, the total computes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xl_awards.edition import load_edition
from xl_awards.base.errors import InputError
from xl_awards.io.expert_book import (
    META_SHEET,
    expert_file_name,
    legacy_password_hash,
    load_review_key,
    save_review_key,
    parse_file_expert_id,
    read_expert_workbook,
    write_expert_workbook,
)
from xl_awards.io.libreoffice import UNO_PYTHON
from xl_awards.review.people import ReviewApplication, Expert
from xl_awards.review.returned import check_returned
from xl_awards.review.signing import issue_book, protection_password

EDITION = load_edition(2021)
KEY = b"test-hub-key"
INST = "优秀服务机构"
PROD = "创新服务产品"
EXPERT = Expert("E01", "张三", employer="某大学", awards=(INST, PROD))
APPS = [
    ReviewApplication("A001", "institution", "湖南甲咨询有限公司", award_name=INST, city="长沙市"),
    ReviewApplication("A002", "institution", "株洲乙检测中心", award_name=INST, city="株洲市"),
    ReviewApplication("P001", "product", "=HYPERLINK(\"x\")产品", award_name=PROD, unit="丙公司", city="湘潭市"),
]
# 优秀服务机构 rubric (edition 2021): 6 items, maxima 15,15,20,15,20,15 -> score columns D..I,
# 合计 J, 回避 K, 评语 L; data rows 3 (A001) and 4 (A002).
# 创新服务产品 (layout version 2): 申报编号 A, 申报主体 B, 申报单位 C, 所属市州 D; rubric 5 items
# 25,25,20,15,15 -> E..I, 合计 J, 回避 K, 评语 L; row 3 (P001).
INST_FULL = [12, 13.5, 18, 10, 17, 14.5]  # sum 85
INST_FULL_2 = [10, 10, 10, 10, 10, 10]  # sum 60
PROD_FULL = [20, 20, 15, 10, 12.5]  # sum 77.5


def issue(tmp_path: Path, name: str | None = None) -> Path:
    book = issue_book(EXPERT, APPS, {k: EDITION.rubric(k) for k in ("institution", "product")}, 2021,
                      "2022-09-25T10:00:00")
    path = tmp_path / (name or expert_file_name(EXPERT.expert_id, EXPERT.name))
    return write_expert_workbook(EDITION, book, path, KEY)


def fill(path: Path, out: Path, edits=None, unprotect: bool = False) -> Path:
    """Fill every score like an expert (openpyxl, unlocked cells only), then apply ``edits``."""
    wb = openpyxl.load_workbook(path)
    for col, value in zip("DEFGHI", INST_FULL):
        wb[INST][f"{col}3"] = value
    for col, value in zip("DEFGHI", INST_FULL_2):
        wb[INST][f"{col}4"] = value
    for col, value in zip("EFGHI", PROD_FULL):
        wb[PROD][f"{col}3"] = value
    if unprotect:
        for ws in wb.worksheets:
            ws.protection.sheet = False
    for (sheet, cell), value in (edits or {}).items():
        wb[sheet][cell] = value
    wb.save(out)
    return out


def check(path: Path, experts=None):
    return check_returned(read_expert_workbook(path), KEY, experts if experts is not None else {"E01": EXPERT},
                          score_step=load_edition().score_step)


def test_layout_protection_and_hidden_signature(tmp_path):
    path = issue(tmp_path)
    assert path.name == "专家评分_E01_张三.xlsx" and parse_file_expert_id(path.name) == "E01"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["评分说明", INST, PROD, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    password = protection_password(KEY)
    assert wb.security.workbookPassword == legacy_password_hash(password)
    ws = wb[INST]
    assert [c.value for c in ws[2]] == ["申报编号", "申报主体", "所属市州", "平台注册与线上线下服务(15分)", "行业影响力(15分)",
                                        "公益活动参与(20分)", "服务创新与低收费(15分)", "服务数量与成效(20分)",
                                        "服务产品质量(15分)", "合计(100分)", "回避", "评语"]
    assert ws["J3"].value == "=SUM(D3:I3)"
    for sheet in wb.worksheets:
        assert sheet.protection.sheet, sheet.title
        assert sheet.protection.password == legacy_password_hash(password)
    locked = {c: ws[c].protection.locked for c in ("A3", "B3", "C3", "D3", "I3", "J3", "K3", "L3")}
    assert locked == {"A3": True, "B3": True, "C3": True, "D3": False, "I3": False, "J3": True, "K3": False, "L3": False}
    # A name that looks like a formula stays text.
    assert wb[PROD]["B3"].value == '=HYPERLINK("x")产品' and wb[PROD]["B3"].data_type == "s"
    # Validation 0..max in 0.5 steps on each score column, with a Chinese prompt.
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["E3:E4"].formula1 == "AND(ISNUMBER(E3),E3>=0,E3<=15,MOD(E3*2,1)=0)"
    assert "0到15" in rules["E3:E4"].prompt and rules["F3:F4"].formula1.endswith("F3<=20,MOD(F3*2,1)=0)")
    assert rules["K3:K4"].formula1 == '"是,否"'
    assert ws.page_setup.paperSize == 9 and "评审专家签字" in ws.oddFooter.left.text


def test_filled_workbook_is_accepted(tmp_path):
    path = issue(tmp_path)
    filled = fill(path, tmp_path / path.name)
    checked = check(filled)
    assert checked.accepted, checked.findings
    totals = {}
    for r in checked.records:
        totals[r.app_id] = totals.get(r.app_id, 0) + r.score
    assert totals == {"A001": 85, "A002": 60, "P001": 77.5}  # the sums worked out above


def test_protection_removed_and_locked_cell_edited_is_rejected_at_that_cell(tmp_path):
    path = issue(tmp_path)
    src = tmp_path / "issued" / path.name
    src.parent.mkdir()
    shutil.move(path, src)
    bad = fill(src, tmp_path / path.name, {(INST, "B4"): "株洲乙检测中心（已改名）"}, unprotect=True)
    checked = check(bad)
    assert not checked.accepted and checked.records == []
    assert [(f.rule, f.sheet, f.cell) for f in checked.findings] == [("review_cell_edited", INST, "B4")]
    assert "E01 张三" in checked.findings[0].message


def test_rows_swapped_is_rejected(tmp_path):
    path = issue(tmp_path)
    row3 = ["A001", "湖南甲咨询有限公司", "长沙市"]
    row4 = ["A002", "株洲乙检测中心", "株洲市"]
    edits = {(INST, f"{c}3"): v for c, v in zip("ABC", row4)} | {(INST, f"{c}4"): v for c, v in zip("ABC", row3)}
    out = tmp_path / "swapped"
    out.mkdir()
    checked = check(fill(path, out / path.name, edits, unprotect=True))
    assert [(f.rule, f.cell) for f in checked.findings] == [("review_row_moved", "A3"), ("review_row_moved", "A4")]
    assert checked.records == []


def test_score_over_maximum_and_blanks(tmp_path):
    path = issue(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    # F3 is 公益活动参与 (max 20): 21 is over.  Product row: H3 and I3 cleared -> missing.
    checked = check(fill(path, out / path.name, {(INST, "F3"): 21, (PROD, "H3"): None, (PROD, "I3"): None}))
    got = [(f.rule, f.sheet, f.cell) for f in checked.findings]
    assert got == [("review_score_range", INST, "F3"), ("review_scores_missing", PROD, "H3")]
    assert "H3、I3" in checked.findings[1].message
    assert checked.records == []  # nothing half-imported


def test_renamed_file_for_another_expert(tmp_path):
    path = issue(tmp_path)
    filled = fill(path, tmp_path / "专家评分_E02_李四.xlsx")
    checked = check(filled, {"E01": EXPERT, "E02": Expert("E02", "李四")})
    assert [(f.rule, f.file) for f in checked.findings] == [("review_file_expert", "专家评分_E02_李四.xlsx")]
    # A workbook whose expert is not in 专家库.
    assert [f.rule for f in check(fill(path, tmp_path / path.name), {"E02": Expert("E02", "李四")}).findings] == [
        "review_unknown_expert"]


def test_hidden_content_edited_fails_the_signature(tmp_path):
    path = issue(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    wb = openpyxl.load_workbook(path)
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "内容1":
            row[1].value = row[1].value.replace("株洲乙检测中心", "冒名机构")
    wb.save(out / path.name)
    checked = check(out / path.name)
    assert [f.rule for f in checked.findings] == ["review_signature"] and checked.records == []


@pytest.mark.parametrize("kind,data,fragment", [
    ("text", b"just text, not a workbook", "不是 Excel 工作簿"),
    ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 .xls"),
    ("zip", b"PK\x03\x04broken zip", "损坏"),
])
def test_junk_input_is_one_chinese_line(tmp_path, kind, data, fragment):
    path = tmp_path / f"专家评分_E01_张三_{kind}.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_expert_workbook(path)
    assert fragment in str(err.value) and path.name in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputError, match="文件不存在"):
        read_expert_workbook(tmp_path / "missing.xlsx")


def test_key_file_created_once_and_env_override(tmp_path, monkeypatch):
    hub = tmp_path / "省枢纽平台工作簿.xlsx"
    with pytest.raises(InputError, match="签名密钥"):
        load_review_key(hub)  # collect never invents a key
    key = load_review_key(hub, create=True)
    # a new key is not written by loading: expert-sheets saves it once the workbooks are written
    assert not (tmp_path / "省枢纽平台工作簿.key").exists() and len(key) == 64
    save_review_key(hub, key)
    assert (tmp_path / "省枢纽平台工作簿.key").is_file()
    assert load_review_key(hub, create=True) == key == load_review_key(hub)
    assert protection_password(key) in (tmp_path / "省枢纽平台工作簿.key").read_text(encoding="utf-8")
    monkeypatch.setenv("XL_AWARDS_REVIEW_KEY", "from-env")
    assert load_review_key(hub) == b"from-env"


# -- LibreOffice -------------------------------------------------------------------------------

# Loads the workbook, reports protection and cell locks, fills scores, recalculates, reads totals.
UNO_SCRIPT = r'''
import json, sys, time, uno
from com.sun.star.beans import PropertyValue
job = json.loads(sys.stdin.read())
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.time() + 60
while True:
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % job["pipe"])
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(0.3)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
hidden = PropertyValue(); hidden.Name, hidden.Value = "Hidden", True
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["path"]), "_blank", 0, (hidden,))
out = {"structure_protected": bool(doc.isProtected()), "sheets": {}}
sheets = doc.getSheets()
for i in range(sheets.getCount()):
    s = sheets.getByIndex(i)
    out["sheets"][s.getName()] = {"protected": bool(s.isProtected()), "visible": bool(s.IsVisible)}
sheet = sheets.getByName(job["sheet"])
out["locked"] = {a: bool(sheet.getCellRangeByName(a).CellProtection.IsLocked) for a in job["cells"]}
for a, v in job["fill"].items():
    sheet.getCellRangeByName(a).setValue(v)
doc.calculateAll()
out["totals"] = {a: sheet.getCellRangeByName(a).getValue() for a in job["totals"]}
doc.close(True)
print(json.dumps(out))
'''


@pytest.mark.libreoffice
def test_issued_workbook_in_libreoffice(tmp_path, libreoffice):
    path = issue(tmp_path)
    # This script talks to the session's soffice (conftest) over its pipe: no second soffice.
    job = {"pipe": libreoffice._pipe, "path": str(path.resolve()), "sheet": INST,
           "cells": ["A3", "B3", "C3", "D3", "I3", "J3", "K3", "L3", "B4", "E4"],
           "fill": dict(zip(["D3", "E3", "F3", "G3", "H3", "I3"], INST_FULL)) | {"D4": 7.5, "I4": 2},
           "totals": ["J3", "J4"]}
    done = subprocess.run([UNO_PYTHON, "-c", UNO_SCRIPT], input=json.dumps(job), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Workbook structure protection is not checked here: LibreOffice 7.4 does not import
    # <workbookProtection lockStructure> from .xlsx (a file saved by openpyxl with it is not reported
    # protected either, and LibreOffice writes it back empty).  test_layout_... checks it in the file.
    assert result["sheets"][INST] == {"protected": True, "visible": True}
    assert result["sheets"]["评分说明"]["protected"] is True
    assert result["sheets"][META_SHEET]["visible"] is False
    assert result["locked"] == {"A3": True, "B3": True, "C3": True, "D3": False, "I3": False, "J3": True,
                                "K3": False, "L3": False, "B4": True, "E4": False}
    # J3 = 12+13.5+18+10+17+14.5 = 85; J4 = 7.5 + 2 = 9.5 (other cells blank).
    assert result["totals"] == {"J3": 85.0, "J4": 9.5}


def test_swapped_rubric_headers_with_the_same_maximum_are_refused(tmp_path):
    # 优秀服务机构 D2 平台注册与线上线下服务(15分) and E2 行业影响力(15分): the same maximum, so each
    # label still names an issued item with its maximum; swapped, D3's 12 would be filed under
    # 行业影响力.  The issued header row is signed (version 2): refused at D2 and E2.
    path = issue(tmp_path)
    out = tmp_path / "swapped"
    out.mkdir()
    edits = {(INST, "D2"): "行业影响力(15分)", (INST, "E2"): "平台注册与线上线下服务(15分)"}
    checked = check(fill(path, out / path.name, edits, unprotect=True))
    assert [(f.rule, f.sheet, f.cell) for f in checked.findings] == [("review_header_moved", INST, "D2")]
    message = checked.findings[0].message
    assert "“优秀服务机构”的表头D2、E2与签发的不一致" in message
    assert "应为“平台注册与线上线下服务(15分)、行业影响力(15分)”" in message
    assert "现为“行业影响力(15分)、平台注册与线上线下服务(15分)”" in message
    assert checked.records == [] and not checked.accepted
    # Moving the 回避 column before 合计 (K2 <-> J2) is refused the same way.
    edits = {(INST, "J2"): "回避", (INST, "K2"): "合计(100分)"}
    moved = check(fill(path, tmp_path / "moved.xlsx", edits, unprotect=True))
    assert [(f.rule, f.cell) for f in moved.findings if f.is_error] == [("review_header_moved", "J2")]


def test_product_rows_show_their_unit_under_the_signature(tmp_path):
    path = issue(tmp_path)
    ws = openpyxl.load_workbook(path)[PROD]
    assert [c.value for c in ws[2]][:5] == ["申报编号", "申报主体", "申报单位", "所属市州", "独特性与原创性(25分)"]
    assert [ws[c].value for c in ("A3", "B3", "C3", "D3")] == ["P001", '=HYPERLINK("x")产品', "丙公司", "湘潭市"]
    assert ws["C3"].protection.locked and ws["J3"].value == "=SUM(E3:I3)"
    (tmp_path / "edited").mkdir()
    edited = check(fill(path, tmp_path / "edited" / path.name, {(PROD, "C3"): "丁公司"}, unprotect=True))
    assert [(f.rule, f.sheet, f.cell) for f in edited.findings] == [("review_cell_edited", PROD, "C3")]
    assert "签发为“丙公司”，现为“丁公司”" in edited.findings[0].message


def test_a_version_1_workbook_is_still_read(tmp_path):
    # Issued before the header row and 申报单位 were signed: no units, the default header, no
    # "columns"/"units" keys in the signed text.  Product scores then sit in D..H as they did.
    from dataclasses import replace

    from xl_awards.review.signing import IssuedSheet

    book = issue_book(EXPERT, APPS, {k: EDITION.rubric(k) for k in ("institution", "product")}, 2021,
                      "2022-09-25T10:00:00")
    old = replace(book, version=1, sheets=tuple(IssuedSheet(s.award, s.award_name, s.items, s.rows) for s in book.sheets))
    assert '"columns"' not in old.canonical() and '"units"' not in old.canonical()
    path = write_expert_workbook(EDITION, old, tmp_path / expert_file_name("E01", "张三"), KEY)
    wb = openpyxl.load_workbook(path)
    assert wb[PROD]["C2"].value == "所属市州"
    for col, value in zip("DEFGHI", INST_FULL):
        wb[INST][f"{col}3"] = value
    for col, value in zip("DEFGHI", INST_FULL_2):
        wb[INST][f"{col}4"] = value
    for col, value in zip("DEFGH", PROD_FULL):
        wb[PROD][f"{col}3"] = value
    wb.save(tmp_path / "back.xlsx")
    checked = check_returned(read_expert_workbook(tmp_path / "back.xlsx", file_name=path.name), KEY, {"E01": EXPERT},
                             score_step=load_edition().score_step)
    assert checked.accepted, checked.findings
    totals = {}
    for r in checked.records:
        totals[r.app_id] = totals.get(r.app_id, 0) + r.score
    assert totals == {"A001": 85, "A002": 60, "P001": 77.5}

"""publicity and finalize commands on a real hub workbook (built from the template, ranked by `rank`)."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.io.atomic import file_sha256
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.jobs.finalize import finalize_hub
from xl_awards.jobs.publicity import publicity_hub
from xl_awards.jobs.rank import rank_hub
from xl_awards.schema import hub as H

EDITION = load_edition(2021)
ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
EDITION_PHONES = {c["phone"] for c in EDITION.data["contacts"].values() if isinstance(c, dict)}

# Two stars with real-looking 身份证号码 (tests/factory.py worked their check digits by hand) in 证件号码,
# one with a mobile number typed into its platform name: neither may reach the 公示名单.
STAR_IDS = ("43010219850312123X", "430304198001014569")
STAR_PHONE = "13907310000"
STARS = [("FW001", "张星", STAR_IDS[0], f"长沙市窗口平台（电话{STAR_PHONE}）", 90),
         ("FW002", "李星", STAR_IDS[1], "株洲市窗口平台", 88)]


def make_hub(tmp_path: Path, institution_means, rank=True) -> Path:
    """A hub with institutions JG001.. (each scored `mean` by three experts) and the two stars; ranked.

    With three counted scores the review score is their mean (fewer than 5: no trimming); no
    官网备案 record counts 0, so an institution's total is 0.7 × mean: equal means tie exactly.
    """
    hub = write_hub_workbook(EDITION, tmp_path / "hub")
    wb = load_hub_for_update(hub)
    register, scores = [], []

    def add(app_id, award, name, id_code, unit, mean):
        register.append(dict(app_id=app_id, award=award, name=name, id_code=id_code, unit=unit, city="长沙市",
                             status="待评审", source_file="x.xlsx", source_sha256="0", source_sheet=award,
                             source_row=len(register) + 3, imported_at="2022-09-21 10:00:00"))
        for expert in ("E1", "E2", "E3"):
            scores.append(dict(expert_id=expert, expert_name=f"专家{expert}", award=award, app_id=app_id, name=name,
                               score=mean, counted="是"))

    for i, mean in enumerate(institution_means, start=1):
        add(f"JG{i:03d}", "优秀服务机构", f"机构{i}", "", "", mean)
    for app_id, name, id_code, unit, mean in STARS:
        add(app_id, "服务之星", name, id_code, unit, mean)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), register)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.SCORES_SHEET), scores)
    save_hub(wb, hub, make_backup=False)
    if rank:
        rank_hub(hub, EDITION, when="2022-09-30 09:00:00")
    return hub


# 13 institutions: JG001..JG010 with means 95..86 are the quota of 10; JG011 and JG012 tie on 85
# (rank 11), JG013 has 80 (rank 13).
CLEAN = [95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 85, 80]
# JG010 and JG011 tie on 86 at rank 10 with one place left: 并列待定.
PENDING = [95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 86, 80]


def sheet_rows(path: Path, name: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    ws = wb[name]
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[0] == "序号*")
    return [row for row in ws.iter_rows(min_row=header + 1, values_only=True) if any(v is not None for v in row)]


def all_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def set_rank_status(hub: Path, app_id: str, label: str) -> None:
    """What hub staff do to decide a tie: change the 状态 cell of an entry in 排名."""
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.RANKING_SHEET]
    status_col = None
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if "状态" in values and "申报编号" in values and status_col is None:
            status_col = values.index("状态")
        if status_col is not None and app_id in values:
            row[status_col].value = label
            break
    else:
        raise AssertionError(app_id)
    wb.save(hub)


def mark_objection(hub: Path, app_id: str, objection: str = "经核实，申报材料与实际不符") -> None:
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.PUBLICITY_SHEET]
    header = [str(c.value).rstrip("*") for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        if row[header.index("申报编号")].value == app_id:
            row[header.index("异议情况")].value = objection
            row[header.index("撤销")].value = "是"
            break
    else:
        raise AssertionError(app_id)
    wb.save(hub)


def test_publicity_writes_the_list_with_dates_and_no_personal_data(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    # 2022-09-30 (Fri) + make-up workdays 10-08, 10-09 -> 09-30, 10-08, 10-09, 10-10, 10-11.
    code = main(["publicity", "--hub", str(hub), "--start", "2022-09-30", "--out", str(out), "--no-pdf"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "2022-09-30 至 2022-10-11" in printed
    rows = sheet_rows(hub, H.PUBLICITY_SHEET)
    start, end = dt.datetime(2022, 9, 30), dt.datetime(2022, 10, 11)
    # Stars first (list order), then institutions 1..10 by rank; 序号 restarts per award.
    assert [r[:8] for r in rows] == (
        # (the ranking reads the register through clean_text, which folds full-width brackets to ASCII)
        [(1, "服务之星", "张星", "长沙市窗口平台(电话［电话已隐去］)", "长沙市", "FW001", start, end),
         (2, "服务之星", "李星", "株洲市窗口平台", "长沙市", "FW002", start, end)]
        + [(i, "优秀服务机构", f"机构{i}", None, "长沙市", f"JG{i:03d}", start, end) for i in range(1, 11)])
    log = sheet_rows_log(hub)
    assert log[-1][2] == "公示" and log[-1][5] == 12
    doc = out / "2021年度优秀评选拟获奖名单公示.xlsx"
    doc_text = all_text(doc)  # (the sheet itself: test_only_the_written_sheet_holds_no_ids)
    assert not ID_RE.search(doc_text) and not MOBILE_RE.search(doc_text)
    assert "2021年度湖南省中小企业公共服务平台网络优秀评选拟获奖名单公示" in doc_text
    assert "2022年9月30日至2022年10月11日" in doc_text
    assert "2020年度获评的" in doc_text and "不列入本次名单" in doc_text
    # The only phone numbers in the document are the hub's own contact lines (from the edition).
    assert set(LANDLINE_RE.findall(doc_text)) == EDITION_PHONES


def sheet_rows_log(hub: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.LOG_SHEET]
    return [r for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]


def test_only_the_written_sheet_holds_no_ids(tmp_path):
    """The hub's 公示名单 sheet alone (the 申报汇总 sheet legitimately holds the ID numbers)."""
    hub = make_hub(tmp_path, CLEAN)
    publicity_hub(hub, dt.date(2022, 10, 10), EDITION, tmp_path / "out", pdf=False)
    ws = openpyxl.load_workbook(hub)[H.PUBLICITY_SHEET]
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert "张星" in text
    assert not ID_RE.search(text) and not MOBILE_RE.search(text) and not LANDLINE_RE.search(text)


def test_unresolved_tie_exits_1_naming_it_then_the_hub_decides(tmp_path, capsys):
    hub = make_hub(tmp_path, PENDING)
    before = file_sha256(hub)
    code = main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "第10名并列待定" in printed and "“机构10”、“机构11”" in printed and "剩余名额1个" in printed
    assert file_sha256(hub) == before
    # The hub picks 机构11 and leaves 机构10 out.
    set_rank_status(hub, "JG010", "未入选")
    set_rank_status(hub, "JG011", "入选")
    code = main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"])
    assert code == 0, capsys.readouterr().out
    names = [r[2] for r in sheet_rows(hub, H.PUBLICITY_SHEET) if r[1] == "优秀服务机构"]
    assert names == [f"机构{i}" for i in range(1, 10)] + ["机构11"]


def test_ranking_missing_or_stale_exits_1(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN, rank=False)
    assert main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"]) == 1
    assert "请先运行“计算排名”" in capsys.readouterr().out
    rank_hub(hub, EDITION)
    # A score changes after ranking: 机构13 now 99 (rank 1), so 机构10 would drop out -> stale.
    wb = load_hub_for_update(hub)
    ws = wb[H.SCORES_SHEET]
    header_row = next(r for r in range(1, 6) if "申报编号" in [str(c.value).rstrip("*") for c in ws[r]])
    header = [str(c.value).rstrip("*") for c in ws[header_row]]
    for row in ws.iter_rows(min_row=header_row + 1):
        if row[header.index("申报编号")].value == "JG013":
            row[header.index("评分")].value = 99
    save_hub(wb, hub, make_backup=False)
    assert main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"]) == 1
    printed = capsys.readouterr().out
    assert "机构13" in printed and "重新运行“计算排名”" in printed


def test_junk_start_and_locked_hub_exit_2_unchanged(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN)
    before = file_sha256(hub)
    assert main(["publicity", "--hub", str(hub), "--start", "十月中旬", "--no-pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "--start “十月中旬”不是有效日期，请填写如 2022-10-10"
    assert main(["publicity", "--hub", str(hub), "--start", "2022-02-30", "--no-pdf"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    lock = hub.with_name(f"~${hub.name}")
    lock.write_bytes(b"x")
    assert main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"]) == 2
    assert "正在被" in capsys.readouterr().err
    assert main(["finalize", "--hub", str(hub), "--today", "2022-10-20", "--no-pdf"]) == 2
    capsys.readouterr()
    lock.unlink()
    assert file_sha256(hub) == before
    assert main(["finalize", "--hub", str(hub), "--today", "昨天", "--no-pdf"]) == 2
    assert main(["publicity", "--hub", str(tmp_path / "nope.xlsx"), "--start", "2022-10-10", "--no-pdf"]) == 2


def test_finalize_refuses_before_the_end_then_applies_objections(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    assert main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--out", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    # Publicity 10-10..10-14: on the end day itself it is not over yet.
    before = file_sha256(hub)
    assert main(["finalize", "--hub", str(hub), "--today", "2022-10-14", "--no-pdf"]) == 1
    printed = capsys.readouterr().out.strip()
    assert printed == "错误：公示期至2022-10-14结束，今天（2022-10-14）尚未期满，请于2022-10-15及以后定稿"
    assert file_sha256(hub) == before
    # An objection removes 机构3 and another 机构5: two places, the tied pair 机构11/机构12 (rank 11)
    # fills both exactly.
    mark_objection(hub, "JG003")
    mark_objection(hub, "JG005")
    code = main(["finalize", "--hub", str(hub), "--today", "2022-10-17", "--out", str(out), "--no-pdf"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    final = [r for r in sheet_rows(hub, "获奖名单") if r[1] == "优秀服务机构"]
    kept = [1, 2, 4, 6, 7, 8, 9, 10]
    assert [(r[0], r[2], r[7]) for r in final] == (
        [(seq, f"机构{i}", "公示无异议") for seq, i in enumerate(kept, start=1)]
        + [(9, "机构11", "递补"), (10, "机构12", "递补")])
    assert len([r for r in sheet_rows(hub, "获奖名单") if r[1] == "服务之星"]) == 2
    assert sheet_rows_log(hub)[-1][2] == "定稿"
    # One certificate page per winner: 12 winners -> 11 manual page breaks, landscape A4.
    ws = openpyxl.load_workbook(out / "2021年度优秀评选获奖证书.xlsx").active
    assert len(ws.row_breaks.brk) == 11
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    cert_text = all_text(out / "2021年度优秀评选获奖证书.xlsx")
    lines = cert_text.split("\n")
    # Headings: 荣誉证书 for the 2 stars, 牌匾 for the 10 institutions (the notice's 评选支持).
    assert lines.count("荣誉证书") == 2 and lines.count("牌　匾") == 10
    assert cert_text.count("“2021年度优秀服务机构”") == 10 and cert_text.count("“2021年度服务之星”") == 2
    assert "奖杯" not in cert_text  # no 优秀服务专家 in this hub
    assert not ID_RE.search(cert_text) and not MOBILE_RE.search(cert_text)


def test_finalize_tie_at_the_new_line_reported_then_picked(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN)
    publicity_hub(hub, dt.date(2022, 10, 10), EDITION, tmp_path / "out", pdf=False)
    mark_objection(hub, "JG003")
    before = file_sha256(hub)
    # One place, 机构11 and 机构12 tied at rank 11: reported, not cut, nothing written.
    assert main(["finalize", "--hub", str(hub), "--today", "2022-10-17", "--no-pdf"]) == 1
    printed = capsys.readouterr().out
    assert "递补到第11名时有2个并列" in printed and "“机构11”、“机构12”" in printed
    assert file_sha256(hub) == before
    set_rank_status(hub, "JG012", "入选")
    assert main(["finalize", "--hub", str(hub), "--today", "2022-10-17", "--out", str(tmp_path / "out"),
                 "--no-pdf"]) == 0
    capsys.readouterr()
    final = [r[2] for r in sheet_rows(hub, "获奖名单") if r[1] == "优秀服务机构"]
    assert final[-1] == "机构12" and "机构11" not in final and "机构3" not in final


def test_publicity_rerun_keeps_objections(tmp_path):
    hub = make_hub(tmp_path, CLEAN)
    publicity_hub(hub, dt.date(2022, 10, 10), EDITION, tmp_path / "out", pdf=False)
    mark_objection(hub, "JG002", "实名举报，核实中")
    run = publicity_hub(hub, dt.date(2022, 10, 10), EDITION, tmp_path / "out", pdf=False)
    assert [f.rule for f in run.findings] == ["publicity_kept_objection"]
    row = next(r for r in sheet_rows(hub, H.PUBLICITY_SHEET) if r[5] == "JG002")
    assert row[8:10] == ("实名举报，核实中", "是")


@pytest.mark.libreoffice
def test_pdfs_through_libreoffice(tmp_path, libreoffice):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    hub = make_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    run = publicity_hub(hub, dt.date(2022, 10, 10), EDITION, out, office=libreoffice)
    assert run.pdf_error == ""
    pdf = out / "2021年度优秀评选拟获奖名单公示.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "拟获奖名单公示" in text and "机构10" in text and "张星" in text
    assert not ID_RE.search(text) and not MOBILE_RE.search(text)
    assert set(LANDLINE_RE.findall(text)) <= EDITION_PHONES
    done = finalize_hub(hub, dt.date(2022, 10, 17), EDITION, out, office=libreoffice)
    assert done.written and done.pdf_error == ""
    certs = out / "2021年度优秀评选获奖证书.pdf"
    info = subprocess.run(["pdfinfo", str(certs)], capture_output=True, text=True).stdout
    # 12 winners (10 institutions + 2 stars), one landscape A4 page each (841.89 x 595.28 pt).
    assert re.search(r"Pages:\s+12\b", info)
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info)
    cert_text = subprocess.run(["pdftotext", str(certs), "-"], capture_output=True, text=True).stdout
    pages = cert_text.split("\f")
    assert "张星" in pages[0] and "荣誉证书" in pages[0]
    assert "机构1" in pages[2] and "“2021年度优秀服务机构”" in pages[2]


def _register_status(hub: Path, app_id: str, status: str) -> None:
    from xl_awards.io.hub import read_hub

    rows = [dict(row) for _, row in read_hub(hub, EDITION).register]  # hub rows are read-only records
    for row in rows:
        if row["app_id"] == app_id:
            row["status"] = status
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), rows)
    save_hub(wb, hub, make_backup=False)


def _remark(hub: Path, app_id: str) -> str:
    """The 排名 sheet's 说明 of the entry ``app_id`` (its column found by the header)."""
    from xl_awards.io.hub import read_hub

    rows = [row for _, row in read_hub(hub, EDITION).rows(H.RANKING_SHEET) if row.get("app_id") == app_id]
    return str(rows[0]["remark"])


def test_a_selected_entry_to_correct_stops_publicity_until_the_hub_decides(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN, rank=False)
    _register_status(hub, "JG003", "待补正")  # mean 93: rank 3, selected
    rank_hub(hub, EDITION, when="2022-09-30 09:00:00")
    assert _remark(hub, "JG003").startswith("待补正")  # 排名 flags it; it is ranked like any other
    before = file_sha256(hub)
    code = main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"])
    printed = capsys.readouterr().out
    assert code == 1 and "“机构3”（JG003）入选，但在申报汇总中仍为“待补正”" in printed
    assert file_sha256(hub) == before
    # the hub decides, on the record: rank shows the decision and publicity goes ahead
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.DECISIONS_SHEET), [
        {"app_id": "JG003", "decision": "补正后符合", "reason": "已补交联系电话", "decided_by": "刘审核"}])
    save_hub(wb, hub, make_backup=False)
    rank_hub(hub, EDITION, when="2022-09-30 10:00:00")
    assert _remark(hub, "JG003") == "人工认定：补正后符合（已补交联系电话）"
    code = main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--no-pdf"])
    assert code == 0, capsys.readouterr().out
    assert "机构3" in [r[2] for r in sheet_rows(hub, H.PUBLICITY_SHEET)]

"""A province in miniature (issue 9): valid applicants typed the way people type reach the ranking,
a real eligibility failure does not, a 待补正 problem is listed for correction and reaches the
ranking after a 人工认定 row; the corrections workbooks are read back cell by cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from factory import ID_STAR_2, INSTITUTION_NAME, SHEETS, column_letter, valid_rows, write_intake
from hubfactory import EDITION, by_id, log, make_hub, register
from xl_awards.cli import main
from xl_awards.hub.scoring_inputs import ranking_inputs
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub
from xl_awards.jobs.consolidate import consolidate_files
from xl_awards.jobs.corrections import write_corrections
from xl_awards.schema import hub as H
from xl_awards.schema.intake import EXPERT_SHEET, INSTITUTION_SHEET, PRODUCT_SHEET, RECIPIENTS_SHEET, STAR_SHEET

OTHER_USCC = "91430100MA4L99999E"  # valid check character (see test_consolidate.py)
SECOND_INST = "湖南某某咨询有限公司"
TODAY = dt.date(2022, 9, 24)


def _rows():
    rows = valid_rows()
    star = rows[STAR_SHEET][0]
    # real-world forms on valid applicants
    star.update(phone="138-7451-2345", complaints="无", service_start="2020-06")
    failing = dict(star, name="李投诉", id_number=ID_STAR_2, platform="浏阳市中小企业服务中心", complaints="2次",
                   service_start="2018-05", phone="13907310000")
    rows[STAR_SHEET].append(failing)
    inst = rows[INSTITUTION_SHEET][0]
    inst.update(phone="+86 13874512345", service_category="管理咨询、财税", served_count="320家")
    to_correct = dict(inst, name=SECOND_INST, uscc=OTHER_USCC, email="info@example", phone="0731-84561234",
                      service_category="财税")
    rows[INSTITUTION_SHEET].append(to_correct)
    rows[EXPERT_SHEET][0].update(phone="0731-84561234转801", qualification="暂无")  # 正高级: admitted anyway
    rows[PRODUCT_SHEET][0].update(phone="0731-84561234/13874512345", case_count="4个")
    recipients = rows[RECIPIENTS_SHEET]
    recipients[0]["date"] = "2021-05"
    recipients[1]["date"] = "2021.3-2021.6"
    recipients[2].update(company_uscc=None)  # an unregistered team: a warning only
    recipients.append(dict(recipients[0], applicant=SECOND_INST, date="2021年5月"))
    return rows


@pytest.fixture
def province(tmp_path):
    hub = make_hub(tmp_path / "hub")
    city = write_intake(tmp_path / "长沙市.xlsx", _rows())
    result, _ = consolidate_files(hub, [city], EDITION, imported_at="2022-09-21 10:00:00", user="测试员")
    return {"hub": hub, "city": city, "result": result, "tmp": tmp_path}


def _decide(hub, rows):
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.DECISIONS_SHEET), rows)
    save_hub(wb, hub, make_backup=False)


def test_each_kind_of_applicant_gets_its_status(province):
    regs = by_id(register(province["hub"]))
    # FW-001 张服务 (phone with dashes, 无 complaints, service from 2020-06: 27 months to the 2022-09-20
    # deadline >= 24) and JG-001, ZJ-001, CP-001 (each real-world form) are in; FW-002 has 2 complaints
    # (the notice: none in a year) and is out; JG-002's malformed e-mail only needs correcting.
    assert {k: v["status"] for k, v in regs.items()} == {
        "FW-001": "待评审", "FW-002": "不符合条件", "JG-001": "待评审", "JG-002": "待补正", "ZJ-001": "待评审",
        "CP-001": "待评审",
    }
    email_cell = f"{column_letter(INSTITUTION_SHEET, 'email')}4"
    assert regs["JG-002"]["reasons"] == (f"【申报表 {email_cell}】〔待补正〕电子邮箱“info@example”格式有误，"
                                         "请填写完整的邮箱地址，如 name@example.com")
    assert regs["FW-002"]["reasons"] == (f"【申报表 {column_letter(STAR_SHEET, 'complaints')}4】〔资格不符〕"
                                         "近一年企业投诉2次，一年内发生企业投诉的不能参评")
    found = {(f.rule, f.sheet, f.row, f.effect) for f in province["result"].findings}
    # 2020-06 -> 2021-12-31 is 18 months: admitted only by the deadline reading, said in an info finding
    assert ("star_service_reading", STAR_SHEET, 3, "none") in found
    assert ("recipient_no_uscc", RECIPIENTS_SHEET, 5, "none") in found
    assert not [f for f in province["result"].findings if f.is_error and f.row == 3]


def test_ranking_admits_the_valid_and_the_to_correct_but_not_the_ineligible(province):
    data = ranking_inputs(read_hub(province["hub"], EDITION))
    stars = {a.id: a for a in data.inputs.star}
    insts = {a.id: a for a in data.inputs.institution}
    assert stars["FW-001"].ineligible_reason is None
    assert "投诉2次" in stars["FW-002"].ineligible_reason
    assert insts["JG-001"].ineligible_reason is None and insts["JG-002"].ineligible_reason is None
    assert data.flags[("institution", "JG-002")].startswith("待补正")
    assert ("institution", "JG-001") not in data.flags


def _read_back(path):
    ws = openpyxl.load_workbook(path)["补正清单"]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def test_corrections_workbook_read_back_cell_by_cell(province):
    out = province["tmp"] / "补正通知"
    written = write_corrections(province["hub"], out, EDITION, today=TODAY)
    assert [(city, path.name, n_apps, n_lines, existed) for city, path, n_apps, n_lines, existed in written] == [
        ("长沙市", "长沙市_补正清单.xlsx", 2, 2, False)]
    rows = _read_back(out / "长沙市_补正清单.xlsx")
    title = openpyxl.load_workbook(out / "长沙市_补正清单.xlsx")["补正清单"]["A1"].value
    assert title == f"{EDITION.title}——长沙市申报补正清单（省枢纽平台 2022-09-24 生成）"
    assert rows == [
        ("申报编号", "申报类别", "申报主体", "状态", "工作表", "单元格", "问题说明", "影响", "处理意见", "来源文件", "来源行"),
        ("FW-002", "服务之星", "李投诉", "不符合条件", STAR_SHEET, f"{column_letter(STAR_SHEET, 'complaints')}4",
         "近一年企业投诉2次，一年内发生企业投诉的不能参评", "资格不符",
         "不符合通知规定的参评条件；如认为有误，请提供证明材料说明", "长沙市.xlsx", 4),
        ("JG-002", "优秀服务机构", SECOND_INST, "待补正", INSTITUTION_SHEET, f"{column_letter(INSTITUTION_SHEET, 'email')}4",
         "电子邮箱“info@example”格式有误，请填写完整的邮箱地址，如 name@example.com", "待补正",
         "请按问题说明补齐或更正后重新报送工作簿（补正后照常参评）", "长沙市.xlsx", 4),
    ]
    # a second run never overwrites the first list
    before = (out / "长沙市_补正清单.xlsx").read_bytes()
    again = write_corrections(province["hub"], out, EDITION, today=TODAY)
    assert again[0][1].name == "长沙市_补正清单(2).xlsx" and again[0][4] is True
    assert (out / "长沙市_补正清单.xlsx").read_bytes() == before


def test_a_decision_with_a_reason_admits_and_survives_reconsolidation(province):
    hub, city = province["hub"], province["city"]
    _decide(hub, [
        {"app_id": "JG-002", "decision": "补正后符合", "reason": "已收到更正后的邮箱地址", "decided_by": "刘审核",
         "date": dt.date(2022, 9, 25)},
        {"app_id": "FW-002", "decision": "认定符合", "reason": None, "decided_by": "刘审核"},  # no reason: not used
        {"app_id": "JG-099", "decision": "认定不符合", "reason": "重复", "decided_by": "刘审核"},  # unknown number
    ])
    result, _ = consolidate_files(hub, [city], EDITION, imported_at="2022-09-26 09:00:00", user="测试员")
    regs = by_id(register(hub))
    assert regs["JG-002"]["status"] == "待评审"
    assert "【人工认定】补正后符合：已收到更正后的邮箱地址（刘审核，2022-09-25）" in regs["JG-002"]["reasons"]
    assert regs["FW-002"]["status"] == "不符合条件"  # the decision without a reason changed nothing
    errors = {(f.rule, f.sheet, f.row) for f in result.findings if f.is_error}
    assert ("decision_no_reason", "人工认定", 4) in errors and ("decision_unknown_app", "人工认定", 5) in errors
    decided = [row for row in log(hub) if row["action"] == "人工认定"]
    assert len(decided) == 1 and "JG-002" in decided[0]["findings"] and "刘审核" in decided[0]["findings"]
    # again (the same file): the decision is re-applied from the sheet, the register unchanged
    consolidate_files(hub, [city], EDITION, imported_at="2022-09-27 09:00:00", user="测试员")
    assert by_id(register(hub))["JG-002"] == regs["JG-002"]
    # the ranking counts it and says it was decided by hand; the corrections list no longer has it
    data = ranking_inputs(read_hub(hub, EDITION))
    assert data.flags[("institution", "JG-002")] == "人工认定：补正后符合（已收到更正后的邮箱地址）"
    written = write_corrections(hub, province["tmp"] / "补正2", EDITION, today=TODAY)
    assert [(c, n_apps) for c, _, n_apps, _, _ in written] == [("长沙市", 1)]


def test_corrected_city_file_replaces_the_rows(province, tmp_path):
    hub = province["hub"]
    rows = _rows()
    rows[INSTITUTION_SHEET][1]["email"] = "info@example.com"
    (tmp_path / "更正").mkdir()
    corrected = write_intake(tmp_path / "更正" / "长沙市.xlsx", rows)
    consolidate_files(hub, [corrected], EDITION, imported_at="2022-09-28 09:00:00", user="测试员")
    regs = by_id(register(hub))
    assert regs["JG-002"]["status"] == "待评审" and regs["JG-002"]["reasons"] is None
    assert len(regs) == 6


def test_cli_corrections_and_consolidate_next_step(province, capsys):
    rc = main(["consolidate", "--hub", str(province["hub"]), str(province["city"])])
    out = capsys.readouterr().out
    assert rc == 1  # FW-002's eligibility error
    assert "xl-awards corrections --hub" in out
    out_dir = province["tmp"] / "补正通知"
    assert main(["corrections", "--hub", str(province["hub"]), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "长沙市：2 个申报、2 个问题" in out and out.strip().splitlines()[-1].startswith("下一步：")

"""finalize offers the 禁评名单 row for a withdrawal for false materials, and never adds it itself.

Hub of ``test_publicity_job`` (13 institutions JG001.. without 证件号码, stars FW001 张星
43010219850312123X and FW002 李星), publicity 2022-10-10..10-14, finalized on 10-17.  Objections:
  FW001 “经核实，提供虚假材料（荣誉证书系伪造）” -> suggested: 张星, 43010219850312123X, 2021,
        bar to 2021 + 3 - 1 = 2023;
  JG005 “申报材料弄虚作假，已查实” -> suggested: 机构5, no 证件号码, 2021;
  JG003 “经核实，申报材料与实际不符” (no false-materials wording) -> withdrawn, nothing suggested.
"""

from __future__ import annotations

import openpyxl

from test_publicity_job import CLEAN, EDITION, make_hub, mark_objection
from xl_awards.cli import main
from xl_awards.io.hub import read_hub
from xl_awards.publicity.sanctions import names_false_materials
from xl_awards.schema import hub as H


def suggestion_rows(hub):
    ws = openpyxl.load_workbook(hub)["禁评名单建议"]
    return [r for r in ws.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]


def test_false_materials_withdrawal_offers_the_barred_row(tmp_path, capsys):
    hub = make_hub(tmp_path, CLEAN)
    out = tmp_path / "out"
    assert main(["publicity", "--hub", str(hub), "--start", "2022-10-10", "--out", str(out), "--no-pdf"]) == 0
    mark_objection(hub, "FW001", "经核实，提供虚假材料（荣誉证书系伪造）")
    mark_objection(hub, "JG005", "申报材料弄虚作假，已查实")
    mark_objection(hub, "JG003")
    capsys.readouterr()
    assert main(["finalize", "--hub", str(hub), "--today", "2022-10-17", "--out", str(out), "--no-pdf"]) == 0
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if "建议在“禁评名单”增加一行" in line]
    assert len(lines) == 2
    star = next(line for line in lines if "张星" in line)
    assert "名称“张星”，证件号码“43010219850312123X”，取消年度2021" in star
    assert "2023年度及以前不得参评" in star and "已写入“禁评名单建议”表" in star
    inst = next(line for line in lines if "机构5" in line)
    assert "证件号码“（无）”" in inst
    rows = suggestion_rows(hub)
    # 名称, 证件号码, 取消年度, 原因, 奖项, 申报编号, 申报主体, 异议情况 (stars are listed before institutions).
    assert [(r[0], r[1], r[2], r[4], r[5], r[6]) for r in rows] == [
        ("张星", "43010219850312123X", 2021, "服务之星", "FW001", "张星"),
        ("机构5", None, 2021, "优秀服务机构", "JG005", "机构5")]
    assert rows[0][3] == "2021年度服务之星“张星”经核实提供虚假材料，取消评选资格：经核实，提供虚假材料（荣誉证书系伪造）"
    assert rows[0][7] == "经核实，提供虚假材料（荣誉证书系伪造）"
    # 禁评名单 itself is untouched: the clerk copies the rows after checking them.
    assert read_hub(hub, EDITION).rows(H.BARRED_SHEET) == []


def test_the_wording_that_names_false_materials():
    assert names_false_materials("经核实，提供虚假 材料")  # spaces do not hide it
    assert names_false_materials("存在弄虚作假行为")
    assert not names_false_materials("经核实，申报材料与实际不符")
    assert not names_false_materials("")

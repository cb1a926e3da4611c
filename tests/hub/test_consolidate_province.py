"""`xl-awards consolidate` on a province in miniature, with the register worked out by hand.

The province (files given in this order):
- 长沙市.xlsx: 2 stars (the city platform's, and a county platform's forwarded through the city),
  2 institutions (the second is a 2020 awardee in 往年获奖), 1 expert (on the 禁评名单, cancelled
  2020: 2020 + 3 > 2021, barred), 1 product (also sent by 衡阳市: a duplicate).
- 衡阳市.xlsx: 2 stars (the second from an industrial-cluster platform, forwarded through the city:
  a warning; the same cluster platform also recommends directly: one star per platform, an error
  on both), 1 institution, 2 experts (the first a 2020 awardee listed by name only; the second on
  the 禁评名单 cancelled 2018: 2018 + 3 = 2021, not > 2021, the bar has expired), the product
  copied from 长沙市.  Its first star is a 2020 服务之星 awardee: 服务之星 is not among the awards
  that stay valid (edition prior_awards.valid_awards), so nothing happens.
- 株洲市.xlsx: 1 star, 1 institution, all reviewed (初审日期) 2022-09-25, after the 2022-09-20
  deadline: a warning per row, still 待评审.
- 集群直报.xlsx: no city (blank template): the cluster platform's star sent directly.

Numbers: per award in the stable file order (the edition's city order 长沙, 株洲, 衡阳, then a
workbook without a city; not the command line's), rows in order:
  FW-001 长沙 star 0, FW-002 长沙 star 1, FW-003 株洲, FW-004 衡阳 star 0, FW-005 衡阳 star 1,
  FW-006 集群; JG-001 长沙 inst 0, JG-002 长沙 inst 1, JG-003 株洲, JG-004 衡阳;
  ZJ-001 长沙, ZJ-002 衡阳 expert 0, ZJ-003 衡阳 expert 1; CP-001 长沙, CP-002 衡阳.
Rows on each sheet start at Excel row 3 (factory: title row 1, header row 2).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib

import pytest

from factory import write_intake
from hubfactory import EDITION, by_id, log, make_hub, register
from xl_awards.cli import main
from xl_awards.jobs.consolidate import consolidate_files
from xl_awards.demo.sample import sample_cluster_star, sample_intake_rows
from xl_awards.schema.intake import (
    EXPERT_SHEET, INSTITUTION_SHEET, PLATFORM_CLUSTER, PRODUCT_SHEET, RECIPIENTS_SHEET, STAR_SHEET,
)

CLUSTER = "有色金属产业集群窗口平台"
LATE = dt.date(2022, 9, 25)
FIRST_RUN = "2022-09-21 10:00:00"
ALL_CITIES = EDITION.divisions.city_names


def _recipients_of(rows, award, name):
    return [r for r in rows[RECIPIENTS_SHEET] if r["award"] == award and r["applicant"] == name]


@pytest.fixture
def province(tmp_path):
    cs = sample_intake_rows(EDITION, "长沙市", seed=1, counts={"star": 2, "institution": 2, "expert": 1, "product": 1})
    hy = sample_intake_rows(EDITION, "衡阳市", seed=1, counts={"star": 2, "institution": 1, "expert": 2, "product": 0})
    zz = sample_intake_rows(EDITION, "株洲市", seed=1, counts={"star": 1, "institution": 1, "expert": 0, "product": 0})
    assert cs[STAR_SHEET][0]["county"] is None and cs[STAR_SHEET][1]["county"]  # a county's star, through the city

    product = copy.deepcopy(cs[PRODUCT_SHEET][0])
    product.update(city="衡阳市", county=None)
    hy[PRODUCT_SHEET] = [product]
    hy[RECIPIENTS_SHEET] += copy.deepcopy(_recipients_of(cs, "创新服务产品", product["name"]))
    hy[STAR_SHEET][1].update(platform=CLUSTER, platform_type=PLATFORM_CLUSTER)
    for sheet in (STAR_SHEET, INSTITUTION_SHEET):
        for row in zz[sheet]:
            row["prelim_date"] = LATE
    cluster = sample_cluster_star(EDITION, "长沙市", seed=1, platform=CLUSTER)

    files = [
        write_intake(tmp_path / "长沙市.xlsx", cs, city="长沙市"),
        write_intake(tmp_path / "衡阳市.xlsx", hy, city="衡阳市"),
        write_intake(tmp_path / "株洲市.xlsx", zz, city="株洲市"),
        write_intake(tmp_path / "集群直报.xlsx", {STAR_SHEET: [cluster]}, city=None),
    ]
    awardee = cs[INSTITUTION_SHEET][1]
    prior = [
        {"year": 2020, "award": "服务之星", "name": hy[STAR_SHEET][0]["name"], "id_code": hy[STAR_SHEET][0]["id_number"]},
        {"year": 2020, "award": "优秀服务机构", "name": awardee["name"], "id_code": awardee["uscc"]},
        {"year": 2020, "award": "优秀服务专家", "name": hy[EXPERT_SHEET][0]["name"]},  # no number: by name
    ]
    barred = [
        {"name": cs[EXPERT_SHEET][0]["name"], "id_code": cs[EXPERT_SHEET][0]["id_number"], "year": 2020,
         "reason": "提供虚假材料"},
        {"name": hy[EXPERT_SHEET][1]["name"], "id_code": hy[EXPERT_SHEET][1]["id_number"], "year": 2018,
         "reason": "提供虚假材料"},
    ]
    hub = make_hub(tmp_path / "hub", prior=prior, barred=barred)
    return {"hub": hub, "files": files, "rows": {"长沙市": cs, "衡阳市": hy, "株洲市": zz, "集群": cluster}, "tmp": tmp_path}


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_register_worked_out_by_hand(province):
    hub, files, rows = province["hub"], province["files"], province["rows"]
    cs, hy, zz = rows["长沙市"], rows["衡阳市"], rows["株洲市"]
    result, backup = consolidate_files(hub, files, EDITION, imported_at=FIRST_RUN, user="测试员")
    reg = register(hub)
    P, X, V, D = "待评审", "不符合条件", "2020年度获评有效", "待定"
    # the duplicates (two stars of one platform, one product from two cities) exclude nobody by
    # themselves: every row concerned is 待定 until the hub keeps one (人工认定); the barred expert
    # ZJ-001 is excluded (the notice's 3-year bar)
    expected = [
        # (app_id, award, name, status, submitter, file, sheet, row)
        ("FW-001", "服务之星", cs[STAR_SHEET][0]["name"], P, "长沙市", "长沙市.xlsx", STAR_SHEET, 3),
        ("FW-002", "服务之星", cs[STAR_SHEET][1]["name"], P, "长沙市", "长沙市.xlsx", STAR_SHEET, 4),
        ("FW-003", "服务之星", zz[STAR_SHEET][0]["name"], P, "株洲市", "株洲市.xlsx", STAR_SHEET, 3),
        ("FW-004", "服务之星", hy[STAR_SHEET][0]["name"], P, "衡阳市", "衡阳市.xlsx", STAR_SHEET, 3),
        ("FW-005", "服务之星", hy[STAR_SHEET][1]["name"], D, "衡阳市", "衡阳市.xlsx", STAR_SHEET, 4),
        ("FW-006", "服务之星", rows["集群"]["name"], D, "直报：集群直报.xlsx", "集群直报.xlsx", STAR_SHEET, 3),
        ("JG-001", "优秀服务机构", cs[INSTITUTION_SHEET][0]["name"], P, "长沙市", "长沙市.xlsx", INSTITUTION_SHEET, 3),
        ("JG-002", "优秀服务机构", cs[INSTITUTION_SHEET][1]["name"], V, "长沙市", "长沙市.xlsx", INSTITUTION_SHEET, 4),
        ("JG-003", "优秀服务机构", zz[INSTITUTION_SHEET][0]["name"], P, "株洲市", "株洲市.xlsx", INSTITUTION_SHEET, 3),
        ("JG-004", "优秀服务机构", hy[INSTITUTION_SHEET][0]["name"], P, "衡阳市", "衡阳市.xlsx", INSTITUTION_SHEET, 3),
        ("ZJ-001", "优秀服务专家", cs[EXPERT_SHEET][0]["name"], X, "长沙市", "长沙市.xlsx", EXPERT_SHEET, 3),
        ("ZJ-002", "优秀服务专家", hy[EXPERT_SHEET][0]["name"], V, "衡阳市", "衡阳市.xlsx", EXPERT_SHEET, 3),
        ("ZJ-003", "优秀服务专家", hy[EXPERT_SHEET][1]["name"], P, "衡阳市", "衡阳市.xlsx", EXPERT_SHEET, 4),
        ("CP-001", "创新服务产品", cs[PRODUCT_SHEET][0]["name"], D, "长沙市", "长沙市.xlsx", PRODUCT_SHEET, 3),
        ("CP-002", "创新服务产品", cs[PRODUCT_SHEET][0]["name"], D, "衡阳市", "衡阳市.xlsx", PRODUCT_SHEET, 3),
    ]
    actual = [(r["app_id"], r["award"], r["name"], r["status"], r["submitter"].replace(":", "："), r["source_file"],
               r["source_sheet"], int(r["source_row"])) for r in reg]
    assert actual == expected

    shas = {p.name: _sha(p) for p in files}
    for r in reg:
        assert r["source_sha256"] == shas[r["source_file"]]
        assert r["imported_at"] == FIRST_RUN
    regs = by_id(reg)
    # provenance of the row: the identity number, the row's own city and county, the review date
    assert regs["FW-002"]["id_code"] == cs[STAR_SHEET][1]["id_number"]
    assert regs["FW-002"]["county"] == cs[STAR_SHEET][1]["county"] and regs["FW-002"]["city"] == "长沙市"
    assert regs["FW-006"]["platform_type"] == PLATFORM_CLUSTER and regs["FW-006"]["prelim_date"] is None
    assert regs["FW-003"]["prelim_date"] == LATE
    assert regs["CP-001"]["id_code"] == cs[PRODUCT_SHEET][0]["uscc"] and regs["CP-001"]["unit"] == cs[PRODUCT_SHEET][0]["unit"]

    # 判定依据: the deciding findings, naming the other file
    reasons = {k: (v["reasons"] or "") for k, v in regs.items()}
    assert f"窗口平台“{CLUSTER}”推荐了多名服务之星（另见 集群直报.xlsx“服务之星”第3行）" in reasons["FW-005"]
    assert f"窗口平台“{CLUSTER}”推荐了多名服务之星（另见 衡阳市.xlsx“服务之星”第4行）" in reasons["FW-006"]
    assert "在创新服务产品中重复申报（另见 衡阳市.xlsx“创新服务产品”第3行）" in reasons["CP-001"]
    assert "在创新服务产品中重复申报（另见 长沙市.xlsx“创新服务产品”第3行）" in reasons["CP-002"]
    # barred: cancelled 2020, bar 3 years -> 2020, 2021, 2022
    assert "在禁评名单中（第3行，2020年度被取消评选资格：提供虚假材料），2022年度及以前不得参评" in reasons["ZJ-001"]
    assert "2020年度优秀服务机构获奖者（往年获奖第4行）" in reasons["JG-002"]
    assert "2020年度优秀服务专家获奖者（往年获奖第5行）" in reasons["ZJ-002"]
    for ok in ("FW-001", "FW-002", "FW-004", "FW-003", "JG-001", "JG-004", "JG-003", "ZJ-003"):
        assert reasons[ok] == "", ok  # warnings (late, cluster via city) do not decide
    assert all(line.startswith("【汇总核对】") for line in reasons["FW-005"].splitlines())

    # the findings: warnings for the late rows and the cluster star via a city, errors for the rest
    found = {(f.rule, f.file, f.sheet, f.row) for f in result.findings}
    assert ("review_after_deadline", "株洲市.xlsx", STAR_SHEET, 3) in found
    assert ("review_after_deadline", "株洲市.xlsx", INSTITUTION_SHEET, 3) in found
    assert ("star_cluster_via_city", "衡阳市.xlsx", STAR_SHEET, 4) in found
    assert ("hub_barred", "长沙市.xlsx", EXPERT_SHEET, 3) in found
    assert not any(f.rule == "hub_barred" and f.file == "衡阳市.xlsx" for f in result.findings)  # bar expired
    assert not any(f.rule == "hub_prior_award" and f.sheet == STAR_SHEET for f in result.findings)
    errors = sorted((f.rule, f.file, f.row) for f in result.findings if f.is_error)
    assert errors == sorted([
        ("star_platform_duplicate", "衡阳市.xlsx", 4), ("star_platform_duplicate", "集群直报.xlsx", 3),
        ("duplicate_applicant", "长沙市.xlsx", 3), ("duplicate_applicant", "衡阳市.xlsx", 3),
        ("hub_barred", "长沙市.xlsx", 3),
    ])
    # cities that sent nothing: the 14 minus 长沙市, 衡阳市, 株洲市
    assert result.silent_cities == [c for c in ALL_CITIES if c not in ("长沙市", "衡阳市", "株洲市")]
    assert len(result.silent_cities) == 11

    entries = log(hub)
    assert [e["file"] for e in entries[:4]] == ["长沙市.xlsx", "株洲市.xlsx", "衡阳市.xlsx", "集群直报.xlsx"]  # the stable order
    assert all(e["user"] == "测试员" and e["time"] == FIRST_RUN for e in entries)
    # rows per file, in the stable order: 长沙市 2+2+1+1 = 6, 株洲市 1+1 = 2, 衡阳市 2+1+2+1 = 6, 集群 1; total 15
    assert [int(e["count"]) for e in entries] == [6, 2, 6, 1, 15]
    assert entries[0]["sha256"] == shas["长沙市.xlsx"]
    assert backup is not None and backup.exists()


def test_cli_summary_and_exit_code(province, capsys):
    rc = main(["consolidate", "--hub", str(province["hub"]), *map(str, province["files"])])
    out = capsys.readouterr().out
    assert rc == 1  # errors: duplicates, one star per platform, a barred applicant
    # 15 rows: 8 待评审; 4 待定 (FW-004, FW-006, CP-001, CP-002); 1 不符合条件 (ZJ-001 barred); 2 prior
    assert "申报汇总共 15 条：待评审 8，待补正 0，待定 4，不符合条件 1，2020年度获评有效 2" in out
    # per city and award: 长沙市 服务之星 received 2, both 待评审
    assert any(line.split()[:6] == ["长沙市", "服务之星", "2", "2", "0", "0"] for line in out.splitlines())
    # the cluster platform's direct star: 1 received, 0 待评审, 0 不符合条件, 0 prior, ..., 0 待补正, 1 待定
    assert any(line.split()[:6] == ["直报省枢纽平台", "服务之星", "1", "0", "0", "0"] and line.split()[-2:] == ["0", "1"]
               for line in out.splitlines())
    assert "未报送的市州（11个）：湘潭市、邵阳市" in out
    assert "文件：株洲市.xlsx（错误 0，警告 2，提示 0）" in out


def test_twice_is_idempotent(province):
    hub, files = province["hub"], province["files"]
    consolidate_files(hub, files, EDITION, imported_at=FIRST_RUN)
    first = register(hub)
    consolidate_files(hub, files, EDITION, imported_at="2022-09-22 09:00:00")
    second = register(hub)
    assert second == first  # same numbers, statuses, provenance, and 导入时间 kept (same files)
    assert len(log(hub)) == 2 * (4 + 1)  # each run: one line per file and a total line


def test_corrected_city_file_replaces_that_city(province):
    hub, files, rows, tmp = province["hub"], province["files"], province["rows"], province["tmp"]
    consolidate_files(hub, files, EDITION, imported_at=FIRST_RUN)
    before = by_id(register(hub))

    # 衡阳市 corrects its file: the product (the duplicate of 长沙市's) is withdrawn, a new institution added
    hy = copy.deepcopy(rows["衡阳市"])
    product = hy[PRODUCT_SHEET].pop()
    hy[RECIPIENTS_SHEET] = [r for r in hy[RECIPIENTS_SHEET] if r["applicant"] != product["name"]]
    extra = sample_intake_rows(EDITION, "衡阳市", seed=7, counts={"star": 0, "institution": 1, "expert": 0, "product": 0})
    new_inst = extra[INSTITUTION_SHEET][0]
    hy[INSTITUTION_SHEET].append(new_inst)
    hy[RECIPIENTS_SHEET] += _recipients_of(extra, "优秀服务机构", new_inst["name"])
    (tmp / "更正").mkdir()
    corrected = write_intake(tmp / "更正" / "衡阳市.xlsx", hy, city="衡阳市")

    result, _ = consolidate_files(hub, [corrected], EDITION, imported_at="2022-09-23 15:00:00")
    after = by_id(register(hub))
    # 15 - CP-002 + JG-005 = 15 rows
    assert sorted(after) == sorted([*before.keys() - {"CP-002"}, "JG-005"])
    assert after["JG-005"]["name"] == new_inst["name"] and after["JG-005"]["status"] == "待评审"
    assert after["JG-005"]["source_row"] == 4  # appended below JG-004's row 3
    # same applicants of 衡阳市 keep their numbers; their rows come from the new file
    for app_id in ("FW-004", "FW-005", "JG-004", "ZJ-002", "ZJ-003"):
        assert after[app_id]["name"] == before[app_id]["name"]
        assert after[app_id]["source_sha256"] == _sha(corrected)
        assert after[app_id]["imported_at"] == "2022-09-23 15:00:00"
    # 长沙市's rows are carried as they were, except that its product is no longer a duplicate
    for app_id in ("FW-001", "FW-002", "JG-001", "JG-002", "ZJ-001"):
        assert after[app_id] == before[app_id]
    assert after["CP-001"]["status"] == "待评审" and after["CP-001"]["reasons"] is None
    assert after["CP-001"]["imported_at"] == FIRST_RUN
    # the corrected file still meets the carried direct recommendation from the same cluster platform
    assert after["FW-005"]["status"] == "待定"
    assert "另见 集群直报.xlsx“服务之星”第3行，申报汇总编号FW-006" in after["FW-005"]["reasons"]
    assert after["FW-006"]["status"] == "待定"
    assert "另见 衡阳市.xlsx“服务之星”第4行" in after["FW-006"]["reasons"]
    reported = {(f.rule, f.file, f.row) for f in result.findings if f.is_error}
    assert reported == {("star_platform_duplicate", "衡阳市.xlsx", 4), ("star_platform_duplicate", "集群直报.xlsx", 3)}
    # 长沙市's barred expert stays barred (recomputed from the hub's list, not re-reported)
    assert after["ZJ-001"]["status"] == "不符合条件"

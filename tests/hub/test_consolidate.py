"""`xl-awards consolidate`: the file-safety contract (lock, junk input, backup), the output shapes,
two files of one submitter, a county's own workbook, and the hub-list rules on small cases."""

from __future__ import annotations

import json

from factory import (
    EXPERT_NAME, INSTITUTION_NAME, PRODUCT_NAME, USCC_INST, USCC_PRODUCT, valid_rows, write_intake,
)
from hubfactory import EDITION, by_id, log, make_hub, register
from xl_awards.cli import main
from xl_awards.hub.consolidation import submitter_of
from xl_awards.base.findings import JSON_KEYS
from xl_awards.io.intake import read_intake
from xl_awards.jobs.consolidate import consolidate_files
from xl_awards.demo.sample import sample_intake_rows
from xl_awards.schema.intake import EXPERT_SHEET, PRODUCT_SHEET, STAR_SHEET

OTHER_USCC = "91430100MA4L99999E"  # valid check character, see factory.py


def _backups(hub):
    return sorted(hub.parent.glob(f"{hub.stem}.备份-*{hub.suffix}"))


def test_open_in_excel_stops_without_writing(tmp_path, capsys):
    hub = make_hub(tmp_path / "hub")
    intake = write_intake(tmp_path / "长沙市.xlsx")
    before = hub.read_bytes()
    (hub.parent / f"~${hub.name}").write_bytes(b"lock")
    assert main(["consolidate", "--hub", str(hub), str(intake)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and hub.name in err and "打开" in err and "Traceback" not in err
    assert hub.read_bytes() == before
    assert _backups(hub) == []


def test_a_corrupt_file_among_good_ones_writes_nothing(tmp_path, capsys):
    hub = make_hub(tmp_path / "hub")
    good = write_intake(tmp_path / "长沙市.xlsx")
    bad = tmp_path / "衡阳市.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    before = hub.read_bytes()
    assert main(["consolidate", "--hub", str(hub), str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [line for line in captured.err.strip().splitlines() if "衡阳市.xlsx" in line]
    assert "Traceback" not in captured.err and captured.out == ""
    assert hub.read_bytes() == before and _backups(hub) == []


def test_not_a_hub_is_exit_2(tmp_path, capsys):
    intake = write_intake(tmp_path / "长沙市.xlsx")
    before = intake.read_bytes()
    assert main(["consolidate", "--hub", str(intake), str(intake)]) == 2
    assert "不是省枢纽平台工作簿" in capsys.readouterr().err
    assert intake.read_bytes() == before


def test_json_is_the_validate_array_and_reasons_name_the_cells(tmp_path, capsys):
    rows = valid_rows()
    # D3: check digit X expected (see factory.py); I3: one complaint; P3: not recommended (a warning that decides)
    rows[STAR_SHEET][0].update(id_number="430102198503121230", complaints=1, prelim_opinion="不同意推荐")
    intake = write_intake(tmp_path / "长沙市.xlsx", rows)
    hub = make_hub(tmp_path / "hub")
    assert main(["validate", "--json", str(intake)]) == 1
    validated = json.loads(capsys.readouterr().out)
    assert main(["consolidate", "--json", "--hub", str(hub), str(intake)]) == 1
    consolidated = json.loads(capsys.readouterr().out)
    assert consolidated == validated  # no hub-only finding here: the same array, key for key
    assert all(list(f) == list(JSON_KEYS) for f in consolidated)
    assert {f["cell"] for f in consolidated} == {"D3", "I3", "P3"}
    star = by_id(register(hub))["FW-001"]
    assert star["status"] == "不符合条件"
    lines = star["reasons"].splitlines()
    assert [line[:8] for line in lines] == ["【申报表 D3】", "【申报表 I3】", "【申报表 P3】"]
    # the other three applications are fine: numbered from 001 in each award
    assert {r["app_id"]: r["status"] for r in register(hub)} == {
        "FW-001": "不符合条件", "JG-001": "待评审", "ZJ-001": "待评审", "CP-001": "待评审"}
    assert len(_backups(hub)) == 1  # the previous version kept beside the hub


def test_two_files_of_one_city_are_not_merged(tmp_path, capsys):
    hub = make_hub(tmp_path / "hub")
    first = write_intake(tmp_path / "长沙市.xlsx")
    consolidate_files(hub, [first], EDITION, imported_at="2022-09-21 10:00:00")
    before = register(hub)
    rows = valid_rows()
    rows[EXPERT_SHEET][0]["served_count"] = 41
    second = write_intake(tmp_path / "长沙市_更正版.xlsx", rows)
    assert main(["consolidate", "--hub", str(hub), str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert "本次汇总中“长沙市_更正版.xlsx”也是长沙市报送的工作簿" in out
    assert "本次汇总中“长沙市.xlsx”也是长沙市报送的工作簿" in out
    assert register(hub) == before  # neither imported: 长沙市's earlier rows stay as they were
    entries = log(hub)
    assert [e["findings"].split("；")[0] for e in entries[-3:-1]] == ["未导入（同一报送单位的文件重复）"] * 2


def test_a_county_workbook_is_its_own_submitter(tmp_path):
    county_rows = sample_intake_rows(EDITION, "长沙市", seed=3, county="浏阳市",
                                     counts={"star": 1, "institution": 1, "expert": 0, "product": 0})
    city = write_intake(tmp_path / "长沙市.xlsx")
    county = write_intake(tmp_path / "长沙市_浏阳市.xlsx", county_rows)
    assert submitter_of(read_intake(city, EDITION), EDITION) == "长沙市"
    assert submitter_of(read_intake(county, EDITION), EDITION) == "长沙市浏阳市"
    hub = make_hub(tmp_path / "hub")
    result, _ = consolidate_files(hub, [city, county], EDITION)
    assert not result.rejected and not result.has_errors
    # 4 rows from the city's file, 2 from the county's; re-importing the county alone keeps the city's
    assert sorted(r["submitter"] for r in register(hub)) == ["长沙市"] * 4 + ["长沙市浏阳市"] * 2
    first = register(hub)
    consolidate_files(hub, [county], EDITION)
    assert register(hub) == first


def test_settings_deadline_decides_what_is_late(tmp_path):
    rows = valid_rows()
    for sheet in rows:
        for row in rows[sheet]:
            if "prelim_date" in row:
                row["prelim_date"] = "2022-09-25"
    intake = write_intake(tmp_path / "长沙市.xlsx", rows)
    default = make_hub(tmp_path / "a")
    result, _ = consolidate_files(default, [intake], EDITION)
    # 4 applications reviewed 2022-09-25 > 2022-09-20: four warnings, all still 待评审
    assert [f.rule for f in result.findings] == ["review_after_deadline"] * 4
    assert {r["status"] for r in register(default)} == {"待评审"}
    later = make_hub(tmp_path / "b", settings={"dates.application_deadline": "2022-09-30"})
    result, _ = consolidate_files(later, [intake], EDITION)
    assert result.findings == []


def test_hub_lists_by_number_by_name_and_the_bar_years(tmp_path):
    rows = valid_rows()
    prior = [
        # product: same name, other 统一社会信用代码 -> not the same application (a warning), stays 待评审
        {"year": 2020, "award": "创新服务产品", "name": PRODUCT_NAME, "id_code": OTHER_USCC},
        # a 2019 awardee is not the prior-award year's: nothing
        {"year": 2019, "award": "优秀服务专家", "name": EXPERT_NAME},
    ]
    barred = [
        # by number, cancelled 2019: 2019 + 3 = 2022 > 2021 -> barred through 2021
        {"name": "改过名的公司", "id_code": USCC_INST, "year": 2019, "reason": "虚报服务业绩"},
        # by name only, cancelled 2018: 2018 + 3 = 2021, not > 2021 -> expired
        {"name": EXPERT_NAME, "year": 2018},
    ]
    hub = make_hub(tmp_path / "hub", prior=prior, barred=barred)
    intake = write_intake(tmp_path / "长沙市.xlsx", rows)
    result, _ = consolidate_files(hub, [intake], EDITION)
    reg = by_id(register(hub))
    assert reg["JG-001"]["status"] == "不符合条件"
    assert reg["JG-001"]["reasons"] == (
        f"【汇总核对】“{INSTITUTION_NAME}”在禁评名单中（第3行，2019年度被取消评选资格：虚报服务业绩），2021年度及以前不得参评")
    assert reg["ZJ-001"]["status"] == "待评审" and reg["ZJ-001"]["reasons"] is None
    assert reg["CP-001"]["status"] == "待评审"
    assert [(f.rule, f.sheet) for f in result.findings if f.rule.startswith("hub_")] == [
        ("hub_barred", "优秀服务机构"), ("hub_prior_mismatch", PRODUCT_SHEET)]

    # the same product name with the listed number: a 2020 awardee, kept with its status
    prior[0]["id_code"] = USCC_PRODUCT
    hub2 = make_hub(tmp_path / "hub2", prior=prior)
    consolidate_files(hub2, [intake], EDITION)
    assert by_id(register(hub2))["CP-001"]["status"] == "2020年度获评有效"

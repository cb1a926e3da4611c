"""Reading the hub workbook back (calamine), and rewriting its written sheets (openpyxl) safely."""

import datetime as dt
import zipfile

import openpyxl
import pytest

from xl_awards.edition import load_edition
from xl_awards.base.errors import InputError
from xl_awards.io.atomic import file_sha256
from xl_awards.io.hub import (
    append_sheet_rows, hub_sheet_schema, load_hub_for_update, read_hub, replace_sheet_rows, save_hub,
)
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.demo.sample_hub import sample_hub_rows

EDITION = load_edition(2021)


@pytest.fixture
def hub(tmp_path):
    return write_hub_workbook(EDITION, tmp_path / "hub", sample=sample_hub_rows(EDITION))


def _settings_row(ws, key):
    return next(c.row for c in ws["A"] if c.value == key)


def test_reads_the_built_workbook(hub):
    book = read_hub(hub, EDITION)
    assert book.file_name == hub.name
    assert book.overrides == {} and book.findings == []
    assert book.edition.data == EDITION.data
    counts = {name: len(t.rows) for name, t in book.tables.items()}
    # Sample data: 14 city + 59 county + 5 cluster platforms, 12 experts + 5 hub reviewers of
    # 服务之星, 5 prior awards, 1 barred;
    # rubric items 4 + 6 + 4 + 5 = 19.
    assert counts == {"窗口平台": 78, "专家库": 17, "官网备案": 0, "往年获奖": 5, "禁评名单": 1, "评分细则": 19,
                      "节假日调整": 0, "人工认定": 0, "申报汇总": 0, "专家评分": 0, "排名": 0, "公示名单": 0, "操作日志": 0}
    row, first = book.rows("窗口平台")[0]
    assert row == 3  # title row 1, header row 2
    assert first["name"] == "长沙市中小企业公共服务平台" and first["platform_type"] == "市州综合窗口平台"
    assert first["county"] is None  # blank cells read as None
    assert book.table("窗口平台").cell(3, "built") == "E3"
    assert book.register == []


def test_settings_overrides_and_findings(hub):
    wb = openpyxl.load_workbook(hub)
    ws = wb["设置"]
    quota = _settings_row(ws, "awards.institution.quota")
    weight = _settings_row(ws, "scoring.expert_weight")
    deadline = _settings_row(ws, "dates.application_deadline")
    ws.cell(row=quota, column=3, value=12)
    ws.cell(row=weight, column=3, value=1.5)
    ws.cell(row=deadline, column=3, value="2022年9月25日")
    wb.save(hub)
    book = read_hub(hub, EDITION)
    assert book.overrides == {"awards.institution.quota": 12, "dates.application_deadline": "2022-09-25"}
    assert book.edition.award("institution")["quota"] == 12
    assert book.edition.deadline == dt.date(2022, 9, 25)
    assert book.edition.scoring["expert_weight"] == 0.7  # 1.5 ignored, the preset kept
    assert [(f.rule, f.file, f.sheet, f.cell) for f in book.findings] == [
        ("setting_out_of_range", hub.name, "设置", f"C{weight}")]
    assert book.preset.award("institution")["quota"] == 10


def test_columns_found_by_label_in_any_order(tmp_path):
    # A hand-made hub: no title row, columns moved, extra columns, headers with spaces and notes.
    path = tmp_path / "手工.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "设置"
    ws.append(["项目", "值", "键"])
    ws.append(["服务之星名额", 25, "awards.star.quota"])
    ws = wb.create_sheet("专家库")
    ws.append(["省枢纽平台专家库（2022年9月更新）"])
    ws.append(["备注", "评审类别 *", "姓名*", "专家编号（唯一）", "工作单位"])
    ws.append(["新入库", "优秀服务机构、创新服务产品", "张三", "ZJ09", "某某咨询公司"])
    ws.append([None, None, None, None, None])  # blank row skipped
    ws.append([None, "优秀服务专家", "李四", "ZJ10", "某某学院"])
    ws = wb.create_sheet("禁评名单")
    ws.append(["名称", "证件号码", "原因"])  # the required 取消年度 column is missing
    ws.append(["某公司", None, "弄虚作假"])
    wb.save(path)
    book = read_hub(path, EDITION)
    assert book.edition.award("star")["quota"] == 25
    experts = book.table("专家库")
    assert experts.header_row == 2
    assert experts.rows == [
        (3, {"review_awards": "优秀服务机构、创新服务产品", "name": "张三", "expert_id": "ZJ09", "employer": "某某咨询公司"}),
        (5, {"review_awards": "优秀服务专家", "name": "李四", "expert_id": "ZJ10", "employer": "某某学院"}),
    ]
    assert "id_number" in experts.missing
    rules = [(f.rule, f.sheet) for f in book.findings]
    # Every other hub sheet is missing: one finding each, and the sheet reads as empty.
    assert ("missing_sheet", "窗口平台") in rules and ("missing_sheet", "申报汇总") in rules
    assert len([r for r in rules if r[0] == "missing_sheet"]) == 10
    missing = [f for f in book.findings if f.rule == "missing_column"]
    assert [(f.sheet, f.field, f.row) for f in missing] == [("禁评名单", "取消年度", 1)]
    assert book.rows("禁评名单") == [(2, {"name": "某公司", "id_code": None, "reason": "弄虚作假"})]
    assert book.rows("窗口平台") == [] and book.register == []


def _message(exc):
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_junk_input(tmp_path):
    corrupt = tmp_path / "坏的.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(InputError) as exc:
        read_hub(corrupt, EDITION)
    assert _message(exc).startswith("坏的.xlsx：")

    text = tmp_path / "文本.xlsx"
    text.write_text("申报编号,名称\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_hub(text, EDITION)
    assert _message(exc) == "文本.xlsx：不是 Excel 工作簿（.xlsx/.xlsm），无法读取"

    with pytest.raises(InputError) as exc:
        read_hub(tmp_path / "没有.xlsx", EDITION)
    assert _message(exc) == "没有.xlsx：文件不存在"

    # A zip that is not a workbook.
    other = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputError):
        read_hub(other, EDITION)


def test_workbook_without_settings_sheet_is_not_a_hub(tmp_path, hub):
    wb = openpyxl.load_workbook(hub)
    del wb["设置"]
    path = tmp_path / "无设置.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_hub(path, EDITION)
    assert _message(exc) == "无设置.xlsx：不是省枢纽平台工作簿（缺少“设置”工作表），请使用 xl-awards build 生成的省枢纽平台工作簿"


def test_unrecognisable_headers(tmp_path, hub):
    wb = openpyxl.load_workbook(hub)
    ws = wb["窗口平台"]
    for cell in ws[2]:
        cell.value = None  # headers deleted
    path = tmp_path / "无表头.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_hub(path, EDITION)
    assert "窗口平台" in _message(exc)


def _register_rows():
    return [
        {"app_id": "JG-0001", "award": "优秀服务机构", "name": "湖南甲公司", "id_code": "91430100MA4L0000X1",
         "city": "长沙市", "status": "待评审", "source_file": "长沙市.xlsx", "source_sha256": "ab" * 32,
         "source_sheet": "优秀服务机构", "source_row": 3, "imported_at": "2022-09-21 10:00:00",
         "prelim_date": dt.date(2022, 9, 10)},
        {"app_id": "JG-0002", "award": "优秀服务机构", "name": "=HYPERLINK(\"http://x\")", "status": "不符合条件",
         "reasons": "-统一社会信用代码有误", "source_file": "株洲市.xlsx", "source_sha256": "cd" * 32,
         "source_sheet": "优秀服务机构", "source_row": 4, "imported_at": "2022-09-21 10:00:00"},
    ]


def test_replace_rows_keeps_the_rest_of_the_workbook(hub):
    before = openpyxl.load_workbook(hub)
    window_validations = len(before["窗口平台"].data_validations.dataValidation)
    rubric = [list(r) for r in before["评分细则"].iter_rows(values_only=True)]
    wb = load_hub_for_update(hub)
    register = hub_sheet_schema(EDITION, "申报汇总")
    assert replace_sheet_rows(wb, register, _register_rows()) == 2
    copy = save_hub(wb, hub)
    assert copy is not None and copy.exists() and "备份" in copy.name

    book = read_hub(hub, EDITION)
    rows = book.register
    assert [r for r, _ in rows] == [3, 4]
    first, second = rows[0][1], rows[1][1]
    assert first["app_id"] == "JG-0001" and first["source_row"] == 3
    assert first["prelim_date"] in (dt.date(2022, 9, 10), dt.datetime(2022, 9, 10))
    # Text that looks like a formula stays text.
    assert second["name"] == '=HYPERLINK("http://x")' and second["reasons"] == "-统一社会信用代码有误"
    after = openpyxl.load_workbook(hub)
    assert after["申报汇总"]["C4"].data_type == "s"
    assert after["申报汇总"]["A1"].value == "申报汇总"  # the title row stays
    assert after["申报汇总"]["A2"].comment is not None  # header notes stay
    assert len(after["窗口平台"].data_validations.dataValidation) == window_validations
    assert after["窗口平台"]["A2"].comment is not None
    assert [list(r) for r in after["评分细则"].iter_rows(values_only=True)] == rubric
    assert after.sheetnames == before.sheetnames
    assert [ws.sheet_state for ws in after.worksheets][-2:] == ["hidden", "hidden"]
    assert read_hub(hub, EDITION).rows("窗口平台") == read_hub(copy, EDITION).rows("窗口平台")


def test_replace_with_fewer_rows_leaves_nothing_stale(hub):
    register = hub_sheet_schema(EDITION, "申报汇总")
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, register, _register_rows())
    save_hub(wb, hub, make_backup=False)
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, register, _register_rows()[:1])
    save_hub(wb, hub, make_backup=False)
    assert [v["app_id"] for _, v in read_hub(hub, EDITION).register] == ["JG-0001"]
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, register, [])
    save_hub(wb, hub, make_backup=False)
    assert read_hub(hub, EDITION).register == []


def test_append_log_rows(hub):
    log = hub_sheet_schema(EDITION, "操作日志")
    for i in (1, 2):
        wb = load_hub_for_update(hub)
        append_sheet_rows(wb, log, [{"time": f"2022-09-2{i} 10:00:00", "user": "hub", "action": "汇总",
                                     "file": f"第{i}批.xlsx", "count": i, "findings": "错误0、警告1、提示0"}])
        save_hub(wb, hub, make_backup=False)
    rows = read_hub(hub, EDITION).rows("操作日志")
    assert [(r, v["file"], v["count"]) for r, v in rows] == [(3, "第1批.xlsx", 1), (4, "第2批.xlsx", 2)]


def test_missing_written_sheet_is_created(hub, tmp_path):
    wb = openpyxl.load_workbook(hub)
    del wb["排名"]
    path = tmp_path / "缺排名.xlsx"
    wb.save(path)
    wb = load_hub_for_update(path)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, "排名"), [{"award": "服务之星", "name": "王五", "status": "入选", "rank": 1}])
    save_hub(wb, path, make_backup=False)
    book = read_hub(path, EDITION)
    assert [v["name"] for _, v in book.rows("排名")] == ["王五"]
    names = openpyxl.load_workbook(path).sheetnames
    assert names.index("排名") < names.index("_选项")  # placed among the visible sheets


def test_save_refuses_an_open_workbook(hub):
    original = file_sha256(hub)
    (hub.parent / f"~${hub.name}").write_bytes(b"owner")
    wb = load_hub_for_update(hub)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, "申报汇总"), _register_rows())
    with pytest.raises(InputError) as exc:
        save_hub(wb, hub)
    assert "请先关闭" in _message(exc)
    assert file_sha256(hub) == original
    assert not [p for p in hub.parent.iterdir() if "备份" in p.name]

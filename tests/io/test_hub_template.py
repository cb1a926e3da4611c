"""The hub workbook template: sheets, headers, drop-downs, 设置 values, 评分细则, sample data, reproducibility."""

import datetime as dt
from collections import defaultdict

import openpyxl
import pytest
from stdnum.cn import ric, uscc

from xl_awards.edition import load_edition
from xl_awards.io.hub_template import hub_file_name, write_hub_workbook
from xl_awards.demo.sample_hub import sample_hub_rows

EDITION = load_edition(2021)
CITIES = EDITION.divisions.city_names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return write_hub_workbook(EDITION, tmp_path_factory.mktemp("hub"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return write_hub_workbook(EDITION, tmp_path_factory.mktemp("hub_sample"), sample=sample_hub_rows(EDITION))


@pytest.fixture(scope="module")
def wb(built):
    return openpyxl.load_workbook(built)


@pytest.fixture(scope="module")
def swb(sample):
    return openpyxl.load_workbook(sample)


def _headers(ws, row=2):
    return [c.value for c in ws[row] if c.value is not None]


def _data(ws, first=3):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True) if any(v is not None for v in r)]


def _col(ws, header):
    for cell in ws[2]:
        if cell.value == header:
            return cell.column_letter
    raise KeyError(header)


def _validation(ws, header):
    letter = _col(ws, header)
    for dv in ws.data_validations.dataValidation:
        if any(str(r).startswith(f"{letter}3:") or str(r) == f"{letter}3" for r in dv.sqref.ranges):
            return dv
    return None


def _list_items(wb, dv):
    """The items of a list drop-down, whether literal or a range on the hidden list sheet."""
    formula = dv.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.lstrip("=").split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[ref.replace("$", "")] for c in row]


def test_file_name():
    assert hub_file_name(EDITION) == "2021年度优秀评选_省枢纽平台工作簿.xlsx"


def test_sheets_in_order(wb):
    assert wb.sheetnames == [
        "工作流程说明", "设置", "窗口平台", "专家库", "官网备案", "往年获奖", "禁评名单", "评分细则", "节假日调整",
        "人工认定", "申报汇总", "专家评分", "排名", "公示名单", "操作日志", "_选项", "_参数",
    ]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    assert hidden == ["_选项", "_参数"]
    assert wb.active.title == "工作流程说明"
    meta = {r[0]: r[1] for r in wb["_参数"].iter_rows(values_only=True)}
    assert meta == {"工作簿类型": "省枢纽平台工作簿", "评选年度": 2021, "模板版本": 1}


def test_headers_required_marks_and_comments(wb):
    assert _headers(wb["窗口平台"]) == [
        "平台名称*", "平台类型*", "所属市州*", "所属县市区", "已建成实体*",
        "平台活跃度*", "重点服务活动*", "服务协同*", "资源品牌培育*",
    ]
    assert _headers(wb["官网备案"]) == ["申报类别*", "申报主体*", "证件号码", "官网备案得分*"]
    assert _headers(wb["节假日调整"]) == ["日期*", "类型*", "说明"]
    assert _headers(wb["操作日志"]) == ["时间*", "操作人*", "操作*", "文件", "SHA256", "条数", "发现问题"]
    assert _headers(wb["设置"]) == ["键", "项目", "值", "允许范围", "说明"]
    for name in wb.sheetnames[1:14]:
        ws = wb[name]
        for cell in ws[2]:
            if cell.value is not None:
                assert cell.comment is not None and cell.comment.text.strip(), (name, cell.value)
        assert ws.freeze_panes in ("B3", "C3"), name
        assert ws.page_setup.paperSize == 9, name  # A4
    assert wb["窗口平台"].cell(row=2, column=1).comment.text.startswith("必填")


def test_written_sheets_have_headers_only(wb):
    for name in ("申报汇总", "专家评分", "排名", "公示名单", "操作日志", "官网备案", "节假日调整"):
        assert _data(wb[name]) == [], name
    register = _headers(wb["申报汇总"])
    for label in ("申报编号*", "申报类别*", "申报主体*", "证件号码", "所属市州", "所属县市区", "状态*", "判定依据",
                  "来源文件*", "文件SHA256*", "来源工作表*", "来源行*", "导入时间*"):
        assert label in register


def test_drop_downs(wb):
    window = wb["窗口平台"]
    assert _list_items(wb, _validation(window, "平台类型*")) == ["市州综合窗口平台", "县市区综合窗口平台", "产业集群窗口平台"]
    assert _list_items(wb, _validation(window, "已建成实体*")) == ["是", "否"]
    assert _list_items(wb, _validation(window, "所属市州*")) == CITIES
    assert len(CITIES) == 14 and CITIES[0] == "长沙市" and CITIES[-1] == "湘西土家族苗族自治州"
    counties = _list_items(wb, _validation(window, "所属县市区"))
    assert len(counties) == 122 and "浏阳市" in counties and "邵东市" in counties  # NOTES: 122 county-level divisions
    assert _list_items(wb, _validation(wb["节假日调整"], "类型*")) == ["休息日", "工作日"]
    assert _list_items(wb, _validation(wb["官网备案"], "申报类别*")) == ["优秀服务机构", "优秀服务专家", "创新服务产品"]
    assert _list_items(wb, _validation(wb["往年获奖"], "奖项*")) == [
        "最受欢迎窗口服务平台", "服务之星", "优秀服务机构", "优秀服务专家", "创新服务产品"]
    assert _list_items(wb, _validation(wb["评分细则"], "奖项*")) == ["服务之星", "优秀服务机构", "优秀服务专家", "创新服务产品"]
    assert _list_items(wb, _validation(wb["专家库"], "所属市州")) == CITIES


def test_number_and_date_validation_with_chinese_prompts(wb):
    score = _validation(wb["官网备案"], "官网备案得分*")
    assert (score.type, score.formula1, score.formula2) == ("decimal", "0", "100")
    assert score.operator in (None, "between")  # "between" is the default and may be left out of the XML
    assert score.error and "0～100" in score.error and score.prompt
    metric = _validation(wb["窗口平台"], "平台活跃度*")
    assert (metric.type, metric.operator, metric.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert _validation(wb["节假日调整"], "日期*").type == "date"
    year = _validation(wb["往年获奖"], "年度*")
    assert (year.type, year.formula1, year.formula2) == ("whole", "2000", "2021")
    assert _validation(wb["专家库"], "身份证号码").type == "textLength"
    # The 专家库 multi-value columns are free text (several awards in one cell), not a drop-down.
    assert _validation(wb["专家库"], "评审类别*") is None


def _settings(wb):
    ws = wb["设置"]
    return {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}


def test_settings_values_equal_the_edition(wb):
    s = _settings(wb)
    # The notice: 优秀服务机构 10; total = expert 70% + portal 30%; cities submit by 2022-09-20.
    assert s["awards.institution.quota"][1:3] == ("优秀服务机构名额", 10)
    assert s["awards.window.quota.city"][2] == 5 and s["awards.window.quota.county"][2] == 14
    assert s["awards.star.quota"][2] == 30
    assert s["scoring.expert_weight"][2] == 0.7 and s["scoring.portal_weight"][2] == 0.3
    assert s["dates.application_deadline"][2] == dt.datetime(2022, 9, 20)
    assert s["dates.application_start"][2] == dt.datetime(2022, 8, 15)
    assert s["scoring.aggregation"][2] == "去掉最高最低分平均"
    assert s["publicity.working_days"][2] == 5
    assert s["year"][2] == 2021
    ws = wb["设置"]
    agg_row = next(c.row for c in ws["A"] if c.value == "scoring.aggregation")
    agg = next(dv for dv in ws.data_validations.dataValidation if f"C{agg_row}" in str(dv.sqref))
    assert agg.formula1 == '"去掉最高最低分平均,算术平均,标准分"'
    weight_row = next(c.row for c in ws["A"] if c.value == "scoring.expert_weight")
    weight = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == f"C{weight_row}")
    assert (weight.type, float(weight.formula1), float(weight.formula2)) == ("decimal", 0, 1)


def test_rubrics_sum_to_100_per_award(wb):
    totals = defaultdict(float)
    for award, item, points, *_ in _data(wb["评分细则"]):
        totals[award] += points
    # The notice's items: 服务之星 20+20+35+25, 机构 15+15+20+15+20+15, 专家 25+20+20+35, 产品 25+25+20+15+15.
    assert dict(totals) == {"服务之星": 100, "优秀服务机构": 100, "优秀服务专家": 100, "创新服务产品": 100}
    assert _data(wb["评分细则"])[0][:3] == ["服务之星", "服务意识", 20]


def test_instructions_give_steps_commands_and_dates(wb):
    text = "\n".join(str(c) for row in wb["工作流程说明"].iter_rows(values_only=True) for c in row if c is not None)
    for expected in ("接收申报", "汇总", "核查", "生成专家评分表", "收回评分", "计算排名", "公示", "定稿",
                     "xl-awards consolidate --hub", "xl-awards expert-sheets", "xl-awards collect", "xl-awards rank",
                     "xl-awards publicity", "xl-awards finalize", "2022-09-20", "2022-08-15", "5个工作日",
                     "70%", "30%", "2021年度优秀评选_省枢纽平台工作簿.xlsx"):
        assert expected in text, expected
    steps = [r[1] for r in wb["工作流程说明"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert steps == ["核对设置", "准备基础数据", "下发申报工作簿", "接收申报", "汇总", "核查", "生成专家评分表",
                     "收回评分", "计算排名", "公示", "定稿"]


def test_build_is_reproducible(tmp_path):
    a = write_hub_workbook(EDITION, tmp_path / "a").read_bytes()
    b = write_hub_workbook(EDITION, tmp_path / "b").read_bytes()
    assert a == b


def test_rebuild_keeps_a_hub_in_use(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path)
    # An identical rebuild changes nothing and leaves no backup.
    write_hub_workbook(EDITION, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    # A hub with the staff's data is backed up before it is replaced.
    wb = openpyxl.load_workbook(path)
    wb["官网备案"]["A3"] = "优秀服务机构"
    wb.save(path)
    edited = path.read_bytes()
    write_hub_workbook(EDITION, tmp_path)
    backups = [p for p in tmp_path.iterdir() if "备份" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    assert openpyxl.load_workbook(path)["官网备案"]["A3"].value is None


def test_sample_window_platforms(swb):
    rows = _data(swb["窗口平台"])
    by_type = defaultdict(list)
    for row in rows:
        by_type[row[1]].append(row)
    city_tier = by_type["市州综合窗口平台"]
    assert len(city_tier) == 14 and sorted(r[2] for r in city_tier) == sorted(CITIES)  # one per city
    assert city_tier[0][0] == "长沙市中小企业公共服务平台"
    county_tier = by_type["县市区综合窗口平台"]
    assert 55 <= len(county_tier) <= 65
    for name, _, city, county, *_ in county_tier:
        assert county in EDITION.divisions.counties(city), (name, city, county)
    clusters = [r[0] for r in by_type["产业集群窗口平台"]]
    assert "有色金属产业集群窗口平台" in clusters and "芦淞服饰产业集群窗口平台" in clusters
    not_built = [r for r in rows if r[4] == "否"]
    assert 1 <= len(not_built) <= 5 and all(v is None for r in not_built for v in r[5:9])
    built = [r for r in rows if r[4] == "是"]
    assert all(isinstance(v, (int, float)) and v >= 0 for r in built for v in r[5:9])
    assert len({r[0] for r in rows}) == len(rows)  # platform names are unique


def test_sample_experts_prior_awards_barred(swb):
    experts = _data(swb["专家库"])
    headers = _headers(swb["专家库"])
    col = {h.rstrip("*"): i for i, h in enumerate(headers)}
    assert len(experts) == 17  # 12 experts + 5 hub reviewers for 服务之星
    covered = set()
    for row in experts:
        assert ric.is_valid(row[col["身份证号码"]]), row  # fake, but with valid check digits
        assert uscc.is_valid(row[col["统一社会信用代码"]]), row
        awards = row[col["评审类别"]].split("、")
        assert set(awards) <= {"优秀服务机构", "优秀服务专家", "创新服务产品", "服务之星"}
        covered.update(awards)
    assert covered == {"优秀服务机构", "优秀服务专家", "创新服务产品", "服务之星"}  # every award has a panel
    assert any(row[col["回避单位"]] for row in experts)
    assert len({row[col["专家编号"]] for row in experts}) == len(experts)
    prior = _data(swb["往年获奖"])
    assert prior and all(r[0] == 2020 for r in prior)
    barred = _data(swb["禁评名单"])
    assert len(barred) == 1 and barred[0][2] == 2020 and uscc.is_valid(barred[0][1])


@pytest.mark.libreoffice
def test_hub_workbook_loads_in_libreoffice(sample, libreoffice):
    values = libreoffice.recalculate(sample)
    sheets = libreoffice.inspect(sample)
    assert [s["name"] for s in sheets][:3] == ["工作流程说明", "设置", "窗口平台"]
    assert {s["name"]: s["visible"] for s in sheets}["_选项"] is False
    window = values["窗口平台"]
    assert window[1][0] == "平台名称*" and window[2][0] == "长沙市中小企业公共服务平台"
    settings = {row[0]: row[2] for row in values["设置"][2:]}
    assert settings["awards.institution.quota"] == 10.0
    assert settings["scoring.expert_weight"] == 0.7

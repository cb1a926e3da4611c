"""`xl-awards validate`: exit codes, the JSON shape of SPEC section 7, the human table, write-back."""

import io
import json
import zipfile

from openpyxl import load_workbook

from factory import EDITION, valid_rows, write_intake
from test_reader_junk import compound_file
from xl_awards.cli import main
from xl_awards.base.findings import JSON_KEYS
from xl_awards.schema.intake import FINDINGS_SHEET, STAR_SHEET


def bad_star_rows():
    rows = valid_rows()
    # D3: check digit X expected (sum 211, see factory.py); I3: one complaint; P3: not recommended (warning)
    rows[STAR_SHEET][0].update(id_number="430102198503121230", complaints=1, prelim_opinion="不同意推荐")
    return rows


def test_clean_workbook_exits_0(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "未发现问题" in out
    assert "错误 0 个，警告 0 个，提示 0 个" in out


def test_warnings_only_exit_0(tmp_path, capsys):
    rows = valid_rows()
    rows[STAR_SHEET][0]["prelim_opinion"] = "不同意推荐"
    path = write_intake(tmp_path / "长沙市.xlsx", rows)
    assert main(["validate", str(path)]) == 0
    assert "警告 1 个" in capsys.readouterr().out


def test_errors_exit_1_and_the_table(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("文件：长沙市.xlsx")
    assert f"  工作表：{STAR_SHEET}" in lines
    row_d3 = next(line for line in lines if line.strip().startswith("D3"))
    assert "错误" in row_d3 and "身份证号码" in row_d3 and "第18位应为X" in row_d3
    # each message names the applicant; an error says what it does to the application
    assert "错误（待补正）" in row_d3 and "服务之星“张服务”（第3行）：身份证号码" in row_d3
    row_i3 = next(line for line in lines if line.strip().startswith("I3"))
    assert "错误（资格不符）" in row_i3
    # the counts, then per applicant (张服务: one correct + one exclude error -> counted once, as excluded),
    # then what to do next
    assert lines[-3] == "共 1 个文件：错误 2 个，警告 1 个，提示 0 个"
    assert lines[-2] == ("按申报计：1 个申报不符合参评条件（资格不符，不能参评），0 个申报需要补正（待补正：补正后照常参评），"
                         "0 个申报待省枢纽平台确定（待定：重复申报或同一窗口平台推荐多人）")
    assert lines[-1].startswith("下一步：按上面列出的问题修改工作簿") and str(path) in lines[-1]


def test_valid_workbook_says_what_next(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", valid_rows())
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "下一步：没有错误，可将工作簿报送省枢纽平台（纸质材料按通知要求一并报送）"


def test_json_shape(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    assert main(["validate", str(path), "--json"]) == 1
    out = capsys.readouterr().out
    assert "身份证号码" in out  # ensure_ascii=False: Chinese as is
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 3
    for item in data:
        # the 8 keys in their order, and effect last (SPEC sections 4 and 7)
        assert list(item) == list(JSON_KEYS) == ["rule", "severity", "file", "sheet", "cell", "row", "field", "message",
                                                 "effect"]
    assert [d["effect"] for d in data] == ["correct", "exclude", "none"]  # check digit, complaints, a warning
    assert [(d["rule"], d["cell"], d["row"], d["severity"]) for d in data] == [
        ("id_card", "D3", 3, "error"), ("star_complaints", "I3", 3, "error"), ("city_not_recommended", "P3", 3, "warning"),
    ]
    assert data[0]["file"] == "长沙市.xlsx" and data[0]["sheet"] == STAR_SHEET and data[0]["field"] == "身份证号码"


def test_one_unreadable_file_among_several(tmp_path, capsys):
    good = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    bad = tmp_path / "株洲市.xls"
    bad.write_bytes(compound_file("Workbook"))
    assert main(["validate", str(good), str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 3  # the readable file was still checked
    assert captured.err.strip().splitlines() == ["株洲市.xls：是旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再校验"]


def test_bad_usage_exits_2(tmp_path, capsys):
    assert main(["validate"]) == 2  # no file
    a = write_intake(tmp_path / "a.xlsx")
    b = write_intake(tmp_path / "b.xlsx")
    assert main(["validate", str(a), str(b), "--write-back", str(tmp_path / "out.xlsx")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "--write-back 指定输出文件时只能校验一个工作簿"


def test_write_back_to_a_copy(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    before = path.read_bytes()
    assert main(["validate", str(path), "--write-back"]) == 1
    assert path.read_bytes() == before  # the input is untouched
    copy = tmp_path / "长沙市_校验结果.xlsx"
    wb = load_workbook(copy)
    ws = wb[FINDINGS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("序号", "工作表", "单元格", "行", "字段", "级别", "问题说明", "申报对象", "影响")
    assert [r[7:] for r in rows[1:]] == [("服务之星“张服务”（第3行）", "待补正"), ("服务之星“张服务”（第3行）", "资格不符"),
                                         ("服务之星“张服务”（第3行）", None)]
    assert [r[:6] for r in rows[1:]] == [
        (1, STAR_SHEET, "D3", 3, "身份证号码", "错误"),
        (2, STAR_SHEET, "I3", 3, "近一年企业投诉次数", "错误"),
        (3, STAR_SHEET, "P3", 3, "市州初审意见", "警告"),
    ]
    assert ws["C2"].hyperlink.location == f"'{STAR_SHEET}'!D3"
    star = wb[STAR_SHEET]
    assert star["D3"].fill.fgColor.rgb.endswith("FFC7CE")  # error fill
    assert star["P3"].fill.fgColor.rgb.endswith("FFEB9C")  # warning fill
    assert "第18位应为X" in star["D3"].comment.text
    assert star["B3"].comment is None and star["B3"].value == "张服务"
    # the copy is still a valid intake workbook for the reader (校验结果 is ignored)
    assert main(["validate", str(copy)]) == 1


def test_write_back_in_place_and_again(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    assert main(["validate", str(path), "--write-back", str(path)]) == 1
    assert not (tmp_path / "长沙市_校验结果.xlsx").exists()
    assert load_workbook(path)[STAR_SHEET]["D3"].comment is not None
    # fix the ID in place and validate again: the old mark on D3 goes, the others stay
    wb = load_workbook(path)
    wb[STAR_SHEET]["D3"] = "43010219850312123X"
    wb.save(path)
    assert main(["validate", str(path), "--write-back", str(path)]) == 1
    wb = load_workbook(path)
    assert wb[STAR_SHEET]["D3"].comment is None and wb[STAR_SHEET]["D3"].fill.fill_type is None
    assert wb[STAR_SHEET]["I3"].comment is not None
    assert [r[2] for r in wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True)] == ["I3", "P3"]
    assert list(tmp_path.glob(".xl_awards_*")) == []  # no temporary file left behind


def test_write_back_keeps_macros(tmp_path, capsys):
    import xlsxwriter

    from factory import SHEETS

    path = tmp_path / "长沙市.xlsm"
    vba = compound_file("VBA")  # stands in for a vbaProject.bin: its bytes must survive untouched
    wb = xlsxwriter.Workbook(str(path))
    row = bad_star_rows()[STAR_SHEET][0]
    for name, sheet in SHEETS.items():  # every sheet present; only the star sheet has a row
        ws = wb.add_worksheet(name)
        for c, f in enumerate(sheet.fields):
            ws.write(1, c, f.header)
            value = row.get(f.key) if name == STAR_SHEET else None
            if value not in (None, ""):
                ws.write(2, c, value.isoformat() if hasattr(value, "isoformat") else value)
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.close()
    assert main(["validate", str(path), "--write-back"]) == 1
    out = tmp_path / "长沙市_校验结果.xlsm"
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == vba
    assert load_workbook(out, keep_vba=True)[FINDINGS_SHEET]["C2"].value == "D3"


def test_validate_files_for_the_button(tmp_path):
    from xl_awards.jobs.validate import validate_files

    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    assert [f.cell for f in validate_files([path], EDITION)] == ["D3", "I3", "P3"]


def test_many_findings_get_a_summary_of_where_they_are(tmp_path, capsys):
    """30 stars on rows 3..32, distinct people and platforms: every narrative is 1 character (30
    findings) and every 5th phone (i = 0, 5, …, 25: 6 rows) is bad: 36 findings > 20, so a summary
    by field comes first, most findings first."""
    import copy

    from stdnum.cn import ric

    rows = valid_rows()
    stars = []
    for i in range(30):
        star = copy.deepcopy(rows[STAR_SHEET][0])
        body = f"43010219850312{i:03d}"  # born 1985-03-12, sequence 000..029; the check digit computed
        star.update(id_number=body + ric.calc_check_digit(body + "0"), platform=f"平台{i}", achievements="短")
        if i % 5 == 0:
            star["phone"] = "123"
        stars.append(star)
    rows[STAR_SHEET] = stars
    path = write_intake(tmp_path / "长沙市.xlsx", rows)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        "文件：长沙市.xlsx（错误 36，警告 0，提示 0）",
        "  问题最多的字段（先改这些）：",
        "    “服务之星”表“主要服务业绩”列：30 处，第3~32行",
        "    “服务之星”表“联系电话”列：6 处，第3~28行",  # i = 0 and 25 are rows 3 and 28
        f"  工作表：{STAR_SHEET}",
    ]


def test_few_findings_have_no_summary(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx", bad_star_rows())
    main(["validate", str(path)])
    assert "问题最多的字段" not in capsys.readouterr().out


def test_table_columns_line_up_with_chinese_text(tmp_path, capsys):
    """Every row of a sheet's table starts its message at the same display column (CJK = 2 columns)."""
    import unicodedata

    def width(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    rows = bad_star_rows()
    rows[STAR_SHEET][0]["phone"] = "123"  # N3: a short field name among longer ones
    path = write_intake(tmp_path / "长沙市.xlsx", rows)
    main(["validate", str(path)])
    lines = capsys.readouterr().out.splitlines()
    start = lines.index(f"  工作表：{STAR_SHEET}") + 1
    table = []
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        table.append(line)
    header, body = table[0], table[1:]
    column = width(header[: header.index("问题说明")])
    # each message starts right after the padded 字段 column: the widths before it are all equal
    starts = set()
    for line in body:
        parts = line.split("  ")
        cells = [p for p in parts if p]
        message = cells[3]
        starts.add(width(line[: line.index(message)]))
    assert starts == {column}

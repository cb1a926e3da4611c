"""The one header finder and table reader (intake and hub sheets), worked by hand."""

import datetime as dt
from types import SimpleNamespace as NS

from xl_awards.base.tables import data_rows, find_header, header_recognised, locate_table

SCHEMA = NS(fields=(NS(label="姓名", key="name", required=True), NS(label="身份证号码", key="id", required=True),
                    NS(label="所属市州", key="city", required=True), NS(label="职务", key="title", required=True),
                    NS(label="备注", key="note", required=False)))


def test_header_row_is_the_row_matching_most_labels():
    grid = [["2021年度服务之星申报表"],            # title: no label
            ["姓名", "说明"],                        # one label
            ["* 姓 名", "身份证号码（必填）", "所属市州"],  # three labels (SPEC 3: * and brackets ignored)
            ["张三", "430102199001011234", "长沙市"]]
    assert find_header(grid, {f.label: f.key for f in SCHEMA.fields}) == (2, {"name": 0, "id": 1, "city": 2})


def test_half_of_the_required_columns_recognise_a_sheet():
    required = ["name", "id", "city", "title"]
    # 4 required: ceil(4/2) = 2 needed.  1 found -> not this sheet; 2 found -> read, 2 missing reported.
    assert not header_recognised({"name"}, required)
    assert header_recognised({"name", "city"}, required)
    # 1 required (ceil(1/2) = 1): its one column suffices; 0 required: at least one column is still needed.
    assert header_recognised({"name"}, ["name"])
    assert not header_recognised(set(), [])
    assert locate_table(SCHEMA, [["姓名", "备注"]]) is None  # 1 of 4 required
    assert locate_table(SCHEMA, [["备注", "所属市州", "姓名"]]) == (0, {"note": 0, "city": 1, "name": 2})


def test_data_rows_skip_blank_rows_and_keep_excel_numbers():
    grid = [["姓名", "所属市州"], ["张三", "长沙市"], ["", "长沙市"], [None, None], ["李四", ""]]
    columns = {"name": 0, "city": 1}
    # Row 3 has only the prefilled 市州: blank when city is ignored; row 4 is empty.
    assert data_rows(grid, 1, columns, ignore_keys={"city"}) == [(2, {"name": "张三", "city": "长沙市"}),
                                                                 (5, {"name": "李四", "city": ""})]
    assert [r for r, _ in data_rows(grid, 1, columns)] == [2, 3, 5]
    assert data_rows(grid, 1, columns, empty_as_none=True)[-1] == (5, {"name": "李四", "city": None})


def test_data_rows_read_short_rows_blank_text_and_other_types():
    # columns out of sheet order, a row shorter than the table, whitespace-only text (ASCII and full-width
    # space), and cells that are not text: a number 0, False and a date are values, not blanks
    grid = [["h"], ["  ", "\u3000", None], ["x"], [None, None, 0], [None, False], ["", "", "", dt.date(2021, 1, 1)],
            [" \n"]]
    columns = {"b": 1, "a": 0, "c": 2}
    assert data_rows(grid, 1, columns) == [(3, {"b": None, "a": "x", "c": None}),
                                           (4, {"b": None, "a": None, "c": 0}),
                                           (5, {"b": False, "a": None, "c": None})]
    # one column: the row's own cell, or None past its end
    assert data_rows([["h"], ["v", "w"], [], ["", "u"]], 1, {"only": 0}) == [(2, {"only": "v"})]
    assert data_rows([["h"], ["", "u"]], 1, {"second": 1}, empty_as_none=True) == [(2, {"second": "u"})]
    assert data_rows([["h"], ["", "u"]], 1, {"first": 0, "second": 1}, empty_as_none=True) == [
        (2, {"first": None, "second": "u"})]


def test_header_label_as_the_rule_says():
    # worked by hand (SPEC section 3): up to the first bracket, NFKC, no whitespace, no leading/trailing *
    from xl_awards.base.tables import header_label

    assert header_label("姓名（必填）") == "姓名"
    assert header_label("* 姓 名") == "姓名"
    assert header_label("＊统一社会信用代码(18位)") == "统一社会信用代码"
    assert header_label("服务\u3000时间\n") == "服务时间"
    assert header_label("（备注）") == ""
    assert header_label("ＡＢＣ") == "ABC"
    assert header_label(None) == "" and header_label(2021) == "2021"

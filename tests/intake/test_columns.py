"""Column-wise cell checks give exactly what the per-value path gives, row by row.

The per-value path (``check_row_cells``) is the one that words every finding (its texts are
asserted by hand in the other intake tests); the column path only adds fast acceptance of
values already in canonical form.  Here both run on thousands of rows mixing canonical,
differently typed and invalid values of every field type, and must agree exactly (values,
issues, order).  The fast path's own results are also checked against hand-worked values.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from stdnum.cn import ric, uscc as cn_uscc
from stdnum.exceptions import ValidationError

from factory import EDITION, ID_EXPERT, ID_STAR, SCHEMA, SHEETS, USCC_COMPANY_1, USCC_INST
from xl_awards.intake.cells import check_row_cells
from xl_awards.intake.columns import check_table_cells
from xl_awards.intake.ids import (
    USCC_ALPHABET, id_card_accepted, id_card_problem, uscc_accepted, uscc_check_character, uscc_problem,
)
from xl_awards.intake.validation import choice_lists
from xl_awards.schema import FieldType as T
from xl_awards.schema.intake import INSTITUTION_SHEET, RECIPIENTS_SHEET, STAR_SHEET

CHOICES = choice_lists(EDITION)

COMMON_VALUES = [None, "", " ", "\u3000", 0, 1, -2, 2.5, True, "-2", "=1+1", "@x", "+86", "无", "N/A"]
BY_TYPE = {
    T.TEXT: ["张三", " 张三 ", "ＡＢＣ", "abc", "服务" * 800, "服务" * 20, "第12号窗口平台",
             "联系13907310000", "43010219850312123X", "a\nb", 12345, dt.date(2021, 1, 1),
             # NFKC that gives a space at an end, a full-width = (text, not a formula), line separators
             "\u00a8服务", "服务\u00a8", "＝1+1", "\u2028服务", "服务\u3000", "服务，（中心）", "@", "-5", "\u00a0"],
    T.INTEGER: [0, 3, 3.0, 3.5, -1, "3", "３", " 3", "3次", "无", "1,000", "12345678901234567890", 2 ** 60,
                float("nan"), 10 ** 6],
    T.DECIMAL: [0, 1.5, -1.5, "1.5", 1e9, 10 ** 6],
    T.DATE: [dt.datetime(2022, 9, 10), dt.datetime(2022, 9, 10, 8, 30), dt.date(2022, 9, 10), "2022-09-10",
             "2022-9-10", "2022-02-30", "2022/09/10", "2022年9月10日", 44814, 20220910, "2022-09", "２０２２-09-10",
             dt.datetime(2452, 7, 1)],
    T.PERIOD: [dt.datetime(2021, 6, 18), dt.date(2021, 6, 18), "2021-06-18", "2021-06", "2021.3-2021.6",
               "2021年3月至6月", "2021-02-30", "2021-", 44365, "2021-13-01"],
    T.YEAR_MONTH: [dt.datetime(2018, 5, 1), dt.date(2018, 5, 20), "2018-05", "2018-13", "2018-5", "2018年5月", 201805,
                   2018.05, dt.datetime(2452, 7, 1), "2018-05-20", "2018"],
    T.YEAR: [2005, 2005.0, 2005.5, "2005", "2005年", 1899, 1000, 9999, 20050, dt.date(2005, 1, 1), "２００５"],
    T.YES_NO: ["是", "否", "Y", "yes", "√", " 是", "是 ", "不"],
    T.CHOICE: ["长沙市", "长沙", " 长沙市", "浏阳市", "芙蓉区", "衡阳县", "同意推荐", "不同意推荐", "男", "女",
               "管理咨询", "管理咨询、财税", "管理咨询、管理咨询", "财税、、法律", "正高级", "县市区综合窗口平台",
               "技术创新", "优秀服务机构", "优秀服务专家"],
    T.ID_CARD: [ID_STAR, ID_EXPERT, ID_STAR.lower(), ID_STAR[:-1] + "1", "430102198502301234", ID_STAR[:17],
                " " + ID_STAR, ID_STAR[:6] + "-" + ID_STAR[6:], 4.30102198503121e17, "99010219850312123X"],
    T.USCC: [USCC_INST, USCC_COMPANY_1, USCC_INST.lower(), USCC_INST[:-1] + "B", "91430100MA4L1234IA",
             USCC_INST[:17], "9143 0100 MA4L 1234 5A", 9.1e17],
    T.PHONE: ["13907310000", 13907310000, 13907310000.0, "0731-84561234", "010-1234567", "0731-8456123",
              "0123-4567890", "0731 84561234", "139-0731-0000", "+86 13907310000", "0731-84561234转801",
              "13907310000/0731-84561234", "12345678901", "abc"],
    T.EMAIL: ["a@b.com", " a@b.com", "a@b", "张@b.com", "a.b+c@x-y.org"],
}
CITIES = ["长沙市", "衡阳市", "长沙", "", None, "某某市"]


def random_rows(sheet, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        row = {}
        for f in sheet.fields:
            pool = BY_TYPE[f.type] + COMMON_VALUES
            row[f.key] = rng.choice(CITIES) if f.key == "city" else rng.choice(pool)
        rows.append(row)
    return rows


@pytest.mark.parametrize("sheet", [s.name for s in SCHEMA])
def test_columns_agree_with_the_per_value_path(sheet):
    schema = SHEETS[sheet]
    rows = random_rows(schema, 1500, seed=len(sheet))
    assert check_table_cells(schema, rows, CHOICES) == [check_row_cells(schema, row, CHOICES) for row in rows]


def uniform_tables(sheet, n: int, seed: int) -> list[list[dict]]:
    """Tables whose every column holds one or two values of its pool (the whole-column paths decide such
    columns at once): table (j, variant) has in each column its pool's j-th value on two rows of three and,
    on the third, the same value, another value of the pool, None or "".  Columns are checked one by one,
    so each column meets every value of its pool in each variant, as with one table per column and value."""
    rng = random.Random(seed)
    pools = {f.key: (CITIES if f.key == "city" else []) + BY_TYPE[f.type] + COMMON_VALUES for f in sheet.fields}
    tables = []
    for j in range(max(len(pool) for pool in pools.values())):
        for variant in range(4):
            rows = [{} for _ in range(n)]
            for f in sheet.fields:
                pool = pools[f.key]
                value = pool[j % len(pool)]
                other = (value, rng.choice(pool), None, "")[variant]
                for i, row in enumerate(rows):
                    row[f.key] = value if i % 3 else other
            tables.append(rows)
    return tables


@pytest.mark.parametrize("sheet", [s.name for s in SCHEMA])
def test_whole_columns_agree_with_the_per_value_path(sheet):
    schema = SHEETS[sheet]
    for rows in uniform_tables(schema, 4, seed=len(sheet)):
        assert check_table_cells(schema, rows, CHOICES) == [check_row_cells(schema, row, CHOICES) for row in rows], rows


def test_whole_text_columns_fold_full_width_text_as_nfkc():
    """A text column folded at once (joined by NUL) gives each value's own NFKC, a NUL in a value included."""
    from xl_awards.base.normalize import fold_column_nfkc, nfkc

    texts = ["服务，（中心）", "ＡＢＣ１２３", "plain", "服务\u3000", "\u00a8服务", "a\x00ｂ", "\u0301x"]
    for i in range(len(texts)):
        for j in range(len(texts)):
            column = [texts[i], texts[j], texts[(i + j) % len(texts)]]
            folded = fold_column_nfkc(column)
            assert folded is None or folded == [nfkc(t) for t in column], column
    assert fold_column_nfkc(["服务，（中心）", "ＡＢ"]) == ["服务,(中心)", "AB"]


def test_rows_with_different_columns_are_checked_row_by_row():
    schema = SHEETS[STAR_SHEET]
    rows = [{"name": "张三", "complaints": "3"}, {"name": "李四"}]
    assert check_table_cells(schema, rows, CHOICES) == [check_row_cells(schema, row, CHOICES) for row in rows]


def test_canonical_values_normalise_as_worked_by_hand():
    inst = SHEETS[INSTITUTION_SHEET]
    rows = [{"name": " 湖南星城 ", "uscc": USCC_INST, "served_count": 120.0, "product1_since": "2019-03",
             "prelim_date": dt.datetime(2022, 9, 10), "phone": 13907310000, "credit_pledge": "是", "county": "浏阳市",
             "city": "长沙市"}]
    (values, issues), = check_table_cells(inst, rows, CHOICES)
    assert issues == []
    assert values["name"] == "湖南星城"
    assert values["uscc"] == USCC_INST
    assert values["served_count"] == 120 and type(values["served_count"]) is int
    assert values["product1_since"] == dt.date(2019, 3, 1)
    assert values["prelim_date"] == dt.date(2022, 9, 10)
    assert values["phone"] == "13907310000"
    assert values["credit_pledge"] == "是"
    assert values["county"] == "浏阳市"
    recipients = SHEETS[RECIPIENTS_SHEET]
    (values, issues), = check_table_cells(recipients, [{"date": "2021-06-18"}], CHOICES)
    assert values["date"] == (dt.date(2021, 6, 18), dt.date(2021, 6, 18))


def test_a_county_of_another_city_is_refused_by_the_column_path_too():
    inst = SHEETS[INSTITUTION_SHEET]
    rows = [{"city": "长沙市", "county": "浏阳市"}, {"city": "衡阳市", "county": "浏阳市"}]
    (first, second) = check_table_cells(inst, rows, CHOICES)
    assert [i.rule for i in first[1] if i.field.key == "county"] == []
    assert [i.rule for i in second[1] if i.field.key == "county"] == ["choice"]


def _stdnum_id_valid(code: str) -> bool:
    if len(code) != 18 or not code[:-1].isdigit() or not (code[-1].isdigit() or code[-1] == "X"):
        return False
    try:
        ric.get_birth_date(code)
    except ValidationError:
        return False
    return ric.calc_check_digit(code) == code[-1]


def test_id_card_fast_check_agrees_with_stdnum():
    rng = random.Random(11643)
    for _ in range(20000):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        body = f"{rng.randrange(110000, 660000)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        if rng.random() < 0.1:
            body = body[:10] + f"{rng.randrange(13, 20)}" + body[12:]  # month 13..19
        code = body + rng.choice("0123456789X")
        assert id_card_accepted(code) == _stdnum_id_valid(code) == (id_card_problem(code) is None), code
    assert id_card_accepted("43010219850312123X")  # tests/factory.py: worked by hand
    assert not id_card_accepted("430102198503121231")


def test_uscc_check_character_agrees_with_stdnum():
    rng = random.Random(32100)
    for _ in range(20000):
        body = (rng.choice(USCC_ALPHABET) + rng.choice(USCC_ALPHABET) + f"{rng.randrange(10 ** 6):06d}"
                + "".join(rng.choice(USCC_ALPHABET) for _ in range(9)))
        assert uscc_check_character(body) == cn_uscc.calc_check_digit(body), body
        code = body + rng.choice(USCC_ALPHABET)
        stdnum_ok = cn_uscc.calc_check_digit(code) == code[-1]
        assert uscc_accepted(code) == stdnum_ok == (uscc_problem(code) is None), code
    # tests/factory.py: 91430100MA4L12345 -> sum 1571, 1571 mod 31 = 21, 31 - 21 = 10 -> A
    assert uscc_check_character("91430100MA4L12345") == "A"
    assert not uscc_accepted("91430100MA4L12345B")


def test_division_codes_agree_with_stdnum_numdb():
    """The codes read straight from python-stdnum's cn/loc.dat are exactly those its numdb gives a county."""
    from stdnum import numdb

    from xl_awards.intake.ids import _division_code_known, division_codes

    codes = division_codes()
    assert codes is not None  # the installed table is in the two-level form the reader expects
    db = numdb.get("cn/loc")

    def stdnum_known(code: str) -> bool:
        return any(props.get("county") for _, props in db.info(code))

    assert "430102" in codes and "430181" in codes  # 芙蓉区, 浏阳市: worked by hand from the table
    assert "430100" in codes  # 长沙市 itself is listed with county="长沙市"
    assert "439999" not in codes and "000000" not in codes
    candidates = set(codes) | {f"{p:02d}{q:04d}" for p in range(10, 100) for q in range(0, 10000, 97)}
    candidates |= {c[:5] + str((int(c[5]) + 1) % 10) for c in codes}
    for code in sorted(candidates):
        assert (code in codes) == stdnum_known(code), code
    for junk in ["", "43010", "4301021", "43010X", "４３０１０２", "430102\n", "43 102"]:
        assert _division_code_known(junk) is False, repr(junk)  # not six ASCII digits


def test_python_stdnum_is_not_imported_for_valid_numbers():
    """Valid, compact numbers are checked without importing python-stdnum (its import costs ~25 ms)."""
    import subprocess
    import sys

    code = ("import sys; from xl_awards.intake.ids import id_card_accepted, uscc_accepted, id_card_region_known\n"
            "assert id_card_accepted('43010219850312123X') and uscc_accepted('91430100MA4L12345A')\n"
            "assert id_card_region_known('43010219850312123X')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'stdnum'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_division_codes_are_read_only_from_a_table_of_the_expected_form(tmp_path, monkeypatch):
    import importlib.util
    from types import SimpleNamespace

    from xl_awards.intake import ids

    (tmp_path / "cn").mkdir()
    table = tmp_path / "cn" / "loc.dat"
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: SimpleNamespace(submodule_search_locations=[str(tmp_path)]))
    cases = {
        '# comment\n43 province="湖南省"\n  0102 county="芙蓉区"\n  0103 county=""\n\n44 province="广东省"\n  0101 county="x"\n':
            frozenset({"430102", "440101"}),  # worked by hand: an empty county is no county
        '43 province="湖南省"\n  0102 county="芙蓉区"': frozenset({"430102"}),  # no final newline
        '43 province="湖南省"\n    010203 town="x"\n': None,  # a third level: numdb decides
        '43 province="湖南省"\n43 province="again"\n': None,  # a province twice
        '  0102 county="芙蓉区"\n': None,  # a county before any province
        '43 province="湖南省"\r\n  0102 county="芙蓉区"\r\n': None,
        '43 province="湖\n南省"\n': None,  # a line that does not end where it should
    }
    for text, expected in cases.items():
        table.write_text(text, encoding="utf-8", newline="")
        ids.division_codes.cache_clear()
        assert ids.division_codes() == expected, text
    ids.division_codes.cache_clear()
    monkeypatch.undo()
    assert "430102" in ids.division_codes()


def test_uscc_columns_agree_with_the_per_value_check():
    """``uscc_all_accepted`` (the whole column at once) is ``all(uscc_accepted(...))``, on columns of valid
    codes with one character changed, a code holding NUL, an empty text."""
    from xl_awards.intake.ids import uscc_all_accepted

    rng = random.Random(9)

    def code() -> str:
        body = (rng.choice(USCC_ALPHABET) + rng.choice(USCC_ALPHABET) + f"{rng.randrange(10 ** 6):06d}"
                + "".join(rng.choice(USCC_ALPHABET) for _ in range(9)))
        return body + uscc_check_character(body)

    outcomes = set()
    for _ in range(3000):
        column = [code() for _ in range(rng.randrange(1, 6))]
        if rng.random() < 0.5:
            i, j = rng.randrange(len(column)), rng.randrange(18)
            column[i] = column[i][:j] + rng.choice(USCC_ALPHABET + "IOZ a-") + column[i][j + 1:]
        if rng.random() < 0.1:
            column[0] += "\x00" + code()
        if rng.random() < 0.05:
            column.append("")
        outcome = uscc_all_accepted(column)
        assert outcome == all(uscc_accepted(c) for c in column), column
        outcomes.add(outcome)
    assert outcomes == {True, False}
    assert uscc_all_accepted([USCC_INST, USCC_COMPANY_1])

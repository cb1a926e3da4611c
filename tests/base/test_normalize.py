"""The normalisation table: what people type -> the value checks reason about (SPEC section 4)."""

import datetime as dt

import pytest

from xl_awards.base import normalize as nz

D = dt.date


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2019-05", D(2019, 5, 1)),
        ("2019/5", D(2019, 5, 1)),
        ("2019年5月", D(2019, 5, 1)),
        ("2019.05", D(2019, 5, 1)),
        ("2019 年 5 月", D(2019, 5, 1)),
        ("２０１９－０５", D(2019, 5, 1)),  # full-width digits and dash
        ("  2019-05  ", D(2019, 5, 1)),
        ("201905", D(2019, 5, 1)),
        ("2019-05-20", D(2019, 5, 1)),  # a full date is truncated to its month
        (D(2019, 5, 20), D(2019, 5, 1)),
        (dt.datetime(2019, 5, 20, 0, 0), D(2019, 5, 1)),
        (43586.0, D(2019, 5, 1)),  # Excel serial: 43586 days after 1899-12-30 = 2019-05-01
        ("43586", D(2019, 5, 1)),  # the same serial typed as text
    ],
)
def test_year_month_forms(raw, expected):
    assert nz.to_year_month(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2022-09-10", D(2022, 9, 10)),
        ("2022/9/10", D(2022, 9, 10)),
        ("2022年9月10日", D(2022, 9, 10)),
        ("2022.09.10", D(2022, 9, 10)),
        ("２０２２年９月１０日", D(2022, 9, 10)),
        ("20220910", D(2022, 9, 10)),
        # 2022-09-10 is day 44814: 2022-01-01 is serial 44562 (= 1899-12-30 + 44562 days), + 252 days
        (44814, D(2022, 9, 10)),
        (44814.0, D(2022, 9, 10)),
        ("44814", D(2022, 9, 10)),
    ],
)
def test_date_forms(raw, expected):
    assert nz.to_date(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", 12), ("１２", 12), (" 12 ", 12), (12.0, 12), ("1,200", 1200), ("+3", 3), ("0", 0),
    ],
)
def test_integers_typed_as_text(raw, expected):
    assert nz.to_int(raw) == expected


@pytest.mark.parametrize("raw, expected", [("2010", 2010), ("2010年", 2010), ("２０１０", 2010), (2010.0, 2010), ("2010-06", 2010)])
def test_year_forms(raw, expected):
    assert nz.to_year(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("是", "是"), ("否", "否"), ("Y", "是"), ("yes", "是"), ("√", "是"), ("N", "否"), ("×", "否"), (True, "是"), (" 是 ", "是")],
)
def test_yes_no(raw, expected):
    assert nz.to_yes_no(raw) == expected


def test_codes_and_names():
    # full-width letters fold, spaces and dashes go, lower case goes up
    assert nz.to_code("４３０１０２ １９８５０３１２ １２３ｘ") == "43010219850312123X"
    assert nz.to_code("91430100-MA4L12345a") == "91430100MA4L12345A"
    assert nz.to_code("43010219850312123x") == "43010219850312123X" and nz.to_code("") == "" and nz.to_code(None) == ""
    assert nz.to_code(" 91430100MA4L12345A ") == "91430100MA4L12345A" and nz.to_code(4301) == "4301"
    assert nz.normalize_name(" 湖南 星城 ") == "湖南星城"
    assert nz.clean_text(123.0) == "123"
    assert nz.count_chars("服 务\n业　绩") == 4  # ASCII space, line break and ideographic space not counted


@pytest.mark.parametrize(
    "func, raw",
    [
        (nz.to_year_month, "2019-13"),  # no month 13
        (nz.to_year_month, "五月"),
        (nz.to_year_month, "2019年"),  # a year alone is not a month
        (nz.to_year_month, "0000-05"),  # no year 0
        (nz.to_year_month, "0000年5月"),
        (nz.to_date, "2022-02-30"),
        (nz.to_date, "昨天"),
        (nz.to_date, "2022-09"),  # a month is not a full date
        (nz.to_date, 0),  # serial 0 is not a date
        (nz.to_int, "12.5"),
        (nz.to_int, "十二"),
        (nz.to_int, "12个"),
        (nz.to_number, "1.2.3"),
        (nz.to_yes_no, "可能"),
        (nz.to_year, "明年"),
    ],
)
def test_junk_fails(func, raw):
    with pytest.raises(nz.NormalizeError):
        func(raw)


def test_months_between():
    # 2019-12 -> 2021-12: 2 years = 24 months; 2020-01 -> 2021-12: 23 months
    assert nz.months_between(D(2019, 12, 1), D(2021, 12, 31)) == 24
    assert nz.months_between(D(2020, 1, 1), D(2021, 12, 31)) == 23


# Months Excel keeps as numbers.  A serial for them would be absurd: 201805 days after 1899-12-30 is in
# the year 2452, and 2019.05 days is 1905-07-11, so these read as YYYYMM and YYYY.MM.
@pytest.mark.parametrize(
    "raw, expected",
    [
        (201805, D(2018, 5, 1)),
        (201805.0, D(2018, 5, 1)),
        (2019.05, D(2019, 5, 1)),
        (2019.5, D(2019, 5, 1)),  # "2019.50" is not a month: one decimal is the month digit
        (2019.11, D(2019, 11, 1)),
        (2019.12, D(2019, 12, 1)),
        (20190510, D(2019, 5, 1)),  # YYYYMMDD, truncated to its month
        # 201805 typed into a cell formatted yyyy-mm: the reader hands over serial 201805 as a date,
        # 1899-12-30 + 201805 days, in the year 2452; no real month is that late
        (dt.datetime(1899, 12, 30) + dt.timedelta(days=201805), D(2018, 5, 1)),
    ],
)
def test_year_month_typed_as_numbers(raw, expected):
    assert nz.to_year_month(raw) == expected


# 2019.1 may be 2019.10 (Excel drops the trailing 0): ambiguous.  2019 has no month.  201913 has month 13.
@pytest.mark.parametrize("raw", [2019.1, 2019, 2019.0, 201913, 2019.123, 2019.13])
def test_year_month_numbers_that_are_not_months(raw):
    with pytest.raises(nz.NormalizeError):
        nz.to_year_month(raw)


def test_dates_and_years_typed_as_numbers():
    assert nz.to_date(20220910) == D(2022, 9, 10)  # YYYYMMDD, not a serial (serials stop at 2958465)
    with pytest.raises(nz.NormalizeError):
        nz.to_date(20220931)  # no 31 September
    assert nz.to_year(201805) == 2018  # a year-month typed into a year column
    assert nz.to_year(2010) == 2010


def test_whitespace_rules_the_fast_paths_rely_on():
    """Over every code point: ``str.split()``/``strip()`` and the regex ``\\s`` agree on what is whitespace, and
    NFKC folds a character to whitespace alone exactly when it is whitespace (so ``is_blank`` may skip NFKC)."""
    import re
    import unicodedata

    space = re.compile(r"\s")
    for code in range(0x110000):
        ch = chr(code)
        assert ch.isspace() == bool(space.fullmatch(ch)), hex(code)
        assert (unicodedata.normalize("NFKC", ch).strip() == "") == ch.isspace(), hex(code)


@pytest.mark.parametrize("value, blank", [
    (None, True), ("", True), (" \u3000\n", True), ("\u00a0", True), ("a", False), ("\u3000无\u3000", False),
    (0, False), (0.0, False), (False, False), ("\u00a8", False),  # ¨ folds to a space and a combining mark
])
def test_is_blank(value, blank):
    assert nz.is_blank(value) is blank


def test_nfkc_is_unicodedata_nfkc():
    """``nz.nfkc`` folds full-width punctuation itself; it must give exactly what unicodedata gives,
    also where NFKC does more than fold (compatibility forms, combining marks, Hangul jamo)."""
    import random
    import unicodedata

    # worked by hand: full-width comma, brackets and digits fold to ASCII; the ideographic space to a space
    assert nz.nfkc("服务，（优秀）１２") == "服务,(优秀)12"
    assert nz.nfkc("服务\u3000中心") == "服务 中心"
    assert nz.nfkc("…①") == "...1"  # not folded by the quick path: unicodedata decides
    assert nz.nfkc("Ａ\u0301") == "Á"  # a full-width letter and a combining acute compose after folding
    assert nz.nfkc("\u1100\u1161，") == "가,"  # Hangul jamo compose
    rng = random.Random(15)
    pool = ("服务中心，。、；：（）！？％＋－ＡＺａｚ０９\u3000 \t\nabcXYZ019,.()…①㈱ｶﾞ"
            "\u0301\u0308\u0323\u1100\u1161\u11a8가é\u212b\u2460\uf900\u00b7—")
    for _ in range(30000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 12)))
        assert nz.nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
    long_text = "本机构为中小企业提供融资对接、管理咨询，服务企业超过（１００）家。" * 60
    assert nz.nfkc(long_text) == unicodedata.normalize("NFKC", long_text)

"""Issue 9: the three kinds of finding, and a table of accepted and refused forms, each worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_awards.base import messages as M
from xl_awards.base import normalize as nz
from xl_awards.base.findings import ERROR, INFO, JSON_KEYS, WARNING, Finding

D = dt.date


# -- effects ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, effect", [
    # the notice's own conditions exclude
    ("star_service_years", "exclude"), ("star_complaints", "exclude"), ("uscc_not_hunan", "exclude"),
    ("text_min_chars", "exclude"), ("product_market_years", "exclude"), ("product_case_count", "exclude"),
    ("expert_qualification", "exclude"), ("hub_barred", "exclude"),
    # completeness and form: corrected, never excluded
    ("required", "correct"), ("phone", "correct"), ("email", "correct"), ("uscc", "correct"), ("id_card", "correct"),
    ("date", "correct"), ("period", "correct"), ("material_missing", "correct"), ("recipients_missing", "correct"),
    # two cities, two stars of one platform: the hub keeps one
    ("duplicate_applicant", "decide"), ("star_platform_duplicate", "decide"),
    # advice
    ("recipient_no_uscc", "none"), ("star_service_reading", "none"), ("review_after_deadline", "none"),
])
def test_effect_of_each_kind(rule, effect):
    assert M.rule_effect(rule) == effect


def test_every_exclude_rule_is_an_error_and_unlisted_errors_exclude_nobody():
    assert all(M.RULES[r][0] == ERROR for r, e in M.RULE_EFFECTS.items() if e != "none")
    # an error rule not in the table: the reading that excludes nobody
    assert M.rule_effect("review_signature") == "correct"
    assert M.rule_effect("anything", WARNING) == "none" and M.rule_effect("anything", INFO) == "none"


def test_json_keeps_the_eight_keys_in_order_and_adds_effect_last():
    f = Finding(rule="email", severity=ERROR, message="m", file="a.xlsx", sheet="s", cell="K5", row=5, field="电子邮箱",
                applicant="优秀服务机构“某公司”（第5行）")
    assert JSON_KEYS == ("rule", "severity", "file", "sheet", "cell", "row", "field", "message", "effect")
    assert list(f.to_json()) == list(JSON_KEYS) and f.to_json()["effect"] == "correct"
    assert "applicant" not in f.to_json() and f.text == "优秀服务机构“某公司”（第5行）：m"


# -- phones ----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, numbers", [
    ("13874512345", ["13874512345"]),
    ("138-7451-2345", ["13874512345"]),  # dashes removed: 11 digits starting 13
    ("138.7451.2345", ["13874512345"]),
    ("138 7451 2345", ["13874512345"]),
    ("+86 13874512345", ["13874512345"]),  # country code dropped
    ("0086-138-7451-2345", ["13874512345"]),
    ("(0731)84561234", ["0731-84561234"]),  # 0731: 4-digit area code (not 01x/02x), 8 digits
    ("（0731）8456 1234", ["0731-84561234"]),  # full-width brackets fold
    ("010-62345678", ["010-62345678"]),  # 010: 3-digit area code
    ("0731-84561234转801", ["0731-84561234转801"]),
    ("0731-84561234-801", ["0731-84561234转801"]),  # 0731 84561234 is complete: 801 is the extension
    ("0731-84561234 ext 801", ["0731-84561234转801"]),
    ("+86 731 84561234", ["0731-84561234"]),  # international form without the area code's 0
    ("0731-84561234/13874512345", ["0731-84561234", "13874512345"]),
    ("13874512345、0731-84561234", ["13874512345", "0731-84561234"]),
    ("13874512345；13907310000", ["13874512345", "13907310000"]),
    # refused: too short or too long, no area code, letters, an extension on a mobile
    ("1387451234", None), ("138745123456", None), ("84561234", None), ("电话13874512345", None),
    ("13874512345转8", None), ("13874512345/", ["13874512345"]),  # a trailing separator is ignored
])
def test_phone_forms(typed, numbers):
    assert nz.to_phones(typed) == numbers


# -- service time ----------------------------------------------------------------------------
@pytest.mark.parametrize("typed, period", [
    ("2021-06-18", (D(2021, 6, 18), D(2021, 6, 18))),
    (D(2021, 6, 18), (D(2021, 6, 18), D(2021, 6, 18))),
    ("2021-05", (D(2021, 5, 1), D(2021, 5, 31))),  # a month: its first and last day
    ("2021年5月", (D(2021, 5, 1), D(2021, 5, 31))),
    ("2021.05", (D(2021, 5, 1), D(2021, 5, 31))),  # as text a month, never an Excel serial
    ("2021.2", (D(2021, 2, 1), D(2021, 2, 28))),  # 2021 is no leap year
    ("2021.3-2021.6", (D(2021, 3, 1), D(2021, 6, 30))),
    ("2021年3月至6月", (D(2021, 3, 1), D(2021, 6, 30))),  # the end month takes the start's year
    ("2021-03-01~2021-06-30", (D(2021, 3, 1), D(2021, 6, 30))),
    ("2021.11-2021.12", (D(2021, 11, 1), D(2021, 12, 31))),
])
def test_period_forms(typed, period):
    assert nz.to_period(typed) == period


@pytest.mark.parametrize("typed", ["2021.13", "2021.6-2021.3", "上半年", "2021年", "2021-02-30"])
def test_period_refused(typed):
    with pytest.raises(nz.NormalizeError):
        nz.to_period(typed)


# -- counts, none words, several choices -----------------------------------------------------
@pytest.mark.parametrize("typed, count", [
    ("无", 0), ("没有", 0), ("暂无", 0), ("零", 0), ("0次", 0), ("0 次", 0), ("３个", 3), ("120家", 120), (5, 5),
])
def test_count_forms(typed, count):
    assert nz.to_count(typed) == count


@pytest.mark.parametrize("typed", ["次", "无次", "0次次", "三次", "1.5次"])
def test_count_refused(typed):
    with pytest.raises(nz.NormalizeError):
        nz.to_count(typed)


@pytest.mark.parametrize("typed, none", [
    ("无", True), ("暂无", True), ("-", True), ("/", True), (" 无 ", True), ("注册会计师", False), ("无线电工程师", False),
])
def test_none_words(typed, none):
    assert nz.is_none_word(typed) is none


def test_split_choices():
    assert nz.split_choices("管理咨询、财税") == ["管理咨询", "财税"]
    assert nz.split_choices("管理咨询 ，财税") == ["管理咨询", "财税"]  # full-width comma folds, spaces go
    assert nz.split_choices("管理咨询、、财税") == ["管理咨询", "", "财税"]  # the empty part is kept (refused)

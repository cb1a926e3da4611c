"""The quick test in front of ``find_personal_numbers``: a text it turns away holds no personal number."""

from __future__ import annotations

import random

from xl_awards.base.personal_numbers import find_personal_numbers, may_hold_personal_number, scan_digit_runs


def test_texts_without_a_ten_digit_run_are_turned_away():
    for text in ["服务机构123", "第999号窗口平台", "123456789", "2021-06-18", "１２３４５６７８９", "12 34 56 78 9",
                 "1234567890"[:9] + "号", "12345    67890"]:  # four separators break a run
        assert not may_hold_personal_number(text), text
        assert scan_digit_runs(text) == [], text


def test_texts_with_a_ten_digit_run_are_looked_at():
    # worked by hand: a mobile, a landline with area code, an ID, full-width digits, separators inside
    cases = {
        "联系13907310000": [("phone", 2, 13)],
        "0731-84561234": [("phone", 0, 13)],
        "赵六 43010219850312123X": [("id", 3, 21)],
        "１３９０７３１００００": [("phone", 0, 11)],
        "139 0731 0000号": [("phone", 0, 13)],
        "1234567890": [],  # ten digits that are neither: looked at, nothing found
    }
    for text, expected in cases.items():
        assert may_hold_personal_number(text), text
        assert find_personal_numbers(text) == scan_digit_runs(text) == expected, text


def test_the_quick_test_never_turns_away_a_text_with_a_finding():
    rng = random.Random(5)
    alphabet = "0123456789０１２３ -.·X号a\u3000"
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        if scan_digit_runs(text):
            found += 1
            assert may_hold_personal_number(text), text
        assert find_personal_numbers(text) == scan_digit_runs(text), text
    assert found > 1000  # the random texts do hold personal numbers

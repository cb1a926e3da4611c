"""Regression tests for small mends found in review of the pure core."""

import pytest

from xl_awards.base import normalize as nz
from xl_awards.intake.cells import ChoiceLists, check_value
from xl_awards.schema.intake import STAR_SHEET, intake_schema, sheet_by_name

NO_CHOICES = ChoiceLists(cities=(), counties=lambda city: ())


@pytest.mark.parametrize("typed", [",", "，", ",,"])
def test_commas_alone_are_not_a_number(typed):
    # the cell is not blank (it holds a comma), and nothing is left once separators go: unreadable, not blank
    with pytest.raises(nz.NormalizeError):
        nz.to_number(typed)


def test_thousands_separators_still_read():
    assert nz.to_number("1,500") == 1500.0
    assert nz.to_number("１，５００") == 1500.0  # full-width digits and comma fold under NFKC


def test_comma_in_an_integer_cell_is_a_finding_not_a_traceback():
    star = sheet_by_name(intake_schema(), STAR_SHEET)
    value, issues = check_value(star.field("complaints"), ",", {}, NO_CHOICES)
    assert value is None
    assert [i.rule for i in issues] == ["integer"]


def test_assignment_meets_the_minimum_of_counted_scores_when_fewer_experts_are_asked_for():
    from xl_awards.review.people import ReviewApplication, Expert
    from xl_awards.review.assignment import assign

    # 设置: 2 experts per application, but at least 3 counted scores.  Four unrelated experts are on
    # the panel, so the application is not short (4 >= 3) and must get 3 experts, not 2: with 2 the
    # ranking would later lack a counted score.  Lowest load, ties by 专家编号: E01, E02, E03.
    experts = [Expert(f"E0{i}", f"专家{i}", employer=f"单位{i}", awards=("优秀服务机构",)) for i in (1, 2, 3, 4)]
    app = ReviewApplication("JG-001", "institution", "某机构", award_name="优秀服务机构")
    a = assign(experts, [app], per_application=2, min_experts=3)
    assert a.ok
    assert a.by_application["JG-001"] == ("E01", "E02", "E03")

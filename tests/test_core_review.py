"""Regression tests for small mends found in review of the pure core."""

import pytest

from xl_awards import normalize as nz
from xl_awards.checks.cells import ChoiceLists, check_value
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

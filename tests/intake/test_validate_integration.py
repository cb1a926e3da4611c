"""The reader and checks on helper-built workbooks: the real template filled with the invented
sample rows validates clean, and every planted mistake is found where it was planted, nothing else."""

import pytest

from xl_awards.demo import sample
from xl_awards.edition import load_edition
from xl_awards.io import intake_fill, intake_template
from xl_awards.jobs.validate import validate_files

EDITION = load_edition(2021)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "长沙市.xlsx"
    return intake_template.write_intake_workbook(EDITION, path, "长沙市")


def test_empty_template_reads(template):
    assert [f.rule for f in validate_files([template], EDITION)] == ["empty_workbook"]


def test_sample_rows_validate_clean(template, tmp_path):
    rows = sample.sample_intake_rows(EDITION, "长沙市")
    out = intake_fill.fill_intake_workbook(template, rows, tmp_path / "长沙市_填报.xlsx")
    assert validate_files([out], EDITION) == []


def test_planted_mistakes_found_where_planted(template, tmp_path):
    rows, planted = sample.inject_errors(sample.sample_intake_rows(EDITION, "长沙市"), edition=EDITION)
    out = intake_fill.fill_intake_workbook(template, rows, tmp_path / "长沙市_有误.xlsx")
    got = {(f.sheet, f.row, f.rule) for f in validate_files([out], EDITION)}
    # the template's data starts on row 3: list index i is Excel row i + 3
    expected = {(p.sheet, p.row + 3, p.rule) for p in planted} | {(p.sheet, a + 3, p.rule) for p in planted for a in p.also}
    assert got == expected

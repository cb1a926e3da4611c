"""服务对象情况 against the applicant sheets (edition 2021: at least 1 row each, dates in 2021).

Recipient columns: A 申报类别, B 申报主体, C 服务企业名称, D 服务企业统一社会信用代码, E 服务内容, F 服务时间.
The factory's recipient rows: row 3 the institution's, row 4 the expert's, row 5 the product's.
Applicant name cells: 优秀服务机构 B3, 优秀服务专家 B3, 创新服务产品 B3.
"""

import datetime as dt

import pytest

from xl_awards.base.errors import InputError

from checkhelp import only, run, triples
from factory import EXPERT_NAME, USCC_COMPANY_1
from xl_awards.schema.intake import RECIPIENTS_SHEET, STAR_SHEET


def recipients(edit):
    def apply(rows):
        edit(rows[RECIPIENTS_SHEET])
    return apply


def test_service_date_in_the_award_year(tmp_path):
    def first_and_last_day(rs):
        rs[0]["date"] = dt.date(2021, 1, 1)
        rs[1]["date"] = "2021/12/31"
    assert run(tmp_path, recipients(first_and_last_day)) == []

    def day_before(rs):
        rs[1]["date"] = "2020-12-31"
    f = only(run(tmp_path, recipients(day_before)), "recipient_date_out_of_year")
    assert (f.sheet, f.cell, f.severity) == (RECIPIENTS_SHEET, "F4", "error")
    assert "2020-12-31" in f.message and "2021年" in f.message


def test_applicant_without_recipient_rows(tmp_path):
    def drop_expert(rs):
        del rs[1]
    f = only(run(tmp_path, recipients(drop_expert)), "recipients_missing")
    assert (f.sheet, f.cell, f.severity) == ("优秀服务专家", "B3", "error")
    assert "有0行" in f.message and "至少需要1行" in f.message


def test_recipient_naming_an_unknown_applicant(tmp_path):
    def misspell(rs):
        rs[1]["applicant"] = EXPERT_NAME + "老师"
    findings = run(tmp_path, recipients(misspell))
    # the row names nobody, and the expert is left without rows
    assert triples(findings) == [("recipient_unknown_applicant", "B4", "error"), ("recipients_missing", "B3", "error")]


def test_applicant_name_matched_after_normalising(tmp_path):
    def spaced(rs):
        rs[1]["applicant"] = " 王 专家 "
    assert run(tmp_path, recipients(spaced)) == []


def test_duplicate_recipient_row_is_a_warning(tmp_path):
    def duplicate(rs):
        rs.append(dict(rs[0]))  # row 6 repeats row 3 (same applicant, same company code)
    f = only(run(tmp_path, recipients(duplicate)), "recipient_duplicate")
    assert (f.cell, f.row, f.severity) == ("D6", 6, "warning")
    assert "第3行" in f.message


def test_same_company_for_different_applicants_is_fine(tmp_path):
    def shared(rs):
        rs[1]["company_uscc"] = USCC_COMPANY_1  # the expert served the institution's client too
    assert run(tmp_path, recipients(shared)) == []


def test_missing_recipients_sheet_is_unreadable_input(tmp_path):
    # issue 2: a workbook with a sheet missing is one clear line and exit 2, not one finding per applicant
    sheets = [STAR_SHEET, "优秀服务机构", "优秀服务专家", "创新服务产品"]
    with pytest.raises(InputError) as exc:
        run(tmp_path, sheets=sheets)
    assert "缺少工作表“服务对象情况”" in str(exc.value)


@pytest.mark.parametrize("typed", ["-2", -2, "2021-", "-2021-05"])
def test_service_date_typed_as_a_negative_number_is_a_finding(tmp_path, typed):
    """服务时间 ``-2`` (text or a number) or a period with one side missing: the cell's finding, no crash."""
    def minus_two(rs):
        rs[1]["date"] = typed
    f = only(run(tmp_path, recipients(minus_two)), "period")
    assert (f.sheet, f.cell, f.severity) == (RECIPIENTS_SHEET, "F4", "error")
    assert f.message == f"“服务时间”无法识别：“{typed}”，请填写日期、月份或期间，如 2021-06-18、2021-06 或 2021.3-2021.6"

"""What an expert reads in the 评分说明 sheet: the contact of each award reviewed (the notice's
section 十: 服务之星 and windows 曾浩 0731-89706288 gl@smehn.cn; 优秀服务机构, 优秀服务专家, 创新服务产品
徐灿 0731-89706282 gg@smehn.cn) and the return date from 设置 (edition default 2022-09-30)."""

from __future__ import annotations

import openpyxl

from test_collect import EDITION, issue, make_hub
from xl_awards.io.expert_book import write_expert_workbook
from xl_awards.io.hub import load_hub_for_update, save_hub
from xl_awards.review.people import Expert, ReviewApplication
from xl_awards.review.signing import issue_book


SECOND_TWO = "联系人（优秀服务机构、创新服务产品）：徐灿　电话：0731-89706282　邮箱：gg@smehn.cn"


def instructions(path) -> list[str]:
    ws = openpyxl.load_workbook(path)["评分说明"]
    return [str(r[0]) for r in ws.iter_rows(values_only=True) if r and r[0]]


def test_each_award_names_its_contact_and_the_default_return_date(tmp_path):
    expert = Expert("E09", "钱九", awards=("服务之星", "优秀服务机构"))
    apps = [ReviewApplication("XX01", "star", "星一", award_name="服务之星", city="长沙市"),
            ReviewApplication("JG01", "institution", "甲机构", award_name="优秀服务机构", city="长沙市")]
    book = issue_book(expert, apps, {k: EDITION.rubric(k) for k in ("star", "institution")}, 2021, "2022-09-25T10:00:00")
    lines = instructions(write_expert_workbook(EDITION, book, tmp_path / "专家评分_E09_钱九.xlsx", b"k"))
    assert "联系人（服务之星）：曾浩　电话：0731-89706288　邮箱：gl@smehn.cn" in lines
    assert "联系人（优秀服务机构）：徐灿　电话：0731-89706282　邮箱：gg@smehn.cn" in lines
    assert "报回截止日期：请于2022年9月30日前将评分完成的工作簿报回省枢纽平台" in lines


def test_return_date_set_in_the_hub_reaches_the_workbooks(tmp_path, capsys):
    hub = make_hub(tmp_path)
    wb = load_hub_for_update(hub)
    ws = wb["设置"]
    row = next(c.row for c in ws["A"] if c.value == "dates.review_return_deadline")
    ws.cell(row=row, column=3, value="2022-10-08")
    save_hub(wb, hub, make_backup=False)
    issued = issue(tmp_path, hub)
    lines = instructions(issued["E03"])  # E03 reviews JG001, JG002 and CP001: one contact for both awards
    assert "报回截止日期：请于2022年10月8日前将评分完成的工作簿报回省枢纽平台" in lines
    assert SECOND_TWO in lines and not any(line.startswith("联系人（服务之星") for line in lines)

"""The one hub -> review adapter: experts, applications, used by expert-sheets, collect and rank."""

from __future__ import annotations

from xl_awards.edition import load_edition
from xl_awards.hub.hub_book import SETTINGS_KEYS, hub_book_from_grids
from xl_awards.hub.review_inputs import applications_from_hub, experts_from_hub
from xl_awards.jobs.expert_sheets import plan_assignment
from xl_awards.schema import hub as H

EDITION = load_edition()


def grid(sheet_name: str, rows: list[dict]) -> list[list]:
    sheet = next(s for s in H.build_hub_schema(EDITION) if s.name == sheet_name)
    keys = [f.key for f in sheet.fields]
    return [[f.label for f in sheet.fields]] + [[row.get(k, "") for k in keys] for row in rows]


def hub_with(experts: list[dict], register: list[dict]):
    grids = {H.SETTINGS_SHEET: [list(SETTINGS_KEYS)],
             H.EXPERTS_SHEET: grid(H.EXPERTS_SHEET, experts),
             H.REGISTER_SHEET: grid(H.REGISTER_SHEET, register)}
    return hub_book_from_grids("省枢纽.xlsx", grids, EDITION)


INSTITUTION = EDITION.award_name("institution")
EXPERTS = [
    {"expert_id": "E01", "name": "张三", "employer": "甲大学", "review_awards": INSTITUTION},
    {"expert_id": "E02", "name": "李四", "employer": "乙研究院", "review_awards": INSTITUTION},
    # the same 专家编号 typed again (a copy with another employer): the first row counts
    {"expert_id": "E01", "name": "张三", "employer": "丙公司", "review_awards": INSTITUTION},
    {"expert_id": "", "name": "无编号", "employer": "丁公司", "review_awards": INSTITUTION},
    {"expert_id": "E03", "name": "王五", "employer": "戊中心", "review_awards": INSTITUTION},
]
REGISTER = [
    {"app_id": "JG001", "award": INSTITUTION, "name": "湖南某服务机构", "id_code": "", "status": H.STATUS_PENDING,
     "source_file": "长沙市.xlsx", "source_sha256": "0" * 64, "source_sheet": "优秀服务机构"},
]


def test_duplicate_expert_id_counts_once_and_the_first_row_wins():
    # 5 rows: E01, E02, E01 again, one without 编号, E03 -> 3 experts, E01 with its first employer.
    experts = experts_from_hub(hub_with(EXPERTS, REGISTER))
    assert [e.expert_id for e in experts] == ["E01", "E02", "E03"]
    assert experts[0].employer == "甲大学"


def test_expert_sheets_assigns_a_duplicated_expert_once():
    # The whole panel of 优秀服务机构 reviews JG001 when experts_per_application is null:
    # the panel is E01, E02, E03 (E01's copy is not a fourth expert).
    edition = EDITION
    assert edition.scoring.get("experts_per_application") is None
    hub = hub_with(EXPERTS, REGISTER)
    assignment = plan_assignment(hub, edition)
    assert sorted(assignment.by_application["JG001"]) == ["E01", "E02", "E03"]
    assert [a.app_id for a in applications_from_hub(hub, edition)] == ["JG001"]

"""The intake schema takes the notice's lists, examples and the complaint window from the edition."""

from xl_awards.edition import load_edition
from xl_awards.schema.intake import INSTITUTION_SHEET, PRODUCT_SHEET, STAR_SHEET, build_intake_schema

EDITION = load_edition()


def sheet(edition, name):
    return next(s for s in build_intake_schema(edition) if s.name == name)


def test_the_2021_lists_and_texts():
    inst = sheet(EDITION, INSTITUTION_SHEET)
    assert inst.field("service_category").choices[:3] == ("创业辅导", "信息服务", "融资服务")
    assert len(inst.field("service_category").choices) == 15  # the notice lists 15 categories
    assert sheet(EDITION, PRODUCT_SHEET).field("area").choices[-1] == "其他"
    star = sheet(EDITION, STAR_SHEET)
    assert star.field("complaints").label == "近一年企业投诉次数"  # complaint_window_years = 1
    assert "如 2022-09-10" in star.field("prelim_date").note


def test_another_edition_changes_them_without_code():
    edition = EDITION.with_overrides({
        "intake_choices.service_categories": ["甲类服务", "乙类服务"],
        "awards.star.complaint_window_years": 3,
        "examples.date": "2023-09-15",
    })
    assert sheet(edition, INSTITUTION_SHEET).field("service_category").choices == ("甲类服务", "乙类服务")
    star = sheet(edition, STAR_SHEET)
    assert star.field("complaints").label == "近三年企业投诉次数"
    assert "三年内发生企业投诉的不能参评" in star.field("complaints").note
    assert "如 2023-09-15" in star.field("prelim_date").note

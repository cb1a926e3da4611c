"""Hub tables -> the review core's inputs: experts, applications to review, rubrics (pure glue).

One definition for every job (``expert-sheets``, ``collect``, ``rank``):

- experts from ``专家库``: one per 专家编号; a row without 专家编号 is skipped, and when the
  same 专家编号 appears twice the first row counts (the later one is a copy or a typing
  slip; using it too would let one person be assigned or counted twice);
- applications from ``申报汇总``: the reviewed awards only (``REVIEWED_AWARD_KEYS``), with a
  申报编号; by default only those 待评审.  A product's unit code is its 证件号码 (the
  申报单位's 统一社会信用代码);
- rubrics: the hub's ``评分细则`` rows for an award, else the edition's.
"""

from __future__ import annotations

from xl_awards.base.normalize import clean_text, to_number
from xl_awards.edition import REVIEWED_AWARD_KEYS, Edition
from xl_awards.review.people import Expert, ReviewApplication, split_list
from xl_awards.schema import hub as H


def experts_from_hub(hub) -> list[Expert]:
    """The 专家库's experts in sheet order, one per 专家编号 (the first row wins)."""
    out: dict[str, Expert] = {}
    for _, row in hub.rows(H.EXPERTS_SHEET):
        expert_id = clean_text(row.get("expert_id"))
        if not expert_id or expert_id in out:
            continue
        out[expert_id] = Expert(
            expert_id=expert_id,
            name=clean_text(row.get("name")),
            employer=clean_text(row.get("employer")),
            employer_code=clean_text(row.get("employer_uscc")),
            id_number=clean_text(row.get("id_number")),
            city=clean_text(row.get("city")),
            field=clean_text(row.get("field")),
            awards=split_list(row.get("review_awards")),
            avoid=split_list(row.get("avoid_units")),
        )
    return list(out.values())


def unit_code(award: str, id_code: str) -> str:
    """The applicant unit's code used by the conflict rules: a product's 证件号码 is its
    申报单位's 统一社会信用代码; for the other awards it is not a unit code."""
    return id_code if award == "product" else ""


def review_application(*, app_id: str, award: str, award_name: str, name: str, id_code: str, unit: str,
                       city: str) -> ReviewApplication:
    return ReviewApplication(app_id=app_id, award=award, name=name, award_name=award_name, id_code=id_code,
                             unit=unit, unit_code=unit_code(award, id_code), city=city)


def applications_from_hub(hub, edition: Edition, pending_only: bool = True) -> list[ReviewApplication]:
    out = []
    for _, row in hub.register:
        if pending_only and clean_text(row.get("status")) != H.STATUS_PENDING:
            continue
        award_name = clean_text(row.get("award"))
        award = edition.award_key_by_name(award_name)
        app_id = clean_text(row.get("app_id"))
        if award not in REVIEWED_AWARD_KEYS or not app_id:
            continue
        out.append(review_application(
            app_id=app_id, award=award, name=clean_text(row.get("name")), award_name=award_name,
            id_code=clean_text(row.get("id_code")), unit=clean_text(row.get("unit")),
            city=clean_text(row.get("city")),
        ))
    return out


def rubrics_from_hub(hub, edition: Edition) -> dict[str, list[tuple[str, float, str]]]:
    """Award key -> rubric: the hub's 评分细则 rows for that award, else the edition's."""
    rubrics = {key: edition.rubric(key) for key in REVIEWED_AWARD_KEYS}
    from_hub: dict[str, list[tuple[str, float, str]]] = {}
    for _, row in hub.rows(H.RUBRIC_SHEET):
        key = edition.award_key_by_name(clean_text(row.get("award")))
        item = clean_text(row.get("item"))
        try:
            points = to_number(row.get("points"))
        except ValueError:
            points = None
        if key in rubrics and item and points is not None and points > 0:
            from_hub.setdefault(key, []).append((item, float(points), clean_text(row.get("hint"))))
    rubrics.update(from_hub)
    return rubrics

"""Row-level rules beyond single cells: the notice's conditions at the edition's reference date,
the workbook's city, the pledge, the materials, the city's review.

Each ``check_*`` takes a ``CheckedRow`` (normalised values) and the edition and
yields findings.  Every number comes from the edition.
"""

from __future__ import annotations

from typing import Iterator

from xl_awards.base import normalize as nz
from xl_awards.intake.checked_row import CheckedRow
from xl_awards.intake.ids import id_card_region_known
from xl_awards.edition import Edition
from xl_awards.base.findings import Finding
from xl_awards.schema import FieldType as T
from xl_awards.schema.intake import PLATFORM_CLUSTER, YES_NO

NO = YES_NO[1]
NOT_RECOMMENDED = "不同意推荐"


def check_applicant_row(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    """All row-level rules for a row of an applicant sheet (服务之星, 优秀服务机构, 优秀服务专家, 创新服务产品)."""
    yield from check_common(row, edition)
    award = row.table.schema.award_key
    if award == "star":
        yield from check_star(row, edition)
    elif award == "institution":
        yield from check_institution(row, edition)
    elif award == "expert":
        yield from check_expert(row, edition)
    elif award == "product":
        yield from check_product(row, edition)


_COMMON_KEYS: dict[int, tuple] = {}  # id(schema) -> (schema, ID card keys, required material keys)


def _common_keys(schema) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(keys of the ID card fields, keys of the required material fields) of a sheet, in field order
    (worked out once per schema object: hashing a schema would cost more than the loop it saves)."""
    cached = _COMMON_KEYS.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(_COMMON_KEYS) > 64:
            _COMMON_KEYS.clear()
        cached = (schema, tuple(f.key for f in schema.fields if f.type == T.ID_CARD),
                  tuple(f.key for f in schema.fields if f.material and f.required))
        _COMMON_KEYS[id(schema)] = cached
    return cached[1], cached[2]


def check_common(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    v = row.values
    id_keys, material_keys = _common_keys(row.table.schema)
    # ID birth place (the checksum and birth date are cell rules)
    for key in id_keys:
        if v.get(key) and not id_card_region_known(v[key]):
            yield row.finding("id_card_region", key, value=v[key], code=v[key][:6])
    if v.get("credit_pledge") == NO:
        yield row.finding("credit_pledge", "credit_pledge")
    if NO in map(v.get, material_keys):  # (one C-level pass: most rows have every material)
        for key in material_keys:
            if v.get(key) == NO:
                yield row.finding("material_missing", key)
    if v.get("prelim_opinion") == NOT_RECOMMENDED:
        yield row.finding("city_not_recommended", "prelim_opinion")
    prelim_date = v.get("prelim_date")
    if prelim_date and prelim_date > edition.deadline:
        yield row.finding("review_after_deadline", "prelim_date", value=prelim_date.isoformat(), deadline=edition.deadline.isoformat())
    # the row's city against the workbook's city
    city = row.book.city
    if city:
        if v.get("city") and v["city"] != city:
            yield row.finding("city_mismatch", "city", value=v["city"], city=city)
        elif not v.get("city") and v.get("county") and v["county"] not in edition.divisions.counties(city):
            # a county of the row's own city is a cell rule; without a valid row city, check the workbook's
            yield row.finding("county_mismatch", "county", value=v["county"], city=city)


def _ref(edition: Edition) -> str:
    return edition.reference_date.isoformat()


def _ym(date) -> str:
    return f"{date.year}-{date.month:02d}"


def star_service_date(edition: Edition):
    """The date 服务之星's years of service are counted to.  The notice names none; the edition's
    ``service_years_counted_to`` says which reading is taken (2021: the application deadline, the
    reading that excludes nobody who has the years when applying), else the reference date."""
    counted_to = edition.award("star").get("service_years_counted_to", "reference_date")
    return edition.deadline if counted_to == "application_deadline" else edition.reference_date


def check_star(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    rules = edition.award("star")
    v = row.values
    start = v.get("service_start")
    if start is not None:
        counted_to = star_service_date(edition)
        need = 12 * rules["min_service_years"]
        if nz.months_between(start, counted_to) < need:
            yield row.finding("star_service_years", "service_start", value=_ym(start), ref=counted_to.isoformat(),
                              min=rules["min_service_years"])
        elif counted_to != edition.reference_date and nz.months_between(start, edition.reference_date) < need:
            # admitted only by the reading taken where the notice is silent: say so
            yield row.finding("star_service_reading", "service_start", value=_ym(start), ref=counted_to.isoformat(),
                              min=rules["min_service_years"], year_end=_ref(edition))
    complaints = v.get("complaints")
    if complaints is not None and complaints > rules["max_complaints"]:
        yield row.finding("star_complaints", "complaints", value=int(complaints))
    if v.get("platform_type") == PLATFORM_CLUSTER and row.book.city:
        yield row.finding("star_cluster_via_city", "platform_type")


_PRODUCT_KEYS: dict[int, tuple] = {}  # id(schema) -> (schema, ((name key, since key, name field), ...))


def _product_keys(schema) -> tuple[tuple[str, str, object], ...]:
    """(服务产品i名称 key, its 推出时间 key, the name's field) for i = 1, 2, ... while the sheet has such a
    name field, worked out once per schema object (as ``_common_keys``)."""
    cached = _PRODUCT_KEYS.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(_PRODUCT_KEYS) > 64:
            _PRODUCT_KEYS.clear()
        keys = []
        i = 1
        while schema.has(f"product{i}_name"):
            keys.append((f"product{i}_name", f"product{i}_since", schema.field(f"product{i}_name")))
            i += 1
        cached = _PRODUCT_KEYS[id(schema)] = (schema, tuple(keys))
    return cached[1]


def check_institution(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    rules = edition.award("institution")
    v = row.values
    schema = row.table.schema
    code = v.get("uscc")
    prefix = rules.get("region_prefix")
    if code and prefix and code[2:2 + len(prefix)] != prefix:
        yield row.finding("uscc_not_hunan", "uscc", value=code, prefix=prefix)
    named = 0
    name_required_missing = False
    for name_key, since_key, name_field in _product_keys(schema):
        if v.get(name_key):
            named += 1
            since = v.get(since_key)
            if since is None and nz.is_blank(row.raw.get(since_key)) and not schema.field(since_key).required and since_key in row.raw:
                yield row.finding("product_time_missing", since_key, name_label=name_field.label)
            elif since is not None:
                months = nz.months_between(since, edition.reference_date)
                if months < 12 * rules["min_product_market_years"]:
                    yield row.finding("product_market_years", since_key, value=_ym(since), ref=_ref(edition), min=rules["min_product_market_years"])
        elif name_field.required:
            name_required_missing = True  # already a `required` finding
    low, high = rules["min_products"], rules["max_products"]
    if named > high or (named < low and not name_required_missing):
        yield row.finding("product_count", "product1_name", count=named, min=low, max=high)
    activities = v.get("activities")
    known = edition.public_welfare_activities
    if activities and not any(name in activities for name in known):
        yield row.finding("activities_unnamed", "activities", activities="、".join(known))


def check_expert(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    rules = edition.award("expert")
    v = row.values
    start = v.get("field_start_year")
    if start is None:
        return
    if start > edition.reference_date.year:
        yield row.finding("date_future", "field_start_year", value=start, limit=edition.reference_date.year)
        return
    years = edition.reference_date.year - start
    senior = v.get("title_level") in rules["senior_title_levels"]
    certified = bool(v.get("qualification")) and not nz.is_none_word(v["qualification"])  # 无 / 暂无 / -: none
    if years < rules["min_field_years"] and not senior and not certified:
        yield row.finding("expert_qualification", "field_start_year", value=start, ref=_ref(edition), min=rules["min_field_years"])


def check_product(row: CheckedRow, edition: Edition) -> Iterator[Finding]:
    rules = edition.award("product")
    v = row.values
    if v.get("has_standard") == NO:
        yield row.finding("product_no_standard", "has_standard")
    cases = v.get("case_count")
    if cases is not None and not rules["min_cases"] <= cases <= rules["max_cases"]:
        yield row.finding("product_case_count", "case_count", value=int(cases), min=rules["min_cases"], max=rules["max_cases"])
    since = v.get("since")
    if since is not None and since > edition.reference_date:
        yield row.finding("product_not_in_market", "since", value=_ym(since), ref=_ref(edition), year=edition.year)

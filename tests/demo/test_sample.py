"""Built-in sample data: valid by every intake rule, deterministic, and mistakes planted where it says."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from stdnum.cn import ric

from xl_awards.base import normalize as nz
from xl_awards.intake.cells import ChoiceLists, check_row_cells
from xl_awards.edition import load_edition
from xl_awards.demo.sample import (
    ERROR_KINDS,
    inject_errors,
    platform_name,
    sample_cluster_star,
    sample_intake_rows,
    sample_province,
)
from xl_awards.schema.intake import (
    EXPERT_SHEET,
    INSTITUTION_SHEET,
    META_SHEET,
    PLATFORM_CITY,
    PLATFORM_CLUSTER,
    PLATFORM_COUNTY,
    PRODUCT_SHEET,
    RECIPIENTS_SHEET,
    STAR_SHEET,
    build_intake_schema,
)

EDITION = load_edition(2021)
SCHEMA = {s.name: s for s in build_intake_schema(EDITION)}
DIVISIONS = EDITION.divisions
ALL_COUNTIES = tuple(c for city in DIVISIONS.city_names for c in DIVISIONS.counties(city))
CHOICES = ChoiceLists(
    cities=tuple(DIVISIONS.city_names),
    counties=lambda city: DIVISIONS.counties(city) if city in DIVISIONS.cities else ALL_COUNTIES,
)

# GB 11643: weights 2^(17-i) mod 11 for the first 17 digits; check = "10X98765432"[sum mod 11].
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB 32100: weights 3^i mod 31 for the first 17 characters; check = (31 - sum mod 31) mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_by_hand(number: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS)) % 11]


def uscc_check_by_hand(number: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(number[:17], USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def test_hand_checksums_agree_with_known_numbers():
    # The standard's own example 11010519491231002X: 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10
    # +1*5+0*8+0*4+2*2 = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "X".
    assert id_check_by_hand("11010519491231002X") == "X"
    # A USCC whose body is all zeros: sum 0 -> check (31 - 0) mod 31 = 0.
    assert uscc_check_by_hand("00000000000000000") == "0"
    # 9143010000000000?: 9*1 + 1*3 + 4*9 + 3*27 + 0 + 1*26 = 9+3+36+81+26 = 155 = 5*31 -> check 0.
    assert uscc_check_by_hand("91430100000000000") == "0"


@pytest.mark.parametrize("city", DIVISIONS.city_names)
def test_rows_of_every_city_pass_the_cell_checks(city):
    rows = sample_intake_rows(EDITION, city, seed=0)
    assert set(rows) == set(SCHEMA)
    for sheet, sheet_rows in rows.items():
        assert sheet_rows, sheet
        keys = {f.key for f in SCHEMA[sheet].fields}
        for row in sheet_rows:
            assert set(row) == keys  # every column, so none is a missing-column finding
            _, issues = check_row_cells(SCHEMA[sheet], row, CHOICES)
            assert issues == [], (sheet, [(i.rule, i.field.label, i.values) for i in issues])


def test_ids_and_usccs_checked_by_hand():
    rows = sample_intake_rows(EDITION, "长沙市", seed=4)
    people = rows[STAR_SHEET] + rows[EXPERT_SHEET]
    for row in people:
        number = row["id_number"]
        assert re.fullmatch(r"43\d{15}[\dX]", number)  # a Hunan region code, 18 characters
        assert number[-1] == id_check_by_hand(number)
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert dt.date(1940, 1, 1) < birth < EDITION.reference_date
        assert ric.get_birth_place(number)["province"] == "湖南省"  # a code in use at the birth year
        # 17th digit odd for men, even for women (GB 11643)
        assert (int(number[16]) % 2 == 1) == (row["gender"] == "男")
    codes = [r["uscc"] for r in rows[INSTITUTION_SHEET] + rows[PRODUCT_SHEET]]
    codes += [r["company_uscc"] for r in rows[RECIPIENTS_SHEET]]
    for code in codes:
        assert code[:2] == "91" and code[2:4] == "43", code
        assert code[-1] == uscc_check_by_hand(code)


def test_numbers_within_the_editions_limits():
    ref = EDITION.reference_date  # 2021-12-31
    star, inst = EDITION.award("star"), EDITION.award("institution")
    expert, product = EDITION.award("expert"), EDITION.award("product")
    for city in DIVISIONS.city_names[:5]:
        rows = sample_intake_rows(EDITION, city, seed=7)
        for row in rows[STAR_SHEET]:
            start = nz.to_year_month(row["service_start"])
            # 2 years before 2021-12 is 2019-12: 24 whole months at least.
            assert (ref.year - start.year) * 12 + ref.month - start.month >= 12 * star["min_service_years"]
            assert row["complaints"] == 0 == star["max_complaints"]
            assert nz.count_chars(row["achievements"]) >= star["min_text_chars"] == 1500
        for row in rows[INSTITUTION_SHEET]:
            assert row["uscc"][2:4] == inst["region_prefix"] == "43"
            products = [row[f"product{i}_name"] for i in (1, 2, 3) if row[f"product{i}_name"]]
            assert inst["min_products"] <= len(products) <= inst["max_products"]  # 2..3
            for i in range(1, len(products) + 1):
                since = nz.to_year_month(row[f"product{i}_since"])
                # in the market a whole year by 2021-12-31: started 2020-12 or earlier
                assert (ref.year - since.year) * 12 + ref.month - since.month >= 12 * inst["min_product_market_years"]
            assert any(a in row["activities"] for a in ("湖湘精品", "破零倍增", "两上三化", "护航成长", "创客中国"))
        for row in rows[EXPERT_SHEET]:
            years = ref.year - row["field_start_year"]
            assert years >= expert["min_field_years"] or row["title_level"] in expert["senior_title_levels"]
            assert nz.count_chars(row["statement"]) >= expert["min_text_chars"] == 800
        for row in rows[PRODUCT_SHEET]:
            assert product["min_cases"] <= row["case_count"] <= product["max_cases"]  # 3..5
            assert nz.to_year_month(row["since"]) <= ref
            assert row["has_standard"] == "是"
        for sheet in (STAR_SHEET, INSTITUTION_SHEET, EXPERT_SHEET, PRODUCT_SHEET):
            for row in rows[sheet]:
                assert row["city"] == city
                assert row["prelim_opinion"] == "同意推荐" and row["prelim_reviewer"]
                # stamped inside the application window 2022-08-15 .. 2022-09-20
                assert dt.date(2022, 8, 15) <= row["prelim_date"] <= dt.date(2022, 9, 20)
                assert all(row[f.key] == "是" for f in SCHEMA[sheet].fields if f.material)
                assert row["credit_pledge"] == "是"
        # Recipients: at least edition.min_recipient_rows (1) per applicant, named as on its sheet, dated in 2021.
        for sheet, award in ((INSTITUTION_SHEET, "优秀服务机构"), (EXPERT_SHEET, "优秀服务专家"), (PRODUCT_SHEET, "创新服务产品")):
            for row in rows[sheet]:
                mine = [r for r in rows[RECIPIENTS_SHEET] if r["award"] == award and r["applicant"] == row["name"]]
                assert len(mine) >= EDITION.min_recipient_rows >= 1
                assert len({r["company"] for r in mine}) == len(mine)  # no company twice for one applicant
        assert all(r["date"].year == 2021 for r in rows[RECIPIENTS_SHEET])


def test_narratives_are_varied_text_not_filler():
    rows = sample_intake_rows(EDITION, "衡阳市", seed=2)
    for text in [r["achievements"] for r in rows[STAR_SHEET]] + [r["statement"] for r in rows[EXPERT_SHEET]]:
        sentences = [s for s in text.replace("\n", "").split("。") if s]
        assert len(sentences) == len(set(sentences)) >= 10  # no sentence repeated
        assert len(set(text)) > 150  # many distinct characters, not one repeated
    first, second = (r["achievements"] for r in rows[STAR_SHEET][:2])
    assert first != second


def test_star_platforms_are_the_city_and_its_counties():
    city = "岳阳市"
    rows = sample_intake_rows(EDITION, city, seed=1, counts={"star": 4})
    stars = rows[STAR_SHEET]
    assert len(stars) == 4
    assert stars[0]["platform"] == platform_name(city) == "岳阳市中小企业公共服务综合窗口平台"
    assert stars[0]["platform_type"] == PLATFORM_CITY and stars[0]["county"] is None
    for row in stars[1:]:
        assert row["platform_type"] == PLATFORM_COUNTY
        assert row["county"] in DIVISIONS.counties(city)  # a real county of 岳阳 (e.g. 平江县)
        assert row["platform"] == platform_name(city, row["county"])
    assert len({r["platform"] for r in stars}) == 4  # one star per platform


def test_too_many_stars_for_the_platforms_is_refused():
    # 湘潭市 has 5 counties: 1 city platform + 5 county platforms = 6 stars at most.
    assert len(DIVISIONS.counties("湘潭市")) == 5
    assert len(sample_intake_rows(EDITION, "湘潭市", counts={STAR_SHEET: 6})[STAR_SHEET]) == 6
    with pytest.raises(ValueError):
        sample_intake_rows(EDITION, "湘潭市", counts={STAR_SHEET: 7})


def test_county_workbook_rows_all_come_from_that_county():
    rows = sample_intake_rows(EDITION, "长沙市", seed=3, county="浏阳市", counts={"star": 1})
    for sheet in (STAR_SHEET, INSTITUTION_SHEET, EXPERT_SHEET, PRODUCT_SHEET):
        assert all(r["county"] == "浏阳市" and r["city"] == "长沙市" for r in rows[sheet])
    assert rows[STAR_SHEET][0]["platform"] == "浏阳市中小企业公共服务综合窗口平台"
    assert rows[INSTITUTION_SHEET][0]["uscc"][2:8] == "430181"  # 浏阳市's GB/T 2260 code


def test_counts_and_determinism():
    counts = {STAR_SHEET: 2, "institution": 5, "expert": 4, PRODUCT_SHEET: 3}
    a = sample_intake_rows(EDITION, "郴州市", seed=11, counts=counts)
    b = sample_intake_rows(EDITION, "郴州市", seed=11, counts=counts)
    c = sample_intake_rows(EDITION, "郴州市", seed=12, counts=counts)
    assert a == b
    assert a != c
    assert [len(a[s]) for s in (STAR_SHEET, INSTITUTION_SHEET, EXPERT_SHEET, PRODUCT_SHEET)] == [2, 5, 4, 3]
    # 12 applicants with recipients, 1..3 rows each
    assert 12 <= len(a[RECIPIENTS_SHEET]) <= 36


def test_province_in_miniature_has_distinct_applicants():
    province = sample_province(EDITION, seed=0)
    assert len(province) >= 3
    assert set(province) <= set(DIVISIONS.city_names)
    ids, usccs, platforms, names = [], [], [], []
    for city, rows in province.items():
        assert all(r["city"] == city for r in rows[INSTITUTION_SHEET])
        ids += [r["id_number"] for r in rows[STAR_SHEET] + rows[EXPERT_SHEET]]
        usccs += [r["uscc"] for r in rows[INSTITUTION_SHEET]]
        platforms += [r["platform"] for r in rows[STAR_SHEET]]
        names += [r["name"] for r in rows[INSTITUTION_SHEET]]
    for values in (ids, usccs, platforms, names):
        assert len(values) == len(set(values))


def test_cluster_star_goes_to_the_hub_without_city_review():
    row = sample_cluster_star(EDITION, "株洲市", seed=1, platform="芦淞服饰产业集群窗口平台")
    assert row["platform_type"] == PLATFORM_CLUSTER and row["platform"] == "芦淞服饰产业集群窗口平台"
    assert row["prelim_opinion"] is None and row["prelim_reviewer"] is None
    _, issues = check_row_cells(SCHEMA[STAR_SHEET], row, CHOICES)
    assert issues == []  # 初审 fields are exempt for a cluster platform's star


def test_injected_errors_are_where_expected():
    clean = sample_intake_rows(EDITION, "株洲市", seed=2, counts={STAR_SHEET: 4})
    before = copy.deepcopy(clean)
    bad, planted = inject_errors(clean, ERROR_KINDS, seed=5)
    assert clean == before  # the input is not changed
    assert [p.kind for p in planted] == list(ERROR_KINDS)
    where = {p.kind: p for p in planted}

    p = where["id_check_digit"]
    number = bad[p.sheet][p.row][p.field]
    assert number[:17] == clean[p.sheet][p.row][p.field][:17] and number[-1] != id_check_by_hand(number)
    p = where["short_narrative"]
    assert nz.count_chars(bad[p.sheet][p.row][p.field]) < 1500
    p = where["complaints"]
    assert bad[p.sheet][p.row][p.field] == 1
    p = where["missing_required"]
    assert bad[p.sheet][p.row][p.field] is None and SCHEMA[p.sheet].field(p.field).required
    p = where["duplicate_applicant"]
    assert bad[p.sheet][p.row]["id_number"] == bad[p.sheet][p.also[0]]["id_number"]
    assert len(bad[EXPERT_SHEET]) == len(clean[EXPERT_SHEET]) + 1
    p = where["star_platform_duplicate"]
    second, first = bad[p.sheet][p.row], bad[p.sheet][p.also[0]]
    assert second["platform"] == first["platform"] and second["id_number"] != first["id_number"]
    assert second["id_number"][-1] == id_check_by_hand(second["id_number"])  # the second person is valid
    p = where["recipient_out_of_year"]
    assert bad[p.sheet][p.row][p.field].year == 2020
    p = where["uscc_not_hunan"]
    code = bad[p.sheet][p.row][p.field]
    assert code[2:4] != "43" and code[-1] == uscc_check_by_hand(code)  # valid, just not Hunan

    # Mistakes on distinct rows; every other row is untouched.
    touched = {(p.sheet, p.row) for p in planted}
    assert len(touched) == len(planted)
    for sheet, rows in clean.items():
        for i, row in enumerate(rows):
            if (sheet, i) not in touched:
                assert bad[sheet][i] == row, (sheet, i)


def _book(city, rows):
    from xl_awards.intake.intake_book import book_from_grids

    grids = {}
    for sheet in SCHEMA.values():
        grid = [[sheet.name], [f.header for f in sheet.fields]]
        grid += [[row.get(f.key) for f in sheet.fields] for row in rows[sheet.name]]
        grids[sheet.name] = grid
    grids[META_SHEET] = [["工作簿类型", "市州申报工作簿"], ["市州", city], ["评选年度", 2021], ["模板版本", 1]]
    return book_from_grids(f"{city}.xlsx", grids, EDITION)


def test_whole_validation_agrees_clean_province_and_planted_mistakes():
    from xl_awards.intake.validation import validate_books

    books = [_book(city, rows) for city, rows in sample_province(EDITION, seed=3).items()]
    assert validate_books(books, EDITION) == []

    bad, planted = inject_errors(sample_intake_rows(EDITION, "株洲市", seed=2, counts={STAR_SHEET: 4}), seed=5)
    findings = validate_books([_book("株洲市", bad)], EDITION)
    header = 2  # rows in the grid: title row 1, header row 2, data from row 3
    expected = set()
    for p in planted:
        label = SCHEMA[p.sheet].field(p.field).label
        for row in (p.row, *p.also):
            expected.add((p.rule, p.sheet, header + 1 + row, label))
    assert {(f.rule, f.sheet, f.row, f.field) for f in findings} == expected


def test_province_workbooks_one_per_city_and_county_with_distinct_applicants():
    from xl_awards.demo.sample import sample_province_workbooks

    books = sample_province_workbooks(EDITION, seed=0, counts={"institution": 3, "expert": 3, "product": 3})
    # Hunan: 14 市州 and 122 county-level divisions (2021-2022) -> 136 workbooks
    assert len(books) == 14 + 122
    assert sum(county is None for _, county, _ in books) == 14
    ids, usccs, platforms = [], [], []
    for city, county, rows in books:
        stars = rows[STAR_SHEET]
        assert len(stars) == 1
        assert stars[0]["platform"] == platform_name(city, county)
        if county:
            assert all(r["county"] == county for r in rows[INSTITUTION_SHEET] + rows[EXPERT_SHEET])
        ids += [r["id_number"] for r in stars + rows[EXPERT_SHEET]]
        usccs += [r["uscc"] for r in rows[INSTITUTION_SHEET]]
        platforms += [r["platform"] for r in stars]
    for values in (ids, usccs, platforms):
        assert len(values) == len(set(values))

    from xl_awards.intake.validation import validate_books

    intake = []
    for city, county, rows in books:
        book = _book(city, rows)
        book.file_name = f"{city}_{county or '市本级'}.xlsx"
        intake.append(book)
    assert validate_books(intake, EDITION) == []  # no duplicate across the province's 136 files

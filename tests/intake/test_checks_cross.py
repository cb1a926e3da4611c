"""Duplicates within and across files, and one 服务之星 per window platform.

Columns: 服务之星 D 身份证号码, E 所在窗口平台; 优秀服务专家 D 身份证号码; 创新服务产品 B 产品名称.
"""

import copy

from checkhelp import run, triples
from factory import EDITION, ID_STAR_2, PRODUCT_NAME, USCC_INST, valid_rows, write_intake
from xl_awards.jobs.validate import validate_files
from xl_awards.schema.intake import EXPERT_SHEET, PRODUCT_SHEET, STAR_SHEET


def test_same_star_twice_in_one_file(tmp_path):
    def twice(rows):
        second = copy.deepcopy(rows[STAR_SHEET][0])
        second["platform"] = "浏阳市中小企业公共服务平台"  # another platform: only the person is repeated
        second["platform_type"] = "县市区综合窗口平台"
        rows[STAR_SHEET].append(second)
    findings = run(tmp_path, twice)
    assert triples(findings) == [("duplicate_applicant", "D3", "error"), ("duplicate_applicant", "D4", "error")]
    by_cell = {f.cell: f.message for f in findings}
    assert "另见 第4行" in by_cell["D3"] and "另见 第3行" in by_cell["D4"]
    assert "服务之星" in by_cell["D3"] and "张服务" in by_cell["D3"]


def _zhuzhou_rows():
    rows = valid_rows()
    for sheet_rows in rows.values():
        for row in sheet_rows:
            if "city" in row:
                row["city"], row["county"] = "株洲市", "醴陵市"
    return rows


def test_same_expert_in_two_city_workbooks(tmp_path):
    a = write_intake(tmp_path / "长沙市.xlsx")
    b_rows = _zhuzhou_rows()
    b_rows[STAR_SHEET][0].update(id_number=ID_STAR_2, platform="株洲市中小企业公共服务平台")
    # the product and institution are the same in both files too: make them differ in B
    b_rows[PRODUCT_SHEET][0]["name"] = "株洲产品"
    b_rows["服务对象情况"][2]["applicant"] = "株洲产品"
    b_rows["优秀服务机构"][0]["uscc"] = "91430100MA4L99999E"  # check E worked in factory.py
    b = write_intake(tmp_path / "株洲市.xlsx", b_rows, city="株洲市")
    findings = validate_files([a, b], EDITION)
    got = sorted((f.file, f.sheet, f.cell, f.rule) for f in findings)
    assert got == [
        ("株洲市.xlsx", EXPERT_SHEET, "D3", "duplicate_applicant"),
        ("长沙市.xlsx", EXPERT_SHEET, "D3", "duplicate_applicant"),
    ]
    by_file = {f.file: f.message for f in findings}
    assert "株洲市.xlsx“优秀服务专家”第3行" in by_file["长沙市.xlsx"]
    assert "长沙市.xlsx“优秀服务专家”第3行" in by_file["株洲市.xlsx"]


def test_product_identity_is_name_and_code(tmp_path):
    def same_name_other_unit(rows):
        other = copy.deepcopy(rows[PRODUCT_SHEET][0])
        other["unit"], other["uscc"] = "湖南星城企业服务有限公司", USCC_INST
        rows[PRODUCT_SHEET].append(other)  # same product name, another unit: two products
    assert run(tmp_path, same_name_other_unit) == []

    def same_product(rows):
        rows[PRODUCT_SHEET].append(copy.deepcopy(rows[PRODUCT_SHEET][0]))
    findings = run(tmp_path, same_product)
    assert triples(findings) == [("duplicate_applicant", "B3", "error"), ("duplicate_applicant", "B4", "error")]
    assert PRODUCT_NAME in findings[0].message


def test_two_stars_from_one_platform_across_files(tmp_path):
    # both files hold only a star (the other sheets are there, empty)
    a = write_intake(tmp_path / "长沙市.xlsx", {STAR_SHEET: valid_rows()[STAR_SHEET]})
    b_rows = _zhuzhou_rows()
    b_rows[STAR_SHEET][0]["id_number"] = ID_STAR_2  # another person, same platform name as in A
    b = write_intake(tmp_path / "株洲市.xlsx", {STAR_SHEET: b_rows[STAR_SHEET]}, city="株洲市")
    findings = validate_files([a, b], EDITION)
    assert sorted((f.file, f.cell, f.rule, f.severity) for f in findings) == [
        ("株洲市.xlsx", "E3", "star_platform_duplicate", "error"),
        ("长沙市.xlsx", "E3", "star_platform_duplicate", "error"),
    ]
    assert "株洲市.xlsx“服务之星”第3行" in [f for f in findings if f.file == "长沙市.xlsx"][0].message


def test_one_star_per_platform_is_fine(tmp_path):
    def second_platform(rows):
        other = copy.deepcopy(rows[STAR_SHEET][0])
        other.update(id_number=ID_STAR_2, platform="浏阳市中小企业公共服务平台", platform_type="县市区综合窗口平台")
        rows[STAR_SHEET].append(other)
    assert run(tmp_path, second_platform) == []


def test_ids_stored_as_numbers_are_not_duplicates(tmp_path):
    """Two different people whose IDs Excel stored as numbers look alike once the tail is zeroed:
    430102198503121230 and 430102198503121231 both become 430102198503121000 in a General cell.
    Each gets code_as_number (D3, D4), and no duplicate_applicant is claimed from ruined numbers."""


    def two(rows):
        second = dict(rows[STAR_SHEET][0], platform="浏阳市中小企业公共服务平台", name="李服务")
        rows[STAR_SHEET][0]["id_number"] = 430102198503121000
        second["id_number"] = 430102198503121000
        rows[STAR_SHEET].append(second)
    assert triples(run(tmp_path, two)) == [("code_as_number", "D3", "error"), ("code_as_number", "D4", "error")]


def test_duplicate_message_names_at_most_five_other_rows(tmp_path):
    """The same person on rows 3..10 (8 rows, distinct platforms): row 3's message names rows 4..8 and
    says 7 in all."""
    from checkhelp import only

    def eight(rows):
        first = rows[STAR_SHEET][0]
        rows[STAR_SHEET] = [dict(first, platform=f"平台{i}") for i in range(8)]
    findings = [f for f in run(tmp_path, eight) if f.cell == "D3"]
    assert only(findings, "duplicate_applicant").message == \
        "“张服务”在服务之星中重复申报（另见 第4行、第5行、第6行、第7行、第8行等7处）"

"""Builds intake workbooks for tests, in tmp_path, from the schema, with openpyxl.

Layout by default (what the built intake template does; the reader must not rely on it):
row 1 a title, row 2 the header (``Field.header``), data from row 3, columns in
schema order (so the column letters used in tests follow the schema's field order),
a hidden ``_参数`` sheet with the city.

The valid IDs and codes below were checked by hand:
- 身份证号码 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 -> "10X98765432".
  43010219850312123: 4*7+3*9+0*10+1*5+0*8+2*4+1*2+9*1+8*6+5*3+0*7+3*9+1*10+2*5+1*8+2*4+3*2
  = 28+27+0+5+0+8+2+9+48+15+0+27+10+10+8+8+6 = 211; 211 mod 11 = 2 -> X.
  430304198001014569: sum 223, mod 11 = 3 -> 9.  430105197506207893: sum 328, mod 11 = 9 -> 3.
- 统一社会信用代码 weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 over the alphabet
  0-9 A-H J-N P-R T U W-Y (values 0..30); check = (31 - sum mod 31) mod 31.
  91430100MA4L12345: 9*1+1*3+4*9+3*27+0*19+1*26+0*16+0*17+M(21)*20+A(10)*29+4*25+L(20)*13+1*8+2*24+3*10+4*30+5*28
  = 9+3+36+81+0+26+0+0+420+290+100+260+8+48+30+120+140 = 1571; 1571 mod 31 = 21; 31-21 = 10 -> A.
  91430300MA4P00001 -> sum 1344, mod 31 = 11, check 20 -> L.  91430102MA4Q11111 -> 1411, 16, 15 -> F.
  91430100MA4L77777 -> 1925, 3, 28 -> W.  91110000MA0012345 -> 1104, 19, 12 -> C (Beijing).
  91430100MA4L88888 -> 2025, 10, 21 -> M.  91430100MA4L99999 -> 2125, 17, 14 -> E.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from xl_awards.edition import load_edition
from xl_awards.schema.intake import (
    EXPERT_SHEET, INSTITUTION_SHEET, META_SHEET, PRODUCT_SHEET, RECIPIENTS_SHEET, STAR_SHEET,
    build_intake_schema,
)

EDITION = load_edition(2021)
SCHEMA = build_intake_schema(EDITION)
SHEETS = {s.name: s for s in SCHEMA}
CITY = "长沙市"

ID_STAR = "43010219850312123X"
ID_STAR_2 = "430304198001014569"
ID_EXPERT = "430105197506207893"
USCC_INST = "91430100MA4L12345A"
USCC_PRODUCT = "91430102MA4Q11111F"
USCC_COMPANY_1 = "91430300MA4P00001L"
USCC_COMPANY_2 = "91430100MA4L77777W"
USCC_COMPANY_3 = "91430100MA4L88888M"
USCC_BEIJING = "91110000MA0012345C"

COMMON = {
    "city": CITY, "county": "浏阳市", "phone": "13907310000", "credit_pledge": "是",
    "prelim_opinion": "同意推荐", "prelim_reviewer": "李审核", "prelim_date": dt.date(2022, 9, 10),
}

INSTITUTION_NAME = "湖南星城企业服务有限公司"
EXPERT_NAME = "王专家"
PRODUCT_NAME = "专精特新成长贷"


def valid_rows() -> dict[str, list[dict[str, Any]]]:
    """One correct application per award, with its service recipients: no error, no warning."""
    star = {
        "name": "张服务", "gender": "女", "id_number": ID_STAR, "platform": "长沙市中小企业公共服务平台",
        "platform_type": "市州综合窗口平台", "position": "服务专员", "service_start": "2018-05",
        "complaints": 0, "achievements": "服务" * 800, "honors": "优秀员工",
        **COMMON, "mat_form": "是", "mat_achievements": "是", "mat_honors": "是",
    }
    institution = {
        "name": INSTITUTION_NAME, "uscc": USCC_INST, "address": "长沙市芙蓉区", "legal_rep": "赵法人",
        "contact": "钱联系", "email": "info@example.com", "portal_account": "xingcheng2019",
        "service_category": "管理咨询", "served_count": 320,
        "product1_name": "管理诊断", "product1_since": "2019-03",
        "product2_name": "融资辅导", "product2_since": "2020-06",
        "product3_name": "", "product3_since": "",
        "activities": "参与“湖湘精品”品牌能力提升活动和“创客中国”大赛", "fees": "低收费",
        **COMMON, "mat_form": "是", "mat_recipients": "是", "mat_honors": "否", "mat_certificates": "是",
        "mat_photos": "是", "mat_summary": "是",
    }
    expert = {
        "name": EXPERT_NAME, "gender": "男", "id_number": ID_EXPERT, "employer": "湖南大学",
        "field": "财务管理", "title": "教授", "title_level": "正高级", "qualification": "注册会计师",
        "field_start_year": 2005, "served_count": 40, "email": "wang@example.com",
        "statement": "业绩" * 450,
        **COMMON, "mat_form": "是", "mat_recipients": "是", "mat_honors": "是", "mat_other": "否",
    }
    product = {
        "name": PRODUCT_NAME, "unit": "湖南芙蓉金融服务有限公司", "uscc": USCC_PRODUCT, "area": "商业价值信用贷款",
        "since": "2020-03", "summary": "面向专精特新企业的信用贷款服务", "has_standard": "是",
        "served_count": 55, "case_count": 4, "contact": "孙联系",
        **COMMON, "mat_form": "是", "mat_recipients": "是", "mat_cases": "是",
    }

    def recipient(award: str, applicant: str, company: str, code: str, date: dt.date) -> dict[str, Any]:
        return {"award": award, "applicant": applicant, "company": company, "company_uscc": code,
                "content": "融资对接", "date": date, "effect": "获得贷款", "company_contact": "周经理",
                "company_phone": "0731-89706288"}

    recipients = [
        recipient("优秀服务机构", INSTITUTION_NAME, "湘潭某某科技有限公司", USCC_COMPANY_1, dt.date(2021, 3, 15)),
        recipient("优秀服务专家", EXPERT_NAME, "长沙某某制造有限公司", USCC_COMPANY_2, dt.date(2021, 6, 1)),
        recipient("创新服务产品", PRODUCT_NAME, "长沙某某材料有限公司", USCC_COMPANY_3, dt.date(2021, 12, 31)),
    ]
    return {
        STAR_SHEET: [star], INSTITUTION_SHEET: [institution], EXPERT_SHEET: [expert],
        PRODUCT_SHEET: [product], RECIPIENTS_SHEET: recipients,
    }


def column_letter(sheet: str, key: str) -> str:
    """The column the factory writes ``key`` into (schema order), for building expected addresses."""
    from xl_awards.base.addresses import column_letter as letters

    keys = [f.key for f in SHEETS[sheet].fields]
    return letters(keys.index(key))


def write_intake(
    path: Path,
    rows: dict[str, list[dict[str, Any]]] | None = None,
    *,
    city: str | None = CITY,
    meta: bool = True,
    title: bool = True,
    sheets: list[str] | None = None,
    rename: dict[str, dict[str, str]] | None = None,  # sheet -> {label: header text written instead}
    drop: dict[str, set[str]] | None = None,  # sheet -> keys whose column is left out
    extra_columns: dict[str, list[str]] | None = None,  # sheet -> header texts of extra columns (appended)
    merges: dict[str, list[str]] | None = None,  # sheet -> ranges like "A3:A5" (merged after writing)
    reverse_columns: bool = False,
) -> Path:
    rows = copy.deepcopy(valid_rows() if rows is None else rows)
    rename = rename or {}
    drop = drop or {}
    wb = Workbook()
    wb.remove(wb.active)
    wb.create_sheet("填报说明")["A1"] = "填报说明"
    for schema in SCHEMA:
        if sheets is not None and schema.name not in sheets:
            continue
        ws = wb.create_sheet(schema.name)
        fields = [f for f in schema.fields if f.key not in drop.get(schema.name, set())]
        if reverse_columns:
            fields = fields[::-1]
        first = 1
        if title:
            ws.cell(1, 1, f"{EDITION.year}年度“{schema.name}”申报表")
            first = 2
        headers = [rename.get(schema.name, {}).get(f.label, f.header) for f in fields]
        headers += extra_columns.get(schema.name, []) if extra_columns else []
        for c, text in enumerate(headers, start=1):
            ws.cell(first, c, text)
        for r, row in enumerate(rows.get(schema.name, []), start=first + 1):
            for c, f in enumerate(fields, start=1):
                value = row.get(f.key)
                if value is not None and value != "":
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"
            for c in range(len(fields) + 1, len(headers) + 1):
                ws.cell(r, c, "额外")
        for ref in (merges or {}).get(schema.name, []):
            ws.merge_cells(ref)
    if meta:
        ws = wb.create_sheet(META_SHEET)
        for r, (k, v) in enumerate([("工作簿类型", "市州申报工作簿"), ("市州", city or ""), ("评选年度", EDITION.year), ("模板版本", 1)], start=1):
            ws.cell(r, 1, k)
            ws.cell(r, 2, v)
        ws.sheet_state = "hidden"
    wb.save(path)
    return path

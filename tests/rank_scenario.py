"""A hub workbook for the rank tests: the real built hub template, with 设置 quotas lowered and
the 专家库 / 申报汇总 / 专家评分 / 官网备案 / 窗口平台 rows written directly (as consolidate and
collect would write them).  Every expectation below is worked out by hand.

Quotas (设置): 服务之星 1, 优秀服务机构 2, 优秀服务专家 2, 创新服务产品 1, window city 1, county 1.

服务之星 (hub review score = mean of 3, n < 5):
  XX01 星一 88, 92, 90 -> 270/3 = 90          rank 1 selected
  XX02 星二 85, 85, 86 -> 256/3 = 85.333...   rank 2 not_selected
优秀服务机构 (5 experts ZJ01..ZJ05; total = 0.7 x review + 0.3 x 官网备案):
  JG01 甲机构 80, 90, 85, 70, 95 -> drop 95 and 70: (80+90+85)/3 = 85; 官网备案 90 (by 证件号码)
       total 0.7*85 + 0.3*90 = 59.5 + 27 = 86.5                                  rank 1 selected
  JG02 乙机构 80, 84, 88, 92, ZJ05 回避 -> 4 counted < 5: mean 344/4 = 86; 官网备案 80 (by name,
       no 证件号码) -> 60.2 + 24 = 84.2                                            rank 2 selected
  JG03 丙机构 90 (ZJ01), 90 (ZJ02), 80, 85, 75 -> only ONE 90 dropped (ZJ01's) and 75:
       (90+80+85)/3 = 85; no 官网备案 -> 0 and a finding: 59.5                     rank 3 not_selected
  JG04 丁机构 2020年度获评有效 -> prior_award_valid;  JG05 戊机构 不符合条件 -> ineligible
优秀服务专家 (ZJ01..ZJ03, n = 3: mean):
  ZX01 专家甲 90,90,90 -> 90; 官网 90 -> 63 + 27 = 90                              rank 1 selected
  ZX02 专家乙 80,85,90 -> 85; 官网 80 -> 59.5 + 24 = 83.5   } three-way tie at rank 2,
  ZX03 专家丙 85,85,85 -> 85; 官网 80 -> 83.5               } 2 + 3 - 1 = 4 > quota 2:
  ZX04 专家丁 90,80,85 -> 85; 官网 80 (by name) -> 83.5     } all tie_pending
  ZX05 专家戊 70,70,70 -> 70; 官网 70 (by name) -> 49 + 21 = 70                    rank 5 not_selected
创新服务产品 (ZJ01..ZJ04; ZJ03 works at 乙科技有限公司, the unit of CP02):
  CP01 智造贷 (甲科技, U1) 90,90,90,90 -> 90; 官网 70 -> 63 + 21 = 84              rank 1 selected
  CP02 云上通 (乙科技, U2) 84,84,84 + ZJ03 99 (conflict found at ranking, not counted) -> 84;
       官网 84 -> 58.8 + 25.2 = 84: equal total, lower review score (84 < 90)     rank 2 not_selected
  CP04 智造险 (甲科技, U1, the same unit as CP01) 70 x4 -> 70; 官网 60 -> 49 + 18 = 67  rank 3
  CP03 云上通 (丙科技, U3: same product name as CP02) 60 x4 -> 60; 官网 50 -> 42 + 15 = 57  rank 4
  (官网备案 for products: matched by name, confirmed by 证件号码 — 云上通 twice, U1 twice.)
最受欢迎窗口服务平台, metric weights 0.25 each, scaled to 100 x value / tier max of BUILT platforms:
  city tier  长沙 [100, 50, 20, 10], 衡阳 [50, 100, 10, 10], 张家界 not built [1000 x4] (left out of the max)
    max [100, 100, 20, 10]: 长沙 100, 50, 100, 100 -> 87.5 rank 1 selected; 衡阳 50, 100, 50, 100 -> 75 rank 2
  county tier 浏阳 [30, 10, 5, 2], 醴陵 [60, 5, 5, 1]: max [60, 10, 5, 2]
    浏阳 50, 100, 100, 100 -> 87.5 rank 1 selected; 醴陵 100, 50, 100, 50 -> 75 rank 2
  有色金属产业集群窗口平台 (cluster): in no list.
Sensitivity: at 60/40 CP01 0.6*90 + 0.4*70 = 82 < CP02 0.6*84 + 0.4*84 = 84: the product selection
changes (CP01 selected -> not_selected, CP02 not_selected -> selected); nothing else changes
(机构 60/40: 87 / 83.6 / 51; 80/20: 86 / 84.8; mean: JG01 84 -> 85.8, JG03 84 -> 58.8; 专家 ties stay).
"""

from __future__ import annotations

from pathlib import Path

from xl_awards.edition import load_edition
from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.schema import hub as H

EDITION = load_edition(2021)
STAR, INST, EXP, PROD = "服务之星", "优秀服务机构", "优秀服务专家", "创新服务产品"
WINDOW = "最受欢迎窗口服务平台"
ALL = f"{STAR}、{INST}、{EXP}、{PROD}"
QUOTAS = {"awards.star.quota": 1, "awards.institution.quota": 2, "awards.expert.quota": 2,
          "awards.product.quota": 1, "awards.window.quota.city": 1, "awards.window.quota.county": 1}

EXPERTS = [
    {"expert_id": "ZJ01", "name": "张一", "employer": "湘江大学", "review_awards": ALL},
    {"expert_id": "ZJ02", "name": "张二", "employer": "岳麓研究院", "review_awards": ALL},
    {"expert_id": "ZJ03", "name": "张三", "employer": "乙科技有限公司", "review_awards": ALL},
    {"expert_id": "ZJ04", "name": "张四", "employer": "洞庭学院", "review_awards": f"{INST}、{PROD}"},
    {"expert_id": "ZJ05", "name": "张五", "employer": "橘洲中心", "review_awards": INST},
]
U1, U2, U3 = "91430100MA4L000001", "91430400MA4L000002", "91430600MA4L000003"
PROV = {"source_file": "长沙市.xlsx", "source_sha256": "0" * 64, "source_sheet": "x", "source_row": 3,
        "imported_at": "2022-09-21 10:00:00"}


def _app(app_id, award, name, city, status="待评审", **extra):
    return {"app_id": app_id, "award": award, "name": name, "city": city, "status": status, **PROV, **extra}


REGISTER = [
    _app("XX01", STAR, "星一", "长沙市", unit="长沙市中小企业公共服务平台", id_code="430102199001011234"),
    _app("XX02", STAR, "星二", "衡阳市", unit="衡阳市中小企业公共服务平台", id_code="430402199001011234"),
    _app("JG01", INST, "甲机构", "长沙市", id_code="91430100MA4J000001"),
    _app("JG02", INST, "乙机构", "株洲市", id_code="91430200MA4J000002"),
    _app("JG03", INST, "丙机构", "湘潭市", id_code="91430300MA4J000003"),
    _app("JG04", INST, "丁机构", "衡阳市", "2020年度获评有效", id_code="91430400MA4J000004",
         reasons="2020年度优秀服务机构获奖者，继续有效"),
    _app("JG05", INST, "戊机构", "岳阳市", "不符合条件", id_code="91430600MA4J000005",
         reasons="未承诺无不良征信记录"),
    _app("ZX01", EXP, "专家甲", "长沙市", id_code="430102198001010011", unit="甲大学"),
    _app("ZX02", EXP, "专家乙", "株洲市", id_code="430102198001010022", unit="乙大学"),
    _app("ZX03", EXP, "专家丙", "湘潭市", id_code="430102198001010033", unit="丙大学"),
    _app("ZX04", EXP, "专家丁", "衡阳市", id_code="430102198001010044", unit="丁大学"),
    _app("ZX05", EXP, "专家戊", "邵阳市", id_code="430102198001010055", unit="戊大学"),
    _app("CP01", PROD, "智造贷", "长沙市", id_code=U1, unit="甲科技有限公司"),
    _app("CP02", PROD, "云上通", "衡阳市", id_code=U2, unit="乙科技有限公司"),
    _app("CP03", PROD, "云上通", "岳阳市", id_code=U3, unit="丙科技有限公司"),
    _app("CP04", PROD, "智造险", "长沙市", id_code=U1, unit="甲科技有限公司"),
]
NAMES = {r["app_id"]: (r["award"], r["name"]) for r in REGISTER}
EXPERT_NAMES = {e["expert_id"]: e["name"] for e in EXPERTS}

# app id -> [(expert, score, 回避, 计入)]
SCORES = {
    "XX01": [("ZJ01", 88), ("ZJ02", 92), ("ZJ03", 90)],
    "XX02": [("ZJ01", 85), ("ZJ02", 85), ("ZJ03", 86)],
    "JG01": [("ZJ01", 80), ("ZJ02", 90), ("ZJ03", 85), ("ZJ04", 70), ("ZJ05", 95)],
    "JG02": [("ZJ01", 80), ("ZJ02", 84), ("ZJ03", 88), ("ZJ04", 92), ("ZJ05", None, "是", "否")],
    "JG03": [("ZJ01", 90), ("ZJ02", 90), ("ZJ03", 80), ("ZJ04", 85), ("ZJ05", 75)],
    "ZX01": [("ZJ01", 90), ("ZJ02", 90), ("ZJ03", 90)],
    "ZX02": [("ZJ01", 80), ("ZJ02", 85), ("ZJ03", 90)],
    "ZX03": [("ZJ01", 85), ("ZJ02", 85), ("ZJ03", 85)],
    "ZX04": [("ZJ01", 90), ("ZJ02", 80), ("ZJ03", 85)],
    "ZX05": [("ZJ01", 70), ("ZJ02", 70), ("ZJ03", 70)],
    "CP01": [("ZJ01", 90), ("ZJ02", 90), ("ZJ03", 90), ("ZJ04", 90)],
    # ZJ03 works at 乙科技有限公司: 计入 still says 是 (专家库 changed after collect); rank finds the conflict.
    "CP02": [("ZJ01", 84), ("ZJ02", 84), ("ZJ03", 99), ("ZJ04", 84)],
    "CP03": [("ZJ01", 60), ("ZJ02", 60), ("ZJ03", 60), ("ZJ04", 60)],
    "CP04": [("ZJ01", 70), ("ZJ02", 70), ("ZJ03", 70), ("ZJ04", 70)],
}

PORTAL = [
    {"award": INST, "applicant": "甲机构", "id_code": "91430100MA4J000001", "portal_score": 90},
    {"award": INST, "applicant": "乙机构", "portal_score": 80},  # no 证件号码: matched by name
    {"award": EXP, "applicant": "专家甲", "id_code": "430102198001010011", "portal_score": 90},
    {"award": EXP, "applicant": "专家乙", "id_code": "430102198001010022", "portal_score": 80},
    {"award": EXP, "applicant": "专家丙", "id_code": "430102198001010033", "portal_score": 80},
    {"award": EXP, "applicant": "专家丁", "portal_score": 80},
    {"award": EXP, "applicant": "专家戊", "portal_score": 70},
    {"award": PROD, "applicant": "智造贷", "id_code": U1, "portal_score": 70},
    {"award": PROD, "applicant": "云上通", "id_code": U2, "portal_score": 84},
    {"award": PROD, "applicant": "云上通", "id_code": U3, "portal_score": 50},
    {"award": PROD, "applicant": "智造险", "id_code": U1, "portal_score": 60},
]

CITY_TYPE, COUNTY_TYPE, CLUSTER_TYPE = "市州综合窗口平台", "县市区综合窗口平台", "产业集群窗口平台"


def _platform(name, ptype, city, built, metrics, county=None):
    row = {"name": name, "platform_type": ptype, "city": city, "built": built, "county": county}
    row.update({f"metric{i}": v for i, v in enumerate(metrics, start=1)})
    return row


WINDOWS = [
    _platform("长沙市中小企业公共服务平台", CITY_TYPE, "长沙市", "是", [100, 50, 20, 10]),
    _platform("衡阳市中小企业公共服务平台", CITY_TYPE, "衡阳市", "是", [50, 100, 10, 10]),
    _platform("张家界市中小企业公共服务平台", CITY_TYPE, "张家界市", "否", [1000, 1000, 1000, 1000]),
    _platform("浏阳市中小企业公共服务平台", COUNTY_TYPE, "长沙市", "是", [30, 10, 5, 2], county="浏阳市"),
    _platform("醴陵市中小企业公共服务平台", COUNTY_TYPE, "株洲市", "是", [60, 5, 5, 1], county="醴陵市"),
    _platform("有色金属产业集群窗口平台", CLUSTER_TYPE, "株洲市", "是", [500, 500, 500, 500]),
]


def score_rows(scores=SCORES, register=REGISTER) -> list[dict]:
    names = {r["app_id"]: (r["award"], r["name"]) for r in register}
    rows = []
    for app_id, items in scores.items():
        award, name = names[app_id]
        for item in items:
            expert, score, recused, counted = (*item, "否", "是")[:4] if len(item) == 2 else item
            rows.append({"expert_id": expert, "expert_name": EXPERT_NAMES[expert], "award": award,
                         "app_id": app_id, "name": name, "score": score, "recused": recused, "counted": counted,
                         "not_counted_reason": "专家回避" if recused == "是" else ""})
    return rows


def set_settings(wb, values: dict) -> None:
    ws = wb[H.SETTINGS_SHEET]
    for row in ws.iter_rows(min_row=1):
        key = row[0].value
        if key in values:
            row[2].value = values[key]


def make_hub(tmp_path: Path, *, register=REGISTER, scores=SCORES, portal=PORTAL, windows=WINDOWS,
             settings=None) -> Path:
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    path = write_hub_workbook(EDITION, hub_dir)
    wb = load_hub_for_update(path)
    set_settings(wb, {**QUOTAS, **(settings or {})})
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.EXPERTS_SHEET), EXPERTS)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), register)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.SCORES_SHEET), score_rows(scores, register))
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.PORTAL_SHEET), portal)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.WINDOW_SHEET), windows)
    save_hub(wb, path, make_backup=False)
    return path

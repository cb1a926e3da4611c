"""The hub workbook's ``设置`` sheet: edition settings as rows, and back (pure core).

``settings_rows(edition)`` gives the rows the template writes (键 / 项目 / 值 /
允许范围 / 说明).  ``read_settings(rows, edition)`` turns rows read back from a
workbook into an ``Edition.with_overrides`` dict plus findings.  A value of the
wrong type or outside its allowed range is a finding, never an exception: the
value is ignored and the preset value kept, and the finding says so.  Values
that belong together (the two score weights, the metric weights, start and
deadline) are checked together; an inconsistent group keeps its preset values.

The 键 column is the edition's dotted path (``scoring.expert_weight``), so a
row is found by its key even when its 项目 text was edited; a row whose key was
cleared is found by its 项目.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from xl_awards.base import messages, normalize as nz
from xl_awards.edition import INTAKE_AWARD_KEYS, Edition
from xl_awards.base.findings import Finding
from xl_awards.schema.hub import SETTINGS_SHEET

INT = "int"
DECIMAL = "decimal"
DATE = "date"
CHOICE = "choice"
READONLY = "readonly"

KIND_NAMES = {INT: "整数", DECIMAL: "数字", DATE: "日期", CHOICE: "选项", READONLY: "值"}

# scoring.aggregation: edition value -> what the 设置 drop-down shows (messages.AGGREGATION_CHOICES);
# the longer descriptions (messages.AGGREGATION_LABELS) are accepted too.
AGGREGATION_LABELS = messages.AGGREGATION_CHOICES

METRIC_WEIGHTS_PATH = "awards.window.metric_weights"
WEIGHT_TOLERANCE = 1e-6
EXPERTS_PER_APPLICATION = "scoring.experts_per_application"
ALL_EXPERTS = "全部专家"  # the 值 of 每项申报评审专家数 when the whole panel reviews every application
NONE_ALIASES = ("全部", "全组", "全体专家", "不限")
VALUE_COLUMN = "C"  # where the value sits in the template (for finding cells); the reader passes real cells


@dataclass(frozen=True)
class Setting:
    key: str  # the 键 column: a dotted edition path (metric weights: ``awards.window.metric_weights.1``)
    label: str  # 项目
    kind: str
    note: str = ""
    minimum: Any = None  # number or date
    maximum: Any = None
    choices: tuple[tuple[str, str], ...] = ()  # (edition value, shown label)
    none_label: str = ""  # a number setting that may also be null (the edition's null), shown as this text

    @property
    def allowed(self) -> str:
        """The 允许范围 text."""
        if self.none_label:
            return f"{self.none_label}，或{self._range_text()}"
        return self._range_text()

    def _range_text(self) -> str:
        if self.kind == CHOICE:
            return "、".join(label for _, label in self.choices)
        if self.kind == READONLY:
            return "只读（由版本预设决定）"
        if self.kind == DATE:
            return f"{self.minimum.isoformat()} 至 {self.maximum.isoformat()}"
        unit = "整数" if self.kind == INT else ""
        return f"{_fmt(self.minimum)}～{_fmt(self.maximum)}{unit}"

    def shown(self, value: Any) -> Any:
        """Edition value -> the value written into the 值 cell."""
        if self.kind == DATE:
            return dt.date.fromisoformat(value) if isinstance(value, str) else value
        if self.kind == CHOICE:
            return dict(self.choices).get(value, value)
        if value is None and self.none_label:
            return self.none_label
        return value


@dataclass(frozen=True)
class SettingRow:
    key: str
    label: str
    value: Any
    allowed: str
    note: str

@dataclass
class SettingsResult:
    overrides: dict[str, Any]
    findings: list[Finding]


def _fmt(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, dt.date):
        return x.isoformat()
    return str(x)


def setting_specs(edition: Edition) -> list[Setting]:
    """The 设置 rows of an edition, in sheet order."""
    year = edition.year
    d = dt.date
    app_range = (d(year, 1, 1), d(year + 2, 12, 31))
    year_range = (d(year - 1, 1, 1), d(year + 1, 12, 31))
    n_cities = len(edition.divisions.city_names)
    n_counties = sum(len(edition.divisions.counties(c)) for c in edition.divisions.city_names)
    window = edition.award("window")
    specs = [
        Setting("year", "评选年度", READONLY, "评选的年度。如需其他年度，请使用对应年度的模板（命令行 --edition）。"),
        Setting("dates.application_start", "申报开始日期", DATE, "各市州开始受理申报的日期。", *app_range),
        Setting("dates.application_deadline", "申报截止日期", DATE,
                "市州报送省枢纽平台的截止日期；初审日期晚于此日期的申报提示为逾期。", *app_range),
        Setting("dates.reference_date", "资格条件计算基准日", DATE,
                "计算服务年限、从业年限、产品投入市场年限的日期（默认为评选年度最后一天）。", *year_range),
        Setting("dates.award_year_start", "服务业绩统计起始日", DATE, "服务对象情况的服务时间须在统计期内。", *year_range),
        Setting("dates.award_year_end", "服务业绩统计截止日", DATE, "服务对象情况的服务时间须在统计期内。", *year_range),
        Setting("awards.window.quota.city", f"{window['name']}（市州）名额", INT,
                "市州综合窗口平台层级的入选名额。", 0, n_cities),
        Setting("awards.window.quota.county", f"{window['name']}（县市区）名额", INT,
                "县市区综合窗口平台层级的入选名额。", 0, n_counties),
    ]
    for key in INTAKE_AWARD_KEYS:
        specs.append(Setting(f"awards.{key}.quota", f"{edition.award_name(key)}名额", INT, "入选名额。", 0, 1000))
    specs += [
        Setting("scoring.expert_weight", "专家评审得分权重", DECIMAL,
                "总分 = 专家评审得分×本权重 + 官网备案得分×官网备案权重；两项权重之和须为1。", 0.0, 1.0),
        Setting("scoring.portal_weight", "官网备案得分权重", DECIMAL, "两项权重之和须为1。", 0.0, 1.0),
        Setting("scoring.aggregation", "专家评分汇总方法", CHOICE,
                "去掉最高最低分平均：有效评分达到下一项的人数时，去掉一个最高分和一个最低分后平均，否则算术平均；"
                "算术平均：全部有效评分的平均；标准分：先按每位专家的评分换算为标准分再平均。",
                choices=tuple(AGGREGATION_LABELS.items())),
        Setting("scoring.trim_threshold", "去掉最高最低分的最少评分数", INT,
                "有效评分达到此人数时才去掉一个最高分和一个最低分。", 3, 50),
        Setting("scoring.min_counted_scores", "最少有效评分数", INT,
                "有效评分少于此数的申报在排名中提示。", 1, 50),
        Setting(EXPERTS_PER_APPLICATION, "每项申报评审专家数", INT,
                f"生成专家评分工作簿时每项申报分配的评审专家人数（排除回避后在该奖项评审组中均衡分配）；"
                f"“{ALL_EXPERTS}”：评审组每位专家评审该奖项的全部申报。不得少于“最少有效评分数”。"
                f"申报很多时请填人数：每位专家评审全部申报时，“评审分配”“评分明细”的行数为申报数×专家数（×评分项数），"
                f"可能超过 Excel 每表 1,048,576 行的上限。",
                1, 500, none_label=ALL_EXPERTS),
        Setting("dates.review_return_deadline", "专家评分报回截止日期", DATE,
                "写入专家评分工作簿的“评分说明”：专家须在此日期前报回评分（通知：9月下旬专家评审）。", *app_range),
        Setting("publicity.working_days", "公示期（工作日）", INT, "公示期按工作日计算，含公示首日。", 1, 30),
        Setting("sanctions.bar_years", "弄虚作假禁评年数", INT, "因弄虚作假被取消评选资格后不得参评的年数。", 0, 10),
        Setting("prior_awards.year", "往年获奖有效年度", INT,
                "该年度获评的优秀服务机构、优秀服务专家、创新服务产品本年度继续有效。", year - 5, year - 1),
        Setting("min_recipient_rows", "服务对象情况最少行数", INT,
                "优秀服务机构、优秀服务专家、创新服务产品每个申报主体至少填写的服务对象行数。", 0, 50),
    ]
    for i, metric in enumerate(window["metrics"], start=1):
        specs.append(Setting(f"{METRIC_WEIGHTS_PATH}.{i}", f"窗口平台指标权重：{metric}", DECIMAL,
                             "最受欢迎窗口服务平台各项指标的权重，合计须为1。", 0.0, 1.0))
    return specs


def _edition_value(edition: Edition, key: str) -> Any:
    if key.startswith(METRIC_WEIGHTS_PATH + "."):
        index = int(key.rsplit(".", 1)[1]) - 1
        return edition.award("window")["metric_weights"][index]
    node: Any = edition.data
    for part in key.split("."):
        node = node[part]
    return node


def settings_rows(edition: Edition) -> list[SettingRow]:
    """The rows of the ``设置`` sheet for an edition."""
    return [
        SettingRow(s.key, s.label, s.shown(_edition_value(edition, s.key)), s.allowed, s.note)
        for s in setting_specs(edition)
    ]


# -- reading back ---------------------------------------------------------------

class _Bad(Exception):
    def __init__(self, rule: str):
        self.rule = rule


def _parse(spec: Setting, raw: Any) -> Any:
    """A cell value -> the edition value, or raise _Bad(rule)."""
    if spec.none_label and nz.clean_text(raw).replace(" ", "") in (spec.none_label, *NONE_ALIASES):
        return None
    try:
        if spec.kind == DATE:
            value = nz.to_date(raw)
            if not (spec.minimum <= value <= spec.maximum):
                raise _Bad("setting_out_of_range")
            return value.isoformat()
        if spec.kind == CHOICE:
            text = nz.clean_text(raw)
            aliases = messages.AGGREGATION_LABELS if spec.key == "scoring.aggregation" else {}
            for value, label in spec.choices:
                if text in (value, label, aliases.get(value)):
                    return value
            raise _Bad("setting_invalid")
        if spec.kind == READONLY:
            return nz.to_year(raw)
        text = nz.clean_text(raw).replace(" ", "")
        if spec.kind == DECIMAL and text.endswith("%"):
            number = nz.to_number(text[:-1])
            number = None if number is None else number / 100
        else:
            number = nz.to_number(raw)
        if spec.kind == INT:
            if not float(number).is_integer():
                raise _Bad("setting_invalid")
            number = int(number)
        if not (spec.minimum <= number <= spec.maximum):
            raise _Bad("setting_out_of_range")
        return number
    except nz.NormalizeError:
        raise _Bad("setting_invalid") from None


def _shown_text(spec: Setting, value: Any) -> str:
    shown = spec.shown(value)
    return _fmt(shown)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-12
    return a == b


def read_settings(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    edition: Edition,
    *,
    file: str = "",
    sheet: str = SETTINGS_SHEET,
    value_column: str = VALUE_COLUMN,
) -> SettingsResult:
    """Settings rows read back -> overrides (only values that differ from the preset) and findings.

    ``rows`` holds ``(excel_row, {"key": 键, "label": 项目, "value": 值})``.
    """
    specs = setting_specs(edition)
    by_key = {s.key: s for s in specs}
    by_label = {s.label: s for s in specs}
    findings: list[Finding] = []
    accepted: dict[str, tuple[Any, int]] = {}  # key -> (edition value, excel row)
    seen: dict[str, int] = {}

    def add(rule: str, at: int | None, field_label: str = "", **values: Any) -> None:
        findings.append(messages.finding_at(rule, file=file, sheet=sheet, cell=f"{value_column}{at}" if at else "",
                                            at_row=at, field=field_label, **values))

    for excel_row, cells in rows:
        key = nz.clean_text(cells.get("key"))
        label = nz.clean_text(cells.get("label"))
        raw = cells.get("value")
        spec = by_key.get(key) or by_label.get(label)
        if spec is None:
            if key or label or not nz.is_blank(raw):
                add("setting_unknown", excel_row, label, row=excel_row, key=key or label)
            continue
        if spec.key in seen:
            add("setting_duplicate", excel_row, spec.label, label=spec.label, other_row=seen[spec.key])
            continue
        seen[spec.key] = excel_row
        if nz.is_blank(raw):
            continue  # blank: the preset value stands
        preset = _edition_value(edition, spec.key)
        preset_text = _shown_text(spec, preset)
        try:
            value = _parse(spec, raw)
        except _Bad as bad:
            add(bad.rule, excel_row, spec.label, label=spec.label, value=nz.clean_text(raw),
                kind=KIND_NAMES[spec.kind], allowed=spec.allowed, preset=preset_text)
            continue
        if spec.kind == READONLY:
            if value is None or value != preset:
                add("setting_readonly", excel_row, spec.label, label=spec.label, value=nz.clean_text(raw), preset=preset_text)
            continue
        accepted[spec.key] = (value, excel_row)

    _check_groups(edition, accepted, add)

    overrides: dict[str, Any] = {}
    metric_weights = list(edition.award("window")["metric_weights"])
    metric_changed = False
    for key, (value, _) in accepted.items():
        if key.startswith(METRIC_WEIGHTS_PATH + "."):
            index = int(key.rsplit(".", 1)[1]) - 1
            if not _same(metric_weights[index], value):
                metric_weights[index] = value
                metric_changed = True
        elif not _same(_edition_value(edition, key), value):
            overrides[key] = value
    if metric_changed:
        overrides[METRIC_WEIGHTS_PATH] = metric_weights
    return SettingsResult(overrides=overrides, findings=findings)


def _check_groups(edition: Edition, accepted: dict[str, tuple[Any, int]], add) -> None:
    """Values that must agree; an inconsistent group drops its overrides (preset values kept)."""

    def effective(key: str) -> Any:
        return accepted[key][0] if key in accepted else _edition_value(edition, key)

    def reject(keys: list[str], detail: str) -> None:
        changed = [k for k in keys if k in accepted]
        row = accepted[changed[0]][1]  # the first of the group in sheet order, named in the finding
        labels = {s.key: s.label for s in setting_specs(edition)}
        add("setting_inconsistent", row, labels[changed[0]], detail=detail,
            labels="、".join(labels[k] for k in changed))
        for k in changed:
            del accepted[k]

    def touched(keys: list[str]) -> bool:
        return any(k in accepted for k in keys)

    weights = ["scoring.expert_weight", "scoring.portal_weight"]
    if touched(weights):
        total = sum(float(effective(k)) for k in weights)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            reject(weights, f"专家评审得分权重与官网备案得分权重之和为{_fmt(round(total, 6))}，应为1")

    n_metrics = len(edition.award("window")["metrics"])
    metric_keys = [f"{METRIC_WEIGHTS_PATH}.{i}" for i in range(1, n_metrics + 1)]
    if touched(metric_keys):
        total = sum(float(effective(k)) for k in metric_keys)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            reject(metric_keys, f"窗口平台各项指标权重之和为{_fmt(round(total, 6))}，应为1")

    per_app, minimum = EXPERTS_PER_APPLICATION, "scoring.min_counted_scores"
    if touched([per_app, minimum]) and effective(per_app) is not None and effective(per_app) < effective(minimum):
        reject([per_app, minimum], f"每项申报评审专家数（{effective(per_app)}）少于最少有效评分数（{effective(minimum)}），"
                                   f"每项申报的有效评分将不足")

    for start, end, what in (
        ("dates.application_start", "dates.application_deadline", "申报开始日期晚于申报截止日期"),
        ("dates.award_year_start", "dates.award_year_end", "服务业绩统计起始日晚于截止日"),
    ):
        if touched([start, end]) and effective(start) > effective(end):
            reject([start, end], f"{what}（{effective(start)} > {effective(end)}）")


def apply_settings(
    rows: Iterable[tuple[int, Mapping[str, Any]]], edition: Edition, *, file: str = ""
) -> tuple[Edition, list[Finding]]:
    """The effective edition (preset + accepted overrides) and the settings findings."""
    result = read_settings(rows, edition, file=file)
    return edition.with_overrides(result.overrides), result.findings

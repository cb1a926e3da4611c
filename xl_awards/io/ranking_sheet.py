"""Write the ``排名`` sheet (and its ``排名分析`` side sheet) into the hub workbook with openpyxl.

``排名``: one block per list (市州 / 县市区 window platforms, 服务之星, 优秀服务机构,
优秀服务专家, 创新服务产品), each a title row, a summary row (live COUNTIF
formulas), a header row and the entries — ranked first, then the unranked ones
(too few scores, 往年获奖, 不符合条件).  Columns A–M are the ``排名`` schema's, in
the same place in every block, so the sheet reads back as one table by its labels
(``xl_awards.ranking.ranking_rows``); each block's detail columns follow:

- reviewed lists: one column per expert of the award.  A counted score is a number;
  the dropped highest / lowest are struck through on grey; a recused or conflicting
  score is left out of the cell (grey, with a note), so the formulas never see it;
- window platforms: 所属县市区, then each metric raw and scaled.

Live formulas (Python's numbers equal what they compute; a test recalculates in
LibreOffice and compares every one): 有效评分数 ``COUNT``, 专家评审得分 (trimmed mean
with the threshold from 设置, or the mean; under the z-score method a number and a
note), 总分 (the 设置 weights through workbook names ``专家权重`` / ``官网权重`` /
``指标权重1``…), the scaled window metrics ``100*raw/MAX(tier)``, and 排名 by
SUMPRODUCT over the block's keys (total, then review score, then 官网备案得分).
Scores and totals are ROUNDed to 9 decimals inside the formulas so that exactly
equal totals (0.7×87+0.3×84 and 0.7×84+0.3×91) are equal in Excel as well.
Status is text from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from xl_awards.edition import Edition
from xl_awards.hub_book import find_header
from xl_awards.messages import AGGREGATION_LABELS, RANK_STATUS_LABELS
from xl_awards.schema import hub as H
from xl_awards.schema import ranking as L
from xl_awards.scoring import CATEGORIES, INELIGIBLE, NOT_SELECTED, PRIOR_AWARD_VALID, SELECTED, TIE_PENDING
from xl_awards.scoring.settings import WEIGHTED_CATEGORIES
from xl_awards.scoring.model import (
    DROPPED_HIGH,
    DROPPED_LOW,
    EXCLUDED_CONFLICT,
    EXCLUDED_RECUSED,
    FLAG_METRIC_INVALID,
    FLAG_PORTAL_MISSING,
    RankedEntry,
)

AUTHOR = "xl-awards"
NUMBER_FORMAT = "0.00"
ROUND_DIGITS = 9
FIRST_DETAIL_COL = 14  # N: after the schema's 13 columns

FILL_TITLE = PatternFill("solid", fgColor="DDEBF7")
FILL_HEADER = PatternFill("solid", fgColor="E2EFDA")
FILL_SELECTED = PatternFill("solid", fgColor="C6EFCE")
FILL_PENDING = PatternFill("solid", fgColor="F8CBAD")
FILL_TIE = PatternFill("solid", fgColor="FFF2CC")
FILL_DROPPED = PatternFill("solid", fgColor="D9D9D9")
FILL_EXCLUDED = PatternFill("solid", fgColor="EDEDED")
FILL_MISSING = PatternFill("solid", fgColor="FFC7CE")
THICK = Side(style="thick", color="000000")
THIN = Side(style="thin", color="BFBFBF")
GREY = "808080"


@dataclass(frozen=True)
class FormulaCell:
    """A formula written, with the value Python computed for it (None: the formula should give blank)."""

    sheet: str
    cell: str
    formula: str
    expected: float | None
    what: str  # rank / count / aggregate / total / scaled / summary / parameter


@dataclass
class Block:
    category: str
    title_row: int
    summary_row: int
    header_row: int
    first_row: int  # first entry row
    last_ranked_row: int  # first_row - 1 when nothing is ranked
    last_row: int
    detail_columns: dict[str, int] = field(default_factory=dict)  # expert id / metric(+raw|scaled) -> column
    rows: dict[str, int] = field(default_factory=dict)  # entry id -> row


@dataclass
class WrittenRanking:
    formulas: list[FormulaCell]
    blocks: dict[str, Block]
    names: dict[str, str]  # defined name -> what it points at
    columns: dict[str, int]  # schema key -> column (1-based)
    fallbacks: list[str]  # names that could not point at 设置 (the value written in 排名 instead)
    zscore: bool


def _letter(col: int) -> str:
    return get_column_letter(col)


def _sheet(wb, name: str):
    wanted = "".join(name.split())
    for ws in wb.worksheets:
        if "".join(ws.title.split()) == wanted:
            return ws
    return None


def _fresh_sheet(wb, name: str, after: str | None = None):
    """Remove ``name`` if present and create it again at the same place (else after ``after``)."""
    old = _sheet(wb, name)
    if old is not None:
        index = wb.worksheets.index(old)
        wb.remove(old)
    else:
        anchor = _sheet(wb, after) if after else None
        index = wb.worksheets.index(anchor) + 1 if anchor is not None else len(wb.worksheets)
    return wb.create_sheet(name, index)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- workbook names for the 设置 values -----------------------------------------------
def _settings_cells(wb) -> dict[str, tuple[str, Any]]:
    """设置 key -> (absolute reference of its 值 cell, the cell's value)."""
    ws = _sheet(wb, H.SETTINGS_SHEET)
    if ws is None:
        return {}
    grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]
    header, columns = find_header(grid, {"键": "key", "值": "value"})
    if header < 0 or "key" not in columns or "value" not in columns:
        return {}
    out = {}
    for r in range(header + 1, len(grid)):
        row = grid[r]
        key = row[columns["key"]] if columns["key"] < len(row) else None
        if isinstance(key, str) and key.strip():
            col = columns["value"] + 1
            value = row[columns["value"]] if columns["value"] < len(row) else None
            out[key.strip()] = (f"{quote_sheetname(ws.title)}!${_letter(col)}${r + 1}", value)
    return out


def _define(wb, name: str, ref: str) -> None:
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


# -- the writer -------------------------------------------------------------------------
class _Writer:
    def __init__(self, wb, ranking, edition: Edition):
        self.wb = wb
        self.ranking = ranking
        self.result = ranking.result
        self.data = ranking.data
        self.settings = ranking.data.settings
        self.edition = edition
        self.schema = H.hub_sheet(H.build_hub_schema(edition), H.RANKING_SHEET)
        self.col = {f.key: i for i, f in enumerate(self.schema.fields, start=1)}
        self.formulas: list[FormulaCell] = []
        self.blocks: dict[str, Block] = {}
        self.names: dict[str, str] = {}
        self.fallbacks: list[str] = []
        self.zscore = self.settings.aggregation == "zscore"
        self.ws = None

    # cells
    def put(self, row: int, col: int, value: Any, *, number: bool = False, bold: bool = False):
        cell = self.ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str) and not value.startswith("="):
            cell.data_type = "s"
        if number:
            cell.number_format = NUMBER_FORMAT
        if bold:
            cell.font = Font(bold=True)
        return cell

    def formula(self, row: int, col: int, text: str, expected: float | None, what: str, *, number: bool = True):
        cell = self.put(row, col, text, number=number)
        self.formulas.append(FormulaCell(self.ws.title, cell.coordinate, text, expected, what))
        return cell

    def note(self, cell, text: str) -> None:
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        cell.comment = Comment(text, AUTHOR, width=260, height=90)

    # names and parameters
    def parameters(self, row: int) -> None:
        """Labels in ``row``, values under them (``=专家权重`` ... pointing at 设置), from column D on."""
        cells = _settings_cells(self.wb)
        s = self.settings
        wanted = [
            (L.NAME_EXPERT_WEIGHT, "scoring.expert_weight", L.PARAM_EXPERT_WEIGHT, s.expert_weight),
            (L.NAME_PORTAL_WEIGHT, "scoring.portal_weight", L.PARAM_PORTAL_WEIGHT, s.portal_weight),
            (L.NAME_TRIM_THRESHOLD, "scoring.trim_threshold", L.PARAM_TRIM, s.trim_threshold),
        ]
        for i, (metric, weight) in enumerate(zip(s.window_metrics, s.window_metric_weights), start=1):
            wanted.append((L.NAME_METRIC_WEIGHT.format(index=i), f"awards.window.metric_weights.{i}",
                           L.PARAM_METRIC_WEIGHT.format(metric=metric), weight))
        self.put(row, 1, L.PARAMETERS, bold=True)
        wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
        col = self.col["app_id"]
        for name, key, label, value in wanted:
            self.put(row, col, label).alignment = wrap
            target = cells.get(key)
            if target is not None and _is_number(target[1]) and abs(float(target[1]) - float(value)) < 1e-12:
                _define(self.wb, name, target[0])
                self.names[name] = target[0]
                cell = self.formula(row + 1, col, f"={name}", float(value), "parameter", number=False)
            else:
                ref = f"{quote_sheetname(self.ws.title)}!${_letter(col)}${row + 1}"
                _define(self.wb, name, ref)
                self.names[name] = ref
                self.fallbacks.append(name)
                cell = self.put(row + 1, col, value)
                self.note(cell, L.PARAM_FALLBACK_NOTE.format(value=value))
            cell.alignment = Alignment(horizontal="center")
            col += 1
        self.put(row, col, L.PARAM_MIN_SCORES).alignment = wrap
        self.put(row + 1, col, s.min_counted_scores).alignment = Alignment(horizontal="center")
        self.put(row, col + 1, L.PARAM_METHOD).alignment = wrap
        self.put(row + 1, col + 1, AGGREGATION_LABELS[s.aggregation]).alignment = Alignment(horizontal="center")
        self.ws.row_dimensions[row].height = 44

    # blocks
    def header(self, row: int, detail: list[str]) -> None:
        self.ws.row_dimensions[row].height = 30
        for f in self.schema.fields:
            cell = self.put(row, self.col[f.key], f.label, bold=True)
            cell.fill = FILL_HEADER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for i, label in enumerate(detail):
            cell = self.put(row, FIRST_DETAIL_COL + i, label, bold=True)
            cell.fill = FILL_HEADER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def block(self, row: int, category: str) -> int:
        cat = self.result.categories[category]
        window = category.startswith("window")
        entries = list(cat.entries)
        if window:
            detail_keys, detail_labels = self._window_columns()
        else:
            detail_keys, detail_labels = self._expert_columns(entries)
        title = L.BLOCK_TITLE.format(award=self._award_title(category), quota=cat.quota)
        title_row, summary_row, header_row = row, row + 1, row + 2
        first = header_row + 1
        ranked = [e for e in entries if e.ranked]
        block = Block(category, title_row, summary_row, header_row, first, first + len(ranked) - 1,
                      first + len(entries) - 1,
                      detail_columns={k: FIRST_DETAIL_COL + i for i, k in enumerate(detail_keys)})
        cell = self.put(title_row, 1, title, bold=True)
        cell.font = Font(bold=True, size=12)
        for c in range(1, max(self.col.values()) + 1):
            self.ws.cell(row=title_row, column=c).fill = FILL_TITLE
        self.header(header_row, detail_labels)
        for i, e in enumerate(entries):
            r = first + i
            block.rows[e.id] = r
            self.entry(r, e, block, window)
        self.summary(block, cat)
        self.marks(block, entries)
        self.blocks[category] = block
        return block.last_row + 2

    def _award_title(self, category: str) -> str:
        name = self.settings.award_name(category)
        if category == "window_city":
            return f"{name}（{L.TIER_CITY}）"
        if category == "window_county":
            return f"{name}（{L.TIER_COUNTY}）"
        return name

    def _expert_columns(self, entries: list[RankedEntry]) -> tuple[list[str], list[str]]:
        ids = sorted({line.expert_id for e in entries for line in e.scores})
        names = self.data.expert_names
        for e in entries:
            for line in e.scores:
                names.setdefault(line.expert_id, line.expert_name)
        return ids, [f"{i} {names.get(i, '')}".strip() for i in ids]

    def _window_columns(self) -> tuple[list[str], list[str]]:
        keys, labels = ["county"], [L.COUNTY_COLUMN]
        for metric in self.settings.window_metrics:
            keys += [f"raw:{metric}", f"scaled:{metric}"]
            labels += [metric, L.SCALED_COLUMN.format(metric=metric)]
        return keys, labels

    def entry(self, r: int, e: RankedEntry, block: Block, window: bool) -> None:
        c = self.col
        category = block.category
        self.put(r, c["award"], self.settings.award_name(category))
        if category == "window_city":
            self.put(r, c["tier"], L.TIER_CITY)
        elif category == "window_county":
            self.put(r, c["tier"], L.TIER_COUNTY)
        self.put(r, c["app_id"], e.id if not window else "")
        self.put(r, c["name"], e.name)
        unit = self.data.units.get((category, e.id), "")
        if unit:
            self.put(r, c["unit"], unit)
        self.put(r, c["city"], e.city)
        self.put(r, c["status"], RANK_STATUS_LABELS[e.status])
        remark = e.reason
        if remark:
            self.put(r, c["remark"], remark)
        if window:
            self.window_entry(r, e, block)
        else:
            self.reviewed_entry(r, e, block)
        if e.ranked:
            self.rank_formula(r, e, block, window)

    def reviewed_entry(self, r: int, e: RankedEntry, block: Block) -> None:
        c = self.col
        columns = block.detail_columns
        for line in e.scores:
            col = columns[line.expert_id]
            label = f"{line.expert_id} {line.expert_name}".strip()
            if line.counted:
                cell = self.put(r, col, line.score, number=True)
                if line.dropped == DROPPED_HIGH or line.dropped == DROPPED_LOW:
                    cell.font = Font(strike=True, color=GREY)
                    cell.fill = FILL_DROPPED
                    self.note(cell, L.NOTE_DROPPED_HIGH if line.dropped == DROPPED_HIGH else L.NOTE_DROPPED_LOW)
                if self.zscore and line.used is not None:
                    self.note(cell, L.NOTE_ZSCORE_SCORE.format(value=f"{line.used:.4f}"))
            else:
                cell = self.ws.cell(row=r, column=col)
                cell.fill = FILL_EXCLUDED
                text = {EXCLUDED_RECUSED: L.NOTE_RECUSED, EXCLUDED_CONFLICT: L.NOTE_CONFLICT}.get(
                    line.excluded, L.NOTE_BLANK).format(expert=label)
                if line.score is not None:
                    text += f"（{line.score:g}）"
                self.note(cell, text)
        if not columns:
            return
        first = _letter(min(columns.values()))
        last = _letter(max(columns.values()))
        rng = f"{first}{r}:{last}{r}"
        self.formula(r, c["score_count"], f"=COUNT({rng})", float(e.counted), "count", number=False)
        if e.counted and e.expert_score is not None:
            if self.zscore:
                self.put(r, c["expert_score"], e.expert_score, number=True)
            elif self.settings.aggregation == "mean":
                self.formula(r, c["expert_score"], f"=ROUND(AVERAGE({rng}),{ROUND_DIGITS})", e.expert_score,
                             "aggregate")
            else:
                text = (f"=ROUND(IF(COUNT({rng})>=MAX({L.NAME_TRIM_THRESHOLD},3),"
                        f"(SUM({rng})-MAX({rng})-MIN({rng}))/(COUNT({rng})-2),AVERAGE({rng})),{ROUND_DIGITS})")
                self.formula(r, c["expert_score"], text, e.expert_score, "aggregate")
        I = f"{_letter(c['expert_score'])}{r}"
        J = f"{_letter(c['portal_score'])}{r}"
        if block.category in WEIGHTED_CATEGORIES:
            if e.total is None and e.status in (PRIOR_AWARD_VALID, INELIGIBLE):
                return  # not competing and not scored: nothing to show
            cell = self.put(r, c["portal_score"], e.portal_score, number=True)
            if FLAG_PORTAL_MISSING in e.flags:
                cell.fill = FILL_MISSING
                self.note(cell, L.NOTE_PORTAL_MISSING)
            if e.total is not None:
                self.formula(r, c["total"],
                             f"=ROUND({L.NAME_EXPERT_WEIGHT}*{I}+{L.NAME_PORTAL_WEIGHT}*{J},{ROUND_DIGITS})",
                             e.total, "total")
        elif e.total is not None:
            self.formula(r, c["total"], f"={I}", e.total, "total")

    def window_entry(self, r: int, e: RankedEntry, block: Block) -> None:
        c = self.col
        columns = block.detail_columns
        if e.county:
            self.put(r, columns["county"], e.county)
        terms = []
        for k, line in enumerate(e.metrics, start=1):
            raw_col, scaled_col = columns[f"raw:{line.metric}"], columns[f"scaled:{line.metric}"]
            if e.ranked:
                cell = self.put(r, raw_col, line.used)
                if FLAG_METRIC_INVALID in e.flags and (line.value is None or line.value < 0):
                    cell.fill = FILL_MISSING
                    self.note(cell, L.NOTE_METRIC_INVALID)
                raw = _letter(raw_col)
                tier = f"{raw}${block.first_row}:{raw}${block.last_ranked_row}"
                self.formula(r, scaled_col, f"=IF(MAX({tier})=0,0,100*{raw}{r}/MAX({tier}))", line.scaled, "scaled")
                terms.append(f"{L.NAME_METRIC_WEIGHT.format(index=k)}*{_letter(scaled_col)}{r}")
            elif line.value is not None:
                self.put(r, raw_col, line.value).font = Font(color=GREY)
        if e.ranked and terms:
            self.formula(r, c["total"], f"=ROUND({'+'.join(terms)},{ROUND_DIGITS})", e.total, "total")

    def rank_formula(self, r: int, e: RankedEntry, block: Block, window: bool) -> None:
        c = self.col
        f, l = block.first_row, block.last_ranked_row

        def rng(key: str) -> str:
            col = _letter(c[key])
            return f"{col}${f}:{col}${l}"

        def me(key: str) -> str:
            return f"{_letter(c[key])}{r}"

        K, I, J = rng("total"), rng("expert_score"), rng("portal_score")
        k, i, j = me("total"), me("expert_score"), me("portal_score")
        if window or block.category == "star":
            text = f"=1+SUMPRODUCT(--({K}>{k}))"
        else:
            text = f"=1+SUMPRODUCT(({K}>{k})+({K}={k})*({I}>{i})+({K}={k})*({I}={i})*({J}>{j}))"
        self.formula(r, c["rank"], text, float(e.rank), "rank", number=False)

    def summary(self, block: Block, cat) -> None:
        s = cat.summary
        status_col = _letter(self.col["status"])
        name_col = _letter(self.col["name"])
        if block.last_row >= block.first_row:
            status = f"{status_col}{block.first_row}:{status_col}{block.last_row}"
            names = f"{name_col}{block.first_row}:{name_col}{block.last_row}"
        else:
            status = names = None
        col = 1
        cells = {}
        for key, label in L.SUMMARY_LABELS:
            self.put(block.summary_row, col, f"{label}数").font = Font(color=GREY)
            cells[key] = f"{_letter(col + 1)}{block.summary_row}"
            expected = float(getattr(s, key))
            if status is None:
                self.put(block.summary_row, col + 1, 0)
            elif key == "applications":
                self.formula(block.summary_row, col + 1, f"=COUNTA({names})", expected, "summary", number=False)
            elif key == "eligible":
                text = f"={cells['applications']}-COUNTIF({status},\"{RANK_STATUS_LABELS['prior_award_valid']}\")" \
                       f"-COUNTIF({status},\"{RANK_STATUS_LABELS['ineligible']}\")"
                self.formula(block.summary_row, col + 1, text, expected, "summary", number=False)
            else:
                status_key = {"selected": "selected", "pending": "tie_pending", "not_selected": "not_selected",
                              "prior_award": "prior_award_valid", "ineligible": "ineligible"}[key]
                self.formula(block.summary_row, col + 1, f"=COUNTIF({status},\"{RANK_STATUS_LABELS[status_key]}\")",
                             expected, "summary", number=False)
            value_cell = self.ws.cell(row=block.summary_row, column=col + 1)
            value_cell.font = Font(bold=True)
            value_cell.alignment = Alignment(horizontal="left")
            col += 2

    def marks(self, block: Block, entries: list[RankedEntry]) -> None:
        """Selected green, pending orange, shared ranks yellow, a thick line under the last selected."""
        c = self.col
        last_col = max(max(c.values()), max(block.detail_columns.values(), default=0))
        groups: dict[int, int] = {}
        for e in entries:
            if e.ranked:
                groups[e.rank] = groups.get(e.rank, 0) + 1
        last_selected = None
        for e in entries:
            r = block.rows[e.id]
            if e.status == SELECTED:
                self.ws.cell(row=r, column=c["status"]).fill = FILL_SELECTED
                last_selected = r
            elif e.status == TIE_PENDING:
                for col in range(1, max(c.values()) + 1):
                    self.ws.cell(row=r, column=col).fill = FILL_PENDING
            if e.ranked and groups[e.rank] > 1:
                cell = self.ws.cell(row=r, column=c["rank"])
                if e.status != TIE_PENDING:
                    cell.fill = FILL_TIE
                self.note(cell, f"并列第{e.rank}名（{groups[e.rank]}个）")
            if not e.ranked:
                for col in (c["name"], c["status"]):
                    cell = self.ws.cell(row=r, column=col)
                    cell.font = Font(color=GREY)
            elif e.status == NOT_SELECTED:
                self.ws.cell(row=r, column=c["status"]).font = Font(color=GREY)
        if last_selected is not None:
            for col in range(1, last_col + 1):
                cell = self.ws.cell(row=last_selected, column=col)
                cell.border = Border(bottom=THICK)

    def excluded(self, row: int) -> int:
        if not self.result.excluded_platforms:
            return row
        award = self.settings.award_name("window_city")
        self.put(row, 1, L.EXCLUDED_TITLE.format(award=award), bold=True)
        c = self.col
        r = row + 1
        for e in self.result.excluded_platforms:
            self.put(r, c["award"], award)
            self.put(r, c["tier"], L.TIER_EXCLUDED)
            self.put(r, c["name"], e.name).font = Font(color=GREY)
            self.put(r, c["city"], e.city)
            self.put(r, c["status"], RANK_STATUS_LABELS[e.status]).font = Font(color=GREY)
            self.put(r, c["remark"], e.reason)
            r += 1
        return r + 1

    def write(self) -> None:
        ws = self.ws = _fresh_sheet(self.wb, H.RANKING_SHEET, after=H.SCORES_SHEET)
        self.put(1, 1, L.TITLE.format(title=self.edition.title)).font = Font(bold=True, size=14)
        self.parameters(2)
        note = L.SHEET_NOTE + (L.ZSCORE_NOTE if self.zscore else "")
        self.put(4, 1, note).font = Font(color=GREY)
        row = 6
        for category in CATEGORIES:
            row = self.block(row, category)
        self.excluded(row)
        for f in self.schema.fields:
            ws.column_dimensions[_letter(self.col[f.key])].width = f.width
        widest = max((max(b.detail_columns.values(), default=0) for b in self.blocks.values()), default=0)
        for col in range(FIRST_DETAIL_COL, widest + 1):
            ws.column_dimensions[_letter(col)].width = 11
        ws.freeze_panes = "F5"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


# -- the analysis sheet ------------------------------------------------------------------
def _write_analysis(wb, ranking, edition: Edition) -> None:
    ws = _fresh_sheet(wb, L.ANALYSIS_SHEET, after=H.RANKING_SHEET)
    result, settings = ranking.result, ranking.data.settings
    bold = Font(bold=True)

    def put(r, c, value, *, b=False, number=False):
        cell = ws.cell(row=r, column=c, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if b:
            cell.font = bold
        if number:
            cell.number_format = NUMBER_FORMAT
        return cell

    def header(r, labels):
        for i, label in enumerate(labels, start=1):
            cell = put(r, i, label, b=True)
            cell.fill = FILL_HEADER

    def award_label(category):
        name = settings.award_name(category)
        if category == "window_city":
            return f"{name}（{L.TIER_CITY}）"
        if category == "window_county":
            return f"{name}（{L.TIER_COUNTY}）"
        return name

    put(1, 1, L.ANALYSIS_TITLE.format(title=edition.title)).font = Font(bold=True, size=14)
    r = 3
    put(r, 1, L.SUMMARY_TITLE, b=True)
    header(r + 1, L.SUMMARY_HEADERS)
    r += 2
    for category in CATEGORIES:
        s = result.categories[category].summary
        values = (award_label(category), s.quota, s.applications, s.eligible, s.selected, s.pending,
                  s.not_selected, s.prior_award, s.ineligible, s.too_few_scores)
        for i, v in enumerate(values, start=1):
            put(r, i, v)
        r += 1

    # sensitivity
    r += 1
    put(r, 1, L.SENSITIVITY_TITLE, b=True)
    header(r + 1, L.SENSITIVITY_HEADERS)
    r += 2
    sens = ranking.sensitivity
    for scenario in sens.scenarios:
        changes = sens.for_scenario(scenario.key)
        changed_lists = "、".join(settings.award_name(c) for c in scenario.categories)
        selection_changes = any(SELECTED in (ch.baseline_status, ch.alternative_status) for ch in changes)
        put(r, 1, scenario.label)
        put(r, 2, changed_lists)
        put(r, 3, len(changes))
        cell = put(r, 4, L.YES if selection_changes else L.NO, b=selection_changes)
        if selection_changes:
            cell.fill = FILL_PENDING
        r += 1
    r += 1
    put(r, 1, L.SENSITIVITY_DETAIL_TITLE, b=True)
    r += 1
    if not sens.changes:
        put(r, 1, L.SENSITIVITY_NONE)
        r += 1
    else:
        header(r, L.SENSITIVITY_DETAIL_HEADERS)
        r += 1
        labels = {s.key: s.label for s in sens.scenarios}
        for ch in sens.changes:
            values = (labels[ch.scenario], settings.award_name(ch.category), ch.id, ch.name, ch.city,
                      ch.baseline_rank, RANK_STATUS_LABELS[ch.baseline_status], ch.baseline_total,
                      ch.alternative_rank, RANK_STATUS_LABELS[ch.alternative_status], ch.alternative_total)
            for i, v in enumerate(values, start=1):
                put(r, i, v, number=i in (8, 11))
            r += 1

    # histogram of totals per list
    r += 1
    put(r, 1, L.HISTOGRAM_TITLE, b=True)
    hist_header = r + 1
    header(hist_header, (L.HISTOGRAM_BIN, *(award_label(c) for c in CATEGORIES)))
    r = hist_header + 1
    for low, high, label in L.HISTOGRAM_BINS:
        put(r, 1, label)
        for i, category in enumerate(CATEGORIES, start=2):
            n = sum(1 for e in result.categories[category].entries
                    if e.ranked and e.total is not None and e.total >= low and (high is None or e.total < high))
            put(r, i, n)
        r += 1
    hist_last = r - 1
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = L.CHART_HISTOGRAM
    chart.y_axis.title = L.AXIS_COUNT
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(CATEGORIES), min_row=hist_header, max_row=hist_last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=hist_header + 1, max_row=hist_last))
    _axes(chart)
    next_chart = _place(ws, chart, hist_header, 0)

    # per city
    r += 1
    put(r, 1, L.CITY_TITLE, b=True)
    city_header = r + 1
    header(city_header, L.CITY_HEADERS)
    r = city_header + 1
    entries = [e for c in CATEGORIES for e in result.categories[c].entries]
    for city in edition.divisions.city_names:
        put(r, 1, city)
        put(r, 2, sum(1 for e in entries if e.city == city))
        put(r, 3, sum(1 for e in entries if e.city == city and e.status == SELECTED))
        r += 1
    city_last = r - 1
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = L.CHART_CITY
    chart.y_axis.title = L.AXIS_COUNT
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=city_header, max_row=city_last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=city_header + 1, max_row=city_last))
    chart.width = 22
    _axes(chart)
    next_chart = _place(ws, chart, city_header, next_chart)

    # each expert's mean against the panel's
    r += 1
    put(r, 1, L.EXPERT_TITLE, b=True)
    expert_header = r + 1
    header(expert_header, L.EXPERT_HEADERS)
    r = expert_header + 1
    for row in expert_means(result):
        for i, v in enumerate(row, start=1):
            put(r, i, v, number=i >= 4)
        r += 1
    expert_last = r - 1
    if expert_last > expert_header:
        chart = BarChart()
        chart.type, chart.grouping = "col", "clustered"
        chart.title = L.CHART_EXPERT
        chart.y_axis.title = L.AXIS_SCORE
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=expert_header, max_row=expert_last),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, max_col=2, min_row=expert_header + 1, max_row=expert_last))
        chart.width = 24
        _axes(chart)
        _place(ws, chart, expert_header, next_chart)
    for col, width in zip("ABCDEFGHIJK", (30, 22, 12, 16, 12, 10, 10, 10, 10, 10, 10)):
        ws.column_dimensions[col].width = width


CHART_ROWS = 20  # rows a chart of height 9 cm covers, with a margin


def _axes(chart) -> None:
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    chart.height = 9
    chart.width = max(chart.width, 18)
    chart.legend.position = "b"


def _place(ws, chart, row: int, free_from: int) -> int:
    """Anchor ``chart`` in column M beside its table, below the previous chart; returns the next free row."""
    at = max(row, free_from)
    ws.add_chart(chart, f"M{at}")
    return at + CHART_ROWS


def expert_means(result) -> list[tuple[str, str, int, float, float]]:
    """(expert, award, counted scores, the expert's mean, the panel's mean) per expert and reviewed award."""
    rows = []
    for category in ("star", "institution", "expert", "product"):
        cat = result.categories[category]
        by_expert: dict[str, list[float]] = {}
        names: dict[str, str] = {}
        for e in cat.entries:
            for line in e.scores:
                if line.counted and line.score is not None:
                    by_expert.setdefault(line.expert_id, []).append(line.score)
                    names[line.expert_id] = line.expert_name
        everything = [s for scores in by_expert.values() for s in scores]
        if not everything:
            continue
        panel = sum(everything) / len(everything)
        for expert_id in sorted(by_expert):
            scores = by_expert[expert_id]
            rows.append((f"{expert_id} {names[expert_id]}".strip(), cat.award_name, len(scores),
                         sum(scores) / len(scores), panel))
    return rows


def write_ranking_sheets(wb, ranking, edition: Edition) -> WrittenRanking:
    """Write ``排名`` and ``排名分析`` into the openpyxl workbook ``wb`` (the caller saves it)."""
    writer = _Writer(wb, ranking, edition)
    writer.write()
    _write_analysis(wb, ranking, edition)
    return WrittenRanking(writer.formulas, writer.blocks, writer.names, writer.col, writer.fallbacks, writer.zscore)

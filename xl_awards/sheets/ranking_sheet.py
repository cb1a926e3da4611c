"""The ``排名`` sheet as data (pure core): every cell's value or formula, its style keys and note,
the workbook names the formulas use, and Python's expected value for each formula cell.

Shared by the command line's openpyxl writer (``xl_awards.io.ranking_sheet``, which adds
fonts, fills, borders, notes and the ``排名分析`` side sheet with charts) and the 计算排名 button
(``xl_awards.excel.buttons.xl_rank``, which writes the same grid through xlwings in one
``range.formula = grid`` call), so both put the same live formulas in the same cells.

Layout: title (row 1), 计算参数 (rows 2-3: labels, then ``=专家权重`` ... pointing at 设置),
the sheet note (row 4), then from row 6 one block per list (市州 / 县市区 window platforms,
服务之星, 优秀服务机构, 优秀服务专家, 创新服务产品) — a title row, a summary row (live COUNTIF
formulas), a header row and the entries, ranked first, then the unranked ones (too few
scores, 往年获奖, 不符合条件) — and last the window platforms that do not take part.
Columns A–M are the ``排名`` schema's, in the same place in every block, so the sheet reads
back as one table by its labels (``xl_awards.hub.scoring_inputs.ranking_rows``); each block's detail
columns follow:

- reviewed lists: one column per expert of the award.  A counted score is a number; the
  dropped highest / lowest are struck through on grey; a recused or conflicting score is left
  out of the cell (grey, with a note), so the formulas never see it.  A list with more than
  ``MAX_EXPERT_COLUMNS`` experts (each application reviewed by a few of many) has instead one
  column per score, 评分1, 评分2 ... in expert order, and a text column naming the experts of the
  row in that order (the formulas read the score columns only: the same as by expert);
- window platforms: 所属县市区, then each metric raw and scaled.

Live formulas (Python's numbers equal what they compute; a test recalculates in LibreOffice
and compares every one): 有效评分数 ``COUNT``, 专家评审得分 (trimmed mean with the threshold from
设置, or the mean; under the z-score method a number and a note), 总分 (the 设置 weights
through workbook names ``专家权重`` / ``官网权重`` / ``指标权重1``…), the scaled window metrics
``100*raw/MAX(tier)``, and 排名 by SUMPRODUCT over the block's keys (total, then review score,
then 官网备案得分).  Scores and totals are ROUNDed to 9 decimals inside the formulas so that
exactly equal totals (0.7×87+0.3×84 and 0.7×84+0.3×91) are equal in Excel as well.  Status
is text from Python.

Cells are addressed (row, column), both 1-based.  Style keys (``STYLE_*``) name what a cell
looks like; a writer applies them in the order given, a later key of the same kind (font,
fill, alignment) replacing an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from xl_awards.edition import Edition
from xl_awards.base.addresses import cell_address, column_letter
from xl_awards.base.tables import find_header
from xl_awards.base.messages import AGGREGATION_LABELS, RANK_STATUS_LABELS
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L
from xl_awards.scoring import CATEGORIES, INELIGIBLE, NOT_SELECTED, PRIOR_AWARD_VALID, SELECTED, TIE_PENDING
from xl_awards.scoring.model import (
    DROPPED_HIGH,
    DROPPED_LOW,
    EXCLUDED_CONFLICT,
    EXCLUDED_RECUSED,
    FLAG_METRIC_INVALID,
    FLAG_PORTAL_MISSING,
    RankedEntry,
)
from xl_awards.scoring.categories import WEIGHTED_CATEGORIES

def number_format(decimals: int) -> str:
    """Excel number format showing ``decimals`` places (edition ``scoring.decimals``: 2 -> ``0.00``);
    the cells hold full precision (SPEC section 5)."""
    return "0." + "0" * decimals if decimals > 0 else "0"
ROUND_DIGITS = 9
FIRST_DETAIL_COL = 14  # N: after the schema's 13 columns
SLOT_KEY = "slot:"  # detail_columns keys of the score columns (slot:1, slot:2 ...) when a list has too many experts
SLOT_EXPERTS_KEY = "slot_experts"  # and of the column naming the experts of each row
DETAIL_WIDTH = 11
SLOT_EXPERTS_WIDTH = 60
HEADER_HEIGHT = 30
PARAMETER_HEIGHT = 44
FREEZE = "F5"
TEXT_PREFIXES = ("=", "+", "-", "@", "'")  # text Excel would parse (or strip): written with a leading '

# Style keys.  Font: bold, sheet_title, block_title, grey, strike.  Fill: fill_title,
# fill_header, selected, pending, tie, dropped, excluded, missing.  Alignment: wrap_center,
# center, left.  Number format: number.  Border: quota_line (thick line under the last selected).
STYLE_BOLD = "bold"
STYLE_SHEET_TITLE = "sheet_title"
STYLE_BLOCK_TITLE = "block_title"
STYLE_GREY = "grey"
SIGNATURE_COLUMN = 5  # E (名称): the signature line under each list
SIGNATURE_DATE_COLUMN = 11  # K (总分)
SIGNATURE_HEIGHT = 36
STYLE_STRIKE = "strike"
STYLE_FILL_TITLE = "fill_title"
STYLE_FILL_HEADER = "fill_header"
STYLE_SELECTED = "selected"
STYLE_PENDING = "pending"
STYLE_TIE = "tie"
STYLE_DROPPED = "dropped"
STYLE_EXCLUDED = "excluded"
STYLE_MISSING = "missing"
STYLE_WRAP_CENTER = "wrap_center"
STYLE_CENTER = "center"
STYLE_LEFT = "left"
STYLE_NUMBER = "number"
STYLE_QUOTA_LINE = "quota_line"

# Fill colours (RRGGBB) of the fill style keys.
FILLS = {
    STYLE_FILL_TITLE: "DDEBF7",
    STYLE_FILL_HEADER: "E2EFDA",
    STYLE_SELECTED: "C6EFCE",
    STYLE_PENDING: "F8CBAD",
    STYLE_TIE: "FFF2CC",
    STYLE_DROPPED: "D9D9D9",
    STYLE_EXCLUDED: "EDEDED",
    STYLE_MISSING: "FFC7CE",
}
GREY = "808080"

Grid = list[list[Any]]
Cell = tuple[int, int]  # (row, column), 1-based


@dataclass(frozen=True, slots=True)
class FormulaCell:
    """A formula written, with the value Python computed for it (None: the formula should give blank)."""

    sheet: str
    cell: str  # A1 address
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
    detail_columns: dict[str, int] = field(default_factory=dict)  # expert id (or slot:n) / metric(+raw|scaled) -> column
    slots: int = 0  # score columns when a column per expert would be too many (0: a column per expert)
    rows: dict[str, int] = field(default_factory=dict)  # entry id -> row


@dataclass
class RankingLayout:
    """The ``排名`` sheet: values (formulas are strings starting with ``=``), styles, notes, names."""

    sheet: str
    values: dict[Cell, Any] = field(default_factory=dict)
    formula_cells: set[Cell] = field(default_factory=set)
    formulas: list[FormulaCell] = field(default_factory=list)
    styles: dict[Cell, tuple[str, ...]] = field(default_factory=dict)  # style keys in order (lists while built)
    notes: dict[Cell, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # defined name -> what it points at (no leading =)
    fallbacks: list[str] = field(default_factory=list)  # names that could not point at 设置
    blocks: dict[str, Block] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)  # schema key -> column
    column_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    freeze: str = FREEZE
    zscore: bool = False
    number_format: str = "0.00"

    @property
    def last_row(self) -> int:
        return max((r for r, _ in (*self.values, *self.styles)), default=0)

    @property
    def last_column(self) -> int:
        return max((c for _, c in (*self.values, *self.styles)), default=0)

    def is_formula(self, row: int, col: int) -> bool:
        return (row, col) in self.formula_cells

    def formula_grid(self) -> Grid:
        """The whole sheet from A1 as one rectangular 2-D list for ``range.formula = grid``.

        Formula cells are their formula text, blanks None, numbers as they are; text that
        Excel would take for a formula (or whose leading ``'`` it would strip) gets a ``'``.
        """
        rows, cols = self.last_row, max((c for _, c in self.values), default=0)
        grid: Grid = [[None] * cols for _ in range(rows)]
        for (r, c), value in self.values.items():
            if isinstance(value, str) and (r, c) not in self.formula_cells and value.startswith(TEXT_PREFIXES):
                value = "'" + value
            grid[r - 1][c - 1] = value
        return grid

    def ranges(self, key: str) -> list[tuple[int, int, int, int]]:
        """Rectangles (first row, first column, last row, last column) covering the cells styled ``key``.

        Within one block (or one row outside the blocks), a column's styled cells are joined
        into one run; for the number format, empty cells between them may be covered too (a
        format on an empty cell shows nothing).  Adjacent columns with equal runs merge.
        """
        bridge_blanks = key == STYLE_NUMBER
        region = self._regions()
        by_col: dict[int, list[int]] = {}
        for (r, c), keys in self.styles.items():
            if key in keys:
                by_col.setdefault(c, []).append(r)
        runs: dict[tuple[int, int], list[int]] = {}
        for c, rows in by_col.items():
            rows.sort()
            start = prev = rows[0]
            for r in rows[1:]:
                between = range(prev + 1, r)
                joinable = region(prev) == region(r) and all(
                    bridge_blanks and self.values.get((x, c)) is None for x in between)
                if not joinable:
                    runs.setdefault((start, prev), []).append(c)
                    start = r
                prev = r
            runs.setdefault((start, prev), []).append(c)
        out = []
        for (r1, r2), cols in runs.items():
            cols.sort()
            first = last = cols[0]
            for c in cols[1:]:
                if c != last + 1:
                    out.append((r1, first, r2, last))
                    first = c
                last = c
            out.append((r1, first, r2, last))
        return sorted(out)

    def _regions(self):
        spans = [(b.title_row, b.last_row) for b in self.blocks.values()]

        def region(row: int):
            for i, (a, b) in enumerate(spans):
                if a <= row <= b:
                    return i
            return ("row", row)

        return region


# -- helpers --------------------------------------------------------------------------------
def _letter(col: int) -> str:
    """This layout counts columns from 1, as Excel does (``base.addresses`` takes 0-based indices)."""
    return column_letter(col - 1)


def _address(row: int, col: int) -> str:
    return cell_address(row, col - 1)


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference writes it: always quoted, inner quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def find_sheet(names: Iterable[str], wanted: str) -> str | None:
    """The name among ``names`` equal to ``wanted`` once all whitespace is removed."""
    key = "".join(wanted.split())
    for name in names:
        if "".join(name.split()) == key:
            return name
    return None


def settings_cells(title: str, grid: Grid) -> dict[str, tuple[str, Any]]:
    """设置 key -> (absolute reference of its 值 cell, the cell's value), from the sheet's grid (from A1)."""
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
            out[key.strip()] = (f"{quote_sheet(title)}!${_letter(col)}${r + 1}", value)
    return out


# -- the layout -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, ranking, edition: Edition, settings_sheet: tuple[str, Grid] | None):
        self.ranking = ranking
        self.result = ranking.result
        self.data = ranking.data
        self.settings = ranking.data.settings
        self.edition = edition
        self.settings_sheet = settings_sheet
        self.schema = H.hub_sheet(H.build_hub_schema(edition), H.RANKING_SHEET)
        self.col = {f.key: i for i, f in enumerate(self.schema.fields, start=1)}
        self.out = RankingLayout(sheet=H.RANKING_SHEET, columns=dict(self.col),
                                 zscore=self.settings.aggregation == "zscore",
                                 number_format=number_format(self.settings.decimals))
        self.zscore = self.out.zscore

    # cells
    def put(self, row: int, col: int, value: Any, *styles: str) -> Cell:
        if value is not None:
            self.out.values[(row, col)] = value
        self.style((row, col), *styles)
        return (row, col)

    def style(self, cell: Cell, *styles: str) -> None:
        if styles:
            self.out.styles.setdefault(cell, []).extend(styles)

    def formula(self, row: int, col: int, text: str, expected: float | None, what: str, *styles: str) -> Cell:
        cell = self.put(row, col, text, *styles)
        self.out.formula_cells.add(cell)
        self.out.formulas.append(FormulaCell(self.out.sheet, _address(row, col), text, expected, what))
        return cell

    def note(self, cell: Cell, text: str) -> None:
        old = self.out.notes.get(cell)
        self.out.notes[cell] = text if old is None else old + "\n" + text

    # names and parameters
    def parameters(self, row: int) -> None:
        """Labels in ``row``, values under them (``=专家权重`` ... pointing at 设置), from column D on."""
        cells = settings_cells(*self.settings_sheet) if self.settings_sheet else {}
        s = self.settings
        wanted = [
            (L.NAME_EXPERT_WEIGHT, "scoring.expert_weight", L.PARAM_EXPERT_WEIGHT, s.expert_weight),
            (L.NAME_PORTAL_WEIGHT, "scoring.portal_weight", L.PARAM_PORTAL_WEIGHT, s.portal_weight),
            (L.NAME_TRIM_THRESHOLD, "scoring.trim_threshold", L.PARAM_TRIM, s.trim_threshold),
        ]
        for i, (metric, weight) in enumerate(zip(s.window_metrics, s.window_metric_weights), start=1):
            wanted.append((L.NAME_METRIC_WEIGHT.format(index=i), f"awards.window.metric_weights.{i}",
                           L.PARAM_METRIC_WEIGHT.format(metric=metric), weight))
        self.put(row, 1, L.PARAMETERS, STYLE_BOLD)
        col = self.col["app_id"]
        for name, key, label, value in wanted:
            self.put(row, col, label, STYLE_WRAP_CENTER)
            target = cells.get(key)
            if target is not None and _is_number(target[1]) and abs(float(target[1]) - float(value)) < 1e-12:
                self.out.names[name] = target[0]
                self.formula(row + 1, col, f"={name}", float(value), "parameter", STYLE_CENTER)
            else:
                self.out.names[name] = f"{quote_sheet(self.out.sheet)}!${_letter(col)}${row + 1}"
                self.out.fallbacks.append(name)
                cell = self.put(row + 1, col, value, STYLE_CENTER)
                self.note(cell, L.PARAM_FALLBACK_NOTE.format(value=value))
            col += 1
        self.put(row, col, L.PARAM_MIN_SCORES, STYLE_WRAP_CENTER)
        self.put(row + 1, col, s.min_counted_scores, STYLE_CENTER)
        self.put(row, col + 1, L.PARAM_METHOD, STYLE_WRAP_CENTER)
        self.put(row + 1, col + 1, AGGREGATION_LABELS[s.aggregation], STYLE_CENTER)
        self.out.row_heights[row] = PARAMETER_HEIGHT

    # blocks
    def header(self, row: int, detail: list[str]) -> None:
        self.out.row_heights[row] = HEADER_HEIGHT
        labels = [(self.col[f.key], f.label) for f in self.schema.fields]
        labels += [(FIRST_DETAIL_COL + i, label) for i, label in enumerate(detail)]
        for col, label in labels:
            self.put(row, col, label, STYLE_BOLD, STYLE_FILL_HEADER, STYLE_WRAP_CENTER)

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
                      detail_columns={k: FIRST_DETAIL_COL + i for i, k in enumerate(detail_keys)},
                      slots=sum(1 for k in detail_keys if k.startswith(SLOT_KEY)))
        self.put(title_row, 1, title, STYLE_BLOCK_TITLE)
        for c in range(1, max(self.col.values()) + 1):
            self.style((title_row, c), STYLE_FILL_TITLE)
        self.header(header_row, detail_labels)
        for i, e in enumerate(entries):
            r = first + i
            block.rows[e.id] = r
            self.entry(r, e, block, window)
        self.summary(block, cat)
        self.marks(block, entries)
        self.out.blocks[category] = block
        # the signature block for the filed paper copy, in the blank row under the list
        self.put(block.last_row + 1, SIGNATURE_COLUMN, L.SIGNATURE_LABEL, STYLE_BOLD)
        self.put(block.last_row + 1, SIGNATURE_DATE_COLUMN, L.SIGNATURE_DATE_LABEL, STYLE_BOLD)
        self.out.row_heights[block.last_row + 1] = SIGNATURE_HEIGHT
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
        if len(ids) > L.MAX_EXPERT_COLUMNS:
            slots = max(len(e.scores) for e in entries)
            return ([f"{SLOT_KEY}{n}" for n in range(1, slots + 1)] + [SLOT_EXPERTS_KEY],
                    [L.SCORE_SLOT_COLUMN.format(n=n) for n in range(1, slots + 1)] + [L.SLOT_EXPERTS_COLUMN])
        names = dict(self.data.expert_names)
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
        flag = "" if window else self.data.flags.get((category, e.id), "")
        remark = "\n".join(x for x in (flag, e.reason) if x)
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
        if block.slots:
            lines = sorted(e.scores, key=lambda line: line.expert_id)
            slot_of = {id(line): columns[f"{SLOT_KEY}{n}"] for n, line in enumerate(lines, start=1)}
            if lines:
                self.put(r, columns[SLOT_EXPERTS_KEY],
                         "、".join(f"{line.expert_id} {line.expert_name}".strip() for line in lines))
            columns = {k: v for k, v in columns.items() if k.startswith(SLOT_KEY)}
        for line in e.scores:
            col = slot_of[id(line)] if block.slots else columns[line.expert_id]
            label = f"{line.expert_id} {line.expert_name}".strip()
            if line.counted:
                cell = self.put(r, col, line.score, STYLE_NUMBER)
                if line.dropped == DROPPED_HIGH or line.dropped == DROPPED_LOW:
                    self.style(cell, STYLE_STRIKE, STYLE_DROPPED)
                    if not block.slots:  # a large list: the sheet note explains the grey strike-through (at 100x,
                        # a note on two scores of every application would be 140,000 notes)
                        self.note(cell, L.NOTE_DROPPED_HIGH if line.dropped == DROPPED_HIGH else L.NOTE_DROPPED_LOW)
                if self.zscore and line.used is not None:
                    self.note(cell, L.NOTE_ZSCORE_SCORE.format(value=f"{line.used:.4f}"))
            else:
                cell = self.put(r, col, None, STYLE_EXCLUDED)
                text = {EXCLUDED_RECUSED: L.NOTE_RECUSED, EXCLUDED_CONFLICT: L.NOTE_CONFLICT}.get(
                    line.excluded, L.NOTE_BLANK).format(expert=label)
                if line.score is not None:
                    text += f"（{line.score:g}）"
                self.note(cell, text)
        if not columns:
            return
        rng = f"{_letter(min(columns.values()))}{r}:{_letter(max(columns.values()))}{r}"
        self.formula(r, c["score_count"], f"=COUNT({rng})", float(e.counted), "count")
        if e.counted and e.expert_score is not None:
            if self.zscore:
                self.put(r, c["expert_score"], e.expert_score, STYLE_NUMBER)
            elif self.settings.aggregation == "mean":
                self.formula(r, c["expert_score"], f"=ROUND(AVERAGE({rng}),{ROUND_DIGITS})", e.expert_score,
                             "aggregate", STYLE_NUMBER)
            else:
                text = (f"=ROUND(IF(COUNT({rng})>=MAX({L.NAME_TRIM_THRESHOLD},3),"
                        f"(SUM({rng})-MAX({rng})-MIN({rng}))/(COUNT({rng})-2),AVERAGE({rng})),{ROUND_DIGITS})")
                self.formula(r, c["expert_score"], text, e.expert_score, "aggregate", STYLE_NUMBER)
        i_cell = _address(r, c["expert_score"])
        j_cell = _address(r, c["portal_score"])
        if block.category in WEIGHTED_CATEGORIES:
            if e.total is None and e.status in (PRIOR_AWARD_VALID, INELIGIBLE):
                return  # not competing and not scored: nothing to show
            cell = self.put(r, c["portal_score"], e.portal_score, STYLE_NUMBER)
            if FLAG_PORTAL_MISSING in e.flags:
                self.style(cell, STYLE_MISSING)
                self.note(cell, L.NOTE_PORTAL_MISSING)
            if e.total is not None:
                self.formula(r, c["total"],
                             f"=ROUND({L.NAME_EXPERT_WEIGHT}*{i_cell}+{L.NAME_PORTAL_WEIGHT}*{j_cell},{ROUND_DIGITS})",
                             e.total, "total", STYLE_NUMBER)
        elif e.total is not None:
            self.formula(r, c["total"], f"={i_cell}", e.total, "total", STYLE_NUMBER)

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
                    self.style(cell, STYLE_MISSING)
                    self.note(cell, L.NOTE_METRIC_INVALID)
                raw = _letter(raw_col)
                tier = f"{raw}${block.first_row}:{raw}${block.last_ranked_row}"
                self.formula(r, scaled_col, f"=IF(MAX({tier})=0,0,100*{raw}{r}/MAX({tier}))", line.scaled,
                             "scaled", STYLE_NUMBER)
                terms.append(f"{L.NAME_METRIC_WEIGHT.format(index=k)}*{_address(r, scaled_col)}")
            elif line.value is not None:
                self.put(r, raw_col, line.value, STYLE_GREY)
        if e.ranked and terms:
            self.formula(r, c["total"], f"=ROUND({'+'.join(terms)},{ROUND_DIGITS})", e.total, "total", STYLE_NUMBER)

    def rank_formula(self, r: int, e: RankedEntry, block: Block, window: bool) -> None:
        c = self.col
        f, last = block.first_row, block.last_ranked_row

        def rng(key: str) -> str:
            col = _letter(c[key])
            return f"{col}${f}:{col}${last}"

        def me(key: str) -> str:
            return _address(r, c[key])

        K, I, J = rng("total"), rng("expert_score"), rng("portal_score")
        k, i, j = me("total"), me("expert_score"), me("portal_score")
        if window or block.category == "star":
            text = f"=1+SUMPRODUCT(--({K}>{k}))"
        else:
            text = f"=1+SUMPRODUCT(({K}>{k})+({K}={k})*({I}>{i})+({K}={k})*({I}={i})*({J}>{j}))"
        self.formula(r, c["rank"], text, float(e.rank), "rank")

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
        row = block.summary_row
        for key, label in L.SUMMARY_LABELS:
            self.put(row, col, f"{label}数", STYLE_GREY)
            cells[key] = _address(row, col + 1)
            expected = float(getattr(s, key))
            if status is None:
                self.put(row, col + 1, 0)
            elif key == "applications":
                self.formula(row, col + 1, f"=COUNTA({names})", expected, "summary")
            elif key == "eligible":
                text = f"={cells['applications']}-COUNTIF({status},\"{RANK_STATUS_LABELS['prior_award_valid']}\")" \
                       f"-COUNTIF({status},\"{RANK_STATUS_LABELS['ineligible']}\")"
                self.formula(row, col + 1, text, expected, "summary")
            else:
                status_key = {"selected": "selected", "pending": "tie_pending", "not_selected": "not_selected",
                              "prior_award": "prior_award_valid", "ineligible": "ineligible"}[key]
                self.formula(row, col + 1, f"=COUNTIF({status},\"{RANK_STATUS_LABELS[status_key]}\")",
                             expected, "summary")
            self.style((row, col + 1), STYLE_BOLD, STYLE_LEFT)
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
                self.style((r, c["status"]), STYLE_SELECTED)
                last_selected = r
            elif e.status == TIE_PENDING:
                for col in range(1, max(c.values()) + 1):
                    self.style((r, col), STYLE_PENDING)
            if e.ranked and groups[e.rank] > 1:
                if e.status != TIE_PENDING:
                    self.style((r, c["rank"]), STYLE_TIE)
                self.note((r, c["rank"]), f"并列第{e.rank}名（{groups[e.rank]}个）")
            if not e.ranked:
                for col in (c["name"], c["status"]):
                    self.style((r, col), STYLE_GREY)
            elif e.status == NOT_SELECTED:
                self.style((r, c["status"]), STYLE_GREY)
        if last_selected is not None:
            for col in range(1, last_col + 1):
                self.style((last_selected, col), STYLE_QUOTA_LINE)

    def excluded(self, row: int) -> int:
        if not self.result.excluded_platforms:
            return row
        award = self.settings.award_name("window_city")
        self.put(row, 1, L.EXCLUDED_TITLE.format(award=award), STYLE_BOLD)
        c = self.col
        r = row + 1
        for e in self.result.excluded_platforms:
            self.put(r, c["award"], award)
            self.put(r, c["tier"], L.TIER_EXCLUDED)
            self.put(r, c["name"], e.name, STYLE_GREY)
            self.put(r, c["city"], e.city)
            self.put(r, c["status"], RANK_STATUS_LABELS[e.status], STYLE_GREY)
            self.put(r, c["remark"], e.reason)
            r += 1
        return r + 1

    def build(self) -> RankingLayout:
        self.put(1, 1, L.TITLE.format(title=self.edition.title), STYLE_SHEET_TITLE)
        self.parameters(2)
        self.put(4, 1, L.SHEET_NOTE + (L.ZSCORE_NOTE if self.zscore else ""), STYLE_GREY)
        row = 6
        for category in CATEGORIES:
            row = self.block(row, category)
        self.excluded(row)
        for f in self.schema.fields:
            self.out.column_widths[self.col[f.key]] = f.width
        widest = max((max(b.detail_columns.values(), default=0) for b in self.out.blocks.values()), default=0)
        for col in range(FIRST_DETAIL_COL, widest + 1):
            self.out.column_widths[col] = DETAIL_WIDTH
        for b in self.out.blocks.values():
            if SLOT_EXPERTS_KEY in b.detail_columns:  # the experts of each row: wide enough for a few names
                col = b.detail_columns[SLOT_EXPERTS_KEY]
                self.out.column_widths[col] = max(self.out.column_widths.get(col, 0), SLOT_EXPERTS_WIDTH)
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # a few dozen combinations over a million cells
        styles = self.out.styles
        for cell, keys in styles.items():
            key = tuple(keys)
            styles[cell] = shared.setdefault(key, key)
        return self.out


def ranking_layout(ranking, edition: Edition, settings_sheet: tuple[str, Grid] | None = None) -> RankingLayout:
    """The ``排名`` sheet for ``ranking`` (``xl_awards.hub.scoring_inputs.compute_ranking(hub)``).

    ``settings_sheet`` is the hub's ``设置`` sheet as (its name in the workbook, its values
    from A1): a weight whose 设置 cell holds the number used gets a workbook name pointing
    there; otherwise (missing, text such as "60%") the name points at the value written in
    the 计算参数 row of ``排名`` (listed in ``fallbacks``).
    """
    return _Builder(ranking, edition, settings_sheet).build()

"""The per-row ``检查`` formula of the intake template, built from a SheetSchema.

The formula is a second implementation of ``xl_awards.intake.cells``: for every
row it must show exactly ``check_column_text(sheet, issues)`` for the issues
``check_row_cells`` finds, restricted to the rules that have a short text in
``messages.RULES`` (required, choice, integer, number, range, text_min_chars,
text_max_chars, id_card, uscc, code_as_number): the short texts in field order joined by ``；``,
``通过`` when there are none, and ``""`` for a completely blank row.  The tests
recalculate a filled workbook in LibreOffice and compare both.

Only functions Excel 2010+, WPS and LibreOffice all have are used (TRIM, CLEAN,
SUBSTITUTE, ASC, UPPER, LEN, LEFT, MID, RIGHT, FIND, VALUE, TEXT, SUMPRODUCT
with array constants, DATE, DAY, MOD, INT, IF, AND, OR, IFERROR, ISNUMBER,
ISLOGICAL).  No TEXTJOIN/LET/LAMBDA: the texts are joined as
``SUBSTITUTE("通过"&"；a"&"；b", "通过；", "", 1)``.

Hidden helper columns (after ``检查``) hold the normalised value of the fields
whose checks need it several times, so that no formula comes near Excel's
8192-character limit: the number for 整数/数字 fields (or ``#`` when the text is
not a number) and the compacted code for 身份证号码 and 统一社会信用代码 (``#`` for a
number of 16 or more digits, whose tail Excel has already turned into zeros).

Mirroring ``normalize.py`` / ``checks/cells.py`` / ``checks/ids.py``:

- "blank" and text stripping: ``TRIM(CLEAN(..))`` after turning the full-width
  space (U+3000) and the no-break space (U+00A0) into spaces; CLEAN removes tab
  and line breaks.  Character counts are ``LEN`` of the text with all of those
  removed (Python: ``count_chars``, whitespace not counted).
- full-width digits and letters (Python: NFKC) via ``ASC``; numbers typed as
  text with an optional sign, thousands commas and at most one decimal point
  (Python: the ``_NUMBER`` pattern); yes/no words from ``normalize.YES_WORDS`` /
  ``NO_WORDS``, case-insensitive; choice values with all inner whitespace removed.
- 身份证号码: 18 characters, 17 digits then a digit or X, a real birth date
  (checked by a DATE round trip in the same year of the 400-year Gregorian
  cycle, so years before 1900 work as in Python), and the GB 11643 check digit.
- 统一社会信用代码: 18 characters, 8 digits, then characters of the GB 32100
  alphabet, and the check character (weights 3**i mod 31); the dash-like
  characters python-stdnum deletes are deleted here too.
- conditional requirement (``Field.exempt_when``) and the dynamic choice lists,
  resolved as ``workbook_choice_lists`` describes.

Known gaps (inputs nobody types into these forms; the hub's Python checks decide):

- Whitespace other than space, tab, CR, LF, U+3000 and U+00A0 (e.g. U+2003 em
  space, U+2028) counts as a character and is not stripped by the formula;
  other ASCII control characters (U+0001..U+001F) are removed by CLEAN, while
  Python counts them.
- NFKC folds more than ASC: compatibility characters that NFKC expands or
  changes (``㈱``, ``ﬁ``, mathematical digits, Arabic-Indic digits) differ.
  Characters outside the Basic Multilingual Plane count as 2 in Excel's LEN.
- TRUE/FALSE cells: Python reads them as 是/否 (valid in a 是/否 column, not a
  number).  Excel agrees (ISLOGICAL).  LibreOffice has no boolean cell type: a
  TRUE typed into a cell the template formats as text or number is the number 1
  there, so its 检查 shows 不在选项中 for a 是/否 column and accepts it as an
  integer.  In a text field Python counts ``是`` (1 character), LibreOffice ``1``
  and Excel ``TRUE`` (4).
- An 18-digit ID stored as a number (the template formats ID columns as text, so
  only a paste can do this) has lost its last digits in Excel; Python and Excel
  may then disagree on the check digit of the garbled number.
- Dates stored as numbers in an integer column are numbers to Excel and errors
  to Python.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field as dc_field
from typing import Any

from xl_awards.base import messages, normalize as nz
from xl_awards.intake.cells import ChoiceLists
from xl_awards.intake.ids import USCC_ALPHABET
from xl_awards.base.addresses import cell_address
from xl_awards.schema import CHOICES_CITIES, CHOICES_COUNTIES, Field, FieldType as T, SheetSchema

# Workbook-level defined names the formulas and the drop-downs refer to.
CITY_LIST_NAME = "list_cities"  # the workbook's 市州 (one city, or all in the blank template)
COUNTY_LIST_NAME = "list_counties"  # the workbook's 县市区 for the drop-down
TABLE_CITY_NAME = "tbl_city"  # city column of the full city/county table (all divisions)
TABLE_COUNTY_NAME = "tbl_county"  # county column of that table

HELPER_TYPES = (T.INTEGER, T.DECIMAL, T.ID_CARD, T.USCC)
HELPER_HEADER_PREFIX = "辅助_"  # header of a hidden helper column; never equals a field label
INVALID_NUMBER = "#"  # what a number helper holds for text that is not a number

FULL_WIDTH_SPACE = "\u3000"
NO_BREAK_SPACE = "\u00a0"
# Characters python-stdnum's clean() turns into '-' (then deleted from a USCC).
# Whitespace among them is already removed by the stripping above.
DASH_LIKE = "\u058a\u05be\u180a\u2010\u2011\u2012\u2013\u2014\u2015\u203e\u2043\u207b\u208b\u2212\u23af\u23ba\u23bb\u23bc\u23bd\u23e4\u02d7\u00af\ufe63\uff0d\uffe3"
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # GB 11643: 7, 9, 10, 5, 8, ...
ID_CHECK_CHARS = "10X98765432"  # check character by (sum of weighted digits) mod 11
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # GB 32100: 1, 3, 9, 27, 19, ...
DIGITS = "0123456789"


def workbook_choice_lists(edition, city: str | None) -> ChoiceLists:
    """The choice lists the ``检查`` formula of a workbook implements.

    市州: the workbook's city only (all cities in the blank template).  县市区: the
    counties of the row's 所属市州 when that is one of the province's cities,
    otherwise every county of the province.
    """
    divisions = edition.divisions
    all_counties = tuple(c for name in divisions.city_names for c in divisions.counties(name))

    def counties(row_city: str) -> tuple[str, ...]:
        return divisions.counties(row_city) if row_city in divisions.cities else all_counties

    cities = (city,) if city else tuple(divisions.city_names)
    return ChoiceLists(cities=cities, counties=counties)


def list_name(spec: tuple[str, ...] | str) -> str:
    """Defined name of a choice list: fixed names for the dynamic lists, a content hash otherwise."""
    if spec == CHOICES_CITIES:
        return CITY_LIST_NAME
    if spec == CHOICES_COUNTIES:
        return COUNTY_LIST_NAME
    digest = hashlib.sha1("\n".join(spec).encode("utf-8")).hexdigest()[:10]
    return f"list_{digest}"


def choice_values(f: Field) -> tuple[str, ...] | str | None:
    """The list a field's drop-down and formula use (是/否 for yes/no fields)."""
    if f.type == T.YES_NO:
        return f.choices or (nz.YES, nz.NO)
    return f.choices


@dataclass(frozen=True)
class RowLayout:
    """Where a sheet's columns are (0-based): fields in schema order, then 检查, then helpers."""

    sheet: SheetSchema
    columns: dict[str, int] = dc_field(default_factory=dict)
    check: int = 0
    helpers: dict[str, int] = dc_field(default_factory=dict)
    # count fields: a second helper with the text less a unit (0次 -> 0), which the number helper reads
    texts: dict[str, int] = dc_field(default_factory=dict)

    @classmethod
    def for_sheet(cls, sheet: SheetSchema) -> "RowLayout":
        columns = {f.key: i for i, f in enumerate(sheet.fields)}
        check = len(sheet.fields)
        helper_keys = [f.key for f in sheet.fields if f.type in HELPER_TYPES]
        helpers = {key: check + 1 + i for i, key in enumerate(helper_keys)}
        text_keys = [f.key for f in sheet.fields if f.type == T.INTEGER]
        texts = {key: check + 1 + len(helpers) + i for i, key in enumerate(text_keys)}
        return cls(sheet=sheet, columns=columns, check=check, helpers=helpers, texts=texts)

    @property
    def last_column(self) -> int:
        return max([self.check, *self.helpers.values(), *self.texts.values()])


# -- expression builders --------------------------------------------------------

def lit(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def strip_expr(ref: str) -> str:
    """Text with outer whitespace removed (inner runs become one space): Python's clean_text().strip()."""
    return (f'TRIM(CLEAN(SUBSTITUTE(SUBSTITUTE({ref},{lit(FULL_WIDTH_SPACE)}," "),'
            f'{lit(NO_BREAK_SPACE)}," ")))')


def nospace_expr(ref: str) -> str:
    """Text with all whitespace removed."""
    return f'SUBSTITUTE({strip_expr(ref)}," ","")'


def _array(values) -> str:
    items = [lit(v) if isinstance(v, str) else str(v) for v in values]
    return "{" + ",".join(items) + "}"


def _digit_count(expr: str) -> str:
    return f"SUMPRODUCT(LEN({expr})-LEN(SUBSTITUTE({expr},{_array(list(DIGITS))},\"\")))"


def _remove_chars(expr: str, chars: str) -> str:
    for ch in chars:
        expr = f"SUBSTITUTE({expr},{lit(ch)},\"\")"
    return expr


def _short(rule: str, f: Field, **values: Any) -> str:
    text = messages.rule_short(rule, label=f.label, **values)
    assert text is not None, rule
    return text


def _piece(rule: str, f: Field, **values: Any) -> str:
    """A literal ``；<short text>``."""
    return lit(messages.CHECK_SEPARATOR + _short(rule, f, **values))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


# -- helper columns -------------------------------------------------------------

def count_text_formula(ref: str) -> str:
    """Formula of a count's text helper: the stripped text less one unit at its end (Python: ``to_count``)."""
    s = strip_expr(ref)
    return f"=IF(AND(LEN({s})>1,ISNUMBER(FIND(RIGHT({s}),{lit(nz.COUNT_UNITS)}))),TRIM(LEFT({s},LEN({s})-1)),{s})"


def helper_formula(f: Field, ref: str, text_ref: str | None = None) -> str:
    """Formula (with ``=``) of the hidden helper cell for field ``f`` whose value is in ``ref``
    (a count: ``text_ref`` is its text helper)."""
    s = strip_expr(ref)
    if f.type in (T.INTEGER, T.DECIMAL):
        zero = None
        if f.type == T.INTEGER and text_ref:  # a count: 无 / 没有 / 暂无 / 零 are 0, a unit after it (0次) dropped
            zero = "OR(" + ",".join(f"{s}={lit(w)}" for w in sorted(nz.ZERO_WORDS)) + ")"
            s = text_ref
        t = f'SUBSTITUTE(ASC({s}),",","")'
        body = f'MID({t},1+ISNUMBER(FIND(LEFT({t}),"+-")),32767)'  # without a leading sign
        digits = _digit_count(body)
        dots = f'(LEN({body})-LEN(SUBSTITUTE({body},".","")))'
        valid = f"AND({digits}>=1,{dots}<=1,{digits}+{dots}=LEN({body}))"
        value = f'IF(LEFT({t})="-",-1,1)*VALUE("0"&{body}&IF({dots}=1,"0",""))'
        bad = lit(INVALID_NUMBER)
        parsed = f"IFERROR(IF({valid},{value},{bad}),{bad})"
        if zero:
            parsed = f"IF({zero},0,{parsed})"
        return (f'=IF(ISLOGICAL({ref}),{bad},IF(ISNUMBER({ref}),{ref},IF({s}="","",'
                f'{parsed})))')
    if f.type in (T.ID_CARD, T.USCC):
        code = _remove_chars(f"ASC({s})", " -\ufe63")
        if f.type == T.USCC:
            code = _remove_chars(code, DASH_LIKE)
        # a number of 16+ digits has lost its tail (Excel keeps 15): never a valid code, like Python's code_as_number
        return f'=IF(ISNUMBER({ref}),IF(ABS({ref})>=1E+15,{lit(INVALID_NUMBER)},TEXT({ref},"0")),UPPER({code}))'
    raise ValueError(f"no helper for {f.type}")


# -- the 检查 formula -------------------------------------------------------------

def _typed_check(f: Field, ref: str, helper: str | None, layout: RowLayout, row: int) -> str | None:
    """Expression giving ``；short`` texts for a non-blank value, or None when the formula has no check."""
    if f.type == T.TEXT:
        if f.min_chars is None and f.max_chars is None:
            return None
        count = f"LEN({nospace_expr(ref)})"
        parts = []
        if f.min_chars is not None:
            marker = "\x00"
            before, after = (messages.CHECK_SEPARATOR + _short("text_min_chars", f, count=marker, min=f.min_chars)).split(marker)
            parts.append(f'IF({count}<{f.min_chars},{lit(before)}&{count}&{lit(after)},"")')
        if f.max_chars is not None:
            parts.append(f'IF({count}>{f.max_chars},{_piece("text_max_chars", f, count=0, max=f.max_chars)},"")')
        return "&".join(parts)
    if f.type == T.INTEGER:
        h = helper
        low = f.min_value if f.min_value is not None else 0
        bad = _piece("integer", f, value="", min=_num(low))
        over = '""'
        if f.max_value is not None:
            over = f'IF({h}>{_num(f.max_value)},{_piece("range", f, value="", min=_num(low), max=_num(f.max_value))},"")'
        return f'IF(ISNUMBER({h}),IF(OR({h}<>INT({h}),{h}<{_num(low)}),{bad},{over}),{bad})'
    if f.type == T.DECIMAL:
        h = helper
        bad = _piece("number", f, value="")
        limits = []
        if f.min_value is not None:
            limits.append(f"{h}<{_num(f.min_value)}")
        if f.max_value is not None:
            limits.append(f"{h}>{_num(f.max_value)}")
        over = '""'
        if limits:
            rng = _piece("range", f, value="", min=_num(f.min_value or 0), max=_num(f.max_value or 0))
            over = f'IF(OR({",".join(limits)}),{rng},"")'
        return f"IF(ISNUMBER({h}),{over},{bad})"
    if f.type == T.YES_NO:
        words = sorted(nz.YES_WORDS | nz.NO_WORDS)
        ok = f"OR(ISLOGICAL({ref}),SUMPRODUCT(--(UPPER(ASC({strip_expr(ref)}))={_array(words)}))>0)"
        return f'IF({ok},"",{_piece("choice", f, value="", choices="")})'
    if f.type == T.CHOICE:
        value = nospace_expr(ref)
        if f.choices == CHOICES_COUNTIES:
            city = layout.columns.get("city")
            if city is None:
                found = f"SUMPRODUCT(--({TABLE_COUNTY_NAME}={value}))"
            else:
                c = strip_expr(cell_address(row, city))
                found = (f"IF(SUMPRODUCT(--({TABLE_CITY_NAME}={c}))>0,"
                         f"SUMPRODUCT(({TABLE_CITY_NAME}={c})*({TABLE_COUNTY_NAME}={value})),"
                         f"SUMPRODUCT(--({TABLE_COUNTY_NAME}={value})))")
        else:
            found = f"SUMPRODUCT(--({list_name(f.choices)}={value}))"
        if f.multiple:
            return f'IF(OR({found}>0,{_multi_choice_ok(f, value)}),"",{_piece("choice", f, value="", choices="")})'
        return f'IF({found}>0,"",{_piece("choice", f, value="", choices="")})'
    if f.type == T.ID_CARD:
        h = helper
        year, month, day = f"--MID({h},7,4)", f"--MID({h},11,2)", f"--MID({h},13,2)"
        checksum = f"SUMPRODUCT(--MID({h},{_array(range(1, 18))},1),{_array(ID_WEIGHTS)})"
        valid = (
            f'IFERROR(AND(LEN({h})=18,{_digit_count(f"LEFT({h},17)")}=17,ISNUMBER(FIND(RIGHT({h}),"{DIGITS}X")),'
            f"{year}>=1,{month}>=1,{month}<=12,{day}>=1,"
            f"DAY(DATE(2000+MOD({year},400),{month},{day}))={day},"
            f'MID("{ID_CHECK_CHARS}",MOD({checksum},11)+1,1)=RIGHT({h})),FALSE)'
        )
        return f'IF({valid},"",{_piece("id_card", f, value="", reason="")})'
    if f.type == T.USCC:
        h = helper
        alphabet = lit(USCC_ALPHABET)
        total = f"SUMPRODUCT((FIND(MID({h},{_array(range(1, 18))},1),{alphabet})-1)*{_array(USCC_WEIGHTS)})"
        valid = (
            f'IFERROR(AND(LEN({h})=18,{_digit_count(f"MID({h},3,6)")}=6,'
            f"SUMPRODUCT(--ISNUMBER(FIND(MID({h},{_array([1, 2, *range(9, 19)])},1),{alphabet})))=12,"
            f"MID({alphabet},MOD(31-MOD({total},31),31)+1,1)=RIGHT({h})),FALSE)"
        )
        return f'IF({valid},"",{_piece("uscc", f, value="", reason="")})'
    return None  # dates, phones, e-mails: Python only (beyond "required")


# After ASC: ，；／ fold to , ; / and 、 to the half-width ､ (U+FF64); Python (split_choices) splits on 、 and
# , ; / after NFKC (which folds ､ back to 、).
MULTI_SEPARATORS = ",;/\uff64"


def _multi_choice_ok(f: Field, value: str) -> str:
    """Several choices (管理咨询、财税): with the separators made ``、``, every part is a distinct list item.
    Counted as: the items found delimited (``、item、`` in ``、text、``) are one more than the separators,
    and their lengths plus the separators make up the whole text (so no part is empty or unknown)."""
    v = f"ASC({value})"
    for ch in MULTI_SEPARATORS:
        v = f"SUBSTITUTE({v},{lit(ch)},\"、\")"
    items = list_name(f.choices)
    found = f'ISNUMBER(FIND("、"&{items}&"、","、"&{v}&"、"))'
    seps = f'(LEN({v})-LEN(SUBSTITUTE({v},"、","")))'
    return f"AND({seps}>=1,SUMPRODUCT(--{found})={seps}+1,SUMPRODUCT({found}*LEN({items}))+{seps}=LEN({v}))"


def _required_check(f: Field, layout: RowLayout, row: int) -> str:
    if not f.required:
        return '""'
    missing = _piece("required", f)
    if f.exempt_when:
        key, values = f.exempt_when
        col = layout.columns.get(key)
        if col is not None:
            other = strip_expr(cell_address(row, col))
            exempt = "OR(" + ",".join(f"{other}={lit(v)}" for v in values) + ")"
            return f'IF({exempt},"",{missing})'
    return missing


def field_check(f: Field, layout: RowLayout, row: int) -> str | None:
    """Expression giving this field's ``；short`` texts (or ""), None when the formula never flags it."""
    ref = cell_address(row, layout.columns[f.key])
    helper = cell_address(row, layout.helpers[f.key]) if f.key in layout.helpers else None
    required = _required_check(f, layout, row)
    typed = _typed_check(f, ref, helper, layout, row)
    if required == '""' and typed is None:
        return None
    return f'IF({strip_expr(ref)}="",{required},{typed or chr(34) * 2})'


def check_formula(layout: RowLayout, row: int) -> str:
    """The ``检查`` formula (with ``=``) for 1-based sheet row ``row``."""
    sheet = layout.sheet
    cells = "&".join(cell_address(row, layout.columns[f.key]) for f in sheet.fields)
    pieces = [p for f in sheet.fields if (p := field_check(f, layout, row)) is not None]
    ok = messages.CHECK_OK
    joined = "&".join([lit(ok), *pieces])
    return f'=IF({nospace_expr(cells)}="","",SUBSTITUTE({joined},{lit(ok + messages.CHECK_SEPARATOR)},"",1))'


def helper_formulas(layout: RowLayout, row: int) -> dict[int, str]:
    """Helper column -> formula for 1-based sheet row ``row``."""
    out = {
        col: helper_formula(layout.sheet.field(key), cell_address(row, layout.columns[key]),
                            cell_address(row, layout.texts[key]) if key in layout.texts else None)
        for key, col in layout.helpers.items()
    }
    for key, col in layout.texts.items():
        out[col] = count_text_formula(cell_address(row, layout.columns[key]))
    return out


_ROW_TOKEN = 1048571  # a row number that occurs nowhere else in a formula (checked below)


def row_formulas(layout: RowLayout, rows: range) -> dict[int, dict[int, str]]:
    """``{row: {column: formula}}`` (1-based rows, 0-based columns) for 检查 and the helpers.

    Built once with a token row number and specialised per row (the same text
    ``check_formula``/``helper_formulas`` give, much faster for thousands of rows).
    """
    token = str(_ROW_TOKEN)
    templates = {layout.check: check_formula(layout, _ROW_TOKEN), **helper_formulas(layout, _ROW_TOKEN)}
    probe = {layout.check: check_formula(layout, 7), **helper_formulas(layout, 7)}
    if any(t.replace(token, "7") != probe[c] for c, t in templates.items()):
        raise AssertionError("row token occurs in a formula constant")
    return {row: {c: t.replace(token, str(row)) for c, t in templates.items()} for row in rows}


def helper_header(f: Field) -> str:
    return f"{HELPER_HEADER_PREFIX}{f.label}"


def text_helper_header(f: Field) -> str:
    return f"{HELPER_HEADER_PREFIX}{f.label}_文本"

"""A sheet layout's cells as sheet XML, written as openpyxl writes them, without an openpyxl cell per value.

The ``排名`` sheet of a large province has about 1.5 million cells (70,000 applications); openpyxl
holds several hundred bytes per cell and as much again while it saves.  So ``rank`` writes the
sheet's frame through openpyxl on the hub's skeleton (``xl_awards.io.hub.HubUpdate.edit``): one cell
for each distinct style (which gives that style its number in ``styles.xml``), the cells with a
note, the row heights, column widths, names, freeze panes and print set-up; and after openpyxl's
save the sheet's ``<sheetData>`` is replaced by ``LayoutRows.chunks`` (``sheet_parts.splice_sheets``):
every cell of the layout, value, formula and style number, in the XML openpyxl's writer produces
for the same cells (a test compares the two byte for byte).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from xl_awards.base.addresses import column_letter
from xl_awards.io.sheet_parts import _ILLEGAL, Unsupported, escape, related_parts  # _ILLEGAL: openpyxl's refusals

ROWS_PER_CHUNK = 2000


class LayoutRows:
    """The rows of one sheet written from ``values`` / ``formula_cells`` / ``styles`` / ``notes``.

    ``style_ids``: {tuple of the cell's style keys: its cell format number, None for the default},
    ``ws``: the openpyxl sheet of the frame (its row heights become the rows' attributes, as
    openpyxl writes them).  The frame carries the first note (``first_note``) as an openpyxl
    comment, all of one author and size, so that openpyxl writes the comments and VML drawing parts
    and their relationships; ``parts`` rewrites both with every note.
    """

    def __init__(self, ws, values: dict, formula_cells: set, styles: dict, notes: dict,
                 style_ids: dict[tuple, int | None]):
        self.ws = ws
        self.values, self.formula_cells, self.styles, self.notes = values, formula_cells, styles, notes
        self.style_ids = style_ids
        self._sorted: list[tuple[int, int]] | None = None

    @property
    def first_note(self) -> tuple[int, int] | None:
        return min(self.notes) if self.notes else None

    def parts(self, z, sheet_part: str) -> dict:
        """{part: function giving its text in chunks}: the sheet's comments and VML drawing with every note.

        openpyxl wrote both for the first note; the rest are written the same way, the comment from
        its text and the drawing's shape from the first one's with its number, row and column
        changed.  ``Unsupported`` when openpyxl's parts are not what this expects (the whole-workbook
        path then writes them)."""
        if len(self.notes) <= 1:
            return {}
        comments, drawings = related_parts(z, sheet_part, "comments"), related_parts(z, sheet_part, "vmlDrawing")
        if len(comments) != 1 or len(drawings) != 1:
            raise Unsupported("notes without one comments part and one drawing")
        notes = sorted(self.notes)
        comment_xml = z.read(comments[0]).decode("utf-8")
        head, sep, rest = comment_xml.partition("<commentList>")
        first, sep2, tail = rest.partition("</commentList>")
        if not sep or not sep2 or first != _comment(notes[0], self.notes[notes[0]]):
            raise Unsupported("comments part not as expected")
        vml = z.read(drawings[0]).decode("utf-8")
        shapes = list(re.finditer(r"<((?:\w+:)?)shape\b(?=[ >]).*?</\1shape>", vml, flags=re.S))
        if len(shapes) != 1:
            raise Unsupported("drawing not as expected")
        m = shapes[0]
        template = m.group(0)
        pieces = re.fullmatch(r'(.*\bid="_x0000_s)1026(".*<(?:\w+:)?Row>)(\d+)(</(?:\w+:)?Row>\s*<(?:\w+:)?Column>)(\d+)'
                              r'(</(?:\w+:)?Column>.*)', template, flags=re.S)
        r0, c0 = notes[0]
        if pieces is None or (int(pieces.group(3)), int(pieces.group(5))) != (r0 - 1, c0 - 1):
            raise Unsupported("drawing shape not as expected")
        a, b, _, c, _, d = pieces.groups()
        vml_head, vml_tail = vml[:m.start()], vml[m.end():]

        def comment_chunks() -> Iterator[str]:
            yield head + "<commentList>"
            for i in range(0, len(notes), ROWS_PER_CHUNK):
                yield "".join(_comment(cell, self.notes[cell]) for cell in notes[i:i + ROWS_PER_CHUNK])
            yield "</commentList>" + tail

        def drawing_chunks() -> Iterator[str]:
            yield vml_head
            for i in range(0, len(notes), ROWS_PER_CHUNK):
                yield "".join(f"{a}{1026 + k:04d}{b}{r - 1}{c}{col - 1}{d}"
                              for k, (r, col) in enumerate(notes[i:i + ROWS_PER_CHUNK], start=i))
            yield vml_tail

        return {comments[0]: comment_chunks, drawings[0]: drawing_chunks}

    def _cells(self) -> list[tuple[int, int]]:
        """Every cell with a value, a style or a note, in row order (no set of a million cells in between)."""
        if self._sorted is None:
            values, styles = self.values, self.styles
            cells = list(values)
            cells += [k for k in styles if k not in values]
            cells += [k for k in self.notes if k not in values and k not in styles]
            cells.sort()
            self._sorted = cells
        return self._sorted

    @property
    def dimension(self) -> str:
        """The ``<dimension ref>`` openpyxl computes from the same cells (``Worksheet.calculate_dimension``)."""
        cells = self._cells()
        if not cells:
            return "A1:A1"
        min_col = min(c for _, c in cells)
        max_col = max(c for _, c in cells)
        return f"{column_letter(min_col - 1)}{cells[0][0]}:{column_letter(max_col - 1)}{cells[-1][0]}"

    def chunks(self) -> Iterator[str]:
        """The XML inside ``<sheetData>``, a few thousand rows at a time."""
        dims = self.ws.row_dimensions
        letters: dict[int, str] = {}
        out: list[str] = []
        row_cells: list[str] = []
        current = None
        cells = self._cells()
        self._sorted = None  # written once
        rows_with_cells = {r for r, _ in cells}
        extra_rows = sorted(r for r in dims.keys() if r not in rows_with_cells)
        extra = iter(extra_rows)
        pending = next(extra, None)

        def row_xml(r: int, body: list[str]) -> str:
            attrs = f'<row r="{r}"' + "".join(f' {k}="{v}"' for k, v in dims.get(r, ()))
            return attrs + ">" + "".join(body) + "</row>"

        for r, c in cells:
            if r != current:
                if current is not None:
                    out.append(row_xml(current, row_cells))
                    row_cells = []
                    if len(out) >= ROWS_PER_CHUNK:
                        yield "".join(out)
                        out = []
                while pending is not None and pending < r:
                    out.append(row_xml(pending, []))
                    pending = next(extra, None)
                current = r
            xml = self._cell(r, c, letters)
            if xml:
                row_cells.append(xml)
        if current is not None:
            out.append(row_xml(current, row_cells))
        while pending is not None:
            out.append(row_xml(pending, []))
            pending = next(extra, None)
        if out:
            yield "".join(out)

    def _cell(self, r: int, c: int, letters: dict[int, str]) -> str:
        value = self.values.get((r, c))
        keys = self.styles.get((r, c))
        sid = self.style_ids[tuple(keys)] if keys else None
        if value is None and sid is None and (r, c) not in self.notes:
            return ""
        col = letters.get(c)
        if col is None:
            col = letters[c] = column_letter(c - 1)
        head = f'<c r="{col}{r}"' + ("" if sid is None else f' s="{sid}"')
        if isinstance(value, str):
            if _ILLEGAL.search(value):  # openpyxl refuses it: the whole-workbook path does what it always did
                raise Unsupported("illegal character")
            if (r, c) in self.formula_cells and value.startswith("=") and len(value) > 1:
                return f"{head}><f>{escape(value[1:])}</f><v /></c>"
            if value == "":
                return f'{head} t="inlineStr" />'
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            return f'{head} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
        if value is None:
            return f'{head} t="n" />'
        if isinstance(value, bool):
            return f'{head} t="b"><v>{"%.16g" % value}</v></c>'
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                return f'{head} t="n"><v></v></c>'
            return f'{head} t="n"><v>{"%.16g" % value}</v></c>'
        raise TypeError(f"layout value of type {type(value).__name__}")


def _comment(cell: tuple[int, int], text: str) -> str:
    """One note in the comments part, as openpyxl writes it (one author: ``authorId`` 0)."""
    if _ILLEGAL.search(text):
        raise Unsupported("illegal character in a note")
    r, c = cell
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return (f'<comment ref="{column_letter(c - 1)}{r}" authorId="0" shapeId="0"><text><t{space}>{escape(text)}</t>'
            "</text></comment>")


def style_ids_of(ws, styles: dict, apply) -> dict[tuple, int | None]:
    """Style one cell of ``ws`` per distinct style-key tuple of ``styles`` (``apply(cell, keys)``) and
    return each tuple's cell format number (None when the keys leave the default format).

    The tuples are styled in the order of their first cell, row by row: the order in which openpyxl's
    writer numbers new cell formats, so ``styles.xml`` comes out as it would with a cell per value.
    """
    first: dict[tuple, tuple[int, int]] = {}
    for cell, keys in styles.items():
        key = tuple(keys)
        seen = first.get(key)
        if seen is None or cell < seen:
            first[key] = cell
    ids: dict[tuple, int | None] = {}
    for key, (r, c) in sorted(first.items(), key=lambda item: item[1]):
        cell = ws.cell(row=r, column=c)
        apply(cell, key)
        ids[key] = cell.style_id if cell.has_style else None
    return ids

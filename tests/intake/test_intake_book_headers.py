"""The header search leaves out texts that cannot be a header label: the same header is found."""

from __future__ import annotations

import random
import unicodedata

import pytest

from factory import SCHEMA, SHEETS
from xl_awards.base.tables import header_label, locate_table
from xl_awards.intake.intake_book import _IDEOGRAPHS, header_search_rows, locate_intake_table
from xl_awards.schema.intake import INSTITUTION_SHEET

FIRST, LAST = (ord(c) for c in _IDEOGRAPHS.split("-"))


def test_ideographs_are_left_alone_by_nfkc_and_compose_with_nothing():
    for code in range(FIRST, LAST + 1):
        ch = chr(code)
        assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0
        assert not ch.isspace() and ch not in "*＊(（"
    # a character composes with the one before it only as the second of a two-character canonical decomposition
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            assert not FIRST <= int(parts[1], 16) <= LAST


def test_a_narrative_is_left_out_and_a_header_with_a_long_note_is_kept():
    sheet = SHEETS[INSTITUTION_SHEET]
    longest = max(len(f.label) for f in sheet.fields)
    narrative = "服" * (longest + 1) + "（附件）"
    header = "机构名称（" + "服" * 40 + "）"
    bracket_first = "说明（" + "服" * 40
    rows = header_search_rows(sheet, [[narrative, header, bracket_first, "服" * longest, 7]])
    assert rows == [[None, header, bracket_first, "服" * longest, 7]]
    assert header_label(header) == "机构名称"


def _random_text(rng: random.Random, labels: list[str]) -> object:
    pick = rng.random()
    if pick < 0.3:
        label = rng.choice(labels)
        return rng.choice(["", "* ", " "]) + label + rng.choice(["", "*", "（必填）", "(说明" + "字" * rng.randrange(30) + ")"])
    if pick < 0.4:
        return None if rng.random() < 0.5 else rng.randrange(100)
    alphabet = "服务企业湖南长沙（）() *＊\u3000\u00a8\u2474ＡA，。、1２"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))
    if rng.random() < 0.5:
        text = rng.choice(labels) + text if rng.random() < 0.5 else text + "服务" * rng.randrange(1, 20)
    return text


@pytest.mark.parametrize("sheet", [s.name for s in SCHEMA])
def test_the_same_header_is_found(sheet):
    schema = SHEETS[sheet]
    labels = [f.label for f in schema.fields]
    rng = random.Random(len(sheet))
    for _ in range(300):
        grid = [[_random_text(rng, labels) for _ in range(len(labels))] for _ in range(rng.randrange(1, 13))]
        found = locate_table(schema, grid)
        assert locate_table(schema, header_search_rows(schema, grid)) == found
        assert locate_intake_table(schema, grid) == found

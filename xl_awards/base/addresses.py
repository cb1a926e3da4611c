"""Excel cell addresses, written once: column letters and A1 references.

Columns are 0-based indices, as in the grids read from sheets (a row is a Python list):
index 0 is column A, 25 is Z, 26 is AA.  Rows are Excel's 1-based row numbers.  Code that
counts columns from 1 (openpyxl, the ranking sheet's layout) subtracts 1 when calling.
"""

from __future__ import annotations

import re


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_address(row: int, col: int) -> str:
    """1-based Excel row, 0-based column index -> A1 address (row 3, index 1 -> B3)."""
    return f"{column_letter(col)}{row}"


def column_index(address: str) -> int:
    """The 0-based column index of an A1 address or column letters (B3 -> 1, AA -> 26);
    -1 when there are no letters (a finding about a whole row or file)."""
    number = 0
    for ch in re.match(r"[A-Z]*", address or "")[0]:
        number = number * 26 + ord(ch) - 64
    return number - 1

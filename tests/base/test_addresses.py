"""The one column-letter helper (0-based indices, as the grids read from sheets)."""

from xl_awards.base.addresses import cell_address, column_index, column_letter


def test_letters_by_hand():
    # 0 -> A, 25 -> Z; 26 is the 27th column: AA; 701 = 26 + 26*26 - 1 -> ZZ; 702 -> AAA.
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_address_and_back():
    assert cell_address(3, 1) == "B3"
    assert cell_address(10, 26) == "AA10"
    assert [column_index(a) for a in ("A1", "B3", "Z9", "AA10", "ZZ2", "")] == [0, 1, 25, 26, 701, -1]
    assert all(column_index(column_letter(i) + "7") == i for i in range(800))

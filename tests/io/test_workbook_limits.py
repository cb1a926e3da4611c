"""The guarded reader's limits, at their edges, and the reader library's panics."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "corpus"))

from make_corpus import sheet, workbook  # noqa: E402
from xl_awards.base.errors import InputError  # noqa: E402
from xl_awards.io import workbook_files as wf  # noqa: E402


@pytest.mark.parametrize("chunk", [97, 1000, 1 << 20])  # tags cut in two at every chunk boundary
def test_exactly_the_row_limit_is_read_one_more_is_refused(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(wf, "SCAN_CHUNK", chunk)
    monkeypatch.setattr(wf, "MAX_ROWS", 1000)  # the same rule, smaller numbers
    ok, over = tmp_path / "ok.xlsx", tmp_path / "over.xlsx"
    workbook(ok, sheet("<row/>" * 1000, dimension=None))  # 1,000 rows without r attributes
    workbook(over, sheet("<row/>" * 1001, dimension=None))
    wf.check_workbook_file(ok)
    with pytest.raises(InputError) as exc:
        wf.check_workbook_file(over)
    assert "用到第 1001 行，超过上限 1000 行" in str(exc.value)


def test_the_last_allowed_column_is_read(tmp_path):
    path = tmp_path / "SF.xlsx"  # column SF is 19*26 + 6 = 500
    workbook(path, sheet('<row r="3"><c r="SF3"><v>1</v></c></row>', dimension=None))
    grids, _ = wf.read_grids(path)
    assert len(grids["申报"]) == 3 and len(grids["申报"][2]) == 500 and grids["申报"][2][499] == 1


def test_a_panic_in_the_reader_library_is_one_line(tmp_path, monkeypatch):
    class PanicException(BaseException):  # what pyo3 raises: not an Exception
        pass

    path = tmp_path / "申报.xlsx"
    workbook(path)

    def panic(*a, **k):
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(wf.pc.CalamineWorkbook, "from_path", panic)
    with pytest.raises(InputError) as exc:
        wf.read_grids(path)
    assert str(exc.value) == "申报.xlsx：工作簿已损坏，无法读取（PanicException: called `Option::unwrap()` on a `None` value）"


def _cells(*refs: str) -> str:
    """One row per reference, in row order, each with a value."""
    import re

    def row_of(ref: str) -> int:
        return int(re.sub(r"^[A-Z]+", "", ref))

    return "".join(f'<row r="{row_of(r)}"><c r="{r}"><v>1</v></c></row>' for r in sorted(refs, key=row_of))


def test_quick_and_exact_scans_agree_at_the_cell_limit(tmp_path, monkeypatch):
    """Column CV is 3*26 + 22 = 100; 99,999 rows x 100 columns = 9,999,900 cells (within 10 million), read
    without a reference-by-reference scan; CW (101) x 99,999 = 10,099,899 is refused by the exact scan."""
    exact_scans = []
    exact = wf._exact_scan_part
    monkeypatch.setattr(wf, "_exact_scan_part", lambda *a: (a[3] and exact_scans.append(a[3])) or exact(*a))
    ok, over = tmp_path / "ok.xlsx", tmp_path / "over.xlsx"
    workbook(ok, sheet(_cells("CV1", "A99999"), dimension=None))
    workbook(over, sheet(_cells("CW1", "A99999"), dimension=None))
    wf.check_workbook_file(ok)
    assert exact_scans == []
    with pytest.raises(InputError) as exc:
        wf.check_workbook_file(over)
    assert "使用区域为 99999 行 × 101 列，超过上限 10000000 个单元格" in str(exc.value)
    assert exact_scans == ["申报"]


@pytest.mark.parametrize("refs, message", [
    (("A1", "A100001"), "用到第 100001 行，超过上限 100000 行"),
    (("A1", "SG1"), "用到第 501 列，超过上限 500 列"),  # SG = 19*26 + 7
    (("A1", "AAA1"), "用到第 703 列，超过上限 500 列"),  # AAA = 26*26 + 26 + 1
])
def test_a_reference_past_a_limit_is_refused_as_before(tmp_path, refs, message):
    path = tmp_path / "far.xlsx"
    workbook(path, sheet(_cells(*refs), dimension=None))
    with pytest.raises(InputError) as exc:
        wf.check_workbook_file(path)
    assert message in str(exc.value)


def test_a_large_reference_outside_a_cell_is_not_a_cell(tmp_path):
    """``r="ZZZ9"`` in an element other than a cell makes the quick scan unsure; the exact scan reads it as no cell."""
    path = tmp_path / "other.xlsx"
    workbook(path, sheet(_cells("A1", "B2") + '<x r="ZZZ999999"/>'.replace("<x", "<ignorable"), dimension=None))
    wf.check_workbook_file(path)


def test_the_hub_may_use_as_many_rows_as_excel_allows(tmp_path):
    # 评审分配 of a hub with 7,000 applications reviewed by 20 experts: 140,000 rows, past the
    # 100,000 of a city's workbook but far within Excel's 1,048,576
    path = tmp_path / "hub.xlsx"
    workbook(path, sheet("<row/>" * 140_001, dimension=None))
    wf.check_workbook_file(path, max_rows=wf.HUB_MAX_ROWS)  # read as the hub: accepted
    with pytest.raises(InputError) as exc:  # the same file as a city workbook: refused (not taken from the cache)
        wf.check_workbook_file(path)
    assert "超过上限 100000 行" in str(exc.value)
    assert wf.HUB_MAX_ROWS == 1_048_576
    over = tmp_path / "over.xlsx"
    workbook(over, sheet('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', dimension=None))
    with pytest.raises(InputError) as exc:
        wf.check_workbook_file(over, max_rows=wf.HUB_MAX_ROWS)
    assert "用到第 1048577 行，超过上限 1048576 行" in str(exc.value)


def _outcome(path: Path) -> str:
    wf._CHECKED.clear()
    try:
        wf.check_workbook_file(path)
    except InputError as exc:
        return str(exc)
    return "ok"


def test_the_whole_file_check_decides_as_the_part_by_part_scan_on_damaged_files(tmp_path, monkeypatch):
    """A small workbook is first read in one piece (``_whole_file_within``); on any doubt the part-by-part
    scan decides.  Damaged copies of a workbook (a byte changed anywhere: compressed data, CRCs, sizes,
    names, offsets) must come out exactly as with the part-by-part scan alone, and as one line (an
    ``InputError``): a damaged deflate stream (zlib.error) was once a traceback."""
    import random
    import zipfile

    import xlsxwriter

    good = tmp_path / "good.xlsx"
    wb = xlsxwriter.Workbook(str(good))
    ws = wb.add_worksheet("服务之星")
    for r in range(40):
        ws.write_row(r, 0, [f"姓名{r}", r, "长沙市"])
    wb.close()
    raw = good.read_bytes()
    assert _outcome(good) == "ok"
    with zipfile.ZipFile(good) as zf:
        infos = zf.infolist()
    # the bytes most worth changing: each part's local header, the start of its data, the central directory
    spots = [i.header_offset + k for i in infos for k in range(0, 34)]
    spots += [i.header_offset + 30 + len(i.filename) + k for i in infos for k in range(0, 8)]
    central = raw.rfind(b"PK\x01\x02", 0)
    spots += list(range(raw.find(b"PK\x01\x02"), len(raw)))
    rng = random.Random(32100)
    spots += [rng.randrange(len(raw)) for _ in range(300)]
    assert central > 0
    seen = set()
    kinds = set()
    for n, spot in enumerate(sorted(set(spots))):
        damaged = bytearray(raw)
        damaged[spot] ^= 1 << (n % 8)
        path = tmp_path / f"d{n}.xlsx"
        path.write_bytes(bytes(damaged))
        fast = _outcome(path)
        monkeypatch.setattr(wf, "QUICK_FILE_BYTES", -1)  # the part-by-part scan alone
        slow = _outcome(path)
        monkeypatch.undo()
        assert fast == slow, (spot, fast, slow)
        seen.add("ok" if fast == "ok" else "refused")
        if "压缩包结构损坏" in fast:
            kinds.add(fast.split("：")[2].split(" ")[0])
        path.unlink()
    assert seen == {"ok", "refused"}  # both kinds of outcome were exercised
    assert "Error" in kinds  # zlib's "Error -3 while decompressing data: ..." among them

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

"""The bad-input corpus (``tests/corpus``, made by ``make_corpus.py``) through every reader.

Each file is given to validate (as an intake workbook), consolidate (as an intake workbook, with
a real hub), collect (as a returned expert workbook, with a real hub) and rank (as the hub
itself).  Every one must answer exit 2 with the corpus's expected first line (written by hand in
``make_corpus.py`` from the documented limits), no traceback, quickly, and leave every file as it
was (SHA-256 before and after).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest

from xl_awards.cli import main
from xl_awards.edition import load_edition
from xl_awards.io.hub_template import write_hub_workbook

CORPUS = Path(__file__).parents[1] / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
READERS = ("validate", "consolidate", "collect", "rank")
# Read as the hub (rank), only the hub's own sheets are opened and scanned (设置, 申报汇总, ...: at 100x the hub's
# sheets are 1.9 GB of XML, 1.2 GB of it 评分明细), so a file whose far cells or damaged XML are on
# another sheet (申报, 第二页) is found not to be a hub (no 设置 sheet) before anything reads that sheet; and a hub
# sheet may use as many rows as Excel allows.  Unzipped, the hub may reach 3 GB (3072 MB; 200 MB for the
# others): the files that declare 210 MB and 300 MB are read as the hub and found not to be one; the one
# declaring 4 GB is still refused.
NOT_HUB = "{f}：不是省枢纽平台工作簿（缺少“设置”工作表），请使用 xl-awards build 生成的省枢纽平台工作簿"
AS_HUB = {
    **{f: NOT_HUB.format(f=f) for f in (
        "A100001.xlsx", "A1048576.xlsx", "只有行号.xlsx", "无行号的十万行.xlsx", "维度A100001.xlsx", "维度单格远处.xlsx",
        "隐藏表远处单元格.xlsx", "三个部件合计超大.xlsx", "共享字符串声明超大.xlsx", "工作表XML损坏.xlsx",
        "A100000可以读.xlsx", "SG1第501列.xlsx", "XFD100000.xlsx", "XFD1048576.xlsx", "小写引用.xlsx", "带前缀的XML.xlsx",
        "第二张表远处单元格.xlsx", "维度SG10.xlsx", "维度XFD1048576.xlsx", "维度谎报为A1.xlsx", "行号超出Excel.xlsx",
        "面积过大.xlsx")},
    "声明超大.xlsx": "声明超大.xlsx：解压后超过 3072 MB（可能是压缩炸弹或异常文件），已拒绝读取；请检查文件或重新另存后再试",
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hub_template(tmp_path_factory) -> Path:
    return write_hub_workbook(load_edition(2021), tmp_path_factory.mktemp("hub"))


def test_the_corpus_is_complete_and_small():
    files = sorted(p.name for p in (CORPUS / "files").iterdir())
    assert files == sorted(EXPECTED) and len(files) >= 40
    assert sum((CORPUS / "files" / f).stat().st_size for f in files) < 1024 * 1024


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_reader_refuses_with_one_line(tmp_path, capsys, monkeypatch, hub_template, reader, name):
    monkeypatch.setenv("XL_AWARDS_REVIEW_KEY", "corpus-key")  # collect needs a key before it reads a file
    monkeypatch.setenv("XL_AWARDS_LOCK_WAIT", "0")
    bad = tmp_path / name
    shutil.copyfile(CORPUS / "files" / name, bad)
    hub = tmp_path / "hub" / hub_template.name
    hub.parent.mkdir()
    shutil.copyfile(hub_template, hub)
    before = {p: sha(p) for p in (bad, hub)}
    args = {"validate": ["validate", str(bad)], "consolidate": ["consolidate", "--hub", str(hub), str(bad)],
            "collect": ["collect", "--hub", str(hub), str(bad)], "rank": ["rank", "--hub", str(bad)]}[reader]
    start = time.monotonic()
    code = main(args)
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    expected = AS_HUB.get(name, EXPECTED[name]) if reader == "rank" else EXPECTED[name]
    first = err.splitlines()[0] if err else ""
    assert code == 2
    if expected.endswith("…"):
        assert first.startswith(expected[:-1])
    else:
        assert first == expected
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert {p: sha(p) for p in (bad, hub)} == before
    assert sorted(p.name for p in hub.parent.iterdir() if not p.name.startswith(".")) == [hub.name]
    assert elapsed < 10

"""The print workbook ``<hub>_排名打印.xlsx``: one sheet per list, its header repeated on every page.

The hub is the hand-worked rank scenario (tests/rank_scenario.py, read its docstring) with 60 more
优秀服务机构 applications, so that this list runs over several pages.  Each extra institution JG1xx
(k = 0 .. 59) gets the same score s = 50 + k / 2 from all five experts: trimmed mean s, no 官网备案
(0 points), total 0.7 x s, from 0.7 x 79.5 = 55.65 (JG159) down to 0.7 x 50 = 35 (JG100); all rank
below JG03's 59.5.  So the list reads: 1 JG01 86.5 入选, 2 JG02 84.2 入选, 3 JG03 59.5 未入选,
4 JG159 55.65, 5 JG158 55.3, ... 63 JG100 35, then JG04 (往年获奖) and JG05 (不符合条件).
"""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from tests import rank_scenario as S
from xl_awards.cli import main
from xl_awards.io.ranking_print import MIN_SCALE, print_path
from xl_awards.schema import ranking_sheet as L

EXTRA = [S._app(f"JG{100 + k}", S.INST, f"机构{100 + k}", "常德市", id_code=f"91430700MA4J{100 + k:06d}")
         for k in range(60)]
EXTRA_SCORES = {f"JG{100 + k}": [(f"ZJ0{e}", 50 + k / 2) for e in range(1, 6)] for k in range(60)}
SHEETS = ["最受欢迎窗口服务平台（市州）", "最受欢迎窗口服务平台（县市区）", "服务之星", "优秀服务机构", "优秀服务专家",
          "创新服务产品", "不参加最受欢迎窗口服务平台评选的窗口平台"]


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print_book")
    hub = S.make_hub(tmp, register=S.REGISTER + EXTRA, scores={**S.SCORES, **EXTRA_SCORES})
    assert main(["rank", "--hub", str(hub)]) == 0  # the extras have no 官网备案: warnings only
    return hub, print_path(hub)


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_rank_writes_one_sheet_per_list_beside_the_hub(ranked, capsys):
    hub, book = ranked
    assert book.parent == hub.parent and book.name == f"{hub.stem}_排名打印.xlsx"
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == SHEETS


def test_the_institution_list_as_worked_out_by_hand(ranked):
    _, book = ranked
    ws = openpyxl.load_workbook(book)["优秀服务机构"]
    rows = _rows(ws)
    assert rows[0][0] == "优秀服务机构（名额 2 个）"
    assert rows[1][0].startswith("申报数 65　参评数 63　入选数 2")
    header = rows[2]
    assert "申报类别" not in header and "组别" not in header  # named by the sheet
    col = {label: header.index(label) for label in ("排名", "申报编号", "名称", "总分", "状态")}
    table = [[r[col[k]] for k in ("排名", "申报编号", "名称", "总分", "状态")] for r in rows[3:]]
    assert table[0] == [1, "JG01", "甲机构", 86.5, "入选"]
    assert table[1] == [2, "JG02", "乙机构", pytest.approx(84.2), "入选"]
    assert table[2] == [3, "JG03", "丙机构", pytest.approx(59.5), "未入选"]
    assert table[3] == [4, "JG159", "机构159", pytest.approx(55.65), "未入选"]
    assert table[62] == [63, "JG100", "机构100", pytest.approx(35), "未入选"]
    assert [t[1] for t in table[63:65]] == ["JG04", "JG05"]
    assert table[63][4] == "往年获奖继续有效" and table[64][4] == "不符合条件"
    signature = rows[-1]
    assert signature[col["名称"]] == L.SIGNATURE_LABEL and L.SIGNATURE_DATE_LABEL in signature
    # personal data: no 证件号码 on paper
    text = "".join(str(v) for r in rows for v in r if v is not None)
    assert "91430100MA4J000001" not in text


def test_print_setup_header_rows_repeated_at_a_readable_scale(ranked):
    _, book = ranked
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.scale or 100) >= MIN_SCALE
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        excluded = ws.title.startswith("不参加")
        assert ws.print_title_rows == ("$1:$2" if excluded else "$1:$3")  # title, counts, header
        assert L.PRINT_FOOTER in ws.oddFooter.center.text and "打印日期" in ws.oddHeader.right.text


@pytest.mark.libreoffice
def test_on_paper_every_page_of_the_long_list_repeats_its_title_and_header(ranked, libreoffice, tmp_path):
    _, book = ranked
    wb = openpyxl.load_workbook(book)
    for name in wb.sheetnames:  # print only the institution list
        if name != "优秀服务机构":
            del wb[name]
    only = tmp_path / "institutions.xlsx"
    wb.save(only)
    pdf = libreoffice.convert(only, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for i in range(1, pages + 1)]
    # 65 entries do not fit one page at 70 %: at least two pages down (and the wide list two across)
    assert pages >= 2
    for i, text in enumerate(texts, start=1):
        assert "优秀服务机构（名额 2 个）" in text, i  # the title, repeated
        assert "排名" in text and "名称" in text, i  # the header row and the columns repeated at the left
        assert re.search(rf"第 {i} 页，共 {pages} 页", text), i
    holding = [i for i, t in enumerate(texts) if "机构100" in t]  # the last ranked entry
    assert holding and all(L.SIGNATURE_LABEL in texts[i] for i in holding)
    assert L.SIGNATURE_LABEL not in texts[0] and "甲机构" in texts[0]
    # 43 entries a page: 机构110 (rank 53) is on the continuation page down, not the first
    assert any("机构110" in t for t in texts[1:]) and "机构110" not in texts[0]


def test_an_unwritable_print_file_leaves_the_ranking_written_and_says_so(tmp_path, capsys):
    hub = S.make_hub(tmp_path)
    print_path(hub).mkdir()  # a folder where the file should go: the write fails
    assert main(["rank", "--hub", str(hub)]) == 0
    out = capsys.readouterr().out
    assert f"排名打印工作簿 {print_path(hub).name} 未能写入" in out
    wb = openpyxl.load_workbook(hub)
    assert wb["排名"]["A1"].value.endswith("——排名")  # the ranking itself was written

"""排名 and 排名分析 on paper, checked in a PDF that LibreOffice prints from the ranked hub.

The hub is the hand-worked rank scenario (tests/rank_scenario.py): six short lists (window city,
window county, 服务之星, 优秀服务机构, 优秀服务专家, 创新服务产品) and the excluded cluster platform.
Expected on paper: A4 landscape at 70 %; each list starts a new page (so its title is the first
cell text of a page), three pages across (breaks after J and P), the page header has the title
and the print date, the footer "第 x 页，共 y 页", the signature line under every list; 排名分析 prints its short tables on one page, the expert
table from the next, then each chart on a page of its own, and no page is empty.
"""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from tests import rank_scenario as S
from xl_awards.io import ranking_sheet as RS
from xl_awards.jobs.rank import rank_hub
from xl_awards.schema import hub as H
from xl_awards.schema import ranking_sheet as L

pytestmark = pytest.mark.libreoffice
LIST_TITLES = ("最受欢迎窗口服务平台（市州）", "最受欢迎窗口服务平台（县市区）", "服务之星（", "优秀服务机构（",
               "优秀服务专家（", "创新服务产品（")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, libreoffice):
    tmp = tmp_path_factory.mktemp("print")
    hub = S.make_hub(tmp)
    rank_hub(hub, S.EDITION)
    # print only the two sheets: the others hidden in a copy
    wb = openpyxl.load_workbook(hub)
    for name in wb.sheetnames:
        if name not in (H.RANKING_SHEET, L.ANALYSIS_SHEET):
            wb[name].sheet_state = "hidden"
    wb.active = wb.sheetnames.index(H.RANKING_SHEET)
    copy = tmp / "print.xlsx"
    wb.save(copy)
    pdf = libreoffice.convert(copy, "pdf", tmp / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for i in range(1, pages + 1)]
    return hub, info, texts


def test_a4_landscape_pages_with_page_x_of_y_and_the_title(printed):
    _, info, texts = printed
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595)  # A4 landscape
    n = len(texts)
    for i, text in enumerate(texts, start=1):
        assert re.search(rf"第 {i} 页，共 {n} 页", text), i
        assert "打印日期" in text and "优秀评选——排名" in text, i


def test_each_list_starts_its_own_page_and_ends_with_the_signature_line(printed):
    _, _, all_texts = printed
    # the pages of 排名 (the page header of 排名分析's pages names that sheet)
    texts = [t for t in all_texts if "排名分析" not in next(ln for ln in t.splitlines() if ln.strip())]

    def first_cell_text(text):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return lines[1] if len(lines) > 1 else ""  # line 0 is the page header

    starts = []
    for n, title in enumerate(LIST_TITLES):
        pages = [i for i, t in enumerate(texts) if any(ln.strip().startswith(title) for ln in t.splitlines())]
        assert len(pages) == 1, (title, pages)
        if n == 0:
            assert pages == [0]  # under the sheet title and the parameters
        else:
            assert first_cell_text(texts[pages[0]]).startswith(title)  # the top of a new page
        starts.append(pages[0])
        # a short list: its signature line is on that same page
        assert L.SIGNATURE_LABEL in texts[pages[0]] and L.SIGNATURE_DATE_LABEL in texts[pages[0]]
    assert starts == sorted(starts)
    # the signature label sits in 名称 (E), one of the columns repeated on the pages further right, so
    # every printed page of a list carries it
    assert sum(t.count(L.SIGNATURE_LABEL) for t in texts) >= len(LIST_TITLES)


def test_the_print_setup_in_the_file(printed):
    hub, _, _ = printed
    wb = openpyxl.load_workbook(hub)
    ws = wb[H.RANKING_SHEET]
    assert ws.page_setup.scale >= 70 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert [b.id for b in ws.col_breaks.brk] == list(RS.COLUMN_BREAKS)
    titles = [r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(row=r, column=1).value, str)
              and ws.cell(row=r, column=1).value.startswith(LIST_TITLES)]
    # a break before every list but the first (it follows the sheet title), and before the excluded list
    breaks = [b.id for b in ws.row_breaks.brk]
    assert [t - 1 for t in titles[1:]] == breaks[:5] and len(breaks) == 6
    assert ws.print_title_cols == "$C:$E"


def test_each_chart_of_the_analysis_sits_inside_one_page(printed):
    hub, _, texts = printed
    wb = openpyxl.load_workbook(hub)
    ws = wb[L.ANALYSIS_SHEET]
    assert ws.page_setup.scale >= 70
    breaks = [b.id for b in ws.row_breaks.brk]
    assert [b.id for b in ws.col_breaks.brk] == []  # one band of columns: no page left empty beside a table
    rows = sorted(RS._chart_rows(ws))
    # the three charts under the tables (the last table ends at the sheet's last used row), CHART_ROWS apart
    last_table_row = max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value is not None)
    assert len(rows) == 3 and rows[0] > last_table_row
    assert [b - a for a, b in zip(rows, rows[1:])] == [RS.CHART_ROWS] * 2
    # a break before the expert table's title and one row above each chart
    expert_title = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == L.EXPERT_TITLE)
    assert breaks == [expert_title - 1] + [r - 2 for r in rows]
    # a chart of 9 cm = 255 pt spans 20 rows at LibreOffice's 12.8 pt; the next break is 24 rows on
    page_height_pt = (595 - 2 * 0.7 * 72) / (ws.page_setup.scale / 100)  # 595 pt minus margins, at 70 %
    emu_per_cm = 360000
    heights_cm = [c.anchor.ext.height / emu_per_cm for c in ws._charts]
    widths_cm = [c.anchor.ext.width / emu_per_cm for c in ws._charts]
    assert heights_cm == [9, 9, 9] and 9 / 2.54 * 72 < page_height_pt
    page_width_cm = (29.7 - 2 * 0.3 * 2.54) / 0.7
    assert sorted(widths_cm) == [18, 22, 24] and max(widths_cm) < page_width_cm  # 24 cm < 40 cm: not cut at the side

    # on paper: the analysis pages are the tables' two pages then one page per chart, in that order,
    # and no page is empty (each has text besides its page header and footer)
    analysis = [t for t in texts if "排名分析" in next(ln for ln in t.splitlines() if ln.strip())]
    assert len(analysis) == 5

    def body(text):
        return [ln.strip() for ln in text.splitlines()[1:] if ln.strip() and not re.match(r"第 \d+ 页", ln.strip())]

    assert all(body(t) for t in analysis)
    assert body(analysis[0])[1] == L.SUMMARY_TITLE  # under the sheet's title
    assert body(analysis[1])[0] == L.EXPERT_TITLE
    for page, title in zip(analysis[2:], (L.CHART_HISTOGRAM, L.CHART_CITY, L.CHART_EXPERT)):
        assert body(page)[0] == title  # the chart's title tops its own page
        assert sum(title in t for t in analysis) == 1  # and it is on that page only

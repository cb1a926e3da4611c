"""Printed outputs of publicity and finalize: the 公示名单 / 获奖名单 documents and the certificates.

- ``write_list_document(path, entries, edition, ...)``: an .xlsx made for printing
  (A4 portrait, one page wide, title, dates, one section per list with 序号 / name /
  unit or platform / 所属市州, the prior-award note, the hub's contact lines from the
  edition, the issuer and date, a page footer);
- ``write_certificates(path, entries, edition, date)``: one A4 landscape page per
  winner (manual page breaks), wording from the edition's ``certificates`` (the
  notice's 评选支持: 牌匾 / 奖杯及荣誉证书 / 荣誉证书);
- ``to_pdf(paths, out_dir, office=None)``: each through LibreOffice headless
  (``xl_awards.io.libreoffice``), in one soffice session.

Entries are ``xl_awards.publicity.ListEntry`` (already masked); every cell is written
as text (never a formula).  Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter

from xl_awards.edition import PERSON_AWARD_KEYS, Edition
from xl_awards.io.atomic import write_atomically
from xl_awards.scoring.categories import CATEGORIES, category_award_names as award_names
from xl_awards.publicity.listing import ListEntry, award_label
from xl_awards.publicity.masking import mask_personal_info
from xl_awards.schema import publicity as P
from xl_awards.scoring.categories import CATEGORY_AWARD

FONT = "宋体"  # Windows default for official documents; LibreOffice falls back to a CJK font elsewhere
LIST_WIDTHS = (7, 34, 38, 16)  # 序号, 名称, 单位或平台, 所属市州
CHARS_PER_LINE = 44  # CJK characters on one line across the four columns
LINE_HEIGHT = 18

# Certificate page: rows and their heights in points (sum fits A4 landscape with 0.5" margins).
CERT_ROWS = (("top", 40), ("heading", 80), ("name", 60), ("body", 150), ("issuer", 36), ("date", 36), ("form", 40))
CERT_WIDTH = 118  # column B, in character units (about 22 cm)


def prior_note(edition: Edition) -> str:
    prior = edition.data["prior_awards"]
    awards = "、".join(f"“{edition.award_name(k)}”" for k in prior["valid_awards"])
    return P.DOC_PRIOR_NOTE.format(prior_year=prior["year"], awards=awards)


def contact_lines(edition: Edition) -> list[str]:
    contacts = edition.data.get("contacts", {})
    lines = []
    for key, awards in edition.contact_awards().items():
        c = contacts.get(key)
        if c:
            names = "、".join(f"“{edition.award_name(a)}”" for a in awards)
            lines.append(P.DOC_CONTACT_LINE.format(awards=names, name=c["name"], phone=c["phone"], email=c["email"]))
    if contacts.get("hotline"):
        lines.append(P.DOC_HOTLINE.format(hotline=contacts["hotline"]))
    return lines


def _sheet_name(stem: str) -> str:
    """The document's one sheet is named after the file (公示名单 or 最终获奖名单), within Excel's rules."""
    for ch in '[]:*?/\\':
        stem = stem.replace(ch, "")
    return stem[:31] or "Sheet1"


def _height(text: str, chars: int = CHARS_PER_LINE, line: int = LINE_HEIGHT) -> int:
    lines = sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))
    return lines * line + 6


def write_list_document(path: str | Path, entries: Sequence[ListEntry], edition: Edition, *, title: str,
                        intro: Iterable[str], date: dt.date, footer: str) -> Path:
    """The printable list (公示名单 or 获奖名单) as an .xlsx; returns ``path``."""
    path = Path(path)
    names = award_names(edition)

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp))
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        f_title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center", "text_wrap": True})
        f_text = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        f_section = wb.add_format({**base, "bold": True, "font_size": 12})
        f_header = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2",
                                  "text_wrap": True})
        f_cell = wb.add_format({**base, "border": 1, "text_wrap": True})
        f_seq = wb.add_format({**base, "border": 1, "align": "center"})
        f_right = wb.add_format({**base, "align": "right"})
        ws = wb.add_worksheet(_sheet_name(path.stem))
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.6, right=0.6, top=0.7, bottom=0.8)
        ws.center_horizontally()
        # The font-size code goes before the font name: "&9" directly followed by the footer's
        # leading year ("&92021…") would read as font size 92021 and swallow the year.
        ws.set_footer(f"&C&9&\"{FONT}\"{footer}")
        for col, width in enumerate(LIST_WIDTHS):
            ws.set_column(col, col, width)
        last = len(LIST_WIDTHS) - 1
        r = 0
        ws.merge_range(r, 0, r, last, title, f_title)
        ws.set_row(r, _height(title, 30, 26))
        r += 1
        for text in intro:
            ws.merge_range(r, 0, r, last, text, f_text)
            ws.set_row(r, _height(text))
            r += 1
        r += 1
        number = 0
        for category in CATEGORIES:
            own = [e for e in entries if e.category == category]
            label = own[0].award if own else award_label(category, names)
            heading = P.DOC_SECTION.format(number=P.DOC_SECTION_NUMBERS[number], award=label, count=len(own),
                                           unit=P.DOC_COUNT_UNITS[category])
            number += 1
            ws.merge_range(r, 0, r, last, heading, f_section)
            ws.set_row(r, 22)
            r += 1
            headers = P.DOC_HEADERS_BY_CATEGORY.get(category, P.DOC_HEADERS)
            for col, text in enumerate(headers):
                ws.write_string(r, col, text, f_header)
            r += 1
            if not own:
                ws.merge_range(r, 0, r, last, P.DOC_EMPTY_SECTION, f_cell)
                r += 1
            for e in own:
                name = e.name + (P.FINAL_MOVED_UP_NOTE if e.way == P.WAY_MOVED_UP else "")
                ws.write_number(r, 0, e.seq, f_seq)
                ws.write_string(r, 1, name, f_cell)
                ws.write_string(r, 2, e.unit, f_cell)
                ws.write_string(r, 3, e.city, f_cell)
                r += 1
            r += 1
        for text in (prior_note(edition), "", P.DOC_CONTACTS_TITLE, *contact_lines(edition),
                     edition.data.get("contacts", {}).get("mail_address", "")):
            if text:
                ws.merge_range(r, 0, r, last, text, f_text)
                ws.set_row(r, _height(text))
            r += 1
        r += 1
        issuer = edition.data.get("certificates", {}).get("issuer", P.DOC_ISSUER)
        ws.merge_range(r, 0, r, last, issuer, f_right)
        ws.merge_range(r + 1, 0, r + 1, last, P.chinese_date(date), f_right)
        ws.print_area(0, 0, r + 1, last)
        wb.close()

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, write)


def certificate_texts(entry: ListEntry, edition: Edition, date: dt.date) -> dict[str, str]:
    """The texts on one winner's page (heading, name, body, issuer, date, form)."""
    cert = edition.data["certificates"]
    award_key = CATEGORY_AWARD[entry.category]
    award = edition.award_name(award_key)
    honour = cert["honour"].format(year=edition.year, award=award)
    form = cert["forms"][award_key]
    values = dict(name=entry.name, unit=entry.unit, year=edition.year, award=award, honour=honour,
                  unit_part=f"（{entry.unit}）" if entry.unit and award_key in PERSON_AWARD_KEYS else "")
    body_key = "certificate" if "证书" in form else "plaque"
    return {
        "heading": cert["headings"][award_key],
        "name": entry.name if award_key not in PERSON_AWARD_KEYS else f"{entry.name}　同志",
        "body": cert["body"][body_key].format(**values),
        "issuer": cert["issuer"],
        "date": P.chinese_date(date),
        "form": f"{award}　{form}",
        "plaque": "" if body_key == "certificate" else "1",
    }


def write_certificates(path: str | Path, entries: Sequence[ListEntry], edition: Edition, date: dt.date) -> Path:
    """One A4 landscape page per winner, in list order; returns ``path``."""
    path = Path(path)

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp))
        base = {"font_name": FONT, "align": "center", "valign": "vcenter", "text_wrap": True}
        formats = {
            "top": wb.add_format(base),
            "heading": wb.add_format({**base, "bold": True, "font_size": 40, "font_color": "#C00000"}),
            "name": wb.add_format({**base, "bold": True, "font_size": 24}),
            "body": wb.add_format({**base, "font_size": 18, "align": "left", "indent": 2}),
            "plaque": wb.add_format({**base, "font_size": 22, "bold": True}),
            "issuer": wb.add_format({**base, "font_size": 16, "align": "right"}),
            "date": wb.add_format({**base, "font_size": 16, "align": "right"}),
            "form": wb.add_format({**base, "font_size": 9, "font_color": "#808080", "align": "left"}),
        }
        ws = wb.add_worksheet(P.CERT_SHEET)
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.5, right=0.5, top=0.5, bottom=0.5)
        ws.center_horizontally()
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 2)
        ws.set_column(1, 1, CERT_WIDTH)
        ws.set_column(2, 2, 2)
        r = 0
        breaks = []
        for i, entry in enumerate(entries):
            if i:
                breaks.append(r)
            texts = certificate_texts(entry, edition, date)
            for key, height in CERT_ROWS:
                ws.set_row(r, height)
                if key != "top":
                    style = "plaque" if key == "body" and texts["plaque"] else key
                    ws.write_string(r, 1, mask_personal_info(texts[key]), formats[style])
                r += 1
        if breaks:
            ws.set_h_pagebreaks(breaks)
        ws.print_area(0, 0, max(r - 1, 0), 2)
        wb.close()

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, write)


def to_pdf(paths: Sequence[Path], out_dir: str | Path, office=None) -> list[Path]:
    """Convert each file to PDF beside it (in ``out_dir``) through LibreOffice; one session for all.

    ``office``: a started ``xl_awards.io.libreoffice.LibreOffice`` to reuse (tests share one).
    Raises ``LibreOfficeError`` when LibreOffice is missing or fails.
    """
    from xl_awards.io.libreoffice import LibreOffice

    if office is not None:
        return [office.convert(p, "pdf", out_dir, recalculate=False) for p in paths]
    with LibreOffice() as lo:
        return [lo.convert(p, "pdf", out_dir, recalculate=False) for p in paths]

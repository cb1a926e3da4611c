"""The 补正 round trip (pure core): the hub's 申报汇总 -> one corrections list per city.

Rule: every application of the register whose 判定依据 records a problem is listed for the city
that sent it (the register's 报送单位; a county's workbook goes to its city, a direct
recommendation to its own submitter), one line per problem, grouped by applicant: the
application, the sheet and cell of the city's workbook, the problem (the finding's message as
recorded), its effect (资格不符 / 待补正 / 待定) and what to do.  Not listed: applications the hub
decided by hand (a 人工认定 line), 2020 awardees (nothing to correct) and applications without a
problem.  The city corrects its workbook and sends it again; consolidate replaces its rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from xl_awards.base import messages, normalize as nz
from xl_awards.edition import Edition
from xl_awards.hub.consolidation import DECISION_TAG, DIRECT, HUB_TAG, OWN_TAG, line_effect, submitter_city
from xl_awards.schema import hub as H

# What the city does, by effect.
TODO = {
    messages.CORRECT: "请按问题说明补齐或更正后重新报送工作簿（补正后照常参评）",
    messages.EXCLUDE: "不符合通知规定的参评条件；如认为有误，请提供证明材料说明",
    messages.DECIDE: "由省枢纽平台确定保留哪一个申报；如有误请说明情况",
}
_OWN = re.compile(r"^【申报表\s*(?P<where>[^】]*)】(?:〔[^〕]*〕)?(?P<text>.*)$", re.S)
_CELL = re.compile(r"^[A-Z]{1,3}\d+$")


@dataclass(frozen=True)
class CorrectionLine:
    app_id: str
    award: str
    name: str
    status: str
    sheet: str
    cell: str
    problem: str
    effect: str  # messages.EXCLUDE / CORRECT / DECIDE
    source_file: str
    source_row: int | None

    @property
    def effect_label(self) -> str:
        return messages.EFFECT_LABELS[self.effect]

    @property
    def todo(self) -> str:
        return TODO[self.effect]


def _where(where: str, own_sheet: str) -> tuple[str, str]:
    """``K5`` -> (its sheet, K5); ``服务对象情况 F7`` -> (服务对象情况, F7); ``第5行`` -> (its sheet, '')."""
    parts = where.split()
    if parts and _CELL.match(parts[-1]):
        return (" ".join(parts[:-1]) or own_sheet), parts[-1]
    return (" ".join(p for p in parts if not p.startswith("第")) or own_sheet), ""


def _hub_effect(status: str) -> str:
    return messages.DECIDE if status == H.STATUS_UNDECIDED else (
        messages.EXCLUDE if status == H.STATUS_INELIGIBLE else messages.CORRECT)


def register_lines(row: dict[str, Any]) -> list[CorrectionLine]:
    """The corrections of one 申报汇总 row (none when decided by hand or nothing is recorded)."""
    reasons = [line.strip() for line in _t(row.get("reasons")).splitlines() if line.strip()]
    status = nz.clean_text(row.get("status"))
    if not reasons or any(line.startswith(DECISION_TAG) for line in reasons):
        return []
    base = dict(app_id=nz.clean_text(row.get("app_id")), award=nz.clean_text(row.get("award")),
                name=_t(row.get("name")), status=status,
                source_file=_t(row.get("source_file")), source_row=_int(row.get("source_row")))
    own_sheet = nz.clean_text(row.get("source_sheet"))
    out = []
    for line in reasons:
        if line.startswith(OWN_TAG):
            m = _OWN.match(line)
            sheet, cell = _where(m["where"], own_sheet) if m else (own_sheet, "")
            out.append(CorrectionLine(**base, sheet=sheet, cell=cell, problem=(m["text"] if m else line).strip(),
                                      effect=line_effect(line)))
        elif line.startswith(HUB_TAG):
            out.append(CorrectionLine(**base, sheet=own_sheet, cell="", problem=line[len(HUB_TAG):].strip(),
                                      effect=_hub_effect(status)))
    return out


def _t(value: Any) -> str:
    """A register cell as written (no NFKC folding: the message text is shown as recorded)."""
    return "" if value is None else str(value).strip()


def _int(value: Any) -> int | None:
    try:
        return nz.to_int(value)
    except ValueError:
        return None


def city_of(submitter: str, edition: Edition) -> str:
    """Who receives the list: the submitter's city, or the direct submitter itself (直报：file)."""
    return submitter_city(submitter, edition) or submitter or f"{DIRECT}"


def corrections_by_city(register: Iterable[tuple[int, dict[str, Any]]], edition: Edition) -> dict[str, list[CorrectionLine]]:
    """City (or direct submitter) -> its correction lines, applicants in register order."""
    prior = H.prior_award_status(edition)
    out: dict[str, list[CorrectionLine]] = defaultdict(list)
    for _, row in register:
        if nz.clean_text(row.get("status")) == prior:
            continue
        lines = register_lines(row)
        if lines:
            out[city_of(nz.clean_text(row.get("submitter")) or nz.clean_text(row.get("city")), edition)].extend(lines)
    order = {c: i for i, c in enumerate(edition.divisions.city_names)}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def applicant_count(lines: Iterable[CorrectionLine]) -> int:
    return len({line.app_id or line.name for line in lines})

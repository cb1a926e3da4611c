"""What every job that writes the hub's ``操作日志`` records: when, who, and the findings' counts."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Iterable

from xl_awards.base.findings import SEVERITY_LABELS, Finding, count_by_severity


def now_text() -> str:
    """The local time to the second, as the log and the register show it (``2022-09-21 10:05:00``)."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def current_user() -> str:
    """The operating-system login name of whoever runs the command ('' where there is none)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return ""


def counts_text(findings: Iterable[Finding]) -> str:
    """The findings' counts as a log cell shows them: ``错误1，警告0，提示2``."""
    return "，".join(f"{SEVERITY_LABELS[s]}{n}" for s, n in count_by_severity(findings).items())

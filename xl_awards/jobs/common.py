"""What every job that writes the hub's ``操作日志`` records: when and who."""

from __future__ import annotations

import datetime as dt
import getpass


def now_text() -> str:
    """The local time to the second, as the log and the register show it (``2022-09-21 10:05:00``)."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def current_user() -> str:
    """The operating-system login name of whoever runs the command ('' where there is none)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return ""

"""The 上次运行 column of the hub's ``工作台``: when each step last ran, from ``操作日志``.

Rule: a step's last run is the latest 时间 among the ``操作日志`` rows whose 操作 is the step's
log action (times are written as ``YYYY-MM-DD HH:MM:SS`` text, so the latest sorts last);
a step with no such row shows ``尚未运行``.  The column is recomputed whole whenever the hub
is rewritten, so it can never disagree with the log.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from xl_awards.schema.workbench import HUB_STEPS, NEVER_RUN


def last_runs(log_rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """{step key: the latest 时间 of its log action, or ``尚未运行``} for every hub step, in step order."""
    latest: dict[str, str] = {}
    for row in log_rows:
        action = str(row.get("action") or "").strip()
        when = str(row.get("time") or "").strip()
        if action and when and when > latest.get(action, ""):
            latest[action] = when
    return {step.key: latest.get(step.log_action or "", NEVER_RUN) for step in HUB_STEPS}


def last_run_column(log_rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The 上次运行 cells, top to bottom (one per step of ``HUB_STEPS``)."""
    return list(last_runs(log_rows).values())

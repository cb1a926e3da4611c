"""工作台's 上次运行: the latest 操作日志 time of each step's action, worked out by hand."""

from xl_awards.hub.workbench import last_run_column, last_runs
from xl_awards.schema.workbench import HUB_STEPS, NEVER_RUN


def test_latest_time_per_step_and_never_run_for_the_rest():
    log = [
        {"time": "2022-08-01 09:00:00", "action": "汇总申报"},
        {"time": "2022-08-03 10:30:00", "action": "汇总申报"},  # later: wins
        {"time": "2022-08-02 08:00:00", "action": "汇总申报"},  # earlier than the one above
        {"time": "2022-09-01 15:00:00", "action": "计算排名"},
        {"time": "", "action": "公示"},  # no time: not a run
        {"time": "2022-09-09 09:00:00", "action": "别的操作"},  # no step has this action
    ]
    assert last_runs(log) == {
        "consolidate": "2022-08-03 10:30:00", "expert_sheets": NEVER_RUN, "collect": NEVER_RUN,
        "rank": "2022-09-01 15:00:00", "publicity": NEVER_RUN, "finalize": NEVER_RUN,
    }
    assert len(last_run_column(log)) == len(HUB_STEPS) == 6


def test_an_empty_log_leaves_every_step_never_run():
    assert last_run_column([]) == [NEVER_RUN] * 6

"""The buttons of the built ``.xlsm`` workbooks on xlwings' remote engine (no Excel, no mocks).

Each Python entry point the macros name (``macros/*.bas`` → ``xl_awards.excel.buttons``) runs on a
payload made from a built workbook; what it sends back to Excel (``book.json()``) is compared
with what the command line writes for the same inputs, and the number of Excel calls is the
same for 10 and for 1,000 applications.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

xw = pytest.importorskip("xlwings")

from tests.excel.test_buttons import actions, payload_from_file, remote_engine  # noqa: E402,F401
from xl_awards.demo.sample import sample_intake_rows  # noqa: E402
from xl_awards.demo.sample_hub import sample_hub_rows  # noqa: E402
from xl_awards.edition import load_edition  # noqa: E402
from xl_awards.io.hub_template import write_hub_workbook  # noqa: E402
from xl_awards.io.intake_fill import fill_intake_workbook  # noqa: E402
from xl_awards.io.intake_template import write_intake_workbook  # noqa: E402
from xl_awards.io.vba_project import HUB_MODULE, INTAKE_MODULE, module_path  # noqa: E402
from xl_awards.schema import hub as H  # noqa: E402
from xl_awards.schema import workbench as W  # noqa: E402

EDITION = load_edition(2021)


def test_every_macro_names_an_entry_point_that_exists():
    from xl_awards.excel import buttons

    for module in (HUB_MODULE, INTAKE_MODULE):
        source = module_path(module).read_text(encoding="ascii")
        entries = re.findall(r'RunStep "(\w+)"', source)
        assert entries, module
        for entry in entries:
            assert callable(getattr(buttons, entry)), entry
    hub = module_path(HUB_MODULE).read_text(encoding="ascii")
    for step in W.HUB_STEPS:
        assert f"Public Sub {step.macro}()" in hub


@pytest.fixture(scope="module")
def city_files(tmp_path_factory):
    """长沙市 workbooks with 10 and with 1,000 优秀服务机构 applications (valid sample rows)."""
    folder = tmp_path_factory.mktemp("cities")
    template = write_intake_workbook(EDITION, folder / "模板.xlsx", "长沙市")
    out = {}
    for n in (10, 1000):
        rows = sample_intake_rows(EDITION, "长沙市", counts={"institution": n})
        out[n] = fill_intake_workbook(template, rows, folder / f"{n}" / "长沙市申报.xlsx")
    return out


def _xlsm_hub(folder: Path) -> Path:
    return write_hub_workbook(EDITION, folder, sample=sample_hub_rows(EDITION), macros=True)


def _sheet_writes(book, payload, sheet):
    pos = [s["name"] for s in payload["sheets"]].index(sheet)
    return [a for a in actions(book, "setValues") if a["sheet_position"] == pos]


def _day(value):
    """A date as the remote engine sends it back to Excel (ISO text; Excel turns it into the date)."""
    import datetime as dt

    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return value


def _masked(grid, header_row=1):
    """``grid`` with the columns whose header names a time blanked (the button and the command ran at
    different seconds) and trailing blanks dropped."""
    header = grid[header_row] if len(grid) > header_row else []
    timed = {i for i, v in enumerate(header) if isinstance(v, str) and "时间" in v}
    rows = [[None if (i in timed and r > header_row) or v == "" else _day(v) for i, v in enumerate(row)]
            for r, row in enumerate(grid)]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _consolidate_button(tmp_path, city_file):
    from xl_awards.excel.buttons import xl_consolidate

    hub = _xlsm_hub(tmp_path / "hub")
    payload = payload_from_file(hub)
    bench = payload["sheets"][0]
    assert bench["name"] == W.WORKBENCH_SHEET
    # what the file dialog leaves in the 填写 cell of step 1
    bench["values"][W.FIRST_STEP_ROW][W.COL_INPUT] = str(city_file)
    book = xw.Book(json=payload)
    message = xl_consolidate(book, hub_file=hub, edition=EDITION)
    return hub, payload, book, message


def test_consolidate_button_writes_what_the_command_writes(tmp_path, city_files):
    from xl_awards.excel.buttons import _file_grid
    from xl_awards.jobs.consolidate import consolidate_files

    hub, payload, book, message = _consolidate_button(tmp_path, city_files[10])
    assert message.startswith("导入市州申报完成。")
    written = _sheet_writes(book, payload, H.REGISTER_SHEET)
    assert len(written) == 1 and written[0]["start_row"] == 0 and written[0]["start_column"] == 0
    # the command on a separate copy of the same built hub with the same file
    command_hub = _xlsm_hub(tmp_path / "command")
    consolidate_files(command_hub, [city_files[10]], EDITION)
    expected = _file_grid(command_hub)[H.REGISTER_SHEET]
    assert _masked(written[0]["values"]) == _masked(expected)
    # 10 institutions + 3 stars + 2 experts + 2 products = 17 applications under title and header
    assert len(_masked(expected)) == 2 + 17
    # the 工作台: 上次运行 of step 1 is now a time, the others still 尚未运行
    bench = _sheet_writes(book, payload, W.WORKBENCH_SHEET)
    assert len(bench) == 1
    last = [row[W.COL_LAST_RUN] for row in bench[0]["values"][W.FIRST_STEP_ROW:W.FIRST_STEP_ROW + 6]]
    assert last[0] != W.NEVER_RUN and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", last[0])
    assert last[1:] == [W.NEVER_RUN] * 5
    # the file itself is untouched: the button worked on a copy
    assert payload_from_file(hub)["sheets"][0]["values"] == payload_from_file(_xlsm_hub(tmp_path / "again"))["sheets"][0]["values"]


def test_consolidate_button_makes_as_many_excel_calls_for_1000_rows_as_for_10(tmp_path, city_files):
    counts = {}
    for n, city_file in city_files.items():
        _, _, book, _ = _consolidate_button(tmp_path / str(n), city_file)
        counts[n] = [a["func"] for a in book.json()["actions"]]
    # one clear + one write for each changed sheet (工作台, 申报汇总, 操作日志), then the message
    assert counts[10] == counts[1000]
    assert counts[10].count("setValues") == 3 and counts[10][-1] == "alert"


def test_validate_button_makes_as_many_excel_calls_for_1000_rows_as_for_10(city_files):
    from xl_awards.excel.buttons import xl_validate

    funcs = {}
    for n, path in city_files.items():
        book = xw.Book(json=payload_from_file(path))
        xl_validate(book, EDITION)
        funcs[n] = [a["func"] for a in book.json()["actions"]]
    # valid sample rows: no finding, so no colour; the 校验结果 header in one write, then the message
    assert funcs[10] == funcs[1000]
    assert funcs[10].count("setValues") == 1 and funcs[10][-1] == "alert" and "setRangeColor" not in funcs[10]


def test_clear_marks_uncolours_the_cells_the_last_check_named(tmp_path, city_files):
    from xl_awards.excel.buttons import xl_clear_marks
    from xl_awards.schema.intake import FINDINGS_SHEET
    from xl_awards.sheets.findings_sheet import FINDINGS_COLUMNS

    payload = payload_from_file(city_files[10])
    findings = next(s for s in payload["sheets"] if s["name"] == FINDINGS_SHEET)
    # two marks an earlier 校验 left (序号, 工作表, 单元格, ...), as findings_rows writes them
    row = lambda i, sheet, cell: [i, sheet, cell] + [""] * (len(FINDINGS_COLUMNS) - 3)
    findings["values"] = [list(FINDINGS_COLUMNS), row(1, "优秀服务机构", "C3"), row(2, "服务之星", "D4")]
    book = xw.Book(json=payload)
    message = xl_clear_marks(book)
    cleared = [(a["sheet_position"], a["start_row"], a["start_column"]) for a in actions(book, "setRangeColor")]
    names = [s["name"] for s in payload["sheets"]]
    assert cleared == [(names.index("优秀服务机构"), 2, 2), (names.index("服务之星"), 3, 3)]
    assert "2 个单元格" in message
    pos = names.index(FINDINGS_SHEET)
    assert [a["values"] for a in actions(book, "setValues") if a["sheet_position"] == pos] == [[list(FINDINGS_COLUMNS)]]


def test_a_step_without_a_saved_file_or_files_says_one_line_and_writes_nothing(tmp_path):
    from xl_awards.excel.buttons import STEP_NEEDS_SAVE, STEP_NO_FILES, xl_collect, xl_consolidate

    hub = _xlsm_hub(tmp_path)
    book = xw.Book(json=payload_from_file(hub))
    assert xl_consolidate(book, hub_file=tmp_path / "不存在.xlsm", edition=EDITION) == STEP_NEEDS_SAVE
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    book = xw.Book(json=payload_from_file(hub))
    assert xl_collect(book, hub_file=hub, edition=EDITION) == STEP_NO_FILES
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    before = hub.read_bytes()
    assert hub.read_bytes() == before


def test_expert_sheets_button_issues_what_the_command_issues(tmp_path, city_files):
    """生成专家评分表 on a hub with 17 consolidated applications: the same assignment and expert workbooks as the
    command (the 评审分配 rows compared without the issue time and signature, which differ per issue)."""
    from xl_awards.excel.buttons import _file_grid, xl_expert_sheets
    from xl_awards.jobs.consolidate import consolidate_files
    from xl_awards.jobs.expert_sheets import issue_expert_sheets
    from xl_awards.schema.review import ASSIGNMENT_SCHEMA

    hubs = {}
    for who in ("button", "command"):
        hub = _xlsm_hub(tmp_path / who)
        consolidate_files(hub, [city_files[10]], EDITION)
        hubs[who] = hub
    payload = payload_from_file(hubs["button"])
    book = xw.Book(json=payload)
    message = xl_expert_sheets(book, hub_file=hubs["button"], edition=EDITION)
    assert message.startswith("生成专家评分表完成。")
    button_out = tmp_path / "button" / "专家评分表"  # the default folder beside the hub
    _, written = issue_expert_sheets(hubs["command"], tmp_path / "command" / "专家评分表", EDITION)
    assert sorted(p.name for p in button_out.iterdir()) == sorted(p.name for p in written) and written
    # the review key was created beside the real hub (collect needs it there), not left in the temporary copy
    from xl_awards.io.expert_book import key_file_path

    assert key_file_path(hubs["button"]).is_file()
    # 评审分配 is a new sheet (added by the button): its write is the one whose title row names it
    sheet_writes = [a for a in actions(book, "setValues") if a["values"][0][0] == ASSIGNMENT_SCHEMA.name]
    expected = _file_grid(hubs["command"])[ASSIGNMENT_SCHEMA.name]

    def plain(grid):
        header = grid[1]
        drop = {i for i, v in enumerate(header) if isinstance(v, str) and ("时间" in v or "签名" in v or "校验" in v)}
        return [[v for i, v in enumerate(row) if i not in drop] for row in _masked(grid)]

    assert sheet_writes and plain(sheet_writes[-1]["values"]) == plain(expected)


def _with_workbench_input(payload, step_key, value):
    """``payload`` with a 工作台 sheet whose 填写 cell of ``step_key`` holds ``value`` (the .xlsx hub has none)."""
    grid = [[""] * (W.COL_LAST_RUN + 1) for _ in range(W.FIRST_STEP_ROW + len(W.HUB_STEPS))]
    index = [s.key for s in W.HUB_STEPS].index(step_key)
    grid[W.FIRST_STEP_ROW + index][W.COL_INPUT] = value
    payload["sheets"].insert(0, {"name": W.WORKBENCH_SHEET, "values": grid, "visibility": "Visible",
                                 "pictures": [], "tables": []})
    return payload


def test_publicity_and_finalize_buttons_write_what_the_commands_write(tmp_path):
    """生成公示名单 then 公示期满定稿 on the publicity tests' hub (13 institutions, 2 stars, no tie at a quota
    line): the 公示名单 and 获奖名单 written back equal the commands' (same start date; finalize the day after
    the publicity window)."""
    import datetime as dt

    from tests.jobs import test_publicity_job as P
    from xl_awards.excel.buttons import _file_grid, xl_finalize, xl_publicity
    from xl_awards.jobs.finalize import finalize_hub
    from xl_awards.jobs.publicity import publicity_hub
    from xl_awards.schema.publicity import FINAL_SHEET

    hubs = {who: P.make_hub(tmp_path / who, P.CLEAN) for who in ("button", "command")}
    start = EDITION.date("publicity_start_planned")
    run = publicity_hub(hubs["command"], start, EDITION, tmp_path / "command" / "out", pdf=False)
    assert run.written
    after = run.window.end + dt.timedelta(days=1)

    payload = _with_workbench_input(payload_from_file(hubs["button"]), "publicity", start.isoformat())
    book = xw.Book(json=payload)
    assert xl_publicity(book, hub_file=hubs["button"], edition=EDITION, pdf=False).startswith("生成公示名单完成。")
    writes = [a for a in actions(book, "setValues") if a["values"][0][0] == H.PUBLICITY_SHEET]
    assert len(writes) == 1
    assert _masked(writes[0]["values"]) == _masked(_file_grid(hubs["command"])[H.PUBLICITY_SHEET])

    # the button's hub file is unchanged (the user saves the open workbook): finalize runs on the
    # command's publicity state, as it would after saving
    finalize_hub(hubs["command"], after, EDITION, tmp_path / "command" / "out", pdf=False)
    hubs["button"].write_bytes(_publicity_state(hubs, tmp_path))
    payload = _with_workbench_input(payload_from_file(hubs["button"]), "finalize", after.isoformat())
    book = xw.Book(json=payload)
    assert xl_finalize(book, hub_file=hubs["button"], edition=EDITION, pdf=False).startswith("公示期满定稿完成。")
    writes = [a for a in actions(book, "setValues") if a["values"][0][0] == FINAL_SHEET]
    assert len(writes) == 1
    assert _masked(writes[0]["values"]) == _masked(_file_grid(hubs["command"])[FINAL_SHEET])


def _publicity_state(hubs, tmp_path):
    """The command hub as it was right after its publicity run: its newest backup (taken before finalize).

    In time order, not name order: two backups made in the same second are ``…-153000.xlsx`` and
    ``…-153000-2.xlsx``, and the second sorts first by name."""
    from xl_awards.io.atomic import backups_of

    return backups_of(hubs["command"])[-1].read_bytes()


def test_finalize_button_on_a_hub_without_publicity_says_not_done_and_writes_nothing(tmp_path):
    """公示期满定稿 before 生成公示名单 ran: the command refuses (no 公示名单), so the button says the step is
    not done and that the workbook is unchanged, writes no range back and leaves the hub file as it was."""
    import datetime as dt

    from tests.jobs import test_publicity_job as P
    from xl_awards.excel.buttons import xl_finalize

    hub = P.make_hub(tmp_path / "button", P.CLEAN)
    before = hub.read_bytes()
    day = EDITION.date("publicity_start_planned") + dt.timedelta(days=30)
    payload = _with_workbench_input(payload_from_file(hub), "finalize", day.isoformat())
    book = xw.Book(json=payload)
    message = xl_finalize(book, hub_file=hub, edition=EDITION, pdf=False)
    assert message.startswith("公示期满定稿未完成，工作簿未改动。")
    assert "完成。" not in message.replace("未完成", "")
    assert actions(book, "setValues") == []
    assert hub.read_bytes() == before


def test_collect_button_imports_what_the_command_imports_from_a_chosen_folder(tmp_path):
    """收回专家评分 with a folder in 填写 (the dialog's folder choice): the 专家评分 rows written back equal the
    command's for the same five returned workbooks (the collect tests' hub: totals 80, 60, 90, 70, 50)."""
    from tests.jobs import test_collect as C
    from xl_awards.excel.buttons import _file_grid, xl_collect
    from xl_awards.io.expert_book import key_file_path
    from xl_awards.jobs.collect import collect_files

    hub = C.make_hub(tmp_path)
    issued = C.issue(tmp_path, hub)
    files = C.returned(tmp_path, issued)
    command_dir = tmp_path / "command"
    command_dir.mkdir()
    command_hub = command_dir / hub.name
    shutil.copyfile(hub, command_hub)
    shutil.copyfile(key_file_path(hub), key_file_path(command_hub))
    result = collect_files(command_hub, sorted(files.values()), EDITION)
    assert len(result.imported) == 5

    payload = _with_workbench_input(payload_from_file(hub), "collect", str(tmp_path / "returned"))
    book = xw.Book(json=payload)
    message = xl_collect(book, hub_file=hub, edition=EDITION)
    assert message == "收回专家评分完成。导入 5 位专家的评分，退回 0 个工作簿。"
    writes = _sheet_writes(book, payload, H.SCORES_SHEET)
    assert len(writes) == 1
    assert _masked(writes[0]["values"]) == _masked(_file_grid(command_hub)[H.SCORES_SHEET])

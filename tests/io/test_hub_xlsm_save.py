"""Saving an .xlsm hub with openpyxl: the VBA project, the buttons and the 工作台 dates.

Every hub command saves through ``xl_awards.io.hub.save_hub``; the full chain on an .xlsm hub
(consolidate, expert-sheets, collect, rank, publicity, finalize) runs in ``tests/demo``.
"""

from __future__ import annotations

import zipfile

import openpyxl

from xl_awards.edition import load_edition
from xl_awards.io.hub import append_sheet_rows, hub_sheet_schema, load_hub_for_update, restore_missing_parts, save_hub
from xl_awards.io.hub_template import write_hub_workbook
from xl_awards.schema import hub as H
from xl_awards.schema import workbench as W

EDITION = load_edition(2021)


def test_save_keeps_the_project_and_buttons_and_refreshes_the_workbench(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path, macros=True)
    project = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    wb = load_hub_for_update(path)
    append_sheet_rows(wb, hub_sheet_schema(EDITION, H.LOG_SHEET), [
        {"time": "2022-09-01 10:00:00", "user": "测试", "action": "计算排名", "file": path.name},
        {"time": "2022-09-02 11:00:00", "user": "测试", "action": "计算排名", "file": path.name},
    ])
    save_hub(wb, path, make_backup=False)
    assert path.suffix == ".xlsm"
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == project
        assert z.read("xl/drawings/vmlDrawing1.vml").decode().count('ObjectType="Button"') == 6
    ws = openpyxl.load_workbook(path)[W.WORKBENCH_SHEET]
    last = [ws.cell(row=W.FIRST_STEP_ROW + 1 + i, column=W.COL_LAST_RUN + 1).value for i in range(6)]
    # step 4 is 计算排名: the later of its two log rows; the others never ran
    assert last == [W.NEVER_RUN] * 3 + ["2022-09-02 11:00:00"] + [W.NEVER_RUN] * 2


def test_a_part_a_sheet_points_at_but_the_save_left_out_is_copied_back(tmp_path):
    path = write_hub_workbook(EDITION, tmp_path, macros=True)
    original = path.read_bytes()
    # what openpyxl does to vmlDrawing10.vml and up: the sheet still points at it, the part is gone
    broken = tmp_path / "broken.xlsm"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            if item.filename != "xl/drawings/vmlDrawing10.vml":
                out.writestr(item, src.read(item))
    assert restore_missing_parts(original, broken) == ["xl/drawings/vmlDrawing10.vml"]
    with zipfile.ZipFile(broken) as z, zipfile.ZipFile(path) as src:
        assert z.read("xl/drawings/vmlDrawing10.vml") == src.read("xl/drawings/vmlDrawing10.vml")
    assert restore_missing_parts(original, broken) == []  # nothing left to restore

"""Issue 10, case by case: nothing lost, nothing crashes.

Every case runs the real command (``main``, or a real second process for the lock) on real
workbooks and checks the exit code, the one Chinese line, and the SHA-256 of the hub and of every
input before and after.  Expected messages are the templates of ``base/messages.py`` filled in by
hand.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from factory import write_intake
from hubfactory import EDITION, make_hub, register
from xl_awards.cli import main
from xl_awards.demo.sample import sample_intake_rows
from xl_awards.io.hub_lock import note_path

REPO = Path(__file__).parents[2]


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def shas(*paths: Path) -> dict[Path, str]:
    return {Path(p): sha(p) for p in paths}


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def city_file(folder: Path, city: str, seed: int = 1, count: int = 1) -> Path:
    rows = sample_intake_rows(EDITION, city, seed=seed, counts={"star": count, "institution": count, "expert": 0,
                                                                  "product": 0})
    return write_intake(folder / f"{city}.xlsx", rows, city=city)


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


# -- 1. one writer per hub ------------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys, time
    from xl_awards.io.hub_lock import hub_writer
    with hub_writer(sys.argv[1], "测试持有"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("XL_AWARDS_REVIEW_KEY", None)
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def test_a_second_writer_waits_then_stops_writing_nothing(tmp_path):
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    before = shas(hub, intake)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(hub), "20"], stdout=subprocess.PIPE, text=True,
                              env=_env())
    try:
        assert holder.stdout.readline().strip() == "held"
        note = note_path(hub).read_text(encoding="utf-8")
        assert f"pid={holder.pid}" in note and f"host={socket.gethostname()}" in note and "command=测试持有" in note
        start = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "xl_awards", "consolidate", "--hub", str(hub), str(intake)],
                                capture_output=True, text=True, env=_env(XL_AWARDS_LOCK_WAIT="1"), timeout=120)
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 2 and "Traceback" not in second.stderr
    line = second.stderr.strip()
    assert line.startswith(f"{hub.name}：正在被另一次运行写入（用户 ") and f"进程 {holder.pid}" in line
    assert line.endswith("已等待 1 秒仍未结束，本次未写入；请等其完成后再运行") and "\n" not in line
    assert waited >= 1
    assert shas(hub, intake) == before


def test_two_consolidate_runs_at_once_lose_nothing(tmp_path):
    # Run A imports 长沙市 (1 star + 1 institution = 2 rows), run B 衡阳市 (2 rows), at the same time:
    # the second waits for the first, so the register has all 2 + 2 = 4 rows and the log both files.
    hub = make_hub(tmp_path / "hub")
    a, b = city_file(tmp_path, "长沙市", 1), city_file(tmp_path, "衡阳市", 2)
    before = shas(a, b)
    procs = [subprocess.Popen([sys.executable, "-m", "xl_awards", "consolidate", "--hub", str(hub), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=_env(XL_AWARDS_LOCK_WAIT="120")) for f in (a, b)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    rows = register(hub)
    assert sorted(r["city"] for r in rows) == ["衡阳市", "衡阳市", "长沙市", "长沙市"]
    assert shas(a, b) == before
    assert not note_path(hub).exists()


def test_a_stale_lock_is_reported_with_how_to_clear_it(tmp_path, capsys):
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # that process has ended
    note_path(hub).write_text(f"user=张三\nhost={socket.gethostname()}\npid={pid}\ntime=2022-09-21 10:00:00\n"
                              "command=汇总申报\n", encoding="utf-8")
    before = shas(hub, intake, note_path(hub))
    code, _, err = run(capsys, "consolidate", "--hub", hub, intake)
    assert code == 2
    assert err.strip() == (f"{hub.name}：发现遗留的写入锁 {hub.name}.lock（用户 张三，主机 {socket.gethostname()}，进程 {pid}，"
                           f"汇总申报自 2022-09-21 10:00:00 开始，已超过 12 小时）；请确认没有人正在运行 xl-awards 后删除该文件，"
                           f"再重新运行，本次未写入")
    assert shas(hub, intake, note_path(hub)) == before
    note_path(hub).unlink()  # what the message says to do
    assert run(capsys, "consolidate", "--hub", hub, intake)[0] == 0


# -- 3. a stray cell in the hub --------------------------------------------------------------------

@pytest.mark.parametrize("command", ["rank", "consolidate"])
def test_a_stray_cell_far_out_in_the_hub_is_refused(tmp_path, capsys, command):
    hub = make_hub(tmp_path / "hub")
    wb = openpyxl.load_workbook(hub)
    wb["设置"]["XFD100000"] = "x"
    wb.save(hub)
    intake = city_file(tmp_path, "长沙市")
    before = shas(hub, intake)
    args = ["rank", "--hub", hub] if command == "rank" else ["consolidate", "--hub", hub, intake]
    code, _, err = run(capsys, *args)
    assert code == 2
    # openpyxl writes the dimension A1:XFD100000: 100,000 rows are allowed, column 16,384 is not
    assert err.strip() == (f"{hub.name}：工作表“设置”用到第 16384 列，超过上限 500 列（可能有远处的零散单元格），"
                           "已拒绝读取；请删除多余的列后再试")
    assert shas(hub, intake) == before


# -- 4. write errors ------------------------------------------------------------------------------

def test_backup_step_failing_leaves_the_hub(tmp_path, capsys, monkeypatch):
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    before = shas(hub, intake)

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("xl_awards.io.atomic.shutil.copy2", refuse)  # the hub's folder refuses the backup
    code, _, err = run(capsys, "consolidate", "--hub", hub, intake)
    assert code == 2
    assert err.strip() == (f"{hub.name}：无法在所在文件夹保存备份（Permission denied），本次未写入；"
                           "请检查文件夹的写入权限或磁盘空间")
    assert shas(hub, intake) == before and visible(hub.parent) == [hub.name]


def test_disk_full_on_the_hub_write_leaves_everything(tmp_path, capsys, monkeypatch):
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    before = shas(hub, intake)

    def full(self, filename):
        Path(filename).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full)
    monkeypatch.setattr("xl_awards.io.sheet_parts.write_parts", lambda source, target, *_: full(None, target))
    code, _, err = run(capsys, "consolidate", "--hub", hub, intake)
    assert code == 2
    assert err.strip() == f"{hub.name}：写入失败（No space left on device），原文件未改动"
    assert shas(hub, intake) == before and visible(hub.parent) == [hub.name]  # no backup, no temporary file


def _expert_hub(tmp_path: Path) -> Path:
    """A hub with two pending institutions and three experts (enough for the default panel)."""
    from xl_awards.io.hub import hub_sheet_schema, load_hub_for_update, replace_sheet_rows, save_hub
    from xl_awards.schema import hub as H

    hub = make_hub(tmp_path / "hub")
    wb = load_hub_for_update(hub)
    register_rows = [dict(app_id=f"JG00{i}", award="优秀服务机构", name=f"机构{i}", city="长沙市", status="待评审",
                          unit=f"机构{i}") for i in (1, 2)]
    experts = [dict(expert_id=f"E0{i}", name=f"专家{i}", employer=f"单位{i}", city="衡阳市",
                    review_awards="优秀服务机构") for i in range(1, 8)]
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.REGISTER_SHEET), register_rows)
    replace_sheet_rows(wb, hub_sheet_schema(EDITION, H.EXPERTS_SHEET), experts)
    save_hub(wb, hub, make_backup=False)
    return hub


def test_expert_sheets_out_naming_a_file_writes_nothing_and_no_key(tmp_path, capsys):
    hub = _expert_hub(tmp_path)
    out = tmp_path / "专家评分表"
    out.write_text("not a folder", encoding="utf-8")
    before = shas(hub, out)
    code, _, err = run(capsys, "expert-sheets", "--hub", hub, "--out", out)
    assert code == 2
    assert err.strip() == f"{out}：已存在同名文件，不是文件夹，请指定一个文件夹；本次未写入任何文件"
    assert shas(hub, out) == before and visible(hub.parent) == [hub.name]  # no key file left behind


def test_expert_sheets_failing_mid_way_leaves_no_workbook_no_key(tmp_path, capsys, monkeypatch):
    hub = _expert_hub(tmp_path)
    out = tmp_path / "专家评分表"
    before = shas(hub)
    from xl_awards.io import expert_book

    real = expert_book.write_expert_workbook
    calls = []

    def second_fails(edition, book, path, key, contact=None):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(edition, book, path, key, contact)

    monkeypatch.setattr(expert_book, "write_expert_workbook", second_fails)
    code, _, err = run(capsys, "expert-sheets", "--hub", hub, "--out", out)
    assert code == 2 and len(calls) == 2
    assert err.strip() == f"{out}：输出位置不可写（No space left on device），本次未写入任何文件，省枢纽平台工作簿未改动"
    assert shas(hub) == before and visible(hub.parent) == [hub.name]
    assert not out.exists() and visible(tmp_path) == ["hub"]


def test_expert_sheets_writes_the_key_after_the_workbooks(tmp_path, capsys):
    hub = _expert_hub(tmp_path)
    out = tmp_path / "专家评分表"
    code, _, _ = run(capsys, "expert-sheets", "--hub", hub, "--out", out)
    assert code == 0
    books = sorted(out.glob("专家评分_*.xlsx"))
    key = hub.with_name(f"{hub.stem}.key")
    assert books and key.is_file()
    assert all(key.stat().st_mtime_ns >= b.stat().st_mtime_ns for b in books)


# -- 5. key files in every encoding an editor saves ---------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gbk"])
def test_key_file_in_any_editor_encoding(tmp_path, encoding):
    from xl_awards.io.expert_book import load_review_key

    hub = tmp_path / "省枢纽平台工作簿.xlsx"
    text = "# 签名密钥，切勿外发\r\nkey=abc123def456\r\n# 保护密码：甲乙丙\r\n"
    hub.with_name("省枢纽平台工作簿.key").write_bytes(text.encode(encoding))
    assert load_review_key(hub) == b"abc123def456"


def test_key_file_that_is_no_text_is_one_line(tmp_path, capsys):
    from xl_awards.base.errors import InputError
    from xl_awards.io.expert_book import load_review_key

    hub = tmp_path / "省枢纽平台工作簿.xlsx"
    hub.with_name("省枢纽平台工作簿.key").write_bytes(b"\x81\xff\xfe\x00key")
    with pytest.raises(InputError) as exc:
        load_review_key(hub)
    assert str(exc.value) == "省枢纽平台工作簿.key：签名密钥文件无法识别（不是 UTF-8、UTF-16 或 GBK 文本），请从备份恢复"


# -- 6. masking, and validate's warning ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("ID430102199001011234", "ID［身份证号码已隐去］"),
    ("赵六 430102199001011234a", "赵六 ［身份证号码已隐去］a"),
    ("长沙市中小企业服务平台 4301 0219 9001 0112 34", "长沙市中小企业服务平台 ［身份证号码已隐去］"),
    ("手机：139.1234.5678", "手机：［电话已隐去］"),
    ("４３０１０２１９９００１０１１２３４", "［身份证号码已隐去］"),  # full-width digits
    ("电话0731—8970—6288", "电话［电话已隐去］"),  # em dashes
    ("赵六430102199001011234 13907310000", "赵六［身份证号码已隐去］ ［电话已隐去］"),
])
def test_masking_finds_numbers_however_typed(text, expected):
    from xl_awards.publicity.masking import mask_personal_info

    assert mask_personal_info(text) == expected


def test_validate_warns_on_an_id_in_a_name(tmp_path, capsys):
    from factory import valid_rows

    rows = valid_rows()
    rows["服务之星"][0]["name"] = "赵六 430102199001011234a"
    path = write_intake(tmp_path / "长沙市.xlsx", rows)
    before = shas(path)
    code, out, _ = run(capsys, "validate", "--json", path)
    import json

    found = [f for f in json.loads(out) if f["rule"] == "personal_number_in_name"]
    assert code == 0  # a warning, not an error: the applicant is not excluded
    assert [(f["severity"], f["message"]) for f in found] == [
        ("warning", "“姓名”中含有疑似身份证号码的数字“430102199001011234”，公示名单会将其隐去；名称和单位中请勿填写身份证号码或电话号码")]
    assert shas(path) == before


# -- 7. the same file twice -------------------------------------------------------------------------

def test_validate_the_same_file_twice_reads_it_once(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx")
    code, out, err = run(capsys, "validate", path, tmp_path / "." / "长沙市.xlsx")
    assert code == 0
    assert err.strip() == f"提示：{path} 指定了2次（同一文件），只读取一次"
    assert "重复申报" not in out and "共 1 个文件" in out


# -- 8. 申报编号 do not depend on the command line's order ------------------------------------------------

def test_app_ids_do_not_depend_on_the_order_of_files(tmp_path):
    files = [city_file(tmp_path, c, i) for i, c in enumerate(("长沙市", "衡阳市", "岳阳市"), start=1)]
    ids = []
    for name, order in (("forward", files), ("reverse", files[::-1])):
        hub = make_hub(tmp_path / name)
        from xl_awards.jobs.consolidate import consolidate_files

        consolidate_files(hub, order, EDITION, imported_at="2022-09-21 10:00:00")
        ids.append(sorted((r["name"], r["app_id"]) for r in register(hub)))
    assert ids[0] == ids[1] and len(ids[0]) == 6


# -- 10. build never overwrites work ------------------------------------------------------------------

def test_build_does_not_replace_a_filled_workbook(tmp_path, capsys, built_templates):
    out = tmp_path / "模板"
    shutil.copytree(built_templates, out)  # what `build --out` wrote (exit 0), built once for the run
    city = out / "2021年度优秀评选申报工作簿_长沙市.xlsx"
    hub = out / "2021年度优秀评选_省枢纽平台工作簿.xlsx"
    write_intake(city)  # a city fills in its workbook
    filled = hub.read_bytes() + b""
    wb = openpyxl.load_workbook(hub)
    wb["往年获奖"]["A3"] = "2020"
    wb.save(hub)
    before = shas(*out.iterdir())
    code, _, err = run(capsys, "build", "--out", out)
    assert code == 2
    assert err.strip() == (f"{out}：以下 2 个文件已存在且内容不同（可能已填写数据），未覆盖：{city.name}、{hub.name}；"
                           "确需重新生成请加 --force（原文件将先备份）")
    assert shas(*out.iterdir()) == before
    code, text, _ = run(capsys, "build", "--out", out, "--force", "--no-macros")  # only the .xlsx differ
    assert code == 0
    backups = sorted(p for p in out.iterdir() if "备份" in p.name)
    assert len(backups) == 2 and {sha(p) for p in backups} == {before[city], before[hub]}
    assert f"已替换 {city.name}，原文件已备份为 " in text and f"已替换 {hub.name}，原文件已备份为 " in text
    assert hub.read_bytes() == filled and city.read_bytes() == (built_templates / city.name).read_bytes()  # blank again
    assert run(capsys, "build", "--out", out, "--no-macros")[0] == 0  # identical now: nothing to overwrite


# -- 11. the smaller ones ----------------------------------------------------------------------------------

def test_a_read_only_hub_is_refused_not_replaced(tmp_path, capsys):
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    hub.chmod(0o444)
    before = shas(hub, intake)
    code, _, err = run(capsys, "consolidate", "--hub", hub, intake)
    hub.chmod(0o644)
    assert code == 2
    assert err.strip() == (f"{hub.name}：工作簿是只读的（或所在文件夹不可写），本次未写入；"
                           "请取消只读属性或复制到可写的文件夹后再运行")
    assert shas(hub, intake) == before


def test_stale_temporaries_are_removed_and_backups_bounded(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XL_AWARDS_BACKUPS_KEEP", "2")
    hub = make_hub(tmp_path / "hub")
    intake = city_file(tmp_path, "长沙市")
    left = hub.with_name(f".{hub.stem}.tmp-killed{hub.suffix}")  # what a kill -9 mid-write leaves
    left.write_bytes(b"half a workbook")
    texts = []
    for _ in range(3):
        code, out, _ = run(capsys, "consolidate", "--hub", hub, intake)
        assert code == 0
        texts.append(out)
    assert not left.exists()
    backups = sorted(hub.parent.glob(f"{hub.stem}.备份-*"))
    assert len(backups) == 2  # three runs, three backups made, the oldest deleted
    assert "（只保留最近 2 份备份，更早的已删除）" in texts[-1]


def test_validate_write_back_with_the_flag_first(tmp_path, capsys):
    path = write_intake(tmp_path / "长沙市.xlsx")
    before = shas(path)
    code, _, err = run(capsys, "validate", "--write-back", path)
    assert code == 0
    assert (tmp_path / "长沙市_校验结果.xlsx").is_file() and "校验结果已写入" in err
    assert shas(path) == before


# -- 4 and 11. publicity: the output checked before the hub is rewritten ------------------------------

def _ranked_hub(tmp_path: Path) -> Path:
    from test_publicity_job import CLEAN, make_hub as make_ranked_hub

    return make_ranked_hub(tmp_path, CLEAN)


def test_publicity_out_not_writable_leaves_the_hub(tmp_path, capsys, monkeypatch):
    hub = _ranked_hub(tmp_path)
    out = tmp_path / "公示"
    before = shas(hub)
    folder = visible(hub.parent)  # the hub and the backup its ranking made

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xl_awards.io.publicity_docs.write_list_document", full)
    code, _, err = run(capsys, "publicity", "--hub", hub, "--start", "2022-10-10", "--out", out, "--no-pdf")
    assert code == 2
    assert err.strip() == f"{out}：输出位置不可写（No space left on device），本次未写入任何文件，省枢纽平台工作簿未改动"
    assert shas(hub) == before and not out.exists()
    assert visible(hub.parent) == folder  # no new backup


def test_publicity_refuses_to_overwrite_an_open_list(tmp_path, capsys):
    hub = _ranked_hub(tmp_path)
    out = tmp_path / "公示"
    out.mkdir()
    listing = out / "2021年度优秀评选拟获奖名单公示.xlsx"
    listing.write_bytes(b"the list as published last time")
    (out / f"~${listing.name}").write_bytes(b"owner")  # open in Excel
    before = shas(hub, listing)
    code, _, err = run(capsys, "publicity", "--hub", hub, "--start", "2022-10-10", "--out", out, "--no-pdf")
    assert code == 2
    assert err.strip() == (f"{listing.name}：正在被 Excel、WPS 或 LibreOffice 打开（发现锁定文件 ~${listing.name}），"
                           "请先关闭后再运行，本次未写入")
    assert shas(hub, listing) == before


def test_publicity_writes_the_list_and_the_hub_together(tmp_path, capsys):
    hub = _ranked_hub(tmp_path)
    out = tmp_path / "公示"
    code, text, _ = run(capsys, "publicity", "--hub", hub, "--start", "2022-10-10", "--out", out, "--no-pdf")
    assert code == 0
    assert visible(out) == ["2021年度优秀评选拟获奖名单公示.xlsx"] and not [p for p in out.iterdir() if p.name.startswith(".")]
    assert f"已生成：{out / '2021年度优秀评选拟获奖名单公示.xlsx'}" in text

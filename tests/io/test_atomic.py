"""File safety: lock-file check, backups, atomic writes, hashes."""

import datetime as dt
import hashlib

import pytest

from xl_awards.base.errors import InputError
from xl_awards.io.atomic import backup, check_not_open, file_sha256, lock_files, write_atomically

NAME = "2021年度优秀评选_省枢纽平台工作簿.xlsx"


def _file(tmp_path, content=b"original workbook bytes"):
    path = tmp_path / NAME
    path.write_bytes(content)
    return path


def test_no_lock_file_passes(tmp_path):
    path = _file(tmp_path)
    check_not_open(path)
    assert lock_files(path) == []


@pytest.mark.parametrize("lock_name", [f"~${NAME}", f".~lock.{NAME}#"])  # Excel/WPS, LibreOffice
def test_lock_file_stops_with_one_chinese_line(tmp_path, lock_name):
    path = _file(tmp_path)
    (tmp_path / lock_name).write_bytes(b"owner")
    with pytest.raises(InputError) as exc:
        check_not_open(path)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(NAME + "：")
    assert lock_name in message and "请先关闭" in message


def test_lock_of_another_file_does_not_count(tmp_path):
    path = _file(tmp_path)
    (tmp_path / "~$其他工作簿.xlsx").write_bytes(b"owner")
    check_not_open(path)


def test_backup_is_a_timestamped_copy_beside_the_file(tmp_path):
    path = _file(tmp_path)
    when = dt.datetime(2022, 9, 21, 15, 30, 5)
    first = backup(path, when)
    assert first.name == "2021年度优秀评选_省枢纽平台工作簿.备份-20220921-153005.xlsx"
    assert first.parent == tmp_path and first.read_bytes() == b"original workbook bytes"
    second = backup(path, when)  # same second: a distinct name, the first backup kept
    assert second.name == "2021年度优秀评选_省枢纽平台工作簿.备份-20220921-153005-2.xlsx"
    assert first.read_bytes() == b"original workbook bytes"


def test_write_atomically_replaces_on_success(tmp_path):
    path = _file(tmp_path)
    seen = []

    def writer(tmp):
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx" and tmp != path
        tmp.write_bytes(b"new content")

    assert write_atomically(path, writer) == path
    assert path.read_bytes() == b"new content"
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]  # no temporary file left
    assert not seen[0].exists()


def test_write_atomically_leaves_the_original_intact_when_the_writer_fails(tmp_path):
    path = _file(tmp_path)

    def writer(tmp):
        tmp.write_bytes(b"half a wor")  # a partial write, then the writer dies
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(path, writer)
    assert path.read_bytes() == b"original workbook bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]


def test_write_atomically_creates_a_new_file(tmp_path):
    path = tmp_path / "新.xlsx"
    write_atomically(path, lambda tmp: tmp.write_bytes(b"x"))
    assert path.read_bytes() == b"x"


def test_file_sha256(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc")
    # SHA-256("abc"), the FIPS 180-2 test vector.
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    big = tmp_path / "big.bin"
    big.write_bytes(b"\x01" * (3 << 20))  # more than one read chunk
    assert file_sha256(big) == hashlib.sha256(b"\x01" * (3 << 20)).hexdigest()

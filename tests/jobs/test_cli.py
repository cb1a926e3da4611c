"""Bad usage: exit code 2 and one Chinese line on stderr (SPEC section 7), never argparse's English."""

import pytest

from xl_awards.cli import main


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["validate"], "xl-awards validate：缺少必需的参数：FILE（用 -h 查看用法）"),
        (["rank"], "xl-awards rank：缺少必需的参数：--hub（用 -h 查看用法）"),
        (["rank", "--hub"], "xl-awards rank：参数 --hub 后面需要一个值（用 -h 查看用法）"),
        (["publish"], "xl-awards：未知的命令或选项值：publish（用 -h 查看用法）"),
        (["validate", "a.xlsx", "--bogus"], "xl-awards：无法识别的参数：--bogus（用 -h 查看用法）"),
    ],
)
def test_bad_usage_is_one_chinese_line(argv, expected, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == expected
    assert captured.out == ""


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_unknown_edition_is_one_line(tmp_path, capsys):
    assert main(["build", "--edition", "1999", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("没有 1999 年度的版本预设") and "2021" in err and "\n" not in err
    assert not (tmp_path / "out").exists()

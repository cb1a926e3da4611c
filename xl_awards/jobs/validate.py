"""``xl-awards validate FILE... [--json] [--write-back [PATH]]``: check intake workbooks.

Exit 0 when no errors (warnings are fine), 1 when any finding is an error,
2 for unreadable input or bad usage (one line each on stderr, no traceback).
The readable files are still checked when another one is unreadable.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

from xl_awards.edition import Edition, load_edition
from xl_awards.base.errors import InputError, UsageError
from xl_awards.base.findings import SEVERITY_LABELS, Finding, count_by_severity, has_errors
from xl_awards.base.messages import CORRECT, DECIDE, EFFECT_LABELS, EXCLUDE, NEXT_STEPS
from xl_awards.intake.intake_book import IntakeBook
from xl_awards.intake.validation import validate_books

HEADERS = ("单元格", "级别", "字段", "问题说明")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # nargs="*": ``validate --write-back FILE`` (the flag first) would otherwise take FILE as the
    # flag's PATH and fail to parse; ``run`` gives FILE back (see ``files_and_target``).
    parser.add_argument("files", nargs="*", metavar="FILE", help="市州申报工作簿（.xlsx/.xlsm），可多个")
    parser.add_argument("--json", action="store_true", help="以 JSON 数组输出问题清单（供其他程序使用）")
    parser.add_argument(
        "--write-back", nargs="?", const=True, default=None, metavar="PATH",
        help="把校验结果写入工作簿的“校验结果”表并标出问题单元格；默认写入副本 <文件名>_校验结果.xlsx，"
             "PATH 为输入文件本身时直接写入该文件",
    )


def _identity(path: Path) -> tuple:
    """What makes two spellings of a path the same file (device and inode when it exists)."""
    try:
        st = path.stat()
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("path", str(path.absolute()))


def unique_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """The paths with a file named twice (however spelled) kept once, and a note for each such file."""
    from xl_awards.base.messages import FILE_NOTES

    seen: dict[tuple, int] = {}
    out: list[Path] = []
    counts: dict[int, int] = {}
    for p in (Path(p) for p in paths):
        key = _identity(p)
        if key in seen:
            counts[seen[key]] += 1
            continue
        seen[key] = len(out)
        counts[len(out)] = 1
        out.append(p)
    notes = [FILE_NOTES["same_file_twice"].format(file=out[i], count=n) for i, n in counts.items() if n > 1]
    return out, notes


def book_order(edition: Edition):
    """The stable order of intake workbooks before numbering: the edition's city order, then the file name
    (a blank template or an unknown city last), so 申报编号 never depend on the command line's order."""
    cities = list(edition.divisions.city_names)

    def key(book: IntakeBook) -> tuple:
        city = book.city if book.city in cities else None
        return (cities.index(city) if city else len(cities), Path(book.file_name).name, book.file_name,
                str(book.path or ""))

    return key


def read_books(paths: Sequence[str | Path], edition: Edition) -> tuple[list[IntakeBook], list[InputError]]:
    """Read every file once (a file named twice is read once), in the stable ``book_order``; unreadable
    ones are returned as errors instead of stopping the others."""
    from xl_awards.io.intake import read_intake
    from xl_awards.jobs import progress

    paths, _ = unique_paths(paths)
    names = [p.name for p in paths]
    books, errors = [], []
    for path in progress.each(paths, "读取工作簿"):
        # two files with the same name in different folders: findings carry the path as given
        file_name = path.name if names.count(path.name) == 1 else str(path)
        try:
            books.append(read_intake(path, edition, file_name=file_name))
        except InputError as exc:
            errors.append(exc)
    return sorted(books, key=book_order(edition)), errors


def validate_files(paths: Sequence[str | Path], edition: Edition | None = None) -> list[Finding]:
    """Findings for the given workbooks (the button and the command line call this).

    Raises ``InputError`` for the first unreadable file.
    """
    from xl_awards.base.collections_pause import fewer_collections

    edition = edition or load_edition()
    with fewer_collections():
        books, errors = read_books(paths, edition)
        if errors:
            raise errors[0]
        return validate_books(books, edition)


def check_progress(names: list[str]):
    """The checks' progress over the workbooks (on a terminal only)."""
    from xl_awards.jobs import progress

    return progress.each(names, "校验")


def write_back(books: Sequence[IntakeBook], findings: Sequence[Finding], target: str | bool) -> list[Path]:
    from xl_awards.io.findings_sheet import write_findings

    written = []
    for book in books:
        own = [f for f in findings if f.file == book.file_name]
        output = None if target is True else Path(target)
        written.append(write_findings(book.path, own, output))
    return written


def files_and_target(args: argparse.Namespace) -> tuple[list[str], str | bool | None]:
    """The files to check and the write-back target; ``--write-back FILE`` with no other file means FILE's copy."""
    files = list(args.files)
    target = args.write_back
    if not files and isinstance(target, str):
        files, target = [target], True
    if not files:
        raise UsageError("xl-awards validate：缺少必需的参数：FILE（用 -h 查看用法）")
    return files, target


def run(args: argparse.Namespace) -> int:
    args.files, args.write_back = files_and_target(args)
    if args.write_back not in (None, True) and len(args.files) != 1:
        raise UsageError("--write-back 指定输出文件时只能校验一个工作簿")
    if args.write_back not in (None, True) and Path(args.write_back).suffix.lower() != Path(args.files[0]).suffix.lower():
        raise UsageError(f"--write-back 的输出文件应与输入文件同为 {Path(args.files[0]).suffix} 格式")
    edition = load_edition(args.edition)
    files, notes = unique_paths(args.files)
    for note in notes:
        print(note, file=sys.stderr)
    from xl_awards.base.collections_pause import fewer_collections

    with fewer_collections():
        books, errors = read_books(files, edition)
        findings = validate_books(books, edition, check_progress)
    if args.json:
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    elif books:  # nothing readable: the one-line messages below say all there is
        print(format_table(findings, [b.file_name for b in books]))
        print(next_step_line(findings, args.files))
    if args.write_back is not None and books:
        for path in write_back(books, findings, args.write_back):
            print(f"校验结果已写入：{path}", file=sys.stderr)
    for exc in errors:
        print(str(exc), file=sys.stderr)
    if errors:
        return 2
    return 1 if has_errors(findings) else 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


SUMMARY_FROM = 20  # a file with more findings than this gets a few lines saying where most of them are
SUMMARY_TOP = 5


def _summary_lines(findings: Sequence[Finding]) -> list[str]:
    """For a long report: the fields with the most findings, so a clerk knows what to fix first."""
    if len(findings) <= SUMMARY_FROM:
        return []
    counts: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        counts.setdefault((f.sheet, f.field), []).append(f)
    top = sorted(counts.items(), key=lambda item: -len(item[1]))[:SUMMARY_TOP]
    lines = ["  问题最多的字段（先改这些）："]
    for (sheet, field), group in top:
        where = f"“{sheet}”表" if sheet else "整个工作簿"
        label = f"“{field}”列" if field else ""
        rows = sorted({f.row for f in group if f.row})
        span = f"，第{rows[0]}~{rows[-1]}行" if len(rows) > 1 else (f"，第{rows[0]}行" if rows else "")
        lines.append(f"    {where}{label}：{len(group)} 处{span}")
    return lines


def format_table(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """The human report: per file and sheet, one line per finding, then a summary of counts."""
    lines: list[str] = []
    by_file: dict[str, list[Finding]] = {name: [] for name in files}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    for name, own in by_file.items():
        counts = count_by_severity(own)
        lines.append(f"文件：{name}（错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}）")
        if not own:
            lines.append("  未发现问题")
        lines.extend(_summary_lines(own))
        sheets: dict[str, list[Finding]] = {}
        for f in own:
            sheets.setdefault(f.sheet, []).append(f)
        for sheet, group in sheets.items():
            lines.append(f"  工作表：{sheet or '（整个工作簿）'}")
            rows = [(f.cell or (f"第{f.row}行" if f.row else "—"), _level(f), f.field or "—", f.text) for f in group]
            widths = [max(_width(r[i]) for r in rows + [HEADERS]) for i in range(3)]
            lines.append("    " + "  ".join(_pad(h, w) for h, w in zip(HEADERS[:3], widths)) + "  " + HEADERS[3])
            for r in rows:
                lines.append("    " + "  ".join(_pad(v, w) for v, w in zip(r[:3], widths)) + "  " + r[3])
        lines.append("")
    counts = count_by_severity(findings)
    lines.append(f"共 {len(files)} 个文件：错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个")
    if counts["error"]:
        lines.append(NEXT_STEPS["validate_summary"].format(**applicant_effect_counts(findings)))
    return "\n".join(lines)


def _level(f: Finding) -> str:
    """错误（待补正） / 错误（资格不符） / 警告: the severity and, for an error, what it does to the application."""
    label = SEVERITY_LABELS[f.severity]
    return f"{label}（{EFFECT_LABELS[f.effect]}）" if f.severity == "error" else label


_WHO = re.compile(r"^(.+?“.*?”)")  # 服务之星“张三” in 服务之星“张三”（第5行） or …“张三”的服务对象（…）


def applicant_effect_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """How many applicants would be excluded, need correcting, or wait for the hub (an applicant counts
    once, under its gravest effect: exclude, then decide, then correct)."""
    effects: dict[tuple[str, str], set[str]] = {}
    for f in findings:
        if f.severity != "error":
            continue
        m = _WHO.match(f.applicant)
        key = (f.file, m[1] if m else f"{f.sheet}:{f.row}")
        effects.setdefault(key, set()).add(f.effect)
    counts = {EXCLUDE: 0, DECIDE: 0, CORRECT: 0}
    for found in effects.values():
        for effect in (EXCLUDE, DECIDE, CORRECT):
            if effect in found:
                counts[effect] += 1
                break
    return {"exclude": counts[EXCLUDE], "correct": counts[CORRECT], "decide": counts[DECIDE]}


def next_step_line(findings: Sequence[Finding], paths: Sequence[str]) -> str:
    from xl_awards.jobs.next_steps import shell_arg

    if has_errors(findings):
        return NEXT_STEPS["validate_errors"].format(files=" ".join(shell_arg(p) for p in paths))
    return NEXT_STEPS["validate_ok"]

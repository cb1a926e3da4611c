"""``xl-awards expert-sheets --hub HUB --out DIR``: assign experts and issue one protected,
signed scoring workbook per expert.

Reads ``专家库`` and the ``申报汇总`` rows with status 待评审, assigns (``xl_awards.review.assign``:
conflicts never assigned, balanced, deterministic), and stops with findings (exit 1, nothing
written) when conflicts leave an application short of experts.  Otherwise writes the workbooks,
records the assignment in the hub's ``评审分配`` sheet and a line in ``操作日志`` (the hub is
backed up and written atomically; refused while it is open), and prints a summary.

Run again (a re-issue), the earlier workbooks are void (collect refuses them) and the scores
already in 专家评分 count only where the new 评审分配 keeps the same expert and application
(``xl_awards.review.coverage``); the summary says how many still count and how many no longer do.

Experts per application: the edition's ``scoring.experts_per_application`` (null = the whole
panel of the award); at least ``scoring.min_counted_scores`` eligible experts are required.
The signing key: see ``xl_awards.io.expert_book`` (``<hub stem>.key`` beside the hub, created
here on first use, or ``$XL_AWARDS_REVIEW_KEY``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from xl_awards.edition import Edition, load_edition
from xl_awards.hub.review_inputs import applications_from_hub, experts_from_hub, rubrics_from_hub
from xl_awards.jobs import progress
from xl_awards.jobs.common import current_user, now_text
from xl_awards.base.findings import Finding, has_errors
from xl_awards.base.normalize import clean_text
from xl_awards.review.people import CONFLICT_LABELS
from xl_awards.review.assignment import Assignment, assign
from xl_awards.review.signing import issue_book, sign
from xl_awards.schema import hub as H
from xl_awards.schema.review import ASSIGNMENT_SCHEMA, ROLE_AVOID, ROLE_REVIEW

ACTION = "生成专家评分工作簿"
PROGRESS_LABEL = "生成专家评分工作簿"
PROGRESS_HUB = "写入省枢纽平台工作簿"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, metavar="HUB", help="省枢纽平台工作簿")
    parser.add_argument("--out", required=True, metavar="DIR", help="专家评分工作簿的输出文件夹")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出问题清单和分配结果")


# -- the job -------------------------------------------------------------------------------


REVIEW_SETTINGS = ("scoring.experts_per_application", "scoring.min_counted_scores")


def plan_assignment(hub, edition: Edition) -> Assignment:
    """The assignment; a 设置 error in the settings it depends on stops it (experts would score the wrong set)."""
    from xl_awards.hub.settings_sheet import setting_specs

    labels = {s.label for s in setting_specs(hub.preset) if s.key in REVIEW_SETTINGS}
    refused = [f for f in hub.findings if f.rule.startswith("setting_") and f.is_error and f.field in labels]
    scoring = edition.scoring
    per_app = scoring.get("experts_per_application")
    assignment = assign(experts_from_hub(hub), applications_from_hub(hub, edition),
                        per_application=int(per_app) if per_app is not None else None,
                        min_experts=int(scoring.get("min_counted_scores", 1)))
    assignment.findings[:0] = refused
    return assignment


def settings_refused(assignment: Assignment) -> bool:
    return any(f.rule.startswith("setting_") for f in assignment.findings)


def issue_expert_sheets(hub_path: str | Path, out_dir: str | Path, edition: Edition | None = None,
                        issued_at: str | None = None) -> tuple[Assignment, list[Path]]:
    """Assign and write; returns the assignment and the workbooks written (none when it is not ok).

    The button and the command line call this.  Everything lands together or not at all: the
    workbooks are written into a temporary folder beside ``out_dir``; then a new key file (only
    when there was none), then the hub; only then are the workbooks moved into ``out_dir``.  A
    failure on the way removes what this run wrote and leaves the hub as it was.
    """
    from xl_awards.io.hub_lock import hub_writer
    from xl_awards.io.outputs import check_out_dir

    hub_path = Path(hub_path)
    out = Path(out_dir)
    check_out_dir(out)  # before anything is written: a file of that name, an unwritable folder
    with hub_writer(hub_path, ACTION):  # held from the read to the rename: one writer per hub
        return _issue(hub_path, out, edition, issued_at)


def _issue(hub_path: Path, out: Path, edition: Edition | None, issued_at: str | None) -> tuple[Assignment, list[Path]]:
    from xl_awards.io.expert_book import expert_file_name, has_review_key, load_review_key, \
        write_expert_workbook
    from xl_awards.io.hub import append_sheet_rows, load_hub_for_update, read_hub, replace_sheet_rows, \
        hub_sheet_schema, save_hub
    from xl_awards.io.outputs import staged_outputs

    hub = read_hub(hub_path, edition or load_edition())
    edition = hub.edition
    assignment = plan_assignment(hub, edition)
    if not assignment.ok:
        return assignment, []
    new_key = not has_review_key(hub_path)
    key = load_review_key(hub_path, create=True)  # a new key is only saved once the workbooks are written
    rubrics = rubrics_from_hub(hub, edition)
    issued_at = issued_at or dt.datetime.now().isoformat(timespec="microseconds")  # distinct per issue, even within a second
    written: list[Path] = []
    records: list[dict[str, Any]] = []
    by_expert = applications_by_expert(assignment)
    issues = [_Issue(expert_file_name(expert.expert_id, expert.name), expert_id, expert)
              for expert_id, expert in assignment.experts.items() if by_expert[expert_id]]
    with staged_outputs(out) as stage:
        for name, expert_id, expert in progress.each(issues, PROGRESS_LABEL):
            apps = by_expert[expert_id]
            book = issue_book(expert, apps, rubrics, edition.year, issued_at)
            stage.write(name, lambda tmp, book=book: write_expert_workbook(edition, book, tmp, key))
            written.append(out / name)
            signature = sign(book.canonical(), key)
            for app in apps:
                records.append({"expert_id": expert_id, "expert_name": expert.name, "award": app.award_name,
                                "app_id": app.app_id, "name": app.name, "city": app.city, "role": ROLE_REVIEW,
                                "file": name, "issued_at": issued_at, "signature": signature})
        for app_id, excluded in assignment.excluded.items():
            app = assignment.applications[app_id]
            for expert_id, kinds in excluded:
                records.append({"expert_id": expert_id, "expert_name": assignment.experts[expert_id].name,
                                "award": app.award_name, "app_id": app_id, "name": app.name, "city": app.city,
                                "role": ROLE_AVOID, "reason": "、".join(CONFLICT_LABELS[k] for k in kinds),
                                "issued_at": issued_at})
        wb = load_hub_for_update(hub_path)
        replace_sheet_rows(wb, ASSIGNMENT_SCHEMA, records)
        loads = assignment.loads()
        append_sheet_rows(wb, hub_sheet_schema(edition, H.LOG_SHEET), [{
            "time": now_text(), "user": current_user(), "action": ACTION, "file": str(out),
            "count": len(written),
            "findings": f"{len(assignment.by_application)}项申报，{len(written)}位专家，"
                        f"每位专家{min(v for v in loads.values() if v) if written else 0}~{max(loads.values()) if written else 0}项",
        }])
        key_file = None
        if new_key:
            key_file = _save_key(hub_path, key)
        try:
            with progress.step(PROGRESS_HUB):
                save_hub(wb, hub_path)
        except BaseException:
            if key_file is not None:
                key_file.unlink(missing_ok=True)
            raise
        stage.commit()  # the workbooks land in ``out`` only now, with the hub already recording them
    return assignment, written


class _Issue(NamedTuple):
    """One expert workbook to write (shown by its file name in the progress line)."""
    name: str
    expert_id: str
    expert: Any

    def __str__(self) -> str:
        return self.name


def applications_by_expert(assignment: Assignment) -> dict[str, list]:
    """Every expert's applications in issue order, as ``Assignment.for_expert`` gives them, in one pass
    over the assignment (asking for_expert for each expert costs experts x pairs)."""
    from xl_awards.review.assignment import _app_order

    lists: dict[str, list] = {expert_id: [] for expert_id in assignment.experts}
    for app_id, ids in assignment.by_application.items():
        app = assignment.applications[app_id]
        for expert_id in ids:
            lists.setdefault(expert_id, []).append(app)
    order: dict[int, tuple] = {}

    def key(app) -> tuple:
        k = order.get(id(app))
        if k is None:
            k = order[id(app)] = _app_order(app)
        return k

    return {expert_id: sorted(apps, key=key) for expert_id, apps in lists.items()}


def _save_key(hub_path: Path, key: bytes) -> Path:
    from xl_awards.io.expert_book import key_file_path, save_review_key
    from xl_awards.io.workbook_files import input_error

    try:
        return save_review_key(hub_path, key)
    except OSError as exc:
        raise input_error("write_failed", key_file_path(hub_path), detail=exc.strerror or type(exc).__name__) from None


def summary_text(assignment: Assignment, written: list[Path]) -> str:
    loads = assignment.loads()
    lines = [f"申报 {len(assignment.by_application)} 项，专家 {sum(1 for v in loads.values() if v)} 位，"
             f"生成评分工作簿 {len(written)} 个："]
    for expert_id, expert in assignment.experts.items():
        if loads[expert_id]:
            awards: dict[str, int] = {}
            for app in assignment.for_expert(expert_id):
                awards[app.award_name] = awards.get(app.award_name, 0) + 1
            detail = "，".join(f"{k}{v}项" for k, v in awards.items())
            lines.append(f"  {expert.label}：{loads[expert_id]} 项（{detail}）")
    avoided = sum(len(v) for v in assignment.excluded.values())
    if avoided:
        lines.append(f"因利益冲突回避 {avoided} 人次（见“评审分配”表）")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from xl_awards.jobs.validate import format_table

    edition = load_edition(args.edition)
    from xl_awards.io.hub import read_hub
    from xl_awards.jobs.next_steps import next_step

    # Score pairs imported before this issue: after it, only those the new assignment keeps count.
    collected = {(clean_text(r.get("expert_id")), clean_text(r.get("app_id")))
                 for _, r in read_hub(args.hub, edition).rows(H.SCORES_SHEET)}
    assignment, written = issue_expert_sheets(args.hub, args.out, edition)
    kept = len(collected & set(assignment.pairs()))
    findings: list[Finding] = [replace(f, file=f.file or Path(args.hub).name, sheet=f.sheet or H.REGISTER_SHEET)
                               for f in assignment.findings]
    if args.json:
        print(json.dumps({"findings": [f.to_json() for f in findings],
                          "assignment": {a: list(e) for a, e in assignment.by_application.items()},
                          "loads": assignment.loads(), "files": [p.name for p in written]},
                         ensure_ascii=False, indent=2))
    else:
        if findings:
            print(format_table(findings, [Path(args.hub).name]))
        if not assignment.ok and settings_refused(assignment):
            print(next_step("expert_sheets_settings", args.hub))
        elif not assignment.ok:
            print("评审专家不足，未生成任何专家评分工作簿，省枢纽平台工作簿未改动。")
            print(next_step("expert_sheets_short", args.hub))
        else:
            print(summary_text(assignment, written))
            print(f"已写入：{Path(args.out)}；分配记录见“{ASSIGNMENT_SCHEMA.name}”表")
            if collected and written:
                print(next_step("expert_sheets_reissued", args.hub, kept=kept, dropped=len(collected) - kept))
            print(next_step("expert_sheets_ok", args.hub, out=Path(args.out)))
    return 1 if has_errors(findings) else 0

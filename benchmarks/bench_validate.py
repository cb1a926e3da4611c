"""Benchmark (a script, not a test): `validate_files` on a large intake workbook against the bare
python-calamine read of the same file.

    python benchmarks/bench_validate.py [--rows 1000] [--repeat 5] [--source-only]

Builds a city workbook with ROWS valid applications on each applicant sheet and one service
recipient row per institution / expert / product (3 x ROWS rows), then prints the best-of-N
times and their ratio, two ways, each pair run alternately so that a busy machine slows both alike:

- in one process: ``validate_files`` against the bare python-calamine read (wall and CPU time);
- process to process: ``xl-awards validate --json FILE`` against a fresh Python process that only
  reads the same file with python-calamine (wall time, and the CPU time of the child process).
  The package's modules are compiled first, as an installed package has them; ``--source-only``
  times processes that compile them from source at every start (``benchtiming.prepare_bytecode``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import python_calamine
from stdnum.cn import ric
from stdnum.cn import uscc as cn_uscc
import xlsxwriter

from benchtiming import BARE_READ_SCRIPT, best_pair, prepare_bytecode, print_pair, timed, timed_process

from xl_awards.edition import load_edition
from xl_awards.jobs.validate import validate_files
from xl_awards.schema.intake import (
    EXPERT_SHEET, INSTITUTION_SHEET, META_SHEET, PRODUCT_SHEET, RECIPIENTS_SHEET, STAR_SHEET, build_intake_schema,
)

def id_number(i: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i * 7)
    body = f"430102{birth:%Y%m%d}{i % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def uscc(i: int) -> str:
    body = f"91430100MA4L{i:05d}"
    return body + cn_uscc.calc_check_digit(body)


COMMON = {"city": "长沙市", "county": "浏阳市", "phone": "13907310000", "credit_pledge": "是",
          "prelim_opinion": "同意推荐", "prelim_reviewer": "李审核", "prelim_date": "2022-09-10"}


def rows_for(n: int) -> dict[str, list[dict]]:
    stars, insts, experts, products, recipients = [], [], [], [], []
    for i in range(n):
        stars.append({**COMMON, "name": f"服务{i}", "gender": "女", "id_number": id_number(i),
                      "platform": f"第{i}号窗口平台", "platform_type": "县市区综合窗口平台", "service_start": "2018-05",
                      "complaints": 0, "achievements": "服务" * 800, "mat_form": "是", "mat_achievements": "是"})
        inst_name = f"服务机构{i}"
        insts.append({**COMMON, "name": inst_name, "uscc": uscc(i), "contact": "钱联系", "portal_account": f"acc{i}",
                      "service_category": "管理咨询", "served_count": 100 + i, "product1_name": "管理诊断",
                      "product1_since": "2019-03", "product2_name": "融资辅导", "product2_since": "2020-06",
                      "activities": "湖湘精品", "mat_form": "是", "mat_recipients": "是", "mat_certificates": "是",
                      "mat_photos": "是", "mat_summary": "是"})
        expert_name = f"专家{i}"
        experts.append({**COMMON, "name": expert_name, "gender": "男", "id_number": id_number(n + i),
                        "employer": "湖南大学", "field": "财务", "title_level": "正高级", "field_start_year": 2005,
                        "served_count": 40, "statement": "业绩" * 450, "mat_form": "是", "mat_recipients": "是"})
        product_name = f"产品{i}"
        products.append({**COMMON, "name": product_name, "unit": "某公司", "uscc": uscc(n + i), "area": "技术创新",
                         "since": "2020-03", "summary": "简介", "has_standard": "是", "served_count": 55, "case_count": 4,
                         "contact": "孙联系", "mat_form": "是", "mat_recipients": "是", "mat_cases": "是"})
        for award, name in (("优秀服务机构", inst_name), ("优秀服务专家", expert_name), ("创新服务产品", product_name)):
            recipients.append({"award": award, "applicant": name, "company": f"企业{i}", "company_uscc": uscc(2 * n + i),
                               "content": "融资对接", "date": "2021-06-18"})
    return {STAR_SHEET: stars, INSTITUTION_SHEET: insts, EXPERT_SHEET: experts, PRODUCT_SHEET: products,
            RECIPIENTS_SHEET: recipients}


def write_workbook(path: Path, edition, n: int) -> None:
    wb = xlsxwriter.Workbook(str(path))
    data = rows_for(n)
    for schema in build_intake_schema(edition):
        ws = wb.add_worksheet(schema.name)
        ws.write(0, 0, f"{schema.name}申报表")
        for c, f in enumerate(schema.fields):
            ws.write_string(1, c, f.header)
        for r, row in enumerate(data[schema.name], start=2):
            for c, f in enumerate(schema.fields):
                value = row.get(f.key)
                if value is not None:
                    ws.write(r, c, value)
    meta = wb.add_worksheet(META_SHEET)
    meta.write_column(0, 0, ["工作簿类型", "市州", "评选年度"])
    meta.write_column(0, 1, ["市州申报工作簿", "长沙市", edition.year])
    wb.close()


def bare_read(path: Path) -> None:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--source-only", action="store_true",
                        help="time processes that compile the package's modules from source (no bytecode)")
    args = parser.parse_args()
    edition = load_edition(2021)
    exe = str(Path(sys.executable).with_name("xl-awards"))
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "长沙市.xlsx"
        write_workbook(path, edition, args.rows)
        findings = validate_files([path], edition)
        errors = [f for f in findings if f.severity != "info"]
        assert not errors, errors[:5]  # the generated rows are valid: the benchmark times the clean path
        bytecode = prepare_bytecode(args.source_only)
        in_process = best_pair(args.repeat, lambda: timed(lambda: bare_read(path)),
                               lambda: timed(lambda: validate_files([path], edition)))
        processes = best_pair(args.repeat, lambda: timed_process([sys.executable, "-c", BARE_READ_SCRIPT, str(path)]),
                              lambda: timed_process([exe, "validate", "--json", str(path)]))
    print(f"rows: {args.rows} per applicant sheet, {3 * args.rows} recipient rows; best of {args.repeat}, run alternately")
    print_pair("in one process (validate_files):", "validate", *in_process)
    print_pair(f"process to process (xl-awards validate --json; {bytecode}):", "validate", *processes)


if __name__ == "__main__":
    main()

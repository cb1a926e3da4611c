"""Make the bad-input corpus: small files that every workbook reader must refuse with one Chinese line.

Run ``python tests/corpus/make_corpus.py`` to (re)write ``tests/corpus/files/`` and
``tests/corpus/expected.json`` (file name -> the expected first line of output, or its start
when it ends with ``…``: a library's own detail follows).  Zip bombs are made by declared sizes,
dimensions and far-away cell references, not by real gigabytes: the largest file is a few
hundred kilobytes.  The expectations are written here by hand from the documented limits
(``xl_awards.io.workbook_files``: 200 MB, 2,000 parts, 100,000 rows, 500 columns, 10 million
cells) and the messages of ``xl_awards.base.messages.INPUT_ERRORS``.
"""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
FILES = HERE / "files"

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="申报" sheetId="1" r:id="rId1"/><sheet name="第二页" sheetId="2" state="{state}" r:id="rId2"/></sheets>'
            '</workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
                 '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows: str = '<row r="1"><c r="A1" t="inlineStr"><is><t>值</t></is></c></row>', dimension: str | None = "A1",
          prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    ns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    rows = rows.replace("<row", f"<{p}row").replace("</row>", f"</{p}row>").replace("<c ", f"<{p}c ") \
        .replace("</c>", f"</{p}c>") if prefix else rows
    return f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}>{dim}<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>'


def stray(ref: str, row: int) -> str:
    return f'<row r="1"><c r="A1" t="inlineStr"><is><t>值</t></is></c></row><row r="{row}"><c r="{ref}"><v>1</v></c></row>'


def workbook(path: Path, sheet1: str | None = None, sheet2: str | None = None, *, state: str = "visible",
             extra: dict[str, bytes | str] | None = None, workbook_xml: str | None = None) -> None:
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook_xml if workbook_xml is not None else WORKBOOK.format(state=state),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet1 if sheet1 is not None else sheet(),
        "xl/worksheets/sheet2.xml": sheet2 if sheet2 is not None else sheet(),
    }
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size the zip's central directory declares for ``member`` (a lie)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", data, i + 24, size)
        i = data.find(b"PK\x01\x02", i + 4)
    path.write_bytes(bytes(data))


M = {  # message templates (xl_awards.base.messages.INPUT_ERRORS), filled in by hand below
    "empty": "{f}：是空文件（0 字节），不是工作簿，请重新保存或重新下载后再校验",
    "not": "{f}：不是 Excel 工作簿（.xlsx/.xlsm），无法读取",
    "xls": "{f}：是旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再校验",
    "enc": "{f}：工作簿已加密（设置了打开密码），请取消密码后再校验",
    "corrupt": "{f}：工作簿已损坏，无法读取（…",
    "large": "{f}：解压后超过 200 MB（可能是压缩炸弹或异常文件），已拒绝读取；请检查文件或重新另存后再试",
    "parts": "{f}：压缩包内有 {n} 个部件，超过上限 2000 个，不是正常的工作簿，已拒绝读取",
    "rows": "{f}：工作表“{s}”用到第 {n} 行，超过上限 100000 行（可能有远处的零散单元格），已拒绝读取；请删除多余的行后再试",
    "cols": "{f}：工作表“{s}”用到第 {n} 列，超过上限 500 列（可能有远处的零散单元格），已拒绝读取；请删除多余的列后再试",
    "cells": "{f}：工作表“{s}”的使用区域为 {r} 行 × {c} 列，超过上限 10000000 个单元格，已拒绝读取；请删除多余的行列后再试",
}


def make() -> dict[str, str]:
    shutil.rmtree(FILES, ignore_errors=True)
    FILES.mkdir(parents=True)
    expected: dict[str, str] = {}

    def add(name: str, kind: str, **values) -> Path:
        expected[name] = M[kind].format(f=name, **values)
        return FILES / name

    # -- not a workbook at all ------------------------------------------------------------
    add("空文件.xlsx", "empty").write_bytes(b"")
    add("空文件.xlsm", "empty").write_bytes(b"")
    add("文本.xlsx", "not").write_text("这不是工作簿\n", encoding="utf-8")
    add("逗号分隔.xlsx", "not").write_text("名称,电话\n张三,13907310000\n", encoding="utf-8")
    add("网页.xlsx", "not").write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    add("PDF.xlsx", "not").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    add("GZIP.xlsx", "not").write_bytes(b"\x1f\x8b\x08\x00" + bytes(40))
    add("UTF16文本.xlsx", "not").write_bytes("名称\t电话\r\n".encode("utf-16"))
    add("随机字节.xlsx", "not").write_bytes(bytes((i * 37 + 11) % 256 for i in range(512)))
    add("单字节.xlsx", "not").write_bytes(b"P")
    # -- legacy and encrypted (OLE2 compound files) --------------------------------------------
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    add("旧版.xlsx", "xls").write_bytes(ole + b"Workbook".ljust(64, b"\0"))
    add("旧版.xlsm", "xls").write_bytes(ole)
    add("加密.xlsx", "enc").write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + bytes(64))
    add("加密.xlsm", "enc").write_bytes(ole + bytes(100) + "EncryptedPackage".encode("utf-16-le"))
    # -- zips that are not workbooks, or broken ---------------------------------------------
    add("空压缩包.xlsx", "not").write_bytes(b"PK\x05\x06" + bytes(18))
    with zipfile.ZipFile(add("只有类型表.xlsx", "not"), "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
    with zipfile.ZipFile(add("文档压缩包.xlsx", "not"), "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    good = FILES / ".good.xlsx"
    workbook(good)
    add("截断.xlsx", "corrupt").write_bytes(good.read_bytes()[:120])
    add("只有文件头.xlsx", "corrupt").write_bytes(b"PK\x03\x04")
    workbook(add("工作表XML损坏.xlsx", "corrupt"), sheet1='<?xml version="1.0"?><worksheet><sheetData><row><c r="A1"')
    workbook(add("工作簿XML损坏.xlsx", "corrupt"), workbook_xml="<workbook><sheets><sheet name=")
    # -- zip bombs by declared size and part count -----------------------------------------------
    workbook(add("声明超大.xlsx", "large"))
    declare_size(FILES / "声明超大.xlsx", "xl/worksheets/sheet1.xml", 4_000_000_000)
    workbook(add("三个部件合计超大.xlsx", "large"))
    for member in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml"):
        declare_size(FILES / "三个部件合计超大.xlsx", member, 70 * 1024 * 1024)  # 3 x 70 MB = 210 MB > 200 MB
    workbook(add("共享字符串声明超大.xlsx", "large"), extra={"xl/sharedStrings.xml": "<sst/>"})
    declare_size(FILES / "共享字符串声明超大.xlsx", "xl/sharedStrings.xml", 300 * 1024 * 1024)
    workbook(add("部件过多.xlsx", "parts", n=2006), extra={f"x/{i}": "" for i in range(2000)})  # 6 + 2000 parts
    # -- stray cells far out (the dimension missing, honest or lying) ------------------------------
    workbook(add("XFD100000.xlsx", "cols", s="申报", n=16384), sheet(stray("XFD100000", 100000), dimension=None))
    workbook(add("XFD1048576.xlsx", "rows", s="申报", n=1048576), sheet(stray("XFD1048576", 1048576), dimension=None))
    workbook(add("A1048576.xlsx", "rows", s="申报", n=1048576), sheet(stray("A1048576", 1048576), dimension=None))
    workbook(add("A100001.xlsx", "rows", s="申报", n=100001), sheet(stray("A100001", 100001), dimension=None))
    workbook(add("A100000可以读.xlsx", "cells", s="申报", r=100000, c=501),  # 100,000 rows are fine; column 501 is not
             sheet(stray("A100000", 100000) + '<row r="100000"><c r="SG100000"><v>2</v></c></row>', dimension=None))
    expected["A100000可以读.xlsx"] = M["cols"].format(f="A100000可以读.xlsx", s="申报", n=501)
    workbook(add("SG1第501列.xlsx", "cols", s="申报", n=501), sheet(stray("SG1", 1), dimension=None))
    workbook(add("面积过大.xlsx", "cells", s="申报", r=50000, c=300),  # 50,000 x 300 = 15 million cells
             sheet(stray("KN50000", 50000), dimension=None))
    workbook(add("第二张表远处单元格.xlsx", "cols", s="第二页", n=16384), None, sheet(stray("XFD20", 20), dimension=None))
    workbook(add("隐藏表远处单元格.xlsx", "rows", s="第二页", n=500000), None,
             sheet(stray("B500000", 500000), dimension=None), state="veryHidden")
    workbook(add("小写引用.xlsx", "cols", s="申报", n=16384), sheet(stray("xfd7", 7), dimension=None))
    workbook(add("带前缀的XML.xlsx", "cols", s="申报", n=16384), sheet(stray("XFD9", 9), dimension=None, prefix="x"))
    workbook(add("行号超出Excel.xlsx", "rows", s="申报", n=99999999999),
             sheet('<row r="99999999999"><c t="inlineStr"><is><t>远</t></is></c></row>', dimension=None))
    workbook(add("只有行号.xlsx", "rows", s="申报", n=200000), sheet('<row r="200000"/>', dimension=None))
    workbook(add("无行号的十万行.xlsx", "rows", s="申报", n=100001), sheet("<row/>" * 100001, dimension=None))
    # -- the dimension: honest, lying small, lying large --------------------------------------
    workbook(add("维度XFD1048576.xlsx", "rows", s="申报", n=1048576), sheet(dimension="A1:XFD1048576"))
    workbook(add("维度SG10.xlsx", "cols", s="申报", n=501), sheet(dimension="A1:SG10"))
    workbook(add("维度A100001.xlsx", "rows", s="申报", n=100001), sheet(dimension="A1:A100001"))
    workbook(add("维度谎报为A1.xlsx", "cols", s="申报", n=16384), sheet(stray("XFD3", 3), dimension="A1"))
    workbook(add("维度单格远处.xlsx", "rows", s="申报", n=300000), sheet(dimension="C300000"))
    good.unlink()
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return expected


if __name__ == "__main__":
    made = make()
    size = sum(p.stat().st_size for p in FILES.iterdir())
    print(f"{len(made)} files, {size / 1024:.0f} KB in {FILES}")

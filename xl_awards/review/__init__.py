"""Expert review: experts and conflicts, assignment, signed issued content, returned workbooks, statistics.
Pure core: may import base, edition and schema; never io, jobs, excel or demo.

Expert review: assignment with conflicts of interest, signed scoring workbooks,
checks of returned content, and the per-expert (lenient / harsh) summary.

Pure core: plain dataclasses in, dataclasses and Findings out; no file I/O.
The file side lives in ``xl_awards.io.expert_book``.

Integrity (SPEC section 3): the content the hub issues to an expert (expert,
edition year, workbook version, issue time, and per award sheet the rubric items
with maxima and the ordered rows 申报编号 / 申报主体 / 所属市州) is serialised
canonically (``IssuedBook.canonical``) and signed with HMAC-SHA256 under a key
only the hub holds.  Sheet protection in Excel is not security; the signature is
what is relied on.  A returned workbook is checked cell by cell against its
verified issued content, and is imported whole or not at all.
"""

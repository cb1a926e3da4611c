"""xlwings entry points for the workbook buttons (DESIGN.md: ``book -> tables -> core -> tables -> book``).
May import the core, io and jobs; never demo.

Each button is one ``xl_`` function in ``xl_awards.excel.buttons`` that reads the open workbook in
whole sheets, calls the same core function as the command line, and writes whole ranges back:

- ``xl_validate(book=None)`` — 校验 (city intake workbook; ``xl-awards validate --write-back``);
- ``xl_rank(book=None)`` — 计算排名 (hub workbook; ``xl-awards rank``).

Called from Excel through the xlwings add-in (``RunPython``, see ``macros/``), or with any
``xlwings.Book`` — a real one, or the remote engine's ``xw.Book(json=...)`` in the tests.
This package is the only one besides ``io`` that touches a workbook; it imports the core, not
``io``'s internals.  Importing it needs xlwings (the ``excel`` extra).
"""

__all__ = ["buttons"]

"""The hub workbook as tables (its 设置 sheet included), consolidation, and the hub-to-domain adapters.
Pure core: may import base, edition, schema, intake, review and scoring; never io, jobs, excel or demo."""

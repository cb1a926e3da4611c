"""The hub workbook as tables, consolidation, and the hub-to-domain adapters for scoring.

Pure core: imports base, edition, schema, intake, review and scoring; never io, jobs or excel."""

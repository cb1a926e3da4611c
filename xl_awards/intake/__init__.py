"""An intake workbook as tables, the cell / eligibility / cross-file checks, and validation.

Pure core: imports base, edition and schema; never io, jobs or excel."""

"""An intake workbook as tables, the cell / eligibility / cross-file checks, and validation.
Pure core: may import base, edition and schema; never io, jobs, excel or demo."""

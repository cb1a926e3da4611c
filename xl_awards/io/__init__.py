"""The only code that reads or writes files: workbooks (python-calamine, XlsxWriter, openpyxl), LibreOffice, atomic writes.
May import the core; never jobs, excel or demo."""

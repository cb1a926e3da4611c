"""The only code that reads or writes files: workbooks (python-calamine to read, XlsxWriter and openpyxl
to write), LibreOffice headless, atomic writes.  May import the core; never jobs, excel or demo.
"""

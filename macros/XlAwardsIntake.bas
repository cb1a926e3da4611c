Attribute VB_Name = "XlAwardsIntake"
Option Explicit

' Button of the city intake workbook (xl_awards). Import this module, then assign the
' macro ValidateWorkbook to a button on the first sheet (see macros/README.md).
' The call goes through the xlwings add-in late-bound (Application.Run), so this module
' compiles without a reference to xlwings. No text here is shown to users: the messages
' come from Python (xl_awards.excel.buttons).

Public Sub ValidateWorkbook()
    Application.Run "xlwings.xlam!RunPython", "import xl_awards.excel.buttons as b; b.xl_validate()"
End Sub

Attribute VB_Name = "XlAwardsHub"
Option Explicit

' Button of the hub workbook (xl_awards). Import this module, then assign the macro
' ComputeRanking to a button on the sheet where the hub staff start (see macros/README.md).
' The call goes through the xlwings add-in late-bound (Application.Run), so this module
' compiles without a reference to xlwings. No text here is shown to users: the messages
' come from Python (xl_awards.excel.buttons).

Public Sub ComputeRanking()
    Application.Run "xlwings.xlam!RunPython", "import xl_awards.excel.buttons as b; b.xl_rank()"
End Sub

Attribute VB_Name = "XlAwardsIntake"
Option Explicit

' Buttons of the city intake workbook (xl_awards). `xl-awards build` writes the .xlsm with
' this module and the buttons on the first sheet (see macros/README.md).
' Each Sub calls one Python entry point of xl_awards.excel.buttons through the xlwings
' add-in, late-bound (Application.Run), so this module compiles without a reference to
' xlwings. ASCII only: the Chinese texts come from Python or from the workbook's cell
' named XlAwardsSetupMessage. RunStep, XlwingsReady and ShowSetupMessage are in XlAwardsCommon.

Public Sub ValidateWorkbook()
    RunStep "xl_validate"
End Sub

Public Sub ClearMarks()
    RunStep "xl_clear_marks"
End Sub

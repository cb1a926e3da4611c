Attribute VB_Name = "XlAwardsIntake"
Option Explicit

' Buttons of the city intake workbook (xl_awards). `xl-awards build` writes the .xlsm with
' this module and the buttons on the first sheet (see macros/README.md).
' Each Sub calls one Python entry point of xl_awards.excel.buttons through the xlwings
' add-in, late-bound (Application.Run), so this module compiles without a reference to
' xlwings. ASCII only: the Chinese texts come from Python or from the workbook's cell
' named XlAwardsSetupMessage (ChrW below is the fallback when that cell is gone).

Public Sub ValidateWorkbook()
    RunStep "xl_validate"
End Sub

Public Sub ClearMarks()
    RunStep "xl_clear_marks"
End Sub

Private Sub RunStep(ByVal entry As String)
    If Not XlwingsReady() Then Exit Sub
    On Error GoTo Failed
    Application.Run "xlwings.xlam!RunPython", "import xl_awards.excel.buttons as b; b." & entry & "()"
    Exit Sub
Failed:
    ShowSetupMessage
End Sub

Private Function XlwingsReady() As Boolean
    Dim addin As Object
    On Error Resume Next
    Set addin = Application.Workbooks("xlwings.xlam")
    On Error GoTo 0
    If addin Is Nothing Then
        ShowSetupMessage
        XlwingsReady = False
    Else
        XlwingsReady = True
    End If
End Function

Public Sub ShowSetupMessage()
    Dim text As String
    On Error Resume Next
    text = CStr(ThisWorkbook.Names("XlAwardsSetupMessage").RefersToRange.Value)
    If Len(text) = 0 Then text = ChrW(35831) & ChrW(36816) & ChrW(34892) & " xl-awards excel-setup"
    ThisWorkbook.Names("XlAwardsStatus").RefersToRange.Value = text
    On Error GoTo 0
    MsgBox text, vbExclamation, "xl-awards"
End Sub

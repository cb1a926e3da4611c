Attribute VB_Name = "XlAwardsCommon"
Option Explicit

' What every button of xl_awards does (built into each .xlsm with XlAwardsHub or XlAwardsIntake):
' check that the xlwings add-in is loaded, call one Python entry point of xl_awards.excel.buttons
' through it (late-bound, Application.Run: no reference to xlwings needed to compile), and when
' the add-in or Python is missing show the Chinese set-up message from the workbook's cell named
' XlAwardsSetupMessage (ChrW below is the fallback when that cell is gone). ASCII only.

Public Sub RunStep(ByVal entry As String)
    If Not XlwingsReady() Then Exit Sub
    On Error GoTo Failed
    Application.Run "xlwings.xlam!RunPython", "import xl_awards.excel.buttons as b; b." & entry & "()"
    Exit Sub
Failed:
    ShowSetupMessage
End Sub

Public Function XlwingsReady() As Boolean
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

Attribute VB_Name = "XlAwardsHub"
Option Explicit

' Buttons of the hub workbook (xl_awards). `xl-awards build` writes the .xlsm with this
' module and one button per step on the first sheet (see macros/README.md).
' Each Sub calls one Python entry point of xl_awards.excel.buttons through the xlwings
' add-in, late-bound (Application.Run), so this module compiles without a reference to
' xlwings. ASCII only: the Chinese texts come from Python or from the workbook's cell
' named XlAwardsSetupMessage. RunStep, XlwingsReady and ShowSetupMessage are in XlAwardsCommon.

Public Sub ImportApplications()
    If Not XlwingsReady() Then Exit Sub
    If Not PickInto("XlAwardsPickedApplications") Then Exit Sub
    RunStep "xl_consolidate"
End Sub

Public Sub MakeExpertSheets()
    RunStep "xl_expert_sheets"
End Sub

Public Sub CollectScores()
    If Not XlwingsReady() Then Exit Sub
    If Not PickInto("XlAwardsPickedScores") Then Exit Sub
    RunStep "xl_collect"
End Sub

Public Sub ComputeRanking()
    RunStep "xl_rank"
End Sub

Public Sub MakePublicity()
    RunStep "xl_publicity"
End Sub

Public Sub FinalizeAwards()
    RunStep "xl_finalize"
End Sub

' The files chosen (several at once), or else one folder, go into the named cell as lines.
Private Function PickInto(ByVal cellName As String) As Boolean
    Dim dialog As Object
    Dim picked As String
    Dim i As Long
    Set dialog = Application.FileDialog(3)
    dialog.AllowMultiSelect = True
    If dialog.Show = -1 Then
        For i = 1 To dialog.SelectedItems.Count
            If i > 1 Then picked = picked & vbLf
            picked = picked & dialog.SelectedItems(i)
        Next i
    Else
        Set dialog = Application.FileDialog(4)
        If dialog.Show = -1 Then picked = dialog.SelectedItems(1)
    End If
    If Len(picked) = 0 Then
        PickInto = False
        Exit Function
    End If
    ThisWorkbook.Names(cellName).RefersToRange.Value = picked
    PickInto = True
End Function

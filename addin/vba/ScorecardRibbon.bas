Attribute VB_Name = "ScorecardRibbon"
' Scorecard's ribbon tab (customUI/customUI.xml in scorecard.xlam): each button calls a macro here.
' Scorecard (BSD-3-Clause). The functions themselves are in the module xlwings_udfs.
Option Explicit

Public Sub RestartPython(control As IRibbonControl)
    ' Ends the Python process behind the functions; the next calculation starts a fresh one
    ' (after installing a new Scorecard version, or when Python stopped answering).
    KillPy
    MsgBox "Python will start again at the next calculation (press Ctrl+Alt+F9 to recalculate now).", _
        vbInformation, "Scorecard"
End Sub

Public Sub ShowSettings(control As IRibbonControl)
    ' Where the add-in looks for its settings, and what it found.
    MsgBox "Scorecard functions (xlwings " & XLWINGS_VERSION & ")" & vbCrLf & vbCrLf & _
        "Settings file: " & GetConfigFilePath() & vbCrLf & _
        "Python: " & GetConfig("INTERPRETER_WIN", "(not set: pythonw on the PATH)") & vbCrLf & _
        "Functions module: " & GetConfig("UDF MODULES", "(not set)"), vbInformation, "Scorecard"
End Sub

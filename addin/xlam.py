"""addin/scorecard.xlam, built from the VBA text in addin/vba/ (no Excel, no copy of someone else's add-in).

The package is an ordinary macro-enabled workbook (written by XlsxWriter) made into an add-in: its main
part's content type is the add-in's, it carries our vbaProject.bin (addin.ovba), a sheet
"scorecard.conf" holding the setting every officer shares (the functions' module), and a ribbon tab
whose buttons call macros of ScorecardRibbon.bas. Every byte is reproducible: fixed dates, fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import xlsxwriter

from addin import UDF_MODULE, ovba, vba

XLAM = Path(__file__).parent / vba.ADDIN_NAME
BUILT = dt.datetime(2026, 1, 1)
_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
_RIBBON_RELATION = (
    '<Relationship Id="rIdScorecardRibbon" Type="http://schemas.microsoft.com/office/2006/relationships/ui/'
    'extensibility" Target="customUI/customUI.xml"/>'
)
RIBBON = """<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
  <ribbon>
    <tabs>
      <tab id="scorecardTab" label="Scorecard">
        <group id="scorecardGroup" label="Scorecard functions">
          <button id="scorecardRestart" label="Restart Python" size="large" imageMso="Refresh"
                  screentip="Start the Python behind the functions afresh" onAction="ScorecardRibbon.RestartPython"/>
          <button id="scorecardSettings" label="Settings" size="large" imageMso="PropertySheet"
                  screentip="Where the add-in finds Python and its settings" onAction="ScorecardRibbon.ShowSettings"/>
        </group>
      </tab>
    </tabs>
  </ribbon>
</customUI>
"""
SETTINGS = (("UDF MODULES", UDF_MODULE),)


def workbook_bytes(vba_project: bytes) -> bytes:
    """The .xlsm-shaped package XlsxWriter writes: one hidden settings sheet and the VBA project."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": "Scorecard functions", "company": "Scorecard", "created": BUILT,
                         "comments": "Scorecard's Excel functions: classic xlwings add-in (addin/README.md)"})
    book.set_vba_name("ThisWorkbook")
    sheet = book.add_worksheet(f"{vba.PROJECT_NAME}.conf")
    sheet.set_vba_name("Sheet1")
    for row, (key, value) in enumerate(SETTINGS):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    book.add_vba_project(io.BytesIO(vba_project), is_stream=True)
    book.close()
    return buffer.getvalue()


def as_addin(package: bytes) -> bytes:
    """The package with the add-in's content type and the ribbon, entries in a fixed order with fixed dates."""
    source = zipfile.ZipFile(io.BytesIO(package))
    parts = {name: source.read(name) for name in source.namelist()}
    types = parts["[Content_Types].xml"].decode("utf-8")
    if types.count(_WORKBOOK_TYPE) != 1:
        raise ValueError("XlsxWriter no longer writes the macro-enabled workbook type this build replaces")
    parts["[Content_Types].xml"] = types.replace(_WORKBOOK_TYPE, _ADDIN_TYPE).encode("utf-8")
    relations = parts["_rels/.rels"].decode("utf-8")
    parts["_rels/.rels"] = relations.replace("</Relationships>", _RIBBON_RELATION + "</Relationships>").encode()
    parts["customUI/customUI.xml"] = RIBBON.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, parts[name])
    return out.getvalue()


def build(out: Path | None = None, vba_folder: Path | None = None) -> Path:
    """Build the .xlam from the VBA text files (default addin/vba -> addin/scorecard.xlam)."""
    target = Path(out) if out is not None else XLAM
    project = ovba.vba_project(vba.PROJECT_NAME, vba.modules(vba_folder))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(as_addin(workbook_bytes(project)))
    return target

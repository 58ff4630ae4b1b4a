"""Export the indicator catalogue as CSV, JSON or a formatted, filterable Excel table.

xlsxwriter is used here, outside the pure core. The xlsx export is one sheet holding one Excel
table (filter buttons on every column), a frozen header row, sensible column widths, wrapped
long text and no merged cells, plus a small "About" sheet saying what the file is.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.workbooks.styles import row_height, set_print
from scorecard.catalogue import CATALOGUE_COLUMNS, DOCUMENTS, Catalogue
from scorecard.errors import ScorecardError

FORMATS = ("csv", "xlsx", "json")

# Column -> width in characters; anything not named gets 14.
_WIDTHS = {
    "id": 26, "name": 36, "short_name": 24, "definition": 50, "theme": 18, "unit": 12,
    "decimal_places": 9, "polarity": 12, "polarity_inferred": 9, "tolerance_type": 10,
    "tolerance": 9, "reporting_basis": 12, "frequency": 11, "source_return": 20,
    "population_basis": 20, "regions": 16, "documents": 16, "notes": 60,
    **{f"name_{doc}": 40 for doc in DOCUMENTS},
}
_WRAPPED = {"name", "short_name", "definition", "theme", "polarity", "reporting_basis", "notes",
            *(f"name_{doc}" for doc in DOCUMENTS)}
# Printed: what each indicator is and how it is judged (id to frequency); the source and
# reference columns are for screens and scripts.
_LAST_PRINTED = "frequency"


def export_catalogue(catalogue: Catalogue, fmt: str, out: str | Path) -> Path:
    """Write the catalogue to ``out`` in ``fmt`` (csv, xlsx or json); return the path."""
    if fmt not in FORMATS:
        raise ScorecardError(f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "csv":
        out.write_text(catalogue.to_csv(), encoding="utf-8", newline="")
    elif fmt == "json":
        out.write_text(catalogue_json(catalogue), encoding="utf-8")
    else:
        write_xlsx(catalogue, out)
    return out


def catalogue_json(catalogue: Catalogue) -> str:
    """The catalogue as JSON: fingerprint, columns and one object per indicator."""
    payload = {
        "fingerprint": catalogue.fingerprint(),
        "columns": list(CATALOGUE_COLUMNS),
        "indicators": catalogue.to_records(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def write_xlsx(catalogue: Catalogue, out: str | Path) -> None:
    """A readable, filterable workbook: one Excel table, frozen header, wrapped long text."""
    import xlsxwriter

    records = catalogue.to_records()
    workbook = xlsxwriter.Workbook(str(out))
    try:
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        top = workbook.add_format({"valign": "top"})
        sheet = workbook.add_worksheet("Catalogue")
        columns = list(CATALOGUE_COLUMNS)
        data = [[record[c] for c in columns] for record in records]
        last_row = max(len(data), 1)
        sheet.add_table(0, 0, last_row, len(columns) - 1, {
            "name": "Catalogue",
            "style": "Table Style Medium 2",
            "columns": [{"header": c} for c in columns],
            "data": data or [[""] * len(columns)],
        })
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        for index, column in enumerate(columns):
            sheet.set_column(index, index, _WIDTHS.get(column, 14),
                             wrap if column in _WRAPPED else top)
            sheet.write_string(0, index, column, header)
        # LibreOffice does not grow wrapped rows to fit on load: give long text its height.
        for row, record in enumerate(records, start=1):
            sheet.set_row(row, row_height([(str(record[column]), _WIDTHS[column])
                                           for column in _WRAPPED]))
        sheet.freeze_panes(1, 2)
        set_print(sheet, "Indicator catalogue", Path(str(catalogue.source)).name, "", 0,
                  columns.index(_LAST_PRINTED), last_row)
        about = workbook.add_worksheet("About")
        about.set_column(0, 0, 22)
        about.set_column(1, 1, 90)
        about.write_row(0, 0, ["Indicator catalogue", ""])
        about.write_row(1, 0, ["Indicators", len(records)])
        about.write_row(2, 0, ["Fingerprint", catalogue.fingerprint()])
        about.write_row(3, 0, ["Source", catalogue.source])
        for offset, (doc, title) in enumerate(DOCUMENTS.items(), start=5):
            about.write_row(offset, 0, [f"Document {doc}", title])
        about.write_row(len(DOCUMENTS) + 6, 0, [
            "Printing", f"The Catalogue sheet prints columns id to {_LAST_PRINTED}; the "
            "others are for screens and scripts."])
        set_print(about, "Indicator catalogue", Path(str(catalogue.source)).name)
    finally:
        workbook.close()

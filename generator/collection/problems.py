"""Problem codes of collection and how a problem is recorded: every problem names its file,
sheet, cell, indicator and field. docs/collection.md lists the same table (a test compares them).
"""

from __future__ import annotations

ERROR, WARNING, INFO = "error", "warning", "info"

# Problem codes: code -> (severity, what it means). docs/collection.md lists the same table.
PROBLEM_CODES: dict[str, tuple[str, str]] = {
    "refused": (ERROR, "the file was refused before reading (see message)"),
    "reader_fault": (ERROR, "a fault in Scorecard, not in the return, stopped it being read; "
                            "nothing from it is stored (send the file to whoever runs the "
                            "collection)"),
    "not_a_template": (ERROR, "the workbook is not a Scorecard collection template"),
    "template_version": (ERROR, "the template layout version is not one this reader knows"),
    "catalogue_version": (WARNING, "the template was made from another catalogue version"),
    "wrong_authority": (ERROR, "the authority is not the one expected or the cover was edited; "
                               "the return is stored quarantined (not current)"),
    "wrong_period": (ERROR, "the period is not the one being collected or the cover was edited; "
                            "the return is stored quarantined (not current)"),
    "text_in_number": (ERROR, "text that is not a number in a number cell; kept as raw text"),
    "number_as_text": (INFO, "a number typed as text (1,234 or 12.50 as text); the number "
                             "is used, the text kept as raw"),
    "out_of_range": (ERROR, "a number outside the unit's range; kept as typed"),
    "looks_like_fraction": (WARNING, "a percentage between 0 and 1: typed as a fraction?"),
    "percent_sign": (WARNING, "a percentage (or percentage points) typed with a % sign; the "
                              "number before it is used"),
    "percent_format": (INFO, "a per-cent formatted percentage (or percentage points) cell; the "
                             "value shown (x100) is used, the number stored kept as raw"),
    "percent_format_unscaled": (WARNING, "a per-cent formatted cell that is not a percentage; "
                                         "the number stored is used, not x100"),
    "shorthand": (INFO, "GSS shorthand: accepted as missing, with its reason"),
    "placeholder": (WARNING, "a placeholder such as n/a or tbc: missing; use GSS shorthand"),
    "spreadsheet_error": (ERROR, "a spreadsheet error value such as #DIV/0! (typed, or a "
                                 "formula's saved result); kept as raw text"),
    "not_in_list": (ERROR, "a value not in the cell's list (Yes/No)"),
    "not_a_date": (ERROR, "a date cell that does not hold a date"),
    "not_applicable_cell": (ERROR, "a value in a cell that does not apply to the unit"),
    "value_mismatch": (WARNING, "the value typed disagrees with numerator/denominator"),
    "formula": (WARNING, "a formula in an input cell: its saved value used, formula recorded"),
    "formula_no_value": (ERROR, "a formula with no saved value"),
    "unknown_indicator": (ERROR, "an indicator id not in the catalogue"),
    "code_changed": (ERROR, "the visible code differs from the row's hidden indicator id"),
    "moved_row": (INFO, "an indicator row found away from where it was issued; read by id"),
    "deleted_row": (ERROR, "an issued indicator row is missing from the return"),
    "inserted_row": (ERROR, "a row that was not in the template as issued; kept as raw text"),
    "duplicate_row": (ERROR, "the same indicator on more than one row; every row kept as raw "
                             "text, none used"),
    "missing_sheet": (ERROR, "a theme sheet of the template is missing, and no other sheet "
                             "holds its indicator ids"),
    "renamed_sheet": (WARNING, "a theme sheet was renamed; its rows were found by their hidden "
                               "ids and read"),
    "extra_sheet": (WARNING, "a sheet that is not part of the template; its cells are kept as "
                             "raw text, not used"),
    "extra_cell": (WARNING, "a typed cell outside the template's input cells (or far beyond "
                            "the sheet's rows and columns); kept as raw text, not used"),
    "template_text": (WARNING, "a cell the template filled (a heading, an indicator's name, the "
                               "cover, the hidden metadata) holds something else; kept as raw "
                               "text, not used"),
    "damaged_cell": (ERROR, "a cell that cannot be read as saved (damaged or written by faulty "
                            "software: NaN or INF as a number, a bad type or reference, two "
                            "cells in one place); kept as raw text, not used"),
    "damaged_format": (WARNING, "a cell whose style does not exist in the workbook: the value "
                                "it stores is read without its format (a date shows as a "
                                "number)"),
    "damaged_part": (WARNING, "a part of the workbook (its shared text) is damaged; what "
                              "could be read is read, and each cell it costs is reported"),
    "duplicate_return": (ERROR, "two returns for one authority and period in one collection; "
                                "both kept, the one not used is quarantined"),
    "accepted": (INFO, "a quarantined return accepted (scorecard store accept): stored again "
                       "as the current version"),
    "duplicate_file": (WARNING, "byte for byte identical to a return already stored for its "
                                "authority and period (any version), or to another file in "
                                "the collection; not stored again"),
    "text_too_long": (WARNING, "text longer than the template allows (2,000 characters); kept "
                               "in full"),
}


def problem(file: str, code: str, message: str, *, sheet="", cell="", indicator_id="",
             field="", raw="", severity: str | None = None) -> dict:
    """One problem as reported and stored; severity from PROBLEM_CODES unless given."""
    return {"file": file, "sheet": sheet, "cell": cell, "indicator_id": indicator_id,
            "field": field, "code": code, "severity": severity or PROBLEM_CODES[code][0],
            "message": message, "raw": raw}


class Problems:
    def __init__(self, file: str):
        self.file = file
        self.items: list[dict] = []

    def add(self, code: str, message: str, **where) -> str:
        """Record a problem (where: sheet, cell, indicator_id, field, raw, severity); return
        its severity."""
        recorded = problem(self.file, code, message, **where)
        self.items.append(recorded)
        return recorded["severity"]


_RANK = {"ok": 0, INFO: 1, WARNING: 2, ERROR: 3}


def worst(severities) -> str:
    return max((s for s in severities if s), key=lambda s: _RANK[s], default="ok")

"""What to type instead: the validation report's last column, for each problem the reader found.

The rule for a cell comes from the template layout (generator.collection.layout.rule_for), the
same rule the template's data validation and the reader apply, so the advice cannot drift from
what is accepted.
"""

from __future__ import annotations

from generator.collection import layout as L

SHORTHAND = "GSS shorthand if there is no figure: [c], [x], [z], [u] or [low]"
_FIXED = {
    "refused": "Save the return as an Excel Workbook (.xlsx), without macros or a password, "
               "and upload it again.",
    "reader_fault": "Nothing in your return is wrong: send the file to the hub lead.",
    "not_a_template": "Download your blank template from this page, fill it in, and upload that.",
    "template_version": "Download a new blank template from this page and copy your figures in.",
    "catalogue_version": "Nothing to change if the figures are right; next time use the "
                         "template from this page.",
    "wrong_authority": "Put your authority code back on the Cover (cell B4) as issued, or "
                       "upload your own authority's template.",
    "wrong_period": "Put the period back on the Cover (cell B5) as issued, or upload the "
                    "template for this round's period.",
    "spreadsheet_error": "The figure itself, or " + SHORTHAND + ".",
    "formula_no_value": "The figure itself (open and save the workbook in Excel so the formula "
                        "has a value), or type the number.",
    "formula": "Nothing if the value is right; typing the figure instead of a formula is safer.",
    "not_applicable_cell": "Leave the cell blank: this indicator does not use it.",
    "value_mismatch": "Check the numerator, denominator and value agree, or leave the value "
                      "blank and it is worked out.",
    "unknown_indicator": "Use the rows of the template as issued; do not add indicators.",
    "code_changed": "Put the indicator's code back as issued (it is read by its hidden id).",
    "moved_row": "Nothing: the row was found by its hidden id.",
    "deleted_row": "Restore the row: download the blank template and copy your figures in.",
    "inserted_row": "Delete the added row; put notes in the Commentary column.",
    "duplicate_row": "Keep one row for the indicator and delete the copy.",
    "missing_sheet": "Restore the sheet: download the blank template and copy your figures in.",
    "renamed_sheet": "Nothing: the sheet was found by its rows' hidden ids.",
    "extra_sheet": "Remove the added sheet (its cells are not used).",
    "extra_cell": "Move it into the Commentary column, or remove it (it is not used).",
    "template_text": "Put back what the template had there (see the blank template on this "
                     "page); it is not used.",
    "damaged_cell": "Type the cell again in Excel, save, and upload the workbook again.",
    "damaged_format": "Nothing if the figure is right; typing the cell again in Excel repairs "
                      "its format.",
    "damaged_part": "Open and save the workbook in Excel, or copy your figures into a new "
                    "blank template, and upload it again.",
    "duplicate_return": "Ask the hub lead which return to use.",
    "accepted": "Nothing: the hub lead accepted this return.",
    "duplicate_file": "Nothing: this file was already received.",
    "text_too_long": f"At most {L.MAX_TEXT:,} characters of commentary.",
    "shorthand": "Nothing: accepted as missing.",
    "number_as_text": "Nothing: the number was used (next time type it as a number).",
    "placeholder": "Use " + SHORTHAND + ".",
    "not_a_date": "A date as dd/mm/yyyy.",
    "not_in_list": "Yes or No.",
    "percent_sign": "The number without the % sign, e.g. 86.5 for 86.5%.",
    "percent_format": "Nothing: read as the percentage shown.",
    "percent_format_unscaled": "The number itself, in a cell not formatted as a percentage.",
}


def what_to_type(problem: dict, unit: str | None) -> str:
    """Plain advice for one problem (a dict as stored: code, field, raw ...); `unit` is the
    indicator's unit from the catalogue, if known."""
    code = problem.get("code", "")
    field = problem.get("field") or "value"
    if code in ("text_in_number", "out_of_range", "looks_like_fraction"):
        rule = L.rule_for(field, unit or "")
        text = rule.description[:1].upper() + rule.description[1:]
        if code == "looks_like_fraction":
            return text + " (on the 0-100 scale: 86.5 for 86.5%)."
        if code == "out_of_range" and field == "denominator":
            return "A denominator above 0."
        if code == "out_of_range" and field == "numerator":
            return "A numerator no more than the denominator."
        return f"{text}, or {SHORTHAND}." if field != "commentary" else text + "."
    return _FIXED.get(code, "See the message.")

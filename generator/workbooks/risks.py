"""The Risks sheet: the 5x5 risk register with live score, level and change formulas.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from generator.workbooks.book import HEADER_ROW, write_title, write_value
from generator.workbooks.data import Risk, ScorecardData
from generator.workbooks.styles import (
    Formats,
    house_style,
    row_height,
    set_print,
)
from scorecard import formulas
from scorecard.risk import IMPACTS, LIKELIHOODS, risk_level

RISK_HEADERS = ["ID", "Impact", "Likelihood", "Score", "Level", "Change", "Previous score",
                "Risk", "Owner", "Controls"]
RISK_WIDTHS = [18, 12, 12, 12, 12, 12, 12, 44, 22, 44]


def write_risks(sheet, risks: list[Risk], formats: Formats, title: str, data: ScorecardData):
    """004's 5x5 matrix as a heat map, a count of register risks per cell, then the register."""
    write_title(sheet, formats, "Risks", "Risk rating = impact x likelihood. Low 1-6, Moderate "
                "7-12, High 13-25. Colour shows the level; the number and the Level column say it.")
    header = formats.header()
    register_top = HEADER_ROW + 16
    first, last = register_top + 1, register_top + len(risks)
    levels = house_style()["risk_levels"]
    for block, heading in enumerate(("Risk score", "Risks in each cell")):
        top = HEADER_ROW + block * 8
        sheet.write_string(top, 0, heading, header)
        for impact, name in IMPACTS.items():
            sheet.write_string(top, impact, f"{impact} {name}", header)
        for offset, likelihood in enumerate(sorted(LIKELIHOODS, reverse=True)):
            row = top + 1 + offset
            sheet.write_string(row, 0, f"{LIKELIHOODS[likelihood]} ({likelihood})", header)
            for impact in IMPACTS:
                level = levels[risk_level(impact * likelihood)]
                fmt = formats.get(align="center", border=1, bold=block == 0,
                                  bg_color=level["fill"], font_color=level["font"])
                if block == 0:
                    sheet.write_number(row, impact, impact * likelihood, fmt)
                    continue
                count = sum(r.impact == impact and r.likelihood == likelihood for r in risks)
                sheet.write_formula(
                    row, impact, f"=COUNTIFS($B${first + 1}:$B${last + 1},{impact},"
                    f"$C${first + 1}:$C${last + 1},{likelihood})", fmt, count)
        sheet.write_string(top + 6, 0, "Rows: likelihood. Columns: impact.", formats.subtitle())
    sheet.add_table(register_top, 0, last, len(RISK_HEADERS) - 1, {
        "name": "tbl_Risks", "style": "Table Style Light 15",
        "columns": [{"header": h, "header_format": header} for h in RISK_HEADERS]})
    text, wrapped, centred = formats.text(), formats.text(wrap=True), formats.centred()
    for row, risk in zip(range(first, last + 1), risks, strict=True):
        impact, likelihood = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 2)
        score, previous = xl_rowcol_to_cell(row, 3), xl_rowcol_to_cell(row, 6)
        sheet.write_string(row, 0, risk.id, text)
        sheet.write_number(row, 1, risk.impact, centred)
        sheet.write_number(row, 2, risk.likelihood, centred)
        sheet.write_formula(row, 3, "=" + formulas.risk_score_formula(impact, likelihood),
                            centred, risk.score)
        sheet.write_formula(row, 4, "=" + formulas.risk_level_formula(score), centred,
                            risk.level)
        sheet.write_formula(row, 5, "=" + formulas.risk_change_formula(score, previous), centred,
                            risk.change)
        write_value(sheet, row, 6, risk.previous_score, centred)
        sheet.write_string(row, 7, risk.risk, wrapped)
        sheet.write_string(row, 8, risk.owner, wrapped)
        sheet.write_string(row, 9, risk.controls, wrapped)
        sheet.set_row(row, row_height([(risk.risk, RISK_WIDTHS[7]), (risk.owner, RISK_WIDTHS[8]),
                                       (risk.controls, RISK_WIDTHS[9])]))
    for level in levels:
        sheet.conditional_format(first, 4, last, 4, {
            "type": "cell", "criteria": "==", "value": f'"{level}"',
            "format": formats.level_fill(level)})
    for col, width in enumerate(RISK_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_row(register_top, 30)
    set_print(sheet, title, data.authority, data.period, register_top)

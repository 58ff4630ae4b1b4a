"""Loading a risk register (CSV, .xlsx or DataFrame): risk_id, risk, owner, impact, likelihood[,
previous_score][, controls].
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from generator.words import noun
from generator.workbooks.data import Risk
from generator.workbooks.data_csv import cell_text, read_table
from scorecard.errors import ScorecardError
from scorecard.risk import risk_level, risk_score

# --------------------------------------------------------------------------- risks

RISK_COLUMNS = ("risk_id", "risk", "owner", "impact", "likelihood")


def load_risks(source: str | Path | pd.DataFrame) -> list[Risk]:
    """A risk register: risk_id, risk, owner, impact (1-5), likelihood (1-5)
    [, previous_score][, controls]."""
    frame, rows = read_table(source, "risk register")
    missing = [column for column in RISK_COLUMNS if column not in frame.columns]
    if missing:
        raise ScorecardError(f"{rows.name}: missing risk {noun(len(missing), 'column')} {', '.join(missing)}; found "
                             f"{', '.join(map(str, frame.columns)) or 'none'}")
    if frame.empty:
        raise ScorecardError(f"{rows.name}: the risk register has no risks (a header row only)")
    risks = []
    for position, row in zip(frame.index.to_list(), frame.to_dict("records"), strict=True):
        where = rows.where(int(position))
        try:
            risk_score(row["impact"], row["likelihood"])  # names the field that is wrong
            impact, likelihood = int(float(row["impact"])), int(float(row["likelihood"]))
            previous = cell_text(row.get("previous_score"))
            previous_score = None
            if previous:
                risk_level(previous)  # refuses anything but a whole number 1-25
                previous_score = int(float(previous))
        except (ScorecardError, ValueError) as error:
            raise ScorecardError(f"{where}: {error}") from None
        if not cell_text(row["risk"]):
            raise ScorecardError(f"{rows.where(int(position), 'risk')}: blank")
        risks.append(Risk(cell_text(row["risk_id"]), cell_text(row["risk"]),
                          cell_text(row["owner"]), impact, likelihood, previous_score,
                          cell_text(row.get("controls"))))
    return risks

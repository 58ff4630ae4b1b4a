"""Seed 004's published scorecard (Q4 2023/24) as a long table, matched to the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from generator.workbooks.data_csv import cell_text, normalise_column, read_table

# --------------------------------------------------------------------------- seed 004

SEED004_PERIOD_COLUMNS = ("Mar-23", "Jun-23", "Sep-23", "Dec-23", "Mar-24")


def seed004_unit(measure_name: str) -> str:
    text = measure_name.strip().lower()
    if text.startswith("%"):
        return "percentage"
    if text.startswith("rate per 1,000"):
        return "rate per 1,000"
    return "count"


def normalise_name(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", text.lower()).strip()


def match_catalogue_name(catalogue, measure_name: str, document: str = "004") -> str | None:
    """The catalogue id of the indicator that `document` calls `measure_name`."""
    if catalogue is None:
        return None
    wanted = normalise_name(measure_name)
    for indicator in catalogue:
        names = dict(getattr(indicator, "names", {}) or {})
        if document in getattr(indicator, "documents", ()) and names.get(document):
            if normalise_name(names[document]) == wanted:
                return indicator.id
    for indicator in catalogue:
        if wanted in {normalise_name(indicator.name), normalise_name(indicator.short_name or "")}:
            return indicator.id
    return None


def load_seed004(path: str | Path, catalogue=None) -> pd.DataFrame:
    """004's published scorecard (examples/seed004_q4_2023_24.csv) as the tidy table.

    Each measure is matched to its catalogue id by name; a measure the catalogue does not
    list keeps 004's own description (name, theme, section, polarity, reporting basis) under
    an id '004-NN', so nothing is dropped.
    """
    frame, _ = read_table(path, "seed 004 scorecard")
    rows = []
    for position, row in zip(frame.index.to_list(), frame.to_dict("records"), strict=True):
        measure = cell_text(row["name"])
        indicator_id = match_catalogue_name(catalogue, measure) or f"004-{position + 1:02d}"
        description = {
            "name": measure, "theme": cell_text(row["theme"]), "section": cell_text(row["section"]),
            "polarity": cell_text(row["polarity"]), "unit": seed004_unit(measure),
            "reporting_basis": cell_text(row["reporting_basis"]),
        }
        for label in SEED004_PERIOD_COLUMNS:
            latest = label == SEED004_PERIOD_COLUMNS[-1]
            rows.append({
                "indicator_id": indicator_id, "period": label,
                "actual": row[normalise_column(label)],
                "target": row["target"] if latest else "",
                "comparator": row["comparator"] if latest else "",
                **description,
            })
    return pd.DataFrame(rows)

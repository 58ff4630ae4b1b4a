"""LAIT's measures as an extension catalogue: one catalogue row per measure code, so any LAIT
measure can go on a scorecard (``load_catalogue(extend=lait_catalogue_path())``).

Each row: id ``lait-`` and the code made into an id (``ReReferral`` -> ``lait-rereferral``,
``%_of LAC Adopted`` -> ``lait-pct-of-lac-adopted``); name the dictionary's Measure, short name
the same cut to 40 characters; definition its Description; theme its (first) Topic; unit from
its y-axis words (below); decimal places its dps (the unit's default where LAIT says NA);
polarity High -> Bigger is Better, Low -> Smaller is Better, anything else No polarity; frequency
Annual; lait_code the code; notes the year type, the topics, the y-axis words as LAIT writes
them and whether LAIT shows a quartile band.

Units: ``% gap`` is percentage points; ``%...``, ``Turnover rate`` and ``Absence Rate`` are
percentages; ``Rate per 10,000`` (or 100,000, or 1000) a rate with the rest of the words as its
population (children aged 0-17 when LAIT says no more); ``Spend`` and ``Unit Cost`` currency;
``Case Load`` a ratio; FTE words FTE; ``Number...``, ``Total cases`` and ``Entries`` counts;
scores and anything else a score (a number on the measure's own scale).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from scorecard.catalogue import CATALOGUE_COLUMNS, SHORT_NAME_MAX
from scorecard.polarity import Polarity

_RATES = (("per 100,000", "rate per 100,000"), ("per 10,000", "rate per 10,000"), ("per 1000", "rate per 1,000"),
          ("per 1,000", "rate per 1,000"))
_SCORE_DECIMALS = 1  # a score with no stated decimal places (Attainment 8 is published to 1)


def lait_id(code: str) -> str:
    """A catalogue id for a LAIT measure code: lower case, '%' as pct, '&' as and, '+' as plus."""
    text = code.lower().replace("%", " pct ").replace("&", " and ").replace("+", " plus ")
    return "lait-" + "-".join(re.findall(r"[a-z0-9]+", text))


def lait_unit(words: str) -> tuple[str, str]:
    """(catalogue unit, population basis) for LAIT's y-axis words."""
    text = " ".join(words.split())
    lowered = text.lower()
    for marker, unit in _RATES:
        if marker in lowered:
            rest = lowered.split(marker, 1)[1].strip(" -of")
            return unit, rest or "children aged 0-17"
    if re.search(r"\bgap\b", lowered):
        return "percentage points", ""
    if lowered.startswith("%") or "percentage" in lowered or lowered in ("turnover rate", "absence rate"):
        return "percentage", ""
    if lowered in ("spend", "unit cost"):
        return "currency", ""
    if lowered == "case load":
        return "ratio", ""
    if re.search(r"\bfte\b", lowered) or lowered == "social workers":
        return "FTE", ""
    if lowered.startswith("number") or lowered in ("total cases", "entries"):
        return "count", ""
    return "score", ""


def catalogue_rows(measures: pd.DataFrame) -> list[dict[str, str]]:
    """Catalogue rows (every CATALOGUE_COLUMNS key, as text) for a dictionary table as read by
    `generator.national.lists.read_dictionary` or kept in the store (`NationalStore.measures`)."""
    rows, taken = [], set()
    for measure in measures.itertuples(index=False):
        identifier = lait_id(measure.code)
        number = 2
        while identifier in taken:  # two codes that differ only in punctuation
            identifier, number = f"{lait_id(measure.code)}-{number}", number + 1
        taken.add(identifier)
        unit, population = lait_unit(measure.unit)
        dps = measure.dps if measure.dps is not None and measure.dps == measure.dps else None
        if dps is None and unit == "score":
            dps = _SCORE_DECIMALS
        polarity = Polarity(measure.polarity)
        topics = measure.topics
        notes = (f"LAIT measure {measure.code}; {measure.year_type}; topic(s): {topics}; unit as LAIT: "
                 f"{measure.unit}" + ("; LAIT shows no quartile band" if measure.no_quartile else "")
                 + ("; discontinued" if measure.discontinued else ""))
        row = dict.fromkeys(CATALOGUE_COLUMNS, "")
        row.update({
            "id": identifier, "name": measure.measure, "short_name": _short(measure.measure),
            "definition": " ".join(str(measure.description).split()), "theme": topics.split("; ")[0],
            "unit": unit, "decimal_places": "" if dps is None else str(int(dps)),
            "polarity": polarity.value, "reporting_basis": "Annual", "frequency": "Annual",
            "source_return": "DfE Local Authority Interactive Tool", "population_basis": population,
            "lait_code": measure.code, "notes": notes,
        })
        rows.append(row)
    return rows


def catalogue_csv(measures: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(catalogue_rows(measures))
    return buffer.getvalue()


def write_lait_catalogue(measures: pd.DataFrame, out: Path | str) -> Path:
    out = Path(out)
    out.write_text(catalogue_csv(measures), encoding="utf-8")
    return out


def _short(name: str) -> str:
    name = " ".join(name.split())
    if len(name) <= SHORT_NAME_MAX:
        return name
    cut = name[: SHORT_NAME_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" -,(") + "…"

"""Controlled vocabularies shared by the catalogue, templates and scorecards.

Taken from the source documents: reporting basis from 004's key to symbols (plus the
"Quarterly" basis its education table uses), units from the measures in 001-004.
"""

from __future__ import annotations

# 004, "Key to Symbols": reporting basis -> what it means.
REPORTING_BASES: dict[str, str] = {
    "Year to Date": "Performance accumulated over the year",
    "Rolling Year": "Average performance over a 12 month period",
    "Annual": "Performance measured once a year",
    "Latest Quarter": "Performance this quarter",
    "Snapshot": "Performance at a particular point in time",
    "Forecast": "Predicted position at the end of the year",
    "Quarterly": "Performance in the quarter (as 004's education table labels it)",
}

# unit -> (number format family, whether a numerator/denominator pair defines it)
UNITS: dict[str, str] = {
    "percentage": "Per cent, held on the 0-100 scale (86.5 means 86.5%)",
    "percentage points": "A difference between two percentages, in points; may be negative (attainment gaps)",
    "rate per 10,000": "Events per 10,000 of the population basis",
    "rate per 1,000": "Events per 1,000 of the population basis",
    "rate per 100,000": "Events per 100,000 of the population basis",
    "count": "A whole number of people, cases or events",
    "days": "A duration in days",
    "weeks": "A duration in weeks",
    "months": "A duration in months",
    "score": "A score on the measure's own scale (Progress 8, Attainment 8 ...)",
    "currency": "Pounds sterling",
    "FTE": "Full-time equivalent staff",
    "ratio": "A ratio of two quantities",
    "text": "Free text (no arithmetic, no polarity)",
    "date": "A calendar date",
    "yes/no": "Yes or No",
}

RATE_UNITS: dict[str, int] = {"rate per 1,000": 1_000, "rate per 10,000": 10_000,
                              "rate per 100,000": 100_000}

# Units whose value is a numerator over a denominator, so templates ask for both.
FRACTION_UNITS = frozenset({"percentage", *RATE_UNITS})

# Units whose answers are not numbers: no polarity, no decimal places.
UNJUDGED_UNITS = frozenset({"text", "date", "yes/no"})

FREQUENCIES = ("Monthly", "Quarterly", "Termly", "Half-yearly", "Annual", "Ad hoc")

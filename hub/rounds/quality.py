"""Data-quality queries in the hub, through the checks library (generator.collection.quality).

The library checks each stored return against its own history and the region (moved by more
than a set share, numerator above denominator, outside the region's 99.8% funnel limits, a
break in a series) and keeps each as a query in the store; the authority confirms one with a
comment or corrects it by resubmitting; the lead sees open queries per authority.
"""

from __future__ import annotations

import pandas as pd

from generator.collection.quality import QualitySettings, check_return

OPEN, CONFIRMED, CORRECTED = "open", "confirmed", "corrected"


def run_checks(store, authority: str, period: str, catalogue) -> list:
    """Check the current return of `authority` for `period` (queries are stored)."""
    return check_return(store, authority, period, catalogue, settings=QualitySettings())


def queries(store, authority: str | None = None, period: str | None = None,
            status: str | None = None) -> pd.DataFrame:
    return store.queries(authority=authority, period=period, status=status)


def for_page(store, authority: str, period: str) -> list[dict]:
    """`authority`'s queries for `period`, each with `confirmable`: whether the store would take
    a confirmation (Query.confirmable; some queries can only be corrected)."""
    return [{**row, "confirmable": row["status"] == OPEN and store.query(row["id"]).confirmable}
            for row in queries(store, authority=authority, period=period).to_dict("records")]


def confirm(store, query_id: int, comment: str, by: str) -> None:
    store.answer_query(query_id, CONFIRMED, comment, by)


def open_counts(store, period: str) -> dict[str, int]:
    """Open queries per authority for a period."""
    frame = queries(store, period=period, status=OPEN)
    return frame.groupby("authority").size().to_dict() if len(frame) else {}

"""A scorecard's data from the collection store: store_frame builds the long table that
load_scorecard_data reads, from Store.values_for (values, targets, comparators, rank, band).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from generator.collection.lookup import existing_store, find_authority
from generator.collection.store import Store
from generator.workbooks.data import ScorecardData
from generator.workbooks.data_csv import Rows, load_scorecard_data
from scorecard.errors import ScorecardError
from scorecard.periods import order_periods, parse_period

# Long-table column -> the field of the collected cell it came from (for messages).
CELL_FIELDS = {"actual": "value", "target": "target", "commentary": "commentary"}
# Problems the collection recorded when a cell showed a per-cent figure (so 0.5 there is 0.5%).
PERCENT_SHOWN = ("percent_format", "percent_sign")

# --------------------------------------------------------------------------- the store

# Store.values_for column -> comparator column of the long table (shown as its title).
STORE_COMPARATORS = (
    ("neighbours_average", "comparator_statistical_neighbours"),
    ("region_value", "comparator_region"),
    ("england_value", "comparator_england"),
)
# Units whose answer is not a number: the scorecard shows no status and the answer in the
# commentary column.
ANSWER_UNITS = frozenset({"text", "date", "yes/no"})


def _open_store(store: Store | str | Path) -> tuple[Store, bool]:
    """(the store, whether we opened it); a path must exist (Store() would create it)."""
    if isinstance(store, Store):
        return store, False
    return existing_store(store), True


def _store_authority(store: Store, authority: str) -> tuple[str, str]:
    """(code, name) of the authority in the store, matched by code or name."""
    found = find_authority(store, authority)
    return found.code, found.name


def store_periods(store: Store, code: str, period: str) -> list[str]:
    """The report period and the periods before it with a return from `code`, oldest first."""
    submitted = store.submissions(authority=code).sort_values("id")
    labels = order_periods(submitted["period"], lenient=True)
    period = parse_period(period).label
    if period not in labels:
        raise ScorecardError(f"{store.path}: no return from {code} for period {period!r}; "
                             f"periods stored for {code}: {', '.join(labels)}")
    return labels[: labels.index(period) + 1]


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value)


def store_frame(store: Store | str | Path, authority: str, period: str, catalogue=None
                ) -> pd.DataFrame:
    """The long table for one authority's scorecard, from the collection store.

    One row per indicator and period the store holds for the authority (current versions),
    for the report period and the periods before it: actual, target and commentary as
    collected; `comparator_statistical_neighbours`, `comparator_region` and
    `comparator_england` where the store has any; `quartile_band`, `rank` and `rank_of` among the
    authorities with a return in the store (Store.benchmark). A missing value collected as shorthand
    ([c], [x] ... or a placeholder such as n/a) stays that shorthand, for the value, target,
    numerator or denominator; a cell with an error gives a blank. Text, date and Yes/No
    answers go to the commentary (they have no status). Indicators not in the catalogue are
    left out: the error report lists them (unknown_indicator).
    """
    store, opened = _open_store(store)
    try:
        return _store_frame(store, authority, parse_period(period).label, _catalogue(catalogue))[0]
    finally:
        if opened:
            store.close()


def load_store_data(store: Store | str | Path, authority: str, period: str, catalogue=None, *,
                    allow_problems: bool = False) -> ScorecardData:
    """ScorecardData for one authority and report period from the collection store.

    `authority` is the code or the name the returns were collected under; `period` the report
    period in any spelling. The store's path is named when either is not in it. Problems (a bare
    fraction for a percentage) are named by the return's file, sheet and cell.
    """
    catalogue = _catalogue(catalogue)
    period = parse_period(period).label
    store, opened = _open_store(store)
    try:
        frame, code, name, places = _store_frame(store, authority, period, catalogue)
    finally:
        if opened:
            store.close()
    if period not in set(frame["period"]):
        raise ScorecardError(f"{store.path}: the return from {code} for {period} holds no "
                             "values for indicators in the catalogue")
    rows = Rows(f"{store.path}", _locator(frame, places, f"{Path(store.path).name}: {code}"))
    data = load_scorecard_data(frame, f"{name} ({code})" if name else code, period, catalogue,
                               allow_problems=allow_problems, rows=rows)
    data.source = f"Collection store {Path(store.path).name}: {code}, {', '.join(data.periods)}"
    if data.benchmarked:
        data.notes.append(("Quartile band and rank", "Among the authorities with a return for the period in "
                           "the collection store (and on its list of authorities): band A is the best quarter "
                           "given the polarity, rank 1 the best; a value on a quartile goes to the lower-valued "
                           "quarter."))
    return data


def _catalogue(catalogue):
    if catalogue is None:
        from scorecard.catalogue import load_catalogue

        return load_catalogue()
    return catalogue


def _locator(frame: pd.DataFrame, places: dict[tuple[str, str, str], str], fallback: str):
    """Where a row (and a column) of the store's table came from: the return's file, sheet and cell."""
    def locate(index: int, column: str | None) -> str:
        indicator_id, period = frame["indicator_id"].iat[index], frame["period"].iat[index]
        place = places.get((indicator_id, period, CELL_FIELDS.get(column or "actual", "")))
        return place or f"{fallback} {period} {indicator_id}" + (f", {column}" if column else "")
    return locate


def _percent_shown(store: Store, code: str) -> set[tuple[str, str, str]]:
    """(indicator, period, field) of the current cells that showed a per-cent figure when collected."""
    current = store.cells(authority=code)[["submission_id", "period"]].drop_duplicates()
    period_of = dict(zip(current["submission_id"], current["period"], strict=True))
    problems = store.problems()
    problems = problems[problems["code"].isin(PERCENT_SHOWN) & problems["submission_id"].isin(period_of)]
    return {(row.indicator_id, period_of[row.submission_id], row.field) for row in problems.itertuples()}


def _store_frame(store: Store, authority: str, period: str, catalogue
                 ) -> tuple[pd.DataFrame, str, str, dict[tuple[str, str, str], str]]:
    code, name = _store_authority(store, authority)
    periods = store_periods(store, code, period)
    table = store.values_for(code, periods, catalogue)
    cells = store.cells(authority=code)
    codes, texts, places = {}, {}, {}
    percent = _percent_shown(store, code)
    for cell in cells[cells["period"].isin(periods)].itertuples():
        key = (cell.indicator_id, cell.period, cell.field)
        if isinstance(cell.missing_code, str) and cell.status != "error":
            codes[key] = cell.missing_code
        if isinstance(cell.text, str) and cell.text:
            texts[key] = cell.text
        places[key] = f"{Path(cell.file).name}, sheet '{cell.sheet}', cell {cell.cell}"
    order = {indicator.id: n for n, indicator in enumerate(catalogue)}
    table = table[table["indicator_id"].isin(order)]
    present = [(source, column) for source, column in STORE_COMPARATORS
               if table[source].map(_number).notna().any()]
    rows = []
    for row in table.itertuples():
        key = (row.indicator_id, row.period)
        actual = _number(row.actual)
        if actual is None:  # shorthand typed as the value, or as numerator or denominator
            actual = next((codes[(*key, f)] for f in ("value", "numerator", "denominator")
                           if (*key, f) in codes), "")
        target = _number(row.target)
        commentary = row.commentary if isinstance(row.commentary, str) else ""
        if catalogue.get(row.indicator_id).unit in ANSWER_UNITS and texts.get((*key, "value")):
            commentary = "\n".join(filter(None, (texts[(*key, "value")], commentary)))
        if actual is not None and (*key, "value") in percent:
            actual = f"{actual}%"  # shown as a per cent when collected: not a fraction
        if target is not None and (*key, "target") in percent:
            target = f"{target}%"
        rank = _number(row.rank)
        rows.append({
            "indicator_id": row.indicator_id, "period": row.period, "actual": actual,
            "target": codes.get((*key, "target"), "") if target is None else target,
            "commentary": commentary,
            **{column: _number(getattr(row, source)) for source, column in present},
            "quartile_band": row.quartile_band if row.quartile_band in ("A", "B", "C", "D") else "",
            "rank": "" if rank is None else int(rank), "rank_of": "" if rank is None else int(row.of),
        })
    columns = ["indicator_id", "period", "actual", "target", "commentary",
               *(column for _, column in present), "quartile_band", "rank", "rank_of"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame = frame.where(frame.notna(), "")
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: (
        order[frame["indicator_id"].iat[i]], periods.index(frame["period"].iat[i])))]
    return frame.reset_index(drop=True), code, name, places

"""Scorecards with national comparators: from the national data alone, or national figures added to
an authority's own data (a CSV, or returns in the collection store).

- `NationalContext.open(store, ...)`: what a build needs from the store, read once (and shared by
  every authority in a batch): the measures the catalogue maps to LAIT, every series' bands and
  ranks, the statistical-neighbour edition for the report period (pinned: see
  `generator.national.comparators.choose_edition`).
- `load_national_data(context, authority)`: ScorecardData for one authority from LAIT's figures:
  its value, its statistical neighbours' average, its region's and England's, quartile band and
  rank, for each catalogue indicator with a `lait_code`, over the last five years.
- `add_national(data, context, authority)`: the same comparators, band and rank added to a
  scorecard's own data wherever the data does not give them, period by period.

Years. LAIT labels a financial-year measure's 2024-25 figure ``2025`` and an academic-year
measure's 2024/25 figure ``2025`` too; a scorecard from national data has one column per year,
the year each measure's period ends in (`comparators.series_periods`). A scorecard's own period is
matched to LAIT's when both read as the same period (``2024-25`` and a financial-year ``2025``), or
when the scorecard's is a bare year and LAIT's period ends in it; quarters and months have no
national figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from generator.national.areas import Area
from generator.national.comparators import Comparison, NationalData, choose_edition, compare
from generator.national.store import NationalStore
from generator.workbooks.data import ScorecardData
from generator.workbooks.data_csv import comparator_name, load_scorecard_data
from scorecard.benchmarking import ComparisonSet
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period
from scorecard.polarity import Polarity
from scorecard.values import BLANK, Missing

SOURCES = {"sn_average": "comparator_statistical_neighbours", "region_value": "comparator_region",
           "england_value": "comparator_england"}
NAMES = {source: comparator_name(column) for source, column in SOURCES.items()}
YEARS = 5
ATTRIBUTION = ("Source: Department for Education, Local Authority Interactive Tool (LAIT); Open Government "
               "Licence v3.0")


@dataclass
class NationalContext:
    """The national data a build uses, read from the store once."""

    store: Path
    data: NationalData
    edition: str
    neighbours: dict[int, list[int]]
    period: str  # the report year ('2025'): most measures' latest year unless one is asked for
    indicators: list  # catalogue indicators with a lait_code the store has
    files: str = ""  # the data files the figures come from, for the notes
    skipped: list[str] = field(default_factory=list)  # mapped indicators whose measure is not imported
    catalogue: object = None

    @classmethod
    def open(cls, store: Path | str, catalogue, period: str | None = None, edition: str | None = None,
             pin_for: str | None = None) -> NationalContext:
        """Read what the catalogue's LAIT-mapped indicators need. `period` is the report year for
        national scorecards (default: the latest with a figure); `pin_for` the report period the
        statistical-neighbour edition is pinned to (default: `period`)."""
        path = Path(store)
        with NationalStore(store, create=False) as national:
            known = set(national.measures()["code"])
            if not known:
                raise ScorecardError(f"{path}: no LAIT data dictionary imported yet (scorecard import lait ...)")
            mapped = [indicator for indicator in catalogue if getattr(indicator, "lait_code", "")]
            indicators = [i for i in mapped if i.lait_code in known]
            if not indicators:
                raise ScorecardError(f"{path}: none of the catalogue's indicators maps to a LAIT measure in the "
                                     "store (catalogue column lait_code)")
            data = NationalData.load(national, sorted({i.lait_code for i in indicators}))
            report = period or _latest_year(data)
            chosen = choose_edition(national, (pin_for or report).strip(), edition)
            files = national.files()
            used = files[files["id"].isin(set(data.values["file_id"].unique().tolist()))]
            return cls(path, data, chosen, national.neighbours(chosen), str(report).strip(), indicators,
                       "; ".join(f"{r.file} (imported {r.imported_at[:10]})" for r in used.itertuples()),
                       [f"{i.id} ({i.lait_code})" for i in mapped if i.lait_code not in known], catalogue)

    def authority(self, wanted: str | int) -> Area:
        return self.data.authority(wanted)

    def comparison(self, authority: Area) -> Comparison:
        return compare(self.data, authority, self.edition, self.neighbours)

    def notes(self, comparison: Comparison, filled: bool = False) -> list[tuple[str, str]]:
        """Notes-sheet rows saying where the national figures come from."""
        names = ", ".join(area.name for area in comparison.neighbours)
        region = comparison.region.name if comparison.region else "none"
        where = ", where the data did not give them," if filled else ""
        return [
            ("National figures", f"England, region and statistical neighbours' figures, quartile bands and ranks"
             f"{where} come from DfE's published data ({self.files}). {ATTRIBUTION}."),
            ("Statistical neighbours", f"DfE statistical neighbours, {self.edition} edition: the average of the "
             f"figures of {names} (those with a figure for the year). Every scorecard for this report period "
             "uses this edition (scorecard national editions)."),
            ("Region", f"{region}; for London authorities LAIT's Inner or Outer London figure, or London "
             "where the measure has none."),
            ("Quartile band and rank", "Among the 153 English authorities with a figure, as LAIT shows them: "
             "quartiles as R's quantile (type 7, Excel's QUARTILE.INC); a value exactly on a quartile goes to "
             "the lower-valued quarter; band A is the best quarter given the polarity; rank 1 is the best, "
             "ties share the better rank. No band where LAIT shows none (no polarity, or flagged "
             "No_Quartile); no rank without a polarity."),
            ("Years", "LAIT labels each figure with the year its period ends in: 2025 is the financial year "
             "2024-25 for a financial-year measure and the academic year 2024/25 for an academic one."),
        ]


def has_national_data(store: Path | str) -> bool:
    """True when the store file has LAIT figures imported."""
    import sqlite3

    try:
        with sqlite3.connect(f"{Path(store).resolve().as_uri()}?mode=ro", uri=True) as db:
            return bool(db.execute("SELECT 1 FROM national_series LIMIT 1").fetchone())
    except sqlite3.Error:
        return False


def _latest_year(data: NationalData) -> str:
    """The year most measures have as their latest with a figure (the later of a tie): measures
    are published on different timetables, and one early 2026 figure should not make a 2026
    scorecard of blanks."""
    present = data.values[data.values["value"].notna()]
    if present.empty:
        raise ScorecardError("the store holds no national figures for these measures")
    latest = present.groupby("measure", observed=True)["year"].max().value_counts()
    return str(int(max(latest.index, key=lambda year: (latest[year], year))))


# --------------------------------------------------------------------------- national scorecards


def national_frame(context: NationalContext, comparison: Comparison, years: int = YEARS) -> pd.DataFrame:
    """The long table (see generator.workbooks.data) of one authority's national figures."""
    try:
        last = int(context.period)
    except ValueError:
        raise ScorecardError(f"a national scorecard's period is a year (2025), not {context.period!r}") from None
    table = comparison.table
    table = table[(table["year"] > last - years) & (table["year"] <= last)]
    # Of one measure's labels ending in the same year, the later publication (2018 (Rev) over 2018).
    table = table.sort_values(["measure", "year", "sort"]).drop_duplicates(["measure", "year"], keep="last")
    by_measure: dict[str, list[dict]] = {}
    for record in table.to_dict("records"):
        by_measure.setdefault(str(record["measure"]), []).append(record)
    rows = []
    for indicator in context.indicators:
        # A percentage is written with its sign, as LAIT shows it: 0.4 is 0.4%, not a fraction.
        sign = "%" if indicator.unit == "percentage" else ""
        for record in by_measure.get(indicator.lait_code, ()):
            rows.append({"indicator_id": indicator.id, "period": str(record["year"]),
                         "actual": _actual(record, sign), "target": "",
                         "reporting_basis": "Annual", "frequency": "Annual",  # LAIT's figures are annual
                         **{SOURCES[s]: _number(record[s], sign) for s in SOURCES},
                         **_benchmark(record["band"], record["rank"], record["of"])})
    columns = ["indicator_id", "period", "actual", "target", "reporting_basis", "frequency", *SOURCES.values(),
               "quartile_band", "rank", "rank_of"]
    return pd.DataFrame(rows, columns=columns)


def load_national_data(context: NationalContext, authority: str | int | Area, catalogue=None,
                       years: int = YEARS) -> ScorecardData:
    """ScorecardData for one authority from the national figures alone (see the module docstring)."""
    catalogue = catalogue if catalogue is not None else context.catalogue
    area = authority if isinstance(authority, Area) else context.authority(authority)
    comparison = context.comparison(area)
    frame = national_frame(context, comparison, years)
    if context.period not in set(frame["period"]):
        raise ScorecardError(f"no national figures for {area.name} in {context.period} for the catalogue's "
                             "LAIT measures")
    data = load_scorecard_data(frame, area.name, context.period, catalogue)
    data.source = f"DfE Local Authority Interactive Tool: {context.files}"
    data.notes += context.notes(comparison)
    return data


def _actual(record: dict, sign: str = "") -> object:
    if not math.isnan(record["value"]):
        return _number(record["value"], sign)
    return record["code"] if isinstance(record["code"], str) and record["code"] else ""


def _number(value, sign: str = "") -> object:
    if value is None or value != value:
        return ""
    return f"{float(value)!r}{sign}" if sign else float(value)


def _benchmark(band, rank, of) -> dict:
    ranked = rank == rank and rank is not None
    return {"quartile_band": band if band in ("A", "B", "C", "D") else "",
            "rank": int(rank) if ranked else "", "rank_of": int(of) if ranked else ""}


# --------------------------------------------------------------------------- added to own data


def add_national(data: ScorecardData, context: NationalContext, authority: str | int | Area) -> ScorecardData:
    """Fill England, region and statistical-neighbour figures the data does not give, and the band
    and rank of the data's own value among the 153 authorities' published figures, for every
    period that matches a LAIT period. Returns `data`, changed in place."""
    area = authority if isinstance(authority, Area) else context.authority(authority)
    comparison = context.comparison(area)
    by_code = {indicator.lait_code: indicator for indicator in context.indicators}
    table = comparison.table
    values = context.data.values
    measures = context.data.measures
    current = {a.code for a in context.data.current_authorities()}
    added = False
    for measure in data.measures:
        indicator = next((i for i in context.indicators if i.id == measure.id), None)
        if indicator is None or indicator.lait_code not in by_code:
            continue
        series = table[table["measure"] == indicator.lait_code]
        for label in data.periods:
            match = _matching_series(series, label, measures.at[indicator.lait_code, "year_type"])
            if match is None:
                continue
            added = True
            for source, name in NAMES.items():
                given = measure.comparators.setdefault(name, {}).get(label, BLANK)
                if given is BLANK or (isinstance(given, Missing) and given.reason == "blank"):
                    number = getattr(match, source)
                    measure.comparators[name][label] = BLANK if number != number else float(number)
            if label not in measure.bands and label not in measure.ranks:
                others = values[(values["measure"] == match.measure) & (values["period"] == match.period)
                                & values["area"].isin(current - {area.code})]["value"].dropna().tolist()
                _place(measure, label, others, measures.loc[indicator.lait_code])
    if added:
        for name in NAMES.values():
            if name not in data.comparator_names:
                data.comparator_names.append(name)
        data.notes += context.notes(comparison, filled=True)
    return data


def _matching_series(series: pd.DataFrame, label: str, year_type: str):
    """The LAIT series (latest publication) for a scorecard period label, or None."""
    try:
        period = parse_period(label)
    except ScorecardError:
        return None
    candidates = []
    for row in series.itertuples():
        theirs = parse_period(row.period, year_type).unrevised()
        bare_year = label.strip().isdigit() and theirs.end.year == int(label.strip()) and theirs.years >= 1
        if theirs == period.unrevised() or bare_year:
            candidates.append(row)
    return max(candidates, key=lambda row: row.sort) if candidates else None


def _place(measure, label: str, others: list[float], lait) -> None:
    """Band and rank of the scorecard's own value among the other authorities' published figures."""
    value = measure.value(label)
    polarity = Polarity(lait["polarity"])
    if isinstance(value, Missing) or polarity is Polarity.NONE:
        return
    among = ComparisonSet(others + [value])
    rank = among.rank(value, polarity)
    if rank is not None:
        measure.ranks[label] = (rank, len(others) + 1)
    if not lait["no_quartile"]:
        band = among.band(value, polarity)
        if band != "-":
            measure.bands[label] = band


def scorecard_writer(publish: bool = False, **options) -> Callable:
    """write(context, authority, path): one authority's national scorecard (or its values-only
    version), for `generator.national.batch.build_every_authority`. `options`: title, contact."""
    return partial(_write_scorecard, publish=publish, options=options)


def _write_scorecard(context: NationalContext, authority: Area, path: Path, publish: bool, options: dict) -> Path:
    from generator.workbooks.publish import publish_scorecard
    from generator.workbooks.scorecard import build_scorecard

    data = load_national_data(context, authority)
    return (publish_scorecard if publish else build_scorecard)(data, path, **options)

"""What an authority's national figures are compared with, worked out as LAIT does, by the core's
rules (`scorecard.benchmarking`, `scorecard.periods`). Reads nothing from disk: `NationalData.load`
takes what it needs from a `NationalStore` once, and everything after is arithmetic on tables.

For one measure and one period label as published (a *series*):
- the quartile band (A best) and rank (1 best) of every current authority among the 153 current
  authorities with a figure (`scorecard.benchmarking.bands_and_ranks`): no band where the measure
  has no High/Low polarity or is flagged No_Quartile; no rank where it has no polarity;
- England's figure and the authority's region's (Inner or Outer London, or London where the
  measure has no Inner/Outer figure at all, as LAIT);
- the statistical-neighbour average: the mean of the neighbours' figures, those with a figure
  (LAIT's ``mean(na.rm = TRUE)``), with how many that was.

A series' period is read with the measure's Year_Type; `year` is the calendar year the period ends
in (``2024`` for AY 2023/24, FY 2023-24 and 2022-24 alike), which is how LAIT's own tables line
measures up. Of two labels of one measure ending in the same year (``2018`` and ``2018 (Rev)``)
the later publication is the one shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.national.areas import ENGLAND, LONDON, REGIONS, Area, find_authority, region_code
from generator.national.store import NationalStore
from scorecard.benchmarking import bands_and_ranks
from scorecard.errors import ScorecardError
from scorecard.periods import lenient_label, parse_period


@dataclass
class NationalData:
    """The national tables for some measures (or all), with every series' band and rank."""

    measures: pd.DataFrame  # indexed by code: measure, polarity, unit, dps, year_type, no_quartile ...
    areas: list[Area]
    values: pd.DataFrame  # measure, period, area, value, code, band, rank, of, sort, year

    @classmethod
    def load(cls, national: NationalStore, measures: Sequence[str] | None = None) -> NationalData:
        dictionary = national.measures().set_index("code", drop=False)
        if dictionary.empty:
            raise ScorecardError(f"{national.path}: no LAIT data dictionary imported yet (scorecard import lait ...)")
        if measures is not None:
            unknown = [code for code in measures if code not in dictionary.index]
            if unknown:
                raise ScorecardError(f"unknown LAIT measure code(s) {', '.join(unknown)}; the codes are the data "
                                     "dictionary's Measure_short")
            dictionary = dictionary.loc[list(dict.fromkeys(measures))]
        areas = national.areas()
        values = national.values(list(dictionary.index) if measures is not None else None)
        return cls(dictionary, areas, rank_and_band(values, dictionary, areas))

    @property
    def by_code(self) -> dict[int, Area]:
        return {area.code: area for area in self.areas}

    def grid(self) -> Grid:
        """The values as series x areas arrays (made once): what per-authority views read."""
        if getattr(self, "_grid", None) is None:
            self._grid = Grid.of_values(self.values)
        return self._grid

    def authority(self, wanted: str | int) -> Area:
        return find_authority(self.areas, wanted)

    def current_authorities(self) -> list[Area]:
        """The 153 current authorities (Area.is_current), in the list's order."""
        return [area for area in self.areas if area.is_current]


def rank_and_band(values: pd.DataFrame, measures: pd.DataFrame, areas: list[Area]) -> pd.DataFrame:
    """`values` with band, rank and of (the set's size) for current authorities, and each
    series' sort order and year. Every series at once: one call of the vectorised core."""
    series = values[["series", "measure", "period"]].drop_duplicates("series")
    series = series.merge(series_periods(series, measures), on=["measure", "period"], how="left")
    series["polarity"] = series["measure"].map(measures["polarity"]).astype(object)
    series["banded"] = ~series["measure"].map(measures["no_quartile"]).astype(bool)
    at = pd.Index(series["series"]).get_indexer(values["series"].to_numpy())
    values = values.assign(**{column: series[column].to_numpy()[at] for column in ("sort", "year", "canonical")})
    current = np.isin(values["area"].to_numpy(), [area.code for area in areas if area.is_current])
    number = np.where(current, values["value"].to_numpy(dtype=float), np.nan)
    bands, ranks, counts = bands_and_ranks(number, at, series["polarity"].to_numpy()[at],
                                           series["banded"].to_numpy(dtype=bool)[at])
    values["band"] = pd.Series(np.where(current, bands, None), index=values.index, dtype=object)  # no str copy
    values["rank"] = ranks
    values["of"] = np.where(current & ~np.isnan(ranks), counts, 0)
    return values


def series_periods(series: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """measure, period, sort (an order number: oldest first), year (the year it ends) and canonical
    (the period's canonical label) of each (measure, period label): each label read once per Year_Type."""
    pairs = series[["measure", "period"]].drop_duplicates().astype(object)
    kinds = pairs["measure"].map(measures["year_type"]).astype(object)
    read = {key: parse_period(*key) for key in dict.fromkeys(zip(pairs["period"], kinds, strict=True))}
    periods = [read[key] for key in zip(pairs["period"], kinds, strict=True)]
    order = {key: rank for rank, key in enumerate(sorted({period.sort_key for period in periods}))}
    return pairs.assign(sort=[order[period.sort_key] for period in periods],
                        year=[period.end.year for period in periods],
                        canonical=[period.label for period in periods])


@dataclass(frozen=True)
class Comparison:
    """One authority's view of the national figures, for the measures loaded."""

    authority: Area
    edition: str
    neighbours: tuple[Area, ...]
    region: Area | None
    table: pd.DataFrame  # one row per series: measure, period, year, sort, value, code, band, rank, of,
    #                      sn_average, sn_count, region_value, region_name, england_value


def compare(data: NationalData, authority: Area, edition: str, neighbours: dict[int, list[int]]) -> Comparison:
    """The authority's figures with its neighbours' average, its region's and England's, series by series."""
    by_code = data.by_code
    mine = neighbours.get(authority.code)
    if mine is None:
        raise ScorecardError(f"{authority.name} ({authority.code}) has no statistical neighbours in the "
                             f"{edition} edition")
    grid = data.grid()
    column = grid.column
    series = grid.series
    table = series[["measure", "period", "year", "sort"]].copy()
    own = column.get(authority.code)
    table["value"] = grid.value[:, own] if own is not None else np.nan
    table["code"] = grid.code[:, own] if own is not None else None
    table["band"] = grid.band[:, own] if own is not None else None
    table["rank"] = grid.rank[:, own] if own is not None else np.nan
    table["of"] = grid.of[:, own] if own is not None else 0
    near = grid.value[:, [column[code] for code in mine if code in column]]
    count = (~np.isnan(near)).sum(axis=1)
    table["sn_count"] = count
    table["sn_average"] = np.where(count > 0, np.nansum(near, axis=1) / np.maximum(count, 1), np.nan)
    regions = {area.name.lower(): area.code for area in data.areas if area.code in REGIONS}
    region = region_code(authority, regions)
    table["region_value"], table["region_name"] = _region_values(grid, region, by_code)
    table["england_value"] = grid.value[:, column[ENGLAND]] if ENGLAND in column else np.nan
    table = table.sort_values(["measure", "sort"], kind="stable").reset_index(drop=True)
    return Comparison(authority, edition, tuple(by_code[code] for code in mine if code in by_code),
                      by_code.get(region) if region else None, table)


@dataclass
class Grid:
    """Every series (rows) by every area (columns): value, code, band, rank, of; built once."""

    series: pd.DataFrame  # measure, period, year, sort: one row per series, in row order
    column: dict[int, int]  # area code -> column
    value: np.ndarray
    code: np.ndarray
    band: np.ndarray
    rank: np.ndarray
    of: np.ndarray

    @classmethod
    def of_values(cls, values: pd.DataFrame) -> Grid:
        series = values.drop_duplicates("series")[["series", "measure", "period", "year", "sort"]]
        series = series.astype({"measure": object, "period": object}).reset_index(drop=True)
        row = pd.Index(series["series"]).get_indexer(values["series"].to_numpy())
        areas = sorted(set(values["area"].tolist()))
        column = {code: index for index, code in enumerate(areas)}
        col = pd.Index(areas).get_indexer(values["area"].to_numpy())
        shape = (len(series), len(areas))

        def fill(name, empty, dtype):
            grid = np.full(shape, empty, dtype=dtype)
            grid[row, col] = values[name].to_numpy(dtype=dtype)
            return grid
        return cls(series, column, fill("value", np.nan, float), fill("code", None, object),
                   fill("band", None, object), fill("rank", np.nan, float), fill("of", 0, int))


def _region_values(grid: Grid, region: int | None, by_code: dict[int, Area]):
    """The region's figure for each series, and which region it is (London where an Inner/Outer
    London measure has no Inner/Outer figure at all)."""
    size = len(grid.series)
    if region is None or region not in grid.column:
        return np.full(size, np.nan), np.full(size, "", dtype=object)
    chosen = grid.value[:, grid.column[region]].copy()
    names = np.full(size, by_code[region].name if region in by_code else "", dtype=object)
    if region in by_code and by_code[region].name.lower().startswith("london (") and LONDON in grid.column:
        measure = grid.series["measure"].to_numpy(dtype=object)
        has_own = pd.Series(~np.isnan(chosen)).groupby(measure).transform("any").to_numpy(dtype=bool)
        chosen = np.where(has_own, chosen, grid.value[:, grid.column[LONDON]])
        names = np.where(has_own, names, by_code[LONDON].name if LONDON in by_code else "London")
    return chosen, names


def latest_edition(national: NationalStore) -> str:
    editions = national.editions()
    if editions.empty:
        raise ScorecardError(f"{national.path}: no statistical-neighbour edition imported yet "
                             "(scorecard import lait ... sn_may_2025.xlsx)")
    return str(editions["edition"].iloc[-1])


def choose_edition(national: NationalStore, period: str, wanted: str | None = None) -> str:
    """The statistical-neighbour edition for a report period: `wanted` if given (and it becomes the
    period's edition), else the edition the period was built with before, else the latest (which
    is then remembered for the period, so a rebuild later uses the same one). The period is
    kept under its canonical label, so any spelling of it finds the same pin."""
    period = lenient_label(period)
    known = national.editions()["edition"].tolist()
    if wanted is not None:
        match = next((edition for edition in known if edition.casefold() == wanted.strip().casefold()), None)
        if match is None:
            raise ScorecardError(f"no statistical-neighbour edition {wanted!r}; editions imported: "
                                 f"{', '.join(known) or 'none'}")
        national.pin(period, match)
        return match
    pinned = national.pins().get(period)
    if pinned is not None:
        return pinned
    edition = latest_edition(national)
    national.pin(period, edition)
    return edition

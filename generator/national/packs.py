"""A LAIT-style benchmark pack's figures for one authority (the workbook is written by
`generator.workbooks.benchmark_national`): for each catalogue indicator with a LAIT measure, the
authority, its statistical neighbours one by one and their average, its region and England across
the recent years, and in the latest year its quartile band, rank, the quartiles, and every current
authority's figure (so the workbook's band and rank can be live formulas over them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator.national.areas import Area
from generator.national.scorecards import YEARS, NationalContext
from scorecard.benchmarking import quartiles
from scorecard.polarity import Polarity


@dataclass
class PackMeasure:
    indicator: object  # the catalogue Indicator
    code: str  # LAIT measure code
    polarity: Polarity  # LAIT's (High, Low, or none)
    banded: bool  # False where LAIT shows no band (no polarity, or No_Quartile)
    year_type: str
    years: list[int]  # the measure's own latest years (up to five, the last no later than the pack's)
    labels: list[str]  # LAIT's label for each of those years
    own: list[float | str | None]  # the authority's figure, or its shorthand, per year
    sn_average: list[float | None]
    region: list[float | None]
    england: list[float | None]
    neighbours: list[list[float | str | None]]  # per neighbour, per year
    latest: int | None  # index of the latest year with a figure for any authority (None: no figures)
    band: str = "-"
    rank: int | None = None
    of: int = 0
    cuts: tuple[float, float, float] | None = None
    everyone: dict[int, float | str | None] = field(default_factory=dict)  # latest year, by authority code


@dataclass
class Pack:
    authority: Area
    period: str  # the pack's year: no measure's figures are later
    edition: str
    neighbours: list[Area]
    region: str
    authorities: list[Area]  # the 153 current authorities, by name
    measures: list[PackMeasure]
    notes: list[tuple[str, str]]
    files: str


def benchmark_pack(context: NationalContext, authority: Area, years: int = YEARS) -> Pack:
    """The figures of one authority's benchmark pack (see the module docstring). Each measure shows
    its own latest `years` years (LAIT's measures are published on different timetables), the
    last no later than the pack's year."""
    comparison = context.comparison(authority)
    grid = context.data.grid()
    last = int(context.period)
    table = comparison.table
    table = table[table["year"] <= last].sort_values(["measure", "year", "sort"])
    table = table.drop_duplicates(["measure", "year"], keep="last")
    row_of = {(m, p): i for i, (m, p) in enumerate(zip(grid.series["measure"], grid.series["period"], strict=True))}
    info_of = context.data.measures[["polarity", "no_quartile", "year_type"]].to_dict("index")
    everyone = sorted(context.data.current_authorities(), key=lambda a: a.name)
    region_name = next((n for n in table["region_name"] if n), comparison.region.name if comparison.region else "")
    by_measure: dict[str, dict[int, dict]] = {}
    for record in table.to_dict("records"):
        by_measure.setdefault(str(record["measure"]), {})[int(record["year"])] = record
    columns = [grid.column.get(area.code) for area in everyone]
    measures = []
    for indicator in context.indicators:
        rows = by_measure.get(indicator.lait_code)
        if not rows:
            continue
        info = info_of[indicator.lait_code]
        polarity = Polarity(info["polarity"])
        window = sorted(rows)[-years:]
        grid_rows = [row_of.get((indicator.lait_code, rows[y]["period"])) for y in window]

        def cell(row, column):
            if row is None or column is None:
                return None
            return _figure(grid.value[row, column], grid.code[row, column])
        own = grid.column.get(authority.code)
        present = [i for i, row in enumerate(grid_rows) if row is not None and np.isfinite(grid.value[row, :]).any()]
        latest = present[-1] if present else None
        measure = PackMeasure(
            indicator, indicator.lait_code, polarity,
            polarity is not Polarity.NONE and not bool(info["no_quartile"]), info["year_type"], window,
            [rows[y]["period"] for y in window],
            [cell(row, own) for row in grid_rows],
            [_number(rows[y]["sn_average"]) for y in window],
            [_number(rows[y]["region_value"]) for y in window],
            [_number(rows[y]["england_value"]) for y in window],
            [[cell(row, grid.column.get(n.code)) for row in grid_rows] for n in comparison.neighbours], latest)
        if latest is not None:
            row = grid_rows[latest]
            band = grid.band[row, own] if own is not None else None
            measure.band = band if band in ("A", "B", "C", "D") else "-"
            rank = grid.rank[row, own] if own is not None else math.nan
            measure.rank = None if math.isnan(rank) else int(rank)
            measure.everyone = {area.code: cell(row, column) for area, column in zip(everyone, columns, strict=True)}
            numbers = [v for v in measure.everyone.values() if isinstance(v, float)]
            measure.of = len(numbers)
            measure.cuts = quartiles(numbers) if numbers else None
        measures.append(measure)
    return Pack(authority, context.period, context.edition, list(comparison.neighbours), region_name,
                everyone, measures, context.notes(comparison), context.files)


def _figure(value: float, code) -> float | str | None:
    if not math.isnan(value):
        return float(value)
    return code if isinstance(code, str) and code else None


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)


def pack_writer() -> Callable:
    """write(context, authority, path): one authority's benchmark pack workbook, for
    `generator.national.batch.build_every_authority`."""
    return _write_pack


def _write_pack(context: NationalContext, authority: Area, path: Path) -> Path:
    from generator.workbooks.benchmark_national import write_national_benchmark

    return write_national_benchmark(benchmark_pack(context, authority), path)

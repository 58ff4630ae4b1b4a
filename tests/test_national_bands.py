"""Bands and ranks exactly as LAIT shows them, proved on LAIT's own data (the committed slice):
every authority-measure-year against an independent implementation of LAIT's R code."""

from __future__ import annotations

import csv
import math

import pytest
from lait_slice import DATA_CSV, DICTIONARY, imported_store

from generator.national.comparators import NationalData
from generator.national.store import NationalStore

PREDECESSORS = {835, 836, 837, 909, 928}  # abolished in reorganisation; still in LAIT's list


def r_quantile_type7(values: list[float], p: float) -> float:
    """R's quantile.default(type = 7), line for line: index = 1 + (n - 1) p, lo = floor, hi =
    ceiling, qs = x[lo], and where index > lo and x[hi] != qs: (1 - h) qs + h x[hi]."""
    x = sorted(values)
    index = 1 + (len(x) - 1) * p
    lo, hi = math.floor(index), math.ceil(index)
    qs = x[lo - 1]
    h = index - lo
    if index > lo and x[hi - 1] != qs:
        qs = (1 - h) * qs + h * x[hi - 1]
    return qs


def r_band(value: float, values: list[float], polarity: str) -> str | None:
    """LAIT's calculate_quartile_band: closed on the upper side; Low A..D, High D..A."""
    q = {p: r_quantile_type7(values, p) for p in (0.0, 0.25, 0.5, 0.75, 1.0)}
    if q[0.0] <= value <= q[0.25]:
        quarter = 0
    elif q[0.25] < value <= q[0.5]:
        quarter = 1
    elif q[0.5] < value <= q[0.75]:
        quarter = 2
    else:
        quarter = 3
    return "ABCD"[quarter] if polarity == "Low" else "DCBA"[quarter]


def r_rank(value: float, values: list[float], polarity: str) -> int:
    """rank(-x) for High, rank(x) for Low, ties.method = 'min', NA last: 1 + how many are strictly better."""
    return 1 + sum((other > value) if polarity == "High" else (other < value) for other in values)


def _lait_oracle():
    """{(measure, label, LA number): (band or None, rank or None)} straight from the CSV files."""
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        listings = list(csv.DictReader(handle))
    polarity = {row["Measure_short"].strip(): row["Polarity"] for row in listings}
    no_quartile = {row["Measure_short"].strip() for row in listings if row["No_Quartile"] == "N"}
    sets: dict[tuple[str, str], dict[int, float | None]] = {}
    with DATA_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            area = int(float(row["LA Number"]))
            if area >= 970 or area in PREDECESSORS or row["Years"] == "0":
                continue
            text = row["Values"]
            number = None if text in ("-", "c", "", "x", "z") else float(text)  # LAIT: as.numeric
            sets.setdefault((row["Short Desc"], row["Years"]), {})[area] = number
    expected = {}
    for (measure, label), by_area in sets.items():
        present = [v for v in by_area.values() if v is not None]
        for area, value in by_area.items():
            judged = polarity[measure] in ("High", "Low")
            band = rank = None
            if value is not None and judged:
                rank = r_rank(value, present, polarity[measure])
                if measure not in no_quartile:
                    band = r_band(value, present, polarity[measure])
            expected[(measure, label, area)] = (band, rank)
    return expected


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    store = imported_store(tmp_path_factory.mktemp("lait"))
    with NationalStore(store) as handle:
        yield NationalData.load(handle)


def test_every_band_and_rank_in_the_slice_is_lait_s(national):
    """All 153 current authorities x 44 measure-years: band and rank equal what LAIT's R code gives
    (type 7 quartiles, upper-closed quarters, ties.method = "min", NA unranked; no band for '-'
    polarity or No_Quartile)."""
    expected = _lait_oracle()
    got = {}
    for row in national.values.itertuples():
        if row.area < 970 and row.area not in PREDECESSORS:
            band = None if row.band in (None, "-") else row.band
            rank = None if math.isnan(row.rank) else int(row.rank)
            got[(str(row.measure), str(row.period), row.area)] = (band, rank)
    assert len(got) == len(expected) == 153 * 44
    assert got == expected


def test_the_slice_has_the_cases_that_matter(national):
    """The proof means something: the slice has values exactly on a quartile (where the old rule,
    the better band, differs from LAIT's), ties, a No_Quartile measure and a no-polarity one."""
    expected = _lait_oracle()
    frame = national.values
    keep = (frame["area"] < 970) & ~frame["area"].isin(PREDECESSORS) & frame["value"].notna()
    banded = {measure for (measure, _, _), (band, _) in expected.items() if band is not None}
    on_boundary = 0
    for (measure, _label), group in frame[keep].groupby(["measure", "period"], observed=True):
        if measure not in banded:
            continue
        cuts = {r_quantile_type7(group["value"].tolist(), q) for q in (0.25, 0.5, 0.75)}
        on_boundary += int(group["value"].isin(cuts).sum())
    assert on_boundary >= 20
    ranks = [rank for band, rank in expected.values() if rank is not None]
    assert len(ranks) > len(set(ranks))  # ties
    assert {b for (m, _, _), (b, r) in expected.items() if m == "Vacancies_cover" and r} == {None}
    assert {r for (m, _, _), (b, r) in expected.items() if m == "LAC"} == {None}


def test_the_set_is_the_153_not_england_regions_or_predecessors(national):
    """England (970), the regions (980-990) and the five predecessor authorities get no band or
    rank, and the size of every set counts current authorities only."""
    frame = national.values
    others = frame[(frame["area"] >= 970) | frame["area"].isin(PREDECESSORS)]
    assert set(others["band"].dropna()) == set() and others["rank"].isna().all()
    assert frame["of"].max() <= 153

"""Comparing an authority with benchmarks and with other authorities, as LAIT does.

- `compare_with_benchmark`: Better / Similar / Worse from the authority's confidence limits
  against a benchmark value (statistical neighbours, region, England). With no polarity, or
  Plan is Best, the answer is Higher / Similar / Lower. A limit or benchmark missing gives
  Not compared. A benchmark exactly on a limit counts as Similar.
- `quartile_bands`: A-D of each authority among a set, quartiles by linear interpolation
  (Excel QUARTILE.INC, numpy's default, R's type 7). A is the best quarter given polarity. As
  DfE's LAIT does, the intervals are closed on the upper side ([min, Q1], (Q1, Q2], (Q2, Q3],
  (Q3, max]), so a value exactly on a quartile goes to the lower-valued band whatever the
  polarity: the worse band for Bigger is Better, the better one for Smaller is Better.
  No polarity or Plan is Best: "-".
- `ranks`: 1 = best; ties share the lower rank (1, 2, 2, 4); missing values are unranked
  (None). No polarity or Plan is Best: unranked.
- `bands_and_ranks`: the same two rules over many comparison sets at once, vectorised (every
  measure-year of LAIT's 641,070 values in well under a second). It gives exactly the answers
  of `quartile_bands` and `ranks` applied to each set on its own: both use one quartile routine.

Quartiles are R's ``quantile(type = 7)``, as LAIT computes them, written as R writes the
interpolation, ``(1 - h) * x[lo] + h * x[hi]``, so a value that sits exactly on a quartile in R sits
exactly on it here (numpy's ``percentile`` rounds the other way in the last bit now and then).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.values import Missing, parse_value, parse_values

BETTER, SIMILAR, WORSE = "Better", "Similar", "Worse"
HIGHER, LOWER = "Higher", "Lower"
NOT_COMPARED = "Not compared"
NO_BAND = "-"
BANDS = ("A", "B", "C", "D")


def compare_with_benchmark(lower: object, upper: object, benchmark: object, polarity: object) -> str:
    """Better / Similar / Worse (or Higher / Similar / Lower) from confidence limits."""
    polarity = parse_polarity(polarity)
    low, high, mark = parse_value(lower), parse_value(upper), parse_value(benchmark)
    if any(isinstance(v, Missing) for v in (low, high, mark)):
        return NOT_COMPARED
    if low > high:
        raise ScorecardError(f"lower limit {low:g} is above upper limit {high:g}")
    if low <= mark <= high:
        return SIMILAR
    higher = low > mark
    if polarity is Polarity.BIGGER:
        return BETTER if higher else WORSE
    if polarity is Polarity.SMALLER:
        return WORSE if higher else BETTER
    return HIGHER if higher else LOWER


class ComparisonSet:
    """The non-missing values of a comparison set (every authority), read and sorted once, so that
    any number of values can be banded or ranked among them without reading the set again."""

    def __init__(self, values) -> None:
        numbers, _ = parse_values(values)
        numbers = numbers.ravel()
        self.ordered = np.sort(numbers[~np.isnan(numbers)])
        self.cuts: tuple[float, float, float] | None = None
        if self.ordered.size:
            q1, q2, q3 = _quartiles_sorted(self.ordered, np.array([0]), np.array([self.ordered.size]))
            self.cuts = float(q1[0]), float(q2[0]), float(q3[0])

    def band(self, value: object, polarity: object) -> str:
        """The band A-D of `value` among the set (which should include it)."""
        polarity = parse_polarity(polarity)
        number = parse_value(value)
        if polarity in (Polarity.NONE, Polarity.PLAN) or isinstance(number, Missing) or self.cuts is None:
            return NO_BAND
        return str(_bands(np.array([number]), *(np.array([cut]) for cut in self.cuts),
                          np.array([polarity is Polarity.BIGGER]))[0])

    def rank(self, value: object, polarity: object) -> int | None:
        """Rank of `value` among the set and itself: 1 + how many are strictly better; None if missing."""
        number = parse_value(value)
        if isinstance(number, Missing):
            return None
        return self._ranks(np.array([number]), parse_polarity(polarity))[0]

    def _ranks(self, numbers: np.ndarray, polarity: Polarity) -> list[int | None]:
        if polarity in (Polarity.NONE, Polarity.PLAN):
            return [None] * numbers.size
        if polarity is Polarity.BIGGER:
            better = self.ordered.size - np.searchsorted(self.ordered, numbers, side="right")
        else:
            better = np.searchsorted(self.ordered, numbers, side="left")
        return [None if np.isnan(number) else int(count) + 1 for number, count in zip(numbers, better, strict=True)]


def quartiles(values) -> tuple[float, float, float] | None:
    """Lower quartile, median, upper quartile of the non-missing values (QUARTILE.INC)."""
    return ComparisonSet(values).cuts


def quartile_band(value: object, values, polarity: object) -> str:
    """The band A-D of one value among `values` (which should include it)."""
    polarity = parse_polarity(polarity)
    number = parse_value(value)
    return ComparisonSet(values).band(number, polarity)


def quartile_bands(values, polarity: object) -> list[str]:
    """Band of every value in `values` among them all."""
    polarity = parse_polarity(polarity)
    among = ComparisonSet(values)
    return [among.band(value, polarity) for value in np.asarray(values, dtype=object).ravel()]


def ranks(values, polarity: object) -> list[int | None]:
    """Rank of every value: 1 = best, ties share the lower rank, missing unranked."""
    polarity = parse_polarity(polarity)
    numbers, _ = parse_values(values)
    return ComparisonSet(numbers)._ranks(numbers.ravel(), polarity)


# --------------------------------------------------------------------------- many sets at once


def bands_and_ranks(values, groups, polarities, banded=True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quartile band, rank and set size of every value among the values of its group, vectorised.

    `values` are numbers with NaN (or None) for missing; `groups` says which comparison set each
    value belongs to (one measure-year, say: whole numbers are fastest, any labels work);
    `polarities` is one polarity for all or one per value (the same within a group); `banded`
    is True, or one flag per value, False where no band is shown (LAIT's No_Quartile) but the
    rank still is. Returns (bands: "A"-"D" or "-", ranks: float with NaN for unranked, counts:
    how many non-missing values the value's group has). Each group gets exactly what
    `quartile_bands` and `ranks` give for that group alone.
    """
    numbers = np.asarray(values, dtype=float).ravel()
    size = numbers.size
    codes = _group_codes(groups, size)
    bigger, judged = _polarity_flags(polarities, size)
    show = np.broadcast_to(np.asarray(banded, dtype=bool), (size,))
    bands = np.full(size, NO_BAND, dtype=object)
    ranked = np.full(size, np.nan)
    counts = np.zeros(size, dtype=int)
    present = np.flatnonzero(~np.isnan(numbers))
    if present.size == 0:
        return bands, ranked, counts
    value, code = numbers[present], codes[present]
    order = np.lexsort((value, code))
    value, code, rows = value[order], code[order], present[order]
    groups_total = int(code.max()) + 1
    count = np.bincount(code, minlength=groups_total)
    start = np.cumsum(count) - count
    q1, q2, q3 = _quartiles_sorted(value, start, count)
    counts[rows] = count[code]
    # Ties: the first and last position of each run of equal values within a group.
    position = np.arange(value.size)
    new_run = np.ones(value.size, dtype=bool)
    new_run[1:] = (code[1:] != code[:-1]) | (value[1:] != value[:-1])
    first = np.maximum.accumulate(np.where(new_run, position, 0))
    run_end = np.ones(value.size, dtype=bool)
    run_end[:-1] = new_run[1:]
    last = np.minimum.accumulate(np.where(run_end, position, value.size)[::-1])[::-1]
    below = first - start[code]
    above = start[code] + count[code] - 1 - last
    is_bigger, is_judged = bigger[rows], judged[rows]
    ranked[rows] = np.where(is_judged, np.where(is_bigger, above, below) + 1, np.nan)
    with_band = is_judged & show[rows]
    bands[rows[with_band]] = _bands(value[with_band], q1[code[with_band]], q2[code[with_band]],
                                    q3[code[with_band]], is_bigger[with_band])
    return bands, ranked, counts


def _quartiles_sorted(ordered: np.ndarray, start: np.ndarray, count: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q1, Q2, Q3 of each group of `ordered` (sorted within groups) by R's type 7, as R computes
    them: index h = (n - 1) p, then (1 - f) x[lo] + f x[hi] where f = h - lo (x[lo] alone when
    f is 0 or the two are equal). Groups of no values give NaN."""
    cuts = []
    last = np.maximum(count - 1, 0)
    for share in (0.25, 0.5, 0.75):
        index = last * share
        low = np.floor(index).astype(int)
        fraction = index - low
        high = np.minimum(low + 1, last)
        safe = np.minimum(start + low, max(ordered.size - 1, 0))
        x_low = ordered[safe] if ordered.size else np.full(count.size, np.nan)
        x_high = ordered[np.minimum(start + high, max(ordered.size - 1, 0))] if ordered.size else x_low
        interpolate = (fraction > 0) & (x_high != x_low)
        cut = np.where(interpolate, (1 - fraction) * x_low + fraction * x_high, x_low)
        cuts.append(np.where(count > 0, cut, np.nan))
    return cuts[0], cuts[1], cuts[2]


def _bands(numbers: np.ndarray, q1: np.ndarray, q2: np.ndarray, q3: np.ndarray, bigger: np.ndarray) -> np.ndarray:
    """A-D with the quarters closed on the upper side: [min, Q1], (Q1, Q2], (Q2, Q3], (Q3, max]."""
    quarter = (numbers > q1).astype(int) + (numbers > q2) + (numbers > q3)  # 0 = lowest quarter
    letters = np.array(BANDS, dtype=object)
    return np.where(bigger, letters[3 - quarter], letters[quarter])


def _group_codes(groups, size: int) -> np.ndarray:
    """Whole-number group codes 0..k-1 for any group labels (numpy only for whole numbers)."""
    array = np.asarray(groups)
    if array.ndim == 0:
        return np.zeros(size, dtype=int)
    array = array.ravel()
    if array.size != size:
        raise ScorecardError(f"{array.size} group labels for {size} values; give one label per value")
    if array.dtype.kind in "iub":
        _, codes = np.unique(array, return_inverse=True)
    else:
        codes, _ = pd.factorize(pd.Series(array, dtype=object), use_na_sentinel=False)
    return codes.astype(int)


def _polarity_flags(polarities, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(bigger is better, judged) for each value, reading each distinct polarity spelling once."""
    array = np.asarray(polarities, dtype=object)
    if array.ndim == 0:
        polarity = parse_polarity(array.item())
        return (np.full(size, polarity is Polarity.BIGGER),
                np.full(size, polarity in (Polarity.BIGGER, Polarity.SMALLER)))
    array = array.ravel()
    if array.size != size:
        raise ScorecardError(f"{array.size} polarities for {size} values; give one, or one per value")
    codes, distinct = pd.factorize(array, use_na_sentinel=False)
    parsed = [parse_polarity(text) for text in distinct.tolist()]
    bigger = np.array([p is Polarity.BIGGER for p in parsed], dtype=bool)[codes]
    judged = np.array([p in (Polarity.BIGGER, Polarity.SMALLER) for p in parsed], dtype=bool)[codes]
    return bigger, judged

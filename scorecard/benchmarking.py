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
"""

from __future__ import annotations

import numpy as np

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
            q1, q2, q3 = np.percentile(self.ordered, [25, 50, 75])
            self.cuts = float(q1), float(q2), float(q3)

    def band(self, value: object, polarity: object) -> str:
        """The band A-D of `value` among the set (which should include it)."""
        polarity = parse_polarity(polarity)
        number = parse_value(value)
        if polarity in (Polarity.NONE, Polarity.PLAN) or isinstance(number, Missing) or self.cuts is None:
            return NO_BAND
        q1, q2, q3 = self.cuts
        if polarity is Polarity.BIGGER:
            return "A" if number > q3 else "B" if number > q2 else "C" if number > q1 else "D"
        return "A" if number <= q1 else "B" if number <= q2 else "C" if number <= q3 else "D"

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

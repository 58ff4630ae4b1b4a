"""Comparing an authority with benchmarks and with other authorities, as LAIT does.

- `compare_with_benchmark`: Better / Similar / Worse from the authority's confidence limits
  against a benchmark value (statistical neighbours, region, England). With no polarity, or
  Plan is Best, the answer is Higher / Similar / Lower. A limit or benchmark missing gives
  Not compared. A benchmark exactly on a limit counts as Similar.
- `quartile_bands`: A-D of each authority among a set, quartiles by linear interpolation
  (Excel QUARTILE.INC, numpy's default). A is the best quarter given polarity; a value on a
  quartile boundary goes to the better band. No polarity or Plan is Best: "-".
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


def quartiles(values) -> tuple[float, float, float] | None:
    """Lower quartile, median, upper quartile of the non-missing values (QUARTILE.INC)."""
    numbers, _ = parse_values(values)
    present = numbers[~np.isnan(numbers)]
    if present.size == 0:
        return None
    q1, q2, q3 = np.percentile(present, [25, 50, 75])
    return float(q1), float(q2), float(q3)


def quartile_band(value: object, values, polarity: object) -> str:
    """The band A-D of one value among `values` (which should include it)."""
    polarity = parse_polarity(polarity)
    number = parse_value(value)
    cuts = quartiles(values)
    if polarity in (Polarity.NONE, Polarity.PLAN) or isinstance(number, Missing) or cuts is None:
        return NO_BAND
    q1, q2, q3 = cuts
    if polarity is Polarity.BIGGER:
        return "A" if number >= q3 else "B" if number >= q2 else "C" if number >= q1 else "D"
    return "A" if number <= q1 else "B" if number <= q2 else "C" if number <= q3 else "D"


def quartile_bands(values, polarity: object) -> list[str]:
    """Band of every value in `values` among them all."""
    return [quartile_band(value, values, polarity) for value in np.asarray(values, dtype=object).ravel()]


def ranks(values, polarity: object) -> list[int | None]:
    """Rank of every value: 1 = best, ties share the lower rank, missing unranked."""
    polarity = parse_polarity(polarity)
    numbers, _ = parse_values(values)
    numbers = numbers.ravel()
    if polarity in (Polarity.NONE, Polarity.PLAN):
        return [None] * numbers.size
    present = numbers[~np.isnan(numbers)]
    result: list[int | None] = []
    for number in numbers:
        if np.isnan(number):
            result.append(None)
        elif polarity is Polarity.BIGGER:
            result.append(int((present > number).sum()) + 1)
        else:
            result.append(int((present < number).sum()) + 1)
    return result

"""Benchmarking: Better/Similar/Worse, quartiles (QUARTILE.INC), quartile bands and ranks."""

from __future__ import annotations

import pytest

from scorecard.benchmarking import (
    compare_with_benchmark,
    quartile_band,
    quartile_bands,
    quartiles,
    ranks,
)
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity

B, S, P, N = Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN, Polarity.NONE

# (lower, upper, benchmark, polarity, expected)
COMPARE = [
    (40, 60, 35, B, "Better"), (40, 60, 65, B, "Worse"), (40, 60, 50, B, "Similar"),
    (40, 60, 40, B, "Similar"), (40, 60, 60, B, "Similar"),  # a benchmark on a limit: Similar
    (40, 60, 39.99, B, "Better"), (40, 60, 60.01, B, "Worse"),
    (40, 60, 35, S, "Worse"), (40, 60, 65, S, "Better"), (40, 60, 40, S, "Similar"),
    (40, 60, 35, P, "Higher"), (40, 60, 65, P, "Lower"), (40, 60, 50, P, "Similar"),
    (40, 60, 35, N, "Higher"), (40, 60, 65, N, "Lower"), (40, 60, 60, N, "Similar"),
    ("40.4%", "59.6%", "65%", "High", "Worse"),
    (-0.3, -0.1, -0.35, B, "Better"),  # Progress 8 style negatives
    (None, 60, 50, B, "Not compared"), (40, "[c]", 50, B, "Not compared"),
    (40, 60, "n/a", B, "Not compared"), (40, 60, "#N/A", S, "Not compared"),
]


@pytest.mark.parametrize(("lower", "upper", "benchmark", "polarity", "expected"), COMPARE)
def test_compare_with_benchmark(lower, upper, benchmark, polarity, expected):
    """Better/Similar/Worse from limits, polarity-aware; Higher/Lower when not judged."""
    assert compare_with_benchmark(lower, upper, benchmark, polarity) == expected


def test_compare_refuses_unknown_polarity():
    """An unknown polarity raises rather than guessing a direction."""
    with pytest.raises(ScorecardError):
        compare_with_benchmark(1, 2, 3, "upwards-ish")


def test_quartiles_are_quartile_inc():
    """Quartiles by linear interpolation, as Excel's QUARTILE.INC (positions (n-1)p + 1).

    Reference: QUARTILE.INC({1..8}, 1/2/3) = 2.75 / 4.5 / 6.25 and of {10,20,30,40,50}
    = 20 / 30 / 40, worked by hand from the position formula.
    """
    assert quartiles(range(1, 9)) == pytest.approx((2.75, 4.5, 6.25))
    assert quartiles([50, 10, 40, 20, 30]) == pytest.approx((20, 30, 40))
    assert quartiles([10, None, "[c]", "n/a", 20, 30, 40, 50]) == pytest.approx((20, 30, 40))
    assert quartiles([7]) == (7, 7, 7)
    assert quartiles([None, "[x]"]) is None


def test_bands_bigger_is_better():
    """Bigger is Better: top quarter A ... bottom quarter D."""
    assert quartile_bands(list(range(1, 9)), B) == list("DDCCBBAA")


def test_bands_smaller_is_better():
    """Smaller is Better: the smallest quarter is A."""
    assert quartile_bands(list(range(1, 9)), S) == list("AABBCCDD")


def test_values_on_boundaries_go_to_the_lower_valued_band():
    """As LAIT: intervals closed on the upper side, so a value exactly on a quartile goes to the
    lower-valued band whatever the polarity (the worse band for Bigger is Better)."""
    values = [10, 20, 30, 40, 50]  # Q1 20, median 30, Q3 40
    assert quartile_bands(values, B) == ["D", "D", "C", "B", "A"]
    assert quartile_bands(values, S) == ["A", "A", "B", "C", "D"]


def test_bands_missing_and_unjudged():
    """Missing values and Plan is Best / no polarity get '-'."""
    values = [10, None, "[c]", 30, 50]
    assert quartile_bands(values, B) == ["D", "-", "-", "C", "A"]  # 30 is the median: (Q1, Q2]
    assert quartile_bands(values, P) == ["-"] * 5
    assert quartile_bands(values, N) == ["-"] * 5
    assert quartile_bands(values, "") == ["-"] * 5
    assert quartile_band(None, [1, 2, 3], B) == "-"
    assert quartile_band(5, [None], B) == "-"


def test_band_of_one_value_among_others():
    """quartile_band places a single value among a set given as text cells."""
    assert quartile_band("86.5%", ["80%", "85%", "90%", "95%", "86.5%"], "High") == "C"  # on the median
    assert quartile_band("89%", ["80%", "85%", "86%", "90%", "95%", "89%"], "High") == "B"


def test_ranks_ties_share_the_lower_rank():
    """1 is best; ties share the better (lower-numbered) rank and the next rank is skipped."""
    assert ranks([10, 9, 9, 8], B) == [1, 2, 2, 4]
    assert ranks([10, 9, 9, 8], S) == [4, 2, 2, 1]
    assert ranks([5, 5, 5], B) == [1, 1, 1]


def test_ranks_missing_unranked():
    """Missing values are unranked (None) and do not take a rank from anyone."""
    assert ranks([10, None, "[c]", 8, "n/a"], B) == [1, None, None, 2, None]
    assert ranks(["-0.2", "-0.1", None], "High") == [2, 1, None]


def test_ranks_unjudged():
    """Plan is Best and no polarity: nobody is ranked."""
    assert ranks([1, 2, 3], P) == [None, None, None]
    assert ranks([1, 2, 3], None) == [None, None, None]


def test_lower_limit_above_upper_is_refused_not_swapped():
    """Limits given the wrong way round are an error: swapping them would hide a data mistake."""
    with pytest.raises(ScorecardError, match="above upper"):
        compare_with_benchmark(60, 40, 50, "High")

"""Hypothesis properties of the rules: mirrors, monotonicity, scalar = vectorised, and more.

Strategies live in tests/strategies.py.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    all_polarities,
    cells,
    directional_polarities,
    finite_numbers,
    judged_polarities,
    missing_cells,
    near_edge,
    number_cells,
    polarity_spellings,
    rag_rows,
    risk_axis,
    rounded_numbers,
    tolerances,
)

from scorecard.benchmarking import compare_with_benchmark, quartile_bands, quartiles, ranks
from scorecard.direction import Direction, direction, direction_arrow
from scorecard.polarity import Polarity, parse_polarity
from scorecard.rag import Status, Tolerance, rag, rag_status, rag_vectorised
from scorecard.rates import percentage_ci, poisson_limits
from scorecard.risk import risk_level, risk_score
from scorecard.values import Missing, parse_value

BADNESS = {Status.GREEN: 0, Status.AMBER: 1, Status.RED: 2}
WORSE_ORDER = {"Better": 0, "Similar": 1, "Worse": 2}


def badness(actual, target, polarity, tolerance) -> int:
    return BADNESS[rag(actual, target, polarity, tolerance).status]


# --- flipping polarity mirrors the result ------------------------------------------------------

@given(finite_numbers, finite_numbers, directional_polarities, tolerances)
def test_flipping_polarity_mirrors_the_value_line(actual, target, polarity, tolerance):
    """rag(a, t, Bigger) == rag(-a, -t, Smaller): reflecting the number line swaps polarity."""
    assert rag(actual, target, polarity, tolerance) == rag(
        -actual, -target, polarity.mirrored(), tolerance)


@given(near_edge())
def test_mirror_holds_on_boundaries(case):
    """The mirror holds exactly on the target and the 1x / 2x tolerance edges too."""
    actual, target, polarity, tolerance = case
    assert rag(actual, target, polarity, tolerance) == rag(
        -actual, -target, polarity.mirrored(), tolerance)


@given(finite_numbers, finite_numbers, tolerances)
def test_plan_is_best_is_symmetric(actual, target, tolerance):
    """Plan is Best has no direction: negating the actual and the target keeps the status."""
    mirrored = rag(-actual, -target, Polarity.PLAN, tolerance)
    assert rag(actual, target, Polarity.PLAN, tolerance) == mirrored


@given(finite_numbers, finite_numbers, directional_polarities, tolerances)
def test_opposite_polarities_disagree_off_target(actual, target, polarity, tolerance):
    """Off target, exactly one of Bigger / Smaller calls the actual GREEN."""
    assume(abs(actual - target) > 1e-6 * max(1.0, abs(target)))
    greens = [rag(actual, target, p, tolerance).status is Status.GREEN
              for p in (polarity, polarity.mirrored())]
    assert greens.count(True) == 1


# --- improving a value never worsens its status -------------------------------------------------

@given(finite_numbers, finite_numbers, finite_numbers, directional_polarities, tolerances)
def test_improving_never_worsens(first, second, target, polarity, tolerance):
    """Moving the actual in the good direction never gives a worse status."""
    worse, better = sorted((first, second))
    if polarity is Polarity.SMALLER:
        worse, better = better, worse
    assert badness(better, target, polarity, tolerance) <= badness(
        worse, target, polarity, tolerance)


@given(finite_numbers, finite_numbers, finite_numbers, tolerances)
def test_plan_closer_never_worse(first, second, target, tolerance):
    """Plan is Best: an actual closer to the target never has a worse status."""
    closer, further = sorted((first, second), key=lambda value: abs(value - target))
    assert badness(closer, target, Polarity.PLAN, tolerance) <= badness(
        further, target, Polarity.PLAN, tolerance)


@given(finite_numbers, finite_numbers, judged_polarities, tolerances, tolerances)
def test_more_tolerance_never_worsens(actual, target, polarity, first, second):
    """A bigger tolerance of the same kind never gives a worse status."""
    small = Tolerance(first.kind, min(first.amount, second.amount))
    large = Tolerance(first.kind, max(first.amount, second.amount))
    assert badness(actual, target, polarity, large) <= badness(actual, target, polarity, small)


@given(finite_numbers, judged_polarities, tolerances)
def test_on_target_is_green(target, polarity, tolerance):
    """An actual equal to its target is GREEN whatever the polarity and tolerance."""
    assert rag(target, target, polarity, tolerance).status is Status.GREEN


# --- scalar equals vectorised ------------------------------------------------------------------

@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rag_rows, min_size=1, max_size=30))
def test_scalar_equals_vectorised(rows):
    """rag_vectorised over random rows gives exactly rag_status row by row."""
    actuals = np.array([row[0] for row in rows], dtype=object)
    targets = np.array([row[1] for row in rows], dtype=object)
    polarities = np.array([row[2] for row in rows], dtype=object)
    kinds = [row[3].kind for row in rows]
    amounts = [row[3].amount for row in rows]
    expected = [rag_status(a, t, p, tol) for a, t, p, tol in rows]
    assert rag_vectorised(actuals, targets, polarities, kinds, amounts).tolist() == expected


@settings(max_examples=150)
@given(st.lists(near_edge(), min_size=1, max_size=30))
def test_scalar_equals_vectorised_on_boundaries(cases):
    """Scalar and vectorised agree on rows placed exactly on (or a hair off) the boundaries."""
    actuals = np.array([case[0] for case in cases])
    targets = np.array([case[1] for case in cases])
    polarities = [case[2].value for case in cases]
    kinds = [case[3].kind for case in cases]
    amounts = [case[3].amount for case in cases]
    expected = [rag_status(*case) for case in cases]
    assert rag_vectorised(actuals, targets, polarities, kinds, amounts).tolist() == expected


@given(st.lists(st.one_of(finite_numbers, st.just(math.nan)), min_size=1, max_size=40),
       finite_numbers, all_polarities, tolerances)
def test_vectorised_float_array_with_scalar_polarity(actuals, target, polarity, tolerance):
    """A float array (NaN for blanks) with one polarity for all rows matches the scalar rule."""
    expected = [rag_status(a, target, polarity, tolerance) for a in actuals]
    got = rag_vectorised(np.array(actuals), target, polarity.value, tolerance.kind,
                         tolerance.amount)
    assert got.tolist() == expected


# --- values, missing and the percentage rule ---------------------------------------------------

@given(number_cells())
def test_number_cells_parse_to_their_number(pair):
    """Numbers typed as text, per-cent text or with thousands separators read back exactly."""
    cell, number = pair
    assert parse_value(cell) == number


@given(rounded_numbers)
def test_percent_sign_does_not_rescale(value):
    """"x%" means x on the 0-100 scale: the same status as the bare number x."""
    assert parse_value(f"{value!r}%") == parse_value(value) == value


@given(missing_cells, finite_numbers, judged_polarities)
def test_missing_actual_is_never_judged(cell, target, polarity):
    """Any missing-value code as the actual gives NO STATUS, reason naming the code."""
    missing = parse_value(cell)
    assert isinstance(missing, Missing)
    result = rag(cell, target, polarity)
    assert result.status is Status.NO_STATUS
    assert result.reason.endswith(f"({missing})")


@given(cells, cells)
def test_no_polarity_is_never_judged(actual, target):
    """With no polarity there is never a status, whatever the values."""
    assert rag(actual, target, Polarity.NONE).reason == "no polarity"


@given(polarity_spellings())
def test_spellings_parse(pair):
    """Every accepted spelling, in any case and padding, parses to its polarity."""
    spelling, polarity = pair
    assert parse_polarity(spelling) is polarity


# --- direction ---------------------------------------------------------------------------------

@given(rounded_numbers, rounded_numbers, directional_polarities)
def test_direction_mirrors(current, previous, polarity):
    """direction(c, p, Bigger) == direction(-c, -p, Smaller)."""
    assert direction(current, previous, polarity) is direction(-current, -previous,
                                                               polarity.mirrored())


@given(rounded_numbers, rounded_numbers)
def test_direction_agrees_with_arrow(current, previous):
    """Bigger is Better: Improving iff ↑, Declining iff ↓, No change iff →."""
    word = direction(current, previous, Polarity.BIGGER)
    arrow = direction_arrow(current, previous)
    assert {Direction.IMPROVING: "↑", Direction.DECLINING: "↓",
            Direction.NO_CHANGE: "→"}[word] == arrow


# --- benchmarking ------------------------------------------------------------------------------

@given(st.lists(rounded_numbers, min_size=1, max_size=20), directional_polarities)
def test_ranks_mirror_and_count(values, polarity):
    """Rank = 1 + number strictly better; negating values and flipping polarity keeps ranks."""
    got = ranks(values, polarity)
    better = (lambda a, b: a > b) if polarity is Polarity.BIGGER else (lambda a, b: a < b)
    assert got == [1 + sum(better(other, value) for other in values) for value in values]
    assert ranks([-v for v in values], polarity.mirrored()) == got


@given(st.lists(rounded_numbers, min_size=1, max_size=20), directional_polarities)
def test_bands_mirror_and_follow_ranks(values, polarity):
    """Bands flip with polarity under negation except for a value exactly on a quartile (LAIT
    closes the quarters on the upper side), and a better value never has a worse band."""
    bands = quartile_bands(values, polarity)
    cuts = quartiles(values)
    mirrored = quartile_bands([-v for v in values], polarity.mirrored())
    for value, band, flipped in zip(values, bands, mirrored, strict=True):
        if value not in cuts:
            assert flipped == band
    order = ranks(values, polarity)
    for band_a, rank_a in zip(bands, order, strict=True):
        for band_b, rank_b in zip(bands, order, strict=True):
            if rank_a < rank_b:
                assert band_a <= band_b


@given(finite_numbers, finite_numbers, finite_numbers, directional_polarities)
def test_compare_mirrors(lower, upper, benchmark, polarity):
    """Negating limits and benchmark and flipping polarity gives the same verdict."""
    lower, upper = min(lower, upper), max(lower, upper)
    assert compare_with_benchmark(lower, upper, benchmark, polarity) == compare_with_benchmark(
        -upper, -lower, -benchmark, polarity.mirrored())


# --- rates and risk ----------------------------------------------------------------------------

@given(st.integers(0, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from((95, 99.8)))
def test_wilson_contains_the_percentage(pair, level):
    """The Wilson interval lies in 0-100 and contains the observed percentage."""
    numerator, denominator = pair
    assume(denominator > 0)
    lower, upper = percentage_ci(numerator, denominator, level)
    assert 0 <= lower <= numerator / denominator * 100 <= upper <= 100


@given(st.integers(0, 500), st.sampled_from((95, 99.8)))
def test_poisson_limits_contain_and_grow(observed, level):
    """Poisson limits contain the count, and both rise with it (across the switch at 10 too)."""
    lower, upper = poisson_limits(observed, level)
    next_lower, next_upper = poisson_limits(observed + 1, level)
    assert lower <= observed <= upper
    assert lower < next_lower and upper < next_upper


@given(st.integers(0, 9), st.sampled_from((95, 99.8)))
def test_exact_limits_have_their_tail_probabilities(observed, level):
    """Exact limits: P(X >= O | lower) = P(X <= O | upper) = alpha/2, summed directly here."""
    alpha = 1 - level / 100
    lower, upper = poisson_limits(observed, level)

    def cdf(k: int, mean: float) -> float:
        return sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k + 1))

    assert math.isclose(cdf(observed, upper), alpha / 2, rel_tol=1e-7)
    if observed:
        assert math.isclose(1 - cdf(observed - 1, lower), alpha / 2, rel_tol=1e-7)


@given(risk_axis, risk_axis, risk_axis)
def test_risk_monotone(impact, likelihood, more):
    """A higher impact never lowers the score or the level."""
    assume(more >= impact)
    order = {"Low": 0, "Moderate": 1, "High": 2}
    assert risk_score(more, likelihood) >= risk_score(impact, likelihood)
    assert order[risk_level(risk_score(more, likelihood))] >= order[
        risk_level(risk_score(impact, likelihood))]

"""The vectorised forms in the core give exactly the scalar forms' answers, row by row (Hypothesis).

Rows the scalar form refuses (ScorecardError) are NaN / None in the vectorised form; missing values
(NaN in, as pandas and the Excel functions hold them) are NaN / the scalar form's missing answer out.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import direction, rates, risk
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity

COUNTS = st.one_of(st.integers(0, 30), st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False),
                   st.sampled_from([-1.0, 0.0, 2.5, 9.0, 10.0, math.nan, math.inf]))
LEVELS = st.sampled_from([95, 99.8, 0.95, 0.998, 90, -5, math.nan])
VALUES = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-100, 100), st.just(math.nan))
POLARITIES = st.sampled_from([p.value for p in Polarity] + ["High", "low", None])
THRESHOLDS = st.sampled_from([0.0, 0.5, 1.0, -1.0, math.inf, math.nan])


def scalar(function, *row):
    """The scalar answer for one row: NaN in -> missing; a refusal -> None."""
    if any(isinstance(value, float) and math.isnan(value) for value in row):
        return "missing"
    try:
        return function(*row)
    except ScorecardError:
        return None


def limits(function, row):
    """The scalar (lower, upper) of a row, or (missing, missing) / (None, None)."""
    expected = scalar(function, *row)
    return (expected, expected) if expected is None or expected == "missing" else expected


def check_limits(vectorised, scalar_form, table) -> None:
    """Both limits of every row equal the scalar form's (NaN where it refuses or a value is missing)."""
    lower, upper = vectorised(*zip(*table, strict=True))
    for low, high, row in zip(lower, upper, table, strict=True):
        expected = limits(scalar_form, row)
        assert same(low, expected[0]) and same(high, expected[1]), row


def rows(*strategies):
    return st.lists(st.tuples(*strategies), min_size=1, max_size=40)


def same(left: float, right) -> bool:
    if right == "missing" or right is None:
        return math.isnan(left)
    return left == right


@settings(max_examples=200, deadline=None)
@given(rows(COUNTS, COUNTS, st.sampled_from([10_000, 1000, 100_000, 0, -1])))
def test_rate_vectorised_is_rate(table):
    """rate_vectorised equals rate() on every row (NaN where rate refuses or a value is missing)."""
    got = rates.rate_vectorised(*zip(*table, strict=True))
    assert all(same(value, scalar(rates.rate, *row)) for value, row in zip(got, table, strict=True))


@settings(max_examples=200, deadline=None)
@given(rows(COUNTS, COUNTS))
def test_percentage_vectorised_is_percentage(table):
    """percentage_vectorised equals percentage() on every row."""
    got = rates.percentage_vectorised(*zip(*table, strict=True))
    assert all(same(value, scalar(rates.percentage, *row)) for value, row in zip(got, table, strict=True))


@settings(max_examples=200, deadline=None)
@given(rows(COUNTS, COUNTS, st.sampled_from([10_000, 1000]), LEVELS))
def test_rate_ci_vectorised_is_rate_ci(table):
    """rate_ci_vectorised equals rate_ci() bit for bit on every row: Byar, exact Poisson below 10, both levels."""
    check_limits(rates.rate_ci_vectorised, rates.rate_ci, table)


@settings(max_examples=200, deadline=None)
@given(rows(COUNTS, COUNTS, LEVELS))
def test_percentage_ci_vectorised_is_percentage_ci(table):
    """percentage_ci_vectorised equals percentage_ci() bit for bit on every row (Wilson, both levels)."""
    check_limits(rates.percentage_ci_vectorised, rates.percentage_ci, table)


@settings(max_examples=200, deadline=None)
@given(rows(VALUES, VALUES, POLARITIES, THRESHOLDS, VALUES))
def test_direction_vectorised_is_direction(table):
    """direction_vectorised and arrow_vectorised equal direction() and direction_arrow() on every row."""
    columns = (np.array(column, dtype=object) for column in zip(*table, strict=True))
    current, previous, polarity, threshold, target = columns
    words = direction.direction_vectorised(current.astype(float), previous.astype(float), polarity,
                                           threshold.astype(float), target.astype(float))
    arrows = direction.arrow_vectorised(current.astype(float), previous.astype(float), threshold.astype(float))
    for word, arrow, (c, p, pol, th, t) in zip(words, arrows, table, strict=True):
        try:
            expected = direction.direction(c, p, pol, th, t).value
        except ScorecardError:
            expected = None
        assert word == expected
        try:
            expected_arrow = direction.direction_arrow(c, p, th)
        except ScorecardError:
            expected_arrow = None
        assert arrow == expected_arrow


@settings(max_examples=200, deadline=None)
@given(rows(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 2.5, math.nan, -1]), st.sampled_from([1, 3, 5, 7, 0.5])))
def test_risk_vectorised_is_risk(table):
    """risk_score_vectorised and risk_level_vectorised equal risk_score() and risk_level() on every row."""
    impact, likelihood = (np.array(column, dtype=float) for column in zip(*table, strict=True))
    scores = risk.risk_score_vectorised(impact, likelihood)
    levels = risk.risk_level_vectorised(impact * likelihood)
    for score, level, (i, li) in zip(scores, levels, table, strict=True):
        assert same(score, scalar(risk.risk_score, i, li))
        expected = scalar(risk.risk_level, i * li)
        assert level == (None if expected == "missing" else expected)

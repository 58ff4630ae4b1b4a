"""Funnel-plot control limits (scorecard.funnel) against published and independent values.

Oracles, none of them scorecard code:

- PHE's own worked values: PHEindicatormethods (Public Health England's R package, which
  follows the "Technical Guide: Funnel plots" and its Excel tools) publishes, in its test data,
  the limits of a proportion funnel around 80.642448% (tests/testthat/
  testdata_funnel_prop_outputs.csv) and of a rate funnel around 116.1720835 per 100,000 over 3
  years (testdata_funnel_rate_outputs.csv). A handful of rows are copied below; the rate rows give
  the population (per year) at which a whole number of events sits on a limit.
- SciPy, at test time: Wilson's interval (statsmodels' formula is not a dependency, so the score
  test is inverted with scipy.optimize.brentq over scipy.stats.norm) and the exact Poisson limits
  through scipy.special.gammaincinv / gammainc.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats
from strategies import funnel_denominators, funnel_levels, funnel_proportions, funnel_rates

from scorecard.errors import ScorecardError
from scorecard.funnel import (
    ABOVE,
    BELOW,
    WITHIN,
    funnel_position,
    percentage_limits,
    pooled_centre,
    proportion_limits,
    proportion_limits_vectorised,
    rate_limits,
    rate_limits_vectorised,
)
from scorecard.rates import poisson_limits, proportion_ci

# PHE: population -> (lower 95, upper 95, lower 99.8, upper 99.8), percentages around 80.642448.
PHE_PROPORTIONS = {
    1: (3.204264, 100, 0, 100),
    10: (56.154344, 100, 42.03259, 100),
    41: (68.548635, 92.73626, 61.574398, 99.710497),
    1008: (78.203374, 83.081521, 76.796814, 84.488082),
    110000: (80.408963, 80.875933, 80.274317, 81.010578),
}
PHE_PROPORTION_CENTRE = 80.642448
# PHE: (events, which limit, level) -> (population per year, limit per 100,000), 3 years of data.
PHE_RATES = {
    (1, "lower", 95): (1598.675694, 20.85059119),
    (10, "lower", 95): (5276.757672, 63.17010446),
    (10, "upper", 95): (1375.943768, 242.2579623),
    (10, "lower", 99.8): (6924.776769, 48.13632908),
    (10, "upper", 99.8): (849.4639547, 392.4043292),
    (100 + 4, "upper", 99.8): (21608.75072, 160.4288333),
    (1360, "lower", 99.8): (424043.2424, 106.9073359),
}
PHE_RATE_CENTRE, PHE_RATE_YEARS = 116.1720835, 3


@pytest.mark.parametrize("population", sorted(PHE_PROPORTIONS))
def test_proportion_limits_match_phe_published_values(population):
    """Percentage limits at 95% and 99.8% equal PHE's published funnel to 6 decimals."""
    low95, up95, low998, up998 = PHE_PROPORTIONS[population]
    assert percentage_limits(population, PHE_PROPORTION_CENTRE, 95) == pytest.approx((low95, up95), abs=1e-6)
    assert percentage_limits(population, PHE_PROPORTION_CENTRE, 99.8) == pytest.approx((low998, up998), abs=1e-6)


@pytest.mark.parametrize(("events", "side", "level"), sorted(PHE_RATES))
def test_rate_limits_match_phe_published_values(events, side, level):
    """At the population where PHE's rate funnel puts a whole number of events on a limit, our
    limit is that rate (PHE solves by bisection to about 1e-7, hence 1e-6 relative)."""
    population, limit = PHE_RATES[(events, side, level)]
    lower, upper = rate_limits(population * PHE_RATE_YEARS, PHE_RATE_CENTRE, 100_000, level)
    assert (lower if side == "lower" else upper) == pytest.approx(limit, rel=1e-6)
    assert limit == pytest.approx(events / (population * PHE_RATE_YEARS) * 100_000, rel=1e-9)


def _wilson_touching(n, p0, level, side):
    """SciPy: the proportion whose Wilson (score) interval has p0 as its lower/upper bound."""
    z = stats.norm.ppf(1 - (1 - level / 100) / 2)

    def bound(p):
        centre, spread = 2 * n * p + z * z, z * math.sqrt(z * z + 4 * n * p * (1 - p))
        return ((centre - spread) if side == "upper" else (centre + spread)) / (2 * (n + z * z)) - p0

    return optimize.brentq(bound, p0, 1) if side == "upper" else optimize.brentq(bound, 0, p0)


@given(n=st.floats(20, 1e5), p0=st.floats(0.05, 0.95), level=funnel_levels)
def test_proportion_limits_are_where_the_wilson_interval_touches_the_centre(n, p0, level):
    """Each limit, when inside 0-1, is the observed proportion whose Wilson interval just
    reaches the centre line (SciPy root-finding), and scorecard.rates.proportion_ci agrees."""
    lower, upper = proportion_limits(n, p0, level)
    if upper < 1:
        assert upper == pytest.approx(_wilson_touching(n, p0, level, "upper"), abs=1e-9)
        assert proportion_ci(upper * n, n, level)[0] == pytest.approx(p0, abs=1e-9)
    if lower > 0:
        assert lower == pytest.approx(_wilson_touching(n, p0, level, "lower"), abs=1e-9)
        assert proportion_ci(lower * n, n, level)[1] == pytest.approx(p0, abs=1e-9)


@given(n=funnel_denominators, centre=st.floats(1e-3, 2000), level=funnel_levels)
def test_rate_limits_are_exact_poisson_counts(n, centre, level):
    """The upper limit's count O has P(X >= O | E) = alpha/2 and the lower's P(X <= O | E) =
    alpha/2 in continuous form (SciPy's regularised incomplete gamma), E the expected count."""
    half_alpha = (1 - level / 100) / 2
    expected = centre / 10_000 * n
    lower, upper = rate_limits(n, centre, 10_000, level)
    assert special.gammainc(upper * n / 10_000, expected) == pytest.approx(half_alpha, rel=1e-6)
    if lower > 0:
        assert special.gammaincc(lower * n / 10_000 + 1, expected) == pytest.approx(half_alpha, rel=1e-6)
    else:
        assert math.exp(-expected) >= half_alpha * (1 - 1e-9)


@pytest.mark.parametrize("events", [1, 5, 9])
@pytest.mark.parametrize("level", [95, 99.8])
def test_rate_limits_agree_with_the_exact_confidence_limits_of_scorecard_rates(events, level):
    """At whole counts below 10 the funnel is the inverse of scorecard.rates' exact limits: a
    population whose expected count is the exact upper limit of O puts O on the lower limit."""
    low_mean, high_mean = poisson_limits(events, level)
    population = 1_000_000
    lower = rate_limits(population, high_mean / population * 10_000, 10_000, level)[0]
    upper = rate_limits(population, low_mean / population * 10_000, 10_000, level)[1]
    assert lower / 10_000 * population == pytest.approx(events, rel=1e-7)
    assert upper / 10_000 * population == pytest.approx(events, rel=1e-7)


@given(a=funnel_denominators, b=funnel_denominators, p0=funnel_proportions, level=funnel_levels)
def test_proportion_limits_narrow_as_the_denominator_grows(a, b, p0, level):
    """A bigger denominator never gives wider limits, and the limits hold the centre line."""
    small, big = sorted((a, b))
    low_small, up_small = proportion_limits(small, p0, level)
    low_big, up_big = proportion_limits(big, p0, level)
    assert low_small <= low_big + 1e-12 and up_big <= up_small + 1e-12
    assert low_big <= p0 <= up_big


@given(a=funnel_denominators, b=funnel_denominators, centre=funnel_rates, level=funnel_levels)
def test_rate_limits_narrow_as_the_denominator_grows(a, b, centre, level):
    """Rate limits narrow with a bigger population and always hold the centre line."""
    small, big = sorted((a, b))
    low_small, up_small = rate_limits(small, centre, 10_000, level)
    low_big, up_big = rate_limits(big, centre, 10_000, level)
    tolerance = 1e-9 * max(1.0, up_small)
    assert low_small <= low_big + tolerance and up_big <= up_small + tolerance
    assert low_big <= centre <= up_big


@given(n=funnel_denominators, p0=funnel_proportions, rate=funnel_rates)
def test_the_998_limits_hold_the_95_limits(n, p0, rate):
    """Three-sigma (99.8%) limits lie outside the two-sigma (95%) limits, for both kinds."""
    for limits in (lambda level: proportion_limits(n, p0, level),
                   lambda level: rate_limits(n, rate, 10_000, level)):
        low95, up95 = limits(95)
        low998, up998 = limits(99.8)
        assert low998 <= low95 + 1e-12 and up95 <= up998 + 1e-12


@settings(max_examples=40, deadline=None)  # large populations take ~10 ms a rate limit
@given(st.lists(st.tuples(funnel_denominators, funnel_proportions, funnel_rates), min_size=1,
                max_size=6), funnel_levels)
def test_vectorised_limits_equal_the_scalar_ones_exactly(rows, level):
    """Arrays give, element by element, exactly what the scalar functions give."""
    n = np.array([r[0] for r in rows])
    p0 = np.array([r[1] for r in rows])
    rates = np.array([r[2] for r in rows])
    lowers, uppers = proportion_limits_vectorised(n, p0, level)
    assert list(zip(lowers, uppers, strict=True)) == [proportion_limits(*r[:2], level) for r in rows]
    lowers, uppers = rate_limits_vectorised(n, rates, 10_000, level)
    assert list(zip(lowers, uppers, strict=True)) == [rate_limits(r[0], r[2], 10_000, level) for r in rows]


def test_funnel_position_and_pooled_centre():
    """A value on a limit is within; the centre line is sum of numerators over denominators."""
    assert funnel_position(65.45, 34.55, 65.45) == WITHIN
    assert funnel_position(65.46, 34.55, 65.45) == ABOVE
    assert funnel_position(34.54, 34.55, 65.45) == BELOW
    assert pooled_centre([10, 30], [100, 100]) == pytest.approx(0.2)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: proportion_limits(0, 0.5), "denominator is 0"),
    (lambda: proportion_limits(10, 1.5), "between 0 and 1"),
    (lambda: rate_limits(-5, 10), "must not be negative"),
    (lambda: rate_limits(100, 10, level=90), "95 or 99.8"),
    (lambda: proportion_limits_vectorised([10, 0], 0.5), "above 0"),
    (lambda: rate_limits_vectorised([10, float("nan")], 5), "missing"),
    (lambda: pooled_centre([0], [0]), "add up to 0"),
])
def test_bad_input_is_refused_with_a_reason(call, message):
    """Impossible denominators, centres and levels raise an error saying what is wrong."""
    with pytest.raises(ScorecardError, match=message):
        call()

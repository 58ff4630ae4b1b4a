"""Rates, percentages and confidence limits against independently computed reference values.

Reference values were NOT produced by scorecard.rates. They were computed once with SciPy 1.17
(system python3, not the project venv) and hard-coded here:

- exact Poisson limits: scipy.stats.chi2.ppf(alpha/2, 2*O)/2 and chi2.ppf(1-alpha/2, 2*O+2)/2;
- Wilson score limits: scipy.stats.binomtest(k, n).proportion_ci(level, method="wilson");
- Byar's limits: recomputed in this file from the published formula (PHE/OHID "Technical Guide:
  Confidence Intervals") with z from statistics.NormalDist, and also checked against values
  computed with scipy.stats.norm.ppf for z.

The brief's quoted values agree: O=1 (0.0253178, 5.5716434), O=5 (1.6234864, 11.6683321),
O=9 (4.1153731, 17.0848035), O=0 upper 3.6888795; Wilson 50/100 (40.3832, 59.6168);
Byar 10 events (4.7874, 18.3915).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from scorecard.errors import ScorecardError
from scorecard.rates import (
    percentage,
    percentage_ci,
    poisson_limits,
    proportion_ci,
    rate,
    rate_ci,
    z_value,
)

# observed -> (lower, upper); SciPy chi-squared quantiles, see the module docstring.
EXACT_95 = {
    0: (0.0, 3.6888794541),
    1: (0.0253178080, 5.5716433909),
    5: (1.6234863901, 11.6683320793),
    9: (4.1153730974, 17.0848034514),
}
EXACT_998 = {
    0: (0.0, 6.9077552790),
    1: (0.0010005003, 9.2334134765),
    5: (0.7393717319, 16.4547452037),
    9: (2.4524244044, 22.6573733091),
}
# observed -> (lower, upper); Byar's formula with z = scipy.stats.norm.ppf (SciPy 1.17).
BYAR_95 = {
    10: (4.7874499140, 18.3914586058),
    25: (16.1742659217, 36.9064506922),
    100: (81.3621054905, 121.6279375792),
}
BYAR_998 = {
    10: (2.9163183747, 24.1937249279),
    25: (12.3044592864, 44.6747801776),
    100: (71.9036918726, 134.9436217623),
}
# (numerator, denominator) -> percentage limits; scipy.stats.binomtest(...).proportion_ci
WILSON_95 = {
    (50, 100): (40.38315304, 59.61684696),
    (0, 10): (0.0, 27.75327999),
    (10, 10): (72.24672001, 100.0),
    (1, 3): (6.14919447, 79.23403992),
    (37, 120): (23.27273699, 39.58299772),
    (830, 1000): (80.54659350, 85.20084044),
}
WILSON_998 = {
    (50, 100): (35.23763761, 64.76236239),
    (0, 10): (0.0, 48.84789005),
    (10, 10): (51.15210995, 100.0),
    (1, 3): (2.98279282, 89.04878489),
    (37, 120): (19.62871864, 44.86362805),
    (830, 1000): (79.02118867, 86.35450382),
}


@pytest.mark.parametrize(("level", "table"), [(95, EXACT_95), (99.8, EXACT_998)])
def test_exact_poisson_limits_match_chi_squared(level, table):
    """Below 10 events the limits are the exact Poisson ones (chi-squared quantiles / 2)."""
    for observed, (lower, upper) in table.items():
        got = poisson_limits(observed, level)
        assert got[0] == pytest.approx(lower, abs=1e-9, rel=1e-8), observed
        assert got[1] == pytest.approx(upper, rel=1e-8), observed


def byar(observed: float, z: float) -> tuple[float, float]:
    """Byar's approximation, written out here from the PHE technical guide (not imported)."""
    lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    upper = (observed + 1) * (
        1 - 1 / (9 * (observed + 1)) + z / (3 * math.sqrt(observed + 1))) ** 3
    return lower, upper


@pytest.mark.parametrize(("level", "table"), [(95, BYAR_95), (99.8, BYAR_998)])
def test_byar_limits(level, table):
    """From 10 events the limits are Byar's: the reference table and the formula agree."""
    z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
    for observed, (lower, upper) in table.items():
        got = poisson_limits(observed, level)
        assert got == pytest.approx((lower, upper), rel=1e-9), observed
        assert got == pytest.approx(byar(observed, z), rel=1e-12), observed


def test_brief_reference_values():
    """The rounded reference values quoted in issue 2 are reproduced."""
    assert poisson_limits(10) == pytest.approx((4.7874, 18.3915), abs=5e-5)
    assert poisson_limits(1) == pytest.approx((0.0253178, 5.5716434), abs=5e-8)
    assert poisson_limits(0)[1] == pytest.approx(3.6888795, abs=5e-8)
    assert percentage_ci(50, 100) == pytest.approx((40.3832, 59.6168), abs=5e-5)


def test_method_switches_at_ten_events():
    """9 events use the exact method, 10 use Byar's (the switch is at 10, inclusive)."""
    z = z_value(95)
    assert poisson_limits(9) != pytest.approx(byar(9, z), rel=1e-6)
    assert poisson_limits(10) == pytest.approx(byar(10, z), rel=1e-12)


@pytest.mark.parametrize(("level", "table"), [(95, WILSON_95), (99.8, WILSON_998)])
def test_wilson_limits(level, table):
    """Percentages use the Wilson score interval, limits exactly 0 and 100 at the extremes."""
    for (numerator, denominator), (lower, upper) in table.items():
        got = percentage_ci(numerator, denominator, level)
        assert got == pytest.approx((lower, upper), abs=1e-7), (numerator, denominator)
        low, high = proportion_ci(numerator, denominator, level)
        assert (low * 100, high * 100) == pytest.approx(got)
    assert percentage_ci(0, 10)[0] == 0.0
    assert percentage_ci(10, 10)[1] == 100.0


@pytest.mark.parametrize(("level", "z"), [(95, 1.959963984540054), (0.95, 1.959963984540054),
                                          (99.8, 3.090232306167813), (0.998, 3.090232306167813)])
def test_z_values(level, z):
    """z for 95% and 99.8% (scipy.stats.norm.ppf reference), as 95 or 0.95."""
    assert z_value(level) == pytest.approx(z, rel=1e-12)


@pytest.mark.parametrize("level", [90, 99, 0.9, 100, 0, True, "95"])
def test_other_levels_refused(level):
    """Only 95% and 99.8% are offered."""
    with pytest.raises(ScorecardError, match="95 or 99.8"):
        poisson_limits(5, level)


def test_rate_and_percentage_values():
    """Rates per 10,000 by default (or per N); percentages on the 0-100 scale."""
    assert rate(45, 90_000) == pytest.approx(5.0)
    assert rate(34.8, 1000, per=1000) == pytest.approx(34.8)
    assert rate(np.int64(5), np.int64(1000), per=1000) == pytest.approx(5.0)
    assert percentage(173, 200) == pytest.approx(86.5)
    assert percentage(0, 5) == 0.0 and percentage(5, 5) == 100.0


def test_rate_ci_scales_poisson_limits():
    """rate_ci is the Poisson limits divided by the population, times per."""
    lower, upper = rate_ci(5, 20_000)
    assert (lower, upper) == pytest.approx((1.6234863901 / 2, 11.6683320793 / 2), rel=1e-8)
    lower, upper = rate_ci(100, 50_000, per=1000, level=99.8)
    assert (lower, upper) == pytest.approx((71.9036918726 / 50, 134.9436217623 / 50), rel=1e-9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: rate(5, 0), lambda: rate(-1, 10), lambda: rate(True, 10), lambda: rate("5", 10),
        lambda: rate(math.nan, 10), lambda: rate(5, math.inf), lambda: percentage(6, 5),
        lambda: percentage_ci(11, 10), lambda: percentage_ci(1, 0),
        lambda: poisson_limits(2.5), lambda: poisson_limits(-1), lambda: rate_ci(5, 0),
    ],
)
def test_bad_inputs_raise(call):
    """Zero denominators, negatives, booleans, text, non-finite values and r > n raise."""
    with pytest.raises(ScorecardError):
        call()


def test_whole_counts_from_ten_need_not_be_whole():
    """Byar's method (10 or more) takes a non-integer count, e.g. an averaged one."""
    z = z_value(95)
    assert poisson_limits(10.5) == pytest.approx(byar(10.5, z), rel=1e-12)


@pytest.mark.parametrize("per", [0, -5, float("nan"), float("inf"), True])
def test_rate_per_must_be_positive(per):
    """A rate per 0, a negative or non-finite N is refused, for the rate and its limits."""
    with pytest.raises(ScorecardError, match="per"):
        rate(5, 100, per)
    with pytest.raises(ScorecardError, match="per"):
        rate_ci(5, 100, per)

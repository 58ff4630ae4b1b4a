"""Rates, proportions and their confidence limits, by the methods used for UK public-health
indicators (the Public Health England / OHID "Technical Guide: Confidence Intervals"):

- proportions and percentages: Wilson score interval;
- rates (events per N of a population): Byar's approximation to the Poisson for 10 or
  more events, the exact Poisson interval (via the chi-squared relationship) below 10.

Levels are 95% and 99.8% (the two that public-health and LAIT-style benchmarking use);
`level` takes 95 or 99.8 (or 0.95 / 0.998).
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.values import float_array

DEFAULT_PER = 10_000
LEVELS = (95.0, 99.8)


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level."""
    return NormalDist().inv_cdf(1 - _alpha(level) / 2)


def _alpha(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float):
        raise ScorecardError(f"confidence level {level!r} must be 95 or 99.8")
    percent = level * 100 if level < 1 else level
    if not any(math.isclose(percent, allowed) for allowed in LEVELS):
        raise ScorecardError(f"confidence level {level!r} must be 95 or 99.8")
    return 1 - percent / 100


def _count(value: object, name: str) -> float:
    # numbers.Real takes numpy integers and floats too (counts read by pandas); bools are refused.
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ScorecardError(f"{name} {value!r} must be a number")
    if value < 0:
        raise ScorecardError(f"{name} {value!r} must not be negative")
    return float(value)


def _per(per: object) -> float:
    if isinstance(per, bool) or not isinstance(per, numbers.Real) or not 0 < per < math.inf:
        raise ScorecardError(f"per {per!r} must be a number above 0 (10,000 for a rate per 10,000)")
    return float(per)


def _fraction_inputs(numerator: object, denominator: object) -> tuple[float, float]:
    events = _count(numerator, "numerator")
    base = _count(denominator, "denominator")
    if base == 0:
        raise ScorecardError("denominator is 0: no rate or proportion can be formed")
    return events, base


def rate(events: object, population: object, per: float = DEFAULT_PER) -> float:
    """Events per `per` of the population (default per 10,000)."""
    events, population = _fraction_inputs(events, population)
    return events / population * _per(per)


def percentage(numerator: object, denominator: object) -> float:
    """Numerator as a percentage of the denominator, on the 0-100 scale."""
    numerator, denominator = _fraction_inputs(numerator, denominator)
    if numerator > denominator:
        raise ScorecardError(f"numerator {numerator:g} is larger than denominator {denominator:g}")
    return numerator / denominator * 100


def proportion_ci(numerator: object, denominator: object, level: float = 95) -> tuple[float, float]:
    """Wilson score limits for a proportion, on the 0-1 scale."""
    r, n = _fraction_inputs(numerator, denominator)
    if r > n:
        raise ScorecardError(f"numerator {r:g} is larger than denominator {n:g}")
    z = z_value(level)
    p = r / n
    centre = 2 * r + z * z
    spread = z * math.sqrt(z * z + 4 * r * (1 - p))
    scale = 2 * (n + z * z)
    lower = 0.0 if r == 0 else max(0.0, (centre - spread) / scale)
    upper = 1.0 if r == n else min(1.0, (centre + spread) / scale)  # exact at p = 0 and p = 1
    return lower, upper


def percentage_ci(numerator: object, denominator: object, level: float = 95) -> tuple[float, float]:
    """Wilson score limits for a percentage, on the 0-100 scale."""
    lower, upper = proportion_ci(numerator, denominator, level)
    return lower * 100, upper * 100


def rate_ci(events: object, population: object, per: float = DEFAULT_PER, level: float = 95) -> tuple[float, float]:
    """Confidence limits for a rate per `per`: Byar's method from 10 events, exact below."""
    observed, population = _fraction_inputs(events, population)
    per = _per(per)
    lower, upper = poisson_limits(observed, level)
    return lower / population * per, upper / population * per


def poisson_limits(observed: float, level: float = 95) -> tuple[float, float]:
    """Limits for a Poisson count: Byar's approximation for 10 or more, exact below 10."""
    observed = _count(observed, "events")
    alpha = _alpha(level)
    if observed >= 10:
        z = z_value(level)
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
        above = observed + 1
        upper = above * (1 - 1 / (9 * above) + z / (3 * math.sqrt(above))) ** 3
        return lower, upper
    if observed != int(observed):
        raise ScorecardError(f"events {observed!r} must be a whole number below 10 (exact method)")
    return _exact_poisson_limits(int(observed), alpha)


def _exact_poisson_limits(observed: int, alpha: float) -> tuple[float, float]:
    # Lower: the mean whose P(X >= observed) is alpha/2; upper: P(X <= observed) is alpha/2.
    # Equivalent to chi2(alpha/2, 2O)/2 and chi2(1-alpha/2, 2O+2)/2.
    lower = 0.0 if observed == 0 else _solve_mean(lambda m: 1 - _poisson_cdf(observed - 1, m), alpha / 2)
    upper = _solve_mean(lambda m: -_poisson_cdf(observed, m), -alpha / 2)
    return lower, upper


def _poisson_cdf(k: int, mean: float) -> float:
    term = math.exp(-mean)
    total = term
    for i in range(1, k + 1):
        term *= mean / i
        total += term
    return total


def _solve_mean(increasing, goal: float) -> float:
    """Bisection for the mean at which an increasing function of the mean reaches goal."""
    low, high = 0.0, 100.0
    for _ in range(200):
        middle = (low + high) / 2
        if increasing(middle) < goal:
            low = middle
        else:
            high = middle
        if high - low <= 1e-13 * max(1.0, high):
            break
    return (low + high) / 2


# ---------------------------------------------------------------- vectorised forms
#
# The same answers as the scalar functions above, row by row, for arrays (or anything numpy
# broadcasts). Missing values arrive as NaN. A row the scalar form refuses (a negative count, a
# zero denominator, more events than the denominator, a level other than 95 or 99.8, a fractional
# count below 10 for the exact method) gives NaN: call the scalar form on that row for the
# message. The arithmetic is the scalar form's, operation for operation; the Poisson limits,
# which need a power and a root-finder, are worked out once per distinct count by the scalar
# function itself, so the two forms cannot drift apart.

def _float_arrays(*arrays) -> list[np.ndarray]:
    return list(np.broadcast_arrays(*(float_array(array) for array in arrays)))


def _z_values(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z_value() of each row's level, worked out once per distinct level; and where the level is refused."""
    z = np.full(levels.shape, np.nan)
    refused = np.zeros(levels.shape, dtype=bool)
    for level in np.unique(levels).tolist():
        here = levels == level if level == level else np.isnan(levels)
        try:
            z[here] = z_value(level)
        except ScorecardError:
            refused |= here
    return z, refused


def _counts_refused(*counts: np.ndarray) -> np.ndarray:
    refused = np.zeros(counts[0].shape, dtype=bool)
    for count in counts:
        with np.errstate(invalid="ignore"):
            refused |= np.isinf(count) | (count < 0)
    return refused


def rate_vectorised(events, population, per=DEFAULT_PER) -> np.ndarray:
    """rate() row by row: events / population x per; NaN where missing or refused."""
    events, population, per = _float_arrays(events, population, per)
    with np.errstate(invalid="ignore"):
        refused = _counts_refused(events, population) | (population == 0) | ~(per > 0) | np.isinf(per)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = events / population * per
    result[refused] = np.nan
    return result


def percentage_vectorised(numerator, denominator) -> np.ndarray:
    """percentage() row by row, on the 0-100 scale; NaN where missing or refused."""
    numerator, denominator = _float_arrays(numerator, denominator)
    with np.errstate(invalid="ignore"):
        refused = _counts_refused(numerator, denominator) | (denominator == 0) | (numerator > denominator)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = numerator / denominator * 100
    result[refused] = np.nan
    return result


def percentage_ci_vectorised(numerator, denominator, level=95) -> tuple[np.ndarray, np.ndarray]:
    """percentage_ci() row by row: Wilson limits on the 0-100 scale; NaN where missing or refused."""
    r, n, levels = _float_arrays(numerator, denominator, level)
    z, unknown = _z_values(levels)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        refused = _counts_refused(r, n) | (n == 0) | (r > n) | unknown
        p = r / n
        centre = 2 * r + z * z
        spread = z * np.sqrt(z * z + 4 * r * (1 - p))
        scale = 2 * (n + z * z)
        lower = np.maximum(0.0, (centre - spread) / scale)
        upper = np.minimum(1.0, (centre + spread) / scale)
    lower = np.where(r == 0, 0.0, lower) * 100
    upper = np.where(r == n, 1.0, upper) * 100
    lower[refused | np.isnan(r) | np.isnan(n)] = np.nan
    upper[refused | np.isnan(r) | np.isnan(n)] = np.nan
    return lower, upper


def rate_ci_vectorised(events, population, per=DEFAULT_PER, level=95) -> tuple[np.ndarray, np.ndarray]:
    """rate_ci() row by row; NaN where missing or refused."""
    events, population, per, levels = _float_arrays(events, population, per, level)
    _, unknown = _z_values(levels)
    with np.errstate(invalid="ignore"):
        refused = (_counts_refused(events, population) | (population == 0) | ~(per > 0) | np.isinf(per)
                   | unknown | ((events < 10) & (events != np.floor(events))))
    usable = ~refused & ~np.isnan(events) & ~np.isnan(population)
    lower = np.full(events.shape, np.nan)
    upper = np.full(events.shape, np.nan)
    for level in np.unique(levels[usable]).tolist():
        rows = usable & (levels == level)
        counts, positions = np.unique(events[rows], return_inverse=True)
        limits = np.array([poisson_limits(count, level) for count in counts.tolist()]).reshape(-1, 2)
        with np.errstate(over="ignore"):  # past 1e308 is infinite, as Python floats are in rate_ci
            lower[rows] = limits[positions.ravel(), 0] / population[rows] * per[rows]
            upper[rows] = limits[positions.ravel(), 1] / population[rows] * per[rows]
    return lower, upper

"""Funnel-plot control limits: is a value out of line with the region, given its denominator?

A funnel plot draws, around a centre line (the target, or the pooled value of every area:
sum of numerators over sum of denominators), the limits within which an area's value would
fall by chance alone, for each size of denominator. The methods are those of Public Health
England's "Technical Guide: Funnel plots" (Fingertips supporting information, PH methods,
updated June 2017) and its funnel-plot tools, as implemented in PHE's PHEindicatormethods
package (`phe_funnels`, `phe_funnel_significance`):

- proportions and percentages: the Wilson score method. The limits are the values whose
  Wilson interval just touches the centre line, which works out in closed form as
  ``p0 +/- z * sqrt(p0 * (1 - p0) / n)`` (clipped to 0 and 1);
- rates (events per N of a population): the exact Poisson method, as PHE's rate tool. At a
  denominator n the expected count is ``E = centre / per * n``; the upper limit is the count
  whose exact lower confidence limit is E, the lower limit the count whose exact upper
  confidence limit is E (continuous in the count, through the regularised incomplete gamma
  function, so the limits are smooth in n; at whole counts they are the chi-squared limits of
  `scorecard.rates`), divided by n and multiplied by `per`.

Levels are 95% (about two standard deviations) and 99.8% (about three), as everywhere in
`scorecard.rates`; a value strictly outside the 99.8% limits is very unlikely to differ from
the centre by chance and is worth a query. `funnel_position` says which side.

Scalar functions take one denominator; the `_vectorised` forms take arrays (or Series) and give
identical answers element by element.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.rates import DEFAULT_PER, _alpha, _count, _per, z_value

ABOVE, BELOW, WITHIN = "above", "below", "within"


# -- proportions -------------------------------------------------------------------------------
def proportion_limits(denominator: object, centre: object, level: float = 99.8) -> tuple[float, float]:
    """Funnel limits for a proportion (0-1 scale) with this denominator around `centre` (0-1)."""
    n = _denominator(denominator)
    p0 = _proportion(centre)
    half = z_value(level) * math.sqrt(p0 * (1 - p0) / n)
    return max(0.0, p0 - half), min(1.0, p0 + half)


def percentage_limits(denominator: object, centre: object, level: float = 99.8) -> tuple[float, float]:
    """Funnel limits for a percentage (0-100 scale) around `centre` (a percentage)."""
    centre = _count(centre, "centre")
    lower, upper = proportion_limits(denominator, centre / 100, level)
    return lower * 100, upper * 100


def proportion_limits_vectorised(denominators, centres, level: float = 99.8) -> tuple[np.ndarray, np.ndarray]:
    """`proportion_limits` over arrays (centres may be one number): (lowers, uppers)."""
    n = _array(denominators, "denominator")
    if (n <= 0).any():
        raise ScorecardError("denominator must be above 0 for funnel limits")
    p0 = np.broadcast_to(_array(centres, "centre"), n.shape)
    if ((p0 < 0) | (p0 > 1)).any():
        raise ScorecardError("centre must be a proportion between 0 and 1")
    half = z_value(level) * np.sqrt(p0 * (1 - p0) / n)
    return np.maximum(0.0, p0 - half), np.minimum(1.0, p0 + half)


# -- rates ---------------------------------------------------------------------------------------
def rate_limits(denominator: object, centre: object, per: float = DEFAULT_PER,
                level: float = 99.8) -> tuple[float, float]:
    """Funnel limits for a rate per `per` with this denominator (population) around `centre`
    (a rate per `per`): exact Poisson, as PHE's funnel-plot tool for rates."""
    n = _denominator(denominator)
    per = _per(per)
    expected = _count(centre, "centre") / per * n
    half_alpha, z = _alpha(level) / 2, z_value(level)
    centre = float(centre)  # the limits hold the centre even when a tiny count underflows
    return (min(centre, _lower_count(expected, half_alpha, z) / n * per),
            max(centre, _upper_count(expected, half_alpha, z) / n * per))


def rate_limits_vectorised(denominators, centres, per: float = DEFAULT_PER,
                           level: float = 99.8) -> tuple[np.ndarray, np.ndarray]:
    """`rate_limits` over arrays (centres may be one number): (lowers, uppers).

    Each limit is a root of the incomplete gamma function, so this solves once per distinct
    (denominator, centre) pair, with the scalar code: the answers are the scalar ones exactly.
    """
    n = _array(denominators, "denominator")
    c = np.broadcast_to(_array(centres, "centre"), n.shape)
    lowers, uppers = np.empty(n.shape), np.empty(n.shape)
    solved: dict[tuple[float, float], tuple[float, float]] = {}
    for index in np.ndindex(n.shape):
        key = (float(n[index]), float(c[index]))
        if key not in solved:
            solved[key] = rate_limits(key[0], key[1], per, level)
        lowers[index], uppers[index] = solved[key]
    return lowers, uppers


# -- where a value falls ------------------------------------------------------------------------
def funnel_position(value: object, lower: object, upper: object) -> str:
    """'above', 'below' or 'within' the limits; a value on a limit is within."""
    value = float(value)
    if value > float(upper):
        return ABOVE
    if value < float(lower):
        return BELOW
    return WITHIN


def pooled_centre(numerators: Iterable[object], denominators: Iterable[object]) -> float:
    """The centre line PHE uses when there is no target: sum of numerators / sum of denominators
    (0-1 scale; multiply by 100 or `per`)."""
    tops = [_count(v, "numerator") for v in numerators]
    bottoms = [_count(v, "denominator") for v in denominators]
    if len(tops) != len(bottoms):
        raise ScorecardError(f"{len(tops)} numerators but {len(bottoms)} denominators")
    total = sum(bottoms)
    if total <= 0:
        raise ScorecardError("the denominators add up to 0: no centre line can be formed")
    return sum(tops) / total


# -- exact Poisson counts, continuous -------------------------------------------------------------
def _upper_count(expected: float, half_alpha: float, z: float) -> float:
    """The count O whose exact lower confidence limit is `expected`: P(O, E) = alpha/2."""
    if expected == 0:
        return 0.0
    return _solve_shape(expected, half_alpha, expected + z * math.sqrt(expected) + (z * z + 2) / 6)


def _lower_count(expected: float, half_alpha: float, z: float) -> float:
    """The count O whose exact upper confidence limit is `expected`: P(X <= O | E) = alpha/2,
    i.e. P(O + 1, E) = 1 - alpha/2; 0 when even no events at all are that likely."""
    if math.exp(-expected) >= half_alpha:  # Q(1, E) = P(X = 0 | E)
        return 0.0
    guess = expected - z * math.sqrt(expected) + (z * z - 4) / 6 + 1
    return max(0.0, _solve_shape(expected, 1 - half_alpha, guess) - 1)


def _solve_shape(expected: float, goal: float, guess: float) -> float:
    """The shape a at which P(a, E), which falls as a grows, equals goal: bracket around
    `guess` (a Cornish-Fisher approximation, within 0.4 of the root from 10 expected events),
    widening as needed, then the Illinois variant of false position."""
    def excess(a: float) -> float:
        return _lower_gamma(a, expected) - goal

    step = 0.5
    low, high = max(0.0, guess - step), guess + step
    f_low, f_high = excess(low), excess(high)
    while f_low < 0:  # P(0, E) = 1, so low = 0 always brackets
        high, f_high = low, f_low
        low, step = max(0.0, low - step), step * 2
        f_low = excess(low)
    while f_high > 0:
        low, f_low = high, f_high
        high, step = high + step, step * 2
        f_high = excess(high)
    last, estimate = 0, math.inf
    for _ in range(200):
        tolerance = 1e-12 * max(1.0, high)
        if high - low <= tolerance:
            break
        middle = (low * f_high - high * f_low) / (f_high - f_low)
        if not low < middle < high:
            middle = (low + high) / 2
        if abs(middle - estimate) <= tolerance:
            return middle  # false position has settled: the next step moves less than this
        estimate = middle
        f_middle = excess(middle)
        if f_middle == 0:
            return middle
        if f_middle > 0:
            low, f_low = middle, f_middle
            if last > 0:
                f_high /= 2
            last = 1
        else:
            high, f_high = middle, f_middle
            if last < 0:
                f_low /= 2
            last = -1
    return (low + high) / 2


def _lower_gamma(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x) (a > 0, x >= 0): a series
    below a + 1, a continued fraction (modified Lentz) above, as in Numerical Recipes."""
    if x <= 0:
        return 0.0
    if a <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        denominator = a
        for _ in range(100_000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return min(1.0, math.exp(log_front) * total)
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-16:
            break
    return max(0.0, 1 - math.exp(log_front) * h)


# -- input checks --------------------------------------------------------------------------------
def _denominator(value: object) -> float:
    n = _count(value, "denominator")
    if n == 0:
        raise ScorecardError("denominator is 0: a funnel needs a denominator above 0")
    return n


def _proportion(value: object) -> float:
    p = _count(value, "centre")
    if p > 1:
        raise ScorecardError(f"centre {p!r} must be a proportion between 0 and 1")
    return p


def _array(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ScorecardError(f"{name}s must be numbers") from None
    if not np.isfinite(array).all() or (array < 0).any():
        raise ScorecardError(f"{name}s must be numbers, none negative or missing")
    return array

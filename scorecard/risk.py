"""Risk rating: impact x likelihood, each 1-5, gives a score 1-25 and a level.

The matrix and levels are 004's: Low 1-6, Moderate 7-12, High 13-25. Bands are configurable
as (lowest score, level) pairs in ascending order.
"""

from __future__ import annotations

import math

import numpy as np

from scorecard.errors import ScorecardError

IMPACTS = {1: "Insignificant", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Critical"}
LIKELIHOODS = {1: "Remote", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Highly Likely"}
DEFAULT_BANDS: tuple[tuple[int, str], ...] = ((1, "Low"), (7, "Moderate"), (13, "High"))


# The characters of a number typed as text: float() also reads '0_5', '٣' and '３', which are not numbers here
# (the RISK_SCORE LAMBDA name, addin/lambda_rules.py, reads text by these characters too).
_NUMBER_CHARACTERS = frozenset("0123456789+-.eE")


def _whole_number(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool | np.bool_):  # TRUE is not a score of 1
        raise ScorecardError(f"{name} {value!r} must be a whole number {low}-{high}")
    if isinstance(value, str):
        value = value.strip()
        if not set(value) <= _NUMBER_CHARACTERS:
            raise ScorecardError(f"{name} {value!r} must be a whole number {low}-{high}")
        try:
            value = float(value)
        except ValueError:
            raise ScorecardError(f"{name} {value!r} must be a whole number {low}-{high}") from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScorecardError(f"{name} {value!r} must be a whole number {low}-{high}") from None
    if not math.isfinite(number) or number != int(number):
        raise ScorecardError(f"{name} {value!r} must be a whole number {low}-{high}")
    if not low <= number <= high:
        raise ScorecardError(f"{name} {value!r} is outside {low}-{high}")
    return int(number)


def risk_score(impact: object, likelihood: object) -> int:
    """Impact (1-5) x likelihood (1-5)."""
    return _whole_number(impact, "impact", 1, 5) * _whole_number(likelihood, "likelihood", 1, 5)


def risk_level(score: object, bands: tuple[tuple[int, str], ...] = DEFAULT_BANDS) -> str:
    """The level of a score 1-25: Low, Moderate or High (or the bands given)."""
    _check_bands(bands)
    value = _whole_number(score, "risk score", 1, 25)
    level = bands[0][1]
    for lowest, name in bands:
        if value >= lowest:
            level = name
    return level


def risk_rating(impact: object, likelihood: object, bands=DEFAULT_BANDS) -> tuple[int, str]:
    """(score, level) for an impact and a likelihood."""
    score = risk_score(impact, likelihood)
    return score, risk_level(score, bands)


def risk_change(score: int, previous_score: int | None) -> str:
    """004's risk symbols in words: Increasing, Decreasing or No change; '' with no previous score."""
    if previous_score is None:
        return ""
    if score > previous_score:
        return "Increasing"
    return "Decreasing" if score < previous_score else "No change"


def _check_bands(bands) -> None:
    lows = [low for low, _ in bands]
    if not bands or lows[0] != 1 or lows != sorted(set(lows)) or lows[-1] > 25:
        raise ScorecardError(
            f"risk bands {bands!r} must start at 1 and rise strictly, each (lowest score, level)"
        )


# ---------------------------------------------------------------- vectorised forms

def _whole_in(values: np.ndarray, low: int, high: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (values >= low) & (values <= high) & (values == np.floor(values))


def risk_score_vectorised(impact, likelihood) -> np.ndarray:
    """risk_score() row by row for numbers: a float array, NaN where the scalar form refuses (not a
    whole number 1-5, or missing)."""
    impact, likelihood = np.broadcast_arrays(np.asarray(impact, dtype=float), np.asarray(likelihood, dtype=float))
    with np.errstate(over="ignore"):  # products outside 1-5 x 1-5 are discarded below
        product = impact * likelihood
    return np.where(_whole_in(impact, 1, 5) & _whole_in(likelihood, 1, 5), product, np.nan)


def risk_level_vectorised(scores, bands=DEFAULT_BANDS) -> np.ndarray:
    """risk_level() row by row for numbers: an object array of level names, None where refused."""
    _check_bands(bands)
    scores = np.asarray(scores, dtype=float)
    names = np.array([name for _, name in bands], dtype=object)
    position = np.searchsorted(np.array([low for low, _ in bands], dtype=float), scores, side="right") - 1
    levels = names[np.clip(position, 0, len(bands) - 1)]
    levels[~_whole_in(scores, 1, 25)] = None
    return levels

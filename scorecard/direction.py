"""Direction of travel: is the latest value better or worse than the one before?

Polarity-aware: for Bigger is Better a rise is Improving; for Smaller is Better a fall is.
For Plan is Best, moving closer to the target is Improving (a target is needed; without one
the direction is Not comparable). A change no bigger than the no-change threshold (absolute,
in the measure's units; default 0) is No change. Context measures (no polarity) and missing
values are Not comparable. The display arrow shows which way the value moved, whatever the
polarity; the word says whether that is good.
"""

from __future__ import annotations

import enum
import math
import numbers

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.rag import _edge_allowances, edge_allowance, polarity_codes
from scorecard.values import Missing, parse_value


class Direction(str, enum.Enum):
    """The four directions of travel; members compare equal to their words."""

    IMPROVING = "Improving"
    DECLINING = "Declining"
    NO_CHANGE = "No change"
    NOT_COMPARABLE = "Not comparable"

    def __str__(self) -> str:
        return self.value


UP, DOWN, LEVEL = "↑", "↓", "→"


def _check_threshold(threshold: object) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 <= threshold < math.inf:
        raise ScorecardError(f"no-change threshold {threshold!r} must be a number 0 or more")


def direction(
    current: object,
    previous: object,
    polarity: object,
    threshold: float = 0.0,
    target: object = None,
) -> Direction:
    """Direction of travel from `previous` to `current`."""
    polarity = parse_polarity(polarity)
    _check_threshold(threshold)
    now, before = parse_value(current), parse_value(previous)
    if polarity is Polarity.NONE or isinstance(now, Missing) or isinstance(before, Missing):
        return Direction.NOT_COMPARABLE
    if polarity is Polarity.PLAN:
        goal = parse_value(target)
        if isinstance(goal, Missing):
            return Direction.NOT_COMPARABLE
        gain = abs(before - goal) - abs(now - goal)
    else:
        gain = (now - before) * (-1 if polarity is Polarity.SMALLER else 1)
    if abs(gain) <= threshold + edge_allowance(before):
        return Direction.NO_CHANGE
    return Direction.IMPROVING if gain > 0 else Direction.DECLINING


def direction_arrow(current: object, previous: object, threshold: float = 0.0) -> str:
    """↑, ↓ or → for the value's movement; '' when either value is missing."""
    _check_threshold(threshold)
    now, before = parse_value(current), parse_value(previous)
    if isinstance(now, Missing) or isinstance(before, Missing):
        return ""
    change = now - before
    if abs(change) <= threshold + edge_allowance(before):
        return LEVEL
    return UP if change > 0 else DOWN


# ---------------------------------------------------------------- vectorised forms

_WORDS = np.array([d.value for d in Direction], dtype=object)  # indexed by the codes below
_IMPROVING, _DECLINING, _NO_CHANGE, _NOT_COMPARABLE = range(4)


def _threshold_refused(threshold: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return ~((threshold >= 0) & (threshold < math.inf))


def direction_vectorised(current, previous, polarities, threshold=0.0, target=np.nan) -> np.ndarray:
    """direction() row by row: an object array of words (None where the scalar form refuses the
    threshold). Values are numbers with NaN for missing; polarities are spellings, parsed once each
    (ScorecardError for an unknown one). The arithmetic is the scalar form's, in the same order."""
    codes = polarity_codes(polarities)
    now, before, goal, threshold, codes = np.broadcast_arrays(
        *(np.asarray(column, dtype=float) for column in (current, previous, target, threshold)), codes)
    plan = codes == 0
    with np.errstate(invalid="ignore"):
        gain = np.where(plan, np.abs(before - goal) - np.abs(now - goal),
                        (now - before) * np.where(codes == -1, -1.0, 1.0))
        level = np.abs(gain) <= threshold + _edge_allowances(before)
        code = np.where(level, _NO_CHANGE, np.where(gain > 0, _IMPROVING, _DECLINING))
    unknown = (codes == 2) | np.isnan(now) | np.isnan(before) | (plan & np.isnan(goal))
    words = _WORDS[np.where(unknown, _NOT_COMPARABLE, code)]
    words[_threshold_refused(threshold)] = None
    return words


def arrow_vectorised(current, previous, threshold=0.0) -> np.ndarray:
    """direction_arrow() row by row: ↑ ↓ → or '' (None where the threshold is refused)."""
    now, before, threshold = np.broadcast_arrays(
        *(np.asarray(column, dtype=float) for column in (current, previous, threshold)))
    change = now - before
    with np.errstate(invalid="ignore"):
        level = np.abs(change) <= threshold + _edge_allowances(before)
        arrows = np.where(level, LEVEL, np.where(change > 0, UP, DOWN)).astype(object)
    arrows[np.isnan(now) | np.isnan(before)] = ""
    arrows[_threshold_refused(threshold)] = None
    return arrows

"""RAG status of an actual against a target, polarity-aware, with a tolerance.

The rule, for Bigger is Better (Smaller is Better is its mirror image):

- GREEN when the actual is on or better than the target;
- AMBER when it is worse, but by no more than the tolerance (the edge is AMBER);
- RED when it is worse by more than the tolerance.

Plan is Best: GREEN within the tolerance either side of the target (edge included), AMBER
within twice the tolerance, RED beyond.

The tolerance is relative (per cent of the target's size, so a target of 0 has no
tolerance and any shortfall is RED) or absolute (points in the measure's unit). Relative
tolerance uses the size of the target, so negative targets (Progress 8 of -0.2) work the same
way as positive ones. Comparisons allow 1e-9 x max(1, |target|) for binary rounding, so that
86.5 against 90 with a 5% tolerance gives the same status in Python, Excel and LibreOffice.

No status is given, with a reason, when the measure has no polarity, when the actual or the
target is missing, or when the actual is suppressed. 004's three symbols map one to one:
GREEN ★ better than (or on) target, AMBER ● worse than target, RED ▲ significantly worse.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.values import Missing, cell_array, distinct_objects, object_array, parse_value, parse_values


class Status(str, enum.Enum):
    """The four statuses; members compare equal to their words (GREEN ... NO STATUS)."""

    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    NO_STATUS = "NO STATUS"

    def __str__(self) -> str:
        return self.value

    @property
    def symbol(self) -> str:
        return SYMBOLS[self][0]

    @property
    def label(self) -> str:
        """004's wording for the status."""
        return SYMBOLS[self][1]


SYMBOLS: dict[Status, tuple[str, str]] = {
    Status.GREEN: ("★", "Better than target"),
    Status.AMBER: ("●", "Worse than target"),
    Status.RED: ("▲", "Significantly worse than target"),
    Status.NO_STATUS: ("–", "No information"),
}

# 004's symbol key names three kinds of no-status; reasons map onto them.
NO_STATUS_LABELS = {"no value": "No Value", "no target": "Missing Target"}

RELATIVE = "relative"
ABSOLUTE = "absolute"
TOLERANCE_KINDS = (RELATIVE, ABSOLUTE)


@dataclass(frozen=True)
class Tolerance:
    """How far from target still counts as AMBER (Plan is Best: as GREEN)."""

    kind: str = RELATIVE
    amount: float = 5.0

    def __post_init__(self) -> None:
        if self.kind not in TOLERANCE_KINDS:
            raise ScorecardError(f"tolerance kind {self.kind!r} is not one of {TOLERANCE_KINDS}")
        if not isinstance(self.amount, int | float) or isinstance(self.amount, bool) or not (
            self.amount >= 0 and self.amount < float("inf")
        ):
            raise ScorecardError(f"tolerance {self.amount!r} must be a number 0 or more")

    def allowance(self, target: float) -> float:
        """The tolerance in the measure's units, for this target (same arithmetic as Excel)."""
        if self.kind == ABSOLUTE:
            return float(self.amount)
        return self.amount / 100 * abs(target)


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True)
class RagResult:
    """A status, and for NO STATUS the reason (no value, value suppressed, no target, no polarity)."""

    status: Status
    reason: str = ""

    @property
    def symbol(self) -> str:
        return self.status.symbol

    @property
    def label(self) -> str:
        if self.status is Status.NO_STATUS:
            return NO_STATUS_LABELS.get(self.reason.split(" (")[0], "No information")
        return self.status.label

    def __str__(self) -> str:
        return self.status.value


# Slack for binary rounding in every comparison: EDGE x max(1, |reference|) (scorecard.formulas writes it as 1E-9).
EDGE = 1e-9


def edge_allowance(target: float) -> float:
    """Slack for binary rounding in every comparison: 1e-9 x max(1, |target|)."""
    return EDGE * max(1.0, abs(target))


def _edge_allowances(targets: np.ndarray) -> np.ndarray:
    """edge_allowance of every element of an array (for the vectorised rules here and in scorecard.direction)."""
    return EDGE * np.maximum(1.0, np.abs(targets))


def rag(actual: object, target: object, polarity: object, tolerance: Tolerance = DEFAULT_TOLERANCE) -> RagResult:
    """RAG status of `actual` against `target`; NO STATUS with a reason when there can be none."""
    polarity = parse_polarity(polarity)
    actual_value = parse_value(actual)
    target_value = parse_value(target)
    reason = _no_status_reason(actual_value, target_value, polarity)
    if reason:
        return RagResult(Status.NO_STATUS, reason)
    return RagResult(_judge(actual_value, target_value, polarity, tolerance))


def _no_status_reason(actual: float | Missing, target: float | Missing, polarity: Polarity) -> str:
    if polarity is Polarity.NONE:
        return "no polarity"
    if isinstance(actual, Missing):
        kind = "value suppressed" if actual.suppressed else "no value"
        return f"{kind} ({actual})"
    if isinstance(target, Missing):
        return f"no target ({target})"
    return ""


def _judge(actual: float, target: float, polarity: Polarity, tolerance: Tolerance) -> Status:
    allowance = tolerance.allowance(target)
    slack = edge_allowance(target)
    if polarity is Polarity.PLAN:
        distance = abs(actual - target)
        if distance <= allowance + slack:
            return Status.GREEN
        if distance <= 2 * allowance + slack:
            return Status.AMBER
        return Status.RED
    sign = -1 if polarity is Polarity.SMALLER else 1
    better_by = (actual - target) * sign
    if better_by >= -slack:
        return Status.GREEN
    if -better_by <= allowance + slack:
        return Status.AMBER
    return Status.RED


def rag_status(actual: object, target: object, polarity: object, tolerance: Tolerance = DEFAULT_TOLERANCE) -> str:
    """The status word alone: 'GREEN', 'AMBER', 'RED' or 'NO STATUS'."""
    return rag(actual, target, polarity, tolerance).status.value


_POLARITY_CODE = {Polarity.BIGGER: 1, Polarity.SMALLER: -1, Polarity.PLAN: 0, Polarity.NONE: 2}

# Status codes used inside rag_vectorised: index into this array to get the words.
_STATUS_WORDS = np.array(
    [Status.GREEN.value, Status.AMBER.value, Status.RED.value, Status.NO_STATUS.value], dtype=object
)


def rag_vectorised(actuals, targets, polarities, tolerance_kinds=RELATIVE, tolerance_amounts=5.0) -> np.ndarray:
    """RAG over arrays or Series (broadcast like numpy); an object array of status words.

    Gives exactly what `rag_status` gives element by element: the same arithmetic in the same
    order. Polarities and tolerance kinds are read once per distinct spelling, not per row.
    """
    # Suppressed and blank values give the same status; only the reason differs (see rag()).
    actual = _numbers(actuals)
    target = _numbers(targets)
    polarity_code = polarity_codes(polarities)
    absolute = _absolute_flags(tolerance_kinds)
    amounts = np.asarray(tolerance_amounts, dtype=float)
    if (amounts < 0).any() or not np.isfinite(amounts).all():
        raise ScorecardError("tolerance must be a number 0 or more")
    actual, target, polarity_code, absolute, amounts = np.broadcast_arrays(
        actual, target, polarity_code, absolute, amounts
    )
    shape = actual.shape
    if not shape:  # every input a single value: work on one-element arrays
        actual, target, polarity_code, absolute, amounts = (
            column.reshape(1) for column in (actual, target, polarity_code, absolute, amounts)
        )
    # The same arithmetic as _judge, in the same order, written with few temporaries.
    # Huge values overflow to infinity, as Python floats do in the scalar rule: no warning.
    with np.errstate(over="ignore"):
        size_of_target = np.abs(target)
        allowance = np.divide(amounts, 100)
        allowance *= size_of_target
        np.copyto(allowance, amounts, where=absolute)
        slack = np.maximum(1.0, size_of_target, out=size_of_target)
        slack *= EDGE
        gap = actual - target
        plan = polarity_code == 0
        # How far worse than target (Bigger/Smaller), or how far from it (Plan is Best).
        worse_by = np.negative(gap)
        np.copyto(worse_by, gap, where=polarity_code == -1)
        np.abs(gap, out=worse_by, where=plan)
        # GREEN up to green_limit, AMBER up to amber_limit (never below green_limit), then RED.
        amber_limit = allowance + slack
        green_limit = np.where(plan, amber_limit, slack)
        allowance *= 2
        allowance += slack
        np.copyto(amber_limit, allowance, where=plan)
    with np.errstate(invalid="ignore"):
        code = (worse_by > green_limit).view(np.int8) + (worse_by > amber_limit).view(np.int8)
    no_status = np.isnan(gap)  # the actual or the target is missing (both are finite)
    no_status |= polarity_code == 2
    np.copyto(code, 3, where=no_status)
    return _STATUS_WORDS[code].reshape(shape)


def _numbers(values) -> np.ndarray:
    """The numbers of `values`, NaN where missing (parse_values without the reasons)."""
    array = cell_array(values)
    if array.dtype.kind == "f" and not np.isinf(array).any():
        return array.astype(float, copy=False)  # fast path: nothing to parse, nothing to refuse
    numbers, _ = parse_values(array)
    return numbers


def polarity_codes(polarities) -> np.ndarray:
    """Polarity code of every row, parsing each distinct spelling once: 1 Bigger is Better,
    -1 Smaller is Better, 0 Plan is Best, 2 no polarity. ScorecardError for an unknown spelling."""
    array = object_array(polarities)
    if array.ndim == 0:
        return np.asarray(_POLARITY_CODE[parse_polarity(array.item())], dtype=np.int8)
    positions, distinct = _distinct(array)
    codes = np.array([_POLARITY_CODE[parse_polarity(item)] for item in distinct], dtype=np.int8)
    return codes[positions].reshape(array.shape)


def _absolute_flags(kinds) -> np.ndarray:
    """True where the tolerance kind is absolute; ScorecardError for an unknown kind."""
    array = object_array(kinds)
    positions, distinct = _distinct(array)
    bad = sorted(str(kind) for kind in distinct if kind not in TOLERANCE_KINDS)
    if bad:
        raise ScorecardError(f"tolerance kind {bad[0]!r} is not one of {TOLERANCE_KINDS}")
    flags = np.array([kind == ABSOLUTE for kind in distinct], dtype=bool)
    return flags[positions].reshape(array.shape)


def _distinct(array: np.ndarray) -> tuple[np.ndarray, list]:
    """distinct_objects(array); unhashable junk (a list ...) is named in a ScorecardError."""
    try:
        return distinct_objects(array)
    except TypeError:
        raise ScorecardError(f"{array.ravel()[0]!r} is not a polarity or tolerance kind") from None


def symbols_vectorised(statuses) -> np.ndarray:
    """004's symbol for each status word (an object array of words, as rag_vectorised gives)."""
    by_word = {status.value: status.symbol for status in Status}
    words = object_array(statuses)
    positions, distinct = _distinct(words)
    return np.array([by_word[word] for word in distinct], dtype=object)[positions].reshape(words.shape)

"""Scorecard's Excel functions: thin xlwings faces over the rules in `scorecard`.

Each takes single cells or whole ranges and returns a same-shaped array, which spills in
dynamic-array Excel. A range is answered with the vectorised core (udfs.columns), a cell the core
refuses with the scalar rule for that cell (CELL_RULES), so both give the same "#ERR" text. The
metadata Excel shows (function description, argument docs) sits on the decorators, next to the function.

Percentages are on the 0-100 scale (86.5 or "86.5%"); a cell formatted as an Excel
percentage holds 0.865, so keep actual and target on the same scale.
"""

from __future__ import annotations

import numpy as np
import xlwings as xw

from scorecard import benchmarking, rates, risk
from scorecard import direction as travel
from scorecard import rag as rag_rules
from scorecard.errors import ScorecardError
from scorecard.polarity import parse_polarity
from scorecard.values import Missing, parse_value
from udfs.cells import (
    Grid,
    as_grid,
    error_text,
    flat_values,
    number_or_default,
    polarity_cell,
    text_or_default,
)
from udfs.columns import Call, by_distinct_cells, vectorised
from udfs.convert import ExcelRange

# The Excel functions, in the order the add-in lists them.
__all__ = [
    "rag", "rag_symbol", "rag_reason", "direction", "direction_arrow", "rate_per", "percent_of",
    "rate_ci", "percent_ci", "compare_benchmark", "quartile_band", "polarity_rank",
    "risk_score", "risk_level", "polarity",
]

ACTUAL_DOC = "The actual value(s): a cell or range; blanks, [c], [x], n/a give NO STATUS."
TARGET_DOC = "The target(s): a cell or a range the same size as actual."
POLARITY_DOC = "Bigger is Better, Smaller is Better, Plan is Best (or High, Low, ...); blank = none."
TOLERANCE_DOC = "How far from target is still AMBER: per cent of target (default 5) or points."
TOLERANCE_TYPE_DOC = "relative (per cent of target, the default) or absolute (points)."


def _range(name: str, doc: str):
    """An argument that takes a cell or a range (rows of cells); error cells arrive as their text ("#N/A")."""
    return xw.arg(name, ExcelRange, ndim=2, err_to_str=True, doc=doc)


def _tolerance(amount, kind) -> rag_rules.Tolerance:
    default = rag_rules.DEFAULT_TOLERANCE
    return rag_rules.Tolerance(
        text_or_default(kind, default.kind).lower(),
        number_or_default(amount, default.amount, "tolerance"),
    )


def _rag_result(actual, target, polarity, tolerance, tolerance_type) -> rag_rules.RagResult:
    return rag_rules.rag(actual, target, polarity_cell(polarity), _tolerance(tolerance, tolerance_type))


# Each function's rule for one cell, from the scalar core: what the function gives cell by cell.
# The functions answer whole ranges with the vectorised core and use these only for the cells the
# core refuses (so that their "#ERR ..." text is the scalar rule's); tests check the two agree.
def _rag_cell(*cell):
    return _rag_result(*cell).status.value


def _rag_symbol_cell(*cell):
    return _rag_result(*cell).symbol


def _rag_reason_cell(*cell):
    return _rag_result(*cell).reason


def _direction_cell(current, previous, polarity, threshold, target):
    threshold = number_or_default(threshold, 0.0, "threshold")
    return travel.direction(current, previous, polarity_cell(polarity), threshold, target).value


def _arrow_cell(current, previous, threshold):
    return travel.direction_arrow(current, previous, number_or_default(threshold, 0.0, "threshold"))


def _polarity_cell(text):
    return parse_polarity(polarity_cell(text)).value


def _compare_cell(lower, upper, benchmark, polarity):
    return benchmarking.compare_with_benchmark(lower, upper, benchmark, polarity_cell(polarity))


def _statuses(call: Call) -> np.ndarray:
    """RAG status words of every cell of a RAG-family call, by scorecard.rag.rag_vectorised."""
    default = rag_rules.DEFAULT_TOLERANCE
    amounts = call.optional_numbers(3, default.amount, "tolerance")
    kinds = call.optional_texts(4, default.kind)
    unknown_kind = ~np.isin(kinds, rag_rules.TOLERANCE_KINDS)
    with np.errstate(invalid="ignore"):
        bad_amount = ~(amounts >= 0)  # negative, or refused (NaN)
    call.refuse(np.broadcast_to(unknown_kind | bad_amount, call.shape))
    statuses = rag_rules.rag_vectorised(
        call.numbers(0), call.numbers(1), call.polarities(2),
        np.where(unknown_kind, default.kind, kinds), np.where(bad_amount, default.amount, amounts),
    )
    return np.broadcast_to(statuses, call.shape)


def _reasons(call: Call, statuses: np.ndarray) -> np.ndarray:
    """Why each NO STATUS cell has none; worked out by the scalar rule once per kind of missing input
    (the reason depends on the polarity and on which values are missing, never on the numbers)."""
    actual_missing = np.broadcast_to(call.values(0)[1], call.shape)
    target_missing = np.broadcast_to(call.values(1)[1], call.shape)
    polarities = np.broadcast_to(call.polarities(2), call.shape)
    reasons = np.full(call.shape, "", dtype=object)
    seen: dict = {}
    for row, col in zip(*np.nonzero(statuses == rag_rules.Status.NO_STATUS.value), strict=True):
        key = (polarities[row, col], actual_missing[row, col], target_missing[row, col])
        if key not in seen:
            actual = 0.0 if key[1] is None else key[1]
            target = 0.0 if key[2] is None else key[2]
            seen[key] = rag_rules.rag(actual, target, key[0]).reason
        reasons[row, col] = seen[key]
    return reasons


def _rag_args(function):
    """The five argument docs every RAG-family function shares."""
    function = _range("actual", ACTUAL_DOC)(function)
    function = _range("target", TARGET_DOC)(function)
    function = _range("polarity", POLARITY_DOC)(function)
    function = _range("tolerance", TOLERANCE_DOC)(function)
    return _range("tolerance_type", TOLERANCE_TYPE_DOC)(function)


@xw.func
@xw.ret(ExcelRange)
@_rag_args
def rag(actual, target, polarity, tolerance=None, tolerance_type=None) -> Grid:
    """RAG status: GREEN on or better than target, AMBER worse within tolerance, RED worse beyond it, or NO STATUS."""
    return vectorised(_statuses, _rag_cell, actual, target, polarity, tolerance, tolerance_type)


@xw.func
@xw.ret(ExcelRange)
@_rag_args
def rag_symbol(actual, target, polarity, tolerance=None, tolerance_type=None) -> Grid:
    """Status as a symbol: ★ better than or on target, ● worse than target, ▲ significantly worse, – no status."""
    return vectorised(lambda call: rag_rules.symbols_vectorised(_statuses(call)),
                      _rag_symbol_cell, actual, target, polarity, tolerance, tolerance_type)


@xw.func
@xw.ret(ExcelRange)
@_rag_args
def rag_reason(actual, target, polarity, tolerance=None, tolerance_type=None) -> Grid:
    """Why there is no status (no value, value suppressed, no target, no polarity); empty when there is one."""
    return vectorised(lambda call: _reasons(call, _statuses(call)),
                      _rag_reason_cell, actual, target, polarity, tolerance, tolerance_type)


def _refused_where_none(call: Call, answers: np.ndarray) -> np.ndarray:
    """The vectorised core gives None for a cell the scalar rule refuses: send it to the scalar rule."""
    call.refuse(np.equal(answers, None))
    return answers


@xw.func
@xw.ret(ExcelRange)
@_range("current", "The latest value(s).")
@_range("previous", "The value(s) the period before, same size as current.")
@_range("polarity", POLARITY_DOC)
@_range("threshold", "Changes this size or smaller count as No change (points; default 0).")
@_range("target", "Target(s): needed for Plan is Best, where closer to target is Improving.")
def direction(current, previous, polarity, threshold=None, target=None) -> Grid:
    """Direction of travel: Improving, Declining, No change or Not comparable, judged by polarity."""
    def answer(call: Call) -> np.ndarray:
        threshold = call.optional_numbers(3, 0.0, "threshold")
        words = travel.direction_vectorised(call.numbers(0), call.numbers(1), call.polarities(2),
                                            np.where(np.isnan(threshold), 0.0, threshold), call.numbers(4))
        return _refused_where_none(call, words)

    return vectorised(answer, _direction_cell, current, previous, polarity, threshold, target)


@xw.func
@xw.ret(ExcelRange)
@_range("current", "The latest value(s).")
@_range("previous", "The value(s) the period before, same size as current.")
@_range("threshold", "Changes this size or smaller show → (points; default 0).")
def direction_arrow(current, previous, threshold=None) -> Grid:
    """Which way the value moved: ↑ up, ↓ down, → no change; empty when a value is missing."""
    def answer(call: Call) -> np.ndarray:
        threshold = call.optional_numbers(2, 0.0, "threshold")
        threshold = np.where(np.isnan(threshold), 0.0, threshold)
        arrows = travel.arrow_vectorised(call.numbers(0), call.numbers(1), threshold)
        return _refused_where_none(call, arrows)

    return vectorised(answer, _arrow_cell, current, previous, threshold)


def _count(value):
    parsed = parse_value(value)
    return None if isinstance(parsed, Missing) else parsed


def _per(value) -> float:
    return number_or_default(value, rates.DEFAULT_PER, "per")


def _level(value) -> float:
    return number_or_default(value, 95.0, "level")


def _numbers_or_blank(call: Call, answers: np.ndarray, *counts: np.ndarray) -> np.ndarray:
    """Numbers for the cells, NaN (an empty cell) where a count is missing; the scalar rule where the core gave
    NaN otherwise."""
    missing = np.zeros(call.shape, dtype=bool)
    for count in counts:
        missing |= np.isnan(count)
    call.refuse(np.isnan(answers) & ~missing)
    return answers


def _rate_one(e, p, n):
    e, p = _count(e), _count(p)
    return None if e is None or p is None else rates.rate(e, p, _per(n))


@xw.func
@xw.ret(ExcelRange)
@_range("events", "Number of events or children (numerator).")
@_range("population", "Population the rate is of (denominator), e.g. children aged 0-17.")
@_range("per", "Rate per how many (default 10,000).")
def rate_per(events, population, per=None) -> Grid:
    """Rate per N of a population (default per 10,000): events / population x N."""
    def answer(call: Call) -> np.ndarray:
        events, population = call.numbers(0), call.numbers(1)
        per = call.optional_numbers(2, rates.DEFAULT_PER, "per")
        return _numbers_or_blank(call, rates.rate_vectorised(events, population, per), events, population)

    return vectorised(answer, _rate_one, events, population, per)


def _percent_one(n, d):
    n, d = _count(n), _count(d)
    return None if n is None or d is None else rates.percentage(n, d)


@xw.func
@xw.ret(ExcelRange)
@_range("numerator", "How many met the measure.")
@_range("denominator", "How many there were in all.")
def percent_of(numerator, denominator) -> Grid:
    """Numerator as a percentage of denominator, on the 0-100 scale."""
    def answer(call: Call) -> np.ndarray:
        numerator, denominator = call.numbers(0), call.numbers(1)
        return _numbers_or_blank(call, rates.percentage_vectorised(numerator, denominator), numerator, denominator)

    return vectorised(answer, _percent_one, numerator, denominator)


_BOUND_DOC = "lower, upper, or both (default; two columns, for a single-column input)."


def _limits(vector_limits, scalar_limits, bound, *arguments) -> Grid:
    """Lower, upper or both limits; 'both' makes two columns from one. `vector_limits(call)` gives
    (lower, upper) arrays for the call; `scalar_limits(*cell)` the pair for one cell (or None)."""
    try:
        which = text_or_default(as_grid(bound)[0][0], "both").lower()
        if which not in ("lower", "upper", "both"):
            raise ScorecardError(f"bound {which!r} must be lower, upper or both")
        call = Call(*arguments)
        if which == "both" and call.shape[1] != 1:
            raise ScorecardError("bound 'both' needs single-column ranges; use lower or upper")
    except ScorecardError as error:
        return [[error_text(error)]]
    indexes = {"lower": [0], "upper": [1], "both": [0, 1]}[which]

    def answer(call: Call) -> list[np.ndarray]:
        limits = vector_limits(call)
        counts = call.numbers(0), call.numbers(1)
        return [_numbers_or_blank(call, limits[index], *counts) for index in indexes]

    def one_limit(index: int):
        def rule(*cell):
            limits = scalar_limits(*cell)
            return None if limits is None else limits[index]
        return rule

    return call.answer(answer, [one_limit(index) for index in indexes])


def _rate_limits(e, p, n, lv):
    e, p = _count(e), _count(p)
    return None if e is None or p is None else rates.rate_ci(e, p, _per(n), _level(lv))


@xw.func
@xw.ret(ExcelRange)
@_range("events", "Number of events (numerator).")
@_range("population", "Population (denominator).")
@_range("per", "Rate per how many (default 10,000).")
@_range("level", "Confidence level: 95 (default) or 99.8.")
@xw.arg("bound", doc=_BOUND_DOC)
def rate_ci(events, population, per=None, level=None, bound=None) -> Grid:
    """Confidence limits of a rate per N: Byar's method from 10 events, exact Poisson below (UK public health)."""
    def limits(call: Call):
        per = call.optional_numbers(2, rates.DEFAULT_PER, "per")
        level = call.optional_numbers(3, 95.0, "level")
        return rates.rate_ci_vectorised(call.numbers(0), call.numbers(1), per, level)

    return _limits(limits, _rate_limits, bound, events, population, per, level)


def _percent_limits(n, d, lv):
    n, d = _count(n), _count(d)
    return None if n is None or d is None else rates.percentage_ci(n, d, _level(lv))


@xw.func
@xw.ret(ExcelRange)
@_range("numerator", "How many met the measure.")
@_range("denominator", "How many there were in all.")
@_range("level", "Confidence level: 95 (default) or 99.8.")
@xw.arg("bound", doc=_BOUND_DOC)
def percent_ci(numerator, denominator, level=None, bound=None) -> Grid:
    """Confidence limits of a percentage (0-100) by the Wilson score method."""
    def limits(call: Call):
        level = call.optional_numbers(2, 95.0, "level")
        return rates.percentage_ci_vectorised(call.numbers(0), call.numbers(1), level)

    return _limits(limits, _percent_limits, bound, numerator, denominator, level)


@xw.func
@xw.ret(ExcelRange)
@_range("lower", "Lower confidence limit(s) of the authority's value.")
@_range("upper", "Upper confidence limit(s).")
@_range("benchmark", "Benchmark value(s): statistical neighbours, region or England.")
@_range("polarity", POLARITY_DOC)
def compare_benchmark(lower, upper, benchmark, polarity) -> Grid:
    """Better, Similar or Worse than a benchmark from confidence limits (Higher/Lower with no polarity)."""
    return by_distinct_cells(_compare_cell, lower, upper, benchmark, polarity)


def _comparison_set(all_values) -> benchmarking.ComparisonSet:
    """The comparison range, checked cell by cell (errors name the cell) and read once for every value."""
    return benchmarking.ComparisonSet(flat_values(all_values, "all_values"))


@xw.func
@xw.ret(ExcelRange)
@_range("value", "The authority's value(s) to band.")
@_range("all_values", "Every authority's value in the comparison set (any shape).")
@_range("polarity", POLARITY_DOC)
def quartile_band(value, all_values, polarity) -> Grid:
    """Quartile band A (best quarter given polarity) to D among all_values, as LAIT; - with no polarity."""
    try:
        among = _comparison_set(all_values)
    except ScorecardError as error:
        return [[error_text(error)]]
    return by_distinct_cells(lambda value, polarity: among.band(value, polarity_cell(polarity)), value, polarity)


@xw.func
@xw.ret(ExcelRange)
@_range("value", "The authority's value(s) to rank.")
@_range("all_values", "Every authority's value in the comparison set (any shape).")
@_range("polarity", POLARITY_DOC)
def polarity_rank(value, all_values, polarity) -> Grid:
    """Rank among all_values, 1 = best given polarity; ties share the lower rank; blank if missing."""
    try:
        among = _comparison_set(all_values)
    except ScorecardError as error:
        return [[error_text(error)]]
    return by_distinct_cells(lambda value, polarity: among.rank(value, polarity_cell(polarity)), value, polarity)


@xw.func
@xw.ret(ExcelRange)
@_range("impact", "Impact 1-5: Insignificant, Minor, Moderate, Major, Critical.")
@_range("likelihood", "Likelihood 1-5: Remote, Unlikely, Possible, Likely, Highly Likely.")
def risk_score(impact, likelihood) -> Grid:
    """Risk score 1-25: impact x likelihood, each a whole number 1-5."""
    def answer(call: Call) -> np.ndarray:
        scores = risk.risk_score_vectorised(call.plain_numbers(0), call.plain_numbers(1))
        call.refuse(np.isnan(scores))
        return np.where(np.isnan(scores), 0, scores).astype(int).astype(object)

    return vectorised(answer, risk.risk_score, impact, likelihood)


@xw.func
@xw.ret(ExcelRange)
@_range("score", "Risk score(s) 1-25.")
@xw.arg("moderate_from", doc="Lowest Moderate score (default 7).")
@xw.arg("high_from", doc="Lowest High score (default 13).")
def risk_level(score, moderate_from=None, high_from=None) -> Grid:
    """Level of a risk score: Low (1-6), Moderate (7-12) or High (13-25); bands can be moved."""
    (lowest, low), (moderate, moderate_name), (high, high_name) = risk.DEFAULT_BANDS
    try:
        bands = (
            (lowest, low),
            (_whole(number_or_default(moderate_from, moderate, "moderate_from"), "moderate_from"), moderate_name),
            (_whole(number_or_default(high_from, high, "high_from"), "high_from"), high_name),
        )
    except ScorecardError as error:
        return [[error_text(error)]]
    def answer(call: Call) -> np.ndarray:
        return _refused_where_none(call, risk.risk_level_vectorised(call.plain_numbers(0), bands))

    return vectorised(answer, lambda s: risk.risk_level(s, bands), score)


def _whole(number: float, name: str) -> int:
    if number != int(number):
        raise ScorecardError(f"{name} {number:g} must be a whole number")
    return int(number)


@xw.func
@xw.ret(ExcelRange)
@_range("text", "A polarity as written: High, Low, Bigger is Better, RAG - Low is good ...")
def polarity(text) -> Grid:
    """Canonical polarity: Bigger is Better, Smaller is Better, Plan is Best or No polarity."""
    return by_distinct_cells(_polarity_cell, text)


# Python name -> the rule for one cell (see _rag_cell). For rate_ci and percent_ci the rule gives the
# (lower, upper) pair; quartile_band, polarity_rank and risk_level take their whole-range or single
# arguments first (the comparison set, the bands).
CELL_RULES = {
    "rag": _rag_cell, "rag_symbol": _rag_symbol_cell, "rag_reason": _rag_reason_cell,
    "direction": _direction_cell, "direction_arrow": _arrow_cell,
    "rate_per": _rate_one, "percent_of": _percent_one, "rate_ci": _rate_limits, "percent_ci": _percent_limits,
    "compare_benchmark": _compare_cell, "risk_score": risk.risk_score, "polarity": _polarity_cell,
}

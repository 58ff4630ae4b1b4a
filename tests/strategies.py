"""Hypothesis strategies for the rules core, in one place (other test modules may import them).

Values are kept to the sizes scorecards hold (|x| <= 1e6) so that the 1e-9 rounding slack in
the rules is far below any real difference the strategies generate, except where a strategy
deliberately places a value on a boundary.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from scorecard.polarity import Polarity, accepted_spellings
from scorecard.rag import ABSOLUTE, RELATIVE, Tolerance
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, PLACEHOLDERS

LIMIT = 1e6

# Polarity values, judged (can be better or worse than a target) and all four.
JUDGED = (Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN)
judged_polarities = st.sampled_from(JUDGED)
directional_polarities = st.sampled_from((Polarity.BIGGER, Polarity.SMALLER))
all_polarities = st.sampled_from(tuple(Polarity))


@st.composite
def polarity_spellings(draw, polarity: Polarity | None = None) -> tuple[str, Polarity]:
    """(a spelling users write, the Polarity it means), with random case and padding."""
    chosen = polarity if polarity is not None else draw(all_polarities)
    spelling = draw(st.sampled_from(accepted_spellings()[chosen.value]))
    cased = "".join(
        ch.upper() if flip else ch
        for ch, flip in zip(spelling, draw(st.lists(st.booleans(), min_size=len(spelling),
                                                    max_size=len(spelling))), strict=True)
    )
    pad = draw(st.sampled_from(("", " ", "  ", "\t")))
    return pad + cased + pad, chosen


# Numbers as scorecards hold them: finite, moderate size; and rounded to 0-3 decimals.
finite_numbers = st.floats(min_value=-LIMIT, max_value=LIMIT, allow_nan=False,
                           allow_infinity=False)
rounded_numbers = st.builds(round, finite_numbers, st.integers(0, 3))
nonzero_numbers = finite_numbers.filter(lambda x: abs(x) >= 1e-3)
numbers = st.one_of(finite_numbers, rounded_numbers, st.integers(-10**6, 10**6))

relative_tolerances = st.builds(
    Tolerance, st.just(RELATIVE), st.one_of(st.sampled_from([0.0, 1.0, 5.0, 10.0]),
                                            st.floats(0, 50, allow_nan=False)))
absolute_tolerances = st.builds(
    Tolerance, st.just(ABSOLUTE), st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0]),
                                            st.floats(0, 100, allow_nan=False)))
tolerances = st.one_of(relative_tolerances, absolute_tolerances)

# Every way of writing "no number here" that the rules know, with case and padding variants.
_MISSING_TEXT = sorted({*GSS_SHORTHAND, *PLACEHOLDERS, *EXCEL_ERRORS})
missing_cells = st.one_of(
    st.just(None),
    st.just(math.nan),
    st.sampled_from(_MISSING_TEXT).flatmap(
        lambda text: st.sampled_from((text, text.upper(), f" {text} ", text.title()))),
)


@st.composite
def number_cells(draw) -> tuple[object, float]:
    """(a cell holding a number in one of the forms users type, the number it means)."""
    value = draw(rounded_numbers)
    form = draw(st.sampled_from(("float", "text", "percent", "spaced percent", "thousands")))
    if form == "float":
        return value, value
    if form == "text":
        return repr(value), value
    if form == "percent":
        return f"{value!r}%", value
    if form == "spaced percent":
        return f" {value!r} % ", value
    whole = int(value)
    return f"{whole:,}", float(whole)


cells = st.one_of(number_cells().map(lambda pair: pair[0]), missing_cells)


@st.composite
def near_edge(draw, polarity: Polarity | None = None) -> tuple[float, float, Polarity, Tolerance]:
    """(actual, target, polarity, tolerance) with the actual on, or one step off, a boundary.

    Boundaries are the target, 1x the tolerance and (Plan is Best) 2x the tolerance, on the
    better or worse side; the step is 0, a thousandth of a unit, or a random small amount.
    """
    target = draw(st.one_of(rounded_numbers, st.just(0.0)))
    tolerance = draw(tolerances)
    chosen = polarity if polarity is not None else draw(judged_polarities)
    allowance = tolerance.allowance(target)
    multiple = draw(st.sampled_from((0, 1, 2)))
    side = draw(st.sampled_from((-1, 1)))
    step = draw(st.sampled_from((0.0, 0.001, -0.001)))
    return target + side * (multiple * allowance + step), target, chosen, tolerance


# Rows for vectorised-versus-scalar comparisons: anything a user might put in the columns.
rag_rows = st.tuples(
    st.one_of(cells, finite_numbers),
    st.one_of(cells, finite_numbers),
    st.one_of(all_polarities, polarity_spellings().map(lambda pair: pair[0])),
    tolerances,
)

# Risk matrix inputs.
risk_axis = st.integers(1, 5)

"""Hypothesis strategies for the Excel functions' inputs: cells as Excel hands them over, and ranges of them.

A cell is what xlwings passes for one cell on either route: None (empty), '' (a formula giving ""),
an int (Office.js' whole numbers), a float, TRUE/FALSE, a date (classic), text that is a number
("86.5%", " 1,234 "), GSS shorthand and placeholders, an error value as text ("#N/A"), and junk.
Values sit on the boundaries the rules care about often (on target, one tolerance away, zero).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from strategies import number_or_blank_cells, number_or_text_cells, plain_number_cells

from scorecard.polarity import accepted_spellings

NUMBERS = st.one_of(
    st.sampled_from([0, 1, 5, 9, 10, 90, 95, 100, 85.5, 94.99, -0.2, 1e-9, 0.1]),
    st.integers(-1000, 100_000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.builds(round, st.floats(0, 1000, allow_nan=False), st.integers(0, 2)),
)
NUMBER_TEXT = st.sampled_from(["86.5%", " 12 ", "1,234", "95", "-3.5", "1e2", ".5", "0"])
MISSING = st.sampled_from([None, "", "[c]", "[x]", "[z]", "[u]", "[low]", "n/a", "tbc", "-", "#N/A", "#DIV/0!",
                           "12.3 [u]", "  [C] "])
JUNK = st.sampled_from(["abc", "1,2", "1_0", "inf", "1e400", True, False, "sideways", "5 apples"])
DATES = st.just(dt.datetime(2024, 1, 1))
cells = st.one_of(NUMBERS, NUMBERS, NUMBERS, NUMBER_TEXT, MISSING, JUNK, DATES)

_SPELLINGS = sorted({spelling for spellings in accepted_spellings().values() for spelling in spellings})
polarity_cells = st.one_of(st.sampled_from(_SPELLINGS), st.sampled_from([None, "", "High", "LOW", " plan ", "up"]),
                           st.sampled_from(["sideways", 5, True, "#N/A"]))
kind_cells = st.sampled_from([None, "", "relative", "absolute", "Absolute", " RELATIVE ", "weird", 3])
optional_number_cells = st.one_of(st.sampled_from([None, "", 0, 1, 2.5, 5, 10, -1, "2.5%", "abc", "n/a", True]),
                                  st.floats(0, 50, allow_nan=False))
level_cells = st.sampled_from([None, 95, 99.8, 0.95, 0.998, 90, "95", "abc"])
risk_cells = st.sampled_from([None, "", 1, 2, 3, 4, 5, 6, 0, 2.5, "3", " 4 ", "abc", True, 25, 13, 7, 12, 1.0])


@st.composite
def ranges(draw, *cell_strategies, rows=(1, 12)):
    """Arguments of one call: each a single cell or a range; the ranges all one shape, as Excel needs."""
    height = draw(st.integers(*rows))
    width = draw(st.integers(1, 2))
    arguments = []
    for strategy in cell_strategies:
        if draw(st.booleans()):
            arguments.append(draw(strategy))
        else:
            arguments.append([[draw(strategy) for _ in range(width)] for _ in range(height)])
    return arguments


@st.composite
def typed_ranges(draw, *cell_strategies, rows=(1, 12)):
    """Arguments of one call, as `ranges`, but each range drawn (per argument) from its own cell strategy, or
    all plain numbers (and empty cells), or numbers with some text among them (tests/strategies.py): the kinds
    of range the functions' fast paths take; a range of one width from one kind of cell, as Excel sends a column."""
    height = draw(st.integers(*rows))
    width = draw(st.integers(1, 2))
    arguments = []
    for strategy in cell_strategies:
        kind = draw(st.sampled_from([strategy, plain_number_cells, number_or_blank_cells, number_or_text_cells]))
        if draw(st.integers(0, 3)) == 0:
            arguments.append(draw(kind))
        else:
            arguments.append([[draw(kind) for _ in range(width)] for _ in range(height)])
    return arguments


# Each function's arguments, as cell strategies (the functions answered cell by cell by CELL_RULES; the two
# confidence-limit functions, which also take a bound, in LIMIT_ARGUMENTS).
FUNCTION_ARGUMENTS = {
    "rag": (cells, cells, polarity_cells, optional_number_cells, kind_cells),
    "rag_symbol": (cells, cells, polarity_cells, optional_number_cells, kind_cells),
    "rag_reason": (cells, cells, polarity_cells, optional_number_cells, kind_cells),
    "direction": (cells, cells, polarity_cells, optional_number_cells, cells),
    "direction_arrow": (cells, cells, optional_number_cells),
    "rate_per": (cells, cells, optional_number_cells),
    "percent_of": (cells, cells),
    "compare_benchmark": (cells, cells, cells, polarity_cells),
    "risk_score": (risk_cells, risk_cells),
    "polarity": (polarity_cells,),
}
LIMIT_ARGUMENTS = {
    "rate_ci": (cells, cells, optional_number_cells, level_cells),
    "percent_ci": (cells, cells, level_cells),
}

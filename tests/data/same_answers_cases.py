"""The one table of cases every route must agree on (tests/test_same_answers.py).

Each case: the Python function name, its arguments as they sit in the sheet (a scalar is one cell,
a list of rows is a range, None is an empty cell, ExcelError is an error cell, trailing optional
arguments left out are omitted in the formula), and the answer as rows of cells. Every route gives
that answer; the LAMBDA names give "#ERR" text where the add-in gives "#ERR <message>" (their
messages may write numbers as Excel writes them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from addin.routes import ExcelError

BIB, SIB, PIB = "Bigger is Better", "Smaller is Better", "Plan is Best"


@dataclass(frozen=True)
class Case:
    function: str
    args: tuple[Any, ...]
    expected: list[list[Any]]
    approx: float | None = None  # absolute tolerance against `expected` (published CI values)

    @property
    def id(self) -> str:
        return f"{self.function}{self.args!r}"[:90]


def c(function, args, expected, approx=None) -> Case:
    grid = expected if isinstance(expected, list) else [[expected]]
    return Case(function, tuple(args), grid, approx)


CASES: list[Case] = [
    # RAG: directional, edges (the edge is AMBER), Plan is Best, absolute tolerance, negative targets.
    c("rag", [90, 100, BIB], "RED"),
    c("rag", [95, 100, BIB], "AMBER"),
    c("rag", [94.99, 100, BIB], "RED"),
    c("rag", [100, 100, BIB], "GREEN"),
    c("rag", [86.5, 90, BIB, 5], "AMBER"),
    c("rag", [85.5, 90, BIB], "AMBER"),
    c("rag", [85.49, 90, BIB], "RED"),
    c("rag", [12, 10, SIB], "RED"),
    c("rag", [10.4, 10, SIB], "AMBER"),
    c("rag", [9, 10, SIB], "GREEN"),
    c("rag", [103, 100, PIB], "GREEN"),
    c("rag", [95, 100, PIB], "GREEN"),
    c("rag", [108, 100, PIB], "AMBER"),
    c("rag", [111, 100, PIB], "RED"),
    c("rag", [88, 90, BIB, 2, "absolute"], "AMBER"),
    c("rag", [87.9, 90, BIB, 2, "absolute"], "RED"),
    c("rag", [87.9, 90, BIB, 2, "Absolute"], "RED"),
    c("rag", [-0.3, -0.2, BIB], "RED"),
    c("rag", [-0.205, -0.2, BIB], "AMBER"),
    c("rag", [0, 0, SIB], "GREEN"),
    c("rag", [0.1, 0, SIB], "RED"),
    c("rag", [None, 100, BIB], "NO STATUS"),
    c("rag", ["", 100, BIB], "NO STATUS"),
    c("rag", ["[c]", 100, BIB], "NO STATUS"),
    c("rag", [90, None, BIB], "NO STATUS"),
    c("rag", [90, 100, None], "NO STATUS"),
    c("rag", [dt.date(2024, 1, 1), 100, BIB], "GREEN"),
    c("rag", [ExcelError("#N/A"), 100, BIB], "NO STATUS"),
    c("rag", [90, 100, "High"], "RED"),
    c("rag", ["86.5%", 90, BIB], "AMBER"),
    c("rag", ["abc", 90, BIB], "#ERR 'abc' is not a number"),
    c("rag", [True, 90, BIB], "#ERR True is TRUE/FALSE, not a number"),
    c("rag", [90, 100, "sideways"], "#ERR unknown polarity 'sideways'"),
    c("rag", [90, 100, BIB, "abc"], "#ERR tolerance 'abc' must be a number"),
    c("rag", [90, 100, BIB, 5, "weird"], "#ERR tolerance kind 'weird' is not one of ('relative', 'absolute')"),
    c("rag", [[[90], [100], [None]], 100, BIB], [["RED"], ["GREEN"], ["NO STATUS"]]),
    c("rag", [[[90, 100]], [[100, 100]], [[BIB, SIB]]], [["RED", "GREEN"]]),
    c("rag", [[[1], [2]], [[1], [2], [3]], BIB], "#ERR ranges are different sizes (2x1 and 3x1)"),
    # RAG_SYMBOL and RAG_REASON
    c("rag_symbol", [90, 100, BIB], "▲"),
    c("rag_symbol", [95, 100, BIB], "●"),
    c("rag_symbol", [100, 100, BIB], "★"),
    c("rag_symbol", [None, 100, BIB], "–"),
    c("rag_reason", [None, 100, BIB], "no value (blank)"),
    c("rag_reason", ["[c]", 100, BIB], "value suppressed ([c])"),
    c("rag_reason", [90, None, BIB], "no target (blank)"),
    c("rag_reason", [90, 100, None], "no polarity"),
    c("rag_reason", [90, 100, BIB], ""),
    # DIRECTION and DIRECTION_ARROW
    c("direction", [90, 80, BIB], "Improving"),
    c("direction", [80, 90, BIB], "Declining"),
    c("direction", [80, 80, BIB], "No change"),
    c("direction", [80.5, 80, BIB, 1], "No change"),
    c("direction", [81, 80, BIB, 1], "No change"),
    c("direction", [81.5, 80, BIB, 1], "Improving"),
    c("direction", [12, 10, SIB], "Declining"),
    c("direction", [98, 95, PIB, None, 100], "Improving"),
    c("direction", [105, 100, PIB, None, 100], "Declining"),
    c("direction", [98, 95, PIB], "Not comparable"),
    c("direction", [None, 95, BIB], "Not comparable"),
    c("direction", [90, 80, None], "Not comparable"),
    c("direction", [90, 80, "up"], "Improving"),
    c("direction", [90, 80, BIB, "x"], "#ERR threshold 'x' must be a number"),
    c("direction_arrow", [90, 80], "↑"),
    c("direction_arrow", [80, 90], "↓"),
    c("direction_arrow", [80, 80], "→"),
    c("direction_arrow", [80.4, 80, 0.5], "→"),
    c("direction_arrow", [None, 80], ""),
    c("direction_arrow", ["[x]", 80], ""),
    # Rates and percentages
    c("rate_per", [20, 10000], 20.0),
    c("rate_per", [5, 1000, 1000], 5.0),
    c("rate_per", [7, 30000, 100000], 7 / 30000 * 100000),
    c("rate_per", [None, 100], ""),
    c("rate_per", ["[c]", 100], ""),
    c("rate_per", [20, 0], "#ERR denominator is 0: no rate or proportion can be formed"),
    c("rate_per", [-5, 100], "#ERR numerator -5.0 must not be negative"),
    c("rate_per", [[[20], [40]], [[10000], [20000]]], [[20.0], [20.0]]),
    c("percent_of", [45, 60], 75.0),
    c("percent_of", [61, 60], "#ERR numerator 61 is larger than denominator 60"),
    c("percent_of", [0, 0], "#ERR denominator is 0: no rate or proportion can be formed"),
    c("rate_ci", [20, 10000], [[12.21, 30.89]], approx=0.01),
    c("rate_ci", [5, 10000], [[1.62, 11.67]], approx=0.01),
    c("rate_ci", [0, 10000], [[0.0, 3.69]], approx=0.01),
    c("rate_ci", [20, 10000, None, None, "lower"], [[12.21]], approx=0.01),
    c("rate_ci", [[[20, 5]], 10000], "#ERR bound 'both' needs single-column ranges"),
    c("rate_ci", [20, 10000, None, 90], [["#ERR confidence level 90.0 must be 95 or 99.8"] * 2]),
    c("percent_ci", [50, 100], [[40.38, 59.62]], approx=0.01),
    c("percent_ci", [50, 100, 99.8], [[35.24, 64.76]], approx=0.01),
    c("percent_ci", [[[50], [None]], 100, None, "upper"], [[59.62], [""]], approx=0.01),
    # Benchmarking
    c("compare_benchmark", [10, 20, 25, BIB], "Worse"),
    c("compare_benchmark", [30, 40, 25, BIB], "Better"),
    c("compare_benchmark", [10, 30, 25, BIB], "Similar"),
    c("compare_benchmark", [10, 25, 25, BIB], "Similar"),
    c("compare_benchmark", [10, 20, 25, SIB], "Better"),
    c("compare_benchmark", [10, 20, 25, None], "Lower"),
    c("compare_benchmark", [None, 20, 25, BIB], "Not compared"),
    c("quartile_band", [8, [[1, 2, 3, 4, 5, 6, 7, 8]], BIB], "A"),
    c("quartile_band", [5, [[1, 2, 3, 4, 5, 6, 7, 8]], BIB], "B"),
    c("quartile_band", [3, [[1, 2, 3, 4, 5, 6, 7, 8]], BIB], "C"),
    c("quartile_band", [1, [[1, 2, 3, 4, 5, 6, 7, 8]], BIB], "D"),
    c("quartile_band", [1, [[1, 2, 3, 4, 5, 6, 7, 8]], SIB], "A"),
    c("quartile_band", [[[8], [None]], [[1], [2], [None], [8]], BIB], [["A"], ["-"]]),
    c("quartile_band", [5, [[1, 2, 3]], PIB], "-"),
    c("polarity_rank", [5, [[1, 2, 3, 4, 5, 6, 7, 8]], BIB], 4),
    c("polarity_rank", [5, [[1, 2, 3, 4, 5, 6, 7, 8]], SIB], 5),
    c("polarity_rank", [None, [[1, 2, 3]], BIB], ""),
    c("polarity_rank", [[[1], [3]], [[1, 2, 3, "[c]"]], BIB], [[3], [1]]),
    # Risk
    c("risk_score", [3, 4], 12),
    c("risk_score", [5, 5], 25),
    c("risk_score", [1, 1], 1),
    c("risk_score", [6, 1], "#ERR impact 6 is outside 1-5"),
    c("risk_score", [2.5, 1], "#ERR impact 2.5 must be a whole number 1-5"),
    c("risk_score", [None, 1], "#ERR impact None must be a whole number 1-5"),
    c("risk_score", [[[1], [2]], [[5], [5]]], [[5], [10]]),
    c("risk_level", [6], "Low"),
    c("risk_level", [7], "Moderate"),
    c("risk_level", [12], "Moderate"),
    c("risk_level", [13], "High"),
    c("risk_level", [25], "High"),
    c("risk_level", [0], "#ERR risk score 0 is outside 1-25"),
    c("risk_level", [None], "#ERR risk score None must be a whole number 1-25"),
    c("risk_level", [6, 5], "Moderate"),
    c("risk_level", [12, None, 10], "High"),
    # Polarity
    c("polarity", ["High"], "Bigger is Better"),
    c("polarity", ["RAG - Low is good"], "Smaller is Better"),
    c("polarity", ["plan"], "Plan is Best"),
    c("polarity", [None], "No polarity"),
    c("polarity", ["sideways"], "#ERR unknown polarity 'sideways'"),
    c("polarity", [5], "#ERR polarity must be text, got 5"),
    c("polarity", [[["High", "Low"]]], [["Bigger is Better", "Smaller is Better"]]),
]

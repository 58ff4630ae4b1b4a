"""RAG truth tables: every boundary of every polarity, both tolerance kinds, and NO STATUS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity
from scorecard.rag import (
    ABSOLUTE,
    RELATIVE,
    SYMBOLS,
    RagResult,
    Status,
    Tolerance,
    edge_allowance,
    rag,
    rag_status,
    rag_vectorised,
)

B, S, P, N = Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN, Polarity.NONE
REL5 = Tolerance(RELATIVE, 5)
ABS2 = Tolerance(ABSOLUTE, 2)
ZERO = Tolerance(RELATIVE, 0)

# (actual, target, polarity, tolerance, expected status, why)
TRUTH_TABLE = [
    # Bigger is Better, target 90, 5% relative (allowance 4.5)
    (95, 90, B, REL5, "GREEN", "better than target"),
    (90, 90, B, REL5, "GREEN", "on target"),
    (89.999, 90, B, REL5, "AMBER", "just worse than target"),
    (85.5, 90, B, REL5, "AMBER", "exactly at the 5% edge"),
    (85.4, 90, B, REL5, "RED", "past the edge"),
    (85.49, 90, B, REL5, "RED", "just past the edge"),
    (86.5, 90, B, REL5, "AMBER", "004's first row"),
    # Smaller is Better, target 90, 5% relative
    (85, 90, S, REL5, "GREEN", "better than target"),
    (90, 90, S, REL5, "GREEN", "on target"),
    (90.001, 90, S, REL5, "AMBER", "just worse"),
    (94.5, 90, S, REL5, "AMBER", "exactly at the 5% edge"),
    (94.6, 90, S, REL5, "RED", "past the edge"),
    # Absolute tolerance of 2 points, target 50
    (50, 50, B, ABS2, "GREEN", "on target"),
    (48, 50, B, ABS2, "AMBER", "exactly 2 points short"),
    (47.99, 50, B, ABS2, "RED", "more than 2 points short"),
    (52, 50, S, ABS2, "AMBER", "exactly 2 points over"),
    (52.01, 50, S, ABS2, "RED", "more than 2 points over"),
    (0.7, 0.8, B, Tolerance(ABSOLUTE, 0.1), "AMBER", "0.8-0.7 is 0.1000...09 in binary"),
    (0.1 + 0.2, 0.3, S, REL5, "GREEN", "0.1+0.2 is on target 0.3 despite binary rounding"),
    # Target 0: a relative tolerance is no tolerance, so any shortfall is RED
    (0, 0, B, REL5, "GREEN", "on a target of 0"),
    (0.5, 0, B, REL5, "GREEN", "above a target of 0"),
    (-0.001, 0, B, REL5, "RED", "any shortfall from 0 is RED"),
    (0.001, 0, S, REL5, "RED", "any excess over 0 is RED"),
    (0, 0, P, REL5, "GREEN", "Plan is Best on a target of 0"),
    (0.001, 0, P, REL5, "RED", "Plan is Best, off a target of 0"),
    (-0.001, 0, P, REL5, "RED", "Plan is Best, below a target of 0"),
    (-1, 0, B, Tolerance(ABSOLUTE, 1), "AMBER", "absolute tolerance still applies at 0"),
    (-1.01, 0, B, Tolerance(ABSOLUTE, 1), "RED", "past an absolute tolerance at 0"),
    # Negative values and targets (Progress 8): tolerance is 5% of the target's size (0.01)
    (-0.2, -0.2, B, REL5, "GREEN", "on a negative target"),
    (-0.1, -0.2, B, REL5, "GREEN", "above a negative target"),
    (-0.21, -0.2, B, REL5, "AMBER", "at the edge below a negative target"),
    (-0.22, -0.2, B, REL5, "RED", "past the edge below a negative target"),
    (-0.3, -0.2, S, REL5, "GREEN", "Smaller is Better, below a negative target"),
    (-0.19, -0.2, S, REL5, "AMBER", "Smaller is Better, at the edge above a negative target"),
    (-0.18, -0.2, S, REL5, "RED", "Smaller is Better, past the edge"),
    (-0.1, 0.1, B, REL5, "RED", "negative actual, positive target"),
    (0.5, -0.5, B, REL5, "GREEN", "positive actual, negative target"),
    # Plan is Best, target 100, 5% relative: GREEN within 5, AMBER within 10, RED beyond
    (100, 100, P, REL5, "GREEN", "on target"),
    (105, 100, P, REL5, "GREEN", "above, at 1x tolerance"),
    (95, 100, P, REL5, "GREEN", "below, at 1x tolerance"),
    (105.01, 100, P, REL5, "AMBER", "above, just past 1x"),
    (94.99, 100, P, REL5, "AMBER", "below, just past 1x"),
    (110, 100, P, REL5, "AMBER", "above, at 2x tolerance"),
    (90, 100, P, REL5, "AMBER", "below, at 2x tolerance"),
    (110.01, 100, P, REL5, "RED", "above, past 2x"),
    (89.99, 100, P, REL5, "RED", "below, past 2x"),
    # Plan is Best, absolute 2 around 10
    (12, 10, P, ABS2, "GREEN", "above, at 1x"),
    (8, 10, P, ABS2, "GREEN", "below, at 1x"),
    (14, 10, P, ABS2, "AMBER", "above, at 2x"),
    (6, 10, P, ABS2, "AMBER", "below, at 2x"),
    (14.01, 10, P, ABS2, "RED", "above, past 2x"),
    (5.99, 10, P, ABS2, "RED", "below, past 2x"),
    # Plan is Best where binary rounding lands just past an edge (naive comparisons would fail)
    (0.7, 0.8, P, Tolerance(ABSOLUTE, 0.1), "GREEN", "plan: 0.8-0.7 is 0.1000...09, at 1x"),
    (0.6, 0.8, P, Tolerance(ABSOLUTE, 0.1), "AMBER", "plan: 0.8-0.6 is 0.2000...07, at 2x"),
    (0.59, 0.8, P, Tolerance(ABSOLUTE, 0.1), "RED", "plan: past 2x"),
    # Plan is Best around a negative target: -1 with 10% (0.1)
    (-1.1, -1, P, Tolerance(RELATIVE, 10), "GREEN", "negative, at 1x below"),
    (-0.8, -1, P, Tolerance(RELATIVE, 10), "AMBER", "negative, at 2x above"),
    (-1.21, -1, P, Tolerance(RELATIVE, 10), "RED", "negative, past 2x below"),
    # Zero tolerance: any shortfall is RED, any miss of a plan is RED
    (89.999, 90, B, ZERO, "RED", "no tolerance"),
    (90, 90, B, ZERO, "GREEN", "no tolerance, on target"),
    (100.001, 100, P, ZERO, "RED", "no tolerance, plan missed"),
    # Text cells follow the percentage rule
    ("86.5%", "90.0%", B, REL5, "AMBER", "per-cent text is on the 0-100 scale"),
    ("85.4%", 90, B, REL5, "RED", "per-cent text against a number"),
    (0.865, 90, B, REL5, "RED", "a bare fraction is 0.865%, not 86.5%"),
    ("2,157", "1,375", S, REL5, "RED", "thousands separators"),
    # Polarity spellings
    (95, 90, "High", REL5, "GREEN", "spelling High"),
    (95, 90, "RAG - Low is good", REL5, "RED", "spelling RAG - Low is good"),
    (95, 90, "plan", REL5, "AMBER", "spelling plan"),
]


@pytest.mark.parametrize(("actual", "target", "polarity", "tolerance", "expected", "why"),
                         TRUTH_TABLE, ids=[row[-1] for row in TRUTH_TABLE])
def test_truth_table(actual, target, polarity, tolerance, expected, why):
    """Each boundary gives the documented status, with no reason attached."""
    result = rag(actual, target, polarity, tolerance)
    assert result.status.value == expected, why
    assert result.reason == ""
    assert rag_status(actual, target, polarity, tolerance) == expected


def test_truth_table_vectorised():
    """rag_vectorised gives the truth table's answers when handed all rows at once."""
    actuals, targets, polarities, tolerances, expected, _ = zip(*TRUTH_TABLE, strict=True)
    result = rag_vectorised(
        np.array(actuals, dtype=object), np.array(targets, dtype=object),
        np.array([str(p) for p in polarities], dtype=object),
        [t.kind for t in tolerances], [t.amount for t in tolerances],
    )
    assert result.dtype == object
    assert list(result) == list(expected)


def test_default_tolerance_is_five_percent_relative():
    """With no tolerance given, 5% relative applies (85.5 vs 90 AMBER, 85.4 RED)."""
    assert rag_status(85.5, 90, B) == "AMBER"
    assert rag_status(85.4, 90, B) == "RED"
    assert list(rag_vectorised([85.5, 85.4], 90, "Bigger is Better")) == ["AMBER", "RED"]


# (actual, target, polarity, reason, 004 label)
NO_STATUS_TABLE = [
    (None, 90, B, "no value (blank)", "No Value"),
    ("", 90, B, "no value (blank)", "No Value"),
    (math.nan, 90, B, "no value (blank)", "No Value"),
    ("[x]", 90, B, "no value ([x])", "No Value"),
    ("[z]", 90, S, "no value ([z])", "No Value"),
    ("n/a", 90, B, "no value (n/a)", "No Value"),
    ("tbc", 90, B, "no value (tbc)", "No Value"),
    ("-", 90, P, "no value (-)", "No Value"),
    ("#N/A", 90, B, "no value (#N/A)", "No Value"),
    ("#DIV/0!", 90, B, "no value (#DIV/0!)", "No Value"),
    ("[c]", 90, B, "value suppressed ([c])", "No information"),
    ("[low]", 90, B, "value suppressed ([low])", "No information"),
    ("[u]", 90, B, "value suppressed ([u])", "No information"),
    ("12.3 [u]", 90, B, "value suppressed ([u])", "No information"),
    ("*", 90, B, "value suppressed (*)", "No information"),
    (86.5, None, B, "no target (blank)", "Missing Target"),
    (86.5, "", B, "no target (blank)", "Missing Target"),
    (86.5, "tbc", B, "no target (tbc)", "Missing Target"),
    (86.5, "[x]", P, "no target ([x])", "Missing Target"),
    (86.5, "#REF!", S, "no target (#REF!)", "Missing Target"),
    (None, None, B, "no value (blank)", "No Value"),
    (86.5, 90, N, "no polarity", "No information"),
    (86.5, 90, None, "no polarity", "No information"),
    (86.5, 90, "Context", "no polarity", "No information"),
    (None, None, "", "no polarity", "No information"),
]


@pytest.mark.parametrize(("actual", "target", "polarity", "reason", "label"), NO_STATUS_TABLE)
def test_no_status_reasons(actual, target, polarity, reason, label):
    """Missing, suppressed, no target or no polarity: NO STATUS with the right reason and label."""
    result = rag(actual, target, polarity)
    assert result.status is Status.NO_STATUS
    assert result.reason == reason
    assert result.label == label
    assert result.symbol == "–"
    assert str(result) == "NO STATUS"


def test_no_status_vectorised():
    """rag_vectorised gives NO STATUS for the same rows."""
    actuals, targets, polarities, _, _ = zip(*NO_STATUS_TABLE, strict=True)
    result = rag_vectorised(np.array(actuals, dtype=object), np.array(targets, dtype=object),
                            np.array(polarities, dtype=object))
    assert set(result) == {"NO STATUS"}


def test_symbols_and_labels_match_004():
    """004's key: ★ better than target, ● worse than target, ▲ significantly worse."""
    assert rag(95, 90, B).symbol == "★" and rag(95, 90, B).label == "Better than target"
    assert rag(88, 90, B).symbol == "●" and rag(88, 90, B).label == "Worse than target"
    assert rag(80, 90, B).symbol == "▲"
    assert rag(80, 90, B).label == "Significantly worse than target"
    assert SYMBOLS[Status.NO_STATUS] == ("–", "No information")
    assert RagResult(Status.GREEN).label == "Better than target"


@pytest.mark.parametrize(
    ("kind", "amount"),
    [("rel", 5), ("percent", 5), (RELATIVE, -1), (RELATIVE, math.nan), (ABSOLUTE, math.inf),
     (RELATIVE, True), (RELATIVE, "5"), (ABSOLUTE, None)],
)
def test_bad_tolerance_is_refused(kind, amount):
    """A tolerance kind other than relative/absolute, or an amount not a number >= 0, raises."""
    with pytest.raises(ScorecardError):
        Tolerance(kind, amount)


def test_tolerance_allowance():
    """Relative allowance is a per cent of the target's size; absolute is the amount itself."""
    assert Tolerance(RELATIVE, 5).allowance(90) == pytest.approx(4.5)
    assert Tolerance(RELATIVE, 5).allowance(-0.2) == pytest.approx(0.01)
    assert Tolerance(RELATIVE, 5).allowance(0) == 0
    assert Tolerance(ABSOLUTE, 2).allowance(-1000) == 2
    assert edge_allowance(0.5) == 1e-9 and edge_allowance(-2000) == pytest.approx(2e-6)


def test_rounding_slack_is_tiny():
    """The binary-rounding slack (1e-9 x max(1, |target|)) never absorbs a real difference."""
    assert rag_status(90 - 1e-6, 90, B, ZERO) == "RED"
    assert rag_status(1e6 - 0.01, 1e6, B, ZERO) == "RED"


@pytest.mark.parametrize("bad", ["Biggest", "good"])
def test_unknown_polarity_raises(bad):
    """rag refuses an unknown polarity rather than guessing."""
    with pytest.raises(ScorecardError, match="unknown polarity"):
        rag(1, 2, bad)
    with pytest.raises(ScorecardError, match="unknown polarity"):
        rag_vectorised([1, 2], [2, 2], ["high", bad])


def test_junk_values_raise():
    """Junk actuals raise (they are not quietly NO STATUS)."""
    with pytest.raises(ScorecardError):
        rag("abc", 90, B)
    with pytest.raises(ScorecardError):
        rag(True, 90, B)
    with pytest.raises(ScorecardError, match="row 2"):
        rag_vectorised(["1", "abc"], 90, B)


def test_vectorised_broadcasting_and_shapes():
    """Scalars broadcast like numpy; a 2-D input gives a 2-D answer; all-scalar gives 0-d."""
    grid = rag_vectorised(np.array([[1, 2], [3, 4]]), 2, ["low", "plan"], ABSOLUTE, 1)
    assert grid.shape == (2, 2)
    assert grid.tolist() == [["GREEN", "GREEN"], ["AMBER", "AMBER"]]
    single = rag_vectorised(85.5, 90, "Bigger is Better")
    assert single.shape == () and single.item() == "AMBER"
    mixed = rag_vectorised([85.5, 85.5], 90, B, [RELATIVE, ABSOLUTE], [5, 4])
    assert mixed.tolist() == ["AMBER", "RED"]


def test_vectorised_accepts_pandas():
    """pandas Series (object text and floats with NaN) give the same answers as lists."""
    import pandas as pd  # a dependency of scorecard.rag itself: never skipped
    frame = pd.DataFrame({
        "actual": ["86.5%", "[c]", None, "95"],
        "target": [90.0, 90.0, 90.0, float("nan")],
        "polarity": ["Bigger is Better", "Smaller is Better", "Plan is Best", "high"],
    })
    result = rag_vectorised(frame["actual"], frame["target"], frame["polarity"])
    assert result.tolist() == ["AMBER", "NO STATUS", "NO STATUS", "NO STATUS"]


@pytest.mark.parametrize(
    ("kinds", "amounts", "message"),
    [("rel", 5, "tolerance kind 'rel'"), ([RELATIVE, "pts"], 5, "tolerance kind 'pts'"),
     (RELATIVE, -1, "0 or more"), (RELATIVE, [5, math.nan], "0 or more")],
)
def test_vectorised_bad_tolerance_raises(kinds, amounts, message):
    """rag_vectorised refuses unknown tolerance kinds and negative or non-finite amounts."""
    with pytest.raises(ScorecardError, match=message):
        rag_vectorised([1, 2], [2, 2], B, kinds, amounts)


def test_vectorised_when_every_row_holds_its_own_string_object():
    """Polarities read row by row are often distinct string objects with equal text: grouping by
    value (past the identity shortcut) gives the same answers as the scalar rule."""
    count = 3000  # more distinct objects than the identity shortcut takes
    spellings = ["High", "Low", "Plan is Best", "", "RAG - Low is good"]
    polarities = np.array(["".join(list(spellings[i % 5])) for i in range(count)], dtype=object)
    actuals = np.linspace(80, 100, count)
    expected = [rag_status(a, 90.0, p) for a, p in zip(actuals, polarities, strict=True)]
    assert rag_vectorised(actuals, 90.0, polarities).tolist() == expected


def test_vectorised_unknown_polarity_in_many_objects_is_an_error():
    """An unknown spelling among many distinct objects is still refused, not defaulted."""
    polarities = np.array(["".join(list("High")) for _ in range(2000)] + ["sideways"], dtype=object)
    with pytest.raises(ScorecardError, match="sideways"):
        rag_vectorised(np.ones(2001), 1.0, polarities)

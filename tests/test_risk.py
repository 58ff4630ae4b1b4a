"""Risk rating: 004's 5x5 matrix, its levels, and refusal of bad input."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard.errors import ScorecardError
from scorecard.risk import (
    DEFAULT_BANDS,
    IMPACTS,
    LIKELIHOODS,
    risk_change,
    risk_level,
    risk_rating,
    risk_score,
)

# Copied by hand from seed 004's risk matrix (shared/seeds/004_*.txt, "Risk Impact/Consequence"):
# rows are likelihood Highly Likely (5) down to Remote (1); columns impact 1 (Insignificant)
# to 5 (Critical).
MATRIX_004 = {
    5: [5, 10, 15, 20, 25],
    4: [4, 8, 12, 16, 20],
    3: [3, 6, 9, 12, 15],
    2: [2, 4, 6, 8, 10],
    1: [1, 2, 3, 4, 5],
}

# 004's "Level of Risk": Low 1 - 6, Moderate 7 - 12, High 13 - 25.
LEVELS_004 = {**dict.fromkeys(range(1, 7), "Low"), **dict.fromkeys(range(7, 13), "Moderate"),
              **dict.fromkeys(range(13, 26), "High")}


@pytest.mark.parametrize("likelihood", [5, 4, 3, 2, 1])
@pytest.mark.parametrize("impact", [1, 2, 3, 4, 5])
def test_all_25_cells_equal_004(impact, likelihood):
    """Every cell of the matrix equals 004's, and its level is 004's level for that score."""
    expected = MATRIX_004[likelihood][impact - 1]
    assert risk_score(impact, likelihood) == expected
    assert risk_rating(impact, likelihood) == (expected, LEVELS_004[expected])


@pytest.mark.parametrize(
    ("score", "level"),
    [(1, "Low"), (6, "Low"), (7, "Moderate"), (12, "Moderate"), (13, "High"), (25, "High")],
)
def test_level_boundaries(score, level):
    """Band edges: 6 is Low, 7 Moderate, 12 Moderate, 13 High."""
    assert risk_level(score) == level


def test_every_score_level():
    """Every score 1-25 has 004's level (including scores no cell produces, like 7)."""
    assert {score: risk_level(score) for score in range(1, 26)} == LEVELS_004


def test_labels_match_004():
    """Impact and likelihood names are 004's."""
    assert IMPACTS == {1: "Insignificant", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Critical"}
    assert LIKELIHOODS == {1: "Remote", 2: "Unlikely", 3: "Possible", 4: "Likely",
                           5: "Highly Likely"}


@pytest.mark.parametrize(
    "value",
    [0, 6, -1, 2.5, "2.5", "x", "", None, True, False, np.True_, float("nan"), float("inf"),
     [3]],
)
def test_bad_axis_values_raise(value):
    """Out-of-range, non-integer, boolean and non-numeric impacts and likelihoods raise."""
    with pytest.raises(ScorecardError):
        risk_score(value, 3)
    with pytest.raises(ScorecardError):
        risk_score(3, value)


@pytest.mark.parametrize("value", [3, 3.0, "3", " 3 ", np.int64(3), np.float64(3.0)])
def test_whole_number_forms_accepted(value):
    """A whole number given as int, float, text or numpy scalar is accepted."""
    assert risk_score(value, 2) == 6


@pytest.mark.parametrize("text", ["0_5", "\u0663", "\uff13", "\uff14 ", "1_0"])
def test_text_python_reads_but_the_number_grammar_does_not_is_refused(text):
    """Risk ratings typed as text are read by the characters of numbers only (digits 0-9, sign, point, exponent),
    as the RISK_SCORE LAMBDA name reads them: '0_5' is not 5, nor the Arabic-Indic or full-width 3 a 3 (bug:
    float() read them so, as it once read '1_0' as a tolerance of 10)."""
    with pytest.raises(ScorecardError, match="must be a whole number"):
        risk_score(text, 1)
    with pytest.raises(ScorecardError, match="must be a whole number"):
        risk_level(text)


@pytest.mark.parametrize("score", [0, 26, 6.5, True, "high", None])
def test_bad_scores_raise(score):
    """risk_level refuses scores outside 1-25, fractions and booleans."""
    with pytest.raises(ScorecardError):
        risk_level(score)


def test_configurable_bands():
    """Bands given as (lowest score, level) pairs are used; bad band lists raise."""
    bands = ((1, "Green"), (5, "Amber"), (15, "Red"))
    assert [risk_level(s, bands) for s in (4, 5, 14, 15)] == ["Green", "Amber", "Amber", "Red"]
    assert DEFAULT_BANDS == ((1, "Low"), (7, "Moderate"), (13, "High"))
    for bad in ((), ((2, "Low"),), ((1, "Low"), (7, "Mid"), (5, "High")), ((1, "L"), (30, "H"))):
        with pytest.raises(ScorecardError):
            risk_level(5, bad)


@pytest.mark.parametrize(("score", "previous", "change"), [
    (16, 20, "Decreasing"), (20, 16, "Increasing"), (12, 12, "No change"), (12, None, ""),
])
def test_risk_change_against_previous_score(score, previous, change):
    """004's risk symbols in words: up is Increasing, down Decreasing, equal No change."""
    assert risk_change(score, previous) == change

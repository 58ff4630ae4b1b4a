"""Polarity: the spellings accepted, the error for others, and the mirror."""

from __future__ import annotations

import pytest

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, accepted_spellings, parse_polarity

B, S, P, N = Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN, Polarity.NONE


@pytest.mark.parametrize(
    ("spelling", "polarity"),
    [
        ("Bigger is Better", B), ("bigger is better", B), ("BIGGER IS BETTER", B),
        ("BiggerIsBetter", B), ("High", B), ("Higher is better", B), ("RAG - High is good", B),
        ("rag high is good", B), ("Up", B), ("BOB", B), ("+", B), (" + ", B), ("HIB", B),
        ("Smaller is Better", S), ("Low", S), ("Lower is better", S), ("RAG - Low is good", S),
        ("Down", S), ("-", S), ("LIB", S), ("minimise", S),
        ("Plan is Best", P), ("Plan is best", P), ("plan", P), ("On target", P), ("PIB", P),
        ("Within range", P),
        ("", N), ("   ", N), (None, N), ("None", N), ("No polarity", N), ("Context", N),
        ("n/a", N), ("[z]", N), ("not RAG rated", N),
        (Polarity.BIGGER, B), (Polarity.NONE, N),
    ],
)
def test_spellings(spelling, polarity):
    """Council and LAIT spellings, in any case and spacing, mean the right polarity."""
    assert parse_polarity(spelling) is polarity


def test_every_listed_spelling_parses_to_its_polarity():
    """Each spelling in accepted_spellings() parses back to the polarity it is listed under."""
    for name, spellings in accepted_spellings().items():
        for spelling in spellings:
            assert parse_polarity(spelling).value == name, spelling


@pytest.mark.parametrize("spelling", ["Biggest", "good", "high-ish", "yes", "better"])
def test_unknown_spelling_error_lists_accepted(spelling):
    """An unknown spelling raises, quoting it and listing the accepted ones."""
    with pytest.raises(ScorecardError) as caught:
        parse_polarity(spelling)
    message = str(caught.value)
    assert repr(spelling) in message
    for listed in ("'Bigger is Better'", "'Smaller is Better'", "'Plan is Best'", "'None'"):
        assert listed in message


@pytest.mark.parametrize("value", [1, 1.0, True, ["high"]])
def test_non_text_is_refused(value):
    """A polarity that is not text (or None) raises with the accepted list."""
    with pytest.raises(ScorecardError, match="polarity must be text.*accepted"):
        parse_polarity(value)


def test_mirror_and_judged():
    """Bigger and Smaller mirror each other; Plan and None are their own mirror."""
    assert B.mirrored() is S and S.mirrored() is B
    assert P.mirrored() is P and N.mirrored() is N
    assert [p.is_judged for p in (B, S, P, N)] == [True, True, True, False]
    assert str(P) == "Plan is Best"


def test_nan_polarity_from_pandas_blank_cell_is_no_polarity():
    """A blank polarity cell read by pandas arrives as NaN: no polarity, as a blank does."""
    assert parse_polarity(float("nan")) is Polarity.NONE

"""The validation report's "What to type instead" column (hub.rounds.advice) against the
library's own list of problem codes (generator.collection.problems.PROBLEM_CODES), so a code
the reader learns to record cannot reach an authority with no advice."""

from __future__ import annotations

from generator.collection.problems import PROBLEM_CODES
from hub.rounds.advice import _FIXED, what_to_type

FALLBACK = what_to_type({"code": "no-such-code"}, None)


def test_every_problem_code_has_its_own_advice():
    """Each code the reader can record gets advice of its own, not the fallback."""
    missing = [code for code in PROBLEM_CODES
               if what_to_type({"code": code, "field": "value"}, "percentage") == FALLBACK]
    assert missing == []


def test_advice_names_only_codes_the_library_records():
    """A code renamed or dropped in the library leaves no stale advice behind."""
    assert set(_FIXED) - set(PROBLEM_CODES) == set()

"""Polarity: which direction of a measure is good.

Four polarities: Bigger is Better, Smaller is Better, Plan is Best (on target is best,
above or below is worse) and no polarity (context measures and counts that are not judged).
`parse_polarity` accepts the spellings found in council scorecards and LAIT.
"""

from __future__ import annotations

import enum
import re

from scorecard.errors import ScorecardError


class Polarity(str, enum.Enum):
    """The four polarities; members compare equal to their canonical names."""

    BIGGER = "Bigger is Better"
    SMALLER = "Smaller is Better"
    PLAN = "Plan is Best"
    NONE = "No polarity"

    def __str__(self) -> str:
        return self.value

    @property
    def is_judged(self) -> bool:
        """True when a value can be better or worse than a target."""
        return self is not Polarity.NONE

    def mirrored(self) -> Polarity:
        """Bigger <-> Smaller; Plan and None are their own mirror."""
        return _MIRROR.get(self, self)


_MIRROR = {Polarity.BIGGER: Polarity.SMALLER, Polarity.SMALLER: Polarity.BIGGER}

# Keys are compared after lower-casing and squeezing everything that is not a letter or digit.
_SPELLINGS: dict[Polarity, tuple[str, ...]] = {
    Polarity.BIGGER: (
        "bigger is better", "biggerisbetter", "bib", "big", "bigger", "high", "higher",
        "high is good", "higher is better", "high is better", "rag high is good",
        "rag - high is good", "larger is better", "more is better", "up", "increase",
        "increase is good", "max", "maximise", "maximize", "+", "positive", "hib",
        "bob",  # "bigger or better", as some council systems abbreviate it
    ),
    Polarity.SMALLER: (
        "smaller is better", "smallerisbetter", "sib", "small", "smaller", "low", "lower",
        "low is good", "lower is better", "low is better", "rag low is good",
        "rag - low is good", "less is better", "down", "decrease", "decrease is good",
        "min", "minimise", "minimize", "-", "negative", "lib",
    ),
    Polarity.PLAN: (
        "plan is best", "planisbest", "pib", "plan", "on target", "target is best",
        "in line with plan", "band", "within range", "neutral target", "on plan",
    ),
    Polarity.NONE: (
        "", "none", "no polarity", "n/a", "na", "context", "not applicable", "no rag",
        "not rag rated", "[z]",
    ),
}


def _key(text: str) -> str:
    if text.strip() in {"+", "-"}:
        return text.strip()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_LOOKUP: dict[str, Polarity] = {
    _key(spelling): polarity for polarity, spellings in _SPELLINGS.items() for spelling in spellings
}


def accepted_spellings() -> dict[str, tuple[str, ...]]:
    """Every accepted spelling, by canonical polarity name (for error messages and docs)."""
    return {polarity.value: spellings for polarity, spellings in _SPELLINGS.items()}


def parse_polarity(value: object) -> Polarity:
    """Return the Polarity a user's spelling means; raise ScorecardError for anything else.

    None and the empty string mean no polarity (a context measure).
    """
    if isinstance(value, Polarity):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return Polarity.NONE  # a blank cell, as Excel (None) or pandas (NaN) gives it
    if not isinstance(value, str):
        raise ScorecardError(f"polarity must be text, got {value!r}; {_accepted_summary()}")
    polarity = _LOOKUP.get(_key(value))
    if polarity is None:
        raise ScorecardError(f"unknown polarity {value!r}; {_accepted_summary()}")
    return polarity


def _accepted_summary() -> str:
    return (
        "accepted: 'Bigger is Better' (or High, Higher is better, Up, BOB, RAG - High is good), "
        "'Smaller is Better' (or Low, Lower is better, Down, RAG - Low is good), "
        "'Plan is Best' (or Plan, On target), or blank/'None'/'Context' for no polarity"
    )

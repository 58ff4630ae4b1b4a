"""Direction of travel: polarity-aware words, the no-change threshold, Plan is Best, arrows."""

from __future__ import annotations

import pytest

from scorecard.direction import DOWN, LEVEL, UP, Direction, direction, direction_arrow
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity

B, S, P, N = Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN, Polarity.NONE
IMP, DEC, SAME, NC = (Direction.IMPROVING, Direction.DECLINING, Direction.NO_CHANGE,
                      Direction.NOT_COMPARABLE)

# (current, previous, polarity, threshold, target, expected, why)
TABLE = [
    (11, 10, B, 0, None, IMP, "rise, bigger is better"),
    (9, 10, B, 0, None, DEC, "fall, bigger is better"),
    (10, 10, B, 0, None, SAME, "no movement"),
    (9, 10, S, 0, None, IMP, "fall, smaller is better"),
    (11, 10, S, 0, None, DEC, "rise, smaller is better"),
    (10.5, 10, B, 0.5, None, SAME, "rise exactly at the threshold is no change"),
    (10.6, 10, B, 0.5, None, IMP, "rise past the threshold"),
    (9.5, 10, B, 0.5, None, SAME, "fall exactly at the threshold"),
    (9.4, 10, B, 0.5, None, DEC, "fall past the threshold"),
    (9.4, 10, S, 0.5, None, IMP, "fall past the threshold, smaller is better"),
    (0.1 + 0.2, 0.3, B, 0, None, SAME, "binary rounding is not a change"),
    (-0.1, -0.2, B, 0, None, IMP, "Progress 8 rising from -0.2 to -0.1"),
    (-0.3, -0.2, S, 0, None, IMP, "negative, smaller is better"),
    ("86.5%", "89.6%", B, 0, None, DEC, "004 row 1, Dec-23 to Mar-24"),
    ("19.8%", "18.3%", S, 0, None, DEC, "004 re-referrals, Dec-23 to Mar-24"),
    ("2,157", "2,788", S, 0, None, IMP, "004 suspensions fell"),
    # Plan is Best: closer to target is improving
    (95, 90, P, 0, 100, IMP, "plan: closer from below"),
    (105, 110, P, 0, 100, IMP, "plan: closer from above"),
    (110, 105, P, 0, 100, DEC, "plan: further above"),
    (85, 90, P, 0, 100, DEC, "plan: further below"),
    (110, 90, P, 0, 100, SAME, "plan: crossed to the same distance"),
    (102, 97, P, 0, 100, IMP, "plan: crossed and closer"),
    (101, 100, P, 1, 100, SAME, "plan: moved away by exactly the threshold"),
    (102, 100, P, 1, 100, DEC, "plan: moved away past the threshold"),
    (95, 90, P, 0, None, NC, "plan with no target"),
    (95, 90, P, 0, "tbc", NC, "plan with a missing target"),
    # Not comparable
    (11, 10, N, 0, None, NC, "no polarity"),
    (11, 10, "Context", 0, None, NC, "context measure"),
    (None, 10, B, 0, None, NC, "no current value"),
    (11, "", B, 0, None, NC, "no previous value"),
    ("[c]", 10, B, 0, None, NC, "suppressed current value"),
    (11, "#N/A", S, 0, None, NC, "Excel error previous value"),
]


@pytest.mark.parametrize(("current", "previous", "polarity", "threshold", "target", "expected",
                          "why"), TABLE, ids=[row[-1] for row in TABLE])
def test_direction_table(current, previous, polarity, threshold, target, expected, why):
    """Direction gives the documented word at each threshold and for each polarity."""
    assert direction(current, previous, polarity, threshold, target) is expected, why


# (current, previous, threshold, arrow)
ARROWS = [
    (11, 10, 0, UP), (9, 10, 0, DOWN), (10, 10, 0, LEVEL), ("86.5%", "89.6%", 0, DOWN),
    (10.5, 10, 0.5, LEVEL), (10.6, 10, 0.5, UP), (9.5, 10, 0.5, LEVEL), (9.4, 10, 0.5, DOWN),
    (0.1 + 0.2, 0.3, 0, LEVEL), (None, 10, 0, ""), (10, "[c]", 0, ""), ("n/a", "n/a", 0, ""),
]


@pytest.mark.parametrize(("current", "previous", "threshold", "arrow"), ARROWS)
def test_arrows(current, previous, threshold, arrow):
    """The arrow shows which way the value moved (→ within the threshold, '' when missing)."""
    assert direction_arrow(current, previous, threshold) == arrow


def test_arrow_ignores_polarity_but_word_does_not():
    """A rise in a Smaller is Better measure shows ↑ but is Declining."""
    assert direction_arrow(11, 10) == "↑"
    assert direction(11, 10, S) is Direction.DECLINING
    assert {UP, DOWN, LEVEL} == {"↑", "↓", "→"}


def test_direction_refuses_junk():
    """Unknown polarities and junk values raise rather than giving a direction."""
    with pytest.raises(ScorecardError):
        direction(1, 2, "sideways")
    with pytest.raises(ScorecardError):
        direction("abc", 2, B)
    with pytest.raises(ScorecardError):
        direction_arrow(True, 2)


@pytest.mark.parametrize("threshold", [-1, float("nan"), float("inf"), True, "1"])
def test_nonsense_threshold_is_refused(threshold):
    """A negative, NaN, infinite, boolean or text threshold is an error, not a different answer."""
    with pytest.raises(ScorecardError, match="threshold"):
        direction(5, 5, "High", threshold)
    with pytest.raises(ScorecardError, match="threshold"):
        direction_arrow(5, 5, threshold)

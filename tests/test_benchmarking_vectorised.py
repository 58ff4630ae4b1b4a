"""bands_and_ranks: many comparison sets at once, giving exactly the scalar rules' answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import comparison_rows, rounded_numbers

from scorecard.benchmarking import ComparisonSet, bands_and_ranks, quartile_bands, quartiles, ranks
from scorecard.errors import ScorecardError


def _by_group(rows):
    groups: dict[int, list[tuple[int, float | None, str]]] = {}
    for index, (value, group, _) in enumerate(rows):
        groups.setdefault(group, []).append((index, value))
    return groups


@settings(max_examples=300)
@given(comparison_rows)
def test_vectorised_equals_scalar_in_every_group(rows):
    """Each group's bands, ranks and counts from bands_and_ranks are exactly quartile_bands and
    ranks applied to that group alone (one polarity per group, the group's first)."""
    polarity_of = {}
    for _, group, polarity in rows:
        polarity_of.setdefault(group, polarity)
    values = [math.nan if value is None else value for value, _, _ in rows]
    groups = [group for _, group, _ in rows]
    polarities = [polarity_of[group] for group in groups]
    bands, ranked, counts = bands_and_ranks(values, groups, polarities)
    for group, members in _by_group(rows).items():
        indexes = [index for index, _ in members]
        group_values = [value for _, value in members]
        assert [bands[i] for i in indexes] == quartile_bands(group_values, polarity_of[group])
        expected = ranks(group_values, polarity_of[group])
        assert [None if math.isnan(ranked[i]) else int(ranked[i]) for i in indexes] == expected
        present = sum(value is not None for value in group_values)
        assert all(counts[i] == (present if group_values[k] is not None else 0)
                   for k, i in enumerate(indexes))


@given(st.lists(rounded_numbers, min_size=1, max_size=40))
def test_scalar_set_uses_the_same_quartiles(values):
    """ComparisonSet's quartiles are the vectorised routine's (R type 7), so a value on a cut
    gets the same band from both paths."""
    cuts = quartiles(values)
    for cut in cuts:
        for polarity in ("High", "Low"):
            scalar = ComparisonSet(values + [cut]).band(cut, polarity)
            vector = bands_and_ranks(values + [cut], 0, polarity)[0][-1]
            assert scalar == vector


def test_r_interpolation_lands_on_r_quartiles():
    """Quartiles are R's (1 - h) x[lo] + h x[hi]. For 0.12, 0.33, 0.86, 0.99 R's lower quartile is
    0.27749999999999997 where numpy's percentile gives 0.2775: so an authority at 0.2775 is above
    LAIT's Q1 (band B for Smaller is Better), not on it (band A)."""
    values = [0.12, 0.33, 0.86, 0.99]
    q1 = quartiles(values)[0]
    assert q1 == (1 - 0.75) * 0.12 + 0.75 * 0.33 == 0.27749999999999997
    assert np.percentile(values, 25) == 0.2775  # the rounding we do not follow
    assert ComparisonSet(values).band(0.2775, "Low") == "B"
    assert bands_and_ranks([*values, 0.2775], [0, 0, 0, 0, 1], "Low")[0][-1] == "A"  # alone in its set
    assert bands_and_ranks(values, 0, "Low")[0].tolist() == ["A", "B", "C", "D"]


def test_no_band_flag_keeps_the_rank():
    """banded=False (LAIT's No_Quartile) gives no band but still the rank, as LAIT shows."""
    bands, ranked, counts = bands_and_ranks([1.0, 2.0, 3.0], [7, 7, 7], "High", banded=[True, False, True])
    assert list(bands) == ["D", "-", "A"]
    assert list(ranked) == [3, 2, 1]
    assert list(counts) == [3, 3, 3]


def test_unjudged_and_missing_get_nothing():
    """No polarity or Plan is Best: no band and no rank; a missing value: nothing, count 0."""
    bands, ranked, counts = bands_and_ranks([1.0, np.nan, 3.0, 4.0], ["a", "a", "b", "b"],
                                            ["High", "High", "Plan", "Plan"])
    assert list(bands) == ["D", "-", "-", "-"]
    assert ranked[0] == 1 and all(np.isnan(ranked[1:]))
    assert list(counts) == [1, 0, 2, 2]


def test_mismatched_lengths_are_refused():
    """One label per value: a groups or polarities array of the wrong length is an error."""
    with pytest.raises(ScorecardError, match="group labels"):
        bands_and_ranks([1.0, 2.0], [1], "High")
    with pytest.raises(ScorecardError, match="polarities"):
        bands_and_ranks([1.0, 2.0], [1, 1], ["High"])

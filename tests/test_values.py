"""Reading values: numbers, the percentage rule, GSS shorthand, placeholders, Excel errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scorecard.errors import ScorecardError
from scorecard.values import BLANK, Missing, parse_value, parse_values


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        (86.5, 86.5),
        (86, 86.0),
        (np.float64(86.5), 86.5),
        (np.int64(3), 3.0),
        (-0.2, -0.2),
        ("86.5", 86.5),
        (" 12.5 ", 12.5),
        ("1,234", 1234.0),
        ("1,234,567.25", 1234567.25),
        ("-1,234", -1234.0),
        ("+3", 3.0),
        ("-0.2", -0.2),
        (".5", 0.5),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        ("2.5E-2", 0.025),
        ("0", 0.0),
    ],
)
def test_numbers_are_read_as_they_are(cell, number):
    """Numbers and number-text become that float, with commas and spaces ignored."""
    assert parse_value(cell) == number
    assert isinstance(parse_value(cell), float)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("86.5%", 86.5),
        ("86.5 %", 86.5),
        (" 86.5% ", 86.5),
        ("100%", 100.0),
        ("0%", 0.0),
        ("-5%", -5.0),
        (86.5, 86.5),
        (0.865, 0.865),  # a bare fraction is never rescaled: it means 0.865%
        ("0.865", 0.865),
    ],
)
def test_percentage_rule(cell, number):
    """The 0-100 rule: "86.5%" and 86.5 are both 86.5; 0.865 stays 0.865 (no guessing)."""
    assert parse_value(cell) == number


@pytest.mark.parametrize(
    ("cell", "code", "reason", "suppressed"),
    [
        ("[c]", "[c]", "confidential", True),
        ("[C]", "[c]", "confidential", True),
        (" [c] ", "[c]", "confidential", True),
        ("[x]", "[x]", "not available", False),
        ("[z]", "[z]", "not applicable", False),
        ("[u]", "[u]", "low reliability", True),
        ("[low]", "[low]", "rounds to zero", True),
        ("[LOW]", "[low]", "rounds to zero", True),
        ("12.3 [u]", "[u]", "low reliability", True),
        ("12.3%[c]", "[c]", "confidential", True),
        ("*", "*", "suppressed", True),
        ("n/a", "n/a", "not applicable", False),
        ("N/A", "n/a", "not applicable", False),
        ("NA", "na", "not applicable", False),
        ("n.a.", "n.a.", "not applicable", False),
        ("tbc", "tbc", "to be confirmed", False),
        ("TBA", "tba", "to be announced", False),
        ("-", "-", "no value", False),
        ("–", "–", "no value", False),
        ("—", "—", "no value", False),
        ("..", "..", "not available", False),
        ("nil", "nil", "no value", False),
        ("None", "none", "no value", False),
        ("Not available", "not available", "not available", False),
        ("no data", "no data", "not available", False),
        ("", "", "blank", False),
        ("   ", "", "blank", False),
        ("#N/A", "#N/A", "spreadsheet error #N/A", False),
        ("#n/a", "#N/A", "spreadsheet error #N/A", False),
        ("#DIV/0!", "#DIV/0!", "spreadsheet error #DIV/0!", False),
        ("#VALUE!", "#VALUE!", "spreadsheet error #VALUE!", False),
        ("#REF!", "#REF!", "spreadsheet error #REF!", False),
        ("#NAME?", "#NAME?", "spreadsheet error #NAME?", False),
        ("#NUM!", "#NUM!", "spreadsheet error #NUM!", False),
        ("#NULL!", "#NULL!", "spreadsheet error #NULL!", False),
        ("#SPILL!", "#SPILL!", "spreadsheet error #SPILL!", False),
    ],
)
def test_missing_codes(cell, code, reason, suppressed):
    """GSS shorthand, placeholders and Excel errors are Missing with the right code and reason."""
    value = parse_value(cell)
    assert value == Missing(code, reason)
    assert value.suppressed is suppressed


@pytest.mark.parametrize("cell", [None, math.nan, np.nan, np.float64("nan")])
def test_none_and_nan_are_blank(cell):
    """None and NaN (what pandas gives for an empty cell) are the blank Missing."""
    assert parse_value(cell) == BLANK
    assert str(BLANK) == "blank"


def test_missing_passes_through():
    """A Missing given to parse_value comes back unchanged."""
    value = Missing("[x]", "not available")
    assert parse_value(value) is value


@pytest.mark.parametrize(
    "cell",
    [True, False, np.True_, np.bool_(False), math.inf, -math.inf, "inf", "nan", "abc", "1,23",
     "12,34,567", "1.2.3", "5e", "e5", "+", "%", "86.5%%", "abc [u]", object(), [1], b"12"],
)
def test_junk_is_refused(cell):
    """Booleans, infinities and text that is neither a number nor a known code raise."""
    with pytest.raises(ScorecardError):
        parse_value(cell)


def test_junk_message_names_the_accepted_forms():
    """The error for junk text shows what was given and what to type instead."""
    with pytest.raises(ScorecardError, match=r"'abc' is not a number.*86\.5%.*\[c\]"):
        parse_value("abc")


def test_boolean_message():
    """TRUE is refused as a number, saying why."""
    with pytest.raises(ScorecardError, match="TRUE/FALSE"):
        parse_value(True)


def test_parse_values_numeric_fast_path_matches_element_path():
    """A float array (fast path) and the same values as text (element path) parse the same."""
    floats = np.array([1.5, np.nan, -2.0, 0.0])
    texts = np.array(["1.5", "", "-2", "0%"], dtype=object)
    fast_numbers, fast_missing = parse_values(floats)
    slow_numbers, slow_missing = parse_values(texts)
    np.testing.assert_array_equal(fast_numbers, slow_numbers)
    assert list(fast_missing) == [None, BLANK, None, None]
    assert list(slow_missing) == [None, BLANK, None, None]


def test_parse_values_mixed_cells_and_shape():
    """Mixed cells keep their shape; missing ones are NaN with their Missing beside them."""
    numbers, missing = parse_values([["86.5%", "[c]"], [None, 3]])
    assert numbers.shape == (2, 2)
    assert numbers[0, 0] == 86.5 and numbers[1, 1] == 3.0
    assert np.isnan(numbers[0, 1]) and np.isnan(numbers[1, 0])
    assert missing[0, 1] == Missing("[c]", "confidential")
    assert missing[1, 0] == BLANK
    assert missing[0, 0] is None


def test_parse_values_names_the_row_of_junk():
    """Junk in an array raises naming its (1-based) position."""
    with pytest.raises(ScorecardError, match="row 3"):
        parse_values(["1", "2", "junk"])
    with pytest.raises(ScorecardError, match="row 2"):
        parse_values(np.array([1.0, np.inf]))
    with pytest.raises(ScorecardError, match="row 1"):
        parse_values(np.array([True, False]))


@pytest.mark.parametrize("text", ["1 2", "١٢", "12 345"])
def test_text_with_inner_spaces_or_non_ascii_digits_is_refused_not_misread(text):
    """'1 2' or Arabic-Indic digits are refused rather than silently read as a different number."""
    with pytest.raises(ScorecardError):
        parse_value(text)


def test_pandas_missing_values_are_blank():
    """pd.NA and pd.NaT (nullable pandas columns) are blanks, like None."""
    import pandas as pd

    assert parse_value(pd.NA) == BLANK
    assert parse_value(pd.NaT) == BLANK


@pytest.mark.parametrize("text", ["1e400", "-1e400", "1e309%"])
def test_text_that_overflows_is_refused(text):
    """Text whose number overflows to infinity is refused, like the number inf itself."""
    with pytest.raises(ScorecardError, match="too large"):
        parse_value(text)


@pytest.mark.parametrize("cells", [[True, 5], [2.5, False], [[1, 2], [np.True_, 3]]])
def test_a_boolean_among_numbers_in_a_list_is_refused(cells):
    """numpy reads True as 1 where a list mixes it with numbers; parse_values still refuses it, and so do
    the rules that read many values at once (bug: [True, 5] was read as [1, 5])."""
    from scorecard.benchmarking import quartiles, ranks
    from scorecard.rag import rag_vectorised

    for read in (parse_values, quartiles, lambda v: ranks(v, "High"), lambda v: rag_vectorised(v, 90, "High")):
        with pytest.raises(ScorecardError, match="TRUE/FALSE"):
            read(cells)

"""The Excel functions, called the way Excel passes values: 2-D lists, None and '' for empty
cells, ints from Office.js, booleans, '12%' as text and error values."""

from __future__ import annotations

import pytest

from scorecard import rag as rag_rules
from scorecard.rates import percentage_ci
from scorecard.rates import rate_ci as core_rate_ci
from udfs import functions as f
from udfs.cells import ERROR_PREFIX


@pytest.fixture(autouse=True, scope="module")
def vectorised_path_for_every_size():
    """Every call in this module goes through the vectorised core, however small (udfs.columns answers calls
    of up to SMALL_CALL cells with the scalar rules), so the comparisons below test the vectorised path."""
    from udfs import columns

    saved, columns.SMALL_CALL = columns.SMALL_CALL, 0
    yield
    columns.SMALL_CALL = saved


def column(*values):
    return [[value] for value in values]


def test_rag_column_in_one_call_returns_same_shape():
    """A whole column goes in one call and comes back the same shape, one status per row."""
    result = f.rag(column(86.5, 85.5, 85.4, 95), 90, "Bigger is Better")
    assert result == column("AMBER", "AMBER", "RED", "GREEN")


def test_rag_empty_cells_and_shorthand_give_no_status_with_reason():
    """None and '' (empty cells), GSS shorthand and #N/A give NO STATUS, and RAG_REASON says why."""
    actuals = column(None, "", "[c]", "#N/A", "n/a")
    assert f.rag(actuals, 90, "High") == column(*["NO STATUS"] * 5)
    assert f.rag_reason(actuals, 90, "High") == column(
        "no value (blank)", "no value (blank)", "value suppressed ([c])",
        "no value (#N/A)", "no value (n/a)",
    )


def test_rag_accepts_office_js_ints_and_percent_text():
    """Whole numbers arrive as int from Office.js, '86.5%' as text: both are numbers on the 0-100 scale."""
    assert f.rag([[86, "86.5%"]], [[90, "90%"]], "High") == [["AMBER", "AMBER"]]


def test_rag_boolean_is_a_cell_error_not_a_number():
    """TRUE in an actual cell is shown as a short error in that cell; other cells still get statuses."""
    result = f.rag(column(True, 95), 90, "High")
    assert result[0][0].startswith(ERROR_PREFIX) and "TRUE/FALSE" in result[0][0]
    assert result[1][0] == "GREEN"


def test_rag_unknown_polarity_is_short_text_in_the_cell():
    """An unknown polarity gives '#ERR unknown polarity ...' in that cell, not a traceback."""
    result = f.rag([[80, 80]], [[90, 90]], [["High", "sideways"]])
    assert result[0][0] == "RED"
    assert result[0][1] == f"{ERROR_PREFIX}unknown polarity 'sideways'"


def test_rag_ranges_of_different_sizes_give_one_error_cell():
    """Mismatched ranges give one readable error, not an exception."""
    result = f.rag([[1, 2]], column(1, 2), "High")
    assert result == [[f"{ERROR_PREFIX}ranges are different sizes (1x2 and 2x1)"]]


def test_rag_tolerance_per_row_and_absolute_kind():
    """Tolerance and its kind can be given per row; blank tolerance means the default 5%."""
    result = f.rag(column(88, 88, 88), 90, "High", column(1, None, 2), column("absolute", "", "absolute"))
    assert result == column("RED", "AMBER", "AMBER")


def test_rag_udf_agrees_with_core_on_a_grid():
    """Every cell of a 2-D grid equals the core rule called directly."""
    actuals = [[80, 85.5, 90], [None, "[x]", 100]]
    targets = [[90, 90, 90], [90, 90, 0]]
    result = f.rag(actuals, targets, "Smaller is Better")
    expected = [
        [rag_rules.rag_status(a, t, "Smaller is Better") for a, t in zip(ra, rt, strict=True)]
        for ra, rt in zip(actuals, targets, strict=True)
    ]
    assert result == expected


def test_rag_symbol_matches_004_key():
    """Symbols follow 004's key: ★ better, ● worse, ▲ significantly worse, – none."""
    assert f.rag_symbol([[95, 88, 50, None]], 90, "High") == [["★", "●", "▲", "–"]]


def test_direction_and_arrow_over_a_range():
    """Direction is polarity-aware, the arrow shows the movement; missing gives Not comparable / ''."""
    current, previous = column(19.8, 18.3, 5, None), column(18.3, 19.8, 5, 3)
    assert f.direction(current, previous, "Smaller is Better") == column(
        "Declining", "Improving", "No change", "Not comparable"
    )
    assert f.direction_arrow(current, previous) == column("↑", "↓", "→", "")


def test_direction_plan_is_best_needs_target():
    """Plan is Best: closer to target is Improving; with no target, Not comparable."""
    assert f.direction([[6056]], [[5866]], "Plan is Best", None, 6000) == [["Improving"]]
    assert f.direction([[6056]], [[5866]], "Plan is Best") == [["Not comparable"]]


def test_rate_per_default_10000_and_blank_rows():
    """RATE_PER defaults to per 10,000; a blank numerator gives an empty cell."""
    assert f.rate_per(column(25, None), column(50000, 50000)) == column(5.0, "")
    assert f.rate_per(5, 1000, 1000) == [[5.0]]


def test_rate_ci_both_bounds_make_two_columns():
    """RATE_CI with bound 'both' turns a column into lower and upper columns equal to the core's."""
    result = f.rate_ci(column(5, 150), column(10000, 100000))
    assert result == [list(core_rate_ci(5, 10000)), list(core_rate_ci(150, 100000))]
    assert f.rate_ci(column(5), column(10000), None, 99.8, "upper") == [[core_rate_ci(5, 10000, level=99.8)[1]]]


def test_percent_ci_lower_and_bad_level():
    """PERCENT_CI gives Wilson limits; a level other than 95 or 99.8 is a cell error."""
    assert f.percent_ci(50, 100, None, "lower") == [[percentage_ci(50, 100)[0]]]
    assert f.percent_ci(50, 100, 90, "lower")[0][0].startswith(ERROR_PREFIX)


def test_quartile_band_and_rank_among_authorities():
    """Band and rank of each authority among a comparison range, polarity-aware."""
    everyone = [[10, 20, 20, 30, 40]]
    assert f.quartile_band(column(10, 40, "[c]"), everyone, "High") == column("D", "A", "-")
    assert f.polarity_rank(column(10, 20, 40, ""), everyone, "Low") == column(1, 2, 5, "")


def test_risk_score_and_level_spill_with_errors_in_place():
    """Risk score multiplies impact by likelihood; out-of-range input is an error in its own cell."""
    assert f.risk_score([[3, 6]], [[4, 4]]) == [[12, f"{ERROR_PREFIX}impact 6 is outside 1-5"]]
    assert f.risk_level([[6, 7, 12, 13, 25]]) == [["Low", "Moderate", "Moderate", "High", "High"]]
    assert f.risk_level([[6]], 5) == [["Moderate"]]


def test_error_value_in_a_polarity_cell_is_no_polarity():
    """An error cell (#N/A arrives as its text) in a polarity range means no polarity for that row: NO STATUS,
    Not comparable, no band, unranked; not an unknown-polarity message."""
    assert f.rag([[80], [80]], 90, [["High"], ["#N/A"]]) == [["RED"], ["NO STATUS"]]
    assert f.rag_reason(80, 90, "#N/A") == [["no polarity"]]
    assert f.direction(80, 90, "#DIV/0!") == [["Not comparable"]]
    assert f.quartile_band(3, [[1, 2, 3]], "#N/A") == [["-"]]
    assert f.polarity("#N/A") == [["No polarity"]]


def test_polarity_normalises_spellings():
    """POLARITY turns the spellings officers use into the four canonical names."""
    assert f.polarity([["RAG - Low is good", "higher is better", "", "Plan"]]) == [
        ["Smaller is Better", "Bigger is Better", "No polarity", "Plan is Best"]
    ]


def test_every_function_defined_in_the_module_is_listed():
    """__all__ lists every Excel function the module defines, so no route can miss one."""
    defined = {
        name for name, value in vars(f).items()
        if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == f.__name__
    }
    assert defined == set(f.__all__)


@pytest.mark.parametrize("name", f.__all__)
def test_public_functions_never_raise_on_junk(name):
    """No Excel function lets an exception escape on junk input: problems come back as cell text."""
    function = getattr(f, name)
    junk = [[object()]]
    try:
        result = function(*([junk] * function.__code__.co_argcount))
    except Exception as error:  # noqa: BLE001 - the point is that nothing escapes
        pytest.fail(f"{name} raised {error!r}")
    assert isinstance(result, list)


@pytest.mark.parametrize("bad", ["nan", "inf", "1e400", 6.5])
def test_risk_level_bands_must_be_finite_whole_numbers(bad):
    """RISK_LEVEL refuses a band edge that is not a finite whole number, as a short cell message."""
    result = f.risk_level(7, bad)
    assert result[0][0].startswith(ERROR_PREFIX) and "moderate_from" in result[0][0]


def test_ragged_range_is_a_cell_error_not_an_exception():
    """A 2-D list whose rows differ in length gives one readable error."""
    assert f.rag([[1, 2], [3]], 2, "High") == [[f"{ERROR_PREFIX}a range has rows of different lengths"]]


def test_comparison_set_error_names_row_and_column_in_the_range():
    """A bad cell in all_values is reported by its row and column within that range."""
    result = f.quartile_band(3, [[1, None, "", 2, "#N/A"], [3, 4, "[c]", "n/a", True]], "High")
    assert result[0][0].startswith(f"{ERROR_PREFIX}all_values row 2, column 5:")
    assert "np.str_" not in f.polarity_rank(2, [[1, "abc", 3]], "High")[0][0]


def test_text_too_large_for_a_number_is_an_error_not_infinity():
    """'1e400' overflows a float: it is refused, never judged as an infinitely good value."""
    assert f.rag("1e400", 90, "High")[0][0].startswith(ERROR_PREFIX)


@pytest.mark.parametrize("text", ["1,2", "1_0", "n/a"])
def test_optional_numbers_follow_the_value_rule(text):
    """An optional number (tolerance, threshold, per ...) is read like any value: '1,2' is not 12, '1_0' is
    not 10 (bug: float() read them so), and a missing-value code is not a number."""
    assert f.rag(88, 90, "High", text)[0][0] == f"{ERROR_PREFIX}tolerance {text!r} must be a number"
    assert f.rag(88, 90, "High", "2.5%")[0][0] == "AMBER"


def test_comparison_set_is_read_once_and_answers_as_the_core():
    """Band and rank of many values among one comparison range equal the core rules over the set."""
    from scorecard.benchmarking import quartile_bands, ranks

    everyone = [[30, 10, "[c]", 20, 20, 40, None, 35]]
    values = everyone[0]
    for polarity in ("High", "Low", "Plan", None):
        bands = f.quartile_band([values], everyone, polarity)
        assert bands == [quartile_bands(values, polarity)]
        expected = ["" if rank is None else rank for rank in ranks(values, polarity)]
        assert f.polarity_rank([values], everyone, polarity) == [expected]


# ------------------------------------------------ vectorised functions = the scalar rule, cell by cell

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from udf_strategies import (  # noqa: E402
    FUNCTION_ARGUMENTS,
    MISSING,
    NUMBERS,
    cells,
    level_cells,
    optional_number_cells,
    polarity_cells,
    ranges,
    risk_cells,
)

from scorecard import benchmarking, risk  # noqa: E402
from udfs.cells import cellwise, polarity_cell  # noqa: E402

ARGUMENTS = FUNCTION_ARGUMENTS


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_vectorised_function_equals_scalar_rule_cell_by_cell(name):
    """Each function over random ranges (numbers, blanks, shorthand, text numbers, junk, TRUE, dates, unknown
    polarities) gives exactly what its scalar rule gives cell by cell (udfs.cells.cellwise), "#ERR" text included."""
    @settings(max_examples=150, deadline=None)
    @given(ranges(*ARGUMENTS[name]))
    def check(arguments):
        assert getattr(f, name)(*arguments) == cellwise(f.CELL_RULES[name], *arguments)

    check()


@settings(max_examples=150, deadline=None)
@given(ranges(cells, cells, optional_number_cells, level_cells), st.sampled_from([None, "lower", "upper", "both"]))
def test_rate_ci_equals_scalar_rule(arguments, bound):
    """RATE_CI over random ranges gives exactly the scalar core's limits cell by cell, for every bound."""
    _check_limits(f.rate_ci, f.CELL_RULES["rate_ci"], arguments, bound)


@settings(max_examples=150, deadline=None)
@given(ranges(cells, cells, level_cells), st.sampled_from([None, "lower", "upper", "both"]))
def test_percent_ci_equals_scalar_rule(arguments, bound):
    """PERCENT_CI over random ranges gives exactly the scalar core's Wilson limits cell by cell, for every bound."""
    _check_limits(f.percent_ci, f.CELL_RULES["percent_ci"], arguments, bound)


def _check_limits(function, pair, arguments, bound):
    result = function(*arguments, bound=bound)
    widths = {len(a[0]) for a in arguments if isinstance(a, list)}
    if (bound in (None, "both")) and widths - {1}:
        assert result == [[f"{ERROR_PREFIX}bound 'both' needs single-column ranges"]]
        return
    lower = cellwise(lambda *cell: None if pair(*cell) is None else pair(*cell)[0], *arguments)
    upper = cellwise(lambda *cell: None if pair(*cell) is None else pair(*cell)[1], *arguments)
    if bound == "lower":
        assert result == lower
    elif bound == "upper":
        assert result == upper
    else:
        assert result == [[low[0], high[0]] for low, high in zip(lower, upper, strict=True)]


@settings(max_examples=150, deadline=None)
@given(ranges(cells, polarity_cells), st.lists(st.one_of(NUMBERS, MISSING), min_size=1, max_size=30))
def test_band_and_rank_equal_scalar_rule(arguments, everyone):
    """QUARTILE_BAND and POLARITY_RANK over random ranges give what ComparisonSet.band/rank give cell by cell
    (an error value in a polarity cell counts as no polarity)."""
    among = benchmarking.ComparisonSet(everyone)
    band = cellwise(lambda value, polarity: among.band(value, polarity_cell(polarity)), *arguments)
    rank = cellwise(lambda value, polarity: among.rank(value, polarity_cell(polarity)), *arguments)
    assert f.quartile_band(arguments[0], [everyone], arguments[1]) == band
    assert f.polarity_rank(arguments[0], [everyone], arguments[1]) == rank


@settings(max_examples=150, deadline=None)
@given(ranges(risk_cells))
def test_risk_level_equals_scalar_rule(arguments):
    """RISK_LEVEL over random ranges gives what risk.risk_level gives cell by cell."""
    assert f.risk_level(*arguments) == cellwise(risk.risk_level, *arguments)

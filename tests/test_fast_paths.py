"""The fast paths give exactly the general paths' and the scalar rules' answers (Hypothesis).

The rules and the Excel functions read a list of plain numbers (ints, floats, empty cells) in one numpy
conversion, and a range that arrived over xlwings Server with its cells already looked at (udfs.cells.Range);
a list holding anything else goes down the general path, cell by cell or once per distinct value. These tests
draw lists that take each path (all plain numbers, numbers and blanks, or mixed cells: '', '12%', '[c]',
error values, TRUE/FALSE, NaN, infinities, -0.0, ints too large for a float, text) and compare exactly:
the same floats bit for bit (the sign of zero included), the same types, the same "#ERR" text.
"""

from __future__ import annotations

import math
from itertools import chain

import numpy as np
import pytest
from addin_helpers import server_module  # noqa: F401 - fixture
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import cell_lists, mixed_cells, number_or_blank_cells
from test_addin_server import _convert
from udf_strategies import FUNCTION_ARGUMENTS, LIMIT_ARGUMENTS, cells, level_cells, optional_number_cells, typed_ranges

from scorecard import rates
from scorecard.rag import rag_status, rag_vectorised
from scorecard.values import SCALAR_CELLS, cell_array, float_array, object_array, parse_value, parse_values
from udfs import functions as f
from udfs.cells import AnswerColumns, Answers, Column, Range, cellwise, plain_cell
from udfs.columns import answers_as_columns


@pytest.fixture(autouse=True, scope="module")
def vectorised_path_for_every_size():
    """Every call here goes through the vectorised path, however small (see tests/test_udfs.py)."""
    from udfs import columns

    saved, columns.SMALL_CALL = columns.SMALL_CALL, 0
    yield
    columns.SMALL_CALL = saved


def exactly(value):
    """A value as compared here: floats by their bits (-0.0 is not 0.0, NaN is NaN), ints apart from floats and
    True, arrays by shape, dtype and elements; lists (Answers and Ranges are lists) element by element."""
    if isinstance(value, list | tuple):
        return "list" if isinstance(value, list) else "tuple", [exactly(item) for item in value]
    if isinstance(value, np.ndarray):
        return "array", value.shape, str(value.dtype), [exactly(item) for item in value.ravel().tolist()]
    if isinstance(value, float):
        return "float", value.hex() if not math.isnan(value) else "nan"
    return type(value).__name__, repr(value)


def outcome(function, *arguments):
    """('ok', answer) or ('raises', kind of error) for a call."""
    try:
        return "ok", function(*arguments)
    except Exception as error:  # noqa: BLE001 - the kind of error is compared
        return "raises", type(error)


def row_major(values) -> list | None:
    """The cells of a flat list or of rows of one width, row by row; None for ragged rows."""
    if not any(isinstance(item, list | tuple) for item in values):
        return list(values)
    if len({len(row) for row in values}) != 1:
        return None
    return list(chain.from_iterable(values))


# ------------------------------------------------ the core (scorecard.values, rag, rates) on lists


@settings(max_examples=300, deadline=None)
@given(cell_lists())
def test_parse_values_of_a_list_is_parse_value_cell_by_cell(values):
    """parse_values over a list (the fast path when every cell is a finite plain number) gives, cell by cell,
    exactly parse_value's answer: the same float (sign of zero included) or NaN with the same Missing; where
    parse_value refuses a cell, parse_values refuses the list with the same kind of error, naming that row."""
    flat = row_major(values)
    if flat is None:  # ragged rows are not a table
        with pytest.raises(ValueError):
            parse_values(values)
        return
    expected, refusal = [], None
    for row, cell in enumerate(flat, start=1):
        kind, answer = outcome(parse_value, cell)
        if kind == "raises":
            refusal = (row, answer)
            break
        expected.append(answer)
    if refusal is not None:
        with pytest.raises(refusal[1]) as raised:
            parse_values(values)
        if issubclass(refusal[1], ValueError):
            assert str(raised.value).startswith(f"row {refusal[0]}:")
        return
    numbers, missing = parse_values(values)
    assert numbers.shape == np.asarray(values, dtype=object).shape
    for number, why, answer in zip(numbers.ravel().tolist(), missing.ravel().tolist(), expected, strict=True):
        if isinstance(answer, float):
            assert exactly(number) == exactly(answer) and why is None
        else:
            assert math.isnan(number) and why == answer


@settings(max_examples=300, deadline=None)
@given(cell_lists())
def test_float_and_object_arrays_of_a_list_are_numpys_own(values):
    """float_array and object_array (one flat conversion for lists of plain cells) give exactly what
    np.asarray(values, dtype=float / object) gives, or the same kind of error."""
    assert exactly(outcome(float_array, values)) == exactly(outcome(np.asarray, values, float))
    kind, general = outcome(np.asarray, values, object)
    fast = outcome(object_array, values)
    assert fast[0] == kind
    if kind == "ok":
        assert fast[1].shape == general.shape and fast[1].dtype == object
        assert all(a is b for a, b in zip(fast[1].ravel().tolist(), general.ravel().tolist(), strict=True))
    else:
        assert fast[1] is general


@settings(max_examples=300, deadline=None)
@given(cell_lists())
def test_parse_values_of_a_list_is_its_general_path(values):
    """parse_values over a list (one float conversion for finite plain numbers and blanks) gives exactly what it
    gives for the same cells held in an object array, which it reads cell by cell; and a list of finite plain
    numbers does take the fast path."""
    flat = row_major(values)
    if flat is None:
        return
    general = np.empty(np.asarray(values, dtype=object).shape, dtype=object)
    general.ravel()[:] = flat
    assert exactly(outcome(parse_values, values)) == exactly(outcome(parse_values, general))
    if all(type(cell) in (int, float, type(None)) for cell in flat) and outcome(float_array, values)[0] == "ok":
        finite = not any(cell is not None and math.isinf(cell) for cell in flat)
        assert (cell_array(values).dtype == float) == finite


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.lists(mixed_cells, min_size=n, max_size=n), st.lists(mixed_cells, min_size=n, max_size=n),
    st.lists(st.sampled_from(["High", "Low", "Plan is Best", None, "#N/A"]), min_size=n, max_size=n))),
    st.booleans())
def test_rag_vectorised_on_lists_is_rag_status_row_by_row(columns, as_rows):
    """rag_vectorised given Python lists (flat, or rows of one cell as Excel hands them over) gives each row
    exactly rag_status's word, or refuses as rag_status refuses one of the rows."""
    actuals, targets, polarities = columns
    expected = [outcome(rag_status, *row) for row in zip(actuals, targets, polarities, strict=True)]
    given_lists = [[[cell] for cell in column] if as_rows else column for column in columns]
    kind, answer = outcome(rag_vectorised, *given_lists)
    if any(result[0] == "raises" for result in expected):
        assert kind == "raises"
    else:
        assert kind == "ok" and answer.ravel().tolist() == [word for _, word in expected]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.lists(number_or_blank_cells, min_size=n, max_size=n), st.lists(number_or_blank_cells, min_size=n, max_size=n))))
def test_rate_ci_vectorised_on_lists_is_on_arrays(columns):
    """rate_ci_vectorised given lists of rows of plain numbers and blanks gives bit for bit what it gives for the
    same numbers as float arrays (np.asarray's reading), or the same kind of error."""
    as_rows = [[[cell] for cell in column] for column in columns]
    arrays = [outcome(np.asarray, column, float) for column in as_rows]
    expected = (outcome(rates.rate_ci_vectorised, *(array for _, array in arrays))
                if all(kind == "ok" for kind, _ in arrays) else ("raises", arrays[0][1]))
    got = outcome(rates.rate_ci_vectorised, *as_rows)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert exactly(list(got[1])) == exactly(list(expected[1]))


# ------------------------------------------------ the Excel functions: plain lists, Ranges, scalar rules

ARGUMENTS = {**FUNCTION_ARGUMENTS, **LIMIT_ARGUMENTS}
LIMITS = set(LIMIT_ARGUMENTS)


def as_range(argument):
    """An argument as it reaches the function over xlwings Server: a range of rows arrives as a Range."""
    checked = Range.of(argument)
    return argument if checked is None else checked


def as_column(argument):
    """An argument as it reaches the function from Scorecard's glue: a one-column range of plain cells arrives as
    a Column (addin/server/calls.py), anything else as a Range."""
    if isinstance(argument, list) and all(isinstance(row, list) and len(row) == 1 for row in argument):
        cells = [row[0] for row in argument]
        if set(map(type, cells)) <= SCALAR_CELLS:
            return Column(cells, set(map(type, cells)))
    return as_range(argument)


def rows_of(answer):
    """An answer as rows: an AnswerColumns (made while answers_as_columns is in force) made into Answers."""
    return answer.rows() if isinstance(answer, AnswerColumns) else answer


def scalar_answer(name: str, arguments: list, bound) -> list:
    """What the function's scalar rule gives cell by cell (for RATE_CI and PERCENT_CI, the chosen limits)."""
    rule = f.CELL_RULES[name]
    if name not in LIMITS:
        return cellwise(rule, *arguments)
    low = cellwise(lambda *cell: None if rule(*cell) is None else rule(*cell)[0], *arguments)
    high = cellwise(lambda *cell: None if rule(*cell) is None else rule(*cell)[1], *arguments)
    if bound == "lower":
        return low
    if bound == "upper":
        return high
    return [[a[0], b[0]] for a, b in zip(low, high, strict=True)]


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_functions_give_the_scalar_rule_exactly_on_every_path(name):
    """Each function over random ranges (columns of plain numbers and blanks, which take the fast paths, or of
    any cells), given as plain lists, as the Ranges xlwings Server hands over, and as the Columns it hands over
    from Scorecard's glue with the answer asked for as columns, gives exactly its scalar rule's answers cell by
    cell: same types, same floats bit for bit (-0.0 read as 0, as excel_cell reads it), same "#ERR" text. The
    answer's note that its cells are plain for Excel is true exactly when they are."""
    @settings(max_examples=120, deadline=None)
    @given(typed_ranges(*ARGUMENTS[name]), st.sampled_from([None, "lower", "upper"]))
    def check(arguments, bound):
        function = getattr(f, name)
        extra = [bound] if name in LIMITS else []
        if name in LIMITS and bound is None and any(isinstance(a, list) and len(a[0]) != 1 for a in arguments):
            return  # 'both' needs single columns: tests/test_udfs.py checks the message
        answer = function(*arguments, *extra)
        assert exactly(answer) == exactly(function(*map(as_range, arguments), *extra))
        assert exactly(answer) == exactly(scalar_answer(name, arguments, bound))
        if isinstance(answer, Answers):
            assert answer.plain == all(plain_cell(cell) for row in answer for cell in row)
        with answers_as_columns():
            columns = function(*map(as_column, arguments), *extra)
        assert exactly(list(rows_of(columns))) == exactly(list(answer))
        if isinstance(columns, AnswerColumns):
            assert columns.plain == all(plain_cell(cell) for column in columns.columns for cell in column)

    check()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(mixed_cells, min_size=2, max_size=2), min_size=1, max_size=8),
       st.one_of(st.none(), st.just([]), st.just([[1], [2, 3]]), st.just([(1,), (2,)]), st.just([[1], 2])))
def test_range_holds_the_cells_of_its_rows(rows, not_a_range):
    """Range.of keeps the rows as they are, with their cells row by row and exactly the cells' types; anything
    but a non-empty list of lists of one length is not a Range."""
    checked = Range.of(rows)
    assert checked == rows and checked.cells == list(chain.from_iterable(rows))
    assert checked.cell_types == {type(cell) for row in rows for cell in row}
    assert Range.of(not_a_range) is None


_JSON_CELLS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=2))
_ONE_CELL_ROWS = st.lists(_JSON_CELLS, min_size=1, max_size=1)
# What JSON may hold where a row should be; one-character text and one-key objects unpack like one-cell rows.
_JSON_ROWS = st.one_of(_ONE_CELL_ROWS, st.lists(_JSON_CELLS, min_size=2, max_size=3), _JSON_CELLS,
                       st.text(min_size=1, max_size=1), st.dictionaries(st.text(max_size=2), _JSON_CELLS, max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_ONE_CELL_ROWS, min_size=1, max_size=6),
                 st.tuples(_ONE_CELL_ROWS, st.lists(_JSON_ROWS, max_size=5)).map(lambda rows: [rows[0], *rows[1]]),
                 st.lists(_JSON_ROWS, min_size=1, max_size=6)))
def test_range_of_json_is_range_of(rows):
    """Range.of_json, given any rows JSON can hold (one-cell lists mostly; also longer rows, text, one-key
    objects, numbers, true/false and null where a row should be), gives exactly what Range.of gives: the same
    cells and types, or no Range."""
    ours, theirs = Range.of_json(rows), Range.of(rows)
    assert (ours is None) == (theirs is None)
    if theirs is not None:
        assert ours == theirs and ours.cells == theirs.cells and ours.cell_types == theirs.cell_types


@settings(max_examples=100, deadline=None)
@given(typed_ranges(cells, cells, optional_number_cells, level_cells, rows=(33, 40)))
def test_office_js_writer_sends_answers_as_xlwings_would(server_module, arguments):  # noqa: F811
    """An answer that says its cells are plain goes out unchanged, which is exactly what xlwings' own writer
    makes of it; one that does not goes through xlwings' writer (udfs.convert)."""
    from xlwings.conversion.standard import ValueAccessor

    from udfs.convert import ExcelRange, plain_cells_out

    answer = f.rate_ci(*arguments, "lower")
    options = {"runtime": "1.4", "date_format": None}
    ours = _convert(ExcelRange.writer(options), answer)
    theirs = _convert(ValueAccessor.writer(options), [list(row) for row in answer])
    assert repr(ours) == repr(theirs)
    if isinstance(answer, Answers) and answer.plain:
        assert plain_cells_out(answer)

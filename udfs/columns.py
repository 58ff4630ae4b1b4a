"""A call's arguments as numpy columns, so a whole range goes through the vectorised core at once.

Excel hands a function its ranges as rows of cells. `Call` broadcasts them to one shape (a single
cell goes with every cell, as in udfs.cells.broadcast) and reads each argument once into arrays:
numbers with NaN for missing values, parsed polarities, optional numbers with their default. A
cell whose text the rules refuse (junk, TRUE, an unknown polarity ...) is marked, and `finish`
answers every marked cell with the scalar rule for that one cell, so its "#ERR ..." text is word for
word what the cell-by-cell functions give; every other cell is the vectorised core's answer.

Reading is by distinct value: a column of 100,000 numbers is one numpy conversion, and a column of
text is parsed once per different text, not once per cell.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.values import BLANK, Missing, distinct_identities, flatten_rows, number_array, parse_value
from udfs.cells import (
    RAGGED,
    AnswerColumns,
    Answers,
    Column,
    Grid,
    Range,
    as_grid,
    error_text,
    excel_cell,
    fit_shape,
    number_or_default,
    plain_cell,
    polarity_cell,
    safe,
    text_or_default,
)

Shape = tuple[int, int]


class Cells:
    """One argument of a call: its cells row by row (`values`), its shape, and the cells' types (worked out
    once, when first asked, unless the argument arrived as an udfs.cells.Range or Column that knows them)."""

    __slots__ = ("values", "shape", "_types")

    def __init__(self, values: list[Any], shape: Shape, types: set[type] | None = None) -> None:
        self.values, self.shape, self._types = values, shape, types

    @classmethod
    def of(cls, argument: Any) -> Cells:
        """An argument's cells (a cell, a row, rows of cells, a Range or a Column); ScorecardError for ragged rows."""
        if isinstance(argument, Range | Column):
            return cls(argument.cells, argument.shape, argument.cell_types)
        grid = as_grid(argument)
        flat = flatten_rows(grid)
        if flat is None:
            raise ScorecardError(RAGGED)
        return cls(flat[0], (len(grid), flat[1]))

    @property
    def types(self) -> set[type]:
        if self._types is None:
            self._types = set(map(type, self.values))
        return self._types

    def at(self, row: int, col: int) -> Any:
        """The cell at (row, col) of the call: a single cell goes with every cell."""
        return self.values[0] if self.shape == (1, 1) else self.values[row * self.shape[1] + col]


def _by_distinct(cells: Cells, read: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """read() of every cell, worked out once per distinct value; (answers, refused mask), of the cells' shape.

    Cells are grouped by value with pandas (hashing in C). TRUE == 1 and FALSE == 0 in Python, and the
    rules tell them apart, so a range holding both TRUE/FALSE and numbers is grouped by (type, value)
    instead; empty cells (None) and NaN, which pandas puts together, are read on their own.
    """
    flat, shape, types = cells.values, cells.shape, cells.types
    if bool in types and types & {int, float}:
        return _by_type_and_value(flat, read, shape)
    array = np.fromiter(flat, dtype=object, count=len(flat))
    try:
        codes, distinct = pd.factorize(array)
    except TypeError:  # an unhashable cell (a list or an object where a value should be)
        return _by_type_and_value(flat, read, shape)
    answers = np.empty(len(distinct) + 2, dtype=object)
    refused = np.zeros(len(distinct) + 2, dtype=bool)
    for position, value in enumerate([*distinct, None, math.nan]):
        answers[position], refused[position] = _read_one(read, value)
    if (codes < 0).any():  # None -> the second-last slot, NaN -> the last
        codes[codes < 0] = np.where(np.equal(array[codes < 0], None), len(distinct), len(distinct) + 1)
    return answers[codes].reshape(shape), refused[codes].reshape(shape)


def _read_one(read: Callable[[Any], Any], value: Any) -> tuple[Any, bool]:
    try:
        return read(value), False
    except Exception:  # noqa: BLE001 - refused: the scalar rule, run again on the cell, says what is wrong
        return None, True


def _by_type_and_value(flat: list[Any], read: Callable[[Any], Any], shape) -> tuple[np.ndarray, np.ndarray]:
    answers = np.empty(len(flat), dtype=object)
    refused = np.zeros(len(flat), dtype=bool)
    seen: dict[Any, tuple[Any, bool]] = {}
    for index, cell in enumerate(flat):
        try:
            found = seen.get((type(cell), cell))
        except TypeError:  # unhashable (a list where a value should be)
            found = _read_one(read, cell)
        if found is None:
            found = seen[(type(cell), cell)] = _read_one(read, cell)
        answers[index], refused[index] = found
    return answers.reshape(shape), refused.reshape(shape)


def _number(cell: Any) -> float | Missing:
    return parse_value(excel_cell(cell))


def read_values(cells: Cells) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values as the rules read them (scorecard.values.parse_value after udfs.cells.excel_cell):
    (numbers with NaN for missing, the Missing of each missing cell or None, refused mask)."""
    numbers = number_array(cells.values, cells.types)  # plain numbers and empty cells: one numpy conversion
    if numbers is not None:
        numbers += 0.0  # -0.0 -> 0.0, as excel_cell reads it (a whole number, int 0)
        numbers = numbers.reshape(cells.shape)
        missing = np.full(cells.shape, None, dtype=object)
        missing[np.isnan(numbers)] = BLANK
        return numbers, missing, np.isinf(numbers)
    if cells.types <= _NUMBERS_AND_TEXT:
        found = _numbers_and_text(cells)
        if found is not None:
            return found
    parsed, refused = _by_distinct(cells, _number)
    is_missing = np.frompyfunc(lambda value: isinstance(value, Missing), 1, 1)(parsed).astype(bool)
    numbers = np.where(is_missing | refused, np.nan, parsed).astype(float)
    missing = np.where(is_missing, parsed, None)
    return numbers, missing, refused


_NUMBERS_AND_TEXT = frozenset({int, float, str, type(None)})


def _numbers_and_text(cells: Cells) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """read_values of a range of numbers and empty cells with some text among them ('', '[c]', '12%' ...): the
    numbers in one numpy conversion, as the fast path reads them, the text once per distinct text. None when an
    int is too large for a float (the general path says so, cell by cell)."""
    array = np.fromiter(cells.values, dtype=object, count=len(cells.values))
    text = np.equal(np.fromiter(map(type, cells.values), dtype=object, count=array.size), str)  # exact types
    others = array.copy()
    others[text] = None
    try:
        numbers = np.array(others.tolist(), dtype=float)  # None -> NaN
    except OverflowError:
        return None
    numbers += 0.0  # -0.0 -> 0.0, as excel_cell reads it
    refused = np.isinf(numbers)
    missing = np.full(array.size, None, dtype=object)
    missing[np.isnan(numbers)] = BLANK
    codes, texts = pd.factorize(array[text])
    read = [_read_one(_number, value) for value in texts]
    parsed = np.fromiter((value for value, _ in read), dtype=object, count=len(read))
    is_missing = np.array([isinstance(value, Missing) for value, _ in read], dtype=bool)
    is_refused = np.array([no for _, no in read], dtype=bool)
    numbers[text] = np.where(is_missing | is_refused, np.nan, parsed).astype(float)[codes]
    missing[text] = np.where(is_missing, parsed, None)[codes]
    refused[text] = is_refused[codes]
    return numbers.reshape(cells.shape), missing.reshape(cells.shape), refused.reshape(cells.shape)


def read_polarities(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's Polarity (NONE where refused), and the refused mask."""
    polarities, refused = _by_distinct(cells, lambda cell: parse_polarity(polarity_cell(excel_cell(cell))))
    polarities[refused] = Polarity.NONE
    return polarities, refused


def read_optional_numbers(cells: Cells, default: float, name: str) -> tuple[np.ndarray, np.ndarray]:
    """An optional number per cell (blank means `default`), as udfs.cells.number_or_default reads it."""
    numbers, refused = _by_distinct(cells, lambda cell: number_or_default(excel_cell(cell), default, name))
    return np.where(refused, math.nan, numbers).astype(float), refused


def read_optional_texts(cells: Cells, default: str) -> np.ndarray:
    """An optional text per cell, lower-cased (blank means `default`)."""
    texts, _ = _by_distinct(cells, lambda cell: text_or_default(excel_cell(cell), default).lower())
    return texts


def read_plain_numbers(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """Cells that are numbers as Excel sent them (not text, TRUE/FALSE or empty); every other cell is refused,
    for rules that read text their own way (risk scores)."""
    flat, shape = cells.values, cells.shape
    if cells.types <= {int, float}:
        plain = np.ones(len(flat), dtype=bool)
        try:
            numbers = np.array(flat, dtype=float)
        except OverflowError:
            numbers, plain[:] = np.full(len(flat), math.nan), False
    else:
        plain = np.array([type(cell) in (int, float) for cell in flat], dtype=bool)
        numbers = np.full(len(flat), math.nan)
        if plain.any():
            try:
                numbers[plain] = np.array([cell for cell, ok in zip(flat, plain, strict=True) if ok], dtype=float)
            except OverflowError:
                plain[:] = False
    refused = ~plain | ~np.isfinite(numbers)
    return numbers.reshape(shape), refused.reshape(shape)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused():
    """Hold Python's cyclic garbage collector while a large answer is built. Building 100,000 row lists
    otherwise sets off a collection every 700 allocations, which takes four times as long as the
    building; the lists hold only text and numbers, so they make no cycles for the collector to find.
    Counted, so that overlapping calls on several threads turn it back on only when the last one ends."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class Call:
    """The arguments of one call, broadcast to one shape. Raises ScorecardError for ranges of different sizes.

    Each argument is held as its Cells: a column of 100,000 rows is flattened once, in one pass that also
    checks its rows are all one length (or not at all, when it arrived as a Range)."""

    def __init__(self, *arguments: Any) -> None:
        self.arguments: list[Cells] = []
        shape = (1, 1)
        for argument in arguments:  # in order, so the first problem found is the one named
            self.arguments.append(Cells.of(argument))
            shape = fit_shape(shape, self.arguments[-1].shape)
        self.shape = shape
        self.refused = np.zeros(self.shape, dtype=bool)
        self._results: dict = {}

    # Each reader gives arrays of the argument's own shape: (1, 1) for a single cell, which numpy
    # broadcasts against the call's shape (no 100,000-cell copies of one value).

    def values(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        numbers, missing, refused = self._read(read_values, index)
        return numbers, missing

    def numbers(self, index: int) -> np.ndarray:
        return self.values(index)[0]

    def polarities(self, index: int) -> np.ndarray:
        return self._read(read_polarities, index)[0]

    def plain_numbers(self, index: int) -> np.ndarray:
        return self._read(read_plain_numbers, index)[0]

    def optional_numbers(self, index: int, default: float, name: str) -> np.ndarray:
        return self._read(lambda cells: read_optional_numbers(cells, default, name), index, name)[0]

    def optional_texts(self, index: int, default: str) -> np.ndarray:
        return read_optional_texts(self.arguments[index], default)

    def cell(self, row: int, col: int) -> list[Any]:
        """The arguments' values at one cell of the call, as the scalar rules take them."""
        return [excel_cell(cells.at(row, col)) for cells in self.arguments]

    def refuse(self, where: np.ndarray) -> None:
        """Mark cells for the scalar rule (the vectorised core refused them)."""
        self.refused |= where

    def _read(self, reader, index: int, key: str = ""):
        """Read the argument's own cells, once per call; mark the cells the reader refused."""
        cache_key = (getattr(reader, "__name__", ""), key, index)
        if cache_key not in self._results:
            *answers, refused = reader(self.arguments[index])
            self.refused |= np.broadcast_to(refused, self.shape)
            self._results[cache_key] = (*answers, refused)
        return self._results[cache_key]

    def answer(self, answer: Callable[[Call], Any], scalar_rule: Callable[..., Any] | list) -> Grid | AnswerColumns:
        """The call's answer: by `answer` (the vectorised core over this Call) with `scalar_rule` for the cells
        it refuses (Call.finish: columns while answers_as_columns is in force), or for a small call by the
        scalar rule alone (rows). A list of rules gives their answers side by side, as `answer` then gives a
        list of arrays."""
        rules = scalar_rule if isinstance(scalar_rule, list) else [scalar_rule]
        rows, cols = self.shape
        if rows * cols <= SMALL_CALL:
            return [[safe(rule, self.cell(row, col)) for rule in rules for col in range(cols)] for row in range(rows)]
        pieces = answer(self)
        return self.finish(pieces if isinstance(pieces, list) else [pieces], rules)

    def finish(self, pieces: list[np.ndarray], rules: list[Callable[..., Any]]) -> Answers | AnswerColumns:
        """The answers (one array per rule, side by side) as rows of cells, with every refused cell answered by
        its rule on that cell; as columns of cells instead while answers_as_columns is in force. Float answers
        are numbers with NaN for an empty cell (''), built as floats (no per-cell Python objects but the rows
        themselves); any other answers are the cells as they are."""
        arrays = [np.broadcast_to(np.asarray(piece), self.shape) for piece in pieces]
        if all(array.dtype.kind == "f" for array in arrays):
            grid = np.concatenate(arrays, axis=1) if len(arrays) > 1 else arrays[0]
            blank = np.isnan(grid)
            plain = not np.isinf(grid).any()
        else:
            arrays = [blank_where_nan(array) if array.dtype.kind == "f" else array.astype(object, copy=False)
                      for array in arrays]
            grid = np.concatenate(arrays, axis=1) if len(arrays) > 1 else arrays[0]
            blank = None
            plain = all(_plain_objects(array, ~self.refused) for array in arrays)
        as_columns = _answer_columns.get()
        with gc_paused():
            cells = grid.T.tolist() if as_columns else grid.tolist()

        def put(row: int, col: int, value: Any) -> None:
            if as_columns:
                cells[col][row] = value
            else:
                cells[row][col] = value

        if blank is not None:
            for row, col in zip(*(where.tolist() for where in np.nonzero(blank)), strict=True):
                put(row, col, "")
        width = self.shape[1]
        for row, col in zip(*(where.tolist() for where in np.nonzero(self.refused)), strict=True):
            cell = self.cell(row, col)
            for index, rule in enumerate(rules):
                value = safe(rule, cell)
                put(row, index * width + col, value)
                plain = plain and plain_cell(value)
        return AnswerColumns(cells, plain) if as_columns else Answers(cells, plain)


_answer_columns = contextvars.ContextVar("answer_columns", default=False)


@contextlib.contextmanager
def answers_as_columns():
    """Within it, a large call's answer (Call.finish) is an udfs.cells.AnswerColumns, not rows: for xlwings Server's
    app, whose glue makes the rows itself (addin/server/app.py). A context variable, so it holds for this thread's
    (or task's) call only."""
    token = _answer_columns.set(True)
    try:
        yield
    finally:
        _answer_columns.reset(token)


def _plain_objects(answers: np.ndarray, kept: np.ndarray) -> bool:
    """True when every kept cell of an object array of answers is a plain_cell, judged once per distinct object
    (status words, say, are a few objects repeated); False, to be safe, when there are too many to judge."""
    cells = answers if kept.all() else answers[kept]
    if cells.size == 0:
        return True
    found = distinct_identities(cells)
    return found is not None and all(map(plain_cell, found[1]))


# Up to this many cells, a call is answered cell by cell with the scalar rules: for a handful of cells the
# numpy set-up costs more than the rules themselves (one-cell calls are most calls Excel makes).
SMALL_CALL = 32


def vectorised(answer: Callable[[Call], Any], scalar_rule: Callable[..., Any] | list, *arguments: Any
               ) -> Grid | AnswerColumns:
    """Answer a call with `answer` (the vectorised core over a Call), falling back to `scalar_rule`
    cell by cell where a cell is refused (Call.answer); a call whose ranges differ in size gets one error cell."""
    try:
        call = Call(*arguments)
    except ScorecardError as error:
        return [[error_text(error)]]
    return call.answer(answer, scalar_rule)


def blank_where_nan(numbers: np.ndarray) -> np.ndarray:
    """Numbers for Excel: NaN (missing) becomes '' (an empty cell), others Python floats."""
    result = numbers.astype(object)
    result[np.isnan(numbers)] = ""
    return result


def by_distinct_cells(rule: Callable[..., Any], *arguments: Any) -> Grid:
    """udfs.cells.cellwise(rule, ...), with the rule worked out once per distinct combination of cells:
    for rules whose inputs repeat (polarity spellings, risk ratings, benchmark comparisons)."""
    try:
        call = Call(*arguments)
    except ScorecardError as error:
        return [[error_text(error)]]
    seen: dict[Any, Any] = {}
    rows, cols = call.shape
    result = []
    for row in range(rows):
        answers = []
        for col in range(cols):
            cell = call.cell(row, col)
            try:
                key = tuple((type(value), value) for value in cell)
                if key not in seen:
                    seen[key] = safe(rule, cell)
                answers.append(seen[key])
            except TypeError:  # unhashable: no memo
                answers.append(safe(rule, cell))
        result.append(answers)
    return result

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
import gc
import math
import threading
from collections.abc import Callable
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.values import BLANK, Missing, parse_value
from udfs.cells import (
    Grid,
    as_grid,
    broadcast,
    error_text,
    excel_cell,
    number_or_default,
    polarity_cell,
    safe,
    text_or_default,
)

_PLAIN_NUMBERS = {int, float, type(None)}


def _flat(grid: Grid) -> list[Any]:
    return list(chain.from_iterable(grid))


def _shape(grid: Grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


def _by_distinct(grid: Grid, read: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """read() of every cell, worked out once per distinct value; (answers, refused mask).

    Cells are grouped by value with pandas (hashing in C). TRUE == 1 and FALSE == 0 in Python, and the
    rules tell them apart, so a range holding both TRUE/FALSE and numbers is grouped by (type, value)
    instead; empty cells (None) and NaN, which pandas puts together, are read on their own.
    """
    flat = _flat(grid)
    types = set(map(type, flat))
    if bool in types and types & {int, float}:
        return _by_type_and_value(flat, read, _shape(grid))
    cells = np.empty(len(flat), dtype=object)
    cells[:] = flat
    try:
        codes, distinct = pd.factorize(cells)
    except TypeError:  # an unhashable cell (a list or an object where a value should be)
        return _by_type_and_value(flat, read, _shape(grid))
    answers = np.empty(len(distinct) + 2, dtype=object)
    refused = np.zeros(len(distinct) + 2, dtype=bool)
    for position, value in enumerate([*distinct, None, math.nan]):
        answers[position], refused[position] = _read_one(read, value)
    if (codes < 0).any():  # None -> the second-last slot, NaN -> the last
        codes[codes < 0] = np.where(np.equal(cells[codes < 0], None), len(distinct), len(distinct) + 1)
    return answers[codes].reshape(_shape(grid)), refused[codes].reshape(_shape(grid))


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


def read_values(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values as the rules read them (scorecard.values.parse_value after udfs.cells.excel_cell):
    (numbers with NaN for missing, the Missing of each missing cell or None, refused mask)."""
    flat = _flat(grid)
    if set(map(type, flat)) <= _PLAIN_NUMBERS:
        try:
            numbers = np.array(flat, dtype=float).reshape(_shape(grid))  # None -> NaN
        except OverflowError:  # an int too big for a float: the slow path says so, cell by cell
            pass
        else:
            missing = np.full(numbers.shape, None, dtype=object)
            missing[np.isnan(numbers)] = BLANK
            return numbers, missing, np.isinf(numbers)
    parsed, refused = _by_distinct(grid, _number)
    is_missing = np.frompyfunc(lambda value: isinstance(value, Missing), 1, 1)(parsed).astype(bool)
    numbers = np.where(is_missing | refused, np.nan, parsed).astype(float)
    missing = np.where(is_missing, parsed, None)
    return numbers, missing, refused


def read_polarities(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's Polarity (NONE where refused), and the refused mask."""
    polarities, refused = _by_distinct(grid, lambda cell: parse_polarity(polarity_cell(excel_cell(cell))))
    polarities[refused] = Polarity.NONE
    return polarities, refused


def read_optional_numbers(grid: Grid, default: float, name: str) -> tuple[np.ndarray, np.ndarray]:
    """An optional number per cell (blank means `default`), as udfs.cells.number_or_default reads it."""
    numbers, refused = _by_distinct(grid, lambda cell: number_or_default(excel_cell(cell), default, name))
    return np.where(refused, math.nan, numbers).astype(float), refused


def read_optional_texts(grid: Grid, default: str) -> np.ndarray:
    """An optional text per cell, lower-cased (blank means `default`)."""
    texts, _ = _by_distinct(grid, lambda cell: text_or_default(excel_cell(cell), default).lower())
    return texts


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
    """The arguments of one call, broadcast to one shape. Raises ScorecardError for ranges of different sizes."""

    def __init__(self, *arguments: Any) -> None:
        self.grids = [as_grid(argument) for argument in arguments]
        self.shape = broadcast(*self.grids)
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
        return read_optional_texts(self.grids[index], default)

    def cell(self, row: int, col: int) -> list[Any]:
        """The arguments' values at one cell of the call, as the scalar rules take them."""
        return [excel_cell(grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[row][col])
                for grid in self.grids]

    def refuse(self, where: np.ndarray) -> None:
        """Mark cells for the scalar rule (the vectorised core refused them)."""
        self.refused |= where

    def _read(self, reader, index: int, key: str = ""):
        """Read the argument's own cells, once per call; mark the cells the reader refused."""
        cache_key = (getattr(reader, "__name__", ""), key, index)
        if cache_key not in self._results:
            *answers, refused = reader(self.grids[index])
            self.refused |= np.broadcast_to(refused, self.shape)
            self._results[cache_key] = (*answers, refused)
        return self._results[cache_key]

    def finish(self, answers: np.ndarray | list[np.ndarray], scalar_rule: Callable[..., Any] | list) -> Grid:
        """The answers as rows of cells, with every refused cell answered by `scalar_rule` on that cell.
        Lists of answers and rules give their columns side by side (lower and upper limits)."""
        pieces = answers if isinstance(answers, list) else [answers]
        rules = scalar_rule if isinstance(scalar_rule, list) else [scalar_rule]
        result = np.concatenate([np.broadcast_to(np.asarray(piece, dtype=object), self.shape) for piece in pieces],
                                axis=1)
        width = self.shape[1]
        for row, col in zip(*np.nonzero(self.refused), strict=True):
            cell = self.cell(row, col)
            for index, rule in enumerate(rules):
                result[row, index * width + col] = safe(rule, cell)
        with gc_paused():
            return result.tolist()


# Up to this many cells, a call is answered cell by cell with the scalar rules: for a handful of cells the
# numpy set-up costs more than the rules themselves (one-cell calls are most calls Excel makes).
SMALL_CALL = 32


def vectorised(answer: Callable[[Call], Any], scalar_rule: Callable[..., Any] | list, *arguments: Any) -> Grid:
    """Answer a call with `answer` (the vectorised core over a Call), falling back to `scalar_rule`
    cell by cell where a cell is refused; a call whose ranges differ in size gets one error cell.
    A list of rules gives their answers side by side, as `answer` then gives a list of arrays."""
    try:
        call = Call(*arguments)
    except ScorecardError as error:
        return [[error_text(error)]]
    if call.shape[0] * call.shape[1] <= SMALL_CALL:
        rules = scalar_rule if isinstance(scalar_rule, list) else [scalar_rule]
        rows, cols = call.shape
        return [[safe(rule, call.cell(row, col)) for rule in rules for col in range(cols)] for row in range(rows)]
    return call.finish(answer(call), scalar_rule)


def blank_where_nan(numbers: np.ndarray) -> np.ndarray:
    """Numbers for Excel: NaN (missing) becomes '' (an empty cell), others Python floats."""
    result = numbers.astype(object)
    result[np.isnan(numbers)] = ""
    return result


def read_plain_numbers(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Cells that are numbers as Excel sent them (not text, TRUE/FALSE or empty); every other cell is refused,
    for rules that read text their own way (risk scores)."""
    flat = _flat(grid)
    plain = np.array([type(cell) in (int, float) for cell in flat], dtype=bool)
    numbers = np.full(len(flat), math.nan)
    if plain.any():
        try:
            numbers[plain] = np.array([cell for cell, ok in zip(flat, plain, strict=True) if ok], dtype=float)
        except OverflowError:
            plain[:] = False
    refused = ~plain | ~np.isfinite(numbers)
    return numbers.reshape(_shape(grid)), refused.reshape(_shape(grid))


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

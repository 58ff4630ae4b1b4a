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

import math
from collections.abc import Callable
from itertools import chain
from typing import Any

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.values import BLANK, Missing, parse_value
from udfs.cells import Grid, as_grid, broadcast, error_text, excel_cell, number_or_default, safe, text_or_default

_PLAIN_NUMBERS = {int, float, type(None)}


def _flat(grid: Grid) -> list[Any]:
    return list(chain.from_iterable(grid))


def _shape(grid: Grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


def _by_distinct(grid: Grid, read: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """read() of every cell, worked out once per distinct (type, value); (answers, refused mask).

    The type is part of the key because True == 1 and 1.0 == 1 in Python, and the rules tell them apart.
    """
    flat = _flat(grid)
    answers = np.empty(len(flat), dtype=object)
    refused = np.zeros(len(flat), dtype=bool)
    seen: dict[Any, tuple[Any, bool]] = {}
    for index, cell in enumerate(flat):
        try:
            key = (type(cell), cell)
            found = seen.get(key)
        except TypeError:  # unhashable (a list or dict where a value should be)
            key, found = None, None
        if found is None:
            try:
                found = (read(cell), False)
            except ScorecardError:
                found = (None, True)
            except Exception:  # noqa: BLE001 - the scalar rule, run again on this cell, says what is wrong
                found = (None, True)
            if key is not None:
                seen[key] = found
        answers[index], refused[index] = found
    return answers.reshape(_shape(grid)), refused.reshape(_shape(grid))


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
    polarities, refused = _by_distinct(grid, lambda cell: parse_polarity(excel_cell(cell)))
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


class Call:
    """The arguments of one call, broadcast to one shape. Raises ScorecardError for ranges of different sizes."""

    def __init__(self, *arguments: Any) -> None:
        self.grids = [as_grid(argument) for argument in arguments]
        self.shape = broadcast(*self.grids)
        self.refused = np.zeros(self.shape, dtype=bool)

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
        return self._read(lambda cells: read_optional_numbers(cells, default, name), index)[0]

    def optional_texts(self, index: int, default: str) -> np.ndarray:
        return np.broadcast_to(read_optional_texts(self.grids[index], default), self.shape)

    def cell(self, row: int, col: int) -> list[Any]:
        """The arguments' values at one cell of the call, as the scalar rules take them."""
        return [excel_cell(grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[row][col])
                for grid in self.grids]

    def refuse(self, where: np.ndarray) -> None:
        """Mark cells for the scalar rule (the vectorised core refused them)."""
        self.refused |= where

    def _read(self, reader, index: int):
        """Read the argument's own cells once, then stretch every result to the call's shape."""
        results = reader(self.grids[index])
        *answers, refused = results
        self.refused |= np.broadcast_to(refused, self.shape)
        return tuple(np.broadcast_to(answer, self.shape) for answer in answers) + (refused,)

    def finish(self, answers: np.ndarray, scalar_rule: Callable[..., Any]) -> Grid:
        """The answers as rows of cells, with every refused cell answered by `scalar_rule` on that cell."""
        result = np.array(answers, dtype=object, copy=True)
        for row, col in zip(*np.nonzero(self.refused), strict=True):
            result[row, col] = safe(scalar_rule, self.cell(row, col))
        return result.tolist()


def vectorised(answer: Callable[[Call], np.ndarray], scalar_rule: Callable[..., Any], *arguments: Any) -> Grid:
    """Answer a call with `answer` (the vectorised core over a Call), falling back to `scalar_rule`
    cell by cell where a cell is refused; a call whose ranges differ in size gets one error cell."""
    try:
        call = Call(*arguments)
    except ScorecardError as error:
        return [[error_text(error)]]
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

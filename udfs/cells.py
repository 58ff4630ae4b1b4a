"""What Excel passes, made into what the core takes, and back again. No xlwings here.

Every function takes whole ranges: xlwings passes a range as a 2-D list (ndim=2) and a single
cell as a scalar or [[value]]. Arguments are broadcast like Excel's own array arithmetic: a
single cell goes with every cell of a range; ranges must otherwise have the same shape.
A problem in one cell shows as short text in that cell (never a traceback); the other cells
still get their answers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

from scorecard.errors import ScorecardError
from scorecard.values import EXCEL_ERRORS, flatten_rows, parse_value

Grid = list[list[Any]]

ERROR_PREFIX = "#ERR "
MAX_MESSAGE = 80


def as_grid(value: Any) -> Grid:
    """A scalar, a 1-D row, a 2-D list or a Column as a 2-D list (rows of cells)."""
    if isinstance(value, Column):
        return value.rows()
    if isinstance(value, list | tuple):
        if not value:
            return [[None]]
        if set(map(type, value)) <= {list, tuple}:  # a range: taken as it is (100,000 rows are not copied)
            return value if isinstance(value, list) else list(value)
        if all(isinstance(row, list | tuple) for row in value):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_cell(value: Any) -> Any:
    """One cell as Excel sent it, tidied so that every route gives one answer: '' -> None,
    whole-number floats -> int (the classic add-in sends 6.0 where Office.js sends 6), dates ->
    Excel serial numbers (classic sends a datetime, Office.js the serial number)."""
    if isinstance(value, str) and value.strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        days = (moment.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400
        return int(days) if days.is_integer() else days
    return value


def polarity_cell(value: Any) -> Any:
    """A polarity cell as the rules take it: an Excel error value (#N/A ...) counts as no polarity, like an
    empty cell, so its row gets NO STATUS rather than an unknown-polarity message."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return None
    return value


RAGGED = "a range has rows of different lengths"


def broadcast(*grids: Grid) -> tuple[int, int]:
    """The common shape of the grids; single cells stretch to fit."""
    shape = (1, 1)
    for grid in grids:
        if len(set(map(len, grid))) != 1:
            raise ScorecardError(RAGGED)
        shape = fit_shape(shape, (len(grid), len(grid[0])))
    return shape


def fit_shape(shape: tuple[int, int], grid_shape: tuple[int, int]) -> tuple[int, int]:
    """The common shape of a call so far and one more argument's shape; a single cell fits anything."""
    if grid_shape == (1, 1):
        return shape
    if shape == (1, 1):
        return grid_shape
    if grid_shape != shape:
        raise ScorecardError(
            f"ranges are different sizes ({shape[0]}x{shape[1]} and {grid_shape[0]}x{grid_shape[1]}); "
            "give ranges of one size, or single cells"
        )
    return shape


def _pick(grid: Grid, row: int, col: int) -> Any:
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[row][col]


def cellwise(rule: Callable[..., Any], *arguments: Any) -> Grid:
    """Apply `rule` to every cell of the broadcast arguments; problems become short text."""
    grids = [as_grid(argument) for argument in arguments]
    try:
        rows, cols = broadcast(*grids)
    except ScorecardError as error:
        return [[error_text(error)]]
    return [
        [safe(rule, [excel_cell(_pick(grid, r, c)) for grid in grids]) for c in range(cols)]
        for r in range(rows)
    ]


def safe(rule: Callable[..., Any], values: Sequence[Any]) -> Any:
    """rule(*values) as Excel should show it; a problem becomes short '#ERR ...' text."""
    try:
        return to_excel(rule(*values))
    except ScorecardError as error:
        return error_text(error)
    except Exception as error:  # noqa: BLE001 - a cell shows a message, never a traceback
        return error_text(f"unexpected {type(error).__name__}: {error}")


def error_text(error: Exception | str) -> str:
    """A short, readable message for a cell: the first clause, at most 80 characters."""
    message = str(error).split("; ")[0]
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return ERROR_PREFIX + message


def to_excel(value: Any) -> Any:
    """Values Excel shows well: None -> '', NaN -> '', enums -> their text."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value
    return str(value)


# The texts xlwings turns into Excel error values on the way out (xlwings/pro/_xlofficejs.py).
EXCEL_ERROR_WORDS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


def plain_cell(value: Any) -> bool:
    """True for a cell Excel's custom-functions runtime takes as it is: text that is not an error word, a whole
    number (int), TRUE/FALSE or a finite float (not None, NaN, a date or a numpy number)."""
    kind = type(value)
    if kind is str:
        return value not in EXCEL_ERROR_WORDS
    if kind is float:
        return math.isfinite(value)
    return kind is int or kind is bool


class Range(list):
    """A range as it arrived, rows of cells, looked at once on arrival: every row a list, all one length, with
    `cells` the cells row by row and `cell_types` their types. The functions read these instead of looking
    at 100,000 cells again (udfs.columns.Call); a list like any other otherwise, and never changed."""

    __slots__ = ("cells", "cell_types")

    @classmethod
    def of(cls, rows: Any) -> Range | None:
        """`rows` as a Range; None when they are not a non-empty list of lists of one length."""
        if not isinstance(rows, list) or not rows or not set(map(type, rows)) <= {list}:
            return None
        flat = flatten_rows(rows)
        return None if flat is None else cls.with_cells(rows, flat[0], set(map(type, flat[0])))

    @classmethod
    def of_json(cls, rows: Any) -> Range | None:
        """Range.of for rows parsed from JSON, looking at a column's rows one time fewer. There a row that is not
        a list is text, an object, a number, true/false or null; unpacking one-cell rows refuses all of these
        but one-character text and one-key objects, whose cell is text. So only a column holding text needs
        its rows' types checked."""
        if not isinstance(rows, list) or not rows or type(rows[0]) is not list or len(rows[0]) != 1:
            return cls.of(rows)
        try:
            cells = [cell for (cell,) in rows]
        except (TypeError, ValueError):  # a row of another length, or a number, true/false or null
            return None
        types = set(map(type, cells))
        if str in types and not set(map(type, rows)) <= {list}:
            return None
        return cls.with_cells(rows, cells, types)

    @classmethod
    def with_cells(cls, rows: list, cells: list, types: set[type]) -> Range:
        """`rows` as a Range whose cells (row by row) and their types are known already (Range.of, of_json)."""
        checked = cls(rows)
        checked.cells, checked.cell_types = cells, types
        return checked

    @property
    def shape(self) -> tuple[int, int]:
        return len(self), len(self[0])


class Column:
    """A one-column range that arrived as its cells alone (xlwings Server's compact body, addin/server/calls.py),
    read like a Range (`cells`, `cell_types`, `shape`) but with no rows of cells unless a rule asks for them
    (`rows`): making 100,000 one-cell rows took a third as long as the whole RAG rule."""

    __slots__ = ("cells", "cell_types")

    def __init__(self, cells: list, types: set[type]) -> None:
        self.cells, self.cell_types = cells, types

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.cells), 1

    def rows(self) -> Grid:
        return [[cell] for cell in self.cells]

    def without_empty_text(self) -> Column:
        """The column with '' as an empty cell (None), as xlwings' reading cleans a range."""
        if str not in self.cell_types or "" not in self.cells:
            return self
        cells = [None if cell == "" and type(cell) is str else cell for cell in self.cells]
        return Column(cells, set(map(type, cells)))


class Answers(list):
    """A function's answer: rows of cells, noting whether every cell is a plain_cell. The note is worked out
    from the arrays the rows were made from (not cell by cell), so that the Office.js writer (udfs.convert)
    need not look at 100,000 cells again; a list like any other otherwise."""

    __slots__ = ("plain",)

    def __init__(self, rows: Grid, plain: bool) -> None:
        super().__init__(rows)
        self.plain = plain


class AnswerColumns:
    """A function's answer as its columns of cells (`columns`, each top to bottom) with the same `plain` note as
    Answers. Made only while udfs.columns.answers_as_columns is in force: xlwings Server's glue asks for it and
    makes Excel's rows itself, in JavaScript, so the server need not make 100,000 row lists (addin/server/app.py)."""

    __slots__ = ("columns", "plain")

    def __init__(self, columns: list[list[Any]], plain: bool) -> None:
        self.columns, self.plain = columns, plain

    def rows(self) -> Answers:
        return Answers(list(map(list, zip(*self.columns, strict=True))), self.plain)


def flat_values(value: Any, name: str) -> list[Any]:
    """Every cell of a range, row by row (for a comparison set such as all authorities).

    A cell that is neither a number nor a missing-value code is an error naming its row and
    column within the range, so the officer can find it.
    """
    cells = []
    for r, row in enumerate(as_grid(value), start=1):
        for c, cell in enumerate(row, start=1):
            cell = excel_cell(cell)
            try:
                parse_value(cell)
            except ScorecardError as error:
                raise ScorecardError(f"{name} row {r}, column {c}: {error}") from None
            cells.append(cell)
    return cells


def number_or_default(value: Any, default: float, name: str) -> float:
    """An optional numeric argument, read by the one value rule (parse_value): blank means the default."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return default
    try:
        number = parse_value(value)
    except ScorecardError:
        number = None
    if not isinstance(number, float):  # junk, TRUE/FALSE, not finite, or a missing-value code
        raise ScorecardError(f"{name} {value!r} must be a number")
    return number


def text_or_default(value: Any, default: str) -> str:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return default
    return str(value).strip()

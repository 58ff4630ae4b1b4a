"""Reading values: numbers, blanks, GSS shorthand and the usual placeholders.

One rule for every entry point (UDFs, CSV data, collected returns, scorecards):

- Numbers are used as they are. Percentages are held on the 0-100 scale: 86.5 means 86.5%.
- Text that is a number is that number ("1,234" -> 1234, " 12.5 " -> 12.5).
- Text with a trailing per-cent sign is the number before it: "86.5%" -> 86.5.
- A bare fraction is never rescaled by guessing (0.865 stays 0.865, which on the 0-100
  scale is 0.865%). Readers that can see a cell's number format (collection returns)
  multiply values from per-cent-formatted cells by 100, because that is what the person saw.
- Blanks, GSS shorthand ([c], [x], [z], [u], [low]), the usual placeholders ("n/a", "tbc",
  "-") and spreadsheet error values never become numbers: they are `Missing`, with a reason.
- Booleans are not numbers (TRUE is not 1 in a scorecard); they are refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError

# GSS shorthand, from the Government Statistical Service guidance on symbols in tables.
GSS_SHORTHAND: dict[str, str] = {
    "[c]": "confidential",
    "[x]": "not available",
    "[z]": "not applicable",
    "[u]": "low reliability",
    "[low]": "rounds to zero",
}

PLACEHOLDERS: dict[str, str] = {
    "": "blank",
    "n/a": "not applicable",
    "na": "not applicable",
    "n.a.": "not applicable",
    "tbc": "to be confirmed",
    "tba": "to be announced",
    "-": "no value",
    "–": "no value",
    "—": "no value",
    "..": "not available",
    "*": "suppressed",
    "nil": "no value",
    "none": "no value",
    "not available": "not available",
    "no data": "not available",
}

EXCEL_ERRORS = frozenset({
    "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!",
    "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#BUSY!", "#CONNECT!", "#UNKNOWN!",
})

# Shorthand that means the figure exists but is withheld: the status reason says "suppressed".
SUPPRESSED_CODES = frozenset({"[c]", "[low]", "[u]", "*"})

# A sign, digits (optionally grouped in thousands) and/or a decimal part, then an optional
# exponent. The exponent needs digits before it: "e5" is not a number.
# ASCII digits only, commas only as thousands separators: "1 2" or "١٢" are not read as 12.
_NUMBER = re.compile(r"^[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


@dataclass(frozen=True)
class Missing:
    """A value that is absent, withheld or not applicable: never a number."""

    code: str  # what was typed, normalised: "[c]", "n/a", "" ...
    reason: str  # why there is no number: "confidential", "blank" ...

    @property
    def suppressed(self) -> bool:
        return self.code in SUPPRESSED_CODES

    def __str__(self) -> str:
        return self.code or "blank"


BLANK = Missing("", "blank")


def parse_value(value: object) -> float | Missing:
    """Return the number a cell means, or Missing with the reason; ScorecardError for junk.

    >>> parse_value("86.5%")
    86.5
    >>> parse_value("[c]")
    Missing(code='[c]', reason='confidential')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return BLANK
    if isinstance(value, Missing):
        return value
    if isinstance(value, bool | np.bool_):
        raise ScorecardError(f"{value!r} is TRUE/FALSE, not a number")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isnan(number):
            return BLANK
        if math.isinf(number):
            raise ScorecardError(f"{value!r} is not a finite number")
        return number
    if isinstance(value, str):
        return _parse_text(value)
    raise ScorecardError(f"{value!r} ({type(value).__name__}) is not a number or a missing-value code")


def _parse_text(text: str) -> float | Missing:
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in GSS_SHORTHAND:
        return Missing(lowered, GSS_SHORTHAND[lowered])
    if lowered in PLACEHOLDERS:
        return Missing(lowered, PLACEHOLDERS[lowered])
    if stripped.upper() in EXCEL_ERRORS:
        return Missing(stripped.upper(), f"spreadsheet error {stripped.upper()}")
    number_text = stripped[:-1].rstrip() if stripped.endswith("%") else stripped
    if _NUMBER.match(number_text):
        number = float(number_text.replace(",", ""))
        if math.isinf(number):
            raise ScorecardError(f"{text!r} is too large to be a number")
        return number
    shorthand = _trailing_shorthand(lowered)
    if shorthand:
        # "12.3 [u]": a figure flagged by GSS shorthand is not used for a status.
        return Missing(shorthand, GSS_SHORTHAND[shorthand])
    raise ScorecardError(
        f"{text!r} is not a number; use a number (86.5 or 86.5%), leave it blank, "
        f"or use GSS shorthand {', '.join(GSS_SHORTHAND)}"
    )


def _trailing_shorthand(lowered: str) -> str | None:
    for code in GSS_SHORTHAND:
        if lowered.endswith(code) and _NUMBER.match(lowered[: -len(code)].strip().rstrip("%").rstrip()):
            return code
    return None


def is_missing(value: object) -> bool:
    """True for a Missing (the result of parse_value for blanks and shorthand)."""
    return isinstance(value, Missing)


# Cells whose numpy reading from a list is their own value (None -> NaN), checked by type, never assumed.
_NUMBER_CELLS = frozenset({int, float, type(None)})
# The types of a plain cell as Excel hands it over: a number, text, TRUE/FALSE or empty (None).
SCALAR_CELLS = frozenset({int, float, bool, str, type(None)})
_ROWS = frozenset({list, tuple})


def flatten_rows(rows: list | tuple) -> tuple[list, int] | None:
    """The cells of a non-empty list of rows (lists or tuples), row by row, and the rows' width; None when
    the rows differ in length. One C-level pass for a single column (the shape Excel ranges mostly have)."""
    width = len(rows[0])
    if width == 1:
        try:
            return [cell for (cell,) in rows], 1
        except ValueError:  # a row of another length
            return None
    if len(set(map(len, rows))) != 1:
        return None
    return list(chain.from_iterable(rows)), width


def _list_cells(values) -> tuple[list | tuple, tuple[int, ...], set[type]] | None:
    """A list (or tuple) of cells, or of equal-length rows of cells, as its cells row by row, the shape numpy
    gives it and the cells' types, when every cell is a plain scalar (a number, text, True/False, None); None
    for anything else (not a list, empty, ragged, rows mixed with cells, numpy values, nested deeper)."""
    if not isinstance(values, list | tuple) or not values:
        return None
    kinds = set(map(type, values))
    if not kinds & _ROWS:
        cells, shape = values, (len(values),)
    elif kinds <= _ROWS:
        flat = flatten_rows(values)
        if flat is None or flat[1] == 0:
            return None
        cells, shape = flat[0], (len(values), flat[1])
    else:
        return None
    types = set(map(type, cells))
    return (cells, shape, types) if types <= SCALAR_CELLS else None


def number_array(cells: list | tuple, types: set[type] | None = None) -> np.ndarray | None:
    """A flat list whose every cell is a Python int, float or None as a float array (None -> NaN: what numpy and
    parse_value make of each); None when some cell is anything else (a bool, text, a numpy number ...) or an
    int too large for a float. `types`, the cells' types, when already known."""
    if not (set(map(type, cells)) if types is None else types) <= _NUMBER_CELLS:
        return None
    try:
        return np.array(cells, dtype=float)
    except OverflowError:
        return None


def _finite_numbers(found) -> np.ndarray | None:
    """The float array of _list_cells' cells when they are all finite plain numbers (or None)."""
    cells, shape, types = found
    numbers = number_array(cells, types)
    if numbers is None or np.isinf(numbers).any():
        return None
    return numbers.reshape(shape)


def float_array(values) -> np.ndarray:
    """np.asarray(values, dtype=float), built from one flat list when `values` is a list (or list of equal-length
    rows) of finite Python ints and floats and None: numpy's own reading of nested lists costs several times more."""
    found = _list_cells(values)
    numbers = None if found is None else _finite_numbers(found)
    return np.asarray(values, dtype=float) if numbers is None else numbers


def object_array(values) -> np.ndarray:
    """np.asarray(values, dtype=object), built from one flat list when `values` is a list (or list of rows) of
    plain cells (numbers, text, True/False, None)."""
    found = _list_cells(values)
    return np.asarray(values, dtype=object) if found is None else _object_cells(found)


def _object_cells(found) -> np.ndarray:
    """_list_cells' cells as an object array of their shape, each cell as it is."""
    cells, shape, _ = found
    return np.fromiter(cells, dtype=object, count=len(cells)).reshape(shape)


def cell_array(values) -> np.ndarray:
    """`values` as an array for parse_values. A list (or list of rows) of finite plain numbers and None becomes a
    float array, in one conversion; a list of other plain cells an object array holding each cell as it is, for
    parse_value to read (numpy would read True as 1 beside numbers, and turn numbers beside text into text:
    NaN into 'nan'); anything else is as numpy reads it, a list mixing True with numbers staying objects."""
    found = _list_cells(values)
    if found is not None:
        numbers = _finite_numbers(found)
        return numbers if numbers is not None else _object_cells(found)
    array = np.asarray(values)
    if array.dtype.kind in "iuf" and isinstance(values, list | tuple):
        cells = np.asarray(values, dtype=object)
        if not {bool, np.bool_}.isdisjoint(map(type, cells.ravel().tolist())):
            return cells
    return array


# Above this many distinct objects, group by value instead (see distinct_objects).
_MAX_DISTINCT_OBJECTS = 1_000


def distinct_identities(array: np.ndarray) -> tuple[np.ndarray, list] | None:
    """Index of each element into a list of representatives, one per distinct object; None when there are more
    than 1,000 of them.

    Text columns usually hold a handful of string objects repeated row after row, so elements are grouped by
    identity (the object array's pointers, read as integers and never dereferenced): hashing integers is
    several times faster than hashing strings. Equal strings held as different objects land in different
    groups (a reader gives them the same answer).
    """
    flat = np.ascontiguousarray(array.ravel(), dtype=object)
    positions, identities = pd.factorize(np.frombuffer(flat, dtype=np.intp))
    if len(identities) > _MAX_DISTINCT_OBJECTS:
        return None
    first = np.empty(len(identities), dtype=np.intp)
    first[positions[::-1]] = np.arange(flat.size - 1, -1, -1)  # the earliest row wins
    return positions, flat[first].tolist()


def distinct_objects(array: np.ndarray) -> tuple[np.ndarray, list]:
    """Index of each element into a list of representatives, one per distinct element: grouped by identity
    (distinct_identities), or by value when identities are many (every row its own object). An unhashable
    element (a list ...) raises TypeError."""
    found = distinct_identities(array)
    if found is not None:
        return found
    positions, representatives = pd.factorize(np.ascontiguousarray(array.ravel(), dtype=object))
    representatives = list(representatives)
    blank = positions < 0  # None and NaN share pandas' sentinel; faster than use_na_sentinel=False
    if blank.any():
        positions[blank] = len(representatives)
        representatives.append(None)
    return positions, representatives


def parse_values(values) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised parse_value: (float array with NaN for missing, object array of Missing|None).

    Fast path for numeric arrays; other input goes through parse_value element by element,
    so both forms give identical answers. Junk raises ScorecardError naming its position.
    """
    array = cell_array(values)
    if array.dtype.kind in "iuf":
        numbers = array.astype(float)
        missing = np.full(numbers.shape, None, dtype=object)
        missing[np.isnan(numbers)] = BLANK
        if np.isinf(numbers).any():
            index = int(np.flatnonzero(np.isinf(numbers).ravel())[0])
            raise ScorecardError(f"row {index + 1}: {numbers.ravel()[index]!r} is not a finite number")
        return numbers, missing
    flat = array.ravel()
    numbers = np.empty(flat.shape, dtype=float)
    missing = np.full(flat.shape, None, dtype=object)
    for index, item in enumerate(flat.tolist()):  # plain Python objects: no numpy reprs in messages
        try:
            parsed = parse_value(item)
        except ScorecardError as error:
            raise ScorecardError(f"row {index + 1}: {error}") from None
        if isinstance(parsed, Missing):
            numbers[index] = np.nan
            missing[index] = parsed
        else:
            numbers[index] = parsed
    return numbers.reshape(array.shape), missing.reshape(array.shape)

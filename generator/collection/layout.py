"""The collection template's layout, defined once: the writer and the reader both use it.

A template is one workbook for one authority and one period:

- ``Cover``: what to fill, by when, who to contact, how to write missing values.
- One sheet per theme. Row ``HEADER_ROW`` holds the column headings in ``COLUMNS``; each
  indicator has one row below it. Input cells (numerator, denominator, value, target,
  commentary) are unlocked where they apply to the indicator's unit; everything else is locked.
  The last column (hidden) holds the indicator id, so a sorted sheet is still read exactly.
- ``META_SHEET`` (very hidden): template version, catalogue fingerprint, authority, period,
  dataset, and the sheet/row/indicator id of every input row as issued.

The value rules (what a cell may hold, per unit) are here too, so that the workbook's data
validation and the reader's checks can never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from scorecard.values import GSS_SHORTHAND
from scorecard.vocab import FRACTION_UNITS, RATE_UNITS

TEMPLATE_VERSION = "1"
TEMPLATE_MARKER = "scorecard-collection-template"

COVER_SHEET = "Cover"
META_SHEET = "_scorecard_meta"
MAX_SHEET_NAME = 31

# Cover sheet: the cells that show who the template was issued to (0-based row, col).
COVER_AUTHORITY = (3, 1)  # B4
COVER_PERIOD = (4, 1)  # B5


@dataclass(frozen=True)
class Column:
    field: str  # name used in the store and error reports
    heading: str
    width: float
    is_input: bool = False
    hidden: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", 24),
    Column("name", "Indicator", 40),
    Column("definition", "Definition", 60),
    Column("unit", "Unit", 14),
    Column("reporting_basis", "Reporting basis", 14),
    Column("numerator", "Numerator", 13, is_input=True),
    Column("denominator", "Denominator", 13, is_input=True),
    Column("value", "Value", 13, is_input=True),
    Column("target", "Target (optional)", 13, is_input=True),
    Column("commentary", "Commentary (optional)", 50, is_input=True),
    Column("indicator_id", "Indicator id (do not edit)", 12, hidden=True),
)
COLUMN_INDEX: dict[str, int] = {column.field: index for index, column in enumerate(COLUMNS)}
INPUT_FIELDS: tuple[str, ...] = tuple(c.field for c in COLUMNS if c.is_input)
NUMBER_FIELDS = ("numerator", "denominator", "value", "target")
ID_COLUMN = COLUMN_INDEX["indicator_id"]
CODE_COLUMN = COLUMN_INDEX["code"]

TITLE_ROW = 0  # 0-based
NOTE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3

# Metadata sheet: key/value rows, then a table of issued rows.
META_KEYS = (
    "marker", "template_version", "catalogue_fingerprint", "authority", "authority_name",
    "period", "dataset", "deadline", "contact", "issued_at",
)
META_TABLE_ROW = len(META_KEYS) + 1  # 0-based row of the table heading
META_TABLE_HEADER = ("sheet", "row", "indicator_id", "unit")


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """0-based row/column -> A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def theme_sheet_name(theme: str, taken: set[str]) -> str:
    """A valid, unique sheet name for a theme (Excel: 31 characters, no []:*?/\\)."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in theme).strip() or "Theme"
    clean = clean[:MAX_SHEET_NAME]
    name, n = clean, 2
    while name.lower() in {t.lower() for t in taken} or name in (COVER_SHEET, META_SHEET):
        suffix = f" ({n})"
        name = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    return name


def input_fields(unit: str) -> tuple[str, ...]:
    """Which input cells an indicator of this unit has (the rest are locked and greyed)."""
    if unit in FRACTION_UNITS:
        return ("numerator", "denominator", "value", "target", "commentary")
    if unit in ("text", "date"):
        return ("value", "commentary")
    return ("value", "target", "commentary")


@dataclass(frozen=True)
class ValueRule:
    """What one numeric input cell may hold: bounds, whole numbers, kind of value."""

    kind: str  # "number", "date", "list", "text"
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""


_COUNT = ValueRule("number", 0, None, True, description="a whole number, 0 or more")
_NON_NEGATIVE = ValueRule("number", 0, None, description="a number, 0 or more")
_ANY = ValueRule("number", description="a number")

UNIT_RULES: dict[str, ValueRule] = {
    "percentage": ValueRule("number", 0, 100, description="a percentage from 0 to 100"),
    "percentage points": ValueRule("number", -100, 100, description="a gap in percentage points, -100 to 100"),
    **{unit: ValueRule("number", 0, None, description=f"a {unit}, 0 or more")
       for unit in RATE_UNITS},
    "count": _COUNT,
    "days": _NON_NEGATIVE,
    "weeks": _NON_NEGATIVE,
    "months": _NON_NEGATIVE,
    "FTE": _NON_NEGATIVE,
    "ratio": _NON_NEGATIVE,
    "score": _ANY,
    "currency": _ANY,
    "date": ValueRule("date", description="a date"),
    "yes/no": ValueRule("list", choices=("Yes", "No"), description="Yes or No"),
    "text": ValueRule("text", description="text"),
}
NUMERATOR_RULE = ValueRule("number", 0, None, description="a number, 0 or more")
MAX_TEXT = 2000


def rule_for(field: str, unit: str) -> ValueRule:
    """The rule for one input cell; numerators and denominators are non-negative numbers."""
    if field in ("numerator", "denominator"):
        return NUMERATOR_RULE
    if field == "commentary":
        return ValueRule("text", description="text")
    return UNIT_RULES.get(unit, _ANY)


def range_problem(number: float, rule: ValueRule) -> str | None:
    """Why a number breaks its rule, or None."""
    if rule.minimum is not None and number < rule.minimum:
        return f"{_fmt(number)} is below the minimum {_fmt(rule.minimum)} ({rule.description})"
    if rule.maximum is not None and number > rule.maximum:
        return f"{_fmt(number)} is above the maximum {_fmt(rule.maximum)} ({rule.description})"
    if rule.whole and not float(number).is_integer():
        return f"{_fmt(number)} is not a whole number ({rule.description})"
    return None


def _fmt(number: float) -> str:
    return raw_text(number)


def raw_text(value: object) -> str:
    """The text of a cell as typed: numbers in their shortest exact form, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def shorthand_formula(ref: str) -> str:
    """Excel condition true when `ref` holds GSS shorthand (allowed in every number cell)."""
    return "OR(" + ",".join(f'{ref}="{code}"' for code in GSS_SHORTHAND) + ")"


def validation_formula(ref: str, rule: ValueRule) -> str:
    """A custom data-validation formula for `ref`: the rule's numbers, or GSS shorthand.

    IF, not OR(AND(ISNUMBER(..), ..), shorthand): AND and OR evaluate every argument, and
    INT() of text is #VALUE!, which they pass on, so Excel and LibreOffice refused shorthand in
    a whole-number cell."""
    tests = []
    if rule.minimum is not None:
        tests.append(f"{ref}>={_fmt(rule.minimum)}")
    if rule.maximum is not None:
        tests.append(f"{ref}<={_fmt(rule.maximum)}")
    if rule.whole:
        tests.append(f"{ref}=INT({ref})")
    number = f"AND({','.join(tests)})" if tests else "TRUE"
    return f"=IF(ISNUMBER({ref}),{number},{shorthand_formula(ref)})"


SHORTHAND_HELP = ", ".join(f"{code} {reason}" for code, reason in GSS_SHORTHAND.items())

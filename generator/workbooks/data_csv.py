"""Loading a scorecard's data from a long table (CSV or DataFrame): load_scorecard_data.

See generator.workbooks.data for the table's columns. Bad input raises ScorecardError naming the
file, the row and the field; no row is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from generator.workbooks.data import (
    ALIASES,
    METADATA_COLUMNS,
    REQUIRED_COLUMNS,
    VALUE_COLUMNS,
    Measure,
    ScorecardData,
    indicator_section,
    parse_override,
)
from scorecard.errors import ScorecardError
from scorecard.polarity import parse_polarity
from scorecard.rag import DEFAULT_TOLERANCE, Tolerance
from scorecard.values import Missing, parse_value

# --------------------------------------------------------------------------- periods

_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_QUARTER_END = {1: (0, 6), 2: (0, 9), 3: (0, 12), 4: (1, 3)}  # financial-year quarters


def period_sort_key(label: str) -> tuple[int, int] | None:
    """(year, month) at the end of a period label, or None when it does not read as a date."""
    text = label.strip().lower()
    if match := re.fullmatch(r"([a-z]{3})[a-z]*[\s\-/]*(\d{2}|\d{4})", text):
        month = _MONTHS.get(match[1])
        year = int(match[2])
        return (year + 2000 if year < 100 else year, month) if month else None
    if match := re.fullmatch(r"(\d{4})-(\d{2})(-\d{2})?", text):
        return int(match[1]), int(match[2])
    fy = r"(\d{4})\s*[/\-]\s*(\d{2}|\d{4})"
    if match := re.fullmatch(fy + r"\s*q([1-4])", text) or re.fullmatch(r"q([1-4])\s*" + fy, text):
        groups = match.groups()
        quarter, start = (int(groups[2]), int(groups[0])) if text[0] != "q" else (
            int(groups[0]), int(groups[1]))
        years_on, month = _QUARTER_END[quarter]
        return start + years_on, month
    if match := re.fullmatch(fy, text):
        return int(match[1]) + 1, 3
    if re.fullmatch(r"\d{4}", text):
        return int(text), 12
    return None


def order_periods(labels: Iterable[str]) -> list[str]:
    """Period labels oldest first: by date when all read as dates, else as first seen."""
    unique = list(dict.fromkeys(labels))
    keys = [period_sort_key(label) for label in unique]
    if all(key is not None for key in keys):
        return [label for _, label in sorted(zip(keys, unique, strict=True))]
    return unique


# --------------------------------------------------------------------------- loading


def read_table(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The input as a DataFrame of text (blanks as ''), and a name for error messages."""
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        name = "data frame"
    else:
        path = Path(source)
        if not path.exists():
            raise ScorecardError(f"{path}: no such file")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise ScorecardError(f"{path}: not a readable CSV file ({error})") from None
        name = str(path)
    frame.columns = [normalise_column(column) for column in frame.columns]
    return frame, name


def normalise_column(column: object) -> str:
    key = re.sub(r"[\s\-]+", "_", str(column).strip().lower())
    return ALIASES.get(key, key)


def row_label(name: str, position: int) -> str:
    """'file.csv, row 3 (line 4)' for CSV input; 'data frame, row 3' for a DataFrame."""
    if name == "data frame":
        return f"{name}, row {position + 1}"
    return f"{name}, row {position + 1} (line {position + 2})"


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def parse_cell(value: object, where: str, column: str) -> float | Missing:
    try:
        return parse_value(value)
    except ScorecardError as error:
        raise ScorecardError(f"{where}, field '{column}': {error}") from None


def load_scorecard_data(
    source: str | Path | pd.DataFrame,
    authority: str,
    period: str,
    catalogue=None,
) -> ScorecardData:
    """Read the tidy table for one authority and report period into ScorecardData."""
    frame, name = read_table(source)
    check_columns(frame, name)
    frame = select_authority(frame, name, authority)
    comparator_columns = [column for column in frame.columns if column.startswith("comparator")]
    measures: dict[str, Measure] = {}
    metadata: dict[str, dict[str, tuple[str, str]]] = {}
    seen: dict[tuple[str, str], str] = {}
    fractions: list[tuple[str, str, str, str]] = []  # (indicator, where, column, text)
    for position, row in zip(frame.index.to_list(), frame.to_dict("records"), strict=True):
        where = row_label(name, int(position))
        indicator_id = cell_text(row["indicator_id"])
        label = cell_text(row["period"])
        if not indicator_id:
            raise ScorecardError(f"{where}, field 'indicator_id': blank")
        if not label:
            raise ScorecardError(f"{where}, field 'period': blank")
        if (indicator_id, label) in seen:
            raise ScorecardError(
                f"{where}: {indicator_id} {label} appears twice (also {seen[indicator_id, label]})")
        seen[indicator_id, label] = where
        measure = measures.setdefault(indicator_id, Measure(indicator_id, "", ""))
        measure.values[label] = parse_cell(row["actual"], where, "actual")
        if "target" in row:
            measure.targets[label] = parse_cell(row["target"], where, "target")
        fractions += _bare_fractions(indicator_id, where, row, ("actual", "target"))
        for column in comparator_columns:
            measure.comparators.setdefault(comparator_name(column), {})[label] = parse_cell(
                row[column], where, column)
        if cell_text(row.get("commentary")):
            measure.commentary[label] = cell_text(row["commentary"])
        override = parse_override(cell_text(row.get("rag_override")),
                                  cell_text(row.get("override_reason")), where)
        if override:
            measure.overrides[label] = override
        collect_metadata(metadata.setdefault(indicator_id, {}), row, where)
    periods = order_periods(label for _, label in seen)
    if period not in periods:
        raise ScorecardError(
            f"{name}: period {period!r} is not in the data; periods found: {', '.join(periods)}")
    for indicator_id, measure in measures.items():
        describe_measure(measure, metadata[indicator_id], catalogue)
    ordered = order_measures(list(measures.values()))
    warnings = [
        f"{where}, field '{column}': {text} for a percentage measure ({indicator_id}) looks like a fraction; "
        f"percentages are on the 0-100 scale, so it is shown as {text}%"
        for indicator_id, where, column, text in fractions if measures[indicator_id].unit == "percentage"
    ]
    return ScorecardData(
        authority=authority, period=period, periods=periods[: periods.index(period) + 1],
        measures=ordered, comparator_names=[comparator_name(c) for c in comparator_columns],
        # The file name, not the path: a path on the producer's machine has no place in a publication.
        source=name if isinstance(source, pd.DataFrame) else Path(name).name,
        warnings=warnings,
    )


def _bare_fractions(indicator_id: str, where: str, row: dict, columns) -> list[tuple[str, str, str, str]]:
    """Cells holding a bare number strictly between 0 and 1 (no % sign): maybe a fraction."""
    found = []
    for column in columns:
        text = cell_text(row.get(column))
        value = parse_value(text) if text and not text.endswith("%") else None
        if isinstance(value, float) and 0 < abs(value) < 1:
            found.append((indicator_id, where, column, text))
    return found


def check_columns(frame: pd.DataFrame, name: str) -> None:
    columns = list(frame.columns)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ScorecardError(
            f"{name}: missing column(s) {', '.join(missing)}; found {', '.join(columns)}")
    known = {*REQUIRED_COLUMNS, *VALUE_COLUMNS, *METADATA_COLUMNS}
    unknown = [c for c in columns if c not in known and not c.startswith("comparator")]
    if unknown:
        raise ScorecardError(
            f"{name}: unknown column(s) {', '.join(unknown)}; the columns are "
            f"{', '.join(REQUIRED_COLUMNS + VALUE_COLUMNS + METADATA_COLUMNS)} and comparator...")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ScorecardError(f"{name}: column(s) {', '.join(duplicated)} appear more than once")


def select_authority(frame: pd.DataFrame, name: str, authority: str) -> pd.DataFrame:
    if "authority" not in frame.columns:
        return frame
    names = frame["authority"].map(cell_text)
    chosen = frame[names.str.casefold() == authority.strip().casefold()]
    if chosen.empty:
        found = ", ".join(sorted(set(names)))
        raise ScorecardError(f"{name}: no rows for authority {authority!r}; authorities: {found}")
    return chosen


def comparator_name(column: str) -> str:
    """'comparator' -> 'Comparator group'; 'comparator_england' -> 'England'."""
    rest = column[len("comparator"):].strip("_: ")
    return rest.replace("_", " ").title() if rest else "Comparator group"


def collect_metadata(found: dict[str, tuple[str, str]], row: dict, where: str) -> None:
    """Per-indicator fields from the data; two rows that disagree are an error."""
    for column in METADATA_COLUMNS:
        text = cell_text(row.get(column))
        if not text:
            continue
        if column in found and found[column][0] != text:
            raise ScorecardError(
                f"{where}, field '{column}': {text!r} differs from {found[column][0]!r} "
                f"given for the same indicator at {found[column][1]}")
        found.setdefault(column, (text, where))


def describe_measure(measure: Measure, found: dict[str, tuple[str, str]], catalogue) -> None:
    """Fill in what the measure is: the catalogue first, then the data's own columns."""
    indicator = catalogue_indicator(catalogue, measure.id)
    if indicator is not None:
        apply_indicator(measure, indicator)
    elif not {"name", "theme", "polarity"} <= found.keys():
        where = next(iter(found.values()), ("", "the data"))[1]
        raise ScorecardError(
            f"{where}: indicator {measure.id!r} is not in the catalogue; give its name, theme "
            "and polarity in the data (columns name, theme, polarity)")
    for column, (text, where) in found.items():
        try:
            apply_field(measure, column, text)
        except (ScorecardError, ValueError) as error:
            raise ScorecardError(f"{where}, field '{column}': {error}") from None


def catalogue_indicator(catalogue, indicator_id: str):
    if catalogue is None:
        return None
    try:
        return catalogue.get(indicator_id)
    except (KeyError, LookupError, ScorecardError):
        return None


def apply_indicator(measure: Measure, indicator) -> None:
    measure.name = getattr(indicator, "name", "") or measure.id
    measure.theme = getattr(indicator, "theme", "") or "Other"
    measure.section = indicator_section(indicator)
    measure.unit = getattr(indicator, "unit", "") or "count"
    measure.decimal_places = getattr(indicator, "decimal_places", None)
    measure.polarity = parse_polarity(getattr(indicator, "polarity", None))
    kind = getattr(indicator, "tolerance_type", None) or DEFAULT_TOLERANCE.kind
    amount = getattr(indicator, "tolerance", None)
    amount = DEFAULT_TOLERANCE.amount if amount in (None, "") else float(amount)
    measure.tolerance = Tolerance(str(kind).strip().lower(), amount)
    measure.reporting_basis = getattr(indicator, "reporting_basis", "") or ""
    measure.definition = getattr(indicator, "definition", "") or ""
    measure.frequency = getattr(indicator, "frequency", "") or ""
    measure.source = getattr(indicator, "source_return", "") or ""
    references = []
    for label, attr in (("KCC", "kcc_code"), ("CIB", "cib_ref"), ("DfE", "dfe_ref")):
        value = getattr(indicator, attr, "")
        text = ", ".join(value) if isinstance(value, tuple | list) else str(value or "")
        if text:
            references.append(f"{label} {text}")
    documents = getattr(indicator, "documents", ())
    if documents:
        references.append("documents " + ", ".join(documents))
    measure.references = "; ".join(references)


def apply_field(measure: Measure, column: str, text: str) -> None:
    if column == "polarity":
        measure.polarity = parse_polarity(text)
    elif column == "tolerance_type":
        measure.tolerance = Tolerance(text.lower(), measure.tolerance.amount)
    elif column == "tolerance":
        measure.tolerance = Tolerance(measure.tolerance.kind, number_field(text, column))
    elif column == "no_change_threshold":
        measure.no_change_threshold = number_field(text, column)
    elif column == "decimal_places":
        places = number_field(text, column)
        if places != int(places):
            raise ScorecardError(f"{text!r} must be a whole number of decimal places")
        measure.decimal_places = int(places)
    else:
        setattr(measure, column, text)


def number_field(text: str, column: str) -> float:
    value = parse_value(text)
    if isinstance(value, Missing) or value < 0:
        raise ScorecardError(f"{text!r} must be a number 0 or more")
    return value


def order_measures(measures: list[Measure]) -> list[Measure]:
    """Group by theme in the order themes first appear in the data; keep data order within."""
    rank = {theme: index for index, theme in
            enumerate(dict.fromkeys(measure.theme for measure in measures))}
    return sorted(measures, key=lambda measure: rank[measure.theme])

"""Loading a scorecard's data from a long table (CSV, .xlsx or DataFrame): load_scorecard_data.

See generator.workbooks.data for the table's columns. Bad input raises ScorecardError naming the
file, the line and the column; no row is dropped silently. Periods are read by scorecard.periods.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from generator.inputs import read_table as read_input_table
from generator.words import noun, plural
from generator.workbooks.data import (
    ALIASES,
    FLAG,
    METADATA_COLUMNS,
    REQUIRED_COLUMNS,
    VALUE_COLUMNS,
    DataProblem,
    Measure,
    ScorecardData,
    indicator_section,
    parse_override,
)
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period, parse_periods
from scorecard.polarity import Polarity, parse_polarity
from scorecard.rag import DEFAULT_TOLERANCE, RELATIVE, Tolerance
from scorecard.values import Missing, parse_value

SHOWN_PROBLEMS = 20  # a stopped build lists this many problems, then counts the rest

# --------------------------------------------------------------------------- where rows came from


@dataclass
class Rows:
    """Where each row of a loaded table came from, for messages ('data.csv, line 4, column actual')."""

    name: str  # the file (or table) as named in messages
    locate: Callable[[int, str | None], str]
    columns: dict[str, str] = field(default_factory=dict)  # column as read -> as written

    def where(self, index: int, column: str | None = None) -> str:
        return self.locate(index, self.columns.get(column, column) if column else None)


def frame_rows(name: str = "the table given") -> Rows:
    """Rows of a DataFrame given directly: 'the table given, row 3, column actual'."""
    return Rows(name, lambda index, column: f"{name}, row {index + 1}" + (f", column {column}" if column
                                                                           else ""))


# --------------------------------------------------------------------------- loading


def read_table(source: str | Path | pd.DataFrame, what: str = "scorecard data") -> tuple[pd.DataFrame, Rows]:
    """The input as a DataFrame of text (blanks as ''), and where each row came from.

    A path is read by generator.inputs (CSV in UTF-8 or Windows-1252, or an .xlsx sheet).
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy().reset_index(drop=True)
        rows = frame_rows()
    else:
        table = read_input_table(source, what)
        frame = table.frame()
        rows = Rows(table.header_place, table.where)
    written = [str(column) for column in frame.columns]
    frame.columns = [normalise_column(column) for column in written]
    rows.columns = dict(zip(frame.columns, written, strict=True))
    return frame, rows


def normalise_column(column: object) -> str:
    key = re.sub(r"[\s\-]+", "_", str(column).strip().lower())
    return ALIASES.get(key, key)


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def parse_cell(value: object, where: str, column: str) -> float | Missing:
    """The value of one cell; ScorecardError naming `where` (which names the column)."""
    try:
        return parse_value(value)
    except ScorecardError as error:
        raise ScorecardError(f"{where}: {error}") from None


def load_scorecard_data(
    source: str | Path | pd.DataFrame,
    authority: str,
    period: str,
    catalogue=None,
    *,
    allow_problems: bool = False,
    rows: Rows | None = None,
) -> ScorecardData:
    """Read the tidy table for one authority and report period into ScorecardData.

    `period` may be written any way scorecard.periods reads. Problems that would give a quiet
    wrong answer (see generator.workbooks.data) raise ScorecardError listing each by file, line and
    column; with `allow_problems` they are kept in ScorecardData.problems and flagged on the
    measure's row. `rows` says where a DataFrame's rows came from (the store gives its cells).
    """
    frame, read_rows = read_table(source)
    rows = rows or read_rows
    report = parse_period(period).label
    check_columns(frame, rows.name)
    frame = select_authority(frame, rows, authority)
    labels = period_labels(frame, rows)
    comparator_columns = [column for column in frame.columns if column.startswith("comparator")]
    measures: dict[str, Measure] = {}
    metadata: dict[str, dict[str, tuple[str, str]]] = {}
    seen: dict[tuple[str, str], str] = {}
    fractions: list[DataProblem] = []
    for position, label, row in zip(frame.index.to_list(), labels, frame.to_dict("records"), strict=True):
        where = rows.where(int(position))
        indicator_id = cell_text(row["indicator_id"])
        if not indicator_id:
            raise ScorecardError(f"{rows.where(int(position), 'indicator_id')}: blank")
        if (indicator_id, label) in seen:
            raise ScorecardError(
                f"{where}: {indicator_id} {label} appears twice (also {seen[indicator_id, label]})")
        seen[indicator_id, label] = where
        measure = measures.setdefault(indicator_id, Measure(indicator_id, "", ""))
        value_columns = ["actual", *(["target"] if "target" in row else []), *comparator_columns]
        for column in value_columns:
            cell_where = rows.where(int(position), column)
            value = parse_cell(row[column], cell_where, column)
            if column == "actual":
                measure.values[label] = value
            elif column == "target":
                measure.targets[label] = value
            else:
                measure.comparators.setdefault(comparator_name(column), {})[label] = value
            if looks_like_fraction(row[column]):
                fractions.append(DataProblem(cell_where, indicator_id, fraction_message(
                    cell_text(row[column]), indicator_id)))
        if cell_text(row.get("commentary")):
            measure.commentary[label] = cell_text(row["commentary"])
        override = parse_override(cell_text(row.get("rag_override")),
                                  cell_text(row.get("override_reason")),
                                  lambda column, at=int(position): rows.where(at, column))
        if override:
            measure.overrides[label] = override
        read_benchmark(measure, label, row, lambda column, at=int(position): rows.where(at, column))
        collect_metadata(metadata.setdefault(indicator_id, {}), row, rows, int(position))
    periods = sorted(set(labels), key=lambda label: parse_period(label).sort_key)
    if report not in periods:
        raise ScorecardError(
            f"{rows.name}: period {report!r} is not in the data; periods found: {', '.join(periods)}")
    for indicator_id, measure in measures.items():
        describe_measure(measure, metadata[indicator_id], catalogue)
    ordered = order_measures(list(measures.values()))
    problems = [p for p in fractions if measures[p.indicator_id].unit == "percentage"]
    problems += tolerance_problems(measures, metadata)
    if "target" not in frame.columns:
        problems += [DataProblem(rows.name, m.id, f"there is no 'target' column, so {m.id} has no "
                                 "target and no status; add a target column (blank cells are allowed)")
                     for m in ordered if m.polarity is not Polarity.NONE]
    settle_problems(problems, measures, report, allow_problems, rows.name)
    if not isinstance(source, pd.DataFrame):  # in the workbook, the file's name, not its path
        problems = [replace(p, where=p.where.replace(str(source), Path(str(source)).name)) for p in problems]
    return ScorecardData(
        authority=authority, period=report, periods=periods[: periods.index(report) + 1],
        measures=ordered, comparator_names=[comparator_name(c) for c in comparator_columns],
        # The file name, not the path: a path on the producer's machine has no place in a publication.
        source=rows.name if isinstance(source, pd.DataFrame) else Path(str(source)).name,
        problems=problems,
    )


def read_benchmark(measure: Measure, label: str, row: dict, where: Callable[[str], str]) -> None:
    """The row's quartile band and rank, when the table has them (blank: none); `where(column)`
    names a cell for an error."""
    band = cell_text(row.get("quartile_band")).upper()
    if band and band != "-":
        if band not in ("A", "B", "C", "D"):
            raise ScorecardError(f"{where('quartile_band')}: {band!r} is not a band; allowed: A, B, C, D, "
                                 "- or blank")
        measure.bands[label] = band
    rank, of = (_whole_number(row.get(column), where(column), column) for column in ("rank", "rank_of"))
    if rank is not None:
        if of is None or not 1 <= rank <= of:
            raise ScorecardError(f"{where('rank')}: {rank} needs rank_of, the number ranked, at least as big")
        measure.ranks[label] = (rank, of)


def _whole_number(value: object, where: str, column: str) -> int | None:
    text = cell_text(value)
    if not text or text == "-":
        return None
    number = parse_cell(text, where, column)
    if isinstance(number, Missing):
        return None
    if number != int(number) or number < 1:
        raise ScorecardError(f"{where}: {text!r} is not a whole number of 1 or more")
    return int(number)


def period_labels(frame: pd.DataFrame, rows: Rows) -> list[str]:
    """The canonical label of each row's period; an unreadable one names its line and column."""
    texts = [cell_text(value) for value in frame["period"]]
    periods = parse_periods(texts, lenient=True)
    for position, text, period in zip(frame.index.to_list(), texts, periods, strict=True):
        if period is None:
            try:
                parse_period(text)
            except ScorecardError as error:
                raise ScorecardError(f"{rows.where(int(position), 'period')}: {error}") from None
    return [period.label for period in periods]


def looks_like_fraction(value: object) -> bool:
    """A bare number strictly between -1 and 1 (not 0), written without a % sign."""
    text = cell_text(value)
    if not text or text.endswith("%"):
        return False
    try:
        number = parse_value(text)
    except ScorecardError:
        return False
    return isinstance(number, float) and 0 < abs(number) < 1


def fraction_message(text: str, indicator_id: str) -> str:
    scaled = f"{float(text) * 100:.10g}"
    return (f"{text} for percentage measure {indicator_id} looks like a fraction: percentages are on "
            f"the 0-100 scale, so it would be shown as {text}%. Write {scaled} for {scaled}%, or "
            f"{text}% if {text}% is meant")


def tolerance_problems(measures: dict[str, Measure], metadata) -> list[DataProblem]:
    """A relative tolerance written as a fraction (0.05 meaning 5%)."""
    problems = []
    for indicator_id, measure in measures.items():
        text, where = metadata[indicator_id].get("tolerance", ("", ""))
        if measure.tolerance.kind == RELATIVE and looks_like_fraction(text):
            problems.append(DataProblem(where, indicator_id, (
                f"relative tolerance {text} for {indicator_id} looks like a fraction: a relative "
                f"tolerance is a per cent of the target, so {text} means {text}% of it. Write "
                f"{float(text) * 100:.10g} for {float(text) * 100:.10g}%, or {text}% if {text}% is meant")))
    return problems


def settle_problems(problems: list[DataProblem], measures: dict[str, Measure], report: str,
                    allow: bool, name: str) -> None:
    """Stop on problems, listing them; or, if allowed, flag each on its measure's row."""
    if not problems:
        return
    if not allow:
        shown = "\n".join(f"  {problem}" for problem in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        raise ScorecardError(
            f"{name}: {plural(len(problems), 'problem')} would give wrong answers in the workbook:\n"
            f"{shown}" + (f"\n  and {more} more" if more > 0 else "")
            + "\nCorrect the data, or build anyway with --allow-problems (allow_problems=True): each "
            "problem is then flagged on its row and on the Notes sheet")
    for indicator_id in dict.fromkeys(p.indicator_id for p in problems):
        flags = [p for p in problems if p.indicator_id == indicator_id]
        targets = [measures[indicator_id]] if indicator_id in measures else measures.values()
        for measure in targets:
            text = "; ".join(f"{p.message} ({p.where.replace(name, Path(name).name)})" for p in flags)
            earlier = measure.commentary.get(report, "")
            measure.commentary[report] = f"{FLAG}: {text}" + (f"\n{earlier}" if earlier else "")


def check_columns(frame: pd.DataFrame, name: str) -> None:
    columns = list(frame.columns)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ScorecardError(
            f"{name}: missing {noun(len(missing), 'column')} {', '.join(missing)}; found {', '.join(columns)}")
    known = {*REQUIRED_COLUMNS, *VALUE_COLUMNS, *METADATA_COLUMNS}
    unknown = [c for c in columns if c not in known and not c.startswith("comparator")]
    if unknown:
        raise ScorecardError(
            f"{name}: unknown {noun(len(unknown), 'column')} {', '.join(unknown)}; the columns are "
            f"{', '.join(REQUIRED_COLUMNS + VALUE_COLUMNS + METADATA_COLUMNS)} and comparator...")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ScorecardError(f"{name}: {noun(len(duplicated), 'column')} {', '.join(duplicated)} "
                             f"{noun(len(duplicated), 'appears', 'appear')} more than once")


def select_authority(frame: pd.DataFrame, rows: Rows, authority: str) -> pd.DataFrame:
    """The rows for `authority` (code or name, any case) when the table has an authority column."""
    if "authority" not in frame.columns:
        return frame
    names = frame["authority"].map(cell_text)
    chosen = frame[names.str.casefold() == " ".join(authority.split()).casefold()]
    if chosen.empty:
        found = sorted(set(names))
        near = difflib.get_close_matches(authority, found, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(map(repr, near))}? " if near else ""
        raise ScorecardError(f"{rows.name}: no rows for authority {authority!r}; {hint}"
                             f"authorities in the data: {', '.join(found)}")
    return chosen


def comparator_name(column: str) -> str:
    """'comparator' -> 'Comparator group'; 'comparator_england' -> 'England'."""
    rest = column[len("comparator"):].strip("_: ")
    return rest.replace("_", " ").title() if rest else "Comparator group"


def collect_metadata(found: dict[str, tuple[str, str]], row: dict, rows: Rows, position: int) -> None:
    """Per-indicator fields from the data; two rows that disagree are an error (two spellings of
    one polarity, or of one number, agree)."""
    for column in METADATA_COLUMNS:
        text = cell_text(row.get(column))
        if not text:
            continue
        where = rows.where(position, column)
        if column in found and not same_field(column, found[column][0], text):
            raise ScorecardError(
                f"{where}: {text!r} differs from {found[column][0]!r} "
                f"given for the same indicator at {found[column][1]}")
        found.setdefault(column, (text, where))


def same_field(column: str, first: str, second: str) -> bool:
    """Whether two spellings of a metadata field say the same thing."""
    if column == "polarity":
        try:
            return parse_polarity(first) == parse_polarity(second)
        except ScorecardError:
            return False
    if column in ("tolerance", "no_change_threshold", "decimal_places"):
        try:
            return parse_value(first) == parse_value(second)
        except ScorecardError:
            return False
    if column in ("unit", "tolerance_type"):
        return first.casefold() == second.casefold()
    return first == second


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
            raise ScorecardError(f"{where}: {error}") from None


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
        measure.tolerance = Tolerance(text.strip().lower(), measure.tolerance.amount)
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

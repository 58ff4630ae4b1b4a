"""The data a scorecard is built from: one authority's values, targets and commentary.

Input is a long ("tidy") table, as CSV or a pandas DataFrame, one row per indicator per
period:

    indicator_id, period, actual[, target][, commentary][, comparator...][, authority]

- `indicator_id` is the catalogue id; the catalogue supplies name, theme, unit, polarity,
  tolerance, reporting basis and definition. Optional columns `name, theme, section, unit,
  decimal_places, polarity, reporting_basis, tolerance_type, tolerance, no_change_threshold,
  definition, frequency, source` override the catalogue, and describe indicators that are
  not in it (then at least `name`, `theme` and `polarity` are needed).
- `actual`, `target` and comparator values are numbers, blank, or GSS shorthand ([c], [x],
  [z], [u], [low]); percentages on the 0-100 scale ("86.5%" and 86.5 are the same).
- Any column whose name starts with `comparator` is a comparator value (statistical
  neighbours, England ...); `comparator` alone is 004's "Comparator group".
- `authority`, when present, is filtered to the authority asked for.
- Periods are ordered by date when every label reads as one (Mar-24, 2024-03, 2023/24 Q4,
  Q4 2023-24, 2023/24); otherwise in order of first appearance. Rows after the report period
  are not shown (they are not in the report).

`load_store_data(store, authority, period)` builds the same table from the collection store
(generator.collection.store) with `store_frame` and reads it the same way.

Bad input raises ScorecardError naming the file, the row and the field; no row is dropped
silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.collection.store import Store
from scorecard.direction import Direction, direction, direction_arrow
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.rag import DEFAULT_TOLERANCE, RagResult, Tolerance, rag
from scorecard.risk import risk_change, risk_level, risk_score
from scorecard.values import BLANK, Missing, parse_value

DEFAULT_HISTORY = 5

REQUIRED_COLUMNS = ("indicator_id", "period", "actual")
VALUE_COLUMNS = ("target", "commentary", "authority")
METADATA_COLUMNS = (
    "name", "theme", "section", "unit", "decimal_places", "polarity", "reporting_basis",
    "tolerance_type", "tolerance", "no_change_threshold", "definition", "frequency", "source",
)
ALIASES = {
    "indicator": "indicator_id", "id": "indicator_id", "code": "indicator_id",
    "value": "actual", "comment": "commentary", "comments": "commentary",
    "la": "authority", "local_authority": "authority", "measure": "name",
    "good_performance": "polarity",
}


@dataclass
class Measure:
    """One indicator on the scorecard: what it is, and its values by period."""

    id: str
    name: str
    theme: str
    section: str = ""
    unit: str = "count"
    decimal_places: int | None = None
    polarity: Polarity = Polarity.NONE
    tolerance: Tolerance = DEFAULT_TOLERANCE
    no_change_threshold: float = 0.0
    reporting_basis: str = ""
    definition: str = ""
    frequency: str = ""
    source: str = ""
    references: str = ""
    values: dict[str, float | Missing] = field(default_factory=dict)
    targets: dict[str, float | Missing] = field(default_factory=dict)
    comparators: dict[str, dict[str, float | Missing]] = field(default_factory=dict)
    commentary: dict[str, str] = field(default_factory=dict)

    def value(self, period: str | None) -> float | Missing:
        return self.values.get(period, BLANK) if period else BLANK

    def target(self, period: str) -> float | Missing:
        return self.targets.get(period, BLANK)

    def comparator(self, name: str, period: str) -> float | Missing:
        return self.comparators.get(name, {}).get(period, BLANK)


@dataclass
class ScorecardData:
    """Everything a scorecard workbook shows for one authority and one report period."""

    authority: str
    period: str
    periods: list[str]  # every period up to and including `period`, oldest first
    measures: list[Measure]
    comparator_names: list[str]
    source: str = ""
    # Things worth a second look that are not errors (a percentage typed as a fraction ...).
    warnings: list[str] = field(default_factory=list)

    @property
    def previous_period(self) -> str | None:
        return self.periods[-2] if len(self.periods) > 1 else None

    def shown_periods(self, count: int = DEFAULT_HISTORY) -> list[str]:
        """The last `count` periods ending with the report period."""
        return self.periods[-count:]

    def themes(self) -> list[str]:
        return list(dict.fromkeys(measure.theme for measure in self.measures))

    def by_theme(self, theme: str) -> list[Measure]:
        return [measure for measure in self.measures if measure.theme == theme]

    def status(self, measure: Measure) -> RagResult:
        """The status the Python rules give the latest actual against its target."""
        return rag(measure.value(self.period), measure.target(self.period), measure.polarity,
                   measure.tolerance)

    def direction(self, measure: Measure) -> Direction:
        """Direction of travel from the previous period to the report period."""
        return direction(measure.value(self.period), measure.value(self.previous_period),
                         measure.polarity, measure.no_change_threshold,
                         target=measure.target(self.period))

    def arrow(self, measure: Measure) -> str:
        """↑, ↓ or → for the value's move from the previous period ('' when not comparable)."""
        return direction_arrow(measure.value(self.period), measure.value(self.previous_period),
                               measure.no_change_threshold)

    def judge(self, measure: Measure) -> Judgement:
        """Status, direction and arrow together: what a workbook shows for the measure."""
        return Judgement(self.status(measure), self.direction(measure), self.arrow(measure))


@dataclass(frozen=True)
class Judgement:
    """What the Python rules say about one measure in the report period (ScorecardData.judge)."""

    status: RagResult
    direction: Direction
    arrow: str


@dataclass(frozen=True)
class Risk:
    id: str
    risk: str
    owner: str
    impact: int
    likelihood: int
    previous_score: int | None = None
    controls: str = ""

    @property
    def score(self) -> int:
        return risk_score(self.impact, self.likelihood)

    @property
    def level(self) -> str:
        return risk_level(self.score)

    @property
    def change(self) -> str:
        """004's risk symbols, in words: Increasing, Decreasing or No change."""
        return risk_change(self.score, self.previous_score)


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


# --------------------------------------------------------------------------- the store

# Store.values_for column -> comparator column of the long table (shown as its title).
STORE_COMPARATORS = (
    ("neighbours_average", "comparator_statistical_neighbours"),
    ("region_value", "comparator_region"),
    ("england_value", "comparator_england"),
)
# Units whose answer is not a number: the scorecard shows no status and the answer in the
# commentary column.
ANSWER_UNITS = frozenset({"text", "date", "yes/no"})


def _open_store(store: Store | str | Path) -> tuple[Store, bool]:
    """(the store, whether we opened it); a path must exist (Store() would create it)."""
    if isinstance(store, Store):
        return store, False
    path = Path(store)
    if not path.is_file():
        raise ScorecardError(f"no store at {path}: run `scorecard collect` first")
    return Store(path), True


def _store_authority(store: Store, authority: str) -> tuple[str, str]:
    """(code, name) of the authority with returns in the store, matched by code or name."""
    submitted = store.submissions()
    codes = list(dict.fromkeys(submitted["authority"]))
    names = {a.code: a.name for a in store.authorities()}
    wanted = authority.strip().casefold()
    for code in codes:
        if wanted in (code.casefold(), (names.get(code) or "").casefold()):
            return code, names.get(code) or ""
    listed = ", ".join(f"{c} ({names[c]})" if names.get(c) else c for c in codes) or "none"
    raise ScorecardError(f"{store.path}: authority {authority!r} has no returns in the store; "
                         f"authorities with returns: {listed}")


def store_periods(store: Store, code: str, period: str) -> list[str]:
    """The report period and the periods before it with a return from `code`, oldest first."""
    submitted = store.submissions(authority=code).sort_values("id")
    labels = order_periods(submitted["period"])
    if period not in labels:
        raise ScorecardError(f"{store.path}: no return from {code} for period {period!r}; "
                             f"periods stored for {code}: {', '.join(labels)}")
    return labels[: labels.index(period) + 1]


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value)


def store_frame(store: Store | str | Path, authority: str, period: str, catalogue=None
                ) -> pd.DataFrame:
    """The long table for one authority's scorecard, from the collection store.

    One row per indicator and period the store holds for the authority (current versions),
    for the report period and the periods before it: actual, target and commentary as
    collected; `comparator_statistical_neighbours`, `comparator_region` and
    `comparator_england` where the store has any. A missing value collected as shorthand
    ([c], [x] ... or a placeholder such as n/a) stays that shorthand, for the value, target,
    numerator or denominator; a cell with an error gives a blank. Text, date and Yes/No
    answers go to the commentary (they have no status). Indicators not in the catalogue are
    left out: the error report lists them (unknown_indicator).
    """
    store, opened = _open_store(store)
    try:
        return _store_frame(store, authority, period, _catalogue(catalogue))[0]
    finally:
        if opened:
            store.close()


def load_store_data(store: Store | str | Path, authority: str, period: str, catalogue=None
                    ) -> ScorecardData:
    """ScorecardData for one authority and report period from the collection store.

    `authority` is the code (or the name) the returns were collected under; `period` the
    report period as collected. The store's path is named when either is not in it.
    """
    catalogue = _catalogue(catalogue)
    store, opened = _open_store(store)
    try:
        frame, code, name = _store_frame(store, authority, period, catalogue)
    finally:
        if opened:
            store.close()
    if period not in set(frame["period"]):
        raise ScorecardError(f"{store.path}: the return from {code} for {period} holds no "
                             "values for indicators in the catalogue")
    data = load_scorecard_data(frame, f"{name} ({code})" if name else code, period, catalogue)
    data.source = f"Collection store {Path(store.path).name}: {code}, {', '.join(data.periods)}"
    return data


def _catalogue(catalogue):
    if catalogue is None:
        from scorecard.catalogue import load_catalogue

        return load_catalogue()
    return catalogue


def _store_frame(store: Store, authority: str, period: str, catalogue
                 ) -> tuple[pd.DataFrame, str, str]:
    code, name = _store_authority(store, authority)
    periods = store_periods(store, code, period)
    table = store.values_for(code, periods, catalogue)
    cells = store.cells(authority=code)
    codes, texts = {}, {}
    for cell in cells[cells["period"].isin(periods)].itertuples():
        key = (cell.indicator_id, cell.period, cell.field)
        if isinstance(cell.missing_code, str) and cell.status != "error":
            codes[key] = cell.missing_code
        if isinstance(cell.text, str) and cell.text:
            texts[key] = cell.text
    order = {indicator.id: n for n, indicator in enumerate(catalogue)}
    table = table[table["indicator_id"].isin(order)]
    present = [(source, column) for source, column in STORE_COMPARATORS
               if table[source].map(_number).notna().any()]
    rows = []
    for row in table.itertuples():
        key = (row.indicator_id, row.period)
        actual = _number(row.actual)
        if actual is None:  # shorthand typed as the value, or as numerator or denominator
            actual = next((codes[(*key, f)] for f in ("value", "numerator", "denominator")
                           if (*key, f) in codes), "")
        target = _number(row.target)
        commentary = row.commentary if isinstance(row.commentary, str) else ""
        if catalogue.get(row.indicator_id).unit in ANSWER_UNITS and texts.get((*key, "value")):
            commentary = "\n".join(filter(None, (texts[(*key, "value")], commentary)))
        rows.append({
            "indicator_id": row.indicator_id, "period": row.period, "actual": actual,
            "target": codes.get((*key, "target"), "") if target is None else target,
            "commentary": commentary,
            **{column: _number(getattr(row, source)) for source, column in present},
        })
    columns = ["indicator_id", "period", "actual", "target", "commentary",
               *(column for _, column in present)]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame = frame.where(frame.notna(), "")
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: (
        order[frame["indicator_id"].iat[i]], periods.index(frame["period"].iat[i])))]
    return frame.reset_index(drop=True), code, name


# --------------------------------------------------------------------------- risks

RISK_COLUMNS = ("risk_id", "risk", "owner", "impact", "likelihood")


def load_risks(source: str | Path | pd.DataFrame) -> list[Risk]:
    """A risk register: risk_id, risk, owner, impact (1-5), likelihood (1-5)
    [, previous_score][, controls]."""
    frame, name = read_table(source)
    missing = [column for column in RISK_COLUMNS if column not in frame.columns]
    if missing:
        raise ScorecardError(f"{name}: missing risk column(s) {', '.join(missing)}")
    risks = []
    for position, row in zip(frame.index.to_list(), frame.to_dict("records"), strict=True):
        where = row_label(name, int(position))
        try:
            risk_score(row["impact"], row["likelihood"])  # names the field that is wrong
            impact, likelihood = int(float(row["impact"])), int(float(row["likelihood"]))
            previous = cell_text(row.get("previous_score"))
            previous_score = None
            if previous:
                risk_level(previous)  # refuses anything but a whole number 1-25
                previous_score = int(float(previous))
        except (ScorecardError, ValueError) as error:
            raise ScorecardError(f"{where}: {error}") from None
        if not cell_text(row["risk"]):
            raise ScorecardError(f"{where}, field 'risk': blank")
        risks.append(Risk(cell_text(row["risk_id"]), cell_text(row["risk"]),
                          cell_text(row["owner"]), impact, likelihood, previous_score,
                          cell_text(row.get("controls"))))
    return risks


# --------------------------------------------------------------------------- seed 004

SEED004_PERIOD_COLUMNS = ("Mar-23", "Jun-23", "Sep-23", "Dec-23", "Mar-24")


def seed004_unit(measure_name: str) -> str:
    text = measure_name.strip().lower()
    if text.startswith("%"):
        return "percentage"
    if text.startswith("rate per 1,000"):
        return "rate per 1,000"
    return "count"


def normalise_name(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", text.lower()).strip()


def match_catalogue_name(catalogue, measure_name: str, document: str = "004") -> str | None:
    """The catalogue id of the indicator that `document` calls `measure_name`."""
    if catalogue is None:
        return None
    wanted = normalise_name(measure_name)
    for indicator in catalogue:
        names = dict(getattr(indicator, "names", {}) or {})
        if document in getattr(indicator, "documents", ()) and names.get(document):
            if normalise_name(names[document]) == wanted:
                return indicator.id
    for indicator in catalogue:
        if wanted in {normalise_name(indicator.name), normalise_name(indicator.short_name or "")}:
            return indicator.id
    return None


def load_seed004(path: str | Path, catalogue=None) -> pd.DataFrame:
    """004's published scorecard (examples/seed004_q4_2023_24.csv) as the tidy table.

    Each measure is matched to its catalogue id by name; a measure the catalogue does not
    list keeps 004's own description (name, theme, section, polarity, reporting basis) under
    an id '004-NN', so nothing is dropped.
    """
    frame, name = read_table(path)
    rows = []
    for position, row in zip(frame.index.to_list(), frame.to_dict("records"), strict=True):
        measure = cell_text(row["name"])
        indicator_id = match_catalogue_name(catalogue, measure) or f"004-{position + 1:02d}"
        description = {
            "name": measure, "theme": cell_text(row["theme"]), "section": cell_text(row["section"]),
            "polarity": cell_text(row["polarity"]), "unit": seed004_unit(measure),
            "reporting_basis": cell_text(row["reporting_basis"]),
        }
        for label in SEED004_PERIOD_COLUMNS:
            latest = label == SEED004_PERIOD_COLUMNS[-1]
            rows.append({
                "indicator_id": indicator_id, "period": label,
                "actual": row[normalise_column(label)],
                "target": row["target"] if latest else "",
                "comparator": row["comparator"] if latest else "",
                **description,
            })
    return pd.DataFrame(rows)

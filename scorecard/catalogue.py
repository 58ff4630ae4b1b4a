"""The indicator catalogue: one row per distinct indicator, from the five source documents.

The built-in catalogue ships as ``scorecard/data/catalogue.csv`` (UTF-8, one indicator a row,
multi-valued cells separated by "; "). A user's own catalogue file can replace it
(``load_catalogue(path)``) or add to it (``load_catalogue(extend=path)``); either way it goes
through the same validation, which reports every problem at once.

See docs/catalogue.md for how the built-in rows were drawn from the documents.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, parse_polarity
from scorecard.rag import DEFAULT_TOLERANCE as RAG_DEFAULT_TOLERANCE
from scorecard.rag import RELATIVE, TOLERANCE_KINDS
from scorecard.textfile import decode_text
from scorecard.vocab import FREQUENCIES, RATE_UNITS, REPORTING_BASES, UNITS, UNJUDGED_UNITS

CATALOGUE_COLUMNS: tuple[str, ...] = (
    "id", "name", "short_name", "definition", "theme", "unit", "decimal_places",
    "polarity", "polarity_inferred", "tolerance_type", "tolerance", "reporting_basis",
    "frequency", "source_return", "population_basis", "kcc_code", "cib_ref", "dfe_ref",
    "lait_code", "la_profile", "regions", "cib_common_set", "status", "documents",
    "name_000", "name_001", "name_002", "name_003", "name_004", "notes",
)
REQUIRED_COLUMNS = ("id", "name", "short_name", "theme", "unit", "polarity")

# 003 Appendix B: the regional benchmarking groups that collect an indicator.
REGIONS: tuple[str, ...] = ("NW", "NE", "Y&H", "WM", "E", "L", "SE", "SW")
DOCUMENTS: dict[str, str] = {
    "000": "Regional Performance Dataset (scorecard outline and education measures)",
    "001": "Kent CYPE directorate scorecard, February 2019 (indicator definitions)",
    "002": "Worcestershire balanced scorecard, Q2 2019/20",
    "003": "Children's Improvement Board (2013), regional benchmark datasets (Appendix B)",
    "004": "A council's Q4 2023/24 scorecard (polarity and reporting basis)",
}
STATUSES = ("", "new", "to be confirmed")
TOLERANCE_TYPES = TOLERANCE_KINDS
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "": False, "no": False, "n": False,
          "false": False, "0": False}
SHORT_NAME_MAX = 40
SEPARATOR = "; "
DEFAULT_TOLERANCE = RAG_DEFAULT_TOLERANCE.amount
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DFE_RE = re.compile(r"^[NL](?:[1-9]|1[0-9]|2[0-7])$")
_CIB_RE = re.compile(r"^(?:[1-9][0-9]?|1[0-9][0-9]|20[0-3])$")
_BUILTIN = "catalogue.csv"
_LAIT = "lait_catalogue.csv"
# Columns added after catalogues were first issued: left out of the fingerprint while blank in
# every row, so a catalogue that does not use them keeps the fingerprint its templates carry.
_LATER_COLUMNS = ("lait_code",)


class CatalogueError(ScorecardError):
    """A catalogue failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str = "catalogue") -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{source}: {len(self.problems)} {noun}:\n{shown}")


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (CSV line number and field), what was given, what is allowed."""

    row: int
    field: str
    value: str
    message: str
    source: str = "catalogue.csv"

    def __str__(self) -> str:
        where = f"{self.source} row {self.row}" if self.row else self.source
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{field}: {self.value!r} {self.message}"


@dataclass(frozen=True)
class Indicator:
    """One catalogue row. Percentages are on the 0-100 scale; multi-valued fields are tuples."""

    id: str
    name: str
    short_name: str
    definition: str
    theme: str
    unit: str
    decimal_places: int
    polarity: Polarity
    polarity_inferred: bool
    tolerance_type: str
    tolerance: float
    reporting_basis: str
    frequency: str
    source_return: str
    population_basis: str
    kcc_code: str
    cib_ref: tuple[str, ...]
    dfe_ref: str
    la_profile: bool
    regions: tuple[str, ...]
    cib_common_set: bool
    status: str
    documents: tuple[str, ...]
    names: Mapping[str, str]  # document number -> the document's own wording
    notes: str
    lait_code: str = ""  # the LAIT measure (Measure_short) with the same definition, if any

    @property
    def per(self) -> int | None:
        """10000 for 'rate per 10,000' (and so on), 100 for a percentage, None otherwise."""
        if self.unit == "percentage":
            return 100
        return RATE_UNITS.get(self.unit)

    @property
    def is_judged(self) -> bool:
        """True when the indicator has a polarity, so a value can be better or worse than target."""
        return self.polarity.is_judged

    def to_record(self) -> dict[str, str]:
        """The indicator as a CSV row (every value a string), in CATALOGUE_COLUMNS order."""
        record = {
            "id": self.id, "name": self.name, "short_name": self.short_name,
            "definition": self.definition, "theme": self.theme, "unit": self.unit,
            "decimal_places": str(self.decimal_places) if self.unit not in UNJUDGED_UNITS else "",
            "polarity": self.polarity.value,
            "polarity_inferred": "yes" if self.polarity_inferred else "",
            "tolerance_type": self.tolerance_type,
            "tolerance": _format_number(self.tolerance) if self.tolerance_type else "",
            "reporting_basis": self.reporting_basis, "frequency": self.frequency,
            "source_return": self.source_return, "population_basis": self.population_basis,
            "kcc_code": self.kcc_code, "cib_ref": SEPARATOR.join(self.cib_ref),
            "dfe_ref": self.dfe_ref, "lait_code": self.lait_code,
            "la_profile": "yes" if self.la_profile else "",
            "regions": SEPARATOR.join(self.regions),
            "cib_common_set": "yes" if self.cib_common_set else "", "status": self.status,
            "documents": SEPARATOR.join(self.documents),
        }
        for doc in DOCUMENTS:
            record[f"name_{doc}"] = self.names.get(doc, "")
        record["notes"] = self.notes
        return {column: record[column] for column in CATALOGUE_COLUMNS}



def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class Catalogue:
    """An ordered, validated set of indicators."""

    def __init__(self, indicators: Iterable[Indicator], source: str = "built-in") -> None:
        self.indicators: tuple[Indicator, ...] = tuple(indicators)
        self.source = source
        self._by_id = {indicator.id: indicator for indicator in self.indicators}
        if len(self._by_id) != len(self.indicators):
            raise ScorecardError("catalogue has duplicate ids")

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id; ScorecardError naming the id (and near misses) if unknown."""
        try:
            return self._by_id[indicator_id]
        except (KeyError, TypeError):
            near = self.near_ids(str(indicator_id))
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ScorecardError(
                f"unknown indicator id {indicator_id!r} in the {self.source} catalogue{hint}"
            ) from None

    def near_ids(self, text: str, limit: int = 5) -> list[str]:
        """Ids close to `text`: those containing it, then those spelled nearly the same."""
        wanted = text.strip().lower()
        containing = [i for i in self._by_id if wanted and wanted in i]
        close = difflib.get_close_matches(wanted, list(self._by_id), n=limit, cutoff=0.6)
        return list(dict.fromkeys(containing + close))[:limit]

    def themes(self) -> tuple[str, ...]:
        """Themes in the order they first appear."""
        return tuple(dict.fromkeys(indicator.theme for indicator in self.indicators))

    def by_theme(self, theme: str) -> tuple[Indicator, ...]:
        """Indicators in a theme (see find_theme); ScorecardError if the theme is unknown."""
        found = self.find_theme(theme)
        return tuple(i for i in self.indicators if i.theme == found)

    def find_theme(self, theme: str) -> str:
        """The theme `theme` names: case-insensitively, in full or by a prefix only it has.

        ScorecardError for none (suggesting the nearest themes, then listing all) or for a prefix
        several themes share (listing them).
        """
        wanted = " ".join(str(theme).split()).lower()
        themes = self.themes()
        exact = [t for t in themes if t.lower() == wanted]
        if exact:
            return exact[0]
        starting = [t for t in themes if wanted and t.lower().startswith(wanted)]
        if len(starting) == 1:
            return starting[0]
        if starting:
            raise ScorecardError(f"theme {theme!r} could be {' or '.join(map(repr, starting))}: "
                                 "write more of it")
        near = difflib.get_close_matches(wanted, [t.lower() for t in themes], n=3, cutoff=0.5)
        near = [t for t in themes if t.lower() in near]
        hint = f"did you mean {' or '.join(map(repr, near))}? " if near else ""
        raise ScorecardError(f"unknown theme {theme!r} in the {self.source} catalogue; {hint}"
                             f"themes: {', '.join(themes)}")

    def search(self, text: str) -> tuple[Indicator, ...]:
        """Indicators whose id, names, codes, definition or notes contain every word of ``text``."""
        words = text.lower().split()
        found = []
        for indicator in self.indicators:
            haystack = " ".join(indicator.to_record().values()).lower()
            if all(word in haystack for word in words):
                found.append(indicator)
        return tuple(found)

    def by_code(self, code: str) -> tuple[Indicator, ...]:
        """Indicators carrying a source code: a KCC code ('SCS03'), 'REF 43' / '43', 'N18', or a
        LAIT measure code ('ReReferral')."""
        code = code.strip()
        ref = re.sub(r"(?i)^(cib\s*)?ref\s*", "", code)
        return tuple(
            i for i in self.indicators
            if i.kcc_code.lower() == code.lower() or ref in i.cib_ref
            or (i.dfe_ref and i.dfe_ref.lower() == code.lower())
            or (i.lait_code and i.lait_code.lower() == code.lower())
        )

    def to_records(self) -> list[dict[str, str]]:
        """Every indicator as a dict of strings, in CSV column order."""
        return [indicator.to_record() for indicator in self.indicators]

    def fingerprint(self) -> str:
        """A stable sha256 (hex) of the canonical content: same rows, same order, same hash."""
        records = self.to_records()
        columns = [column for column in CATALOGUE_COLUMNS if column not in _LATER_COLUMNS
                   or any(record[column] for record in records)]
        canonical = json.dumps(
            [[record[column] for column in columns] for record in records],
            ensure_ascii=False, separators=(",", ":"),
        )
        payload = json.dumps(columns) + "\n" + canonical
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_csv(self) -> str:
        """The catalogue as CSV text (the format it is loaded from)."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_records())
        return buffer.getvalue()


# --------------------------------------------------------------------------- reading

Rows = list[tuple[int, dict[str, str]]]


def builtin_catalogue_path() -> Path:
    """Where the shipped catalogue CSV lives."""
    return Path(str(resources.files("scorecard") / "data" / _BUILTIN))


def lait_catalogue_path() -> Path:
    """The extension catalogue of LAIT's measures (one row per measure code, id ``lait-...``), for
    ``load_catalogue(extend=lait_catalogue_path())``; see docs/national.md."""
    return Path(str(resources.files("scorecard") / "data" / _LAIT))


@dataclass(frozen=True)
class CatalogueRows:
    """A catalogue table already read (generator.inputs reads CSV and .xlsx alike): a label for
    messages, the header, and (line or row number, cells) for each row."""

    label: str
    header: Sequence[str]
    rows: Sequence[tuple[int, Sequence[str]]]


def _read_rows(source: str | Path | CatalogueRows) -> tuple[Rows, list[Problem], str]:
    if isinstance(source, CatalogueRows):
        return (*_parse_records(list(source.header), source.rows, source.label), source.label)
    path = Path(source)
    label = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScorecardError(f"catalogue file not found: {path}") from None
    except OSError as error:
        raise ScorecardError(f"catalogue file {path}: cannot read it ({error.strerror or error})") from None
    text, _ = decode_text(data, f"catalogue file {path}")
    return (*_parse_csv_text(text, label), label)


def _parse_csv_text(text: str, label: str) -> tuple[Rows, list[Problem]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(1, "", "", "is an empty file; expected a header row", label)]
    records = ((reader.line_num, record) for record in reader)
    return _parse_records(header, records, label)


def _parse_records(header: list[str], records: Iterable[tuple[int, Sequence[str]]], label: str,
                   ) -> tuple[Rows, list[Problem]]:
    problems: list[Problem] = []
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        why = (" (without it every indicator would have No polarity: add the column, blank for No "
               "polarity)" if column == "polarity" else "")
        problems.append(Problem(1, column, "", f"column is missing{why}; required columns: "
                                               f"{', '.join(REQUIRED_COLUMNS)}", label))
    unknown = [c for c in header if c and c not in CATALOGUE_COLUMNS]
    for column in unknown:
        problems.append(Problem(1, column, column, f"is not a catalogue column; allowed: "
                                                   f"{', '.join(CATALOGUE_COLUMNS)}", label))
    if missing:
        return [], problems
    rows: Rows = []
    for line, record in records:
        if not any(str(cell).strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(Problem(line, "", f"{len(record)} cells",
                                    f"is more cells than the {len(header)} header columns", label))
        row = {column: (record[i] if i < len(record) else "") for i, column in enumerate(header)}
        rows.append((line, row))
    return rows, problems


def _rows_from_mappings(mappings: Iterable[Mapping[str, object]]) -> Rows:
    rows: Rows = []
    for number, mapping in enumerate(mappings, start=2):
        rows.append((number, {k: "" if v is None else str(v) for k, v in mapping.items()}))
    return rows


# --------------------------------------------------------------------------- validation


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _check_row(line: int, row: dict[str, str], label: str) -> tuple[Indicator | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(field: str, value: str, message: str) -> None:
        problems.append(Problem(line, field, value, message, label))

    def get(field: str) -> str:
        return (row.get(field) or "").strip()

    indicator_id = get("id")
    if not indicator_id:
        bad("id", "", "is empty; every row needs an id")
    elif not _ID_RE.match(indicator_id):
        bad("id", indicator_id, "is not a valid id; allowed: lower-case letters, digits and "
                                "single hyphens, e.g. 're-referrals-12m-pct'")
    for field in ("name", "short_name", "theme"):
        if not get(field):
            bad(field, "", "is empty; a value is required")
    short_name = get("short_name")
    if len(short_name) > SHORT_NAME_MAX:
        bad("short_name", short_name, f"is {len(short_name)} characters; allowed: at most "
                                      f"{SHORT_NAME_MAX}")

    unit = get("unit")
    if unit not in UNITS:
        bad("unit", unit, f"is not a unit; allowed: {', '.join(UNITS)}")

    decimal_text = get("decimal_places")
    decimal_places = 0
    if decimal_text:
        if not decimal_text.isdigit() or int(decimal_text) > 6:
            bad("decimal_places", decimal_text, "is not a whole number; allowed: 0 to 6")
        else:
            decimal_places = int(decimal_text)
    elif unit in UNITS and unit not in UNJUDGED_UNITS:
        decimal_places = 1 if unit in ("percentage", "percentage points", *RATE_UNITS) else 0

    polarity = Polarity.NONE
    polarity_text = get("polarity")
    try:
        polarity = parse_polarity(polarity_text)
    except ScorecardError:
        bad("polarity", polarity_text, "is not a polarity; allowed: Bigger is Better, Smaller is "
                                       "Better, Plan is Best, No polarity (or blank)")
    if polarity.is_judged and unit in UNJUDGED_UNITS:
        bad("polarity", polarity_text, f"is not allowed on a {unit} measure; allowed: No polarity")

    inferred = _yes_no(get("polarity_inferred"), "polarity_inferred", bad)
    if inferred and not polarity.is_judged:
        bad("polarity_inferred", get("polarity_inferred"),
            "is set but the polarity is No polarity; allowed: blank")

    tolerance_type = get("tolerance_type")
    tolerance_text = get("tolerance")
    tolerance = 0.0
    if tolerance_type and tolerance_type not in TOLERANCE_TYPES:
        bad("tolerance_type", tolerance_type, f"is not a tolerance type; allowed: "
                                              f"{', '.join(TOLERANCE_TYPES)} (or blank)")
    if tolerance_text:
        try:
            tolerance = float(tolerance_text)
            if tolerance < 0 or tolerance != tolerance:
                raise ValueError
        except ValueError:
            bad("tolerance", tolerance_text, "is not a number; allowed: a number 0 or more")
        if not tolerance_type:
            bad("tolerance_type", "", "is empty but a tolerance is given; allowed: relative, "
                                      "absolute")
    elif tolerance_type:
        bad("tolerance", "", f"is empty but tolerance_type is {tolerance_type!r}; allowed: a "
                             f"number (default {_format_number(DEFAULT_TOLERANCE)})")
    if tolerance_type == RELATIVE and tolerance > 100:
        bad("tolerance", tolerance_text, "is more than 100 per cent of target; allowed: 0 to 100")
    if polarity.is_judged and not tolerance_type:
        tolerance_type, tolerance = RAG_DEFAULT_TOLERANCE.kind, DEFAULT_TOLERANCE

    basis = get("reporting_basis")
    if basis and basis not in REPORTING_BASES:
        bad("reporting_basis", basis, f"is not a reporting basis; allowed: "
                                      f"{', '.join(REPORTING_BASES)} (or blank)")
    frequency = get("frequency")
    if frequency and frequency not in FREQUENCIES:
        bad("frequency", frequency, f"is not a frequency; allowed: {', '.join(FREQUENCIES)} "
                                    f"(or blank)")
    population = get("population_basis")
    if unit in RATE_UNITS and not population:
        bad("population_basis", "", f"is empty but the unit is a {unit}; allowed: the population "
                                    f"the rate is per, e.g. 'children aged 0-17'")

    cib = _split(get("cib_ref"))
    for ref in cib:
        if not _CIB_RE.match(ref):
            bad("cib_ref", ref, "is not a CIB REF number; allowed: 1 to 203, several separated "
                                "by '; '")
    dfe = get("dfe_ref")
    if dfe and not _DFE_RE.match(dfe):
        bad("dfe_ref", dfe, "is not a DfE safeguarding framework reference; allowed: N1 to N27 "
                            "(or L1 to L27 for local indicators)")
    lait = get("lait_code")
    if lait and (";" in lait or "\n" in lait):
        bad("lait_code", lait, "is not one LAIT measure code; allowed: one Measure_short from LAIT's "
                               "data dictionary, e.g. 'ReReferral'")
    regions = _split(get("regions"))
    for region in regions:
        if region not in REGIONS:
            bad("regions", region, f"is not a region; allowed: {', '.join(REGIONS)}")
    la_profile = _yes_no(get("la_profile"), "la_profile", bad)
    common = _yes_no(get("cib_common_set"), "cib_common_set", bad)
    if (regions or la_profile or common) and not cib:
        bad("cib_ref", "", "is empty but regions, la_profile or cib_common_set are set (these "
                           "describe 003 Appendix B); allowed: the REF number(s)")

    status = get("status")
    if status not in STATUSES:
        bad("status", status, "is not a status; allowed: blank, new, to be confirmed")
    documents = _split(get("documents"))
    for document in documents:
        if document not in DOCUMENTS:
            bad("documents", document, f"is not a source document; allowed: "
                                       f"{', '.join(DOCUMENTS)}")
    names = {doc: get(f"name_{doc}") for doc in DOCUMENTS if get(f"name_{doc}")}
    for doc in names:
        if doc not in documents:
            bad(f"name_{doc}", names[doc][:40], f"is set but documents does not list {doc}; "
                                                f"allowed: blank, or add {doc} to documents")
    if cib and documents and "003" not in documents:
        bad("documents", get("documents"), "does not list 003 but cib_ref is set; allowed: "
                                           "add 003")
    if get("kcc_code") and documents and "001" not in documents:
        bad("documents", get("documents"), "does not list 001 but kcc_code is set; allowed: "
                                           "add 001")

    if problems:
        return None, problems
    return Indicator(
        id=indicator_id, name=get("name"), short_name=short_name, definition=get("definition"),
        theme=get("theme"), unit=unit, decimal_places=decimal_places, polarity=polarity,
        polarity_inferred=inferred, tolerance_type=tolerance_type, tolerance=tolerance,
        reporting_basis=basis, frequency=frequency, source_return=get("source_return"),
        population_basis=population, kcc_code=get("kcc_code"), cib_ref=cib, dfe_ref=dfe,
        lait_code=lait, la_profile=la_profile, regions=regions, cib_common_set=common, status=status,
        documents=documents, names=names, notes=get("notes"),
    ), []


def _yes_no(value: str, field: str, bad) -> bool:
    key = value.strip().lower()
    if key not in YES_NO:
        bad(field, value, "is not yes/no; allowed: yes, or blank for no")
        return False
    return YES_NO[key]


def _build(rows: Rows, label: str, seen: dict[str, tuple[str, int]] | None = None,
           ) -> tuple[list[Indicator], list[Problem]]:
    seen = {} if seen is None else seen
    indicators: list[Indicator] = []
    problems: list[Problem] = []
    for line, row in rows:
        indicator, row_problems = _check_row(line, row, label)
        problems.extend(row_problems)
        indicator_id = (row.get("id") or "").strip()
        if indicator_id:
            if indicator_id in seen:
                where_label, where_line = seen[indicator_id]
                problems.append(Problem(line, "id", indicator_id,
                                        f"is a duplicate id (first at {where_label} row "
                                        f"{where_line}); allowed: an id used once", label))
                continue
            seen[indicator_id] = (label, line)
        if indicator is not None:
            indicators.append(indicator)
    return indicators, problems


def validate_catalogue(path_or_rows: str | Path | CatalogueRows | Iterable[Mapping[str, object]] | None
                       = None) -> list[Problem]:
    """Every problem in a catalogue file (or in an iterable of row dicts); [] when it is valid.

    None validates the built-in catalogue.
    """
    if path_or_rows is None or isinstance(path_or_rows, str | Path | CatalogueRows):
        rows, problems, label = _read_rows(path_or_rows or builtin_catalogue_path())
    else:
        rows, problems, label = _rows_from_mappings(path_or_rows), [], "catalogue"
    _, row_problems = _build(rows, label)
    return problems + row_problems


def load_catalogue(path: str | Path | CatalogueRows | None = None,
                   extend: str | Path | CatalogueRows | Iterable[str | Path | CatalogueRows] | None = None,
                   *, source: str | None = None) -> Catalogue:
    """Load and validate a catalogue; raise CatalogueError listing every problem.

    ``path`` None means the built-in catalogue. ``extend`` adds the rows of one or more further
    catalogue files after it; an id already in the base catalogue is reported as a duplicate.
    A CSV path is read here (UTF-8 or Windows-1252); `CatalogueRows` are rows read elsewhere
    (generator.inputs reads .xlsx too), with `source` naming them.
    """
    base = path if path is not None else builtin_catalogue_path()
    rows, problems, label = _read_rows(base)
    seen: dict[str, tuple[str, int]] = {}
    indicators, row_problems = _build(rows, label, seen)
    problems += row_problems
    extensions = [] if extend is None else [extend] if isinstance(extend, str | Path | CatalogueRows) \
        else list(extend)
    for extra in extensions:
        extra_rows, extra_problems, extra_label = _read_rows(extra)
        extra_indicators, extra_row_problems = _build(extra_rows, extra_label, seen)
        problems += extra_problems + extra_row_problems
        indicators += extra_indicators
    if problems:
        raise CatalogueError(problems, source=label if not extensions else "catalogue")
    source = source or ("built-in" if path is None else _name(path))
    if extensions:
        source += " + " + ", ".join(_name(e) for e in extensions)
    return Catalogue(indicators, source=source)


def _name(source: str | Path | CatalogueRows) -> str:
    return source.label if isinstance(source, CatalogueRows) else str(source)


def document_counts(catalogue: Catalogue) -> dict[str, int]:
    """How many catalogue rows each source document contributes to."""
    counts = dict.fromkeys(DOCUMENTS, 0)
    for indicator in catalogue:
        for document in indicator.documents:
            counts[document] = counts.get(document, 0) + 1
    return counts

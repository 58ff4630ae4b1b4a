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
- `rag_override` (GREEN, AMBER, RED or NO STATUS) is an officer's judgement of the status,
  as seed 002 publishes RAGs; `override_reason` is then required. The workbook shows it as
  the reported status and keeps the rule's status beside it (Override, Judgement).
- `period` is read by scorecard.periods in any spelling it accepts (Mar-24, 2024-03, 2023/24 Q4,
  Q4 2023-24, 2023/24 ...) and shown by its canonical label (Mar 2024, 2023-24 Q4, 2023-24);
  periods are ordered by date, and a label that is not a period is an error naming its line.
  Rows after the report period are not shown (they are not in the report).
- `quartile_band` (A-D, or "-" for none), `rank` and `rank_of` (a whole number: rank 12 of 153),
  when present, are the measure's band and rank among other authorities in that period, as
  worked out elsewhere (the collection store, or national data: generator.national).

Input can be CSV (UTF-8 or Windows-1252) or an .xlsx sheet laid out the same way
(generator.inputs). Problems that would give a quiet wrong answer stop the load, each named by
file, line and column: a bare fraction for a percentage measure (0.876 for 87.6%), a relative
tolerance that looks like a fraction (0.05 for 5%), no `target` column. With
`allow_problems=True` the data loads with each problem in `ScorecardData.problems`, and the
workbooks flag it on the measure's row and on the Notes sheet.

`generator.workbooks.data_store.load_store_data(store, authority, period)` builds the same table from the store
(generator.collection.store) with `store_frame` and reads it the same way.

Bad input raises ScorecardError naming the file, the row and the field; no row is dropped
silently.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from scorecard.direction import Direction, direction, direction_arrow
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity
from scorecard.rag import DEFAULT_TOLERANCE, RagResult, Status, Tolerance, rag
from scorecard.risk import risk_change, risk_level, risk_score
from scorecard.values import BLANK, Missing

DEFAULT_HISTORY = 5

REQUIRED_COLUMNS = ("indicator_id", "period", "actual")
OVERRIDE_COLUMNS = ("rag_override", "override_reason")
BENCHMARK_COLUMNS = ("quartile_band", "rank", "rank_of")
VALUE_COLUMNS = ("target", "commentary", "authority", *OVERRIDE_COLUMNS, *BENCHMARK_COLUMNS)
METADATA_COLUMNS = (
    "name", "theme", "section", "unit", "decimal_places", "polarity", "reporting_basis",
    "tolerance_type", "tolerance", "no_change_threshold", "definition", "frequency", "source",
)
ALIASES = {
    "indicator": "indicator_id", "id": "indicator_id", "code": "indicator_id",
    "value": "actual", "comment": "commentary", "comments": "commentary",
    "la": "authority", "local_authority": "authority", "measure": "name",
    "good_performance": "polarity", "override": "rag_override", "reason": "override_reason",
}

# Words for where a reported status comes from: the same in Python, the live formula
# (generator.workbooks.themes) and the published version.
BASIS_RULE = "Rule"
BASIS_JUDGEMENT = "Judgement"
BASIS_DIFFERS = "Judgement ≠ rule"


@dataclass(frozen=True)
class Override:
    """An officer's judgement of a measure's status in one period, and why."""

    status: Status
    reason: str


def parse_override(status: str, reason: str, where: Callable[[str], str]) -> Override | None:
    """The override given in a row (None when there is none); a status that is not one of the
    four words, or a status without a reason (or a reason without a status), is an error
    naming where it is (`where(column)`: the file, line and column)."""
    status, reason = status.strip(), reason.strip()
    if not status:
        if reason:
            raise ScorecardError(f"{where('override_reason')}: {reason!r} is given but "
                                 "rag_override is blank; give the status it explains")
        return None
    words = {word.value.casefold(): word for word in Status}
    chosen = words.get(re.sub(r"\s+", " ", status).casefold())
    if chosen is None:
        raise ScorecardError(f"{where('rag_override')}: {status!r} is not a status; "
                             f"use one of {', '.join(words.values())}")
    if not reason:
        raise ScorecardError(f"{where('override_reason')}: blank, but rag_override is "
                             f"{chosen.value}; an override needs its reason")
    return Override(chosen, reason)


def indicator_section(indicator) -> str:
    """The section a catalogue indicator belongs to: the catalogue's own `section` when it has
    one, else the heading document 000 (the Performance Dataset) files it under, e.g.
    "Council / Political Overview" or "Education, Attainment"; "" when neither says."""
    section = str(getattr(indicator, "section", "") or "").strip()
    if section:
        return section
    name = str((getattr(indicator, "names", None) or {}).get("000", "") or "")
    first = name.split("; ")[0].strip()
    if not first:
        return ""
    heading = first.split(":")[0] if ":" in first else first.split(", ")[0]
    heading = re.sub(r"^\d+\.\s*", "", heading).strip()
    return re.sub(r"\s+Performance Measures$", "", heading)


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
    bands: dict[str, str] = field(default_factory=dict)  # period -> A-D ("-": none)
    ranks: dict[str, tuple[int, int]] = field(default_factory=dict)  # period -> (rank, of how many)
    overrides: dict[str, Override] = field(default_factory=dict)

    def value(self, period: str | None) -> float | Missing:
        return self.values.get(period, BLANK) if period else BLANK

    def target(self, period: str) -> float | Missing:
        return self.targets.get(period, BLANK)

    def comparator(self, name: str, period: str) -> float | Missing:
        return self.comparators.get(name, {}).get(period, BLANK)

    def band(self, period: str) -> str:
        """Quartile band A-D in the period, "-" when there is none."""
        return self.bands.get(period, "-")

    def rank_text(self, period: str) -> str:
        """'12 of 153' in the period, "-" when unranked."""
        rank = self.ranks.get(period)
        return f"{rank[0]} of {rank[1]}" if rank else "-"


@dataclass(frozen=True)
class DataProblem:
    """A problem in the data that would give a quiet wrong answer: where it is, and what it is."""

    where: str  # file, line and column (or sheet and cell)
    indicator_id: str  # '' for a problem with the whole table
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


FLAG = "DATA PROBLEM"  # starts the row's commentary when a problem was allowed through


@dataclass
class ScorecardData:
    """Everything a scorecard workbook shows for one authority and one report period."""

    authority: str
    period: str
    periods: list[str]  # every period up to and including `period`, oldest first
    measures: list[Measure]
    comparator_names: list[str]
    source: str = ""
    # Things worth a second look that are not errors.
    warnings: list[str] = field(default_factory=list)
    # Problems built through with allow_problems (flagged on the row and on the Notes sheet).
    problems: list[DataProblem] = field(default_factory=list)
    # (term, meaning) rows for the Notes sheet beyond the standard ones: where comparators came
    # from, which statistical-neighbour edition, how bands and ranks were worked out.
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def benchmarked(self) -> bool:
        """True when any measure has a quartile band or rank to show."""
        return any(measure.bands or measure.ranks for measure in self.measures)

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
        """Status, direction, arrow and any override: what a workbook shows for the measure."""
        return Judgement(self.status(measure), self.direction(measure), self.arrow(measure),
                         measure.overrides.get(self.period))

    @property
    def has_overrides(self) -> bool:
        """True when any measure's status in the report period is an officer's judgement."""
        return any(self.period in measure.overrides for measure in self.measures)


@dataclass(frozen=True)
class Judgement:
    """What the Python rules say about one measure in the report period (ScorecardData.judge)."""

    status: RagResult  # the rule's
    direction: Direction
    arrow: str
    override: Override | None = None

    @property
    def reported(self) -> Status:
        """The status reported: the officer's judgement where one is given, else the rule's."""
        return self.override.status if self.override else self.status.status

    @property
    def basis(self) -> str:
        """Rule, Judgement (the same status as the rule) or Judgement ≠ rule."""
        if self.override is None:
            return BASIS_RULE
        return BASIS_JUDGEMENT if self.override.status == self.status.status else BASIS_DIFFERS


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

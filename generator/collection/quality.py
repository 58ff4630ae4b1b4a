"""Data-quality checks on a stored return, against its own history and the region (issue 12;
source document 003: "a focus on data quality issues raised by data collation and the
development of feedback into LAs").

Beyond the cell checks of the reader, each current return is checked and every finding is a
*query* (`Query`) the authority confirms with a comment or corrects by resubmitting:

- `moved`: a figure changed by more than `QualitySettings.move_share` (25%) since the previous
  period of the same kind (`scorecard.periods.previous`). A change of exactly 25% is not
  queried. Year-to-date counts, amounts and rates restart each April, so they are compared with
  the same period a year earlier. Not for scores and percentage points (which sit around 0).
- `numerator_over_denominator`: a percentage or rate whose numerator is above its denominator.
  For a percentage it cannot be right and can only be corrected; for a rate (more than one
  event per person) it can be confirmed.
- `outside_funnel`: a percentage or rate outside the region's funnel limits
  (`QualitySettings.funnel_level`, 99.8%) for its own denominator (`scorecard.funnel`, PHE's
  method). The centre line is the region's pooled value (sum of numerators over sum of
  denominators) of the current returns for the period, itself included; it needs numerator and
  denominator, and at least `funnel_min_returns` (3) authorities giving them. The region is the
  authority's region on the authority list (all listed authorities if it has none; all with a
  return if there is no list).
- `series_break`: a figure last period and none now (blank or shorthand; a cell in error is
  left to the error report), or a figure now after none, when both returns came from the same
  dataset; and, for the whole return, a template made from another catalogue version than last
  period's (a definition or unit may have changed: the catalogue fingerprint says that the
  catalogue changed, not which indicator).

`check_return(store, authority, period, catalogue)` checks one return and stores its queries
(`Store.add_queries` settles those raised before: see `generator.collection.query_store`);
`check_returns` checks many, computing each period's figures and funnels once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from generator.collection.layout import raw_text
from generator.collection.query_store import Query
from generator.collection.store import _nan, actuals_of
from scorecard.errors import ScorecardError
from scorecard.funnel import ABOVE, WITHIN, funnel_position, percentage_limits, pooled_centre, rate_limits
from scorecard.periods import Period, PeriodKind, parse_period, previous, shift
from scorecard.rates import LEVELS
from scorecard.vocab import RATE_UNITS, UNJUDGED_UNITS

__all__ = ["CHECKS", "Query", "QualitySettings", "check_return", "check_returns", "current_returns"]

CHECKS: dict[str, str] = {
    "moved": "a figure changed by more than the set share (25%) since the previous period",
    "numerator_over_denominator": "a percentage or rate whose numerator is above its denominator",
    "outside_funnel": "a percentage or rate outside the region's 99.8% funnel limits for its "
                      "denominator",
    "series_break": "a figure last period and none now, or one now after none, or a template "
                    "from another catalogue version",
}
_NOT_MOVED = frozenset({"percentage points", "score", *UNJUDGED_UNITS})
_CUMULATIVE = frozenset({"count", "currency", *RATE_UNITS})  # restart each April when year to date
_FUNNEL_UNITS = frozenset({"percentage", *RATE_UNITS})
_YEAR_STEPS = {PeriodKind.FINANCIAL_QUARTER: 4, PeriodKind.MONTH: 12}


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds of the checks: move_share (0.25 = 25%), funnel_level (95 or 99.8) and the
    fewest authorities with numerator and denominator for a funnel (funnel_min_returns)."""

    move_share: float = 0.25
    funnel_level: float = 99.8
    funnel_min_returns: int = 3

    def __post_init__(self) -> None:
        if not (isinstance(self.move_share, int | float) and self.move_share > 0):
            raise ScorecardError(f"move_share {self.move_share!r} must be a share above 0 "
                                 "(0.25 for 25%)")
        if not any(math.isclose(self.funnel_level, level) for level in LEVELS):
            raise ScorecardError(f"funnel_level {self.funnel_level!r} must be 95 or 99.8")
        if not (isinstance(self.funnel_min_returns, int) and self.funnel_min_returns >= 2):
            raise ScorecardError(f"funnel_min_returns {self.funnel_min_returns!r} must be a "
                                 "whole number, 2 or more")


def check_return(store, authority: str, period: str, catalogue,
                 settings: QualitySettings = QualitySettings(),
                 store_queries: bool = True) -> list[Query]:
    """The queries on the current return of `authority` for `period` (stored, with ids and
    statuses, unless store_queries is False)."""
    return check_returns(store, catalogue, [(authority, period)], settings,
                         store_queries)[(authority, period)]


def check_returns(store, catalogue, returns: Iterable[tuple[str, str]] | None = None,
                  settings: QualitySettings = QualitySettings(),
                  store_queries: bool = True) -> dict[tuple[str, str], list[Query]]:
    """Queries for many returns ((authority, period) pairs; default: every current return)."""
    if returns is None:
        returns = current_returns(store)
    checker = _Checker(store, catalogue, settings)
    result = {}
    for authority, period in returns:
        submission = store.latest(authority, period)
        if submission is None:
            raise ScorecardError(f"no current return for {authority} {period} in {store.path}")
        queries = checker.check(submission)
        if store_queries:
            queries = store.add_queries(submission["id"], queries)
        result[(authority, period)] = queries
    return result


def current_returns(store, authority: str | None = None,
                    period: str | None = None) -> list[tuple[str, str]]:
    """(authority, period) of every return with a current (not quarantined) version."""
    table = store.submissions(authority, period)
    return sorted({(a, p) for a, p, q in zip(table["authority"], table["period"],
                                             table["quarantine"], strict=True) if not q})


class _Figures:
    """One period's current returns: actuals and cells by authority and indicator."""

    def __init__(self, store, period: str, catalogue):
        self.period = period
        records = store.cell_records(period=period)
        self.cells = {(r["authority"], r["indicator_id"], r["field"]): r for r in records}
        self.actuals = actuals_of(records, catalogue)  # Store.actuals' rule
        self.by_authority: dict[str, set[str]] = {}
        for authority, indicator_id, *_ in (*self.cells, *self.actuals):
            self.by_authority.setdefault(authority, set()).add(indicator_id)

    def number(self, authority: str, indicator_id: str, name: str) -> float | None:
        value = self.actuals.get((authority, indicator_id), {}).get(name)
        return None if value is None or _nan(value) else float(value)

    def cell(self, authority: str, indicator_id: str, *fields: str) -> dict:
        """The first of `fields` with a stored cell (its sheet, cell, raw, status ...), or {}."""
        for name in fields:
            row = self.cells.get((authority, indicator_id, name))
            if row is not None:
                return row
        return {}

    def indicators(self, authority: str) -> set[str]:
        return self.by_authority.get(authority, set())


class _Checker:
    def __init__(self, store, catalogue, settings: QualitySettings):
        self.store, self.catalogue, self.settings = store, catalogue, settings
        self.figures: dict[str, _Figures] = {}
        self.funnels: dict[tuple, tuple | None] = {}
        self.listed = {a.code: a for a in store.authorities()}
        self.found_labels: dict[tuple[str, Period | None], tuple[str | None, object]] = {}
        self.regions: dict[str, tuple[frozenset[str] | None, str]] = {}

    def _figures(self, period: str) -> _Figures:
        if period not in self.figures:
            self.figures[period] = _Figures(self.store, period, self.catalogue)
        return self.figures[period]

    def _label(self, authority: str, period: Period | None) -> str | None:
        """The stored label of `period` under which `authority` has a current return."""
        return self._current(authority, period)[0]

    def _current(self, authority: str, period: Period | None) -> tuple[str | None, object]:
        """(stored label, current submission row) of `authority`'s return for `period`, or
        (None, None); each looked up once per checker. The store holds a period under its
        canonical label (an unreadable label, which no Period has, is never found)."""
        # Cached on the checker (as _region is): a functools.cache on a method keeps every
        # checker, and the region's cells it holds, alive for the life of the process (the
        # hub makes a checker per upload: 8 MB a return).
        key = (authority, period)
        if key not in self.found_labels:
            row = None if period is None else self.store.latest(authority, period.label)
            self.found_labels[key] = (None, None) if row is None else (row["period"], row)
        return self.found_labels[key]

    def check(self, submission) -> list[Query]:
        authority, label = submission["authority"], submission["period"]
        now = self._figures(label)
        try:
            period = parse_period(label)
        except ScorecardError:
            period = None
        before, last_submission = self._current(authority, previous(period)) if period else (None, None)
        last = self._figures(before) if before else None
        queries: list[Query] = []
        ids = now.indicators(authority) | (last.indicators(authority) if last else set())
        for indicator_id in sorted(ids):
            if indicator_id not in self.catalogue:
                continue
            indicator = self.catalogue.get(indicator_id)
            if indicator.unit in UNJUDGED_UNITS:
                continue
            ask = _Asker(authority, label, indicator, now)
            queries += self._over(ask)
            queries += self._moved(ask, period)
            queries += self._funnel(ask)
            if last is not None and submission["dataset"] == last_submission["dataset"]:
                queries += self._break(ask, last, before)
        if last_submission is not None and _differ(submission["catalogue_fingerprint"],
                                                   last_submission["catalogue_fingerprint"]):
            queries.append(Query(
                authority, label, "", "", "series_break",
                f"This return was made from another version of the indicator catalogue than "
                f"{authority}'s {before} return. Where an indicator's definition or unit changed, "
                f"this period's figures do not compare with {before}'s. Check the definitions you "
                "used; if the figures compare, confirm with a comment.",
                value=submission["catalogue_fingerprint"][:12],
                detail={"catalogue_fingerprint": submission["catalogue_fingerprint"],
                        "previous_period": before,
                        "previous_fingerprint": last_submission["catalogue_fingerprint"]}))
        return queries

    # -- the checks -------------------------------------------------------------------------
    def _over(self, ask: _Asker) -> list[Query]:
        if ask.indicator.unit not in _FUNNEL_UNITS:
            return []
        top = ask.now.cell(ask.authority, ask.indicator.id, "numerator")
        bottom = ask.now.cell(ask.authority, ask.indicator.id, "denominator")
        numerator, denominator = top.get("number"), bottom.get("number")
        if numerator is None or denominator is None or _nan(numerator) or _nan(denominator) \
                or not numerator > denominator:
            return []
        percentage = ask.indicator.unit == "percentage"
        why = ("so the percentage would be over 100. Check the two are not swapped and count the "
               "same group, and correct the return (this cannot be confirmed)." if percentage else
               "more than one event per person. Check the two are not swapped and that the "
               "denominator is the population the rate is per; if it is right, confirm with a "
               "comment.")
        return [ask.query("numerator_over_denominator", "numerator", top,
                          f"numerator {_show(numerator)} is more than denominator "
                          f"{_show(denominator)}, {why}", numerator,
                          {"numerator": numerator, "denominator": denominator,
                           "must_correct": percentage})]

    def _moved(self, ask: _Asker, period: Period | None) -> list[Query]:
        indicator = ask.indicator
        if period is None or indicator.unit in _NOT_MOVED:
            return []
        now = ask.now.number(ask.authority, indicator.id, "actual")
        year_to_date = indicator.reporting_basis == "Year to Date" and indicator.unit in _CUMULATIVE
        compare = (shift(period, -_YEAR_STEPS.get(period.kind, 1)) if year_to_date
                   else previous(period))
        label = self._label(ask.authority, compare)
        then = self._figures(label).number(ask.authority, indicator.id, "actual") if label else None
        if now is None or then is None:
            return []
        share = abs(now - then) / abs(then) if then else (math.inf if now else 0.0)
        if share <= self.settings.move_share * (1 + 1e-9):
            return []
        allowed = f"{self.settings.move_share * 100:g}%"
        change = (f"was 0 in {label}" if then == 0 else
                  f"is {share * 100:.0f}% {'higher' if now > then else 'lower'} than "
                  f"{ask.show(then)} in {label}")
        basis = " (year to date, so compared with the same period a year before)" if year_to_date else ""
        return [ask.query("moved", "value", ask.value_cell(),
                          f"{ask.show(now)} this period {change}{basis}: more than the {allowed} this "
                          "check allows. Check the figure, and that it is counted the same way as "
                          "before; if it is right, confirm with a comment saying why it moved.", now,
                          {"previous_period": label, "previous_value": then,
                           "share": None if math.isinf(share) else share,
                           "move_share": self.settings.move_share})]

    def _funnel(self, ask: _Asker) -> list[Query]:
        indicator = ask.indicator
        if indicator.unit not in _FUNNEL_UNITS:
            return []
        numerator = ask.now.number(ask.authority, indicator.id, "numerator")
        denominator = ask.now.number(ask.authority, indicator.id, "denominator")
        if not _usable(numerator, denominator, indicator.unit):
            return []
        codes, region = self._region(ask.authority)
        funnel = self._centre(ask.now, indicator, codes)
        if funnel is None:
            return []
        centre, contributors = funnel
        level = self.settings.funnel_level
        per = indicator.per
        if indicator.unit == "percentage":
            lower, upper = percentage_limits(denominator, centre, level)
        else:
            lower, upper = rate_limits(denominator, centre, per, level)
        value = numerator / denominator * per
        side = funnel_position(value, lower, upper)
        if side == WITHIN:
            return []
        return [ask.query(
            "outside_funnel", "value", ask.value_cell(),
            f"{ask.show(value)} ({_show(numerator)} of {_show(denominator)}) is "
            f"{'above' if side == ABOVE else 'below'} the {level:g}% funnel limits for a "
            f"denominator of {_show(denominator)} ({_show(lower)} to {ask.show(upper)}) around "
            f"{ask.show(centre)}, the pooled value of {contributors} returns from {region}. "
            "A value this far out is "
            "unlikely by chance: check the numerator and denominator follow the definition; if "
            "they do, confirm with a comment.", value,
            {"lower": lower, "upper": upper, "centre": centre, "level": level,
             "numerator": numerator, "denominator": denominator, "returns": contributors,
             "region": region, "position": side})]

    def _break(self, ask: _Asker, last: _Figures, before: str) -> list[Query]:
        indicator, authority = ask.indicator, ask.authority
        had = last.number(authority, indicator.id, "actual")
        has = ask.now.number(authority, indicator.id, "actual")
        if (had is None) == (has is None):
            return []
        if had is not None:
            cells = [ask.now.cell(authority, indicator.id, f) for f in ("value", "numerator",
                                                                        "denominator")]
            if any(c.get("status") == "error" for c in cells):
                return []  # the error report already asks for this figure
            where = ask.value_cell() or last.cell(authority, indicator.id, "value", "numerator")
            return [ask.query(
                "series_break", "value", where,
                f"{ask.show(had)} in {before} but no figure this period ({ask.missing()}). Check "
                "whether it was missed; if the series has stopped, confirm with a comment "
                "saying why.", None, {"previous_period": before, "previous_value": had})]
        then = last.cell(authority, indicator.id, "value")
        why = _text(then.get("missing_code")) or (
            "a cell in error" if then.get("status") == "error" else "blank")
        return [ask.query(
            "series_break", "value", ask.value_cell(),
            f"{ask.show(has)} this period but no figure in {before} ({why}). Check it is counted "
            "as the indicator defines; if it is right, confirm with a comment (and say whether "
            f"{before}'s figure can be sent).", has,
            {"previous_period": before, "previous_value": None, "previous_missing": why})]

    # -- the region ---------------------------------------------------------------------------
    def _region(self, authority: str) -> tuple[frozenset[str] | None, str]:
        if authority not in self.regions:
            self.regions[authority] = self._find_region(authority)
        return self.regions[authority]

    def _find_region(self, authority: str) -> tuple[frozenset[str] | None, str]:
        me = self.listed.get(authority)
        if me is not None and me.region:
            return (frozenset(c for c, a in self.listed.items() if a.region == me.region),
                    f"the {me.region} region")
        if self.listed:
            return frozenset(self.listed), "the authorities on the list"
        return None, "every authority with a return"

    def _centre(self, figures: _Figures, indicator, codes) -> tuple[float, int] | None:
        """The pooled centre (percentage or rate) of the region's returns, and how many."""
        key = (figures.period, indicator.id, codes)
        if key not in self.funnels:
            pairs = []
            for authority, indicator_id in figures.actuals:
                if indicator_id != indicator.id or (codes is not None and authority not in codes):
                    continue
                numerator = figures.number(authority, indicator_id, "numerator")
                denominator = figures.number(authority, indicator_id, "denominator")
                if _usable(numerator, denominator, indicator.unit):
                    pairs.append((numerator, denominator))
            self.funnels[key] = None
            if len(pairs) >= self.settings.funnel_min_returns:
                centre = pooled_centre([p[0] for p in pairs], [p[1] for p in pairs])
                self.funnels[key] = (centre * indicator.per, len(pairs))
        return self.funnels[key]


@dataclass
class _Asker:
    """Builds the queries on one indicator of one return, with the cells they point to."""

    authority: str
    period: str
    indicator: object
    now: _Figures

    def value_cell(self) -> dict:
        """The value's cell, or the numerator's when the value was worked out from it."""
        return self.now.cell(self.authority, self.indicator.id, "value", "numerator", "denominator")

    def missing(self) -> str:
        cell = self.now.cell(self.authority, self.indicator.id, "value")
        if _text(cell.get("missing_code")):
            return f"{cell['missing_code']}: {_text(cell.get('missing_reason')) or 'missing'}"
        return "left blank"

    def show(self, number: float) -> str:
        """A figure with its unit: 86.5%, 12.3 per 10,000, 40."""
        per = self.indicator.per
        unit = "%" if self.indicator.unit == "percentage" else f" per {per:,}" if per else ""
        return f"{_show(number)}{unit}"

    def query(self, code: str, field: str, cell: dict, message: str, value, detail) -> Query:
        name = f"{self.indicator.name} ({self.indicator.id})"
        return Query(self.authority, self.period, self.indicator.id, field, code,
                     f"{name}: {message}", sheet=cell.get("sheet") or "", cell=cell.get("cell") or "",
                     value="" if value is None else raw_text(float(f"{value:.10g}")), detail=detail)


def _usable(numerator, denominator, unit: str) -> bool:
    return (numerator is not None and denominator is not None and denominator > 0
            and not (unit == "percentage" and numerator > denominator))


def _differ(one, other) -> bool:
    return bool(one) and bool(other) and one != other


def _text(value) -> str:
    """A stored text column as text: '' for NULL (None, or NaN as pandas gives it)."""
    return value if isinstance(value, str) else ""


def _show(number: float) -> str:
    """A number for a message: at most two decimals, no trailing zeros, thousands unmarked."""
    text = f"{round(float(number), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text

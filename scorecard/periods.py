"""Reporting periods: one type for every spelling councils and DfE write.

`parse_period` reads a period label (``2024/25 Q1``, ``Q1 2024-25``, ``AY 2023/24``, ``2014-16``,
``Mar-23``, ``2018 (Rev)`` ...) into a `Period`: an immutable, hashable, totally ordered value with a
kind, the first and last day it covers, and one canonical label (``str(period)``). Two spellings of
one period are equal and hash equal, so a figure stored under one spelling is found under any other.

Canonical labels, one per kind (each parses back to an equal period without a hint):

| kind | canonical label | covers |
| --- | --- | --- |
| month | `Mar 2023` | 1 to 31 March 2023 |
| financial quarter | `2024-25 Q1` | Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March |
| financial year | `2024-25` | 1 April 2024 to 31 March 2025 |
| academic year | `AY 2023/24` | 1 September 2023 to 31 August 2024 |
| calendar year | `2023` | 1 January to 31 December 2023 |
| calendar years (span) | `2014-16` | 2014, 2015 and 2016 |
| financial years (span) | `2013-14 to 2015-16` | 1 April 2013 to 31 March 2016 |
| academic years (span) | `AY 2013/14 to 2015/16` | 1 September 2013 to 31 August 2016 |

Hyphens for financial years and ``AY`` with a slash for academic years follow DfE's statistics
(``2022-23`` is a financial year, ``2022/23`` an academic one); a month is written ``Mar 2023``
rather than ``2023-03`` because ``2011-12`` reads as the financial year. A calendar-year span whose
two-digit end would read as a month (``2008-10``) is written with four digits (``2008-2010``).

Ambiguous labels and the ``kind`` hint. ``2022-23`` and ``2022/23`` alone are financial years
unless the hint says academic; a bare ``2023`` is the calendar year unless the hint says financial
(then the year ending 31 March 2023, i.e. ``2022-23``, as DfE labels a financial-year measure) or
academic (the academic year ending in summer 2023, ``AY 2022/23``). ``2011-12`` is always the
financial year (write ``Dec 2011`` for the month). The hint accepts LAIT's ``Year_Type`` words as
they are; the three ``Annual`` types (``Annual``, ``Annual - January``, ``Annual (end of Sept)``)
read a bare year as the calendar year, as no hint does, because the point they describe (a January
census, 30 September) falls in it and LAIT says no more. Quarters, months and calendar-year spans
are what they say under any hint. A label that names its year type (``FY``, ``AY``, ``CY``,
``(academic)``) is refused under a financial or academic hint it contradicts: the measure counts in
one kind of year, and this keeps `normalise_period` idempotent under the hint it was given.

Qualifiers. LAIT marks some figures ``(Rev)``, ``(Final)``, ``(prov)`` or ``(OT)``. The qualifier is
kept as `Period.revision` and is part of the identity: ``2018 (Rev)`` is not equal to ``2018``
(a different published point), but it covers the same dates and sorts beside it. Of one period's
points, the order is provisional, unqualified, Rev, Final, OT. `Period.unrevised` drops it.

Order. Periods sort by the day they end; of periods ending on the same day the shorter comes first
(``Mar 2024`` < ``2023-24 Q4`` < ``2023-24``), so a year's figure follows its last quarter's, the way a
time series is read. Within one kind this is plain date order, oldest first.

Many labels at once. `parse_periods` parses each distinct label once and maps the results back, so
LAIT's 641,070 rows with 65 distinct labels cost 65 parses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from scorecard.errors import ScorecardError


class PeriodKind(str, enum.Enum):
    """What a period is: a month, a financial quarter, a year of some kind, or a span of years."""

    MONTH = "month"
    FINANCIAL_QUARTER = "financial quarter"
    FINANCIAL_YEAR = "financial year"
    ACADEMIC_YEAR = "academic year"
    CALENDAR_YEAR = "calendar year"
    CALENDAR_SPAN = "calendar years"
    FINANCIAL_SPAN = "financial years"
    ACADEMIC_SPAN = "academic years"

    def __str__(self) -> str:
        return self.value


_KIND_RANK = {kind: rank for rank, kind in enumerate(PeriodKind)}

# Qualifiers: accepted spelling (lower case) -> canonical spelling (as LAIT writes it).
_REVISIONS = {
    "prov": "prov", "provisional": "prov",
    "rev": "Rev", "revised": "Rev",
    "final": "Final",
    "ot": "OT", "outturn": "OT",
}
_REVISION_RANK = {"prov": 0, None: 1, "Rev": 2, "Final": 3, "OT": 4}

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({calendar.month_name[number].lower(): number for number in range(1, 13)})
_MONTHS["sept"] = 9

FIRST_YEAR, LAST_YEAR = 1900, 2199  # years outside these are typing mistakes, not periods
_MAX_SPAN = 10  # years a span may cover

ACCEPTED = (
    "accepted: financial-year quarters '2024-25 Q1' (or '2024/25 Q1', 'Q1 2024-25', '2024/2025 Q1'); "
    "financial years '2024-25' (or '2024/25', 'FY 2024/25', '2024 to 2025'); "
    "academic years 'AY 2023/24' (or 'AY 2023-24'); calendar years '2023' (or 'CY 2023'); "
    "months 'Mar 2023' (or 'Mar-23', 'March 2023', '2023-03', '03/2023'); "
    "spans '2014-16' (calendar years 2014 to 2016) and '2013-14 to 2015-16' (or '2013/14-15/16'); "
    "each optionally followed by (Rev), (Final), (prov) or (OT)"
)


# --------------------------------------------------------------------------- the value


@functools.total_ordering
@dataclass(frozen=True, eq=True, order=False, repr=False)
class Period:
    """One reporting period: its kind, first and last day, and an optional publication qualifier.

    Build one with `parse_period` or the ``of_...`` constructors; the constructor checks that the
    dates fit the kind. Equal periods hash equal; ``<`` is the order described in the module
    docstring (by last day, then the shorter first, then qualifier).
    """

    kind: PeriodKind
    start: dt.date
    end: dt.date
    revision: str | None = None

    def __post_init__(self) -> None:
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            raise ScorecardError(f"unknown period kind {self.kind!r}; accepted: "
                                 f"{', '.join(kind.value for kind in PeriodKind)}") from None
        object.__setattr__(self, "kind", kind)
        if not (isinstance(self.start, dt.date) and isinstance(self.end, dt.date)):
            raise ScorecardError(f"a period's start and end must be dates, got {self.start!r} and {self.end!r}")
        if self.revision not in _REVISION_RANK:
            raise ScorecardError(f"unknown period qualifier {self.revision!r}; accepted: Rev, Final, prov, OT or None")
        if _rebuild(kind, self.start, self.end) != (self.start, self.end):
            raise ScorecardError(f"{self.start} to {self.end} is not a {kind}")

    # --- constructors

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        """The calendar month `month` (1-12) of `year`."""
        start = dt.date(_year(year), _in_range(month, 1, 12, "month"), 1)
        return cls(PeriodKind.MONTH, start, _month_end(start.year, start.month))

    @classmethod
    def of_quarter(cls, first_year: int, quarter: int) -> Period:
        """Quarter 1-4 of the financial year starting 1 April `first_year` (Q1 = April to June)."""
        _in_range(quarter, 1, 4, "quarter")
        month = 4 + 3 * (quarter - 1)
        year = _year(first_year) + (month > 12)
        month = (month - 1) % 12 + 1
        return cls(PeriodKind.FINANCIAL_QUARTER, dt.date(year, month, 1), _month_end(year, month + 2))

    @classmethod
    def of_financial_year(cls, first_year: int) -> Period:
        """The financial year 1 April `first_year` to 31 March the next year."""
        return cls(PeriodKind.FINANCIAL_YEAR, *_years(PeriodKind.FINANCIAL_YEAR, first_year, first_year))

    @classmethod
    def of_academic_year(cls, first_year: int) -> Period:
        """The academic year 1 September `first_year` to 31 August the next year."""
        return cls(PeriodKind.ACADEMIC_YEAR, *_years(PeriodKind.ACADEMIC_YEAR, first_year, first_year))

    @classmethod
    def of_calendar_year(cls, year: int) -> Period:
        """The calendar year `year`."""
        return cls(PeriodKind.CALENDAR_YEAR, *_years(PeriodKind.CALENDAR_YEAR, year, year))

    @classmethod
    def of_span(cls, kind: PeriodKind | str, first_year: int, last_year: int) -> Period:
        """Consecutive years from `first_year` to `last_year` (the years' first years), both included.

        `kind` is a span kind: calendar years (3 to 10 of them), financial or academic years (2 to 10).
        """
        kind = PeriodKind(kind)
        if kind not in _SPAN_UNIT:
            raise ScorecardError(f"{kind!r} is not a span kind; accepted: calendar years, financial years, "
                                 "academic years")
        least = 3 if kind is PeriodKind.CALENDAR_SPAN else 2
        count = last_year - first_year + 1
        if not least <= count <= _MAX_SPAN:
            raise ScorecardError(f"a span of {kind} covers {least} to {_MAX_SPAN} years, "
                                 f"not {first_year} to {last_year}")
        return cls(kind, *_years(kind, first_year, last_year))

    # --- what it is

    @property
    def label(self) -> str:
        """The canonical label (also ``str(period)``)."""
        return _label(self)

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label!r})"

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Integers that sort as the periods do: last day, shorter first, kind, qualifier."""
        return (self.end.toordinal(), -self.start.toordinal(), _KIND_RANK[self.kind],
                _REVISION_RANK[self.revision])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    @property
    def quarter(self) -> int | None:
        """1-4 for a financial quarter, else None."""
        if self.kind is not PeriodKind.FINANCIAL_QUARTER:
            return None
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def first_year(self) -> int:
        """The year the period starts in (for a quarter, its financial year's first year)."""
        if self.kind is PeriodKind.FINANCIAL_QUARTER and self.start.month < 4:
            return self.start.year - 1
        return self.start.year

    @property
    def years(self) -> int:
        """How many years a year or span covers (1 for a year); 0 for a month or quarter."""
        if self.kind in (PeriodKind.MONTH, PeriodKind.FINANCIAL_QUARTER):
            return 0
        return self.end.year - self.start.year + (self.kind is PeriodKind.CALENDAR_YEAR
                                                  or self.kind is PeriodKind.CALENDAR_SPAN)

    def unrevised(self) -> Period:
        """The same period without its qualifier (``2018 (Rev)`` -> ``2018``)."""
        return replace(self, revision=None) if self.revision else self


_SPAN_UNIT = {
    PeriodKind.CALENDAR_SPAN: PeriodKind.CALENDAR_YEAR,
    PeriodKind.FINANCIAL_SPAN: PeriodKind.FINANCIAL_YEAR,
    PeriodKind.ACADEMIC_SPAN: PeriodKind.ACADEMIC_YEAR,
}
_YEAR_START_MONTH = {PeriodKind.CALENDAR_YEAR: 1, PeriodKind.FINANCIAL_YEAR: 4, PeriodKind.ACADEMIC_YEAR: 9}


def _year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ScorecardError(f"a year must be a whole number, got {year!r}")
    return _in_range(year, FIRST_YEAR, LAST_YEAR, "year")


def _in_range(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScorecardError(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _years(kind: PeriodKind, first_year: int, last_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the years (of `kind`'s unit) starting in first_year .. last_year."""
    month = _YEAR_START_MONTH[_SPAN_UNIT.get(kind, kind)]
    first_year, last_year = _year(first_year), _year(last_year)
    return dt.date(first_year, month, 1), _month_end(last_year + 1, month - 1)


def _rebuild(kind: PeriodKind, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """(start, end) as `kind` would have them for the period starting at `start`; None if none."""
    if start.day != 1 or not FIRST_YEAR <= start.year <= LAST_YEAR + 1:
        return None
    if kind is PeriodKind.MONTH:
        return start, _month_end(start.year, start.month)
    if kind is PeriodKind.FINANCIAL_QUARTER:
        return (start, _month_end(start.year, start.month + 2)) if start.month in (1, 4, 7, 10) else None
    unit = _SPAN_UNIT.get(kind, kind)
    if start.month != _YEAR_START_MONTH[unit]:
        return None
    last = end.year - (unit is not PeriodKind.CALENDAR_YEAR)
    count = last - start.year + 1
    if kind in _SPAN_UNIT:
        least = 3 if kind is PeriodKind.CALENDAR_SPAN else 2
        if not least <= count <= _MAX_SPAN:
            return None
    elif count != 1:
        return None
    return dt.date(start.year, start.month, 1), _month_end(last + 1, start.month - 1)


def _label(period: Period) -> str:
    kind, first = period.kind, period.first_year
    if kind is PeriodKind.MONTH:
        text = f"{_MONTH_NAMES[period.start.month - 1].title()} {period.start.year}"
    elif kind is PeriodKind.FINANCIAL_QUARTER:
        text = f"{first}-{(first + 1) % 100:02d} Q{period.quarter}"
    elif kind is PeriodKind.FINANCIAL_YEAR:
        text = f"{first}-{(first + 1) % 100:02d}"
    elif kind is PeriodKind.ACADEMIC_YEAR:
        text = f"AY {first}/{(first + 1) % 100:02d}"
    elif kind is PeriodKind.CALENDAR_YEAR:
        text = str(first)
    elif kind is PeriodKind.CALENDAR_SPAN:
        last = period.end.year
        text = f"{first}-{last}" if 1 <= last % 100 <= 12 else f"{first}-{last % 100:02d}"
    else:
        last = period.end.year - 1
        pair = "{}-{:02d}" if kind is PeriodKind.FINANCIAL_SPAN else "{}/{:02d}"
        text = f"{pair.format(first, (first + 1) % 100)} to {pair.format(last, (last + 1) % 100)}"
        if kind is PeriodKind.ACADEMIC_SPAN:
            text = "AY " + text
    return f"{text} ({period.revision})" if period.revision else text


# --------------------------------------------------------------------------- the hint

_FINANCIAL, _ACADEMIC, _CALENDAR = "financial", "academic", "calendar"

_HINTS = {
    _FINANCIAL: ("financial", "financial year", "fy", "financial quarter", "financial years", "quarter"),
    _ACADEMIC: ("academic", "academic year", "ay", "academic years"),
    _CALENDAR: ("calendar", "calendar year", "cy", "calendar years", "annual", "annual january",
                "annual end of sept", "annual end of september"),
}
_HINT_LOOKUP = {spelling: basis for basis, spellings in _HINTS.items() for spelling in spellings}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _hint(kind: object) -> str | None:
    if kind is None:
        return None
    basis = _HINT_LOOKUP.get(_key(kind)) if isinstance(kind, str) else None
    if basis is None:
        raise ScorecardError(
            f"unknown period kind {kind!r}; accepted: 'financial', 'academic' or 'calendar' "
            "(or LAIT's Year_Type: 'Financial Year', 'Academic Year', 'Calendar Year', 'Annual', "
            "'Annual - January', 'Annual (end of Sept)'), or None for the defaults")
    return basis


# --------------------------------------------------------------------------- parsing

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2212": "-", "\u00a0": " "})
_MARKERS = {"fy": _FINANCIAL, "financial year": _FINANCIAL, "ay": _ACADEMIC, "academic year": _ACADEMIC,
            "cy": _CALENDAR, "calendar year": _CALENDAR}
_BASIS_WORDS = {"financial": _FINANCIAL, "financial year": _FINANCIAL, "academic": _ACADEMIC,
                "academic year": _ACADEMIC, "calendar": _CALENDAR, "calendar year": _CALENDAR}

_YEAR = r"(\d{4})"
_END = r"(\d{2}|\d{4})"
_RE_QUALIFIER = re.compile(r"(.*?)\s*\(\s*([a-z ]*?)\s*\)")
_RE_QUARTER_FIRST = re.compile(r"q(?:tr|uarter)?\s*(\d+)\s+(.+)")
_RE_QUARTER_LAST = re.compile(r"(.+?)\s*q(?:tr|uarter)?\s*(\d+)")
_RE_MARKER = re.compile(r"(fy|ay|cy|financial year|academic year|calendar year)\s*(.+)")
_RE_MONTH_NAME = re.compile(r"([a-z]+)\.?\s*[-/ ]?\s*(\d{2}|\d{4})")
_RE_MONTH_SLASH = re.compile(r"(\d{1,2})\s*/\s*" + _YEAR)
_RE_DATE = re.compile(_YEAR + r"-(\d{2})-(\d{2})(?: 00:00(?::00)?)?")
_RE_SINGLE = re.compile(_YEAR)
_RE_PAIR = re.compile(_YEAR + r"\s*(/|-|to)\s*" + _END)
_RE_PAIR_SPAN = re.compile(_YEAR + r"\s*[/-]\s*" + _END + r"\s*(?:-|to)\s*" + _END + r"\s*[/-]\s*" + _END)


class _Refused(Exception):
    """Internal: the label cannot be read, with the reason."""


def parse_period(text: object, kind: object = None) -> Period:
    """The Period a label means; raise ScorecardError naming the label and what is accepted.

    `kind` is a hint for labels that do not say what they are (see the module docstring):
    'financial' (the default for ``2022-23``), 'academic', 'calendar' (the default for ``2023``),
    or LAIT's Year_Type as written. A Period is returned as it is; a
    whole number (a cell holding 2023) is read as its text; a date (Excel turns ``Mar-23`` typed
    in a cell into 1 March 2023) is the month it falls in.
    """
    if isinstance(text, Period):
        return text
    basis = _hint(kind)
    if text is None or (not isinstance(text, str) and pd.api.types.is_scalar(text) and pd.isna(text)):
        raise ScorecardError(f"period is blank; {ACCEPTED}")
    if isinstance(text, dt.date):
        return Period.of_month(_checked(text.year), text.month)
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    if isinstance(text, numbers.Integral) and not isinstance(text, bool):
        text = str(int(text))
    if not isinstance(text, str):
        raise ScorecardError(f"a period must be text, got {text!r}; {ACCEPTED}")
    try:
        return _parse(text, basis)
    except _Refused as refused:
        reason = f": {refused}" if str(refused) else ""
        raise ScorecardError(f"period {text!r} not understood{reason}; {ACCEPTED}") from None


def _parse(text: str, hint: str | None) -> Period:
    t = " ".join(text.translate(_DASHES).lower().split())
    if not t:
        raise _Refused("it is blank")
    revision = explicit = None
    while match := _RE_QUALIFIER.fullmatch(t):
        t, word = match[1], " ".join(match[2].split())
        if word in _BASIS_WORDS and explicit is None:
            explicit = _BASIS_WORDS[word]
        elif word in _REVISIONS and revision is None:
            revision = _REVISIONS[word]
        else:
            raise _Refused(f"the qualifier ({match[2]}) is not one of (Rev), (Final), (prov), (OT), "
                           "(academic), (financial), (calendar)")
    quarter = None
    if match := _RE_QUARTER_FIRST.fullmatch(t) or _RE_QUARTER_LAST.fullmatch(t):
        quarter_text, t = (match[1], match[2]) if t.startswith("q") else (match[2], match[1])
        quarter = int(quarter_text)
        if not 1 <= quarter <= 4:
            raise _Refused(f"there is no quarter {quarter_text}: a financial year has Q1 to Q4")
    if match := _RE_MARKER.fullmatch(t):
        marker = _MARKERS[match[1]]
        if explicit not in (None, marker):
            raise _Refused(f"it says both {explicit} and {marker}")
        explicit, t = marker, match[2]
    if hint in (_FINANCIAL, _ACADEMIC) and explicit not in (None, hint):
        raise _Refused(f"it says {explicit} year but the kind given is {hint}")
    period = _parse_body(t, explicit, hint, quarter)
    return replace(period, revision=revision) if revision else period


def _parse_body(t: str, explicit: str | None, hint: str | None, quarter: int | None) -> Period:
    if quarter is not None:
        if explicit not in (None, _FINANCIAL):
            raise _Refused("quarters are financial-year quarters: write '2024-25 Q1'")
        match = _RE_PAIR.fullmatch(t)
        if not match or match[2] == "to":
            raise _Refused("a quarter is written with its financial year, as '2024-25 Q1'")
        first, end = int(match[1]), _end_year(int(match[1]), match[3])
        _consecutive(first, end)
        return Period.of_quarter(_checked_year(first), quarter)
    if month := _month(t):
        if explicit is not None:
            raise _Refused(f"a month is not a {explicit} year")
        return month
    basis = explicit or hint
    if match := _RE_SINGLE.fullmatch(t):
        year = _checked_year(int(match[1]))
        if explicit in (_FINANCIAL, _ACADEMIC):
            example = "FY 2024-25" if explicit == _FINANCIAL else "AY 2023/24"
            raise _Refused(f"which {explicit} year? Write both its years, as '{example}'")
        if basis == _FINANCIAL:  # DfE: a financial-year measure's '2023' is the year ending 31 March 2023
            return Period.of_financial_year(_checked_year(year - 1))
        if basis == _ACADEMIC:  # and an academic-year measure's '2023' the year ending summer 2023
            return Period.of_academic_year(_checked_year(year - 1))
        return Period.of_calendar_year(year)
    if match := _RE_PAIR.fullmatch(t):
        return _pair(match, explicit, basis)
    if match := _RE_PAIR_SPAN.fullmatch(t):
        if explicit == _CALENDAR:
            raise _Refused("a span of financial or academic years is not calendar years")
        first = _checked_year(int(match[1]))
        last = _end_year(first, match[3])
        if len(match[3]) == 2 and last - first >= _MAX_SPAN and int(match[3]) <= first % 100:
            last -= 100  # '2015/16-14/15': the last year is before the first, not a century on
        _consecutive(first, _end_year(first, match[2]))
        _consecutive(last, _end_year(last, match[4]))
        if last <= first:
            raise _Refused("a span's last year must come after its first")
        last = _checked_year(last)
        kind = PeriodKind.ACADEMIC_SPAN if basis == _ACADEMIC else PeriodKind.FINANCIAL_SPAN
        return _span(kind, first, last)
    if re.fullmatch(r"\d+", t):
        raise _Refused(f"'{t}' is not a year: a year has four digits")
    raise _Refused("")


def _pair(match: re.Match, explicit: str | None, basis: str | None) -> Period:
    """'2024-25', '2024/25', '2024 to 2025', '2014-16', '2023-03': a year, a span or a month."""
    first, separator, end_text = _checked_year(int(match[1])), match[2], match[3]
    end = _end_year(first, end_text)
    could_be_month = separator == "-" and len(end_text) == 2 and 1 <= int(end_text) <= 12 and explicit is None
    if could_be_month and end != first + 1:
        return Period.of_month(first, int(end_text))
    if end == first + 1:
        if explicit == _CALENDAR:
            raise _Refused("a calendar year is one year, as 'CY 2023'")
        return Period.of_academic_year(first) if basis == _ACADEMIC else Period.of_financial_year(first)
    if separator == "/" or explicit in (_FINANCIAL, _ACADEMIC):
        raise _Refused(f"the second year must be the year after the first ({first}/{(first + 1) % 100:02d})")
    if not first + 2 <= end < first + _MAX_SPAN:
        raise _Refused(f"'{end_text}' after {first} is not a month, the next year, or the end of a span "
                       f"of 3 to {_MAX_SPAN} calendar years")
    return _span(PeriodKind.CALENDAR_SPAN, first, _checked_year(end))


def _span(kind: PeriodKind, first: int, last: int) -> Period:
    try:
        return Period.of_span(kind, first, last)
    except ScorecardError as error:
        raise _Refused(str(error)) from None


def _month(t: str) -> Period | None:
    if (match := _RE_MONTH_NAME.fullmatch(t)) and match[1] in _MONTHS:
        year = int(match[2]) + (2000 if len(match[2]) == 2 else 0)  # 'Mar-23' is March 2023
        return Period.of_month(_checked_year(year), _MONTHS[match[1]])
    if match := _RE_MONTH_SLASH.fullmatch(t):
        if not 1 <= int(match[1]) <= 12:
            raise _Refused(f"there is no month {match[1]}")
        return Period.of_month(_checked_year(int(match[2])), int(match[1]))
    if match := _RE_DATE.fullmatch(t):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise _Refused("it is not a real date") from None
        return Period.of_month(_checked_year(day.year), day.month)
    return None


def _end_year(first: int, text: str) -> int:
    """The year a two- or four-digit end means after `first` ('25' after 2024 is 2025; '00' after 1999, 2000)."""
    if len(text) == 4:
        return int(text)
    end = first // 100 * 100 + int(text)
    return end + 100 if end <= first else end


def _consecutive(first: int, end: int) -> None:
    if end != first + 1:
        raise _Refused(f"the second year must be the year after the first ({first}/{(first + 1) % 100:02d})")


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _Refused(f"the year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    return year


def _checked(year: int) -> int:
    """A year from a date object, checked with the same message as a typed one."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ScorecardError(f"period year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    return year


# --------------------------------------------------------------------------- helpers


def normalise_period(text: object, kind: object = None) -> str:
    """The canonical label for a period however it is written (``2024/25 Q1`` -> ``2024-25 Q1``)."""
    return parse_period(text, kind).label


def parse_periods(values: Iterable[object] | pd.Series, kind: object = None, *,
                  lenient: bool = False) -> list[Period | None] | pd.Series:
    """Periods for many labels, parsing each distinct label once (641,070 LAIT rows: 65 parses).

    A pandas Series gives a Series of Periods on the same index; anything else a list. An
    unreadable label raises ScorecardError naming every distinct unreadable label, or with
    `lenient` becomes None so the caller can report the rows itself. One `kind` hint covers all
    the values: for LAIT, group by Year_Type first.
    """
    hint = _hint(kind)
    labels = values if isinstance(values, pd.Series) else list(values)
    lookup: dict[object, Period | None] = {}
    bad: list[str] = []
    for label in pd.unique(pd.Series(labels, dtype=object)):
        try:
            lookup[label] = parse_period(label, hint)
        except ScorecardError as error:
            lookup[label] = None
            bad.append(str(error).split("; accepted")[0])
    if bad and not lenient:
        shown = " | ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise ScorecardError(f"{len(bad)} unreadable period label(s): {shown}; {ACCEPTED}")
    if isinstance(values, pd.Series):
        periods = values.map(lookup).astype(object)
        return periods.where(periods.notna(), None)
    return [lookup.get(label) for label in labels]


def order_periods(labels: Iterable[object], kind: object = None, *, lenient: bool = False) -> list[object]:
    """The distinct labels as given, oldest first; equal periods keep their first-seen order.

    An unreadable label raises ScorecardError; with `lenient`, if any label is unreadable the
    labels come back in first-seen order instead (the old scorecard-data behaviour).
    """
    unique = list(dict.fromkeys(labels))
    periods = parse_periods(unique, kind, lenient=lenient)
    if any(period is None for period in periods):
        return unique
    order = sorted(range(len(unique)), key=lambda index: periods[index].sort_key)
    return [unique[index] for index in order]


def shift(period: Period | str, steps: int, kind: object = None) -> Period:
    """The period `steps` of its own kind later (negative: earlier), without any qualifier.

    A month moves by months, a quarter by quarters (Q1 after Q4 of the year before), a year by
    years, a span by one year per step (LAIT's rolling ``2014-16`` -> ``2015-17``).
    """
    period = parse_period(period, kind)
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise ScorecardError(f"steps must be a whole number, got {steps!r}")
    try:
        if period.kind is PeriodKind.MONTH:
            index = period.start.year * 12 + period.start.month - 1 + steps
            return Period.of_month(index // 12, index % 12 + 1)
        if period.kind is PeriodKind.FINANCIAL_QUARTER:
            index = period.first_year * 4 + period.quarter - 1 + steps
            return Period.of_quarter(index // 4, index % 4 + 1)
        first = period.first_year + steps
        if period.kind in _SPAN_UNIT:
            last = first + period.years - 1
            return Period.of_span(period.kind, first, last)
        return {PeriodKind.FINANCIAL_YEAR: Period.of_financial_year, PeriodKind.ACADEMIC_YEAR:
                Period.of_academic_year, PeriodKind.CALENDAR_YEAR: Period.of_calendar_year}[period.kind](first)
    except ScorecardError as error:
        raise ScorecardError(f"no period {steps:+d} from {period}: {error}") from None


def previous(period: Period | str, kind: object = None) -> Period:
    """The period one step earlier of the same kind (previous month, quarter, year; span one year back).

    The qualifier is dropped: the period before ``2019 (Rev)`` is ``2018``; compare with
    `Period.unrevised` when looking figures up.
    """
    return shift(period, -1, kind)


def financial_year(period: Period | str, kind: object = None) -> Period:
    """The financial year a quarter or month falls in (a financial year is its own), unqualified."""
    period = parse_period(period, kind)
    if period.kind in (PeriodKind.FINANCIAL_QUARTER, PeriodKind.MONTH, PeriodKind.FINANCIAL_YEAR):
        return Period.of_financial_year(period.start.year - (period.start.month < 4))
    raise ScorecardError(f"{period} ({period.kind}) is not within one financial year; "
                         "accepted: a financial quarter, a month or a financial year")


def file_label(period: Period | str, kind: object = None) -> str:
    """The canonical label made safe for a file name, the one spelling every file name uses.

    ``2024/25 Q1`` -> ``2024-25_Q1``; ``AY 2023/24`` -> ``AY_2023-24``; ``2018 (Rev)`` -> ``2018_Rev``.
    """
    label = parse_period(period, kind).label
    return re.sub(r"[^A-Za-z0-9-]+", "_", label.replace("/", "-")).strip("_")


def lenient_label(text: object, kind: object = None) -> str:
    """The canonical label if `text` reads as a period, else the text as given (stripped).

    For keys that must match however a period is spelled, where a label stored before periods
    were checked (and unreadable) must still match itself: the store's period columns.
    """
    try:
        return parse_period(text, kind).label
    except ScorecardError:
        return "" if text is None else str(text).strip()

"""Hypothesis strategies for the rules core, in one place (other test modules may import them).

Values are kept to the sizes scorecards hold (|x| <= 1e6) so that the 1e-9 rounding slack in
the rules is far below any real difference the strategies generate, except where a strategy
deliberately places a value on a boundary.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from scorecard.periods import Period, PeriodKind
from scorecard.polarity import Polarity, accepted_spellings
from scorecard.rag import ABSOLUTE, RELATIVE, Tolerance
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, PLACEHOLDERS

LIMIT = 1e6

# Polarity values, judged (can be better or worse than a target) and all four.
JUDGED = (Polarity.BIGGER, Polarity.SMALLER, Polarity.PLAN)
judged_polarities = st.sampled_from(JUDGED)
directional_polarities = st.sampled_from((Polarity.BIGGER, Polarity.SMALLER))
all_polarities = st.sampled_from(tuple(Polarity))


@st.composite
def polarity_spellings(draw, polarity: Polarity | None = None) -> tuple[str, Polarity]:
    """(a spelling users write, the Polarity it means), with random case and padding."""
    chosen = polarity if polarity is not None else draw(all_polarities)
    spelling = draw(st.sampled_from(accepted_spellings()[chosen.value]))
    cased = "".join(
        ch.upper() if flip else ch
        for ch, flip in zip(spelling, draw(st.lists(st.booleans(), min_size=len(spelling),
                                                    max_size=len(spelling))), strict=True)
    )
    pad = draw(st.sampled_from(("", " ", "  ", "\t")))
    return pad + cased + pad, chosen


# Numbers as scorecards hold them: finite, moderate size; and rounded to 0-3 decimals.
finite_numbers = st.floats(min_value=-LIMIT, max_value=LIMIT, allow_nan=False,
                           allow_infinity=False)
rounded_numbers = st.builds(round, finite_numbers, st.integers(0, 3))
nonzero_numbers = finite_numbers.filter(lambda x: abs(x) >= 1e-3)
numbers = st.one_of(finite_numbers, rounded_numbers, st.integers(-10**6, 10**6))

relative_tolerances = st.builds(
    Tolerance, st.just(RELATIVE), st.one_of(st.sampled_from([0.0, 1.0, 5.0, 10.0]),
                                            st.floats(0, 50, allow_nan=False)))
absolute_tolerances = st.builds(
    Tolerance, st.just(ABSOLUTE), st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0]),
                                            st.floats(0, 100, allow_nan=False)))
tolerances = st.one_of(relative_tolerances, absolute_tolerances)

# Every way of writing "no number here" that the rules know, with case and padding variants.
_MISSING_TEXT = sorted({*GSS_SHORTHAND, *PLACEHOLDERS, *EXCEL_ERRORS})
missing_cells = st.one_of(
    st.just(None),
    st.just(math.nan),
    st.sampled_from(_MISSING_TEXT).flatmap(
        lambda text: st.sampled_from((text, text.upper(), f" {text} ", text.title()))),
)


@st.composite
def number_cells(draw) -> tuple[object, float]:
    """(a cell holding a number in one of the forms users type, the number it means)."""
    value = draw(rounded_numbers)
    form = draw(st.sampled_from(("float", "text", "percent", "spaced percent", "thousands")))
    if form == "float":
        return value, value
    if form == "text":
        return repr(value), value
    if form == "percent":
        return f"{value!r}%", value
    if form == "spaced percent":
        return f" {value!r} % ", value
    whole = int(value)
    return f"{whole:,}", float(whole)


cells = st.one_of(number_cells().map(lambda pair: pair[0]), missing_cells)


@st.composite
def near_edge(draw, polarity: Polarity | None = None) -> tuple[float, float, Polarity, Tolerance]:
    """(actual, target, polarity, tolerance) with the actual on, or one step off, a boundary.

    Boundaries are the target, 1x the tolerance and (Plan is Best) 2x the tolerance, on the
    better or worse side; the step is 0, a thousandth of a unit, or a random small amount.
    """
    target = draw(st.one_of(rounded_numbers, st.just(0.0)))
    tolerance = draw(tolerances)
    chosen = polarity if polarity is not None else draw(judged_polarities)
    allowance = tolerance.allowance(target)
    multiple = draw(st.sampled_from((0, 1, 2)))
    side = draw(st.sampled_from((-1, 1)))
    step = draw(st.sampled_from((0.0, 0.001, -0.001)))
    return target + side * (multiple * allowance + step), target, chosen, tolerance


# Rows for vectorised-versus-scalar comparisons: anything a user might put in the columns.
rag_rows = st.tuples(
    st.one_of(cells, finite_numbers),
    st.one_of(cells, finite_numbers),
    st.one_of(all_polarities, polarity_spellings().map(lambda pair: pair[0])),
    tolerances,
)

# Risk matrix inputs.
risk_axis = st.integers(1, 5)


# --------------------------------------------------------------------------- periods

# Years kept well inside scorecard.periods' 1900-2199 so that a step back or forward stays valid.
period_years = st.integers(1950, 2150)
period_revisions = st.sampled_from((None, None, None, "prov", "Rev", "Final", "OT"))


@st.composite
def periods(draw, kind: PeriodKind | None = None) -> Period:
    """Any Period (every kind, spans of every allowed length, with or without a qualifier)."""
    chosen = kind if kind is not None else draw(st.sampled_from(tuple(PeriodKind)))
    year = draw(period_years)
    if chosen is PeriodKind.MONTH:
        period = Period.of_month(year, draw(st.integers(1, 12)))
    elif chosen is PeriodKind.FINANCIAL_QUARTER:
        period = Period.of_quarter(year, draw(st.integers(1, 4)))
    elif chosen is PeriodKind.FINANCIAL_YEAR:
        period = Period.of_financial_year(year)
    elif chosen is PeriodKind.ACADEMIC_YEAR:
        period = Period.of_academic_year(year)
    elif chosen is PeriodKind.CALENDAR_YEAR:
        period = Period.of_calendar_year(year)
    else:
        least = 3 if chosen is PeriodKind.CALENDAR_SPAN else 2
        period = Period.of_span(chosen, year, year + draw(st.integers(least, 10)) - 1)
    revision = draw(period_revisions)
    return Period(period.kind, period.start, period.end, revision)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_QUALIFIER_SPELLINGS = {None: ("",), "prov": (" (prov)", " (Provisional)", "(PROV)"),
                        "Rev": (" (Rev)", " (revised)", "(rev)"), "Final": (" (Final)", " (final)"),
                        "OT": (" (OT)", " (Outturn)", "(ot)")}


def _pair(year: int, separator: str, digits: int = 2) -> str:
    end = year + 1
    return f"{year}{separator}{end if digits == 4 else f'{end % 100:02d}'}"


def _spellings(period: Period) -> list[str]:
    """Ways people write `period` (without its qualifier) that read back without a hint."""
    year, kind = period.first_year, period.kind
    if kind is PeriodKind.MONTH:
        month = period.start.month
        name = _MONTH_NAMES[month - 1]
        found = [f"{name[:3]} {year}", f"{name[:3]}-{year}", f"{name} {year}", f"{month:02d}/{year}",
                 f"{year}-{month:02d}-28"]
        if 2000 <= year <= 2099:
            found.append(f"{name[:3]}-{year % 100:02d}")
        if month != (year + 1) % 100:  # otherwise '2011-12' is the financial year
            found.append(f"{year}-{month:02d}")
        return found
    if kind is PeriodKind.FINANCIAL_QUARTER:
        q = period.quarter
        return [f"{_pair(year, '/')} Q{q}", f"{_pair(year, '-')} Q{q}", f"{_pair(year, '/', 4)} Q{q}",
                f"Q{q} {_pair(year, '/')}", f"Q{q} {_pair(year, '-')}", f"{_pair(year, '-')} q{q}",
                f"FY {_pair(year, '/')} Q{q}", f"Quarter {q} {_pair(year, '-')}"]
    if kind is PeriodKind.FINANCIAL_YEAR:
        return [_pair(year, "/"), _pair(year, "-"), _pair(year, "/", 4), _pair(year, "-", 4),
                f"FY {_pair(year, '/')}", f"FY{_pair(year, '-')}", f"{year} to {year + 1}",
                f"financial year {_pair(year, '-')}"]
    if kind is PeriodKind.ACADEMIC_YEAR:
        return [f"AY {_pair(year, '/')}", f"AY {_pair(year, '-')}", f"AY{_pair(year, '/', 4)}",
                f"academic year {_pair(year, '/')}", f"{_pair(year, '/')} (academic)"]
    if kind is PeriodKind.CALENDAR_YEAR:
        return [str(year), f"CY {year}", f"calendar year {year}"]
    last = period.end.year - (kind is not PeriodKind.CALENDAR_SPAN)
    if kind is PeriodKind.CALENDAR_SPAN:
        found = [f"{year}-{last}", f"{year} to {last}", f"CY {year}-{last}"]
        if not 1 <= last % 100 <= 12:
            found.append(f"{year}-{last % 100:02d}")
        return found
    prefix = "AY " if kind is PeriodKind.ACADEMIC_SPAN else ""
    found = [f"{prefix}{_pair(year, '/')}-{_pair(last, '/')[2:]}", f"{prefix}{_pair(year, '/')} to {_pair(last, '/')}"]
    if kind is PeriodKind.FINANCIAL_SPAN:
        found += [f"{_pair(year, '-')} to {_pair(last, '-')}", f"FY {_pair(year, '/')}-{_pair(last, '/')[2:]}"]
    return found


@st.composite
def period_spellings(draw, kind: PeriodKind | None = None) -> tuple[str, Period]:
    """(a way people write a period, the Period it means): any listed form, random case,
    padding, doubled spaces, en dashes for hyphens and a qualifier spelt any accepted way."""
    period = draw(periods(kind))
    text = draw(st.sampled_from([period.unrevised().label, *_spellings(period)]))
    text += draw(st.sampled_from(_QUALIFIER_SPELLINGS[period.revision]))
    if draw(st.booleans()):
        text = text.replace("-", "\u2013")
    if draw(st.booleans()):
        text = text.replace(" ", "  ")
    text = draw(st.sampled_from((text, text.upper(), text.lower())))
    pad = draw(st.sampled_from(("", " ", "\t", "\u00a0")))
    return pad + text + pad, period


# Comparison sets for vectorised banding: (value or None, group 0-4, polarity spelling) rows,
# with ties and missing values likely, so quartile boundaries and shared ranks come up often.
comparison_rows = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(-5, 5).map(float), rounded_numbers),
              st.integers(0, 4), st.sampled_from(("High", "Low", "Plan", "", "Smaller is Better"))),
    min_size=0, max_size=60)

# -- funnel plots (scorecard.funnel) ---------------------------------------------------------------
funnel_levels = st.sampled_from((95, 99.8))
# Denominators from a single child to a large county's population.
funnel_denominators = st.floats(min_value=1, max_value=2e6, allow_nan=False, allow_infinity=False)
funnel_proportions = st.floats(min_value=0, max_value=1, allow_nan=False)
# Rates per 10,000 as children's services see them (0 to 20% of the population).
funnel_rates = st.floats(min_value=0, max_value=2000, allow_nan=False)


# -- cells as lists hand them over (the rules' fast paths for plain numbers) -----------------------------------

# Numbers at the edges of what a float holds: signed zero, past 2**53, past int64, too large for a float.
_EDGE_NUMBERS = st.sampled_from([0, 0.0, -0.0, 1e-300, 1e308, 2**53 + 1, -(2**63), 2**64 + 7, 10**20, 10**400])
# What the fast paths take: Python ints and floats, and (number_or_blank_cells) empty cells and NaN.
plain_number_cells = st.one_of(st.integers(-10**6, 10**6),
                               st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False), _EDGE_NUMBERS,
                               st.just(-0.0))  # often: Excel's reading of -0.0 (as 0) is easy to lose
number_or_blank_cells = st.one_of(plain_number_cells, st.sampled_from([None, math.nan]))
# Text a cell can hold: '', text numbers, percentages, GSS shorthand, error values as text, polarities, junk.
text_cells = st.one_of(st.sampled_from(["", " ", "12%", " 86.5 % ", "1,234", "[c]", "[x]", "12.3 [u]", "n/a",
                                        "#N/A", "#DIV/0!", "abc", "1e400", "High", "Low"]), st.text(max_size=4))
# Numbers with some text among them (a column with a few '' or [c] cells), and anything else a cell can hold,
# which the general paths read: infinities and TRUE/FALSE too.
number_or_text_cells = st.one_of(number_or_blank_cells, number_or_blank_cells, text_cells)
mixed_cells = st.one_of(number_or_blank_cells, st.sampled_from([math.inf, -math.inf, True, False]), text_cells)


@st.composite
def cell_lists(draw, cells=None, min_rows: int = 1, max_rows: int = 12):
    """A list as a caller hands the rules a column or a range: a flat list of cells, or rows (lists or
    tuples) of one width, now and then rows of different widths. Its cells are all from `cells`, or else
    (drawn per list) all plain numbers, plain numbers and blanks, numbers with some text, or mixed cells: a
    list of plain numbers takes the fast paths, one odd cell sends the whole list down a general path."""
    kind = cells if cells is not None else draw(st.sampled_from([plain_number_cells, number_or_blank_cells,
                                                                 number_or_text_cells, mixed_cells]))
    height = draw(st.integers(min_rows, max_rows))
    layout = draw(st.sampled_from(["flat", "rows", "rows", "tuples", "ragged"]))
    if layout == "flat":
        return draw(st.lists(kind, min_size=height, max_size=height))
    width = draw(st.integers(1, 3))
    row = tuple if layout == "tuples" else list
    widths = [draw(st.integers(1, 3)) if layout == "ragged" else width for _ in range(height)]
    return [row(draw(st.lists(kind, min_size=size, max_size=size))) for size in widths]

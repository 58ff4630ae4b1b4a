"""Periods: every spelling councils and LAIT write, one canonical label, order, steps, refusals."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import period_spellings, periods

import scorecard.periods as periods_module
from scorecard.errors import ScorecardError
from scorecard.periods import (
    Period,
    PeriodKind,
    financial_year,
    normalise_period,
    order_periods,
    parse_period,
    parse_periods,
    previous,
    shift,
)

ROOT = Path(__file__).resolve().parent.parent

# The 65 labels in LAIT's bds_long_0.parquet (column Years), as published.
LAIT_LABELS = (
    "0", "2013/14-15/16", "2014-16", "2014/15-16/17", "2015-16", "2015-17", "2015/16", "2015/16-17/18",
    "2016", "2016-17", "2016-17 (OT)", "2016-18", "2016/17", "2016/17-18/19", "2017", "2017-18",
    "2017-18 (OT)", "2017-19", "2017/18", "2017/18-19/20", "2018", "2018 (Rev)", "2018-19", "2018-19 (OT)",
    "2018-20", "2018/19", "2018/19-20/21", "2019", "2019 (Rev)", "2019-20", "2019-20 (OT)", "2019-21",
    "2019/20", "2019/20-21/22", "2020", "2020 (Final)", "2020-21", "2020-21 (OT)", "2020-22", "2020/21",
    "2020/21-22/23", "2021", "2021 (Final)", "2021-22", "2021-22 (OT)", "2021/22", "2021/22-23/24", "2022",
    "2022 (Rev)", "2022-23", "2022-23 (OT)", "2022/23", "2023", "2023 (Rev)", "2023-24", "2023-24 (OT)",
    "2023/24", "2024", "2024 (Rev)", "2024-25", "2024-25 (OT)", "2025", "2025 (Rev)", "2025 (prov)", "2025-26",
)
LAIT_GOOD = tuple(label for label in LAIT_LABELS if label != "0")
LAIT_YEAR_TYPES = ("Academic Year", "Financial Year", "Calendar Year", "Annual (end of Sept)",
                   "Annual - January", "Annual", None)


# --------------------------------------------------------------------------- LAIT's labels


def test_lait_has_65_labels_and_only_0_is_junk():
    """The list above is LAIT's 65 labels; 64 read as periods under the default reading."""
    assert len(LAIT_LABELS) == len(set(LAIT_LABELS)) == 65
    assert parse_periods(LAIT_GOOD) and len(LAIT_GOOD) == 64


@pytest.mark.parametrize("year_type", LAIT_YEAR_TYPES)
@pytest.mark.parametrize("label", LAIT_GOOD)
def test_every_lait_label_parses_under_every_year_type(label, year_type):
    """Each LAIT label reads under each of LAIT's Year_Types, and its canonical label reads back equal."""
    period = parse_period(label, kind=year_type)
    assert parse_period(str(period)) == period
    assert hash(parse_period(str(period))) == hash(period)
    assert period.start <= period.end


def test_lait_junk_label_0_is_refused_clearly():
    """LAIT's '0' is refused, naming it and saying a year has four digits, whatever the year type."""
    for year_type in LAIT_YEAR_TYPES:
        with pytest.raises(ScorecardError, match=r"period '0' not understood: '0' is not a year.*accepted:"):
            parse_period("0", kind=year_type)


def test_lait_labels_order_oldest_first():
    """The 64 labels, shuffled, come back ordered by the day each period ends, with the spot checks
    a reader expects: a calendar year after the financial year ending in its March, a 3-year span
    after its last year, and a year's qualified figures beside it (prov, plain, Rev)."""
    shuffled = list(LAIT_GOOD)
    random.Random(4).shuffle(shuffled)
    ordered = order_periods(shuffled)
    assert sorted(ordered) == sorted(LAIT_GOOD)
    ends = [parse_period(label).end for label in ordered]
    assert ends == sorted(ends)
    position = {label: index for index, label in enumerate(ordered)}
    assert position["2015-16"] < position["2016"] < position["2016-17"] < position["2017"]
    assert position["2016"] < position["2014-16"] < position["2017-18"]
    assert position["2013/14-15/16"] < position["2016"]
    assert position["2025 (prov)"] + 1 == position["2025"] == position["2025 (Rev)"] - 1
    assert position["2024-25"] < position["2025 (prov)"] < position["2025-26"]
    assert ordered[-1] == "2025-26"


@pytest.mark.parametrize(("year_type", "label", "canonical"), [
    ("Financial Year", "2016", "2015-16"),
    ("Financial Year", "2016-17 (OT)", "2016-17 (OT)"),
    ("Financial Year", "2013/14-15/16", "2013-14 to 2015-16"),
    ("Academic Year", "2016", "AY 2015/16"),
    ("Academic Year", "2015/16", "AY 2015/16"),
    ("Academic Year", "2015-16", "AY 2015/16"),
    ("Academic Year", "2018 (Rev)", "AY 2017/18 (Rev)"),
    ("Calendar Year", "2014-16", "2014-16"),
    ("Calendar Year", "2016", "2016"),
    ("Annual - January", "2019", "2019"),
    ("Annual (end of Sept)", "2019", "2019"),
    ("Annual", "2019", "2019"),
])
def test_lait_year_types_read_a_label_as_the_measure_means(year_type, label, canonical):
    """LAIT's Year_Type, passed as the kind, decides what a bare year or a two-year label is:
    a financial-year measure's '2016' is the year ending 31 March 2016."""
    assert normalise_period(label, kind=year_type) == canonical


def test_a_lait_series_for_one_measure_sorts_and_matches_our_labels():
    """A financial-year measure's LAIT series sorts oldest first and its points equal our own labels."""
    series = ["2025", "2016", "2019", "2017"]
    assert order_periods(series, kind="Financial Year") == ["2016", "2017", "2019", "2025"]
    assert parse_period("2025", kind="Financial Year") == parse_period("2024/25")
    assert parse_period("2024", kind="Academic Year") == parse_period("AY 2023-24")


# --------------------------------------------------------------------------- spellings


@pytest.mark.parametrize(("spelling", "canonical"), [
    ("2024/25 Q1", "2024-25 Q1"), ("2024-25 Q1", "2024-25 Q1"), ("2024/2025 Q1", "2024-25 Q1"),
    ("Q1 2024/25", "2024-25 Q1"), ("Q1 2024-25", "2024-25 Q1"), ("2024-25 q1", "2024-25 Q1"),
    ("FY 2024/25 Q1", "2024-25 Q1"), ("Q1 FY 2024/25", "2024-25 Q1"), ("2024-25Q1", "2024-25 Q1"),
    ("  2024 /25   Q1 ", "2024-25 Q1"), ("2024\u201325 Q1", "2024-25 Q1"), ("quarter 3 2024-25", "2024-25 Q3"),
    ("2023/24 Q4", "2023-24 Q4"),
    ("FY 2024/25", "2024-25"), ("2024/25", "2024-25"), ("2024-25", "2024-25"), ("2024 to 2025", "2024-25"),
    ("fy2024-2025", "2024-25"), ("Financial year 2024/25", "2024-25"), ("1999/00", "1999-00"),
    ("AY 2023/24", "AY 2023/24"), ("AY 2023-24", "AY 2023/24"), ("ay2023/2024", "AY 2023/24"),
    ("2023/24 (academic)", "AY 2023/24"), ("Academic Year 2023/24", "AY 2023/24"),
    ("2023", "2023"), ("CY 2023", "2023"), ("calendar year 2023", "2023"),
    ("Mar-23", "Mar 2023"), ("Mar 2023", "Mar 2023"), ("March 2023", "Mar 2023"), ("2023-03", "Mar 2023"),
    ("03/2023", "Mar 2023"), ("3/2023", "Mar 2023"), ("mar23", "Mar 2023"), ("Sept 2023", "Sep 2023"),
    ("2023-03-31", "Mar 2023"), ("2010-12", "Dec 2010"),
    ("2014-16", "2014-16"), ("2014-2016", "2014-16"), ("2014 to 2016", "2014-16"), ("2008-2010", "2008-2010"),
    ("2013/14-15/16", "2013-14 to 2015-16"), ("2013-14 to 2015-16", "2013-14 to 2015-16"),
    ("2013/14 to 2015/16", "2013-14 to 2015-16"), ("AY 2013/14-15/16", "AY 2013/14 to 2015/16"),
    ("2018 (Rev)", "2018 (Rev)"), ("2018 (revised)", "2018 (Rev)"), ("2018(REV)", "2018 (Rev)"),
    ("2025 (Provisional)", "2025 (prov)"), ("2016-17 (outturn)", "2016-17 (OT)"), ("2020 (final)", "2020 (Final)"),
    ("2023/24 (academic) (Rev)", "AY 2023/24 (Rev)"),
])
def test_spellings_normalise_to_one_canonical_label(spelling, canonical):
    """Each spelling people write reads as the period whose canonical label is given."""
    assert normalise_period(spelling) == canonical
    assert parse_period(spelling) == parse_period(canonical)


def test_two_spellings_of_one_period_are_equal_and_hash_equal():
    """The README's '2024/25 Q1' and the docs' '2024-25 Q1' are one period: a dict key found under either."""
    stored = {parse_period("2024/25 Q1"): 81.0}
    assert parse_period("2024-25 Q1") in stored
    assert parse_period("Q1 2024-25") == parse_period("2024/2025 Q1")
    assert len({parse_period(text) for text in ("2024/25", "2024-25", "FY 2024/25", "2024 to 2025")}) == 1


@pytest.mark.parametrize(("value", "canonical"), [
    (2023, "2023"), (2023.0, "2023"), (dt.date(2023, 3, 1), "Mar 2023"), (dt.datetime(2024, 6, 30, 12), "Jun 2024"),
    (pd.Timestamp("2023-03-01"), "Mar 2023"),
])
def test_cells_that_are_not_text_read_as_people_typed_them(value, canonical):
    """A number cell holding 2023 is the year 2023; a date cell (Excel's reading of 'Mar-23') is its month."""
    assert normalise_period(value) == canonical


def test_a_period_parses_to_itself():
    """Passing a Period through parse_period gives it back unchanged."""
    period = Period.of_quarter(2024, 2)
    assert parse_period(period) is period


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("text", "reason"), [
    ("banana", None),
    ("Q5 2024", "there is no quarter 5"),
    ("Q0 2024-25", "there is no quarter 0"),
    ("Q1 2024", "a quarter is written with its financial year"),
    ("2024 Q1", "a quarter is written with its financial year"),
    ("2024/26", "the second year must be the year after the first"),
    ("2024/23", "the second year must be the year after the first"),
    ("2024-23 Q1", "the second year must be the year after the first"),
    ("FY 2024-26", "the second year must be the year after the first"),
    ("AY 2024", "which academic year"),
    ("FY 2024", "which financial year"),
    ("AY 2023/24 Q1", "quarters are financial-year quarters"),
    ("CY 2023-24", "a calendar year is one year"),
    ("FY Mar 2023", "a month is not a financial year"),
    ("2023 (est)", "the qualifier (est) is not one of"),
    ("2024-24", "'24' after 2024 is not a month"),
    ("2024-40", "'40' after 2024 is not a month"),
    ("2015/16-14/15", "a span's last year must come after its first"),
    ("2013/14-14/16", "the second year must be the year after the first"),
    ("2013/14-25/26", "covers 2 to 10 years"),
    ("1850", "outside 1900 to 2199"),
    ("13/2023", "there is no month 13"),
    ("2023-02-30", "not a real date"),
    ("0", "'0' is not a year"),
    ("", "it is blank"),
    ("   ", "it is blank"),
    ("AY 2023/24 (financial)", "it says both financial and academic"),
])
def test_refusals_say_what_was_given_why_and_what_is_accepted(text, reason):
    """Bad labels raise ScorecardError naming the label, the reason where there is one, and the accepted forms."""
    with pytest.raises(ScorecardError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert f"period {text!r} not understood" in message
    assert "accepted: financial-year quarters '2024-25 Q1'" in message
    assert "'AY 2023/24'" in message and "'Mar 2023'" in message and "(Rev)" in message
    if reason:
        assert reason in message


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT])
def test_blank_cells_are_refused_as_blank(value):
    """A blank cell (None, NaN, NA, NaT) is refused as a blank period, not as odd text."""
    with pytest.raises(ScorecardError, match="period is blank; accepted"):
        parse_period(value)


@pytest.mark.parametrize("value", [True, 2023.5, [2023], object()])
def test_other_types_are_refused(value):
    """Booleans, fractional numbers and other objects are refused with their repr in the message."""
    with pytest.raises(ScorecardError, match="a period must be text, got"):
        parse_period(value)


def test_an_unknown_kind_is_refused_listing_the_kinds():
    """A kind hint that is not a year type is refused, listing the accepted hints and LAIT's Year_Types."""
    expected = r"unknown period kind 'fortnightly'; accepted: 'financial'.*Annual - January"
    with pytest.raises(ScorecardError, match=expected):
        parse_period("2023", kind="fortnightly")


def test_a_period_built_directly_must_fit_its_kind():
    """Period(...) checks that the dates are those of the kind, the kind exists and the qualifier is known."""
    with pytest.raises(ScorecardError, match="is not a financial year"):
        Period(PeriodKind.FINANCIAL_YEAR, dt.date(2024, 5, 1), dt.date(2025, 4, 30))
    with pytest.raises(ScorecardError, match="is not a month"):
        Period(PeriodKind.MONTH, dt.date(2024, 5, 1), dt.date(2024, 6, 30))
    with pytest.raises(ScorecardError, match="unknown period kind 'week'"):
        Period("week", dt.date(2024, 5, 1), dt.date(2024, 5, 7))
    with pytest.raises(ScorecardError, match="unknown period qualifier 'rev'"):
        Period(PeriodKind.CALENDAR_YEAR, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "rev")
    with pytest.raises(ScorecardError, match="must be dates"):
        Period(PeriodKind.CALENDAR_YEAR, "2024-01-01", dt.date(2024, 12, 31))
    with pytest.raises(ScorecardError, match="covers 3 to 10 years"):
        Period.of_span(PeriodKind.CALENDAR_SPAN, 2014, 2015)
    with pytest.raises(ScorecardError, match="not a span kind"):
        Period.of_span(PeriodKind.MONTH, 2014, 2016)
    assert Period(PeriodKind.FINANCIAL_YEAR, dt.date(2024, 4, 1), dt.date(2025, 3, 31)) == parse_period("2024-25")


# --------------------------------------------------------------------------- hints


@pytest.mark.parametrize(("text", "kind", "canonical"), [
    ("2022-23", None, "2022-23"), ("2022-23", "financial", "2022-23"), ("2022-23", "academic", "AY 2022/23"),
    ("2022/23", "Academic Year", "AY 2022/23"), ("2022-23", "calendar", "2022-23"),
    ("2023", None, "2023"), ("2023", "financial", "2022-23"), ("2023", "academic", "AY 2022/23"),
    ("2011-12", None, "2011-12"), ("2011-12", "academic", "AY 2011/12"), ("AY 2023/24", "academic", "AY 2023/24"),
    ("AY 2023/24", "calendar", "AY 2023/24"), ("FY 2023/24", "Annual", "2023-24"), ("CY 2023", "financial year", None),
    ("AY 2023/24", "financial", None), ("FY 2023/24", "academic", None), ("CY 2023", "academic", None),
    ("2024-25 Q1", "academic", "2024-25 Q1"), ("Mar 2023", "financial", "Mar 2023"),
    ("2014-16", "financial", "2014-16"), ("2013/14-15/16", "AY", "AY 2013/14 to 2015/16"),
    ("2023", PeriodKind.FINANCIAL_YEAR, "2022-23"),
])
def test_the_kind_hint_settles_only_what_the_label_leaves_open(text, kind, canonical):
    """The hint decides ambiguous labels (default: '2022-23' financial, '2023' calendar); quarters, months
    and spans are what they say; a label naming a year type a financial or academic hint contradicts
    is refused (canonical None), saying both."""
    if canonical is not None:
        assert normalise_period(text, kind=kind) == canonical
    else:
        with pytest.raises(ScorecardError, match=r"it says \w+ year but the kind given is (financial|academic)"):
            normalise_period(text, kind=kind)


# --------------------------------------------------------------------------- qualifiers


def test_a_qualified_figure_is_its_own_point_beside_the_plain_one():
    """'2018 (Rev)' covers 2018 but is not equal to '2018'; unrevised() gives '2018'; it sorts just after."""
    revised, plain = parse_period("2018 (Rev)"), parse_period("2018")
    assert revised != plain and hash(revised) != hash(plain)
    assert (revised.start, revised.end, revised.kind) == (plain.start, plain.end, plain.kind)
    assert revised.revision == "Rev" and plain.revision is None
    assert revised.unrevised() == plain and plain.unrevised() is plain
    assert parse_period("2018 (prov)") < plain < revised < parse_period("2018 (Final)") < parse_period("2018 (OT)")
    assert revised < parse_period("2019")


# --------------------------------------------------------------------------- order


def test_quarters_then_their_year_then_the_next_year():
    """Mar 2024 < 2023-24 Q4 (same end, shorter first) < 2023-24 < 2024-25 Q1; Q1 < Q2 < Q3 < Q4."""
    labels = ["2024-25 Q1", "2023-24", "2023/24 Q4", "Q3 2023-24", "Mar 2024", "2023-24 Q1", "2023/24 Q2",
              "2024-25"]
    assert order_periods(labels) == ["2023-24 Q1", "2023/24 Q2", "Q3 2023-24", "Mar 2024", "2023/24 Q4",
                                     "2023-24", "2024-25 Q1", "2024-25"]
    assert parse_period("2023-24") < parse_period("2024-25")


def test_order_periods_keeps_labels_as_given_and_equal_periods_first_seen():
    """order_periods returns the distinct labels as written; two spellings of one period stay in first-seen order."""
    assert order_periods(["2024-25 Q1", "2023/24 Q4", "2024/25 Q1", "2023/24 Q4"]) == [
        "2023/24 Q4", "2024-25 Q1", "2024/25 Q1"]


def test_order_periods_refuses_or_leniently_keeps_first_seen_order():
    """An unreadable label raises, naming it; with lenient=True the labels keep first-seen order (the old rule)."""
    with pytest.raises(ScorecardError, match=r"1 unreadable period label\(s\): period 'Spring' not understood"):
        order_periods(["Mar-24", "Spring", "Dec-23"])
    assert order_periods(["Mar-24", "Spring", "Dec-23"], lenient=True) == ["Mar-24", "Spring", "Dec-23"]
    assert order_periods(["Mar-24", "Dec-23", "Jun-23"], lenient=True) == ["Jun-23", "Dec-23", "Mar-24"]
    assert order_periods([]) == []


# --------------------------------------------------------------------------- steps


@pytest.mark.parametrize(("text", "before"), [
    ("2024-25 Q1", "2023-24 Q4"), ("2024-25 Q4", "2024-25 Q3"), ("Jan 2024", "Dec 2023"), ("Mar 2024", "Feb 2024"),
    ("2024-25", "2023-24"), ("AY 2023/24", "AY 2022/23"), ("2023", "2022"), ("2014-16", "2013-15"),
    ("2013-14 to 2015-16", "2012-13 to 2014-15"), ("2019 (Rev)", "2018"), ("2000-01", "1999-00"),
])
def test_previous_is_one_step_back_of_the_same_kind(text, before):
    """previous() steps a quarter, month, year or span back one, dropping any qualifier."""
    assert previous(text) == parse_period(before)


def test_shift_and_its_limits():
    """shift() moves forward too; stepping past 1900 is refused; steps must be whole numbers."""
    assert shift("2023-24 Q4", 1) == parse_period("2024-25 Q1")
    assert shift("Nov 2023", 14) == parse_period("Jan 2025")
    assert str(shift("2023", 1, kind="financial")) == "2023-24"
    with pytest.raises(ScorecardError, match=r"no period -1 from 1900-01"):
        previous("1900-01")
    with pytest.raises(ScorecardError, match="steps must be a whole number"):
        shift("2023", 1.5)


@pytest.mark.parametrize(("text", "year"), [
    ("2024-25 Q1", "2024-25"), ("2024-25 Q4", "2024-25"), ("Jan 2025", "2024-25"), ("Apr 2024", "2024-25"),
    ("Mar 2024", "2023-24"), ("2024-25 (OT)", "2024-25"),
])
def test_financial_year_of_a_quarter_or_month(text, year):
    """financial_year() gives the April-to-March year a quarter or month falls in."""
    assert financial_year(text) == parse_period(year)


def test_financial_year_refuses_periods_that_straddle_years():
    """An academic or calendar year is not within one financial year: refused, saying what is accepted."""
    with pytest.raises(ScorecardError, match=r"AY 2023/24 \(academic year\) is not within one financial year"):
        financial_year("AY 2023/24")
    with pytest.raises(ScorecardError, match="accepted: a financial quarter, a month or a financial year"):
        financial_year("2023")


# --------------------------------------------------------------------------- many at once


def test_parse_periods_maps_a_series_parsing_each_distinct_label_once(monkeypatch):
    """A Series of 6,000 labels with 3 distinct ones costs 3 parses and keeps its index."""
    calls = []
    real = periods_module.parse_period
    monkeypatch.setattr(periods_module, "parse_period", lambda text, kind=None: calls.append(text) or real(text, kind))
    series = pd.Series(["2016", "2017 (Rev)", "2014-16"] * 2000, index=range(10, 6010))
    result = parse_periods(series, kind="Academic Year")
    assert sorted(calls) == ["2014-16", "2016", "2017 (Rev)"]
    assert list(result.index) == list(series.index)
    assert [str(period) for period in result[:3]] == ["AY 2015/16", "AY 2016/17 (Rev)", "2014-16"]


def test_parse_periods_names_every_bad_label_or_gives_none_when_lenient():
    """Strict: one error naming each distinct bad label. Lenient: None where the label is bad."""
    labels = ["2023", "0", "banana", "0"]
    with pytest.raises(ScorecardError, match=r"2 unreadable period label\(s\): period '0'.*\| period 'banana'"):
        parse_periods(labels)
    assert parse_periods(labels, lenient=True) == [parse_period("2023"), None, None, None]
    series = parse_periods(pd.Series(labels + [None]), lenient=True)
    assert series.tolist() == [parse_period("2023"), None, None, None, None]
    assert parse_periods([]) == []


# --------------------------------------------------------------------------- properties


@given(periods())
def test_canonical_label_round_trips(period):
    """str(p) parses back (without a hint) to a period equal to p, with the same hash."""
    again = parse_period(str(period))
    assert again == period and hash(again) == hash(period)


@given(period_spellings())
def test_any_spelling_reads_as_its_period(pair):
    """Every listed way of writing a period, in any case, padding and dash, reads as that period."""
    text, period = pair
    assert parse_period(text) == period


@given(st.one_of(period_spellings().map(lambda pair: pair[0]), st.sampled_from(LAIT_GOOD)),
       st.sampled_from(LAIT_YEAR_TYPES))
def test_normalise_is_idempotent(text, kind):
    """normalise(normalise(s)) == normalise(s) under any hint; a listed spelling is only ever refused
    because its own year type contradicts the hint."""
    try:
        once = normalise_period(text, kind=kind)
    except ScorecardError as error:
        assert "but the kind given is" in str(error)
        return
    assert normalise_period(once, kind=kind) == once


@given(periods(), periods())
@example(Period.of_quarter(2023, 4), Period.of_financial_year(2023))
@example(Period.of_month(2024, 3), Period.of_quarter(2023, 4))
@example(Period.of_calendar_year(2016), Period.of_span(PeriodKind.CALENDAR_SPAN, 2014, 2016))
def test_order_is_total_and_follows_the_dates(first, second):
    """Exactly one of <, ==, > holds; an earlier end sorts first; the same end puts the later start first."""
    assert [first < second, first == second, second < first].count(True) == 1
    assert (first <= second) == (not second < first)
    if first.end != second.end:
        assert (first < second) == (first.end < second.end)
    elif first.start != second.start:
        assert (first < second) == (first.start > second.start)
    else:
        assert (first == second) == (first.revision == second.revision)


@given(periods())
def test_previous_is_earlier_same_kind_and_undone_by_shift(period):
    """previous(p) < p, has p's kind and length, and one step forward returns p without its qualifier."""
    before = previous(period)
    assert before < period
    assert before.kind == period.kind and before.years == period.years
    assert shift(before, 1) == period.unrevised()


@given(periods(PeriodKind.FINANCIAL_QUARTER))
def test_a_quarter_lies_within_its_financial_year(quarter):
    """A quarter's dates fall inside financial_year(quarter), and it sorts before that year's figure."""
    year = financial_year(quarter)
    assert year.start <= quarter.start <= quarter.end <= year.end
    assert quarter < year


@given(st.lists(periods(), max_size=12))
def test_sort_key_sorts_as_the_periods_do(items):
    """Sorting by sort_key (integers, for vectorised sorting) gives the same order as sorting the periods."""
    assert sorted(items, key=lambda period: period.sort_key) == sorted(items)


# --------------------------------------------------------------------------- the docs


def _tables(heading: str) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) of each table in docs/rules.md's section `heading`, rows as lists of cells."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    tables = []
    for block in re.split(r"\n(?!\|)", section):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if lines:
            cells = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
            tables.append((cells[0], cells[2:]))
    return tables


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_every_example_in_the_periods_section_of_the_rules_is_true():
    """docs/rules.md section 8: each spelling reads as the label shown (under each kind listed) and each
    refused example is refused naming it; so the page cannot drift from the code."""
    tables = {header[1]: rows for header, rows in _tables("8. Periods")}
    assert set(tables) == {"Scorecard reads", "Kind", "Why"}
    checked = 0
    for row in tables["Scorecard reads"]:
        for spelling in _code(row[0]):
            assert normalise_period(spelling) == _code(row[1])[0], spelling
            checked += 1
    for row in tables["Kind"]:
        kinds = ([None] if "none" in row[1] else []) + _code(row[1])
        spellings, reads = _code(row[0]), _code(row[2])
        for index, spelling in enumerate(spellings):
            for kind in kinds:
                if row[2].startswith("refused"):
                    with pytest.raises(ScorecardError, match="but the kind given is"):
                        parse_period(spelling, kind=kind)
                else:  # one label read for all the spellings, or one for each
                    expected = reads[index] if len(reads) == len(spellings) else reads[0]
                    assert normalise_period(spelling, kind=kind) == expected, (spelling, kind)
                checked += 1
    for row in tables["Why"]:
        for spelling in _code(row[0]):
            with pytest.raises(ScorecardError, match=re.escape(f"period {spelling!r} not understood")):
                parse_period(spelling)
            checked += 1
    assert checked >= 70  # the three tables were found and read

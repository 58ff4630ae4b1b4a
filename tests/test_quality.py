"""Data-quality queries (generator.collection.quality and the store's queries table): each check
raises a query when it should and not when it should not, at its boundaries, and a query's life
(confirm with a comment, corrected by a resubmission, carried while the figure stands).

Returns are put in the store directly (Store.add_submission with cells as the reader stores
them), so each test says exactly which figures each authority sent; tests/test_quality_cli.py
goes through real templates and `scorecard collect`.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator.collection import layout as L
from generator.collection.quality import CHECKS, QualitySettings, check_return, check_returns
from generator.collection.store import Authority, Store, Submission
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError
from scorecard.funnel import percentage_limits

CATALOGUE = load_catalogue()
PCT = next(i for i in CATALOGUE if i.unit == "percentage" and not i.reporting_basis)
COUNT = next(i for i in CATALOGUE if i.unit == "count" and not i.reporting_basis)
RATE = next(i for i in CATALOGUE if i.unit == "rate per 10,000")
SPEND = CATALOGUE.get("agency-spend")  # currency, year to date
SCORE = next(i for i in CATALOGUE if i.unit == "score")
Q4, Q1, LAST_Q1 = "2023-24 Q4", "2024-25 Q1", "2023-24 Q1"
SE = tuple(Authority(f"E{n}", f"Authority {n}", "SE") for n in range(1, 6))
ROOT = Path(__file__).resolve().parent.parent
_files = itertools.count()


class Region:
    """A store with five South East authorities (and any others added) and helpers to send
    returns: figures are {indicator: {field: number, '[x]' shorthand, or ('error', number)}}."""

    def __init__(self, tmp_path, authorities=SE):
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.store = Store(tmp_path / "region.sqlite")
        self.store.add_authorities(authorities)

    def send(self, authority, period, figures, dataset="dataset", fingerprint="catalogue-1"):
        cells = []
        for row, (indicator_id, fields) in enumerate(figures.items(), start=3):
            for field, typed in fields.items():
                cells.append(_cell(indicator_id, field, typed, row))
        self.store.add_submission(Submission(
            authority, period, f"{authority}_{period}.xlsx", f"sha-{next(_files)}", "1",
            fingerprint, dataset, cells))
        return self.store.latest(authority, period)["version"]

    def check(self, authority="E1", period=Q1, **settings):
        return check_return(self.store, authority, period, CATALOGUE, QualitySettings(**settings))

    def codes(self, authority="E1", period=Q1, **settings):
        return sorted((q.check_code, q.indicator_id) for q in self.check(authority, period, **settings))


def _cell(indicator_id, field, typed, row):
    status, number, missing = "ok", typed, None
    if isinstance(typed, tuple):
        status, number = typed
    elif isinstance(typed, str):
        number, missing = None, typed
    return {"indicator_id": indicator_id, "field": field, "number": number,
            "raw": missing or L.raw_text(number), "missing_code": missing,
            "missing_reason": "not available" if missing else None, "status": status,
            "file": "f.xlsx", "sheet": "Theme", "cell": L.cell_name(row, L.COLUMN_INDEX[field])}


# -- moved ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("then", "now", "raised"), [
    (100, 125, False),    # exactly 25% is not more than 25%
    (100, 125.5, True),
    (100, 75, False),
    (100, 74.5, True),
    (0, 0, False),
    (0, 5, True),         # from nothing: always a move
    (8.4, 10.5, False),   # 25% in binary floating point (8.4 * 1.25 = 10.500000000000002)
])
def test_moved_is_raised_only_beyond_the_share(tmp_path, then, now, raised):
    """A figure that changed by more than 25% since the previous quarter is queried; a change
    of exactly 25% (binary rounding included) is not."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": then}})
    region.send("E1", Q1, {COUNT.id: {"value": now}})
    assert (("moved", COUNT.id) in region.codes()) is raised


def test_moved_query_names_the_cell_the_values_and_the_previous_period(tmp_path):
    """The query points at the value's sheet and cell and gives the value, the previous value
    and period, and what to check."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 80}})
    region.send("E1", Q1, {COUNT.id: {"value": 120}})
    [query] = region.check()
    assert (query.authority, query.period, query.indicator_id, query.field) == ("E1", Q1, COUNT.id, "value")
    assert (query.sheet, query.cell, query.value) == ("Theme", "H4", "120")
    assert query.detail["previous_value"] == 80 and query.detail["previous_period"] == Q4
    assert "50% higher than 80 in 2023-24 Q4" in query.message and "confirm" in query.message


def test_moved_threshold_is_a_setting_and_scores_are_not_checked(tmp_path):
    """move_share=0.5 lets a 40% rise pass; a score (around 0) is never checked for moves."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}, SCORE.id: {"value": 0.1}})
    region.send("E1", Q1, {COUNT.id: {"value": 140}, SCORE.id: {"value": -0.3}})
    assert region.codes() == [("moved", COUNT.id)]
    assert region.codes(move_share=0.5) == []


def test_year_to_date_amounts_compare_with_the_same_quarter_a_year_before(tmp_path):
    """Year-to-date spend restarts each April: Q1 is compared with last year's Q1, not Q4."""
    region = Region(tmp_path)
    region.send("E1", LAST_Q1, {SPEND.id: {"value": 105}})
    region.send("E1", Q4, {SPEND.id: {"value": 400}})
    region.send("E1", Q1, {SPEND.id: {"value": 100}})
    assert region.codes() == []
    region.send("E1", LAST_Q1, {SPEND.id: {"value": 50}})
    [query] = region.check()
    assert query.check_code == "moved" and query.detail["previous_period"] == LAST_Q1
    assert "year to date" in query.message


# -- numerator over denominator --------------------------------------------------------------------
def test_numerator_over_denominator_for_a_percentage_must_be_corrected(tmp_path):
    """51 of 50 for a percentage is a query on the numerator cell that cannot be confirmed;
    50 of 50 is not a query."""
    region = Region(tmp_path)
    region.send("E1", Q1, {PCT.id: {"numerator": ("error", 51), "denominator": 50}})
    [query] = region.check()
    assert (query.check_code, query.field, query.cell, query.value) == (
        "numerator_over_denominator", "numerator", "F4", "51")
    assert not query.confirmable and "cannot be confirmed" in query.message
    with pytest.raises(ScorecardError, match="cannot be confirmed"):
        region.store.answer_query(query.id, "confirmed", "it is right", "ann")
    region.send("E1", Q1, {PCT.id: {"numerator": 50, "denominator": 50}})
    assert region.codes() == []


def test_numerator_over_denominator_for_a_rate_can_be_confirmed(tmp_path):
    """A rate with more events than people is a query the authority may confirm."""
    region = Region(tmp_path)
    region.send("E1", Q1, {RATE.id: {"numerator": 5001, "denominator": 5000}})
    [query] = region.check()
    assert query.check_code == "numerator_over_denominator" and query.confirmable
    answered = region.store.answer_query(query.id, "confirmed", "repeat contacts count", "ann")
    assert (answered.status, answered.comment, answered.answered_by) == (
        "confirmed", "repeat contacts count", "ann")


# -- outside the funnel --------------------------------------------------------------------------------
def _funnel_region(tmp_path, mine, others=(500, 500, 500, 500), denominator=1000, extra=()):
    region = Region(tmp_path, SE + tuple(extra))
    for code, numerator in zip(("E1", "E2", "E3", "E4", "E5"), (mine, *others), strict=False):
        region.send(code, Q1, {PCT.id: {"numerator": numerator, "denominator": denominator}})
    return region


def test_outside_funnel_just_inside_and_just_outside_the_998_limits(tmp_path):
    """The region's pooled centre includes the authority; 56.1% of 1,000 is inside the 99.8%
    limits around it (upper 56.1046%) and 56.2% is above them (upper 56.1246%; limits from
    scorecard.funnel, tested there)."""
    for numerator, raised in ((561, False), (562, True)):
        region = _funnel_region(tmp_path / str(numerator), numerator)
        centre = (numerator + 2000) / 5000 * 100
        upper = percentage_limits(1000, centre, 99.8)[1]
        assert (numerator / 10 > upper) is raised
        queries = region.check()
        assert [q.check_code for q in queries] == (["outside_funnel"] if raised else [])
    [query] = queries
    assert query.detail["upper"] == pytest.approx(upper) and query.detail["returns"] == 5
    assert "above the 99.8% funnel limits" in query.message and "SE region" in query.message


def test_funnel_pools_only_the_authoritys_region_and_needs_three_returns(tmp_path):
    """An authority in another region does not move the SE centre; with two SE returns giving
    numerator and denominator there is no funnel at all."""
    north = (Authority("N1", "North 1", "NW"),)
    region = _funnel_region(tmp_path / "a", 562, extra=north)
    region.send("N1", Q1, {PCT.id: {"numerator": 10, "denominator": 1000}})
    [query] = region.check()
    assert query.detail["centre"] == pytest.approx(51.24) and query.detail["region"] == "the SE region"
    region = _funnel_region(tmp_path / "b", 900, others=(500,))
    assert region.codes() == []
    assert region.codes(funnel_min_returns=2) == [("outside_funnel", PCT.id)]


def test_rates_are_checked_against_an_exact_poisson_funnel(tmp_path):
    """A rate per 10,000 far below the region's is queried as below the funnel."""
    region = Region(tmp_path)
    for code, events in zip(("E1", "E2", "E3", "E4"), (20, 200, 210, 190), strict=True):
        region.send(code, Q1, {RATE.id: {"numerator": events, "denominator": 50_000}})
    [query] = region.check()
    assert query.check_code == "outside_funnel" and query.detail["position"] == "below"
    assert query.detail["lower"] > 4 and "per 10,000" in query.message


def test_shorthand_or_error_figures_are_not_put_in_a_funnel(tmp_path):
    """A numerator given as shorthand or with an error is neither checked nor pooled."""
    region = _funnel_region(tmp_path, "[x]", others=(500, 500, ("error", 999), 500))
    assert region.codes() == [] and region.codes("E4") == []


# -- series breaks -------------------------------------------------------------------------------
def test_a_figure_last_quarter_and_none_now_is_a_break(tmp_path):
    """Blank now (another figure sent), or shorthand now: a series_break; an error now is left
    to the error report."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 40}, PCT.id: {"numerator": 1, "denominator": 2}})
    region.send("E1", Q1, {PCT.id: {"numerator": 1, "denominator": 2}})
    [query] = region.check()
    assert (query.check_code, query.cell) == ("series_break", "H4")  # where it was last quarter
    assert "40 in 2023-24 Q4 but no figure this period (left blank)" in query.message
    region.send("E1", Q1, {COUNT.id: {"value": "[x]"}, PCT.id: {"numerator": 1, "denominator": 2}})
    [query] = region.check()
    assert "[x]: not available" in query.message
    region.send("E1", Q1, {COUNT.id: {"value": ("error", None)}, PCT.id: {"numerator": 1, "denominator": 2}})
    assert region.codes() == []


def test_a_figure_now_after_none_is_a_break_only_within_one_dataset(tmp_path):
    """A figure after shorthand last quarter is a break; after a return of another dataset
    (which may not have asked for it) it is not; a first return has no history to break."""
    region = Region(tmp_path)
    region.send("E1", Q1, {COUNT.id: {"value": 40}})
    assert region.codes() == []
    region.send("E1", Q4, {COUNT.id: {"value": "[x]"}})
    [query] = region.check()
    assert query.check_code == "series_break" and "no figure in 2023-24 Q4 ([x])" in query.message
    region.send("E1", Q4, {PCT.id: {"numerator": 1, "denominator": 2}}, dataset="another")
    assert region.codes() == []
    region.send("E1", Q4, {COUNT.id: {"value": ("error", None)}})
    [query] = region.check()
    assert "no figure in 2023-24 Q4 (a cell in error)" in query.message


def test_a_template_from_another_catalogue_version_is_one_query_on_the_return(tmp_path):
    """When last quarter's template came from another catalogue version, one series_break query
    on the whole return says definitions may have changed."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 40}}, fingerprint="catalogue-1")
    region.send("E1", Q1, {COUNT.id: {"value": 41}}, fingerprint="catalogue-2")
    [query] = region.check()
    assert (query.check_code, query.indicator_id, query.field) == ("series_break", "", "")
    assert query.detail["previous_fingerprint"] == "catalogue-1" and "catalogue" in query.message


# -- a query's life --------------------------------------------------------------------------------------
def test_checking_again_does_not_duplicate_and_a_confirmation_needs_a_comment(tmp_path):
    """Rerunning the checks keeps one query (same id); confirming needs a comment and a name;
    a confirmed query stays confirmed when the checks run again."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 200}})
    [first] = region.check()
    [again] = region.check()
    assert again.id == first.id and len(region.store.queries()) == 1
    for comment, by in (("  ", "ann"), ("a new team", "")):
        with pytest.raises(ScorecardError, match="comment|who"):
            region.store.answer_query(first.id, "confirmed", comment, by)
    region.store.answer_query(first.id, "confirmed", "two teams merged", "ann")
    [again] = region.check()
    assert (again.id, again.status, again.comment) == (first.id, "confirmed", "two teams merged")


def test_a_resubmission_that_changes_the_figure_corrects_the_query(tmp_path):
    """Version 2 with a figure in line: the version 1 query is corrected (by the resubmission)
    and no query is open on the superseded version; version 2 raises none."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 200}})
    [query] = region.check()
    region.send("E1", Q1, {COUNT.id: {"value": 110}})
    assert region.check() == []
    row = region.store.queries().set_index("id").loc[query.id]
    assert (row.status, row.answered_by, row.version) == ("corrected", "resubmission", 1)
    assert "version 2 changed the figure" in row.comment


def test_a_resubmission_still_out_of_line_corrects_the_old_query_and_raises_a_new_one(tmp_path):
    """Version 2 still moved by too much, with another figure: old query corrected, a new open
    query on version 2 with the new value."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 200}})
    [old] = region.check()
    region.send("E1", Q1, {COUNT.id: {"value": 160}})
    [new] = region.check()
    table = region.store.queries().set_index("id")
    assert table.loc[old.id, "status"] == "corrected"
    assert (table.loc[new.id, "status"], table.loc[new.id, "version"], new.value) == ("open", 2, "160")


def test_a_query_on_an_unchanged_figure_follows_the_return_to_its_new_version(tmp_path):
    """Version 2 changed another figure only: the query (open or confirmed) moves to version 2,
    keeping its id, status and comment; nothing open is left on version 1."""
    region = Region(tmp_path)
    half = {"numerator": 1, "denominator": 2}
    region.send("E1", Q4, {COUNT.id: {"value": 100}, PCT.id: half})
    region.send("E1", Q1, {COUNT.id: {"value": 200}, PCT.id: half})
    [query] = region.check()
    region.store.answer_query(query.id, "confirmed", "two teams merged", "ann")
    region.send("E1", Q1, {COUNT.id: {"value": 200}, PCT.id: {"numerator": 11, "denominator": 20}})
    [carried] = region.check()
    assert (carried.id, carried.status, carried.comment) == (query.id, "confirmed", "two teams merged")
    assert region.store.queries()["version"].tolist() == [2]


def test_a_funnel_query_the_region_no_longer_supports_is_withdrawn(tmp_path):
    """Raised while only three returns were in, an outside_funnel query that the fourth and
    fifth returns bring inside the limits is withdrawn, not left open or called corrected."""
    region = Region(tmp_path)
    for code, numerator in (("E1", 600), ("E2", 500), ("E3", 500)):
        region.send(code, Q1, {PCT.id: {"numerator": numerator, "denominator": 1000}})
    [query] = region.check()
    for code in ("E4", "E5"):
        region.send(code, Q1, {PCT.id: {"numerator": 640, "denominator": 1000}})
    assert region.check() == []
    row = region.store.queries().set_index("id").loc[query.id]
    assert row.status == "withdrawn" and "no longer raised" in row.comment


def test_answers_the_store_refuses(tmp_path):
    """'corrected' is never set by hand; a corrected query cannot be confirmed; a confirmed one
    can be reopened with a reason; an unknown status or id is named."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 200}})
    [query] = region.check()
    with pytest.raises(ScorecardError, match="resubmitted return"):
        region.store.answer_query(query.id, "corrected", "fixed", "ann")
    with pytest.raises(ScorecardError, match="not 'maybe'"):
        region.store.answer_query(query.id, "maybe", "fixed", "ann")
    with pytest.raises(ScorecardError, match="no query 999"):
        region.store.answer_query(999, "confirmed", "fixed", "ann")
    region.store.answer_query(query.id, "confirmed", "two teams merged", "ann")
    reopened = region.store.answer_query(query.id, "open", "which teams?", "lead")
    assert (reopened.status, reopened.comment) == ("open", "which teams?")
    region.send("E1", Q1, {COUNT.id: {"value": 100}})
    region.check()
    with pytest.raises(ScorecardError, match="is corrected"):
        region.store.answer_query(query.id, "confirmed", "it was right", "ann")


def test_counts_per_authority_and_checking_without_storing(tmp_path):
    """query_counts gives open/confirmed/corrected/withdrawn per authority and period;
    store_queries=False stores nothing; a return not in the store is an error."""
    region = Region(tmp_path)
    for code in ("E1", "E2"):
        region.send(code, Q4, {COUNT.id: {"value": 100}})
        region.send(code, Q1, {COUNT.id: {"value": 300}})
    unsaved = check_return(region.store, "E1", Q1, CATALOGUE, store_queries=False)
    assert [q.id for q in unsaved] == [None] and region.store.queries().empty
    found = check_returns(region.store, CATALOGUE)
    assert sorted(found) == [("E1", Q4), ("E1", Q1), ("E2", Q4), ("E2", Q1)]
    region.store.answer_query(found[("E2", Q1)][0].id, "confirmed", "new service", "bob")
    counts = region.store.query_counts(Q1).set_index("authority")
    assert counts.loc["E1", ["open", "confirmed"]].tolist() == [1, 0]
    assert counts.loc["E2", ["open", "confirmed"]].tolist() == [0, 1]
    assert region.store.queries(status="open")["authority"].tolist() == ["E1"]
    with pytest.raises(ScorecardError, match="no current return for E9"):
        check_return(region.store, "E9", Q1, CATALOGUE)


def test_queries_and_counts_read_a_period_in_any_spelling(tmp_path):
    """Store.queries and Store.query_counts find a period however it is written, as every other
    Store method that takes a period does ('2024/25 Q1' is the stored '2024-25 Q1')."""
    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 300}})
    check_returns(region.store, CATALOGUE)
    other = "Q1 2024/25"
    assert region.store.queries(period=other)["id"].tolist() == region.store.queries(period=Q1)["id"].tolist() != []
    assert region.store.query_counts(other).to_dict("records") == region.store.query_counts(Q1).to_dict("records")
    assert region.store.query_counts(other)["period"].tolist() == [Q1]


def test_settings_are_checked_and_every_check_is_documented():
    """Impossible thresholds are refused; docs/collection.md explains each check code."""
    for bad in ({"move_share": 0}, {"funnel_level": 90}, {"funnel_min_returns": 1}):
        with pytest.raises(ScorecardError):
            QualitySettings(**bad)
    text = (ROOT / "docs" / "collection.md").read_text(encoding="utf-8")
    assert [code for code in CHECKS if f"`{code}`" not in text] == []


def test_the_checks_read_the_same_actuals_as_the_store(tmp_path):
    """The checks work out each figure as Store.actuals does (value typed, or numerator over
    denominator; shorthand and errors give none), for every authority and indicator."""
    from generator.collection.quality import _Figures

    region = Region(tmp_path)
    region.send("E1", Q1, {PCT.id: {"numerator": 3, "denominator": 8}, COUNT.id: {"value": "[c]"},
                           RATE.id: {"numerator": 12, "denominator": 4000, "value": 30},
                           SCORE.id: {"value": ("error", 7)}})
    region.send("E2", Q1, {PCT.id: {"numerator": ("error", 9), "denominator": 8, "value": 50}})
    expected = region.store.actuals(Q1, CATALOGUE).to_dict("records")
    figures = _Figures(region.store, Q1, CATALOGUE).actuals
    assert len(figures) == len(expected) == 5
    for row in expected:
        mine = figures[(row["authority"], row["indicator_id"])]
        for name in ("actual", "numerator", "denominator", "missing_code"):
            assert _same(mine[name], row[name]), (row["authority"], row["indicator_id"], name)


def _same(one, other) -> bool:
    """Equal, or both missing (None and NaN alike)."""
    def missing(value):
        return value is None or value != value

    return (missing(one) and missing(other)) or one == other



def test_a_query_added_by_another_process_meanwhile_is_held_once(tmp_path):
    """Two collects check the same return at once (`collect` checks every current return):
    when the other one stores its queries just before this one takes the write lock, this one
    must see them under the lock and not add the same query again."""
    from contextlib import contextmanager

    region = Region(tmp_path)
    region.send("E1", Q4, {COUNT.id: {"value": 100}})
    region.send("E1", Q1, {COUNT.id: {"value": 200}})  # moved by 100%: one query
    path = tmp_path / "region.sqlite"
    with Store(path) as mine, Store(path) as other:
        locking = mine._write_transaction

        @contextmanager
        def other_goes_first():
            mine._write_transaction = locking  # once
            check_return(other, "E1", Q1, CATALOGUE)
            with locking():
                yield

        mine._write_transaction = other_goes_first
        check_return(mine, "E1", Q1, CATALOGUE)
        held = mine.queries(status="open")
    assert list(held["check_code"]) == ["moved"]


def test_a_check_keeps_nothing_once_it_has_answered(tmp_path):
    """A long-running process (the hub checks each upload) does not keep each check's copy of
    the region's figures: once check_return has answered, no checker is left alive."""
    import gc

    from generator.collection import quality

    region = _funnel_region(tmp_path, 562)
    region.send("E1", Q4, {PCT.id: {"numerator": 500, "denominator": 1000}})
    for _ in range(3):
        assert region.codes() == [("outside_funnel", PCT.id)]
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, quality._Checker)] == []

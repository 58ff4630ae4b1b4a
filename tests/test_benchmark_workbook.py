"""The benchmark workbook from the store: all authorities, comparators, highlight, missing."""

from __future__ import annotations

import openpyxl
import pytest
from collect_strategies import AUTHORITIES, PERIOD, first, make_template, small_catalogue, typical_entries

from generator.benchmark_workbook import write_benchmark_workbook
from generator.returns import collect
from generator.store import Store
from generator.templates import fill_template
from scorecard.errors import ScorecardError

CATALOGUE = small_catalogue()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    store = Store(folder / "s.sqlite")
    store.add_authorities(AUTHORITIES)
    pct = first(CATALOGUE, "percentage")
    paths = []
    for n, authority in enumerate(AUTHORITIES[:3]):
        entries = typical_entries(CATALOGUE)
        entries[pct.id] = {"numerator": 10 * (n + 1), "denominator": 100}
        template = make_template(folder, CATALOGUE, authority)
        paths.append(fill_template(template, folder / f"{authority.code}.xlsx", entries))
    collect(paths, store, CATALOGUE)
    store.add_comparators([(PERIOD, pct.id, "England", 21.5), (PERIOD, pct.id, "SE", 19.0)])
    return store


def test_benchmark_workbook_rows_columns_and_highlight(store, tmp_path):
    """One row per indicator, a column per authority, region/England values, the highlighted
    authority's neighbours' average, band and rank; missing returns listed."""
    pct = first(CATALOGUE, "percentage")
    path = write_benchmark_workbook(store, PERIOD, CATALOGUE, tmp_path / "b.xlsx", "E1")
    book = openpyxl.load_workbook(path)
    sheet = book["Benchmark"]
    headings = [c.value for c in sheet[3]]
    assert headings[4:9] == ["Region", "England", "Alpha (E1)", "Beta (E2)", "Gamma (E3)"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == len(CATALOGUE)
    row = rows[pct.id]
    assert row[4:9] == (19.0, 21.5, 10.0, 20.0, 30.0)
    assert row[headings.index("E1: Neighbours' average")] == pytest.approx(25.0)
    rank = row[headings.index("E1: Rank")]
    polarity = str(pct.polarity)
    assert rank == {"Bigger is Better": 3, "Smaller is Better": 1}.get(polarity, "-")
    missing = [r[0] for r in book["Missing returns"].iter_rows(min_row=4, values_only=True)]
    assert missing == ["E4"]


def test_unknown_period_or_authority_is_an_error(store, tmp_path):
    """A period with no returns, or a highlight with no return, is a clear error."""
    with pytest.raises(ScorecardError, match="no returns stored for period"):
        write_benchmark_workbook(store, "1999", CATALOGUE, tmp_path / "x.xlsx")
    with pytest.raises(ScorecardError, match="E4"):
        write_benchmark_workbook(store, PERIOD, CATALOGUE, tmp_path / "x.xlsx", "E4")

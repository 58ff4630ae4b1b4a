"""The benchmark workbook from the store: all authorities, comparators, highlight, missing."""

from __future__ import annotations

import openpyxl
import pytest
from collect_strategies import AUTHORITIES, PERIOD, first, make_template, small_catalogue, typical_entries

from generator.collection.collect import collect
from generator.collection.store import Store
from generator.collection.templates import fill_template
from generator.workbooks.benchmark import write_benchmark_workbook
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


def test_benchmark_number_formats_follow_the_house_style(store, tmp_path):
    """Each row's figures use the house style's number format for its unit (a percentage with
    a % sign, a count with no decimals), not one format for every unit."""
    from generator.workbooks.styles import number_format

    path = write_benchmark_workbook(store, PERIOD, CATALOGUE, tmp_path / "b.xlsx", "E1")
    sheet = openpyxl.load_workbook(path)["Benchmark"]
    formats = {}
    for row in sheet.iter_rows(min_row=4):
        if isinstance(row[6].value, int | float):
            formats[row[0].value] = row[6].number_format
    pct, count = first(CATALOGUE, "percentage"), first(CATALOGUE, "count")
    assert formats[pct.id] == number_format(pct.unit, pct.decimal_places) == '0.0"%"'
    assert formats[count.id] == number_format(count.unit, count.decimal_places)
    assert len(set(formats.values())) > 2


def test_benchmark_marks_errors_and_lists_indicators_nobody_returned(tmp_path):
    """A value with an error in the collection is [x], not a blank; an indicator of the
    returns' dataset that no authority returned still has its row, of [x]; a key says so."""
    from generator.collection.templates import select_indicators, write_template

    folder = tmp_path
    bench = Store(folder / "s.sqlite")
    bench.add_authorities(AUTHORITIES)
    title, indicators = select_indicators(CATALOGUE)  # the whole catalogue: a known dataset
    count, pct = first(CATALOGUE, "count"), first(CATALOGUE, "percentage")
    paths = []
    for authority in AUTHORITIES[:2]:
        entries = typical_entries(CATALOGUE)
        del entries[pct.id]  # nobody returns it
        if authority.code == "E2":
            entries[count.id] = {"value": "lots"}  # text in a number cell: an error
        template = write_template(folder / f"t_{authority.code}.xlsx", CATALOGUE, indicators,
                                  authority, PERIOD, dataset_title=title)
        paths.append(fill_template(template, folder / f"{authority.code}.xlsx", entries))
    collect(paths, bench, CATALOGUE)
    path = write_benchmark_workbook(bench, PERIOD, CATALOGUE, tmp_path / "b.xlsx", "E1")
    sheet = openpyxl.load_workbook(path)["Benchmark"]
    headings = [c.value for c in sheet[3]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[count.id][headings.index("Beta (E2)")] == "[x]"
    assert isinstance(rows[count.id][headings.index("Alpha (E1)")], float | int)
    assert pct.id in rows
    assert set(rows[pct.id][4:]) == {"[x]"}
    assert len(rows) == len(CATALOGUE)
    assert "[x] not available" in sheet["A2"].value


def test_highlighted_value_shows_shorthand_as_its_own_column_does(tmp_path):
    """A Yes/No answer given as [c] by the highlighted authority: its 'Value' column shows
    [c], as its own authority column does (it was left blank)."""
    bench = Store(tmp_path / "s.sqlite")
    bench.add_authorities(AUTHORITIES)
    answer = first(CATALOGUE, "yes/no")
    paths = []
    for authority in AUTHORITIES[:2]:
        entries = typical_entries(CATALOGUE)
        if authority.code == "E1":
            entries[answer.id] = {"value": "[c]"}
        template = make_template(tmp_path, CATALOGUE, authority)
        paths.append(fill_template(template, tmp_path / f"{authority.code}.xlsx", entries))
    collect(paths, bench, CATALOGUE)
    path = write_benchmark_workbook(bench, PERIOD, CATALOGUE, tmp_path / "b.xlsx", "E1")
    sheet = openpyxl.load_workbook(path)["Benchmark"]
    headings = [c.value for c in sheet[3]]
    row = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}[answer.id]
    assert row[headings.index("Alpha (E1)")] == "[c]"
    assert row[headings.index("E1: Value")] == "[c]"


def test_blank_returns_are_not_reported_as_no_returns(tmp_path):
    """Returns collected but holding no figures get a message saying so, not 'no returns stored
    for P; periods stored: P', which contradicts itself."""
    catalogue = small_catalogue()
    blank = make_template(tmp_path, catalogue, AUTHORITIES[0])
    store = Store(tmp_path / "s.sqlite")
    collect([blank], store, catalogue)
    with pytest.raises(ScorecardError, match="hold no figures"):
        write_benchmark_workbook(store, PERIOD, catalogue, tmp_path / "b.xlsx")


def test_benchmark_workbook_prints_one_page_wide_with_headers_repeated(store, tmp_path):
    """Every sheet prints A4 landscape, one page wide (not one column per page), with its header
    row repeated on each page and the indicator columns on the Benchmark sheet repeated too."""
    path = write_benchmark_workbook(store, PERIOD, CATALOGUE, tmp_path / "b.xlsx", "E1")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth in (None, 1)  # 1: default
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert book["Benchmark"].print_title_rows == "$3:$3" and book["Benchmark"].print_title_cols == "$A:$B"
    assert book["Detail"].print_title_rows == "$1:$1"

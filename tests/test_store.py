"""The collection store: versions, nothing overwritten, what changed, values for scorecards."""

from __future__ import annotations

import pandas as pd
import pytest
from collect_strategies import (
    AUTHORITIES,
    PERIOD,
    first,
    make_template,
    small_catalogue,
    typical_entries,
)

from generator.collection.collect import collect
from generator.collection.store import Store
from generator.collection.templates import fill_template
from scorecard.benchmarking import NO_BAND
from scorecard.errors import ScorecardError

CATALOGUE = small_catalogue()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {a.code: make_template(folder, CATALOGUE, a) for a in AUTHORITIES}


def _cover_says(path, authority):
    """The return with the authority on its cover changed to `authority` (as a person might)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Cover"]["B4"] = authority
    book.save(path)
    return path


def test_resubmission_is_a_new_version_and_changes_are_listed(templates, tmp_path):
    """A corrected return is version 2; version 1 is still there; changes() names the cell."""
    count = first(CATALOGUE, "count")
    entries = typical_entries(CATALOGUE)
    one = fill_template(templates["E1"], tmp_path / "v1.xlsx", entries)
    entries[count.id] = {"value": 999}
    two = fill_template(templates["E1"], tmp_path / "v2.xlsx", entries)
    store = Store(tmp_path / "s.sqlite")
    collect([one], store, CATALOGUE)
    collect([two], store, CATALOGUE)
    assert store.submissions()["version"].tolist() == [1, 2]
    changes = store.changes("E1", PERIOD)
    changed = {(c["indicator_id"], c["field"]): c for c in changes}
    assert changed[(count.id, "value")]["new_raw"] == "999"
    assert (count.id, "commentary") in changed  # the commentary was removed in v2
    old = store.cells(version=1).set_index(["indicator_id", "field"])
    assert old.loc[(count.id, "value")].raw != "999"
    current = store.cells().set_index(["indicator_id", "field"])
    assert current.loc[(count.id, "value")].raw == "999"


def test_store_rows_carry_where_and_when(templates, tmp_path):
    """Each stored cell has authority, period, indicator, raw text, file, sheet, cell, time."""
    path = fill_template(templates["E1"], tmp_path / "r.xlsx", typical_entries(CATALOGUE))
    store = Store(tmp_path / "s.sqlite")
    collect([path], store, CATALOGUE, collected_at="2024-07-01T09:00:00")
    cells = store.cells()
    assert set(cells["authority"]) == {"E1"} and set(cells["period"]) == {PERIOD}
    assert (cells["file"] == str(path)).all() and cells["cell"].str.match(r"^[A-Z]+\d+$").all()
    assert set(cells["collected_at"]) == {"2024-07-01T09:00:00"}


def test_values_for_gives_actuals_and_comparators(templates, tmp_path):
    """values_for: actual from numerator/denominator for a percentage, neighbours' average,
    rank among authorities, England value where supplied."""
    pct = first(CATALOGUE, "percentage")
    store = Store(tmp_path / "s.sqlite")
    store.add_authorities(AUTHORITIES)
    paths = []
    for n, code in enumerate(("E1", "E2", "E3")):
        entries = typical_entries(CATALOGUE)
        entries[pct.id] = {"numerator": 10 * (n + 1), "denominator": 100}
        paths.append(fill_template(templates[code], tmp_path / f"{code}.xlsx", entries))
    collect(paths, store, CATALOGUE)
    store.add_comparators([(PERIOD, pct.id, "England", 25.0)])
    table = store.values_for("E1", [PERIOD], CATALOGUE).set_index("indicator_id")
    row = table.loc[pct.id]
    assert row.actual == pytest.approx(10.0)
    assert row.neighbours_average == pytest.approx(25.0)  # E2 20%, E3 30%
    assert row.england_value == 25.0 and row.of == 3
    expected_rank = {"Bigger is Better": 3, "Smaller is Better": 1}.get(str(pct.polarity))
    assert (row["rank"] if expected_rank else None) == expected_rank
    assert [a.code for a in store.missing_returns(PERIOD)] == ["E4"]


def test_changes_for_unknown_return_is_an_error(tmp_path):
    """Asking what changed for a return never stored names the authority and period."""
    with Store(tmp_path / "s.sqlite") as store, pytest.raises(ScorecardError, match="E9"):
        store.changes("E9", PERIOD)


def test_not_a_store_is_refused(tmp_path):
    """Opening a file that is not SQLite gives a clear error."""
    path = tmp_path / "x.sqlite"
    path.write_text("hello, this is not a database" * 100)
    with pytest.raises(ScorecardError, match="not a Scorecard store"):
        Store(path)


def test_wrong_authority_on_cover_is_quarantined_not_current(templates, tmp_path):
    """A good E1 return is stored; then an E1 template whose cover was changed to E2 arrives:
    it is stored quarantined (listed, with its reason) and E1's current actuals, values_for
    and benchmark are unchanged. Accepting it stores it again as the current version."""
    count = first(CATALOGUE, "count")
    good = fill_template(templates["E1"], tmp_path / "good.xlsx", typical_entries(CATALOGUE))
    entries = typical_entries(CATALOGUE)
    entries[count.id] = {"value": 999}
    bad = _cover_says(fill_template(templates["E1"], tmp_path / "e2.xlsx", entries), "E2")
    store = Store(tmp_path / "s.sqlite")
    store.add_authorities(AUTHORITIES)
    collect([good], store, CATALOGUE)
    before = store.actuals(PERIOD, CATALOGUE)
    report = collect([bad], store, CATALOGUE)
    assert report.versions[str(bad)] == 2
    assert any(p["code"] == "wrong_authority" for p in report.problems)
    assert store.actuals(PERIOD, CATALOGUE).equals(before)
    assert store.latest("E1", PERIOD)["version"] == 1
    [quarantined] = store.quarantined().itertuples()
    assert quarantined.file == str(bad) and quarantined.quarantine == "wrong_authority"
    benchmark = store.benchmark(PERIOD, CATALOGUE).query("indicator_id == @count.id")
    assert benchmark["actual"].tolist() == [typical_entries(CATALOGUE)[count.id]["value"]]
    assert store.accept("E1", PERIOD, 2) == 3
    actual = store.actuals(PERIOD, CATALOGUE).set_index("indicator_id").loc[count.id, "actual"]
    assert actual == 999 and store.latest("E1", PERIOD)["file"] == str(bad)


def test_changes_compare_cells_status_and_formula(templates, tmp_path):
    """changes(): a duplicated row left as it was is no change; a cleared cell is 'cleared',
    a deleted row is 'row deleted', and a formula replaced by the same value typed is a
    change (formula and status differ)."""
    import openpyxl
    from collect_strategies import rewrite_member, sheet_part

    a, c, d = first(CATALOGUE, "count"), first(CATALOGUE, "days"), first(CATALOGUE, "days", 1)
    e, f = first(CATALOGUE, "currency"), first(CATALOGUE, "currency", 1)

    def sheet_of(book, indicator_id):
        for sheet in book.worksheets:
            rows = {sheet.cell(r, 11).value: r for r in range(4, sheet.max_row + 1)}
            if indicator_id in rows:
                return sheet, rows
        raise KeyError(indicator_id)

    def make(name, formula):
        entries = typical_entries(CATALOGUE)
        entries[a.id] = {"value": "=5*2" if formula else 10}
        path = fill_template(templates["E1"], tmp_path / name, entries)
        book = openpyxl.load_workbook(path)
        sheet, rows = sheet_of(book, f.id)
        sheet.cell(rows[f.id], 11).value = sheet.cell(rows[f.id], 1).value = e.id  # duplicate
        if not formula:
            sheet, rows = sheet_of(book, c.id)
            sheet.cell(rows[c.id], 10).value = None  # clear c's commentary
            sheet.delete_rows(rows[d.id])  # delete d's row
        book.save(path)
        if formula:
            sheet, _ = sheet_of(book, a.id)
            rewrite_member(path, sheet_part(path, sheet.title), lambda xml: xml.replace(
                b"<f>5*2</f><v />", b"<f>5*2</f><v>10</v>").replace(
                b"<f>5*2</f><v></v>", b"<f>5*2</f><v>10</v>"))
        return path

    one, two = make("v1.xlsx", formula=True), make("v2.xlsx", formula=False)
    store = Store(tmp_path / "s.sqlite")
    collect([one], store, CATALOGUE)
    collect([two], store, CATALOGUE)
    changes = {(r["indicator_id"], r["field"]): r for r in store.changes("E1", PERIOD)}
    assert changes[(a.id, "value")]["change"] == "changed"
    assert changes[(a.id, "value")]["old_formula"] == "=5*2"
    assert changes[(a.id, "value")]["new_formula"] is None
    assert changes[(c.id, "commentary")]["change"] == "cleared"
    assert changes[(d.id, "value")]["change"] == "row deleted"
    assert {k[0] for k in changes} == {a.id, c.id, d.id}, changes


def test_benchmark_ranks_only_listed_authorities(templates, tmp_path):
    """Ranks, 'of' and quartile bands count only authorities on the list with a current
    return: a return from an authority not on the list gets no rank and changes no one's."""
    from generator.collection.store import Authority

    pct = first(CATALOGUE, "percentage")  # Bigger is Better

    folder = tmp_path / "t"
    folder.mkdir()
    stranger = make_template(folder, CATALOGUE, Authority("E9"))
    store = Store(tmp_path / "s.sqlite")
    store.add_authorities(AUTHORITIES)
    paths = []
    for n, (code, template) in enumerate([*templates.items(), ("E9", stranger)]):
        entries = typical_entries(CATALOGUE)
        entries[pct.id] = {"value": 10 * (n + 1)}
        paths.append(fill_template(template, tmp_path / f"{code}.xlsx", entries))
    collect(paths, store, CATALOGUE)
    table = store.benchmark(PERIOD, CATALOGUE).query("indicator_id == @pct.id")
    table = table.set_index("authority")
    assert (table["of"] == 4).all()
    assert pd.isna(table.loc["E9", "rank"]) and table.loc["E9", "quartile_band"] == NO_BAND
    assert sorted(table.drop(index="E9")["rank"].dropna().astype(int)) == [1, 2, 3, 4]


def test_quarantined_return_does_not_count_as_returned(templates, tmp_path):
    """An authority whose only return is quarantined (cover changed) is still listed as missing
    a return: the quarantined file is listed separately, not taken as the return."""
    bad = _cover_says(fill_template(templates["E1"], tmp_path / "e1.xlsx",
                                    typical_entries(CATALOGUE)), "E9")
    store = Store(tmp_path / "s.sqlite")
    store.add_authorities(AUTHORITIES)
    collect([bad], store, CATALOGUE)
    assert "E1" in [a.code for a in store.missing_returns(PERIOD)]
    assert len(store.quarantined(PERIOD)) == 1

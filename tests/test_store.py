"""The collection store: versions, nothing overwritten, what changed, values for scorecards."""

from __future__ import annotations

import pytest
from collect_strategies import (
    AUTHORITIES,
    PERIOD,
    first,
    make_template,
    small_catalogue,
    typical_entries,
)

from generator.returns import collect
from generator.store import Store
from generator.templates import fill_template
from scorecard.errors import ScorecardError

CATALOGUE = small_catalogue()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {a.code: make_template(folder, CATALOGUE, a) for a in AUTHORITIES}


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

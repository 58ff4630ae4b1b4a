"""The CLI's store and the hub's are one: a return collected by `scorecard collect` into the
hub's database shows in the hub, and a return uploaded through the hub shows to `scorecard
store history` and `scorecard benchmark`. Runs on whichever database the hub's tests use
(SQLite, and PostgreSQL in CI's second pass)."""

from __future__ import annotations

import openpyxl
from django.db import connection
from helpers import NORTH, SOUTH, client_for, filled, make_region, upload

from generator.cli import main
from generator.collection.store import Store
from hub.rounds.store import store_location


def test_location_is_djangos_database():
    """The hub's store is the database Django uses (the test database here)."""
    location = store_location()
    name = connection.settings_dict["NAME"]
    assert location == name or location.endswith("/" + name)


def test_cli_collect_shows_in_the_hub(hub, tmp_path, capsys):
    """`scorecard collect --store <the hub's database>`: the hub's dashboard shows the return,
    and its submitter sees the version with its problems."""
    the_round = make_region()
    path = filled(the_round, NORTH, tmp_path, "north_by_email.xlsx",
                  **{"academies-count": {"value": "about 40"}})
    code = main(["collect", str(path), "--store", store_location(), "--period", the_round.period,
                 "--quiet", "--report", str(tmp_path / "problems")])
    assert code == 1  # the CLI's own verdict: the return has an error
    assert "1 stored" in capsys.readouterr().out
    dashboard = client_for("lead").get(f"/rounds/{the_round.pk}/dashboard/").content.decode()
    assert dashboard.count("✓ Returned") == 1
    page = client_for("north").get(f"/rounds/{the_round.pk}/authorities/{NORTH}/").content.decode()
    assert "north_by_email.xlsx" in page and "&#x27;about 40&#x27; is not a number" in page


def test_hub_upload_shows_to_the_cli(hub, tmp_path, capsys):
    """A return uploaded through the hub is listed by `scorecard store history`, benchmarked by
    `scorecard benchmark` and read by a Store opened afresh on the same location."""
    the_round = make_region()
    for name, code in (("north", NORTH), ("south", SOUTH)):
        upload(client_for(name), the_round, code, filled(the_round, code, tmp_path / code))
    location = store_location()
    assert main(["store", "history", "--store", location]) == 0
    history = capsys.readouterr().out
    assert NORTH in history and SOUTH in history and the_round.period in history
    out = tmp_path / "benchmark.xlsx"
    assert main(["benchmark", "--period", the_round.period, "--store", location,
                 "--highlight", NORTH, "--out", str(out)]) == 0
    headings = [c.value for c in openpyxl.load_workbook(out)["Benchmark"][3]]
    assert "Northshire (E99000001)" in headings and "Southshire (E99000002)" in headings
    with Store(location) as fresh:
        assert fresh.latest(SOUTH, the_round.period)["version"] == 1
        assert len(fresh.cells(authority=SOUTH, period=the_round.period)) > 5


def test_migrations_match_the_models(hub):
    """The committed migrations describe the models (makemigrations --check finds nothing)."""
    from django.core.management import call_command

    call_command("makemigrations", "rounds", "--check", "--dry-run", verbosity=0)

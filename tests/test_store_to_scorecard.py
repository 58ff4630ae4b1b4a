"""Scorecards from the collection store: template -> filled return -> collect -> scorecard.

Returns for two quarters are filled in code with seeded random values (and GSS shorthand in
values, targets and numerators, and one bad cell), collected into a store, and the scorecard
built from the store must show exactly what was typed; LibreOffice then recalculates it and
every status and direction must equal the Python core. The demo's collection loop is run end
to end.
"""

from __future__ import annotations

import csv
import random

import openpyxl
import pytest
from collect_strategies import AUTHORITIES, first, make_template
from test_referee_scorecard import check_against_core, strip_cached_values, theme_cells

from generator.cli import main
from generator.collection.collect import collect
from generator.collection.store import Store
from generator.collection.templates import fill_template
from generator.workbooks.data_store import load_store_data, store_frame
from generator.workbooks.libreoffice import recalculate
from generator.workbooks.publish import publish_scorecard
from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.errors import ScorecardError

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

# (unit, polarity, how many) from the built-in catalogue: every polarity, several units.
PICKS = (("percentage", "Bigger is Better", 2), ("percentage", "Smaller is Better", 2),
         ("rate per 10,000", "Smaller is Better", 2), ("count", "Smaller is Better", 2),
         ("count", "Plan is Best", 1), ("days", "Smaller is Better", 1),
         ("currency", "Plan is Best", 2), ("score", "Bigger is Better", 2),
         ("rate per 10,000", "No polarity", 1), ("text", "No polarity", 1),
         ("yes/no", "No polarity", 1))


def store_catalogue() -> Catalogue:
    """A small catalogue of real indicators covering every polarity and the main units."""
    full = load_catalogue()
    picks = []
    for unit, polarity, count in PICKS:
        picks += [i for i in full if i.unit == unit and i.polarity.value == polarity][:count]
    return Catalogue(picks, source="test")


CATALOGUE = store_catalogue()
PERIODS = ("2023-24 Q4", "2024-25 Q1")  # collected newest first, so order must come from dates
ME = AUTHORITIES[0].code
NUMERIC = [i for i in CATALOGUE if i.unit not in ("text", "yes/no", "date")]
PCT, PCT2 = first(CATALOGUE, "percentage"), first(CATALOGUE, "percentage", 1)
COUNT, COUNT2 = first(CATALOGUE, "count"), first(CATALOGUE, "count", 1)
RATE = first(CATALOGUE, "rate per 10,000")
SCORE = first(CATALOGUE, "score")
TEXT = first(CATALOGUE, "text")
# What ME typed in the report quarter beyond random values: shorthand, and one bad cell.
SPECIAL = {
    COUNT.id: {"value": "[c]", "commentary": "suppressed: small numbers"},
    RATE.id: {"value": 41.25, "target": "[x]"},
    PCT2.id: {"numerator": "[low]", "denominator": 200},
    SCORE.id: {"value": "[u]", "target": 12},
    COUNT2.id: {"value": "lots"},  # text_in_number: an error, so no actual
}


def typed(rng: random.Random, indicator, n: int) -> dict:
    """Random valid input for one indicator: a value (or numerator and denominator for the
    first percentage), a target, and commentary on some."""
    unit = indicator.unit
    if unit == "text":
        return {"value": f"answer {rng.randint(1, 999)}", "commentary": "qualitative"}
    if unit == "yes/no":
        return {"value": rng.choice(["Yes", "No"])}
    if unit == "date":
        return {}
    if indicator.id == PCT.id:
        entry: dict = {"numerator": rng.randint(1, 400), "denominator": 400}
    elif unit == "count":
        entry = {"value": rng.randint(0, 5000)}
    elif unit == "percentage":
        entry = {"value": round(rng.uniform(2, 99), 1)}
    else:
        entry = {"value": round(rng.uniform(0, 900), rng.choice([0, 1, 2, 3]))}
    entry["target"] = round(entry.get("value", 50) * rng.uniform(0.9, 1.1), 1)
    if unit == "percentage":
        entry["target"] = min(entry["target"], 100)
    elif unit == "count":
        entry["target"] = int(entry["target"])
    if n % 2:
        entry["commentary"] = rng.choice(["-fell this quarter", "+3 on last year", "@team: see note",
                                          "Rose; see the action plan"])
    return entry


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Three authorities' returns for two quarters, collected; what each typed."""
    folder = tmp_path_factory.mktemp("store_to_scorecard")
    rng = random.Random(20240701)
    store_path = folder / "store.sqlite"
    entries: dict[tuple[str, str], dict] = {}
    with Store(store_path) as store:
        store.add_authorities(AUTHORITIES)
        for period in reversed(PERIODS):
            paths = []
            for authority in AUTHORITIES[:3]:
                template = make_template(folder, CATALOGUE, authority, period)
                entry = {i.id: typed(rng, i, n) for n, i in enumerate(CATALOGUE)}
                entry = {k: v for k, v in entry.items() if v}
                if authority.code == ME and period == PERIODS[-1]:
                    entry.update(SPECIAL)
                entries[authority.code, period] = entry
                slug = period.replace(" ", "_")
                paths.append(fill_template(template, folder / f"{authority.code}_{slug}.xlsx", entry))
            collect(paths, store, CATALOGUE, expected_period=period)
        store.add_comparators([(p, i.id, "England", 10.0 + n) for p in PERIODS
                               for n, i in enumerate(NUMERIC)])
        store.add_comparators([(PERIODS[-1], RATE.id, "SE", 33.5)])
    data = load_store_data(store_path, ME, PERIODS[-1], CATALOGUE)
    return {"folder": folder, "store": store_path, "entries": entries, "data": data}


def expected_actual(entry: dict):
    """What the scorecard should show for an entry: the number, the shorthand, or blank."""
    if "numerator" in entry:
        numerator, denominator = entry["numerator"], entry["denominator"]
        return numerator if isinstance(numerator, str) else numerator / denominator * 100
    value = entry.get("value")
    if value == "lots":
        return None
    return value


def test_store_frame_orders_periods_and_names_comparators(collected):
    """The long table holds both quarters in date order (collected newest first) and the
    neighbours', region and England comparators."""
    frame = store_frame(collected["store"], ME, PERIODS[-1], CATALOGUE)
    assert list(dict.fromkeys(frame["period"])) == list(PERIODS)
    assert {"comparator_statistical_neighbours", "comparator_region",
            "comparator_england"} <= set(frame.columns)
    assert collected["data"].periods == list(PERIODS)
    assert collected["data"].comparator_names == ["Statistical Neighbours", "Region", "England"]


def test_workbook_shows_what_was_typed(collected):
    """Actual, previous actual, target, comparators and commentary on the theme sheets equal
    what was typed into the returns; shorthand stays shorthand; the bad cell is blank."""
    from generator.workbooks.scorecard import build_scorecard

    data = collected["data"]
    path = build_scorecard(data, collected["folder"] / "from_store.xlsx")
    cells = theme_cells(openpyxl.load_workbook(path))
    now, before = collected["entries"][ME, PERIODS[1]], collected["entries"][ME, PERIODS[0]]
    others = [collected["entries"][a.code, PERIODS[1]] for a in AUTHORITIES[1:3]]
    checked = 0
    for indicator in NUMERIC:
        row = cells[indicator.id]
        want = expected_actual(now[indicator.id])
        got = row[f"Actual {PERIODS[1]}"]
        if isinstance(want, float):
            assert got == pytest.approx(want), indicator.id
        else:
            assert got == want, indicator.id
        assert row[PERIODS[0]] == pytest.approx(expected_actual(before[indicator.id]))
        assert row[f"Target {PERIODS[1]}"] == now[indicator.id].get("target"), indicator.id
        assert (row["Commentary"] or "") == now[indicator.id].get("commentary", ""), indicator.id
        neighbours = [expected_actual(o[indicator.id]) for o in others[:2]]
        numbers = [v for v in neighbours if isinstance(v, int | float)]
        if numbers:
            assert row["Statistical Neighbours"] == pytest.approx(sum(numbers) / len(numbers))
        assert row["England"] == 10.0 + NUMERIC.index(indicator)
        checked += 1
    assert checked == len(NUMERIC) >= 12
    assert cells[COUNT.id][f"Actual {PERIODS[1]}"] == "[c]"
    assert cells[PCT2.id][f"Actual {PERIODS[1]}"] == "[low]"
    assert cells[RATE.id][f"Target {PERIODS[1]}"] == "[x]"
    assert cells[RATE.id]["Region"] == 33.5
    assert cells[COUNT2.id][f"Actual {PERIODS[1]}"] is None
    assert cells[TEXT.id]["Commentary"] == f"{now[TEXT.id]['value']}\nqualitative"


def test_statuses_from_shorthand_are_no_status(collected):
    """Shorthand values and targets give NO STATUS with the shorthand's reason in Python."""
    data = collected["data"]
    by_id = {m.id: m for m in data.measures}
    for indicator_id, reason in ((COUNT.id, "value suppressed ([c])"), (RATE.id, "no target ([x])"),
                                 (SCORE.id, "value suppressed ([u])"), (PCT2.id, "([low])")):
        status = data.status(by_id[indicator_id])
        assert status.status.value == "NO STATUS", indicator_id
        assert reason in status.reason, (indicator_id, status.reason)


def test_published_version_writes_shorthand(collected):
    """The values-only release shows the collected shorthand, not a blank or a number."""
    path = publish_scorecard(collected["data"], collected["folder"] / "published.xlsx")
    workbook = openpyxl.load_workbook(path)
    found = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if len(rows) > 3 and rows[2] and "Code" in rows[2] and "Status" in rows[2]:
            header = list(rows[2])
            for row in rows[3:]:
                found[row[header.index("Code")]] = dict(zip(header, row, strict=False))
    assert found[COUNT.id][f"Actual {PERIODS[1]}"] == "[c]"
    assert found[SCORE.id][f"Actual {PERIODS[1]}"] == "[u]"
    assert found[RATE.id][f"Target {PERIODS[1]}"] == "[x]"
    assert found[COUNT.id]["Status"] == "NO STATUS"


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_python_on_the_store_scorecard(collected, libreoffice):
    """LibreOffice recalculates the store-built scorecard (cached values stripped): every
    status, key, direction and arrow equals the Python core, and shorthand gives NO STATUS."""
    from generator.workbooks.scorecard import build_scorecard

    folder = collected["folder"]
    built = build_scorecard(collected["data"], folder / "referee_built.xlsx", measure_pages=False)
    stripped = strip_cached_values(built, folder / "referee.xlsx")
    [output] = recalculate([stripped], folder / "recalculated")
    workbook = openpyxl.load_workbook(output, data_only=True)
    problems = check_against_core(workbook, collected["data"])
    assert not problems, "\n".join(problems)
    cells = theme_cells(workbook)
    assert cells[COUNT.id]["Status"] == cells[PCT2.id]["Status"] == "NO STATUS"
    statuses = {cells[i.id]["Status"] for i in NUMERIC}
    assert len(statuses) >= 2  # not everything NO STATUS: the formulas really judged values


def test_errors_name_the_store(collected, tmp_path, capsys):
    """An authority or period not in the store is an error naming the store's path; a store
    that does not exist is not created."""
    store = collected["store"]
    with pytest.raises(ScorecardError, match=r"store\.sqlite: no authority 'E9' \(by code or name\)"):
        load_store_data(store, "E9", PERIODS[-1], CATALOGUE)
    with pytest.raises(ScorecardError, match=r"store\.sqlite: no return from E1 for period '1999'"):
        load_store_data(store, ME, "1999", CATALOGUE)
    missing = tmp_path / "none.sqlite"
    with pytest.raises(ScorecardError, match="no store at"):
        load_store_data(missing, ME, PERIODS[-1], CATALOGUE)
    assert not missing.exists()


def test_cli_build_from_store(collected, tmp_path, capsys):
    """`scorecard build --store` writes the workbook (authority by name works too); unknown
    authority exits 2 naming the store; --data and --store together are refused."""
    out = tmp_path / "cli.xlsx"
    common = ["--store", str(collected["store"]), "--period", PERIODS[-1]]
    assert main(["build", *common, "--authority", AUTHORITIES[0].name, "--out", str(out)]) == 0
    assert out.exists() and "measures" in capsys.readouterr().out
    assert main(["build", *common, "--authority", "Nowhere", "--out", str(out)]) == 2
    assert str(collected["store"]) in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", *common, "--data", "x.csv", "--authority", ME, "--out", str(out)])
    assert "not allowed with" in capsys.readouterr().err


def test_demo_runs_the_collection_loop(tmp_path, capsys):
    """`scorecard demo` prints seed 004's scorecard, writes its four workbooks and, under
    collection/, templates, filled returns (one authority missing), the store, the error
    report with an error in it, the benchmark workbook and a scorecard from the store that
    shows the collected shorthand. (The one test that runs the whole demo: it is slow.)"""
    assert main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "% of audits judged as good or better" in printed and "Missing Target" in printed
    assert len(list(tmp_path.glob("*.xlsx"))) == 4
    folder = tmp_path / "collection"
    assert len(list((folder / "templates").glob("*.xlsx"))) == 8
    assert len(list((folder / "returns").glob("*.xlsx"))) == 6
    with Store(folder / "store.sqlite") as store:
        assert len(store.submissions()) == 6
        assert [a.code for a in store.missing_returns("2024-25 Q1")] == ["E99000004"]
    with (folder / "problems.csv").open(encoding="utf-8") as handle:
        severities = [row["severity"] for row in csv.DictReader(handle)]
    assert "error" in severities and "warning" in severities
    for name in ("problems.xlsx", "benchmark_2024-25_Q1.xlsx", "E99000001_2024-25_Q1_scorecard.xlsx",
                 "E99000001_2024-25_Q1_published.xlsx"):
        assert (folder / name).exists(), name
    cells = theme_cells(openpyxl.load_workbook(folder / "E99000001_2024-25_Q1_scorecard.xlsx"))
    assert cells["eyfs-gld-pct"]["Actual 2024-25 Q1"] == "[c]"
    assert "values stored" in printed and "2 errors" in printed and "no return" in printed

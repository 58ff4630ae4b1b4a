"""Scorecards with national comparators from LAIT's data (the committed slice): a real authority's
scorecard next to LAIT's own figures, national figures filling a CSV's gaps, the store's bands and
ranks, statistical-neighbour editions kept per report period, and every authority at once."""

from __future__ import annotations

import csv
import statistics

import openpyxl
import pytest
from lait_slice import AUTHORITIES, DATA_CSV, DICTIONARY, EDITIONS, LAIT, imported_store
from test_national_bands import PREDECESSORS, r_band, r_rank

from generator.cli import main
from generator.collection.store import Authority, Store, Submission
from generator.national.batch import build_every_authority
from generator.national.importer import import_lait
from generator.national.scorecards import NationalContext, add_national, load_national_data, scorecard_writer
from generator.national.store import NationalStore
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from scorecard.catalogue import load_catalogue

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

BARNSLEY, ENGLAND, YORKSHIRE = 370, 970, 982


def _neighbours(path, authority):
    """The SN1..SN10 numbers of an authority, read from the edition's workbook with openpyxl."""
    sheet = openpyxl.load_workbook(path, read_only=True).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == authority)
    return tuple(row[5:25:2])


NEIGHBOURS = _neighbours(EDITIONS[1], BARNSLEY)  # the May 2025 edition's: Rotherham, Wakefield ...
# catalogue indicator -> LAIT measure, for the slice's measures the catalogue maps.
MAPPED = {"re-referrals-12m-pct": "ReReferral", "cpp-repeat-pct": "PrevRegCPR", "lac-rate": "LAC",
          "lac-placement-stability-pct": "LAC_LongStable%", "care-leavers-eet-pct": "CareLeaverEET",
          "attainment8": "AVG_Attain8_Score", "ks2-rwm-expected-pct": "KS2RWM_Expected_STD",
          "permanent-exclusions-pct": "TotPermEx", "cin-permanent-exclusion-pct": "CINPermExclusion",
          "breastfeeding-6-8wks-pct": "6wksBreast"}


def _published():
    """{(measure, label, LA number): value or None} straight from the slice CSV, as LAIT reads it."""
    with DATA_CSV.open(newline="", encoding="utf-8") as handle:
        return {(row["Short Desc"], row["Years"], int(float(row["LA Number"]))):
                None if row["Values"] in ("-", "c", "") else float(row["Values"])
                for row in csv.DictReader(handle)}


def _polarity():
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return ({r["Measure_short"]: r["Polarity"] for r in rows},
            {r["Measure_short"] for r in rows if r["No_Quartile"] == "N"})


def _lait_view(measure: str, label: str, authority: int = BARNSLEY, neighbours=NEIGHBOURS):
    """What LAIT shows for an authority: its value, England, region, the neighbours' mean (na.rm),
    and band and rank by LAIT's R rules (test_national_bands' oracle)."""
    published, (polarity, no_quartile) = _published(), _polarity()
    value = published[(measure, label, authority)]
    near = [published.get((measure, label, n)) for n in neighbours]
    near = [v for v in near if v is not None]
    everyone = [v for (m, p, a), v in published.items()
                if (m, p) == (measure, label) and a < 970 and a not in PREDECESSORS and v is not None]
    judged = value is not None and polarity[measure] in ("High", "Low")
    band = r_band(value, everyone, polarity[measure]) if judged and measure not in no_quartile else "-"
    rank = r_rank(value, everyone, polarity[measure]) if judged else None
    return {"value": value, "england": published[(measure, label, ENGLAND)],
            "region": published[(measure, label, YORKSHIRE)], "sn": statistics.fmean(near) if near else None,
            "band": band, "rank": f"{rank} of {len(everyone)}" if rank else "-"}


def _theme_rows(path):
    """{indicator id: {header: cell value}} across the theme sheets of a scorecard workbook."""
    book = openpyxl.load_workbook(path, data_only=True)
    rows = {}
    for sheet in book.worksheets:
        if sheet.cell(4, 2).value != "Code":
            continue
        headers = [cell.value for cell in sheet[4]]
        for row in sheet.iter_rows(min_row=5, values_only=True):
            if row[1]:
                rows[row[1]] = dict(zip(headers, row, strict=False))
    return rows, book


def _close(a, b):
    return (a is None and b in (None, "")) or (a is not None and b not in (None, "") and abs(a - b) < 1e-9)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return imported_store(tmp_path_factory.mktemp("national"))


def test_barnsley_scorecard_shows_lait_s_own_figures(store, tmp_path):
    """scorecard national scorecard --authority Barnsley: for every slice measure the catalogue
    maps, the 2025 (latest) value, England, Yorkshire and the Humber, the May 2025 neighbours'
    average, quartile band and rank are LAIT's; e.g. re-referrals 25.5% against England 22.6%,
    region 21.7%, neighbours 19.9%, band D, rank 135 of 153."""
    out = tmp_path / "barnsley.xlsx"
    assert main(["national", "scorecard", "--store", str(store), "--authority", "Barnsley", "--out", str(out)]) == 0
    rows, book = _theme_rows(out)
    shown = 0
    for indicator, measure in MAPPED.items():
        labels = {label for (m, label, _) in _published() if m == measure and label != "0"}
        label = next((label for label in labels if label.startswith("2025") or label == "2024/25"), None)
        if label is None:
            assert rows[indicator]["Actual 2025"] in (None, "")  # no 2025 figure published for it
            continue
        lait, row = _lait_view(measure, label), rows[indicator]
        assert _close(lait["value"], row["Actual 2025"]) or row["Actual 2025"] == "[x]", indicator
        assert _close(lait["england"], row["England"]), indicator
        assert _close(lait["region"], row["Region"]), indicator
        assert _close(lait["sn"], row["Statistical Neighbours"]), indicator
        assert (row["Quartile band"], row["Rank"]) == (lait["band"], lait["rank"]), indicator
        shown += 1
    assert shown >= 6
    rereferrals = rows["re-referrals-12m-pct"]
    assert (rereferrals["Actual 2025"], rereferrals["England"], rereferrals["Region"]) == (25.5, 22.6, 21.7)
    assert round(rereferrals["Statistical Neighbours"], 2) == 19.92
    assert (rereferrals["Quartile band"], rereferrals["Rank"]) == ("D", "135 of 153")
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    assert "May 2025 edition" in notes and "Rotherham" in notes and "Open Government Licence" in notes


def test_a_csv_scorecard_gets_the_gaps_filled(store, tmp_path):
    """With --national a CSV's own figures and comparators stay; blanks are filled from LAIT;
    the band and rank are of the CSV's value among the other authorities' published figures
    (LAIT's own when the value is LAIT's). '2024-25' matches LAIT's financial-year '2025'."""
    data = tmp_path / "barnsley.csv"
    data.write_text("indicator_id,period,actual,target,comparator_england\n"
                    "re-referrals-12m-pct,2023-24,20.0,21,\n"
                    "re-referrals-12m-pct,2024-25,25.5,21,99\n"
                    "re-referrals-12m-pct,2025-26 Q1,24.0,21,\n", encoding="utf-8")
    out = tmp_path / "from_csv.xlsx"
    assert main(["build", "--data", str(data), "--authority", "Barnsley", "--period", "2024-25",
                 "--national", str(store), "--out", str(out)]) == 0
    rows, book = _theme_rows(out)
    row = rows["re-referrals-12m-pct"]
    lait = _lait_view("ReReferral", "2025")
    assert row["England"] == 99  # given in the CSV: kept
    assert _close(lait["region"], row["Region"]) and _close(lait["sn"], row["Statistical Neighbours"])
    assert (row["Quartile band"], row["Rank"]) == (lait["band"], lait["rank"])
    # The 2023-24 figure (20.0) is not LAIT's 22.4: it is placed among the other authorities' figures.
    others = [v for (m, p, a), v in _published().items() if (m, p) == ("ReReferral", "2024") and a < 970
              and a not in PREDECESSORS and a != BARNSLEY and v is not None]
    scorecard = load_scorecard_data(data, "Barnsley", "2024-25", load_catalogue())
    add_national(scorecard, NationalContext.open(store, load_catalogue(), pin_for="2024-25"), "Barnsley")
    measure = scorecard.measures[0]
    assert measure.bands["2023-24"] == r_band(20.0, others + [20.0], "Low")
    assert measure.ranks["2023-24"] == (r_rank(20.0, others + [20.0], "Low"), len(others) + 1)
    assert "2025-26 Q1" not in measure.bands  # a quarter has no national figure
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    assert "where the data did not give them" in notes and "May 2025 edition" in notes


def test_an_old_period_keeps_its_edition(tmp_path):
    """The first build of a report period pins the latest edition; importing a newer edition later
    does not change that period's neighbours (a rebuilt scorecard gives the same average), while a
    new period takes the newer edition; --sn-edition chooses one explicitly."""
    store = tmp_path / "s.sqlite"
    import_lait([DATA_CSV, DICTIONARY, AUTHORITIES, EDITIONS[0]], store)  # April 2021 only
    catalogue = load_catalogue()
    first = load_national_data(NationalContext.open(store, catalogue, period="2025"), "Barnsley")
    import_lait([EDITIONS[1]], store)  # May 2025 arrives
    again = load_national_data(NationalContext.open(store, catalogue, period="2025"), "Barnsley")
    newer = NationalContext.open(store, catalogue, period="2024")
    chosen = NationalContext.open(store, catalogue, period="2023", edition="april 2021")

    def average(data):
        measure = next(m for m in data.measures if m.id == "re-referrals-12m-pct")
        return measure.comparators["Statistical Neighbours"]["2025"]
    assert average(again) == average(first)
    april = _lait_view("ReReferral", "2025", neighbours=_neighbours(EDITIONS[0], BARNSLEY))
    assert _close(april["sn"], average(first))
    assert (newer.edition, chosen.edition) == ("May 2025", "April 2021")
    assert any("April 2021 edition" in meaning for _, meaning in again.notes)


def test_scorecards_from_the_collection_store_show_band_and_rank(tmp_path):
    """A scorecard built from collected returns shows each measure's quartile band and rank among
    the authorities with a return (the store's own set), in the report period."""
    store_path = tmp_path / "collected.sqlite"
    values = {"E1": 10.0, "E2": 20.0, "E3": 30.0, "E4": 40.0, "E5": 50.0}
    with Store(store_path) as store:
        store.add_authorities([Authority(code) for code in values])
        for code, value in values.items():
            store.add_submission(Submission(code, "2024-25 Q1", f"{code}.xlsx", code * 32, cells=[{
                "indicator_id": "re-referrals-12m-pct", "field": "value", "number": value, "text": None,
                "raw": str(value), "missing_code": None, "missing_reason": None, "formula": None, "status": "ok",
                "file": f"{code}.xlsx", "sheet": "Referrals", "cell": "F5"}]))
    data = load_store_data(store_path, "E2", "2024-25 Q1")
    measure = data.measures[0]
    assert (measure.bands["2024-25 Q1"], measure.ranks["2024-25 Q1"]) == ("A", (2, 5))  # Smaller is Better
    out = tmp_path / "e2.xlsx"
    assert main(["build", "--store", str(store_path), "--authority", "E2", "--period", "2024-25 Q1",
                 "--out", str(out)]) == 0
    row = _theme_rows(out)[0]["re-referrals-12m-pct"]
    assert (row["Quartile band"], row["Rank"]) == ("A", "2 of 5")


def test_a_store_with_lait_data_fills_national_comparators(tmp_path, capsys):
    """When the collection store also holds LAIT data, a scorecard for an authority LAIT knows (by
    name) gets England, region and neighbours' figures without --national; the store's own band and
    rank stay. For an authority LAIT does not know, the scorecard is still built, with a warning."""
    store_path = tmp_path / "collected.sqlite"
    with Store(store_path) as store:
        store.add_authorities([Authority("370", "Barnsley"), Authority("E9", "Northshire")])
        for code, value in (("370", 25.5), ("E9", 30.0)):
            store.add_submission(Submission(code, "2024-25", f"{code}.xlsx", code * 32, cells=[{
                "indicator_id": "re-referrals-12m-pct", "field": "value", "number": value, "text": None,
                "raw": str(value), "missing_code": None, "missing_reason": None, "formula": None, "status": "ok",
                "file": f"{code}.xlsx", "sheet": "Referrals", "cell": "F5"}]))
    import_lait([DATA_CSV, DICTIONARY, AUTHORITIES, *EDITIONS], store_path)
    out = tmp_path / "barnsley.xlsx"
    assert main(["build", "--store", str(store_path), "--authority", "Barnsley", "--period", "2024-25",
                 "--out", str(out)]) == 0
    row = _theme_rows(out)[0]["re-referrals-12m-pct"]
    lait = _lait_view("ReReferral", "2025")
    assert (row["England"], row["Region"]) == (lait["england"], lait["region"])
    assert (row["Quartile band"], row["Rank"]) == ("A", "1 of 2")  # the store's own set of two
    assert main(["build", "--store", str(store_path), "--authority", "E9", "--period", "2024-25",
                 "--out", str(tmp_path / "e9.xlsx")]) == 0
    assert "no national comparators: no authority 'Northshire'" in capsys.readouterr().err


def test_every_authority_at_once(store, tmp_path):
    """build_every_authority on two processes writes one scorecard per authority (here the first
    six), each for its own authority, counting them on the progress callback."""
    context = NationalContext.open(store, load_catalogue())
    chosen = context.data.current_authorities()[:6]
    seen = []
    paths, problems = build_every_authority(context, tmp_path / "all", scorecard_writer(), jobs=2,
                                            progress=lambda done, total, name: seen.append((done, total)),
                                            authorities=chosen)
    assert problems == [] and len(paths) == 6 and all(path.exists() for path in paths)
    assert seen[-1] == (6, 6) and len(seen) == 6
    for area, path in zip(chosen, paths, strict=True):
        cover = openpyxl.load_workbook(path, read_only=True)["Cover"]
        assert any(row[1] == area.name for row in cover.iter_rows(values_only=True))


def test_every_authority_without_fork(store, tmp_path, monkeypatch):
    """Where processes cannot be forked (Windows), workers are started afresh and handed the data:
    the scorecards are the same."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    context = NationalContext.open(store, load_catalogue())
    chosen = context.data.current_authorities()[:2]
    paths, problems = build_every_authority(context, tmp_path / "spawned", scorecard_writer(), jobs=2,
                                            authorities=chosen)
    assert problems == [] and [path.name for path in paths] == [f"{area.name.lower().replace(' ', '-')}.xlsx"
                                                                 for area in chosen]
    assert all(path.stat().st_size > 10_000 for path in paths)


def test_a_failing_authority_is_reported_not_fatal(store, tmp_path):
    """An authority that cannot be built (no national figures in the year asked) is listed with the
    reason; the others are written."""
    context = NationalContext.open(store, load_catalogue(), period="2019")
    paths, problems = build_every_authority(context, tmp_path / "old", scorecard_writer(), jobs=1,
                                            authorities=context.data.current_authorities()[:2])
    assert paths == [] and len(problems) == 2 and "no national figures" in problems[0]


def test_the_readme_s_two_lines(tmp_path, capsys):
    """The README's import (the slice's CSV and xlsx files, as its glob names them) and Barnsley's
    scorecard from it both run."""
    readme = (LAIT.parent.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "scorecard import lait tests/data/lait/*.csv tests/data/lait/*.xlsx --store national.sqlite" in readme
    assert "scorecard national scorecard --store national.sqlite --authority Barnsley --out out/barnsley.xlsx" in readme
    store = tmp_path / "national.sqlite"
    files = sorted(LAIT.glob("*.csv")) + sorted(LAIT.glob("*.xlsx"))
    assert main(["import", "lait", *map(str, files), "--store", str(store)]) == 0
    assert main(["national", "scorecard", "--store", str(store), "--authority", "Barnsley",
                 "--out", str(tmp_path / "out" / "barnsley.xlsx")]) == 0
    assert "May 2025 statistical neighbours" in capsys.readouterr().out


def test_a_pin_is_found_under_any_spelling_of_its_period(tmp_path, capsys):
    """`scorecard national pin "2023/24 Q4" "April 2021"` pins the period build finds as 2023-24 Q4,
    and pinning it again under another spelling changes that one pin, not a second one."""
    store = tmp_path / "s.sqlite"
    import_lait([DATA_CSV, DICTIONARY, AUTHORITIES, *EDITIONS], store)
    assert main(["national", "pin", "2023/24 Q4", "April 2021", "--store", str(store)]) == 0
    assert "report period 2023-24 Q4 uses the April 2021" in capsys.readouterr().out
    assert NationalContext.open(store, load_catalogue(), period="2025", pin_for="2023-24 Q4").edition == "April 2021"
    assert main(["national", "pin", "Q4 2023-24", "May 2025", "--store", str(store)]) == 0
    with NationalStore(store, create=False) as national:
        assert national.pins() == {"2023-24 Q4": "May 2025"}

"""The catalogue's LAIT mapping, LAIT's measures as an extension catalogue, LAIT's period labels in
the one period model, and band/rank columns in a scorecard's data."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from lait_slice import DICTIONARY

from generator.national.catalogue import catalogue_csv, lait_id, lait_unit
from generator.national.comparators import series_periods
from generator.national.lists import read_dictionary
from generator.workbooks.data_csv import load_scorecard_data
from scorecard.catalogue import CatalogueError, lait_catalogue_path, load_catalogue, validate_catalogue
from scorecard.errors import ScorecardError


def test_every_mapped_code_is_a_lait_measure_with_the_same_unit_and_polarity():
    """Each of the built-in catalogue's lait_code values (63, incl. re-referrals, repeat plans,
    looked-after rate, placement stability, care leavers, attainment) is a measure in LAIT's
    extension catalogue, with the same unit and polarity as our indicator."""
    ours = [indicator for indicator in load_catalogue() if indicator.lait_code]
    lait = {indicator.lait_code: indicator for indicator in load_catalogue(lait_catalogue_path())}
    assert len(ours) == 63
    for key in ("re-referrals-12m-pct", "cpp-repeat-pct", "lac-rate", "lac-placement-stability-pct",
                "care-leavers-eet-pct", "attainment8"):
        assert key in {indicator.id for indicator in ours}
    for indicator in ours:
        theirs = lait[indicator.lait_code]
        assert (indicator.unit, indicator.polarity) == (theirs.unit, theirs.polarity), indicator.id


def test_lait_extension_catalogue_loads_beside_the_built_in_one():
    """LAIT's 434 measure codes (448 dictionary rows; 14 codes listed under two topics) load as an
    extension of the built-in catalogue, ids lait-..., each with its code, polarity and decimals."""
    catalogue = load_catalogue(extend=lait_catalogue_path())
    lait = [indicator for indicator in catalogue if indicator.id.startswith("lait-")]
    assert len(lait) == 434 and len(catalogue) == 348 + 434
    rereferral = catalogue.get("lait-rereferral")
    assert (rereferral.lait_code, rereferral.polarity.value, rereferral.unit) == (
        "ReReferral", "Smaller is Better", "percentage")
    assert catalogue.get("lait-pct-of-lac-adopted").lait_code == "%_of LAC Adopted"
    assert catalogue.by_code("ReReferral") == (catalogue.get("re-referrals-12m-pct"), rereferral)


def test_shipped_extension_catalogue_is_what_the_generator_writes():
    """The rows of scorecard/data/lait_catalogue.csv for the slice's measures are exactly what
    generator.national.catalogue makes from the slice's dictionary rows (so the shipped file is
    the generator's, and regenerating it from a newer dictionary is one command)."""
    made = list(csv.DictReader(catalogue_csv(read_dictionary(DICTIONARY)).splitlines()))
    with lait_catalogue_path().open(newline="", encoding="utf-8") as handle:
        shipped = {row["lait_code"]: row for row in csv.DictReader(handle)}
    assert len(made) == 14
    for row in made:
        assert shipped[row["lait_code"]] == row


@pytest.mark.parametrize(("words", "unit"), [
    ("% of referrals", ("percentage", "")), ("% gap", ("percentage points", "")),
    ("Rate per 10,000", ("rate per 10,000", "children aged 0-17")),
    ("Rate per 1000 live births", ("rate per 1,000", "live births")),
    ("Number of Children Looked After", ("count", "")), ("Starters FTE", ("FTE", "")),
    ("Unit Cost", ("currency", "")), ("Score per pupil", ("score", "")), ("Case Load", ("ratio", ""))])
def test_lait_units(words, unit):
    """LAIT's y-axis words map to catalogue units ('Looked After' is not FTE)."""
    assert lait_unit(words) == unit


def test_lait_ids():
    """Ids are lower case with %, & and + spelled out."""
    assert lait_id("LAC_Fixed_ Ex") == "lait-lac-fixed-ex"
    assert lait_id("16-17Ed&Training") == "lait-16-17ed-and-training"


def test_lait_code_is_one_code(tmp_path):
    """A lait_code cell holding two codes is refused with the row and field."""
    path = tmp_path / "cat.csv"
    path.write_text("id,name,short_name,theme,unit,polarity,lait_code\nx,X,X,T,count,,ReReferral; LAC\n",
                    encoding="utf-8")
    problems = validate_catalogue(path)
    assert [(p.row, p.field) for p in problems] == [(2, "lait_code")]
    with pytest.raises(CatalogueError):
        load_catalogue(path)


def test_fingerprint_ignores_the_new_column_until_used(tmp_path):
    """A catalogue that does not use lait_code keeps the fingerprint it had before the column
    existed (templates issued from it stay valid); filling it in changes the fingerprint."""
    base = tmp_path / "base.csv"
    base.write_text("id,name,short_name,theme,unit,polarity\nx,X,X,T,count,\n", encoding="utf-8")
    with_column = tmp_path / "with.csv"
    with_column.write_text("id,name,short_name,theme,unit,polarity,lait_code\nx,X,X,T,count,,\n", encoding="utf-8")
    mapped = tmp_path / "mapped.csv"
    mapped.write_text("id,name,short_name,theme,unit,polarity,lait_code\nx,X,X,T,count,,LAC\n", encoding="utf-8")
    assert load_catalogue(base).fingerprint() == load_catalogue(with_column).fingerprint()
    assert load_catalogue(mapped).fingerprint() != load_catalogue(base).fingerprint()


def test_lait_labels_order_in_one_period_model():
    """LAIT's labels read with their measure's Year_Type give one time series in date order:
    financial '2024' is 2023-24, academic '2023/24' is AY 2023/24, spans end where they end, and
    a revised or outturn figure sorts beside its period."""
    measures = pd.DataFrame({"year_type": ["Financial Year", "Academic Year", "Calendar Year", "Academic Year"]},
                            index=["ReReferral", "TotPermEx", "RTA", "A3A"])
    series = pd.DataFrame([("ReReferral", "2025"), ("ReReferral", "2024"), ("TotPermEx", "2023/24"),
                           ("TotPermEx", "2021/22"), ("RTA", "2020-22"), ("RTA", "2018-20"),
                           ("A3A", "2024 (Rev)"), ("A3A", "2023 (Rev)")], columns=["measure", "period"])
    read = series_periods(series, measures).set_index(["measure", "period"])
    assert read.loc[("ReReferral", "2025"), "canonical"] == "2024-25"
    assert read.loc[("TotPermEx", "2023/24"), "canonical"] == "AY 2023/24"
    assert read.loc[("A3A", "2024 (Rev)"), "canonical"] == "AY 2023/24 (Rev)"
    assert read.loc[("RTA", "2020-22"), "year"] == 2022
    order = read.sort_values("sort").index.tolist()
    assert order.index(("RTA", "2018-20")) < order.index(("TotPermEx", "2021/22")) < order.index(
        ("ReReferral", "2024")) < order.index(("TotPermEx", "2023/24"))


def test_band_and_rank_columns_in_a_scorecard_csv(tmp_path):
    """quartile_band, rank and rank_of in the data are read per period; a band that is not A-D, or
    a rank beyond rank_of, is refused naming the row and field."""
    good = tmp_path / "good.csv"
    good.write_text("indicator_id,period,actual,target,quartile_band,rank,rank_of\n"
                    "re-referrals-12m-pct,2024-25,25.5,,D,135,153\nre-referrals-12m-pct,2023-24,22.4,,-,,\n",
                    encoding="utf-8")
    measure = load_scorecard_data(good, "Barnsley", "2024-25", load_catalogue()).measures[0]
    assert (measure.band("2024-25"), measure.rank_text("2024-25"), measure.band("2023-24")) == ("D", "135 of 153", "-")
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,period,actual,target,quartile_band\nre-referrals-12m-pct,2024-25,25.5,,E\n",
                   encoding="utf-8")
    with pytest.raises(ScorecardError, match=r"bad.csv, line 2, column quartile_band: 'E' is not a band"):
        load_scorecard_data(bad, "Barnsley", "2024-25", load_catalogue())
    bad.write_text("indicator_id,period,actual,target,rank,rank_of\nre-referrals-12m-pct,2024-25,25.5,,160,153\n",
                   encoding="utf-8")
    with pytest.raises(ScorecardError, match="column rank: 160 needs rank_of"):
        load_scorecard_data(bad, "Barnsley", "2024-25", load_catalogue())

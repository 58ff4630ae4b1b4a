"""`scorecard import lait`: LAIT's files into the store, checked, with provenance and history, in
one transaction (tests/data/lait holds the slice the tests use)."""

from __future__ import annotations

import csv
import math
import sqlite3
import sys

import pytest
from lait_slice import ALL_CSV, AUTHORITIES, DATA_CSV, DATA_PARQUET, DICTIONARY, EDITIONS, has_pyarrow
from missing_tool import skip_or_fail

from generator.cli import main
from generator.national.importer import import_lait
from generator.national.store import NationalStore
from scorecard.errors import ScorecardError


def _rows(path=DATA_CSV):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _small(tmp_path, edit=None, name="small.csv"):
    """The slice's header and its first 40 data rows, optionally edited (edit(rows) in place)."""
    rows = [list(row) for row in _rows()[:41]]
    if edit:
        edit(rows)
    return _write(tmp_path / name, rows)


def _count(store, table):
    with sqlite3.connect(store) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_the_slice_imports_whole(tmp_path):
    """All five kinds of file in one command, in any order: 14 measures (15 dictionary rows, one code
    listed twice), 171 areas, two editions, 7,480 values; LAIT's rows labelled '0' (all '-') are set
    aside and said so, naming the file and the first row."""
    store = tmp_path / "s.sqlite"
    report = import_lait(reversed(ALL_CSV), store)
    with NationalStore(store) as national:
        counts = national.counts()
    assert counts == {"files": 5, "measures": 14, "areas": 171, "editions": 2, "series": 44,
                      "current values": 7480, "values": 7480}
    notes = [note for line in report.files for note in line.notes]
    assert notes == ["set aside 170 row(s) of CINPermExclusion labelled '0', the first at bds_long_slice.csv, "
                     "row 5271 (line 5272): period '0' not understood: '0' is not a year: a year has four digits; "
                     "none of them holds a value"]


def test_codes_are_never_numbers_and_values_are_as_published(tmp_path):
    """'-' becomes [x] with no number and the text kept; a figure written with binary noise
    (9.3699999999999992) is the number it means; every value keeps file, sha256 and label."""
    rows = _rows()
    store = tmp_path / "s.sqlite"
    import_lait(ALL_CSV, store)
    header = rows[0]
    col = {name: header.index(name) for name in header}
    dash = next(r for r in rows[1:] if r[col["Values"]] == "-" and r[col["Years"]] != "0")
    with NationalStore(store) as national:
        history = national.history(dash[col["Short Desc"]], dash[col["Years"]], int(float(dash[col["LA Number"]])))
        assert math.isnan(history["value"].iloc[0]) and history["code"].iloc[0] == "[x]"
        assert history["raw"].iloc[0] == "-" and history["file"].iloc[0] == "bds_long_slice.csv"
        assert len(history["sha256"].iloc[0]) == 64
        values = national.values(["RTA"])
    published = {(r[col["Years"]], int(float(r[col["LA Number"]]))): r[col["Values"]]
                 for r in rows[1:] if r[col["Short Desc"]] == "RTA"}
    for row in values.itertuples():
        text = published[(row.period, row.area)]
        if text == "-":
            assert math.isnan(row.value) and row.code == "[x]"
        else:
            assert row.value == float(text)


@pytest.mark.parametrize(("text", "code"), [("x", "[x]"), ("c", "[c]"), ("z", "[z]"), (".", "[z]"), ("-", "[x]"),
                                            ("..", "[x]"), ("low", "[low]"), ("u", "[u]"), ("", None), ("NA", None),
                                            ("[c]", "[c]")])
def test_each_code_becomes_shorthand_or_missing(tmp_path, text, code):
    """LAIT's and DfE's codes for a figure that is not there become GSS shorthand (blank and NA:
    missing, no code), never a number."""
    def edit(rows):
        rows[1][rows[0].index("Values")] = text
    store = tmp_path / "s.sqlite"
    import_lait([_small(tmp_path, edit), DICTIONARY, AUTHORITIES], store)
    with NationalStore(store) as national:
        values = national.values()
    first = values[values["area"] == int(float(_rows()[1][_rows()[0].index("LA Number")]))].iloc[0]
    assert math.isnan(first["value"])
    assert (first["code"] or None) == code if code else first["code"] in ("", None)


def test_the_same_file_twice_changes_nothing(tmp_path):
    """Importing a file already imported (same sha256) adds no row anywhere and says so."""
    store = tmp_path / "s.sqlite"
    import_lait(ALL_CSV, store)
    before = {table: _count(store, table) for table in ("national_files", "national_values", "national_series")}
    report = import_lait([DATA_CSV, DICTIONARY], store)
    assert [line.status for line in report.files] == ["unchanged", "unchanged"]
    assert {table: _count(store, table) for table in before} == before
    assert "already imported (same sha256): nothing changed" in report.lines()[0]


def test_a_newer_file_supersedes_and_keeps_history(tmp_path):
    """A different file holding some of the same series becomes current for those series only;
    the older figures stay, marked superseded; series it does not hold stay current from the older file."""
    store = tmp_path / "s.sqlite"
    import_lait(ALL_CSV, store)
    header = _rows()[0]
    barnsley = [r for r in _rows()[1:] if r[header.index("Short Desc")] == "ReReferral"
                and r[header.index("Years")] == "2025"]
    revised = [list(r) for r in barnsley]
    for row in revised:
        if row[header.index("LA and Regions")] == "Barnsley":
            row[header.index("Values")] = "24.9"
    newer = _write(tmp_path / "bds_long_revised.csv", [header, *revised])
    report = import_lait([newer], store)
    assert (report.files[0].new_series, report.files[0].superseded_series) == (0, 1)
    with NationalStore(store) as national:
        history = national.history("ReReferral", "2025", 370)
        assert history["value"].tolist() == [25.5, 24.9]
        assert history["current"].tolist() == [0, 1]
        assert history["file"].tolist() == ["bds_long_slice.csv", "bds_long_revised.csv"]
        still = national.history("ReReferral", "2024", 370)
        assert still["current"].tolist() == [1] and still["file"].tolist() == ["bds_long_slice.csv"]


def test_parquet_imports_the_same_values(tmp_path):
    """The parquet slice (as LAIT publishes) gives exactly the CSV's values; needs pyarrow
    (pip install 'scorecard[parquet]'; CI installs it)."""
    if not has_pyarrow():
        skip_or_fail("pyarrow is not installed: pip install 'scorecard[parquet]'")
    first, second = tmp_path / "csv.sqlite", tmp_path / "parquet.sqlite"
    import_lait(ALL_CSV, first)
    import_lait([DATA_PARQUET, DICTIONARY, AUTHORITIES, *EDITIONS], second)
    with NationalStore(first) as a, NationalStore(second) as b:
        left = a.values().drop(columns=["file_id", "series"]).sort_values(["measure", "period", "area"])
        right = b.values().drop(columns=["file_id", "series"]).sort_values(["measure", "period", "area"])
    assert left.astype(str).values.tolist() == right.astype(str).values.tolist()


_WITHOUT_PYARROW = """
import importlib.abc, sys
class NoPyarrow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("no pyarrow in the core install")
sys.meta_path.insert(0, NoPyarrow())
from generator.national.importer import import_lait
from scorecard.errors import ScorecardError
report = import_lait(sys.argv[2:], sys.argv[1])
print(sum(line.rows for line in report.files if line.kind == "data"))
try:
    import_lait([{parquet!r}], sys.argv[1])
except ScorecardError as error:
    print(error)
"""


def test_csv_needs_no_pyarrow_and_parquet_says_how(tmp_path):
    """In a Python where pyarrow cannot be imported (the core install; pandas then keeps its
    strings without it), CSV imports whole, and parquet gives one clear line on what to install."""
    import subprocess

    script = _WITHOUT_PYARROW.format(parquet=str(DATA_PARQUET))
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.sqlite"), *map(str, ALL_CSV)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "7480"
    assert lines[1].startswith("bds_long_slice.parquet: reading parquet needs pyarrow: "
                               "pip install 'scorecard[parquet]'")


BAD = [
    ("missing column", lambda rows: [row.pop(4) for row in rows],  # Values is the fifth column
     r"small.csv, line 1: missing column\(s\) Values"),
    ("unknown measure", lambda rows: rows[7].__setitem__(rows[0].index("Short Desc"), "NoSuchCode"),
     r"small.csv, row 7 \(line 8\), field 'Short Desc': unknown measure code 'NoSuchCode'"),
    ("junk period with a value", lambda rows: (rows[3].__setitem__(rows[0].index("Years"), "0"),
                                                rows[3].__setitem__(rows[0].index("Values"), "12.5")),
     r"small.csv, row 3 \(line 4\), field 'Years': period '0' not understood"),
    ("junk value", lambda rows: rows[5].__setitem__(rows[0].index("Values"), "twelve"),
     r"small.csv, row 5 \(line 6\), field 'Values': .*'twelve'"),
    ("area not on the list", lambda rows: rows[2].__setitem__(rows[0].index("LA Number"), "999"),
     r"small.csv, row 2 \(line 3\), field 'LA Number': 999 is not on the authority list"),
    ("duplicate", lambda rows: rows.__setitem__(9, list(rows[4])),
     r"small.csv, row 4 \(line 5\): .* appears twice \(again at small.csv, row 9 \(line 10\)\)"),
]


@pytest.mark.parametrize(("what", "edit", "message"), BAD, ids=[case[0] for case in BAD])
def test_bad_data_names_file_and_row_and_stores_nothing(tmp_path, what, edit, message):
    """Bad long data is refused with the file, row and field; the dictionary and authority list
    given in the same command are not stored either (one transaction)."""
    store = tmp_path / "s.sqlite"
    with pytest.raises(ScorecardError, match=message):
        import_lait([DICTIONARY, AUTHORITIES, _small(tmp_path, edit)], store)
    assert _count(store, "national_files") == 0 and _count(store, "national_measures") == 0


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    """If writing fails half-way (here: the data insert), nothing of the command is left."""
    store = tmp_path / "s.sqlite"

    def broken(self, file_id, table):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(NationalStore, "add_values", broken)
    with pytest.raises(sqlite3.OperationalError):
        import_lait(ALL_CSV, store)
    assert _count(store, "national_files") == 0 and _count(store, "national_neighbours") == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("junk.parquet", b"not parquet at all", r"junk.parquet: not a readable parquet file"),
    ("quoted.csv", b'Short Desc,Years,LA Number,Values\n"ReReferral,2025,370,25.5\n',
     r"quoted.csv: not a readable CSV"),
    ("other.csv", b"a,b,c\n1,2,3\n", r"other.csv: not a LAIT file"),
    ("sheet.xlsx", b"PK\x03\x04 not really", r"sheet.xlsx: not a readable workbook"),
    ("notes.txt", b"hello", r"notes.txt: LAIT files are .csv, .parquet or .xlsx"),
])
def test_malformed_files_are_named(tmp_path, name, content, message):
    """A file that is not what it claims to be gets one clear error naming it."""
    if name.endswith(".parquet") and not has_pyarrow():
        skip_or_fail("pyarrow is not installed: pip install 'scorecard[parquet]'")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScorecardError, match=message):
        import_lait([DICTIONARY, AUTHORITIES, path], tmp_path / "s.sqlite")


def test_data_needs_its_dictionary_and_authority_list(tmp_path):
    """Long data alone, into an empty store, is refused: the measure codes and area numbers mean
    nothing without the dictionary and the authority list."""
    with pytest.raises(ScorecardError, match="import the data dictionary"):
        import_lait([DATA_CSV], tmp_path / "s.sqlite")
    with pytest.raises(ScorecardError, match="import the authority list"):
        import_lait([DATA_CSV, DICTIONARY], tmp_path / "s.sqlite")


def test_dictionary_listings_are_merged(tmp_path):
    """CINPermExclusion is listed under two topics, one saying No_Quartile: one measure, both topics,
    no quartile band; LAIT's '-' polarity is no polarity (not Smaller is Better)."""
    store = tmp_path / "s.sqlite"
    import_lait([DICTIONARY], store)
    with NationalStore(store) as national:
        measures = national.measures().set_index("code")
    assert measures.at["CINPermExclusion", "topics"] == "Children in Need; All Pupil Absence & Exclusions"
    assert bool(measures.at["CINPermExclusion", "no_quartile"]) is True
    assert measures.at["LAC", "polarity"] == "No polarity"
    assert measures.at["ReReferral", "polarity"] == "Smaller is Better"
    assert bool(measures.at["RTA", "discontinued"]) is True


def test_bad_dictionary_row_is_named(tmp_path):
    """An unknown polarity word in the dictionary is refused naming its row and field."""
    rows = _rows(DICTIONARY)
    rows[3][rows[0].index("Polarity")] = "Higher"
    bad = _write(tmp_path / "dictionary.csv", rows)
    with pytest.raises(ScorecardError, match=r"dictionary.csv, row 3 \(line 4\), field 'Polarity': 'Higher'"):
        import_lait([bad], tmp_path / "s.sqlite")


def test_editions_come_from_the_file_name_or_the_option(tmp_path):
    """sn_april_2021.xlsx is the April 2021 edition; a file named otherwise needs --edition."""
    renamed = tmp_path / "neighbours.xlsx"
    renamed.write_bytes(EDITIONS[1].read_bytes())
    with pytest.raises(ScorecardError, match="which edition is this"):
        import_lait([AUTHORITIES, renamed], tmp_path / "s.sqlite")
    import_lait([AUTHORITIES, renamed], tmp_path / "s.sqlite", edition="May 2025")
    with NationalStore(tmp_path / "s.sqlite") as national:
        assert national.editions()["edition"].tolist() == ["May 2025"]
        neighbours = national.neighbours("May 2025")
    assert neighbours[370] == [372, 384, 357, 371, 332, 894, 840, 390, 807, 394]  # Barnsley, as the file lists


def test_cli_import_prints_what_it_did(tmp_path, capsys):
    """`scorecard import lait` imports and prints a line per file and the time; errors are one line."""
    store = tmp_path / "s.sqlite"
    assert main(["import", "lait", *map(str, ALL_CSV), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "bds_long_slice.csv: data, 7,480 values; 44 new measure-periods" in out
    assert f"imported into {store}" in out
    assert main(["import", "lait", str(tmp_path / "missing.csv"), "--store", str(store)]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err


def test_a_postgresql_store_is_refused_in_words(capsys):
    """National data lives in an SQLite store: a postgresql:// store is refused saying so, not as
    a file name mangled from the URL; nothing is contacted."""
    url = "postgresql://someone:secret@127.0.0.1:1/nowhere"
    with pytest.raises(ScorecardError, match="national comparators are kept in an SQLite store"):
        NationalStore(url)
    assert main(["import", "lait", str(DICTIONARY), "--store", url]) != 0
    assert "PostgreSQL store holds returns but not national data" in capsys.readouterr().err
    assert main(["national", "summary", "--store", url]) != 0
    assert "PostgreSQL store holds returns but not national data" in capsys.readouterr().err


def test_a_new_store_in_a_missing_folder_names_the_folder(tmp_path, capsys):
    """A new store named in a folder that does not exist is refused naming that folder, not as
    'not a Scorecard store: unable to open database file' (SQLite's words); nothing is made."""
    store = tmp_path / "no such folder" / "national.sqlite"
    assert main(["import", "lait", str(DICTIONARY), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert f"there is no folder {store.parent}" in err and "not a Scorecard store" not in err
    assert not store.parent.exists()


def test_cli_history_finds_england_a_region_or_an_authority(tmp_path, capsys):
    """`scorecard national history` takes England, a region by name (any case) or an authority by
    name or LA number, and prints that area's figure; an unknown area is one error line."""
    store = tmp_path / "s.sqlite"
    import_lait(ALL_CSV, store)
    capsys.readouterr()
    for area, figure in (("England", "22.6"), ("yorkshire and the humber", "21.7"), ("Barnsley", "25.5"),
                         ("370", "25.5")):
        assert main(["national", "history", "ReReferral", "2025", area, "--store", str(store)]) == 0
        out = capsys.readouterr().out
        assert f" {figure} " in out and "bds_long_slice.csv" in out and "current" in out, area
    assert main(["national", "history", "ReReferral", "2025", "Nowhere", "--store", str(store)]) == 2
    assert "no authority 'Nowhere' on the authority list" in capsys.readouterr().err


def test_a_busy_store_is_waited_for_then_named_not_a_traceback(tmp_path, capsys, monkeypatch):
    """While another process holds the store's write lock (a collect, another import), an import
    and a pin wait for it as the collection store does, then fail in words ("stayed busy") with
    the store unchanged, not with sqlite3's 'database is locked' traceback."""
    import generator.national.store as national_store

    monkeypatch.setattr(national_store, "BUSY_SECONDS", 0.05)
    monkeypatch.setattr(national_store, "BUSY_ATTEMPTS", 2)
    store = tmp_path / "s.sqlite"
    import_lait([DICTIONARY, AUTHORITIES, *EDITIONS], store)
    capsys.readouterr()
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert main(["import", "lait", str(DATA_CSV), "--store", str(store)]) == 2
        assert "stayed busy" in capsys.readouterr().err
        assert main(["national", "pin", "2025", "May 2025", "--store", str(store)]) == 2
        assert "stayed busy" in capsys.readouterr().err
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _count(store, "national_values") == 0 and _count(store, "national_pins") == 0
    assert main(["import", "lait", str(DATA_CSV), "--store", str(store)]) == 0
    assert _count(store, "national_values") > 0

"""Collecting returns: the round trip property and one test per problem the reader detects."""

from __future__ import annotations

import csv
import math
import re
import shutil
from contextlib import contextmanager

import openpyxl
import pytest
from collect_strategies import (
    AUTHORITIES,
    PERIOD,
    filled,
    first,
    make_template,
    returns_for,
    rewrite_member,
    sheet_part,
    small_catalogue,
    typical_entries,
)
from hypothesis import HealthCheck, given, settings

from generator.collection import layout as L
from generator.collection.collect import collect
from generator.collection.error_report import write_error_report
from generator.collection.read import read_return
from generator.collection.store import Store

CATALOGUE = small_catalogue()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("template"), CATALOGUE)


def _collect(tmp_path, *files, **options):
    store = Store(tmp_path / "store.sqlite")
    report = collect(list(files), store, options.pop("catalogue", CATALOGUE), **options)
    return store, report


def _codes(report, code):
    return [p for p in report.problems if p["code"] == code]


def _assert_intact(store, entries, skip=(), version=None):
    """Every entry not in `skip` is in the store exactly as typed (in the current version,
    or in `version`)."""
    cells = store.cells(version=version)
    got = {(r.indicator_id, r.field): r for r in cells.itertuples()}
    for indicator_id, fields in entries.items():
        for field, value in fields.items():
            if (indicator_id, field) in skip:
                continue
            record = got[(indicator_id, field)]
            assert record.raw == L.raw_text(value), (indicator_id, field)


def _fill(template, tmp_path, changes, name="return.xlsx"):
    entries = typical_entries(CATALOGUE)
    for indicator_id, fields in changes.items():
        entries[indicator_id] = fields
    return filled(template, tmp_path / name, entries), entries


# -- round trip ---------------------------------------------------------------------------------
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=returns_for(CATALOGUE))
def test_round_trip_store_holds_exactly_what_was_typed(template, tmp_path_factory, data):
    """Template filled by code with random valid values and shorthand: after collection each
    typed cell is in the store with the same raw text, number and missing-value code, and no
    other cell is stored."""
    folder = tmp_path_factory.mktemp("rt")
    path = filled(template, folder / "r.xlsx", data)
    store = Store(folder / "s.sqlite")
    report = collect([path], store, CATALOGUE)
    assert report.versions[str(path)] == 1
    cells = store.cells()
    stored = {(r.indicator_id, r.field): r for r in cells.itertuples()}
    typed = {(i, f): v for i, fields in data.items() for f, v in fields.items()}
    assert set(stored) == set(typed)
    for key, value in typed.items():
        record = stored[key]
        assert record.raw == L.raw_text(value)
        if isinstance(value, int | float) and key[1] != "commentary" \
                and CATALOGUE.get(key[0]).unit not in ("text", "yes/no"):
            assert record.number == value
        if isinstance(value, str) and value.startswith("[") and key[1] != "commentary":
            assert record.missing_code == value
            assert record.missing_reason
        assert record.sheet and record.cell and record.file == str(path)
    assert not [p for p in report.problems if p["severity"] == "error"]


# -- one test per problem ---------------------------------------------------------------------
def test_text_in_number_cell_is_kept_as_raw_text(template, tmp_path):
    """'about 12' in a count cell: error naming sheet and cell; raw text kept, no number."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {count.id: {"value": "about 12"}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "text_in_number")
    assert "'about 12' is not a number" in problem["message"]
    assert problem["indicator_id"] == count.id and problem["cell"].startswith("H")
    record = store.cells().set_index(["indicator_id", "field"]).loc[(count.id, "value")]
    assert record.raw == "about 12" and record.status == "error" and math.isnan(record.number)
    _assert_intact(store, entries)


def test_out_of_range_values_are_flagged_and_kept(template, tmp_path):
    """A percentage of 120 and a negative count: out_of_range errors, values kept as typed."""
    pct, count = first(CATALOGUE, "percentage"), first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {pct.id: {"value": 120}, count.id: {"value": -3}})
    store, report = _collect(tmp_path, path)
    messages = {p["indicator_id"]: p["message"] for p in _codes(report, "out_of_range")}
    assert "120 is above the maximum 100" in messages[pct.id]
    assert "-3 is below the minimum 0" in messages[count.id]
    _assert_intact(store, entries)
    actual = store.actuals(PERIOD, CATALOGUE).set_index("indicator_id").loc[pct.id, "actual"]
    assert actual is None or math.isnan(actual)  # an error value is never used


def test_numerator_over_denominator_is_out_of_range(template, tmp_path):
    """A percentage whose numerator exceeds its denominator is an out_of_range error."""
    pct = first(CATALOGUE, "percentage")
    path, entries = _fill(template, tmp_path, {pct.id: {"numerator": 30, "denominator": 20}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "out_of_range")
    assert "numerator 30 is more than denominator 20" in problem["message"]
    _assert_intact(store, entries)


def test_percent_typed_as_fraction_is_flagged_not_rescaled(template, tmp_path):
    """0.865 in a percentage cell: 'looks like a fraction' warning; stored as 0.865."""
    pct = first(CATALOGUE, "percentage")
    path, entries = _fill(template, tmp_path, {pct.id: {"value": 0.865}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "looks_like_fraction")
    assert "0.865 looks like a fraction" in problem["message"] and "86.5" in problem["message"]
    record = store.cells().set_index(["indicator_id", "field"]).loc[(pct.id, "value")]
    assert record.number == 0.865 and record.status == "warning"
    _assert_intact(store, entries)


def test_percent_typed_with_a_percent_sign(template, tmp_path):
    """'86.5%' typed as text: read as 86.5 with a warning; the raw text keeps the sign."""
    pct = first(CATALOGUE, "percentage")
    path, entries = _fill(template, tmp_path, {pct.id: {"value": "86.5%"}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "percent_sign")
    assert "typed with a % sign: read as 86.5" in problem["message"]
    record = store.cells().set_index(["indicator_id", "field"]).loc[(pct.id, "value")]
    assert record.number == 86.5 and record.raw == "86.5%"
    _assert_intact(store, entries)


def test_percent_formatted_cell_is_read_as_shown(template, tmp_path):
    """0.865 in a cell formatted 0.0% (what Excel does with '86.5%'): read as 86.5; the raw
    text keeps what the cell stores (0.865) and the message says what was shown."""
    pct = first(CATALOGUE, "percentage")
    path, entries = _fill(template, tmp_path, {pct.id: {"value": 0.865}})
    with _editing(path, pct) as (sheet, rows):
        sheet.cell(rows[pct.id], L.COLUMN_INDEX["value"] + 1).number_format = "0.0%"
    store, report = _collect(tmp_path, path)
    assert _codes(report, "percent_format") and not _codes(report, "looks_like_fraction")
    record = store.cells().set_index(["indicator_id", "field"]).loc[(pct.id, "value")]
    assert record.number == 86.5 and record.raw == "0.865"
    assert "shown as 86.5%" in _codes(report, "percent_format")[0]["message"]
    _assert_intact(store, entries)


def test_gss_shorthand_is_accepted_as_missing_with_reason(template, tmp_path):
    """[c] in a value cell: stored as missing, code [c], reason confidential; info only."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {count.id: {"value": "[c]"}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "shorthand")
    assert problem["severity"] == "info" and "confidential" in problem["message"]
    record = store.cells().set_index(["indicator_id", "field"]).loc[(count.id, "value")]
    assert record.missing_code == "[c]" and record.missing_reason == "confidential"
    assert record.status == "info"
    _assert_intact(store, entries)


def test_placeholder_is_missing_with_a_warning(template, tmp_path):
    """'n/a' is read as missing but flagged: GSS shorthand should be used."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {count.id: {"value": "n/a"}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "placeholder")
    assert "use GSS shorthand" in problem["message"]
    _assert_intact(store, entries)


def _rows(sheet):
    """Indicator id -> 1-based row, from the hidden id column."""
    return {sheet.cell(r, L.ID_COLUMN + 1).value: r
            for r in range(L.FIRST_DATA_ROW + 1, sheet.max_row + 1)
            if sheet.cell(r, L.ID_COLUMN + 1).value}


def _theme_sheet(book, indicator):
    return next(s for s in book.worksheets if s.title not in (L.COVER_SHEET, L.META_SHEET)
                and indicator.id in _rows(s))


@contextmanager
def _editing(path, indicator):
    """Edit a return as a person would: yields the theme sheet holding `indicator` and its
    rows by id (openpyxl), then saves the workbook back to `path`."""
    book = openpyxl.load_workbook(path)
    sheet = _theme_sheet(book, indicator)
    yield sheet, _rows(sheet)
    book.save(path)


def test_unknown_indicator_row(template, tmp_path):
    """A row whose hidden id is not in the catalogue: unknown_indicator, cells kept raw."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, count) as (sheet, rows):
        row = rows[count.id]
        sheet.cell(row, L.ID_COLUMN + 1).value = "no-such-indicator"
        sheet.cell(row, L.CODE_COLUMN + 1).value = "no-such-indicator"
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "unknown_indicator")
    assert "'no-such-indicator'" in problem["message"] and "not in the catalogue" in problem[
        "message"]
    assert [p["indicator_id"] for p in _codes(report, "deleted_row")] == [count.id]
    kept = store.cells().set_index(["indicator_id", "field"]).loc[("no-such-indicator", "value")]
    assert kept.raw == L.raw_text(entries[count.id]["value"]) and kept.status == "error"
    entries.pop(count.id)
    _assert_intact(store, entries)


def test_sorted_rows_are_read_by_id(template, tmp_path):
    """Two rows swapped (as a sort would): moved_row info for both, every value still read
    against its own indicator."""
    a, b = first(CATALOGUE, "count"), first(CATALOGUE, "count", 1)
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, a) as (sheet, rows):
        ra, rb = rows[a.id], rows[b.id]
        for col in range(1, len(L.COLUMNS) + 1):
            top, bottom = sheet.cell(ra, col), sheet.cell(rb, col)
            top.value, bottom.value = bottom.value, top.value
    store, report = _collect(tmp_path, path)
    assert {p["indicator_id"] for p in _codes(report, "moved_row")} == {a.id, b.id}
    assert not [p for p in report.problems if p["severity"] == "error"]
    _assert_intact(store, entries)
    cells = store.cells().set_index(["indicator_id", "field"])
    assert cells.loc[(a.id, "value")].cell == f"H{rb}"


def test_deleted_row_is_reported(template, tmp_path):
    """A deleted indicator row: deleted_row error naming the indicator and where it was."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, count) as (sheet, rows):
        row = rows[count.id]
        sheet.delete_rows(row)
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "deleted_row")
    assert problem["indicator_id"] == count.id and f"row {row}" in problem["message"]
    entries.pop(count.id)
    _assert_intact(store, entries)


def test_inserted_row_is_kept_as_raw_text(template, tmp_path):
    """A row inserted with its own figures: inserted_row error; its cells kept as raw text."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, count) as (sheet, rows):
        row = rows[count.id]
        sheet.insert_rows(row)
        sheet.cell(row, L.CODE_COLUMN + 1).value = "MY1"
        sheet.cell(row, L.COLUMN_INDEX["value"] + 1).value = 99
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "inserted_row")
    assert f"row {row} was not in the template" in problem["message"]
    kept = store.cells().set_index(["indicator_id", "field"]).loc[("MY1", "value")]
    assert kept.raw == "99" and kept.status == "error"
    _assert_intact(store, entries)


def test_duplicate_indicator_row(template, tmp_path):
    """The same indicator on two rows: a duplicate_row error on each naming both rows; both
    rows kept as raw text and neither used (not the first one silently)."""
    a, b = first(CATALOGUE, "count"), first(CATALOGUE, "count", 1)
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, a) as (sheet, rows):
        ra, rb = rows[a.id], rows[b.id]
        sheet.cell(rb, L.ID_COLUMN + 1).value = a.id
        sheet.cell(rb, L.CODE_COLUMN + 1).value = a.id
    store, report = _collect(tmp_path, path)
    problems = _codes(report, "duplicate_row")
    assert sorted(p["cell"] for p in problems) == sorted([f"A{ra}", f"A{rb}"])
    assert all(f"row {ra}" in p["message"] and f"row {rb}" in p["message"] for p in problems)
    values = store.cells().query("indicator_id == @a.id and field == 'value'")
    assert len(values) == 2 and set(values["status"]) == {"error"}
    assert a.id not in set(store.actuals(PERIOD, CATALOGUE).dropna(subset=["actual"])[
        "indicator_id"])


def test_wrong_authority_and_period(template, tmp_path):
    """Collecting Q2 from authorities E2-E4 flags a Q1 return from E1 on both counts."""
    path, entries = _fill(template, tmp_path, {})
    store, report = _collect(tmp_path, path, expected_period="2024-25 Q2",
                             authorities=AUTHORITIES[1:])
    [period] = _codes(report, "wrong_period")
    [authority] = _codes(report, "wrong_authority")
    assert "collecting '2024-25 Q2'" in period["message"] and period["cell"] == "B5"
    assert "'E1' is not on the list" in authority["message"]
    assert store.cells().empty  # quarantined: kept, but not current
    assert store.submissions()["quarantine"].tolist() == ["wrong_authority, wrong_period"]
    _assert_intact(store, entries, version=1)


def test_edited_cover_is_flagged(template, tmp_path):
    """Changing the authority on the cover: wrong_authority; stored under the issued code."""
    path, entries = _fill(template, tmp_path, {})
    book = openpyxl.load_workbook(path)
    book[L.COVER_SHEET]["B4"] = "E9"
    book.save(path)
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "wrong_authority")
    assert "cover says 'E9'" in problem["message"] and problem["cell"] == "B4"
    assert store.submissions()["authority"].tolist() == ["E1"]


def test_template_from_another_catalogue_version(template, tmp_path):
    """A return made from a different catalogue: catalogue_version warning; ids still read."""
    from scorecard.catalogue import Catalogue

    path, entries = _fill(template, tmp_path, {})
    newer = Catalogue(list(CATALOGUE)[1:], source="newer")
    store, report = _collect(tmp_path, path, catalogue=newer)
    [problem] = _codes(report, "catalogue_version")
    assert "template made from catalogue" in problem["message"]
    dropped = list(CATALOGUE)[0].id
    assert [p["indicator_id"] for p in _codes(report, "unknown_indicator")] == [dropped]
    _assert_intact(store, entries)


def _saved_at(path, when):
    """Set the workbook's own modified time (docProps/core.xml) to `when`."""
    rewrite_member(path, "docProps/core.xml", lambda xml: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + when.encode() + rb"\g<2>", xml))


def test_duplicate_files_and_returns(template, tmp_path):
    """The same file twice is stored once (duplicate_file). Two different returns for one
    authority and period in one batch: both stored, the one saved later (docProps modified,
    not the file name order) is current, the other quarantined with a duplicate_return error
    naming both files."""
    older, entries = _fill(template, tmp_path, {}, "return_E1.xlsx")
    _saved_at(older, "2024-07-01T09:00:00Z")
    copy = tmp_path / "copy.xlsx"
    shutil.copy(older, copy)
    count = first(CATALOGUE, "count")
    newer, _ = _fill(template, tmp_path, {count.id: {"value": 555}}, "return_E1 (2).xlsx")
    _saved_at(newer, "2024-07-02T09:00:00Z")
    store, report = _collect(tmp_path, newer, older, copy)
    assert report.versions == {str(older): 1, str(copy): None, str(newer): 2}
    assert "identical to" in _codes(report, "duplicate_file")[0]["message"]
    [duplicate] = _codes(report, "duplicate_return")
    assert duplicate["severity"] == "error" and duplicate["file"] == str(older)
    assert str(newer) in duplicate["message"] and "saved last" in duplicate["message"]
    assert store.latest("E1", PERIOD)["file"] == str(newer)
    current = store.cells().set_index(["indicator_id", "field"])
    assert current.loc[(count.id, "value")].raw == "555"
    assert store.quarantined()["file"].tolist() == [str(older)]


def test_duplicate_returns_keep_the_one_already_current(template, tmp_path):
    """Two new returns for an authority that already has a current one, in one batch: the
    current one stays current and both new ones are stored quarantined."""
    count = first(CATALOGUE, "count")
    base, _ = _fill(template, tmp_path, {}, "base.xlsx")
    store, _ = _collect(tmp_path, base)
    one, _ = _fill(template, tmp_path, {count.id: {"value": 1}}, "one.xlsx")
    two, _ = _fill(template, tmp_path, {count.id: {"value": 2}}, "two.xlsx")
    report = collect([one, two], store, CATALOGUE)
    assert len(_codes(report, "duplicate_return")) == 2
    assert store.latest("E1", PERIOD)["file"] == str(base)
    assert sorted(store.quarantined()["file"]) == [str(one), str(two)]


def test_formula_in_input_cell(template, tmp_path):
    """A formula with a saved value: the value is used, the formula recorded, a warning given;
    a formula without a saved value is an error and kept."""
    a, b = first(CATALOGUE, "count"), first(CATALOGUE, "count", 1)
    path, entries = _fill(template, tmp_path, {a.id: {"value": "=5*2"}, b.id: {"value": "=1+1"}})
    sheet = _theme_sheet(openpyxl.load_workbook(path), a).title
    rewrite_member(path, sheet_part(path, sheet),
                   lambda xml: xml.replace(b"<f>5*2</f><v />", b"<f>5*2</f><v>10</v>"))
    store, report = _collect(tmp_path, path)
    [used] = _codes(report, "formula")
    assert "formula =5*2 in an input cell: its saved value 10 is used" in used["message"]
    [empty] = _codes(report, "formula_no_value")
    assert "=1+1 has no saved value" in empty["message"]
    cells = store.cells().set_index(["indicator_id", "field"])
    assert cells.loc[(a.id, "value")].number == 10 and cells.loc[(a.id, "value")].formula == "=5*2"
    assert cells.loc[(b.id, "value")].formula == "=1+1"
    _assert_intact(store, entries, skip={(a.id, "value"), (b.id, "value")})


def test_value_disagreeing_with_numerator_and_denominator(template, tmp_path):
    """Value 60 with numerator 1 of 2: value_mismatch warning; the typed value is kept."""
    pct = first(CATALOGUE, "percentage")
    path, entries = _fill(template, tmp_path, {pct.id: {"numerator": 1, "denominator": 2,
                                                        "value": 60}})
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "value_mismatch")
    assert "value 60 but numerator/denominator give 50" in problem["message"]
    _assert_intact(store, entries)


def test_error_report_lists_every_problem(template, tmp_path):
    """The CSV and xlsx error reports hold every problem with file, sheet, cell, indicator."""
    count = first(CATALOGUE, "count")
    path, _ = _fill(template, tmp_path, {count.id: {"value": "lots"}})
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    store, report = _collect(tmp_path, path, bad)
    csv_path, xlsx_path = write_error_report(report.problems, tmp_path / "report")
    with csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(report.problems) >= 2
    assert {"file", "sheet", "cell", "indicator_id", "field", "message"} <= set(rows[0])
    assert any(r["code"] == "text_in_number" and r["indicator_id"] == count.id and r["cell"]
               for r in rows)
    sheet = openpyxl.load_workbook(xlsx_path)["Problems"]
    assert sheet.max_row == len(rows) + 1
    assert len(store.problems()) == len(report.problems)


def test_error_values_are_reported(template, tmp_path):
    """#N/A typed in a value cell and a formula whose saved result is #DIV/0! (sheet XML
    edited): a spreadsheet_error each, with the error text kept as raw."""
    a, b = first(CATALOGUE, "count"), first(CATALOGUE, "count", 1)
    path, entries = _fill(template, tmp_path, {a.id: {"value": 4242}, b.id: {"value": 4343}})
    sheet = _theme_sheet(openpyxl.load_workbook(path), a).title

    def change(xml):
        xml = re.sub(rb'<c r="(H\d+)"([^>]*?)( t="n")?><v>4242</v></c>',
                     rb'<c r="\1"\2 t="e"><v>#N/A</v></c>', xml)
        return re.sub(rb'<c r="(H\d+)"([^>]*?)( t="n")?><v>4343</v></c>',
                      rb'<c r="\1"\2 t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml)

    rewrite_member(path, sheet_part(path, sheet), change)
    result = read_return(path, CATALOGUE)
    errors = {p["indicator_id"]: p for p in result.problems if p["code"] == "spreadsheet_error"}
    assert errors[a.id]["raw"] == "#N/A" and errors[a.id]["cell"].startswith("H")
    assert errors[b.id]["raw"] == "#DIV/0!" and "formula =1/0" in errors[b.id]["message"]
    assert not [p for p in result.problems if p["code"] == "formula_no_value"]
    cells = {(c["indicator_id"], c["field"]): c for c in result.submission.cells}
    assert cells[(a.id, "value")]["raw"] == "#N/A"
    assert cells[(a.id, "value")]["status"] == "error"
    assert cells[(b.id, "value")]["formula"] == "=1/0"


def test_renamed_theme_sheet_is_read_by_its_ids(template, tmp_path):
    """A theme sheet renamed: its rows are found by the hidden ids and read (renamed_sheet
    warning), no missing_sheet or deleted_row; every value is in the store."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, count) as (sheet, _):
        old_name, sheet.title = sheet.title, "My figures"
    store, report = _collect(tmp_path, path)
    [renamed] = _codes(report, "renamed_sheet")
    assert renamed["sheet"] == "My figures" and repr(old_name) in renamed["message"]
    assert not _codes(report, "missing_sheet") and not _codes(report, "deleted_row")
    assert not _codes(report, "moved_row")
    _assert_intact(store, entries)


def test_extra_sheet_cells_are_kept_as_raw_text(template, tmp_path):
    """A sheet added to the return: extra_sheet warning, and what was typed on it is stored
    as raw text (field 'extra'), not used."""
    path, entries = _fill(template, tmp_path, {})
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("Notes")
    notes["A1"], notes["B7"] = "our workings", 12.5
    book.save(path)
    store, report = _collect(tmp_path, path)
    [extra] = _codes(report, "extra_sheet")
    assert extra["sheet"] == "Notes" and "kept as raw text" in extra["message"]
    kept = store.cells().query("sheet == 'Notes'").set_index("cell")
    assert kept.loc["A1"].raw == "our workings" and kept.loc["B7"].raw == "12.5"
    assert set(kept["field"]) == {"extra"}
    assert (store.actuals(PERIOD, CATALOGUE)["indicator_id"] != "").all()
    _assert_intact(store, entries)


def test_cells_outside_the_input_cells_are_reported(template, tmp_path):
    """A note typed in L (beside an indicator row) and a number in H2 (the note row): an
    extra_cell warning each naming sheet and cell, raw text stored, not used."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {})
    with _editing(path, count) as (sheet, rows):
        row = rows[count.id]
        sheet.cell(row, L.ID_COLUMN + 2).value = "see note"
        sheet["H2"] = 5
    store, report = _collect(tmp_path, path)
    found = {p["cell"]: p for p in _codes(report, "extra_cell")}
    assert set(found) == {f"L{row}", "H2"}
    assert found[f"L{row}"]["indicator_id"] == count.id and found["H2"]["raw"] == "5"
    assert found["H2"]["sheet"] == sheet.title and found["H2"]["severity"] == "warning"
    kept = store.cells().query("field == 'extra'").set_index("cell")
    assert kept.loc[f"L{row}"].raw == "see note" and kept.loc["H2"].raw == "5"
    _assert_intact(store, entries)


def test_percent_format_on_a_count_is_not_rescaled(template, tmp_path):
    """1234 in a count cell formatted 0%: the number stored (1234) is used, not 123400, with
    a percent_format_unscaled warning saying what was shown."""
    count = first(CATALOGUE, "count")
    path, entries = _fill(template, tmp_path, {count.id: {"value": 1234}})
    with _editing(path, count) as (sheet, rows):
        sheet.cell(rows[count.id], L.COLUMN_INDEX["value"] + 1).number_format = "0%"
    store, report = _collect(tmp_path, path)
    [problem] = _codes(report, "percent_format_unscaled")
    assert "shows 123400%" in problem["message"] and problem["raw"] == "1234"
    assert not _codes(report, "percent_format")
    record = store.cells().set_index(["indicator_id", "field"]).loc[(count.id, "value")]
    assert record.number == 1234 and record.raw == "1234" and record.status == "warning"
    _assert_intact(store, entries)


def test_flagged_figure_keeps_its_number(template, tmp_path):
    """'12.3 [u]' in a rate cell: stored with number 12.3 and missing code [u] (info); the
    actual stays flagged (no number used), as the core treats it."""
    rate = first(CATALOGUE, "rate per 10,000")
    path, entries = _fill(template, tmp_path, {rate.id: {"value": "12.3 [u]"}})
    store, report = _collect(tmp_path, path)
    [problem] = [p for p in _codes(report, "shorthand") if p["indicator_id"] == rate.id]
    assert "12.3 flagged [u]" in problem["message"]
    record = store.cells().set_index(["indicator_id", "field"]).loc[(rate.id, "value")]
    assert record.number == 12.3 and record.missing_code == "[u]" and record.status == "info"
    assert record.raw == "12.3 [u]"
    actual = store.actuals(PERIOD, CATALOGUE).set_index("indicator_id").loc[rate.id]
    assert actual.missing_code == "[u]" and (actual.actual is None or math.isnan(actual.actual))
    _assert_intact(store, entries)


def test_csv_report_guards_tab_and_carriage_return(tmp_path):
    """Text starting with a tab or carriage return (which spreadsheets strip before reading a
    formula) is prefixed with ' in the CSV, like = + - @; the xlsx keeps it exactly."""
    problems = [{"file": "f.xlsx", "sheet": "S", "cell": "H4", "indicator_id": "i",
                 "field": "value", "code": "text_in_number", "severity": "error",
                 "message": "m", "raw": raw} for raw in ("\t=1+1", "\r=cmd", "-5", "=x")]
    csv_path, _ = write_error_report(problems, tmp_path / "report")
    with csv_path.open(newline="") as handle:
        raws = sorted(row["raw"] for row in csv.DictReader(handle))
    assert raws == sorted(["'\t=1+1", "'\r=cmd", "-5", "'=x"])


def test_problem_codes_table_in_the_docs_matches_the_code():
    """docs/collection.md's problem-code table says what PROBLEM_CODES says, code by code
    (severity and meaning), so neither drifts from the other."""
    from pathlib import Path

    from generator.collection.problems import PROBLEM_CODES

    text = (Path(__file__).parents[1] / "docs" / "collection.md").read_text(encoding="utf-8")
    table = {m.group(1): (m.group(2), m.group(3))
             for m in re.finditer(r"^\| `(\w+)` \| (\w+) \| (.*) \|$", text, re.M)}
    assert table == PROBLEM_CODES

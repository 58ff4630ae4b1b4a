"""Returns damaged the way people and broken tools damage them (issue 13): nothing typed is
lost or silently changed. Each test is one class of damage that lost or changed data before;
after it, every cell typed is in the store (its raw text whole) or named in the report by
file, sheet and cell, and every other cell of the return is still read."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest
from collect_strategies import (
    filled,
    first,
    make_template,
    rewrite_member,
    set_cell_xml,
    sheet_part,
    small_catalogue,
    typical_entries,
)

from generator.collection import layout as L
from generator.collection.collect import collect
from generator.collection.store import Store
from scorecard.catalogue import Catalogue

BASE = small_catalogue()
GAP = dataclasses.replace(first(BASE, "score"), id="test-gap", name="A test gap",
                          unit="percentage points")
CATALOGUE = Catalogue([*BASE, GAP], source="test")
PYTHON_WORDS = re.compile(r"Error\b|invalid literal|Traceback|NoneType|base 10|\bint\(\)")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("damaged"), CATALOGUE)


def _return(template, tmp_path, changes=None, name="return.xlsx"):
    entries = typical_entries(CATALOGUE)
    entries.update(changes or {})
    return filled(template, tmp_path / name, entries), entries


def _collect(tmp_path, path):
    store = Store(tmp_path / "store.sqlite")
    report = collect([path], store, CATALOGUE)
    return store, report


def _where(path, indicator, field="value"):
    """(sheet, A1) of an indicator's input cell in a filled return."""
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in range(L.FIRST_DATA_ROW + 1, sheet.max_row + 1):
            if sheet.cell(row, L.ID_COLUMN + 1).value == indicator.id:
                return sheet.title, L.cell_name(row - 1, L.COLUMN_INDEX[field])
    raise KeyError(indicator.id)


def _stored(store, sheet, cell):
    cells = store.cells(version=1)
    return cells[(cells["sheet"] == sheet) & (cells["cell"] == cell)]


def _named(report, sheet, cell, code=None):
    return [p for p in report.problems if p["sheet"] == sheet and p["cell"] == cell
            and (code is None or p["code"] == code)]


def _everything_else_read(store, entries, skip=()):
    """Every typed entry not in `skip` is stored with its raw text (the workbook was read)."""
    got = {(r.indicator_id, r.field): r.raw for r in store.cells(version=1).itertuples()}
    for indicator_id, fields in entries.items():
        for field, value in fields.items():
            if (indicator_id, field) not in skip:
                assert got[(indicator_id, field)] == L.raw_text(value), (indicator_id, field)


@pytest.mark.parametrize("saved", ["NaN", "INF", "-inf", "1e999", "nan", "Infinity"])
@pytest.mark.parametrize("field", ["value", "target"])
def test_non_finite_number_is_never_stored_as_a_number(template, tmp_path, saved, field):
    """<v>NaN</v> (INF, -inf, 1e999) saved as a number in a value or target cell: not a number
    in the store (no inf, no nan), its text kept, a damaged_cell error naming the cell."""
    count = first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path, {count.id: {"value": 5, "target": 6}})
    sheet, ref = _where(path, count, field)
    set_cell_xml(path, sheet, ref, f'<c r="{ref}" t="n"><v>{saved}</v></c>'.encode())
    store, report = _collect(tmp_path, path)
    [row] = _stored(store, sheet, ref).itertuples()
    assert row.raw == saved and row.status == "error"
    assert row.number is None or row.number != row.number  # NULL in the store, read as NaN
    numbers = store.cells(version=1)["number"].dropna()
    assert numbers.map(lambda n: abs(n) != float("inf")).all()
    [problem] = _named(report, sheet, ref)
    assert problem["code"] == "damaged_cell" and saved in problem["message"]
    _everything_else_read(store, entries, skip={(count.id, field)})


def test_formula_without_saved_value_is_kept_wherever_it_is(template, tmp_path):
    """=1+1 with no saved value in an input cell, beside the rows (L) and on the cover:
    each is stored with its formula and named in the report."""
    count = first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path)
    sheet, ref = _where(path, count)
    row = ref[1:]
    set_cell_xml(path, sheet, ref, f'<c r="{ref}"><f>1+1</f></c>'.encode())
    set_cell_xml(path, sheet, f"L{row}", f'<c r="L{row}"><f>2+2</f></c>'.encode())
    set_cell_xml(path, "Cover", "D3", b'<c r="D3"><f>3+3</f></c>')
    store, report = _collect(tmp_path, path)
    for sheet_name, cell, formula, code in ((sheet, ref, "=1+1", "formula_no_value"),
                                            (sheet, f"L{row}", "=2+2", "extra_cell"),
                                            ("Cover", "D3", "=3+3", "extra_cell")):
        [stored] = _stored(store, sheet_name, cell).itertuples()
        assert stored.formula == formula and stored.raw == formula
        assert _named(report, sheet_name, cell, code)
    _everything_else_read(store, entries, skip={(count.id, "value")})


def test_values_typed_into_an_inserted_row_are_kept(template, tmp_path):
    """A row inserted and filled across (code, name, unit, value, target, commentary, and a
    note beyond the table): the row is flagged, and every cell typed in it is stored."""
    count = first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = next(s for s in book.worksheets
                 if count.id in [s.cell(r, L.ID_COLUMN + 1).value for r in range(4, 40)])
    row = next(r for r in range(4, 40) if sheet.cell(r, L.ID_COLUMN + 1).value == count.id)
    sheet.insert_rows(row)
    typed = {"A": "MY-1", "B": "Our own measure", "D": "count", "E": "Snapshot", "H": 99,
             "I": 100, "J": "we added this", "M": "see the minutes"}
    for column, value in typed.items():
        sheet[f"{column}{row}"] = value
    book.save(path)
    store, report = _collect(tmp_path, path)
    assert [p for p in report.problems if p["code"] == "inserted_row"]
    for column, value in typed.items():
        [stored] = _stored(store, sheet.title, f"{column}{row}").itertuples()
        assert stored.raw == L.raw_text(value), column
    _everything_else_read(store, entries)


@pytest.mark.parametrize("length", [500, 2_001, 32_767, 40_000])
def test_long_text_is_kept_whole(template, tmp_path, length):
    """Text of 500, 2,001, 32,767 and 40,000 characters (more than Excel holds: written in
    the sheet XML) in a commentary cell, a text value, a cell beside the table and on the
    cover: stored whole, and "kept in full" only when it is (text_too_long over the
    template's 2,000)."""
    count, text_indicator = first(CATALOGUE, "count"), first(CATALOGUE, "text")
    words = ("Referrals rose after the school term; " * 1100)[:length]
    path, entries = _return(template, tmp_path, {count.id: {"value": 3},
                                                 text_indicator.id: {"value": "x"}})
    places = [_where(path, count, "commentary"), _where(path, text_indicator)]
    places += [(places[0][0], f"L{places[0][1][1:]}"), ("Cover", "C30")]
    for sheet, ref in places:
        set_cell_xml(path, sheet, ref,
                     f'<c r="{ref}" t="inlineStr"><is><t>{words}</t></is></c>'.encode())
    store, report = _collect(tmp_path, path)
    for sheet, ref in places:
        [stored] = _stored(store, sheet, ref).itertuples()
        assert stored.raw == words, (sheet, ref)
    too_long = [p for p in report.problems if p["code"] == "text_too_long"]
    assert len(too_long) == (2 if length > L.MAX_TEXT else 0)
    assert all(f"{length:,} characters" in p["message"] and "kept in full" in p["message"]
               for p in too_long)
    _everything_else_read(store, entries, skip={(text_indicator.id, "value")})


def test_cells_typed_on_the_cover_are_stored_and_reported(template, tmp_path):
    """Numbers, text, TRUE and a formula typed on the cover, and an instruction typed over:
    each is stored as raw text and named in the report (extra_cell, template_text)."""
    path, entries = _return(template, tmp_path)
    book = openpyxl.load_workbook(path)
    cover = book["Cover"]
    cover["C4"], cover["B2"], cover["A40"], cover["E9"] = 12.5, "our note", True, "=B4"
    cover["B11"] = "we read this"
    book.save(path)
    store, report = _collect(tmp_path, path)
    expected = {"C4": ("12.5", "extra_cell"), "B2": ("our note", "extra_cell"),
                "A40": ("TRUE", "extra_cell"), "E9": ("=B4", "extra_cell"),
                "B11": ("we read this", "template_text")}
    for cell, (raw, code) in expected.items():
        [stored] = _stored(store, "Cover", cell).itertuples()
        assert stored.raw == raw and stored.field == "extra"
        assert _named(report, "Cover", cell, code), cell
    assert not _named(report, "Cover", "A4")  # the cover's own text is not reported
    _everything_else_read(store, entries)


@pytest.mark.parametrize("typed,number", [("1,234", 1234), ("12,345.5", 12345.5),
                                          (" 42", 42), ("7.50", 7.5)])
def test_number_typed_as_text_is_noted_as_converted(template, tmp_path, typed, number):
    """'1,234' typed as text in a number cell: read as 1234, the text kept as raw and a
    number_as_text note naming the cell (the reading is no longer silent)."""
    days = first(CATALOGUE, "days")
    path, entries = _return(template, tmp_path, {days.id: {"value": typed}})
    sheet, ref = _where(path, days)
    store, report = _collect(tmp_path, path)
    [stored] = _stored(store, sheet, ref).itertuples()
    assert stored.number == number and stored.raw == typed
    [note] = _named(report, sheet, ref, "number_as_text")
    assert note["severity"] == "info" and repr(typed) in note["message"]


DAMAGE = {
    "a number cell holding NaN": '<c r="{ref}" t="n"><v>NaN</v></c>',
    "a style index that is not a number": '<c r="{ref}" s="NaN"><v>4</v></c>',
    "a style index out of range": '<c r="{ref}" s="9999"><v>4</v></c>',
    "an unknown cell type": '<c r="{ref}" t="zz"><v>4</v></c>',
    "a shared-text index out of range": '<c r="{ref}" t="s"><v>99999</v></c>',
    "a shared-text index that is not a number": '<c r="{ref}" t="s"><v>x</v></c>',
    "TRUE/FALSE holding 2": '<c r="{ref}" t="b"><v>2</v></c>',
    "a date that is not one": '<c r="{ref}" t="d"><v>soon</v></c>',
    "a damaged reference": '<c r="{bad}"><v>4</v></c>',
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_one_damaged_cell_costs_that_cell_not_the_workbook(template, tmp_path, damage):
    """One malformed cell attribute or value: the return is read (not refused), the cell is
    stored with the text saved in the file, named with a message in the officer's words (no
    Python) unless only its format was lost, and every other cell is read."""
    count = first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path, {count.id: {"value": 4}})
    sheet, ref = _where(path, count)
    bad = ref[::-1]  # 'H7' -> '7H'
    set_cell_xml(path, sheet, ref, DAMAGE[damage].format(ref=ref, bad=bad).encode())
    store, report = _collect(tmp_path, path)
    assert report.versions[str(path)] == 1, report.problems
    assert not [p for p in report.problems if PYTHON_WORDS.search(p["message"])]
    stored, named = _stored(store, sheet, ref), _named(report, sheet, ref)
    assert len(stored) == 1
    saved = re.search(r"<v>(.*)</v>", DAMAGE[damage]).group(1)
    assert stored.iloc[0].raw == saved  # as saved in the file, not as a reader recast it
    if not named:  # a damaged style costs the cell its format only: the value is read
        assert stored.iloc[0].number == 4 and stored.iloc[0].status == "ok"
    _everything_else_read(store, entries, skip={(count.id, "value")})


def _single_quoted(xml: bytes) -> bytes:
    return re.sub(rb'(\w+)="([^"]*)"', rb"\1='\2'", xml)


def test_single_quoted_attributes_are_read(template, tmp_path):
    """Every attribute of a sheet written with single quotes (valid XML): a #DIV/0! cell is
    a spreadsheet_error, a per-cent formatted percentage is read as shown (86.5, not
    0.865), and every value is read as with double quotes."""
    pct, count = first(CATALOGUE, "percentage"), first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path, {pct.id: {"value": 0.865},
                                                 count.id: {"value": 4242}})
    book = openpyxl.load_workbook(path)
    sheet_of = {}
    for indicator in (pct, count):
        sheet_of[indicator.id] = _where(path, indicator)
    name, ref = sheet_of[pct.id]
    book[name][ref].number_format = "0.0%"
    book.save(path)
    count_sheet, count_ref = sheet_of[count.id]
    set_cell_xml(path, count_sheet, count_ref,
                 f'<c r="{count_ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'.encode())
    for sheet in {name, count_sheet}:
        rewrite_member(path, sheet_part(path, sheet), _single_quoted)
    store, report = _collect(tmp_path, path)
    [error] = _named(report, count_sheet, count_ref, "spreadsheet_error")
    assert error["raw"] == "#DIV/0!"
    [shown] = _stored(store, name, ref).itertuples()
    assert shown.number == 86.5 and _named(report, name, ref, "percent_format")
    _everything_else_read(store, entries, skip={(pct.id, "value"), (count.id, "value")})


@pytest.mark.parametrize("typed", ["😀", "🙂 about 40", "2024-03-31", "31/03/2024"])
def test_emoji_or_date_in_a_number_cell_is_text_in_number(template, tmp_path, typed):
    """An emoji, or a date typed as text or as a date, in a number cell: text_in_number
    naming the cell (not code_changed or any other code), raw text kept."""
    import datetime as dt

    value = dt.date(2024, 3, 31) if typed == "2024-03-31" else typed
    count = first(CATALOGUE, "count")
    path, _ = _return(template, tmp_path, {count.id: {"value": value}})
    sheet, ref = _where(path, count)
    store, report = _collect(tmp_path, path)
    assert [p["code"] for p in _named(report, sheet, ref)] == ["text_in_number"]
    assert not [p for p in report.problems if p["code"] == "code_changed"]
    [stored] = _stored(store, sheet, ref).itertuples()
    assert stored.raw == L.raw_text(value)


@pytest.mark.parametrize("typed,percent", [(101, False), ("101", False), ("101%", False),
                                           (1.01, True), (-101, False)])
def test_beyond_100_percentage_points_is_out_of_range(template, tmp_path, typed, percent):
    """101 in a percentage-points cell (typed, as text, with a % sign, or 1.01 in a per-cent
    formatted cell, which shows 101%): out_of_range naming the cell, not text_in_number."""
    path, _ = _return(template, tmp_path, {GAP.id: {"value": typed}})
    sheet, ref = _where(path, GAP)
    if percent:
        book = openpyxl.load_workbook(path)
        book[sheet][ref].number_format = "0%"
        book.save(path)
    store, report = _collect(tmp_path, path)
    codes = [p["code"] for p in _named(report, sheet, ref)]
    assert "out_of_range" in codes and "text_in_number" not in codes
    [stored] = _stored(store, sheet, ref).itertuples()
    assert stored.status == "error" and abs(stored.number) == 101


def test_damaged_metadata_row_costs_that_row(template, tmp_path):
    """The hidden metadata's row number for one indicator damaged ('abc'): the return is
    read, the damaged metadata cell is reported, the indicator still read by its id."""
    count = first(CATALOGUE, "count")
    path, entries = _return(template, tmp_path)
    book = openpyxl.load_workbook(path)
    meta = book[L.META_SHEET]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 3).value == count.id)
    meta.cell(row, 2).value = "abc"
    book.save(path)
    store, report = _collect(tmp_path, path)
    assert report.versions[str(path)] == 1
    assert _named(report, L.META_SHEET, f"B{row}", "template_text")
    _everything_else_read(store, entries)


def test_sheet_saved_as_utf16_is_read(template, tmp_path):
    """A sheet part saved as UTF-16 with a byte-order mark (valid XML): read as usual."""
    text = first(CATALOGUE, "text")
    path, entries = _return(template, tmp_path, {text.id: {"value": "naïve café – ü"}})
    sheet, _ = _where(path, text)
    rewrite_member(path, sheet_part(path, sheet), lambda xml: (
        b"\xff\xfe" + xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16-le")))
    store, _ = _collect(tmp_path, path)
    _everything_else_read(store, entries)

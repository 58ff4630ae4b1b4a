"""The returns' cell reader (generator.collection.xlsx) checked against two independent
readers, python-calamine and openpyxl, on workbooks written by openpyxl and by XlsxWriter: on
every undamaged workbook all three give the same value for every cell. And its XML handling
(quotes, prefixes, CDATA, entities, escapes, far cells) directly."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.collection.xlsx import open_workbook, scan_sheet
from generator.collection.xmltext import tokens

FORMATS = ["General", "0.0", "0.0%", "0%", "dd/mm/yyyy", "yyyy-mm-dd hh:mm", "#,##0",
           '0.0 "days"', "[Red]0.00", "d mmm yyyy"]
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=30).filter(lambda s: s.strip() and "_x" not in s
                                    and not s.startswith(("=", "+", "-", "@")))
_values = st.one_of(
    st.integers(-10**9, 10**9),
    st.integers(-10**6, 10**6).map(lambda n: n / 1000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    _text, st.text(alphabet="ab \n&<>\"'", min_size=1, max_size=10).filter(str.strip),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)),
)
DATE_FORMATS = {"dd/mm/yyyy", "yyyy-mm-dd hh:mm", "d mmm yyyy"}


def _shows_a_date(pair) -> bool:
    """A number in a date format must be a date serial (0 to 9999-12-31): calamine panics
    on others (a Rust panic, not an error), which is one reason it no longer reads returns."""
    value, fmt = pair
    return (fmt not in DATE_FORMATS or isinstance(value, bool | str | dt.date)
            or 0 <= value < 2_958_465)


_cells = st.dictionaries(st.tuples(st.integers(0, 30), st.integers(0, 12)),
                         st.tuples(_values, st.sampled_from(FORMATS)).filter(_shows_a_date),
                         min_size=1, max_size=25)


def _by_openpyxl(cells) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for (r, c), (value, fmt) in cells.items():
        cell = sheet.cell(r + 1, c + 1, value)
        if not isinstance(value, dt.date):
            cell.number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _by_xlsxwriter(cells) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Sheet")
    formats = {f: book.add_format({"num_format": f}) for f in FORMATS}
    for (r, c), (value, fmt) in cells.items():
        if isinstance(value, bool):
            sheet.write_boolean(r, c, value, formats[fmt])
        elif isinstance(value, dt.date):
            date_format = formats["yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime)
                                  else "dd/mm/yyyy"]
            sheet.write_datetime(r, c, value, date_format)
        elif isinstance(value, str):
            sheet.write_string(r, c, value, formats[fmt])
        else:
            sheet.write_number(r, c, value, formats[fmt])
    book.close()
    return buffer.getvalue()


def _same(value):
    """One form for comparing readers: numbers as float, dates as datetimes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _ours(data: bytes) -> dict:
    book = open_workbook(data)
    [name] = book.sheets
    scan = scan_sheet(book.sheet_xml(name), book, max_rows=100, max_cols=26)
    assert not [c for c in scan.cells.values() if c.damaged]
    return {key: _same(cell.value) for key, cell in scan.cells.items()}


def _calamine(data: bytes) -> dict:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    return {(r, c): _same(v) for r, row in enumerate(rows) for c, v in enumerate(row)
            if v not in ("", None)}


def _openpyxl(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {(cell.row - 1, cell.column - 1): _same(cell.value)
            for row in book.active.iter_rows() for cell in row if cell.value is not None}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=_cells, writer=st.sampled_from([_by_openpyxl, _by_xlsxwriter]))
def test_reader_agrees_with_calamine_and_openpyxl(cells, writer):
    """Random numbers, text (any script, emoji, line breaks, & < >), TRUE/FALSE, dates and
    date-times, in general, per-cent, date and custom formats, written by openpyxl or
    XlsxWriter: our reader gives every cell the same value as calamine and openpyxl."""
    data = writer(cells)
    ours = _ours(data)
    assert ours == _calamine(data)
    assert ours == _openpyxl(data)


def _sheet(body: bytes, declaration: bytes = b'<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    xml = (declaration + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main"><sheetData>' + body + b"</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", b'<workbook xmlns:r="r"><sheets><sheet name="S" '
                         b'sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", b'<Relationships><Relationship '
                         b'Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    book = open_workbook(buffer.getvalue())
    return scan_sheet(book.sheet_xml("S"), book, max_rows=100, max_cols=26)


def test_xml_forms_are_read_as_an_xml_parser_reads_them():
    """Single quotes and spaces around '=', a namespace prefix, CDATA, entities and
    character references, a comment inside a cell, Excel's _x000D_ escape, and rich-text
    runs with a phonetic guide left out: each cell gives the value an XML parser gives."""
    scan = _sheet(
        b"<row r='1'><c r = 'A1' t = 'inlineStr'><is><t>a&amp;b &#233;&#x263A;</t></is></c>"
        b"<x:c xmlns:x='m' r='B1'><x:v>12.5</x:v></x:c>"
        b"<c r='C1' t='inlineStr'><is><t><![CDATA[<kept> &amp;]]></t></is></c>"
        b"<c r='D1'><!-- a note --><v>7</v></c>"
        b"<c r='E1' t='inlineStr'><is><t>line_x000D_end</t></is></c>"
        b"<c r='F1' t='inlineStr'><is><r><t>ri</t></r><r><t>ch</t></r><rPh><t>PH</t></rPh>"
        b"</is></c><c r='G1' t='inlineStr'><is><t>a\r\nb</t></is></c></row>")
    values = {cell.ref: cell.value for cell in scan.cells.values()}
    assert values == {"A1": "a&b \u00e9\u263a", "B1": 12.5, "C1": "<kept> &amp;", "D1": 7.0,
                      "E1": "line\rend", "F1": "rich", "G1": "a\nb"}


def test_far_cells_are_counted_not_kept():
    """Cells beyond the bounds are counted and spanned, and only the first ones kept."""
    body = b"".join(b'<row r="%d"><c r="AZ%d"><v>1</v></c></row>' % (n, n) for n in range(1, 700))
    scan = _sheet(body)
    assert not scan.cells and scan.n_far == 699 and len(scan.far) == 500
    assert scan.far_box == (0, 51, 698, 51)


def test_tokens_take_linear_time_on_unclosed_markup():
    """Many unclosed CDATA sections, comments and tags end the part at the first one; the
    tokenizer does not search to the end once per opening (which would take hours)."""
    import time

    for opener in (b"<![CDATA[", b"<!--", b"<c r='A1'"):
        xml = b"<row>" + opener * 2_000_000
        start = time.perf_counter()
        list(tokens(xml))
        assert time.perf_counter() - start < 5

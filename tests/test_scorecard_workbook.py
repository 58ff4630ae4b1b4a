"""The scorecard workbook and its data loader, checked without a spreadsheet engine.

(tests/test_referee_scorecard.py recalculates the workbooks in LibreOffice.)
"""

from __future__ import annotations

import inspect
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from xlsxwriter.worksheet import Worksheet

from generator.cli import main
from generator.demo import SAMPLE, SAMPLE_RISKS, sample_data, seed004_data, seed004_lines
from generator.workbooks.book import _PREFIXED_FUNCTIONS, HEADER_ROW, ScorecardWorksheet
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """The multi-period sample with risks, built once and opened with openpyxl (formulas)."""
    path = build_scorecard(sample_data(), tmp_path_factory.mktemp("wb") / "sample.xlsx",
                           risks=load_risks(SAMPLE_RISKS))
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def published_book(tmp_path_factory):
    path = publish_scorecard(sample_data(), tmp_path_factory.mktemp("pub") / "published.xlsx",
                             risks=load_risks(SAMPLE_RISKS))
    return path, openpyxl.load_workbook(path)


def header(sheet) -> list:
    return [cell.value for cell in sheet[HEADER_ROW + 1]]


def test_sheets_in_reading_order(sample_book):
    """Cover, Contents, Summary, one sheet per theme, Measures, Definitions, Risks, Notes."""
    _, book = sample_book
    themes = sample_data().themes()
    assert book.sheetnames == ["Cover", "Contents", "Summary", *themes, "Measures",
                               "Definitions", "Risks", "Notes"]


def test_theme_sheet_columns_follow_004(sample_book):
    """Indicator, code, polarity, basis, five periods ending with the actual, target, status,
    direction, comparators and commentary, in one named Excel table."""
    _, book = sample_book
    sheet = book["Children's Social Care"]
    assert header(sheet)[:11] == ["Section", "Code", "Indicator", "Polarity", "Reporting basis",
                                  "2022-23 Q4", "2023-24 Q1", "2023-24 Q2", "2023-24 Q3",
                                  "Actual 2023-24 Q4", "Target 2023-24 Q4"]
    for name in ("Status", "Key", "Direction of travel", "Statistical Neighbours", "England",
                 "Commentary"):
        assert name in header(sheet)
    assert list(sheet.tables) == ["tbl_Children_s_Social_Care"]
    assert sheet.freeze_panes == "D5"


def test_status_and_direction_cells_are_formulas_with_python_cached_values(sample_book):
    """Status, key and direction cells hold formulas; the cached result is the Python answer."""
    path, book = sample_book
    data = sample_data()
    values = openpyxl.load_workbook(path, data_only=True)
    for theme in data.themes():
        sheet, cached = book[theme], values[theme]
        columns = header(sheet)
        for offset, measure in enumerate(data.by_theme(theme)):
            row = HEADER_ROW + 2 + offset
            for name, want in (("Status", data.status(measure).status.value),
                               ("Key", data.status(measure).symbol),
                               ("Direction of travel", data.direction(measure).value)):
                col = columns.index(name) + 1
                assert str(sheet.cell(row, col).value).startswith("=IF(")
                assert cached.cell(row, col).value == want


# Text that a spreadsheet would run as a formula if it were written with write(): kept here,
# in the tests, not in the examples a reader sees.
INJECTION = {"NS-CS01": "=Referral rate within range (this comment starts with = and must stay text)",
             "NS-CS02": "+ Re-referrals rose", "NS-CS03": "- dipped in Q3",
             "NS-CS04": "@Adoption panel now meets fortnightly"}


def test_text_from_data_is_never_a_formula(tmp_path):
    """Commentary (and a risk's controls) starting with =, +, - or @ is stored as a string
    cell, not a formula, in the live and the published workbook."""
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    latest = frame["period"] == "2023/24 Q4"
    for indicator_id, text in INJECTION.items():
        frame.loc[latest & (frame["indicator_id"] == indicator_id), "commentary"] = text
    risks = pd.read_csv(SAMPLE_RISKS, dtype=str, keep_default_na=False)
    risks.loc[0, "controls"] = "=Weekly data-quality report (starts with = and stays text)"
    data = load_scorecard_data(frame, "Northshire", "2023/24 Q4", load_catalogue())
    for path in (build_scorecard(data, tmp_path / "live.xlsx", risks=load_risks(risks)),
                 publish_scorecard(data, tmp_path / "published.xlsx", risks=load_risks(risks))):
        with zipfile.ZipFile(path) as archive:
            shared = archive.read("xl/sharedStrings.xml").decode()
        for text in [*INJECTION.values(), "=Weekly data-quality report"]:
            assert text.split(" (")[0] in shared, (path.name, text)
        book = openpyxl.load_workbook(path)
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                 if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
                 and cell.value.split(" (")[0] in {t.split(" (")[0] for t in INJECTION.values()}]
        assert len(cells) >= 4 and all(cell.data_type == "s" for cell in cells), path.name


def test_no_merged_cells_and_print_setup(sample_book):
    """No merged cells anywhere; theme sheets print A4 landscape, one page wide, header
    repeated, page x of y in the footer."""
    _, book = sample_book
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
    sheet = book["Early Help"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, so often left out
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$4"
    assert "Page &P of &N" in sheet.oddFooter.center.text


def test_number_formats_by_unit(sample_book):
    """Percentages show a % sign on the 0-100 scale, money in pounds, days as days."""
    _, book = sample_book
    formats = {}
    for theme in sample_data().themes():
        sheet = book[theme]
        actual_col = header(sheet).index("Actual 2023-24 Q4") + 1
        for row in range(HEADER_ROW + 2, sheet.max_row + 1):
            code = sheet.cell(row, 2).value
            if code:
                formats[code] = sheet.cell(row, actual_col).number_format
    assert formats["NS-EH01"] == '0.0"%"'
    assert formats["NS-FN01"].startswith("£#,##0")
    assert formats["NS-CS04"] == '#,##0" days"'
    assert formats["NS-ED01"] == "0.00"


def test_conditional_formats_keyed_on_status_text(sample_book):
    """Status colours come from rules on the status word, one per status."""
    _, book = sample_book
    rules = [rule.formula[0] for cf in book["Early Help"].conditional_formatting
             for rule in cf.rules]
    for status in ("GREEN", "AMBER", "RED", "NO STATUS"):
        assert any(f'="{status}"' in rule for rule in rules)


def test_sparklines_and_charts_present(sample_book):
    """Theme sheets carry sparklines; the Summary and each measure page carry a chart."""
    path, _ = sample_book
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        sheet_xml = archive.read("xl/worksheets/sheet4.xml").decode()
    assert "x14:sparkline" in sheet_xml
    charts = [name for name in names if name.startswith("xl/charts/chart")]
    assert len(charts) == 1 + len(sample_data().measures)


def test_risk_sheet_has_matrix_and_register(sample_book):
    """Risk sheet: 5x5 matrix of scores, and the register with score and level formulas."""
    _, book = sample_book
    sheet = book["Risks"]
    assert sheet.cell(HEADER_ROW + 2, 6).value == 25  # Highly likely x Critical
    register = [row for row in sheet.iter_rows(values_only=True) if row[0] == "R1"]
    assert register and str(register[0][3]).startswith("=IF(")


def test_published_version_is_values_only(published_book):
    """Cover, Contents, Notes first; one table per sheet; no formulas; no merged cells;
    missing values as GSS shorthand; statuses as words."""
    path, book = published_book
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges
        assert len(sheet.tables) == (0 if sheet.title == "Cover" else 1), sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
    values = [cell.value for row in book["Children's Social Care"].iter_rows() for cell in row]
    assert "[c]" in values and "GREEN" in values
    assert None not in [cell.value for row in book["Children's Social Care"].iter_rows(min_row=3)
                        for cell in row]


def test_formula_fast_path_gives_what_xlsxwriter_gives(monkeypatch, tmp_path):
    """ScorecardWorksheet overrides xlsxwriter's private _prepare_formula: for every formula a
    build writes, it returns what xlsxwriter's own method returns (and xlsxwriter still calls
    it, so the fast path is in use)."""
    fast = ScorecardWorksheet._prepare_formula
    seen = []

    def checked(self, formula, expand_future_functions=False):
        got = fast(self, formula, expand_future_functions)
        assert got == Worksheet._prepare_formula(self, formula, expand_future_functions), formula
        seen.append(formula)
        return got

    monkeypatch.setattr(ScorecardWorksheet, "_prepare_formula", checked)
    build_scorecard(sample_data(), tmp_path / "sample.xlsx", risks=load_risks(SAMPLE_RISKS))
    assert len(seen) > 100


def test_formula_fast_path_knows_every_name_xlsxwriter_prefixes():
    """Every function name xlsxwriter always rewrites with _xlfn. (read from its source) sends a
    formula down xlsxwriter's own path: a new xlsxwriter that prefixes more names fails here."""
    source = inspect.getsource(Worksheet._prepare_formula)
    always = source.split("if not self.use_future_functions")[0]
    names = re.findall(r'r"\\b?([A-Z][A-Z0-9.]*)\\\(', always)
    assert len(names) >= 29, names
    missing = [name for name in names if not _PREFIXED_FUNCTIONS.search(f"=IF(1,{name}(A1))")]
    assert not missing, missing


def test_bad_risk_register_names_the_field(tmp_path):
    """A risk impact that is not a number names the field (impact), not Python's float error."""
    frame = pd.DataFrame([{"risk_id": "R1", "risk": "A risk", "owner": "Me", "impact": "high",
                           "likelihood": "3"}])
    with pytest.raises(ScorecardError, match="row 1: impact 'high' must be a whole number 1-5"):
        load_risks(frame)


def test_seed004_printout_matches_published_symbols():
    """The demo printout gives 004's published symbol for all 22 measures that have one."""
    lines = seed004_lines(seed004_data())
    assert "22 of 22" in lines[-1]
    assert not any("differs" in line for line in lines)


@pytest.mark.parametrize("change, message", [
    ({"actual": "lots"}, "bad.csv, line 2, column actual"),
    ({"target": "TRUE"}, "bad.csv, line 2, column target"),
    ({"polarity": "sideways"}, "bad.csv, line 2, column polarity"),
    ({"indicator_id": ""}, "bad.csv, line 2, column indicator_id: blank"),
])
def test_bad_data_names_file_row_and_field(tmp_path, change, message):
    """A bad value stops the build with the file, line and column, never a silent drop."""
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(1)
    for column, value in change.items():
        frame.loc[0, column] = value
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ScorecardError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_scorecard_data(path, "Northshire", "2022/23 Q1")


def test_unknown_period_authority_and_indicator_are_errors():
    """Asking for a period or authority not in the data, or an unknown indicator with no
    description, is an error that says what is there."""
    with pytest.raises(ScorecardError, match="periods found"):
        load_scorecard_data(SAMPLE, "Northshire", "2030/31 Q1")
    with pytest.raises(ScorecardError, match="authorities in the data: Northshire, Westvale"):
        load_scorecard_data(SAMPLE, "Eastshire", "2023/24 Q4")
    frame = pd.DataFrame({"indicator_id": ["nope"], "period": ["Mar-24"], "actual": [1]})
    with pytest.raises(ScorecardError, match="not in the catalogue"):
        load_scorecard_data(frame, "A", "Mar-24")


def test_duplicate_rows_are_errors():
    """The same indicator and period twice is an error naming both rows."""
    frame = pd.DataFrame({"indicator_id": ["x", "x"], "period": ["Mar-24", "Mar-24"],
                          "actual": [1, 2], "name": ["X", "X"], "theme": ["T", "T"],
                          "polarity": ["Bigger is Better"] * 2})
    with pytest.raises(ScorecardError, match="appears twice"):
        load_scorecard_data(frame, "A", "Mar-24")


def test_cli_build_and_publish(tmp_path, capsys):
    """`scorecard build` writes the live workbook, and with --publish the release version."""
    live, published = tmp_path / "live.xlsx", tmp_path / "published.xlsx"
    common = ["--data", str(SAMPLE), "--authority", "Northshire", "--period", "2023/24 Q4",
              "--risks", str(SAMPLE_RISKS)]
    assert main(["build", *common, "--out", str(live)]) == 0
    assert main(["build", *common, "--publish", "--out", str(published)]) == 0
    assert live.exists() and published.exists()
    assert main(["build", *common[:4], "--period", "1999", "--out", str(live)]) == 2
    assert "periods found" in capsys.readouterr().err


def test_percentage_typed_as_a_fraction_stops_the_load_unless_allowed(tmp_path):
    """0.865 for a percentage measure stops the load, naming the row and column; allowed through,
    it is kept as 0.865 (the 0-100 rule) and flagged; '0.8%' (with its sign) is not a problem."""
    frame = pd.DataFrame([
        {"indicator_id": "re-referrals-12m-pct", "period": "2024-03", "actual": "0.865", "target": "21.5"},
        {"indicator_id": "cpp-2-years-plus-pct", "period": "2024-03", "actual": "0.8%", "target": "1.6"},
    ])
    with pytest.raises(ScorecardError, match=r"row 1, column actual: 0.865 for percentage measure "
                                             r"re-referrals-12m-pct looks like a fraction"):
        load_scorecard_data(frame, "A council", "2024-03", load_catalogue())
    data = load_scorecard_data(frame, "A council", "2024-03", load_catalogue(), allow_problems=True)
    assert {measure.value("Mar 2024") for measure in data.measures} == {0.865, 0.8}
    assert [p.indicator_id for p in data.problems] == ["re-referrals-12m-pct"]
    assert "looks like a fraction" in data.problems[0].message


def test_decimal_places_must_be_whole(tmp_path):
    """decimal_places of 2.7 is an error naming row and field, not silently 2."""
    frame = pd.DataFrame([{"indicator_id": "x-1", "period": "2024-03", "actual": "5", "name": "X",
                           "theme": "T", "polarity": "High", "unit": "count", "decimal_places": "2.7"}])
    with pytest.raises(ScorecardError, match="row 1.*decimal_places.*whole number"):
        load_scorecard_data(frame, "A council", "2024-03")


def test_cover_names_the_data_file_not_its_path(tmp_path):
    """The source shown on the cover is the file name: a local path does not leak into a publication."""
    path = tmp_path / "nested" / "my_data.csv"
    path.parent.mkdir()
    pd.DataFrame([{"indicator_id": "re-referrals-12m-pct", "period": "2024-03", "actual": "20",
                   "target": "21.5"}]).to_csv(path, index=False)
    assert load_scorecard_data(path, "A council", "2024-03", load_catalogue()).source == "my_data.csv"


# ----------------------------------------------------------- published version: audit fixes


def audit_frame() -> pd.DataFrame:
    """Two measures described in the data (not the catalogue): a percentage with a value that
    is a float artefact and halves to round, and a no-polarity count with no section, no
    reporting basis, no commentary and no target."""
    common = {"theme": "Audit", "tolerance_type": "relative", "tolerance": "5"}
    pct = {**common, "indicator_id": "AU-1", "name": "Share seen", "unit": "percentage",
           "decimal_places": "1", "polarity": "Bigger is Better", "section": "Seen",
           "reporting_basis": "Snapshot"}
    count = {**common, "indicator_id": "AU-2", "name": "Children open", "unit": "count",
             "decimal_places": "0", "polarity": "No polarity"}
    return pd.DataFrame([
        {**pct, "period": "2024-02", "actual": "2.25", "target": "70",
         "comparator_statistical_neighbours": "68.19999999999999", "commentary": "Up"},
        {**pct, "period": "2024-03", "actual": "-2.25", "target": "70",
         "comparator_statistical_neighbours": "68.19999999999999", "commentary": "Down"},
        {**count, "period": "2024-02", "actual": "10.5", "target": "",
         "comparator_statistical_neighbours": "", "commentary": ""},
        {**count, "period": "2024-03", "actual": "12", "target": "",
         "comparator_statistical_neighbours": "", "commentary": ""},
    ])


@pytest.fixture(scope="module")
def audit_books(tmp_path_factory):
    """The audit data built live and published; (live path, published workbook)."""
    data = load_scorecard_data(audit_frame(), "A council", "2024-03")
    folder = tmp_path_factory.mktemp("audit")
    live = build_scorecard(data, folder / "live.xlsx")
    published = publish_scorecard(data, folder / "published.xlsx")
    return live, openpyxl.load_workbook(published)


def published_rows(book, sheet_name: str) -> list[dict]:
    rows = list(book[sheet_name].iter_rows(min_row=3, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def column(row: dict, start: str):
    """The value of the one column whose header starts with `start` (headers carry notes)."""
    (key,) = [key for key in row if key.startswith(start)]
    return row[key]


def test_published_notes_fit_a_values_only_file(published_book):
    """The published Notes say the file holds values only and never that statuses are live
    formulas that follow a changed actual (they are not, in a values-only file)."""
    _, book = published_book
    text = " ".join(str(cell) for row in book["Notes"].iter_rows(values_only=True)
                    for cell in row if cell)
    assert "Live formulas" not in text
    assert "spreadsheet formulas" not in text and "change an actual" not in text
    assert "Values only" in text and "no formulas" in text


def test_published_text_fields_use_words_and_no_polarity_targets_are_z(audit_books):
    """Empty text fields (section, reporting basis, commentary) say so in words, never GSS
    shorthand (which marks missing figures); a no-polarity measure's blank target is [z]
    (not applicable), not [x]; a missing comparator figure is [x]."""
    _, book = audit_books
    rows = {row["Code"]: row for row in published_rows(book, "Audit")}
    count = rows["AU-2"]
    assert count["Section"] == "No section"
    assert column(count, "Reporting basis") == "Not stated"
    assert column(count, "Commentary") == "No commentary"
    assert count["Target Mar 2024"] == "[z]"
    assert column(count, "Statistical Neighbours") == "[x]"
    for row in rows.values():
        for key in ("Section", "Reporting basis", "Commentary"):
            assert column(row, key) not in ("[x]", "[z]", "", None)
    definitions = [value for row in published_rows(book, "Definitions") for value in row.values()]
    assert "[x]" not in definitions and "Not stated" in definitions
    notes = " ".join(str(c) for r in book["Notes"].iter_rows(values_only=True) for c in r if c)
    assert "No commentary" in notes and "Text columns" in notes


def test_round_half_away_matches_excel_round():
    """Rounding is Excel's ROUND (halves away from zero, on the decimal shown), not Python's
    round() (halves to even, on the binary value)."""
    from generator.workbooks.publish import round_half_away

    assert round_half_away(2.25, 1) == 2.3 and round(2.25, 1) == 2.2
    assert round_half_away(-2.25, 1) == -2.3
    assert round_half_away(2.675, 2) == 2.68 and round(2.675, 2) == 2.67
    assert round_half_away(68.19999999999999, 1) == 68.2
    assert round_half_away(10.5, 0) == 11.0 and round_half_away(0.5, 0) == 1.0


def test_round_half_away_rounds_the_15_digits_a_spreadsheet_shows():
    """A float artefact just below a half (1.015 * 110 = 111.64999999999999, shown as 111.65)
    rounds as Excel and LibreOffice round it (111.7), not as its 17-digit repr would (111.6)."""
    from generator.workbooks.publish import round_half_away

    assert 1.015 * 110 == 111.64999999999999
    assert round_half_away(1.015 * 110, 1) == 111.7


def test_published_figures_are_rounded_and_in_the_unit_format(audit_books):
    """Published values, targets and comparators are rounded to the measure's decimal places
    and carry the unit's number format (not General); the live file keeps the values as given."""
    live, book = audit_books
    sheet = book["Audit"]
    header_row = [cell.value for cell in sheet[3]]
    cells = {sheet.cell(row, 2).value: {h: sheet.cell(row, c + 1)
                                        for c, h in enumerate(header_row)}
             for row in range(4, sheet.max_row + 1)}
    pct, count = cells["AU-1"], cells["AU-2"]
    neighbours = next(h for h in header_row if h.startswith("Statistical Neighbours"))
    assert pct["Feb 2024"].value == 2.3 and pct["Actual Mar 2024"].value == -2.3
    assert pct[neighbours].value == 68.2
    for cell in (pct["Feb 2024"], pct["Actual Mar 2024"], pct["Target Mar 2024"], pct[neighbours]):
        assert cell.number_format == '0.0"%"', cell.coordinate
    assert count["Feb 2024"].value == 11 and count["Feb 2024"].number_format == "#,##0"
    live_sheet = openpyxl.load_workbook(live)["Audit"]
    live_values = [c.value for row in live_sheet.iter_rows() for c in row]
    assert 2.25 in live_values and -2.25 in live_values and 68.19999999999999 in live_values


def test_live_comparators_carry_the_unit_format(audit_books):
    """Live comparator cells use the unit's number format, like the actuals (a guard: this
    was already so when the published version was fixed)."""
    live, _ = audit_books
    sheet = openpyxl.load_workbook(live)["Audit"]
    columns = header(sheet)
    col = columns.index("Statistical Neighbours") + 1
    assert sheet.cell(HEADER_ROW + 2, col).number_format == '0.0"%"'


def test_published_headers_link_columns_to_their_notes(audit_books):
    """Column headers explained by a note carry its marker, and the marker's number is the
    note about that column (status, direction, polarity, reporting basis, comparator,
    commentary)."""
    _, book = audit_books
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(min_row=4, values_only=True)}
    header_row = [cell.value for cell in book["Audit"][3]]
    wanted = {"Polarity": "Polarity", "Reporting basis": "Reporting basis",
              "Status symbol": "Status", "Direction of travel": "Direction of travel",
              "Statistical Neighbours": "Comparators", "Commentary": "Text columns"}
    for start, term in wanted.items():
        (text,) = [h for h in header_row if h.startswith(start + " [")]
        number = text.rsplit("[note ", 1)[1].rstrip("]")
        assert notes[f"Note {number}"] == term, text
    summary = [cell.value for cell in book["Summary"][3]]
    assert all("[note " in h for h in summary[1:-1])


def test_store_scorecard_source_names_the_store_file_not_its_path(tmp_path):
    """A scorecard built from the collection store gives the store's file name as its source
    (cover and notes), not the local path it was built from."""
    from collect_strategies import AUTHORITIES, PERIOD, make_template, small_catalogue, typical_entries

    from generator.collection.collect import collect
    from generator.collection.store import Store
    from generator.collection.templates import fill_template
    from generator.workbooks.data_store import load_store_data

    catalogue = small_catalogue()
    folder = tmp_path / "deep" / "private"
    folder.mkdir(parents=True)
    with Store(folder / "region.sqlite") as store:
        store.add_authorities(AUTHORITIES)
        template = make_template(folder, catalogue, AUTHORITIES[0])
        collect([fill_template(template, folder / "r.xlsx", typical_entries(catalogue))], store,
                catalogue)
    data = load_store_data(folder / "region.sqlite", AUTHORITIES[0].code, PERIOD, catalogue)
    assert data.source.startswith("Collection store region.sqlite: ")
    assert str(tmp_path) not in data.source
    book = openpyxl.load_workbook(publish_scorecard(data, tmp_path / "p.xlsx"))
    text = [c for sheet in ("Cover", "Notes") for row in book[sheet].iter_rows(values_only=True)
            for c in row if c]
    assert not any(str(tmp_path) in str(c) for c in text)


def test_themes_differing_only_in_punctuation_get_their_own_tables(tmp_path):
    """Two themes whose sheet names differ only in punctuation ('Early Help', 'Early-Help') make
    the same table name; the live and published workbooks still build, each theme with its own table."""
    frame = pd.read_csv(SAMPLE)
    first = frame["indicator_id"] == frame["indicator_id"].iloc[0]
    frame.loc[first, "theme"] = frame.loc[first, "theme"].str.replace(" ", "-")
    source = tmp_path / "punctuated.csv"
    frame.to_csv(source, index=False)
    data = load_scorecard_data(source, "Northshire", sample_data().period, load_catalogue())
    for build in (build_scorecard, publish_scorecard):
        path = build(data, tmp_path / f"{build.__name__}.xlsx")
        book = openpyxl.load_workbook(path)
        names = [name.lower() for sheet in book.worksheets for name in sheet.tables]
        assert len(names) == len(set(names))
        themes = [sheet for sheet in book.sheetnames if sheet.startswith("Early")]
        assert len(themes) == 2 and all(book[sheet].tables for sheet in themes)

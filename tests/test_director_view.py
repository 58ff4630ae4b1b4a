"""What a Director sees (issue 10, section 4), checked in the files without a spreadsheet
engine: believable example data, officers' overrides of a status, the Summary's counts, the
Section column of store-built scorecards, the measure pages' charts, the sparklines' XML and
the published notes. (tests/test_print_layout.py checks the printed pages; the LibreOffice
referee, tests/test_referee_scorecard.py, recalculates the override formulas.)
"""

from __future__ import annotations

import csv
import dataclasses
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from collect_strategies import AUTHORITIES, PERIOD, make_template

from generator.collection.collect import collect
from generator.collection.store import Store
from generator.collection.templates import fill_template, select_indicators
from generator.demo import SAMPLE, SAMPLE_RISKS, sample_data, seed004_data
from generator.demo_returns import (
    COLLECTION_AUTHORITIES,
    COLLECTION_DATASET,
    COLLECTION_NOT_RETURNING,
    COLLECTION_PERIODS,
    example_entries,
)
from generator.workbooks.book import HEADER_ROW
from generator.workbooks.data import BASIS_DIFFERS, indicator_section
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.direction import direction
from scorecard.errors import ScorecardError

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def sample_books(tmp_path_factory):
    """The sample (two statuses overridden) built live and published:
    (live path, live workbook with cached values, published workbook)."""
    folder = tmp_path_factory.mktemp("director")
    data, risks = sample_data(), load_risks(SAMPLE_RISKS)
    live = build_scorecard(data, folder / "live.xlsx", risks=risks)
    published = publish_scorecard(data, folder / "published.xlsx", risks=risks)
    return (live, openpyxl.load_workbook(live, data_only=True),
            openpyxl.load_workbook(published))


def theme_rows(sheet, header_row: int = HEADER_ROW + 1) -> dict[str, dict]:
    """A theme table's rows by code: header -> value."""
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    return {row[rows[0].index("Code")]: dict(zip(rows[0], row, strict=True))
            for row in rows[1:] if row[rows[0].index("Code")]}


def column(row: dict, start: str):
    """The value of the one column whose header starts with `start` (headers carry notes)."""
    (key,) = [key for key in row if key and key.startswith(start)]
    return row[key]


# ------------------------------------------------------------------ believable example data

RISE = re.compile(r"\b(rose|risen|increased|up from)\b", re.IGNORECASE)
FALL = re.compile(r"\b(fell|fallen|decreased|down from)\b", re.IGNORECASE)
BETTER = re.compile(r"\bimprov", re.IGNORECASE)
WORSE = re.compile(r"\b(worsened|declin)", re.IGNORECASE)
SAME = re.compile(r"\bunchanged\b", re.IGNORECASE)


def disagreement(text: str, now, before, travel: str) -> str:
    """Why `text` contradicts the figures ('' when it does not)."""
    moved = (isinstance(now, float) and isinstance(before, float))
    checks = [
        (RISE, moved and now > before, "says the value rose"),
        (FALL, moved and now < before, "says the value fell"),
        (SAME, moved and now == before, "says the value is unchanged"),
        (BETTER, travel == "Improving", "says performance improved"),
        (WORSE, travel == "Declining", "says performance declined"),
    ]
    for pattern, holds, claim in checks:
        if pattern.search(text) and not holds:
            return f"{claim}, but it went from {before!r} to {now!r} ({travel}): {text!r}"
    return ""


def test_examples_hold_no_text_a_spreadsheet_would_run():
    """No cell of any file in examples/ starts with =, +, - or @ (other than a negative
    number): injection cases belong in the tests, not in what a reader is shown."""
    problems = []
    for path in sorted(EXAMPLES.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for line, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"-\d+(\.\d+)?", cell):
                        problems.append(f"{path.name} line {line}: {cell!r}")
    assert not problems, "\n".join(problems)


def test_sample_commentary_agrees_with_the_figures():
    """Commentary that says a value rose, fell or was unchanged, or that performance improved
    or declined, agrees with the values (the period before) and the direction of travel
    (before the fix: "Re-referrals fell for the fourth quarter running" beside a rise)."""
    data = sample_data()
    problems = []
    checked = 0
    for measure in data.measures:
        for period, text in measure.commentary.items():
            index = data.periods.index(period)
            before_period = data.periods[index - 1] if index else None
            now, before = measure.value(period), measure.value(before_period)
            travel = direction(now, before, measure.polarity, measure.no_change_threshold,
                               target=measure.target(period)).value
            checked += 1
            if found := disagreement(text, now, before, travel):
                problems.append(f"{measure.id} {period}: {found}")
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_collection_demo_commentary_and_answers_are_believable():
    """The collection demo's returns say how each value moved, and it did move that way; text
    answers read like an officer's, not "example answer" placeholders."""
    catalogue = load_catalogue()
    _, indicators = select_indicators(catalogue, dataset=COLLECTION_DATASET)
    problems, moved = [], 0
    for authority in COLLECTION_AUTHORITIES:
        if authority.code == COLLECTION_NOT_RETURNING:
            continue
        typed = {period: example_entries(indicators, authority, period)
                 for period in COLLECTION_PERIODS}
        for before_period, period in zip(COLLECTION_PERIODS[:-1], COLLECTION_PERIODS[1:],
                                         strict=True):
            for indicator in indicators:
                entry = typed[period][indicator.id]
                if "example" in str(entry.get("value", "")).lower():
                    problems.append(f"{authority.code} {indicator.id}: {entry['value']!r}")
                text = entry.get("commentary", "")
                if not text:
                    continue
                assert "example" not in text.lower(), text
                now, before = (read_back(typed[p][indicator.id]) for p in (period, before_period))
                moved += bool(RISE.search(text) or FALL.search(text))
                if found := disagreement(text, now, before, ""):
                    problems.append(f"{authority.code} {indicator.id}: {found}")
    assert moved >= 10
    assert not problems, "\n".join(problems)


def read_back(entry: dict) -> float | None:
    """The value a return's entry gives (a percentage from numerator and denominator)."""
    if "numerator" in entry:
        return entry["numerator"] / entry["denominator"] * 100
    value = entry.get("value")
    return float(value) if isinstance(value, int | float) else None


# ------------------------------------------------------------------------ officers' overrides


def sample_frame() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


def latest_row(frame: pd.DataFrame, indicator_id: str) -> int:
    return int(frame.index[(frame["indicator_id"] == indicator_id)
                           & (frame["period"] == "2023/24 Q4")
                           & (frame["authority"] == "Northshire")][0])


@pytest.mark.parametrize("override, reason, message", [
    ("AMBER", "", "column override_reason: blank, but rag_override is AMBER"),
    ("PURPLE", "Because", "column rag_override: 'PURPLE' is not a status"),
    ("", "A reason alone", "column override_reason: 'A reason alone' is given but rag_override is blank"),
])
def test_bad_override_names_file_line_and_column(tmp_path, override, reason, message):
    """An override needs its reason, must be a status word, and a reason needs an override:
    each mistake stops the build naming the file, the row and line, and the column."""
    frame = sample_frame()
    row = latest_row(frame, "NS-CS03")
    frame.loc[row, ["rag_override", "override_reason"]] = [override, reason]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    where = f"data.csv, line {row + 2}, {message}"
    with pytest.raises(ScorecardError, match=re.escape(where)):
        load_scorecard_data(path, "Northshire", "2023/24 Q4", load_catalogue())


def test_override_spellings_are_read_as_status_words():
    """'amber' and 'No  Status' are AMBER and NO STATUS."""
    frame = sample_frame()
    for indicator_id, typed in (("NS-CS03", "amber"), ("NS-CS02", "No  Status")):
        frame.loc[latest_row(frame, indicator_id), ["rag_override", "override_reason"]] = [
            typed, "Agreed at the performance board"]
    data = load_scorecard_data(frame, "Northshire", "2023/24 Q4", load_catalogue())
    found = {m.id: m.overrides[data.period].status.value for m in data.measures
             if m.overrides}
    assert found["NS-CS03"] == "AMBER" and found["NS-CS02"] == "NO STATUS"


def test_live_workbook_shows_the_override_beside_the_rule(sample_books):
    """The theme sheet keeps the rule's Status (a formula) and shows the Override, the
    Reported status and, in words, that the judgement differs from the rule; the Summary
    counts reported statuses and says how many are overrides; the Notes list each override
    with its reason; the measure page explains it."""
    path, book, _ = sample_books
    formulas = openpyxl.load_workbook(path)
    row = theme_rows(book["Workforce"])["NS-WF02"]
    assert (row["Status"], row["Override"], row["Reported status"], row["Judgement"]) == (
        "RED", "AMBER", "AMBER", BASIS_DIFFERS)
    header = [cell.value for cell in formulas["Workforce"][HEADER_ROW + 1]]
    status_cell = formulas["Workforce"].cell(HEADER_ROW + 3, header.index("Status") + 1)
    assert str(status_cell.value).startswith("=IF(")
    summary = [list(row) for row in book["Summary"].iter_rows(values_only=True)]
    total = next(row for row in summary if row[0] == "Total")
    # Reported: WF02 judged AMBER (rule RED), ED01 judged NO STATUS (rule GREEN), counted
    # with missing data; EH02 is the context measure.
    assert total[1:9] == [3, 3, 4, 1, 1, 12, 2, 2]
    assert any("2 of 12 reported statuses are officers' judgements" in str(row[0])
               for row in summary)
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True)}
    assert "Six agency posts end in April" in notes["Override: NS-WF02"]
    assert "the rule gives RED" in notes["Override: NS-WF02"]
    measures = [row[0] for row in book["Measures"].iter_rows(values_only=True) if row[0]]
    assert "Officer's judgement" in measures
    assert any(str(text).startswith("Reported as AMBER by an officer's judgement")
               for text in measures)


def test_published_version_shows_the_override_and_the_rule(sample_books):
    """The release keeps Status (the rule's) and adds Reported status and Judgement, counts
    overrides on the Summary and lists each with its reason in the Notes."""
    _, _, published = sample_books
    rows = list(published["Workforce"].iter_rows(min_row=3, values_only=True))
    row = dict(zip(rows[0], next(r for r in rows if r[1] == "NS-WF02"), strict=True))
    assert row["Status"] == "RED"
    assert column(row, "Reported status") == "AMBER"
    assert column(row, "Judgement") == BASIS_DIFFERS
    assert "2 of 12 reported statuses are officers' judgements" in published["Summary"]["A2"].value
    notes = {row[1]: row[2] for row in published["Notes"].iter_rows(min_row=4, values_only=True)}
    assert "cohort of 34 pupils" in notes["Override: NS-ED01"].lower()
    assert "Reported status" in notes


def test_no_override_columns_without_overrides(tmp_path):
    """A scorecard with no overrides has no Override, Reported status or Judgement columns."""
    book = openpyxl.load_workbook(build_scorecard(seed004_data(), tmp_path / "s.xlsx"))
    for sheet in ("Children's Social Care", "Education"):
        header = [cell.value for cell in book[sheet][HEADER_ROW + 1]]
        assert not {"Override", "Reported status", "Judgement"} & set(header)


# ------------------------------------------------------------------------ the Summary's counts


def test_summary_splits_no_status_into_context_measures_and_missing_data(tmp_path):
    """NO STATUS is counted in two columns: context measures (no polarity) and missing data
    (here a suppressed value), on the live and the published Summary."""
    frame = sample_frame()
    frame = frame[frame["authority"] == "Northshire"]
    frame.loc[latest_row(frame, "NS-EH01"), "actual"] = "[c]"
    data = load_scorecard_data(frame, "Northshire", "2023/24 Q4", load_catalogue())
    live = openpyxl.load_workbook(build_scorecard(data, tmp_path / "l.xlsx"), data_only=True)
    rows = {row[0]: row for row in live["Summary"].iter_rows(values_only=True)}
    header = rows["Theme"]
    early_help = dict(zip(header, rows["Early Help"], strict=True))
    assert early_help["– Context measure (no polarity)"] == 1  # NS-EH02
    assert early_help["– NO STATUS (missing data)"] == 1  # NS-EH01 [c]
    published = openpyxl.load_workbook(publish_scorecard(data, tmp_path / "p.xlsx"))
    rows = list(published["Summary"].iter_rows(min_row=3, values_only=True))
    early_help = dict(zip(rows[0], next(r for r in rows if r[0] == "Early Help"), strict=True))
    assert column(early_help, "Context measure") == 1
    assert column(early_help, "NO STATUS (missing data)") == 1
    assert rows[-1][0] == "All themes" and rows[-1][6] == len(data.measures)


# ------------------------------------------------------------ Section of store-built scorecards


def test_store_built_scorecard_fills_the_section_column(tmp_path):
    """A scorecard built from the collection store gives each measure the section document
    000 (the Performance Dataset) files its indicator under; the theme sheets show it."""
    full = load_catalogue()
    picked = [i for i in full if "000" in i.documents and i.unit in ("percentage", "count")][:6]
    catalogue = Catalogue([dataclasses.replace(i) for i in picked], source="test")
    with Store(tmp_path / "store.sqlite") as store:
        store.add_authorities(AUTHORITIES)
        template = make_template(tmp_path, catalogue, AUTHORITIES[0])
        entries = {i.id: {"value": 40} for i in catalogue}
        collect([fill_template(template, tmp_path / "r.xlsx", entries)], store, catalogue)
    data = load_store_data(tmp_path / "store.sqlite", AUTHORITIES[0].code, PERIOD, catalogue)
    sections = {m.id: m.section for m in data.measures}
    assert sections == {i.id: indicator_section(i) for i in picked}
    assert all(sections.values()), sections
    book = openpyxl.load_workbook(build_scorecard(data, tmp_path / "s.xlsx"))
    shown = {row[1]: row[0] for sheet in data.themes()
             for row in book[sheet[:31]].iter_rows(min_row=HEADER_ROW + 2, values_only=True)}
    assert all(shown[code] == section for code, section in sections.items())


def test_indicator_section_reads_document_000s_headings():
    """The section comes from 000's wording: numbered headings lose their number and
    "Performance Measures"; the education list keeps its sub-heading."""
    catalogue = load_catalogue()
    assert indicator_section(catalogue.get("dcs-time-in-post")) == "Council / Political Overview"
    assert indicator_section(catalogue.get("re-referrals-12m-rate")) == "Early Help & Social Care"
    assert indicator_section(catalogue.get("fsm-pct")) == "Education, Context"


# ---------------------------------------------------------------------------- measure pages


def chart_parts(path: Path) -> list[str]:
    """The chart XML parts in order (chart1 is the Summary's, then one per measure page)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted((n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [archive.read(name).decode() for name in names]


def test_trend_charts_have_a_target_line_and_an_axis_readers_expect(sample_books):
    """Each measure page's chart has a Target series where there is a target; the axis of a
    count or percentage starts at zero unless the values differ by less than a fifth of the
    largest, and then the page says where it starts."""
    path, book, _ = sample_books
    data = sample_data()
    charts = dict(zip([m.id for m in data.measures], chart_parts(path)[1:], strict=True))
    assert "<c:v>Target</c:v>" in charts["NS-CS03"] and "<c:v>Target</c:v>" not in charts["NS-EH02"]
    assert '<c:min val="75"/>' in charts["NS-CS03"]  # 76.2% to 85.0%: a tiny spread
    assert '<c:min val="0"/>' in charts["NS-FN01"]  # £1.5m to £2.3m: a wide spread
    assert "<c:min " not in charts["NS-ED01"]  # a score: no natural zero
    lines = [str(row[4]) for row in book["Measures"].iter_rows(values_only=True) if row[4]]
    notes = [line for line in lines if line.startswith("The vertical axis starts at")]
    assert any("starts at 75.0%, not zero" in line for line in notes)
    assert len(notes) == sum('<c:min val="0"/>' not in c and "<c:min " in c
                             for c in charts.values())


def test_a_suppressed_value_is_a_gap_in_the_chart_not_a_zero(sample_books):
    """The charts and sparklines read the hidden chart data, where [c] is a blank (a gap);
    before, LibreOffice plotted the [c] as 0%."""
    path, book, _ = sample_books
    row = theme_rows(book["Children's Social Care"])["NS-CS05"]
    assert row["2023-24 Q2"] == "[c]"
    assert row["Chart value 2023-24 Q2"] is None and row["Chart value 2023-24 Q3"] == 12.9


def test_every_performance_details_heading_has_text(tmp_path):
    """No lone "Performance details" heading: a measure without commentary says so."""
    data = seed004_data()
    book = openpyxl.load_workbook(build_scorecard(data, tmp_path / "s.xlsx"))
    column_a = [row[0] for row in book["Measures"].iter_rows(values_only=True, max_col=1)]
    headings = [n for n, text in enumerate(column_a) if text == "Performance details"]
    assert len(headings) == len(data.measures)
    assert all(column_a[n + 1] for n in headings)
    assert f"No commentary was given for {data.period}." in column_a


# -------------------------------------------------------------------------------- sparklines

EXCEL_GROUP_CHILDREN = ["colorSeries", "colorNegative", "colorAxis", "colorMarkers", "colorFirst",
                        "colorLast", "colorHigh", "colorLow", "sparklines"]


def test_sparklines_are_written_as_excel_writes_them_over_numbers_only(sample_books):
    """Each theme sheet's sparkline group is the x14 extension Excel writes (the extension's
    uri, the colour elements in Excel's order, markers, gaps for empty cells, hidden data
    shown), one sparkline per row over that row's chart data, which holds numbers or nothing:
    never shorthand text, which LibreOffice plots as zero."""
    path, book, _ = sample_books
    with zipfile.ZipFile(path) as archive:
        sheets = {name: archive.read(name).decode() for name in archive.namelist()
                  if name.startswith("xl/worksheets/sheet")}
    groups = [xml for xml in sheets.values() if "x14:sparklineGroup" in xml]
    assert len(groups) == len(sample_data().themes())
    for xml in groups:
        assert 'uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"' in xml
        group = re.search(r"<x14:sparklineGroup ([^>]*)>(.*?)</x14:sparklineGroup>", xml).groups()
        assert 'displayEmptyCellsAs="gap"' in group[0] and 'markers="1"' in group[0]
        assert 'displayHidden="1"' in group[0]
        children = re.findall(r"<x14:(\w+)[ >/]", group[1])
        assert [c for c in children if c not in ("sparkline",)] == EXCEL_GROUP_CHILDREN
        for source, cell in re.findall(r"<xm:f>(.*?)</xm:f><xm:sqref>(.*?)</xm:sqref>", xml):
            sheet_name, cells = source.rsplit("!", 1)
            first, last = cells.split(":")
            assert re.sub(r"\D", "", first) == re.sub(r"\D", "", last) == re.sub(r"\D", "", cell)
            values = [c.value for row in book[sheet_name.strip("'").replace("''", "'")][cells]
                      for c in row]
            assert all(v is None or isinstance(v, int | float) for v in values), (source, values)


# ------------------------------------------------------------------------------ published notes


def test_published_notes_define_not_comparable_fully(sample_books):
    """"Not comparable" is defined as what gives it: a missing or suppressed value, no
    polarity, or Plan is Best without a target (not only a missing value); context measures
    have their own note."""
    _, _, published = sample_books
    notes = {row[1]: row[2] for row in published["Notes"].iter_rows(min_row=4, values_only=True)}
    text = notes["Direction of travel"]
    assert "Not comparable" in text and "suppressed" in text and "no polarity" in text
    assert "Plan is Best, there is no target" in text
    assert "context measure" in notes["Context measures"].lower()

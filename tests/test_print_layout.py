"""Every workbook we write prints as a Director would expect: checked on paper, as PDF pages
printed by LibreOffice, not only in the files' print settings.

Kinds of workbook: the live scorecard (the multi-period sample, with measure pages), its
published version, a scorecard built from the collection store and its published version
(17 themes), the benchmark workbook, the collection error report, a collection template,
the catalogue export, and Barnsley's national scorecard and national benchmark pack (from the
committed LAIT slice). The store-built live scorecard is built without measure pages here
(the sample's cover them) to keep the LibreOffice run short: about 35 seconds for all ten.

Pages are mapped to sheets by the footer every sheet prints (sheet name, "Page x of y").
"""

from __future__ import annotations

import io
import math
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from lait_slice import imported_store
from missing_tool import skip_or_fail

from generator.cli import main
from generator.demo import SAMPLE_STEM, build_demo_workbooks, collection_demo, pdf_page_sheets
from generator.demo_returns import COLLECTION_HIGHLIGHT, COLLECTION_PERIODS
from generator.workbooks.benchmark_national import BLOCKS_PER_PAGE
from generator.workbooks.catalogue_export import export_catalogue
from generator.workbooks.data_store import load_store_data
from generator.workbooks.libreoffice import convert
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import load_catalogue
from scorecard.periods import file_label

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

GOLDEN_CATALOGUE = Path(__file__).parent / "golden" / "catalogue.csv"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """One workbook of each kind we write, by kind."""
    out = tmp_path_factory.mktemp("kinds")
    demo = {path.stem: path for path in build_demo_workbooks(out)}
    written = collection_demo(out / "collection", stream=io.StringIO())
    by_name = {path.name: path for path in written}
    period = COLLECTION_PERIODS[-1]
    slug = file_label(period)
    store_data = load_store_data(out / "collection" / "store.sqlite", COLLECTION_HIGHLIGHT, period)
    return {
        "live": demo[f"{SAMPLE_STEM}_scorecard"],
        "published": demo[f"{SAMPLE_STEM}_published"],
        "store live": build_scorecard(store_data, out / "store_live.xlsx", measure_pages=False),
        "store published": by_name[f"{COLLECTION_HIGHLIGHT}_{slug}_published.xlsx"],
        "benchmark": by_name[f"benchmark_{slug}.xlsx"],
        "error report": by_name["problems.xlsx"],
        "template": next(p for p in written if p.parent.name == "templates"
                         and COLLECTION_HIGHLIGHT in p.name and slug in p.name),
        "catalogue": export_catalogue(load_catalogue(GOLDEN_CATALOGUE), "xlsx",
                                      out / "catalogue.xlsx"),
        **national_books(out / "national"),
    }


def national_books(out: Path) -> dict[str, Path]:
    """Barnsley's national scorecard and benchmark pack, from the committed LAIT slice, as the
    README's commands write them."""
    out.mkdir()
    store = imported_store(out)
    written = {}
    for kind, command, name in (("national scorecard", "scorecard", "barnsley.xlsx"),
                                ("national pack", "benchmark", "barnsley_pack.xlsx")):
        assert main(["national", command, "--store", str(store), "--authority", "Barnsley",
                     "--out", str(out / name)]) == 0
        written[kind] = out / name
    return written


@pytest.fixture(scope="module")
def printed(books, libreoffice, tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    """Each kind printed to PDF by LibreOffice (one call): [(sheet, page text)] in page order."""
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode:
        skip_or_fail("pdftotext is not installed; apt-get install poppler-utils")
    kinds = list(books)
    pdfs = convert([books[kind] for kind in kinds], tmp_path_factory.mktemp("pdf"), "pdf")
    pages = {}
    for kind, pdf in zip(kinds, pdfs, strict=True):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout.split("\f")
        sheets = pdf_page_sheets(pdf)
        pages[kind] = [(sheet, page) for sheet, page in zip(sheets, text, strict=True)
                       if page.strip()]
    return pages


def visible_sheets(path: Path) -> list:
    return [sheet for sheet in openpyxl.load_workbook(path).worksheets
            if sheet.sheet_state == "visible"]


def header_rows(sheet) -> list[int]:
    """1-based rows holding a table's or filter's header (these must repeat on every page)."""
    rows = [int(re.search(r"\d+", table.ref).group()) for table in sheet.tables.values()]
    if sheet.auto_filter.ref:
        rows.append(int(re.search(r"\d+", sheet.auto_filter.ref).group()))
    return rows


def test_every_sheet_of_every_kind_has_a_print_setup(books):
    """Every visible sheet of every kind of workbook: orientation set, fitted to one page wide,
    a footer with the sheet name and "Page x of y", and a table's header row repeated."""
    problems = []
    for kind, path in books.items():
        for sheet in visible_sheets(path):
            setup, where = sheet.page_setup, f"{kind} / {sheet.title}"
            if setup.orientation not in ("landscape", "portrait"):
                problems.append(f"{where}: no orientation")
            if not sheet.sheet_properties.pageSetUpPr.fitToPage or setup.fitToWidth not in (None, 1):
                problems.append(f"{where}: not fitted to one page wide")
            footer = sheet.oddFooter
            text = "".join(part.text or "" for part in (footer.left, footer.center, footer.right))
            if not all(code in text for code in ("&A", "&P", "&N")):
                problems.append(f"{where}: footer {text!r} lacks sheet name or page x of y")
            for row in header_rows(sheet):
                if sheet.print_title_rows != f"${row}:${row}":
                    problems.append(f"{where}: header row {row} not repeated "
                                    f"({sheet.print_title_rows})")
    assert not problems, "\n".join(problems)


# Pages each sheet may print on (a sheet not named: one). "measures": one page per measure.
BUDGETS = {
    "live": {"Measures": "measures", "Notes": 2},
    "published": {},
    "store live": {"Definitions": 8},
    "store published": {"Definitions": 8, "Notes": 2},
    "benchmark": {"Benchmark": 2, "Detail": 5},
    "error report": {"Problem codes": 2},  # 40 problem codes and the data-quality checks
    "template": {},
    "catalogue": {},
    "national scorecard": {"Measures": "measures", "Notes": 2, "Definitions": 2},
    "national pack": {"Measures": math.ceil(10 / BLOCKS_PER_PAGE), "All authorities": 3},
}


def test_each_sheet_prints_within_its_page_budget(books, printed):
    """Every sheet prints on its budget of A4 pages (one, unless named in BUDGETS); the
    published 12-measure book is at most 12 pages; the Measures sheet is one page per measure.
    Before the print setup the published book printed on 57 portrait pages and the benchmark
    one column per page."""
    problems = []
    for kind, pages in printed.items():
        sheets = [sheet.title for sheet in visible_sheets(books[kind])]
        counts = {sheet: [found for found, _ in pages].count(sheet) for sheet in sheets}
        unknown = {found for found, _ in pages} - set(sheets)
        assert not unknown, f"{kind}: pages with no sheet footer: {unknown}"
        for sheet, count in counts.items():
            budget = BUDGETS[kind].get(sheet, 1)
            if budget == "measures":
                measures = openpyxl.load_workbook(books[kind])["Contents"]
                budget = sum(int(match) for row in measures.iter_rows(values_only=True)
                             for match in re.findall(r"^(\d+) measures?\b", str(row[1] or "")))
                if count != budget:
                    problems.append(f"{kind} / {sheet}: {count} pages, want {budget}")
            elif not 1 <= count <= budget:
                problems.append(f"{kind} / {sheet}: {count} pages, budget {budget}")
    assert len(printed["published"]) <= 12, len(printed["published"])
    assert not problems, "\n".join(problems)


# Sheets whose header words may wrap mid-word (so only a word's start is looked for): the
# benchmark's Detail sheet holds machine-readable column names in default widths, and the
# benchmark workbook is being reworked for national data (issue 9), which sets its layout.
CUT_HEADERS = {("benchmark", "Detail")}


def longest_word(text: str) -> str:
    return max(str(text).split(), key=len)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_no_sheet_is_wider_than_a_page_and_no_title_is_cut(books, printed):
    """A sheet one page wide shows its first and last printed column on every page (the
    header row repeats), so each page holds the longest word of both headers; the title in A1
    (and each measure page's title) prints whole on the sheet's first page, never cut at the
    edge of the print area."""
    problems = []
    for kind, pages in printed.items():
        for sheet in visible_sheets(books[kind]):
            texts = [text for found, text in pages if found == sheet.title]
            where = f"{kind} / {sheet.title}"
            title = sheet["A1"].value
            cut = (kind, sheet.title) in CUT_HEADERS
            if isinstance(title, str) and not cut and squeezed(title) not in squeezed(texts[0]):
                problems.append(f"{where}: title {title!r} not whole on its first page")
            if not sheet.print_title_rows:
                continue
            row = int(sheet.print_title_rows.split(":")[0].strip("$"))
            last_col = sheet.max_column
            if sheet.print_area:
                area = str(sheet.print_area).split("!")[-1].split(",")[0].replace("$", "")
                last_col = openpyxl.utils.cell.range_boundaries(area)[2]
            headers = [sheet.cell(row, col).value for col in range(1, last_col + 1)]
            headers = [h for h in headers if h not in (None, "")]
            for page, text in enumerate(texts, start=1):
                for header in (headers[0], headers[-1]):
                    if longest_word(header)[:6 if cut else None] not in text:
                        problems.append(f"{where} page {page}: no {header!r}: wider than a page")
    live = openpyxl.load_workbook(books["live"])
    names = [row[0] for row in live["Measures"].iter_rows(values_only=True, max_col=1)
             if isinstance(row[0], str) and " · " in row[0]]
    measure_pages = [text for found, text in printed["live"] if found == "Measures"]
    assert len(names) == len(measure_pages)
    for line, text in zip(names, measure_pages, strict=True):
        if squeezed(line.split(" · ")[0]) not in squeezed(text):
            problems.append(f"live / Measures: {line} not on its own page")
    assert not problems, "\n".join(problems)


def test_store_summary_chart_prints_on_the_summary_page(printed):
    """The store-built scorecard's Summary (17 themes) prints on one page with its chart's
    title and legend on it, not split across pages under a repeated header."""
    summary = [text for sheet, text in printed["store live"] if sheet == "Summary"]
    assert len(summary) == 1
    assert "Measures by reported status and theme" in summary[0]
    assert "Context measure (no polarity)" in summary[0]
    assert math.isclose(summary[0].count("Outcomes and quality"), 2)  # table row and bar label

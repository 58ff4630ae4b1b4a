"""The national benchmark pack (LAIT-style) and the band and rank formulas, checked by their real
consumer: LibreOffice recalculates them and must agree with the core, on LAIT's data and at every
quartile boundary."""

from __future__ import annotations

import math
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from lait_slice import imported_store

from generator.cli import main
from generator.national.packs import benchmark_pack
from generator.national.scorecards import NationalContext
from generator.workbooks.benchmark_national import BLOCKS_PER_PAGE
from generator.workbooks.libreoffice import recalculate
from scorecard import formulas
from scorecard.benchmarking import quartile_bands, quartiles, ranks
from scorecard.catalogue import load_catalogue

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack")
    store = imported_store(folder)
    out = folder / "barnsley_pack.xlsx"
    assert main(["national", "benchmark", "--store", str(store), "--authority", "Barnsley", "--out", str(out)]) == 0
    context = NationalContext.open(store, load_catalogue())
    return out, benchmark_pack(context, context.authority("Barnsley"))


def test_pack_sheets_and_figures(pack_file):
    """Cover, Summary, Measures, All authorities, Notes; the Summary's row for re-referrals shows
    Barnsley's 25.5 (2025) against 22.4 before, Declining, neighbours 19.9, region 21.7, England
    22.6, band D, rank 135 of 153; All authorities has the 153 current authorities."""
    out, pack = pack_file
    book = openpyxl.load_workbook(out, data_only=True)
    assert book.sheetnames == ["Cover", "Summary", "Measures", "All authorities", "Notes"]
    summary = book["Summary"]
    headers = [c.value for c in summary[4]]
    row = next(r for r in summary.iter_rows(min_row=5, values_only=True) if r[0] == "ReReferral")
    shown = dict(zip(headers, row, strict=True))
    assert (shown["Barnsley"], shown["Previous year"], shown["Direction of travel"]) == (25.5, 22.4, "Declining")
    assert round(shown["Statistical neighbours' average"], 2) == 19.92
    assert (shown["Region"], shown["England"], shown["Quartile band"], shown["Rank"], shown["Of"]) == (
        21.7, 22.6, "D", 135, 153)
    assert book["All authorities"].max_row == 4 + 153
    measures = [m for m in pack.measures if m.latest is not None]
    assert len(measures) == summary.max_row - 4


def test_pack_is_print_ready(pack_file):
    """Every sheet prints A4 landscape one page wide with its header repeated, the Measures sheet
    breaks between measures, and each measure has its chart."""
    out, pack = pack_file
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        workbook = archive.read("xl/workbook.xml").decode()
        sheets = [archive.read(f"xl/worksheets/sheet{n}.xml").decode() for n in range(1, 6)]
    assert len([n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == len(pack.measures)
    for xml in sheets:
        assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml and 'orientation="landscape"' in xml
    for sheet in ("Summary", "All authorities", "Notes"):
        assert re.search(rf"_xlnm.Print_Titles\" localSheetId=\"\d\">'?{sheet}'?!\$4:\$4", workbook), sheet
    assert "<rowBreaks" in sheets[2]


def test_pack_formulas_recalculate_to_the_core_s_answers(pack_file, libreoffice, tmp_path):
    """LibreOffice recalculates the Summary's direction, quartile band, rank and Of formulas over the
    All authorities sheet and gets exactly what the core stored, for every measure."""
    out, _ = pack_file
    recalculated = recalculate([out], tmp_path)[0]
    mine = openpyxl.load_workbook(out, data_only=True)["Summary"]
    theirs = openpyxl.load_workbook(recalculated, data_only=True)["Summary"]
    compared = 0
    for row in range(5, mine.max_row + 1):
        for col in (8, 12, 13, 14):  # direction, band, rank, of
            assert mine.cell(row, col).value == theirs.cell(row, col).value, (row, col, mine.cell(row, 1).value)
            compared += 1
    assert compared >= 4 * 10


SETS = [
    [10, 20, 30, 40, 50],  # every value but the ends sits on a quartile
    list(range(1, 9)),  # quartiles between values: 2.75, 4.5, 6.25
    [5, 5, 5, 7, 9, 9, 12],  # ties on the quartiles
    [0.12, 0.33, 0.86, 0.99, 0.2775],  # interpolation to the last bit
    [-0.4, -0.2, -0.1, 0.0, 0.3, 0.31],  # Progress 8 style negatives
    [7],  # a set of one
]


def test_band_and_rank_formulas_match_the_core_at_every_boundary(libreoffice, tmp_path):
    """quartile_band_formula and rank_formula, recalculated by LibreOffice, give the core's band and
    rank for every value of sets built to put values on quartiles, for both polarities, with
    shorthand in the range, and "-" where the band is switched off (No_Quartile) or the polarity
    is not judged."""
    path = tmp_path / "bands.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sets")
    expected = {}
    row = 0
    for values in SETS:
        cells = [*values, "[x]"]
        for col, value in enumerate(cells):
            (sheet.write_string if isinstance(value, str) else sheet.write_number)(row, col, value)
        among = f"$A${row + 1}:${chr(65 + len(cells) - 1)}${row + 1}"
        for polarity in ("Bigger is Better", "Smaller is Better", "Plan is Best"):
            bands, order = quartile_bands(values, polarity), ranks(values, polarity)
            for index, value in enumerate(values):
                for shown in ("TRUE", "FALSE"):
                    out = len(expected)
                    sheet.write_number(out, 20, value)
                    sheet.write_string(out, 21, polarity)
                    sheet.write_formula(out, 22, "=" + formulas.quartile_band_formula(f"U{out + 1}", among,
                                                                                      f"V{out + 1}", shown))
                    sheet.write_formula(out, 23, "=" + formulas.rank_formula(f"U{out + 1}", among, f"V{out + 1}"))
                    expected[out] = (bands[index] if shown == "TRUE" else "-",
                                     order[index] if order[index] is not None else "-")
        row += 1
    book.close()
    result = openpyxl.load_workbook(recalculate([path], tmp_path / "lo")[0], data_only=True)["Sets"]
    got = {r: (result.cell(r + 1, 23).value, result.cell(r + 1, 24).value) for r in expected}
    got = {r: (band, int(rank) if isinstance(rank, float) else rank) for r, (band, rank) in got.items()}
    assert got == expected
    assert quartiles(SETS[0]) == (20, 30, 40)  # so the first set really does sit on its quartiles


def test_cover_says_how_the_measures_sheet_prints(pack_file):
    """The Cover's contents line for Measures says what the sheet prints: BLOCKS_PER_PAGE
    measures a page (its row breaks), not a page per measure."""
    out, pack = pack_file
    cover = {row[0]: row[1] for row in openpyxl.load_workbook(out)["Cover"].iter_rows(values_only=True)
             if row[0]}
    with zipfile.ZipFile(out) as archive:
        breaks = archive.read("xl/worksheets/sheet3.xml").decode().count("<brk ")
    assert breaks + 1 == math.ceil(len(pack.measures) / BLOCKS_PER_PAGE)
    assert cover["Measures"].startswith(f"{BLOCKS_PER_PAGE} measures a page: ")

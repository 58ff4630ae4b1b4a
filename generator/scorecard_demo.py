"""The demo: seed 004's published scorecard next to our rules, and the demo workbooks.

Seed 004 (examples/seed004_q4_2023_24.csv) is a council's Q4 2023/24 scorecard as published:
values, targets, the status symbol it printed and its comparator. `print_seed004` shows what
our rules give for each measure beside the published symbol; `build_demo_workbooks` builds it
(and a multi-period sample with commentary and a risk register) as live and published
workbooks; `render_previews` prints the sample pages to PNG for the README.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.libreoffice import convert
from generator.scorecard_data import (
    ScorecardData,
    load_risks,
    load_scorecard_data,
    load_seed004,
)
from generator.scorecard_workbook import build_scorecard, publish_scorecard
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED004 = EXAMPLES / "seed004_q4_2023_24.csv"
SAMPLE = EXAMPLES / "sample_scorecard_data.csv"
SAMPLE_RISKS = EXAMPLES / "sample_risks.csv"
SEED004_AUTHORITY = "A council (seed 004)"
SAMPLE_AUTHORITY, SAMPLE_PERIOD = "Northshire", "2023/24 Q4"
# The produced date is fixed so demo files and previews do not change from run to run.
DEMO_DATE = dt.date(2024, 5, 1)


def seed004_data(catalogue=None) -> ScorecardData:
    catalogue = catalogue or load_catalogue()
    frame = load_seed004(SEED004, catalogue)
    data = load_scorecard_data(frame, SEED004_AUTHORITY, "Mar-24", catalogue)
    data.source = "Seed 004: a council's Q4 2023/24 scorecard, as published"
    return data


def sample_data(catalogue=None) -> ScorecardData:
    return load_scorecard_data(SAMPLE, SAMPLE_AUTHORITY, SAMPLE_PERIOD, catalogue or load_catalogue())


def published_symbols() -> dict[str, str]:
    """004's printed symbol by measure name ('' where it printed none)."""
    import csv

    with SEED004.open(encoding="utf-8") as handle:
        return {row["measure"]: row["published_symbol"] for row in csv.DictReader(handle)}


def seed004_lines(data: ScorecardData | None = None) -> list[str]:
    """004's measures, values, targets, our status and direction, and the published symbol."""
    data = data or seed004_data()
    published = published_symbols()
    lines = [f"Seed 004: {data.authority}, {data.period} (statuses from Scorecard's rules)", ""]
    head = (f"{'Measure':<58} {'Polarity':<17} {'Dec-23':>7} {'Mar-24':>7} {'Target':>7}  "
            f"{'Status':<10} {'Ours':<4} {'004':<4} {'Direction':<14}")
    agree = compared = 0
    for theme in data.themes():
        lines += [theme, head, "-" * len(head)]
        for measure in data.by_theme(theme):
            status = data.status(measure)
            printed = published.get(measure.name, "")
            if printed:
                compared += 1
                agree += printed == status.symbol
            mark = "" if not printed else ("" if printed == status.symbol else "  <- differs")
            label = status.status.value if status.status.value != "NO STATUS" else status.label
            lines.append(
                f"{measure.name[:58]:<58} {measure.polarity.value:<17} "
                f"{show(measure.value(data.previous_period), measure.decimal_places):>7} "
                f"{show(measure.value(data.period), measure.decimal_places):>7} "
                f"{show(measure.target(data.period), measure.decimal_places):>7}  "
                f"{label:<10.16} {status.symbol:<4} {printed or '–':<4} "
                f"{data.direction(measure).value:<14}{mark}")
        lines.append("")
    lines.append(f"Our status symbol matches 004's published symbol for {agree} of {compared} "
                 f"measures with a published symbol; the other {len(data.measures) - compared} "
                 "have no target in 004 (Missing Target).")
    return lines


def show(value, decimal_places: int | None = 1) -> str:
    places = 1 if decimal_places is None else decimal_places
    return f"{value:,.{places}f}" if isinstance(value, float) else (value.code or "–")


def print_seed004(stream=None) -> None:
    stream = stream or sys.stdout
    for line in seed004_lines():
        print(line, file=stream)


def build_demo_workbooks(out: Path) -> list[Path]:
    """Seed 004 and the multi-period sample, each live and published, into `out`."""
    catalogue = load_catalogue()
    seed = seed004_data(catalogue)
    sample = sample_data(catalogue)
    risks = load_risks(SAMPLE_RISKS)
    contact = "Performance and Improvement Team, performance@example.gov.uk"
    return [
        build_scorecard(seed, out / "seed004_q4_2023_24_scorecard.xlsx", contact=contact,
                        produced=DEMO_DATE),
        publish_scorecard(seed, out / "seed004_q4_2023_24_published.xlsx", contact=contact,
                          produced=DEMO_DATE),
        build_scorecard(sample, out / "northshire_2023_24_q4_scorecard.xlsx", risks=risks,
                        contact=contact, produced=DEMO_DATE),
        publish_scorecard(sample, out / "northshire_2023_24_q4_published.xlsx", risks=risks,
                          contact=contact, produced=DEMO_DATE),
    ]


# Pages of the printed demo workbooks to keep: (workbook stem, sheet, which page of it, name).
PREVIEW_PAGES = (
    ("seed004_q4_2023_24_scorecard", "Children's Social Care", 1, "seed004-childrens-social-care"),
    ("seed004_q4_2023_24_scorecard", "Education", 1, "seed004-education"),
    ("seed004_q4_2023_24_scorecard", "Summary", 1, "seed004-summary"),
    ("northshire_2023_24_q4_scorecard", "Cover", 1, "sample-cover"),
    ("northshire_2023_24_q4_scorecard", "Summary", 1, "sample-summary"),
    ("northshire_2023_24_q4_scorecard", "Children's Social Care", 1, "sample-childrens-social-care"),
    ("northshire_2023_24_q4_scorecard", "Measures", 5, "sample-measure-page"),
    ("northshire_2023_24_q4_scorecard", "Risks", 1, "sample-risks"),
)


def pdf_page_sheets(pdf: Path) -> list[str]:
    """The sheet each printed page comes from, read from the footer (sheet name, page x of y)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    sheets = []
    for page in text.split("\f"):
        footer = [line for line in page.splitlines() if re.search(r"Page \d+ of \d+", line)]
        sheets.append(re.split(r"\s{2,}", footer[-1].strip())[0] if footer else "")
    return sheets


def render_previews(out: Path, dpi: int = 80) -> list[Path]:
    """Print the demo workbooks to PDF in LibreOffice and keep chosen pages as PNG."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        raise ScorecardError("pdftoppm and pdftotext are needed: apt-get install poppler-utils")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="scorecard-previews-") as tmp:
        books = [p for p in build_demo_workbooks(Path(tmp)) if p.stem.endswith("_scorecard")]
        pdfs = {pdf.stem: pdf for pdf in convert(books, Path(tmp) / "pdf", "pdf")}
        sheets = {stem: pdf_page_sheets(pdf) for stem, pdf in pdfs.items()}
        for stem, sheet, nth, name in PREVIEW_PAGES:
            pages = [i for i, found in enumerate(sheets[stem], start=1) if found == sheet]
            if len(pages) < nth:
                raise ScorecardError(f"{stem}: no page {nth} of sheet {sheet!r} in the PDF")
            page = str(pages[nth - 1])
            target = out / name
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", page, "-l", page,
                            "-singlefile", str(pdfs[stem]), str(target)], check=True)
            written.append(target.with_suffix(".png"))
    return written

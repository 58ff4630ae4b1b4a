"""The demo: seed 004's published scorecard next to our rules, and the demo workbooks.

Seed 004 (examples/seed004_q4_2023_24.csv) is a council's Q4 2023/24 scorecard as published:
values, targets, the status symbol it printed and its comparator. `print_seed004` shows what
our rules give for each measure beside the published symbol; `build_demo_workbooks` builds it
(and a multi-period sample with commentary and a risk register) as live and published
workbooks; `render_previews` prints the sample pages to PNG for the README.

`collection_demo` runs the collection loop on built-in example data (generator.demo_returns):
templates of 000's Performance Dataset for four example authorities and two quarters, returns
filled in code (seeded; with GSS shorthand and some deliberately bad cells), collected into a
store, then the error report, the benchmark workbook and a scorecard built from the store.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.collection.collect import collect
from generator.collection.error_report import write_error_report
from generator.collection.store import Store
from generator.collection.templates import fill_template, select_indicators, template_filename, write_templates
from generator.demo_returns import (
    COLLECTION_AUTHORITIES,
    COLLECTION_COLLECTED,
    COLLECTION_DATASET,
    COLLECTION_HIGHLIGHT,
    COLLECTION_ISSUED,
    COLLECTION_NOT_RETURNING,
    COLLECTION_PERIODS,
    example_comparators,
    example_entries,
)
from generator.words import plural
from generator.workbooks.benchmark import write_benchmark_workbook
from generator.workbooks.data import ScorecardData
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.data_store import load_store_data
from generator.workbooks.libreoffice import convert
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from generator.workbooks.seed004 import load_seed004
from generator.workbooks.summary import summary_counts
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError
from scorecard.periods import file_label

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED004 = EXAMPLES / "seed004_q4_2023_24.csv"
SAMPLE = EXAMPLES / "sample_scorecard_data.csv"
SAMPLE_RISKS = EXAMPLES / "sample_risks.csv"
SEED004_AUTHORITY = "A council (seed 004)"
SAMPLE_AUTHORITY, SAMPLE_PERIOD = "Northshire", "2023/24 Q4"
# Workbook names: who, then the period as every file name spells it (scorecard.periods.file_label).
SEED004_STEM = f"seed004_{file_label('Mar-24')}"
SAMPLE_STEM = f"{SAMPLE_AUTHORITY.lower()}_{file_label(SAMPLE_PERIOD)}"
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
        build_scorecard(seed, out / f"{SEED004_STEM}_scorecard.xlsx", contact=contact,
                        produced=DEMO_DATE),
        publish_scorecard(seed, out / f"{SEED004_STEM}_published.xlsx", contact=contact,
                          produced=DEMO_DATE),
        build_scorecard(sample, out / f"{SAMPLE_STEM}_scorecard.xlsx", risks=risks,
                        contact=contact, produced=DEMO_DATE),
        publish_scorecard(sample, out / f"{SAMPLE_STEM}_published.xlsx", risks=risks,
                          contact=contact, produced=DEMO_DATE),
    ]


# --------------------------------------------------------------------------- collection demo


def collection_demo(out: Path, stream=None, catalogue=None) -> list[Path]:
    """The collection loop on example data, into `out` (a folder of its own); prints a
    summary of each step and returns the files written."""
    stream = stream or sys.stdout
    catalogue = catalogue or load_catalogue()

    def say(text: str) -> None:
        print(text, file=stream)

    out.mkdir(parents=True, exist_ok=True)
    title, indicators = select_indicators(catalogue, dataset=COLLECTION_DATASET)
    period = COLLECTION_PERIODS[-1]
    say(f"Collection demo: {title}, {plural(len(indicators), 'indicator')}, "
        f"{len(COLLECTION_AUTHORITIES)} example authorities, {', '.join(COLLECTION_PERIODS)}")
    templates = []
    for each in COLLECTION_PERIODS:
        templates += write_templates(out / "templates", catalogue, COLLECTION_AUTHORITIES, each,
                                     indicators, dataset_title=title, deadline="31 July 2024",
                                     contact="data@example-region.gov.uk",
                                     issued_at=COLLECTION_ISSUED)
    say(f"  1. templates: {len(templates)} blank templates in {out / 'templates'}")

    returns = []
    (out / "returns").mkdir(exist_ok=True)
    returning = [a for a in COLLECTION_AUTHORITIES if a.code != COLLECTION_NOT_RETURNING]
    for each in COLLECTION_PERIODS:
        for authority in returning:
            name = template_filename(authority, each)
            returns.append(fill_template(out / "templates" / name, out / "returns" / name,
                                         example_entries(indicators, authority, each)))
    silent = next(a for a in COLLECTION_AUTHORITIES if a.code == COLLECTION_NOT_RETURNING)
    say(f"  2. returns: {len(returns)} filled in {out / 'returns'} "
        f"({silent.name} {silent.code} does not return)")

    store_path = out / "store.sqlite"
    store_path.unlink(missing_ok=True)  # the demo's own store: start afresh each run
    problems = []
    with Store(store_path) as store:
        store.add_authorities(COLLECTION_AUTHORITIES)
        for each in COLLECTION_PERIODS:
            batch = [out / "returns" / template_filename(a, each) for a in returning]
            report = collect(batch, store, catalogue, expected_period=each,
                             authorities=COLLECTION_AUTHORITIES, collected_at=COLLECTION_COLLECTED)
            problems += report.problems
        store.add_comparators(example_comparators(indicators))
        cells = store.cells()
        missing = store.missing_returns(period)
        counts = {s: sum(p["severity"] == s for p in problems) for s in ("error", "warning", "info")}
        say(f"  3. collected into {store_path}: {plural(len(store.submissions()), 'return')}, {len(cells)} "
            f"values stored ({int(cells['missing_code'].notna().sum())} as missing-value shorthand); "
            f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info")
        say(f"     no return for {period} from: {', '.join(f'{a.name} {a.code}' for a in missing)}")
        report_paths = write_error_report(problems, out / "problems")
        say(f"  4. error report: {report_paths[0]} and {report_paths[1]}")
        for problem in problems:
            if problem["severity"] != "info":
                say(f"     {problem['severity']}: {Path(problem['file']).name} "
                    f"{problem['sheet']}!{problem['cell']} {problem['code']}: {problem['message']}")
        slug = file_label(period)
        benchmark = write_benchmark_workbook(store, period, catalogue,
                                             out / f"benchmark_{slug}.xlsx", COLLECTION_HIGHLIGHT)
        say(f"  5. benchmark workbook: {benchmark} ({COLLECTION_HIGHLIGHT} highlighted)")
        data = load_store_data(store, COLLECTION_HIGHLIGHT, period, catalogue)
    contact = "Performance and Improvement Team, performance@example.gov.uk"
    stem = f"{COLLECTION_HIGHLIGHT}_{slug}"
    live = build_scorecard(data, out / f"{stem}_scorecard.xlsx", contact=contact,
                           produced=DEMO_DATE)
    published = publish_scorecard(data, out / f"{stem}_published.xlsx", contact=contact,
                                  produced=DEMO_DATE)
    counts = summary_counts(data.measures, {m.id: data.judge(m) for m in data.measures})
    tally = ", ".join(f"{count} {label}" for count, label in zip(counts, (
        "GREEN", "AMBER", "RED", "context (no polarity)", "NO STATUS (missing data)"), strict=True))
    say(f"  6. scorecard from the store for {data.authority}, {', '.join(data.periods)}: "
        f"{plural(len(data.measures), 'measure')} ({tally}); comparators {', '.join(data.comparator_names)}")
    say(f"     {live}")
    say(f"     {published}")
    return [*templates, *returns, store_path, *report_paths, benchmark, live, published]


# Pages of the printed demo workbooks to keep: (workbook stem, sheet, which page of it, name).
PREVIEW_PAGES = (
    (f"{SEED004_STEM}_scorecard", "Children's Social Care", 1, "seed004-childrens-social-care"),
    (f"{SEED004_STEM}_scorecard", "Education", 1, "seed004-education"),
    (f"{SEED004_STEM}_scorecard", "Summary", 1, "seed004-summary"),
    (f"{SAMPLE_STEM}_scorecard", "Cover", 1, "sample-cover"),
    (f"{SAMPLE_STEM}_scorecard", "Summary", 1, "sample-summary"),
    (f"{SAMPLE_STEM}_scorecard", "Children's Social Care", 1, "sample-childrens-social-care"),
    (f"{SAMPLE_STEM}_scorecard", "Measures", 5, "sample-measure-page"),
    (f"{SAMPLE_STEM}_scorecard", "Workforce", 1, "sample-workforce-override"),
    (f"{SAMPLE_STEM}_scorecard", "Risks", 1, "sample-risks"),
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

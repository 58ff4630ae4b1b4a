"""Golden-file tests: small, fixed workbooks compared part by part with tests/golden/*.xlsx.

In the style of XlsxWriter's own test suite (see tests/golden_compare.py): every XML part of
the workbook must match the golden file once what changes from run to run is removed. The
inputs are pinned in tests/golden/ too (catalogue.csv, scorecard_data.csv, risks.csv), so a
golden changes only when the writers change.

Regenerate deliberately (tests/golden/README.md):

    SCORECARD_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_workbooks.py

rewrites each golden that differs, and that test FAILS to say so; review, then rerun without
the variable. A golden that has not changed is not rewritten (its bytes stay as committed).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from golden_compare import assert_same_xlsx, compare_xlsx

from generator.collection.collect import collect
from generator.collection.store import Authority, Store
from generator.collection.templates import fill_template, select_indicators, write_template
from generator.workbooks.benchmark import write_benchmark_workbook
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.publish import publish_scorecard
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from scorecard.catalogue import load_catalogue

pytestmark = pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning")

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SCORECARD_REGENERATE_GOLDEN", "") not in ("", "0")

PERIOD = "2024-25 Q1"
ISSUED = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
PRODUCED = dt.date(2024, 5, 1)
CONTACT = "Performance Team, performance@example.gov.uk"
AUTHORITIES = (Authority("E1", "Alpha", "SE", ("E2", "E3")), Authority("E2", "Beta", "SE", ("E1",)),
               Authority("E3", "Gamma", "NW", ("E1",)), Authority("E4", "Delta", "NW", ()))


def catalogue():
    return load_catalogue(GOLDEN / "catalogue.csv")


def scorecard_data():
    data = load_scorecard_data(GOLDEN / "scorecard_data.csv", "Northshire", "2023/24 Q4", catalogue())
    # The source defaults to the path as given (here absolute), which would tie the golden to
    # where the repository is checked out.
    data.source = "tests/golden/scorecard_data.csv"
    return data


# ------------------------------------------------------------------------------- the builders


def build_template(out: Path) -> Path:
    """A collection template: seven indicators (percentage, rate, count, days, date, text,
    yes/no) on three theme sheets, for one authority and period."""
    cat = catalogue()
    title, indicators = select_indicators(cat, dataset="performance-dataset")
    return write_template(out, cat, indicators, AUTHORITIES[0], PERIOD, dataset_title=title,
                          deadline="31 July 2024", contact=CONTACT, issued_at=ISSUED)


def build_live_scorecard(out: Path) -> Path:
    """The live scorecard: six measures, five periods, comparators, [c]/[z], risks."""
    return build_scorecard(scorecard_data(), out, risks=load_risks(GOLDEN / "risks.csv"),
                           contact=CONTACT, produced=PRODUCED)


def build_published_scorecard(out: Path) -> Path:
    return publish_scorecard(scorecard_data(), out, risks=load_risks(GOLDEN / "risks.csv"),
                             contact=CONTACT, produced=PRODUCED)


def build_benchmark(out: Path) -> Path:
    """The benchmark workbook from a store of three returns (a fourth authority has none),
    every unit of the golden catalogue, a [c], comparators for two indicators, E1 highlighted."""
    cat = catalogue()
    folder = out.parent / "benchmark-store"
    folder.mkdir(exist_ok=True)
    store = Store(folder / "store.sqlite")
    store.add_authorities(AUTHORITIES)
    _, indicators = select_indicators(cat)
    paths = []
    for n, authority in enumerate(AUTHORITIES[:3]):
        template = write_template(folder / f"template_{authority.code}.xlsx", cat, indicators,
                                  authority, PERIOD, dataset_title="golden", issued_at=ISSUED)
        entries = {
            "g-assess-45d-pct": {"numerator": 60 + 10 * n, "denominator": 100, "target": 80},
            "g-referral-rate": {"value": 480.5 + 25 * n},
            "g-cp-plans": {"value": "[c]"} if n == 1 else {"value": 40 + n},
            "g-icpc-days": {"value": 12 - n},
            "g-ofsted-date": {"value": dt.datetime(2023, 3, 1 + n)},
            "g-self-assessment": {"value": f"Summary from {authority.name}"},
            "g-health-check": {"value": "Yes" if n != 2 else "No"},
        }
        paths.append(fill_template(template, folder / f"return_{authority.code}.xlsx", entries))
    collect(paths, store, cat, expected_period=PERIOD, collected_at="2024-07-01T10:00:00+00:00")
    store.add_comparators([(PERIOD, "g-assess-45d-pct", "England", 71.5),
                           (PERIOD, "g-assess-45d-pct", "SE", 69.0),
                           (PERIOD, "g-referral-rate", "England", 538.0)])
    return write_benchmark_workbook(store, PERIOD, cat, out, highlight="E1")


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "collection_template.xlsx": build_template,
    "scorecard_live.xlsx": build_live_scorecard,
    "scorecard_published.xlsx": build_published_scorecard,
    "benchmark.xlsx": build_benchmark,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Callable[[str], Path]:
    """Build each golden's workbook once per module run."""
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            folder = tmp_path_factory.mktemp(name.removesuffix(".xlsx"))
            cache[name] = BUILDERS[name](folder / name)
        return cache[name]

    return get


def check_golden(got: Path, name: str) -> None:
    """Compare with tests/golden/<name>; with SCORECARD_REGENERATE_GOLDEN set, rewrite a
    golden that differs (or is missing) and fail, so the rewrite is never silent."""
    golden = GOLDEN / name
    if REGENERATE:
        difference = compare_xlsx(got, golden) if golden.exists() else "no golden file yet"
        if difference is None:
            return
        shutil.copyfile(got, golden)
        pytest.fail(f"rewrote {golden} ({difference.splitlines()[0]}); review it and rerun "
                    "without SCORECARD_REGENERATE_GOLDEN")
    if not golden.exists():
        pytest.fail(f"no golden file {golden}: create it with SCORECARD_REGENERATE_GOLDEN=1 "
                    "(see tests/golden/README.md)")
    assert_same_xlsx(got, golden)


# ------------------------------------------------------------------------------- golden tests


@pytest.mark.parametrize("name", list(BUILDERS))
def test_workbook_matches_its_golden_file(built, name):
    """Every part of the workbook equals the golden file's, apart from core.xml's dates."""
    check_golden(built(name), name)


# ------------------------------------------------------------------- the comparison can fail


def rewrite(source: Path, target: Path, part: str, change: Callable[[str], str] | None) -> None:
    """Copy an xlsx, rewriting one XML part through `change` (None drops the part)."""
    with zipfile.ZipFile(source) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    assert part in [info.filename for info, _ in items], part
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                if change is None:
                    continue
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), f"the change did not apply to {part}"
                data = new.encode("utf-8")
            zout.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def first_numeric_cell(path: Path) -> tuple[str, str, str]:
    """(worksheet part, cell reference, value) of the first plain number cell in the workbook."""
    with zipfile.ZipFile(path) as book:
        for part in sorted(n for n in book.namelist() if n.startswith("xl/worksheets/sheet")):
            found = re.search(r'<c r="([A-Z]+\d+)"(?: s="\d+")?><v>([^<]+)</v></c>',
                              book.read(part).decode("utf-8"))
            if found:
                return part, found.group(1), found.group(2)
    raise AssertionError(f"no number cell in {path}")


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_changed_cell_value_is_reported(built, name, tmp_path):
    """One number changed in one cell: the comparison names the sheet part, the cell and both
    values."""
    original = built(name)
    part, ref, value = first_numeric_cell(original)
    changed = str(float(value) + 1)
    cell = re.compile(rf'(<c r="{ref}"(?: s="\d+")?><v>){re.escape(value)}(</v>)')
    rewrite(original, tmp_path / name, part, lambda xml: cell.sub(rf"\g<1>{changed}\g<2>", xml, 1))
    message = compare_xlsx(tmp_path / name, original)
    assert message is not None
    assert message.startswith(f"{part} (sheet '")
    assert f'<c r="{ref}"' in message  # the cell, in the context before the difference
    assert f"> <v>{changed}</v>" in message and f"< <v>{value}</v>" in message
    with pytest.raises(AssertionError, match=re.escape(part)):
        assert_same_xlsx(tmp_path / name, original)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_changed_cell_format_is_reported(built, name, tmp_path):
    """One cell given another format (style index): the comparison names the sheet and cell."""
    original = built(name)
    part, ref, _ = first_numeric_cell(original)
    cell = re.compile(rf'<c r="{ref}"(?: s="(\d+)")?>')

    def restyle(xml: str) -> str:
        style = cell.search(xml).group(1) or "0"
        return cell.sub(f'<c r="{ref}" s="{int(style) + 1}">', xml, 1)

    rewrite(original, tmp_path / name, part, restyle)
    message = compare_xlsx(tmp_path / name, original)
    assert message is not None and message.startswith(f"{part} (sheet '")
    assert f'> <c r="{ref}" s=' in message


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_changed_format_definition_is_reported(built, name, tmp_path):
    """The first bold font made italic in styles.xml: the comparison names styles.xml."""
    original = built(name)
    rewrite(original, tmp_path / name, "xl/styles.xml", lambda xml: xml.replace("<b/>", "<i/>", 1))
    message = compare_xlsx(tmp_path / name, original)
    assert message is not None and message.startswith("xl/styles.xml: first difference")
    assert "> <i/>" in message and "< <b/>" in message


def test_a_missing_part_is_reported(built, tmp_path):
    original = built("scorecard_published.xlsx")
    rewrite(original, tmp_path / "x.xlsx", "docProps/app.xml", None)
    message = compare_xlsx(tmp_path / "x.xlsx", original)
    assert message is not None and "only in expected: ['docProps/app.xml']" in message


def test_what_changes_from_run_to_run_is_not_a_difference(built, tmp_path):
    """core.xml's created/modified dates, and the order of relationships and content types,
    are not differences; anything else in core.xml is."""
    original = built("collection_template.xlsx")
    dated = tmp_path / "dated.xlsx"
    rewrite(original, dated, "docProps/core.xml",
            lambda xml: re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "1999-12-31T23:59:59Z", xml))
    assert compare_xlsx(dated, original) is None
    reordered = tmp_path / "reordered.xlsx"

    def reverse_middle(xml: str) -> str:
        head, *middle, tail = re.split(r"(?<=>)(?=<)", xml)
        assert len(middle) > 1, xml
        return head + "".join(reversed(middle)) + tail

    rewrite(original, reordered, "xl/_rels/workbook.xml.rels", reverse_middle)
    assert compare_xlsx(reordered, original) is None
    titled = tmp_path / "titled.xlsx"
    rewrite(original, titled, "docProps/core.xml",
            lambda xml: xml.replace("</cp:coreProperties>",
                                    "<dc:title>Changed</dc:title></cp:coreProperties>"))
    assert compare_xlsx(titled, original).startswith("docProps/core.xml")


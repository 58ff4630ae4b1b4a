"""Helpers and Hypothesis strategies for the collection tests (templates, returns, store)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

from hypothesis import strategies as st

from generator.collection.store import Authority
from generator.collection.templates import fill_template, write_template
from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.values import GSS_SHORTHAND

PERIOD = "2024-25 Q1"
AUTHORITIES = (Authority("E1", "Alpha", "SE", ("E2", "E3")), Authority("E2", "Beta", "SE", ("E1",)),
               Authority("E3", "Gamma", "NW", ("E1",)), Authority("E4", "Delta", "NW", ()))
UNITS = ("percentage", "rate per 10,000", "count", "days", "currency", "score", "text", "yes/no")


def small_catalogue() -> Catalogue:
    """Two indicators of each unit from the built-in catalogue, plus one date indicator."""
    full = load_catalogue()
    picks = []
    for unit in UNITS:
        picks += [i for i in full if i.unit == unit][:2]
    picks.append(dataclasses.replace(picks[0], id="test-date", name="A test date", unit="date"))
    return Catalogue(picks, source="test")


def first(catalogue, unit: str, n: int = 0):
    """The n-th indicator of a unit in the catalogue."""
    return [i for i in catalogue if i.unit == unit][n]


def make_template(folder: Path, catalogue=None, authority: Authority = AUTHORITIES[0],
                  period: str = PERIOD) -> Path:
    catalogue = catalogue or small_catalogue()
    return write_template(folder / f"template_{authority.code}.xlsx", catalogue, list(catalogue),
                         authority, period, dataset_title="test")


def filled(template: Path, out: Path, entries: dict) -> Path:
    return fill_template(template, out, entries)


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one part of an xlsx zip through `change(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == member else data)
    path.write_bytes(buffer.getvalue())


def sheet_part(path: Path, sheet_name: str) -> str:
    from generator.collection.xlsx import sheet_parts

    return sheet_parts(path.read_bytes())[sheet_name]


def set_cell_xml(path: Path, sheet_name: str, ref: str, cell_xml: bytes) -> None:
    """Put `cell_xml` (a whole <c> element) at `ref` in a sheet's XML, replacing the cell
    there or adding it at the end of its row (a row is added if the sheet has none)."""
    import re

    row = re.match(r"[A-Z]+([0-9]+)$", ref).group(1).encode()

    def change(xml: bytes) -> bytes:
        cell = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
        if cell.search(xml):
            return cell.sub(lambda _: cell_xml, xml, count=1)
        found = re.search(rb'<row r="' + row + rb'"[^>]*?(/>|>.*?</row>)', xml, re.S)
        if found:
            whole = found.group(0)
            body = (whole[:-2] + b">" + cell_xml + b"</row>" if whole.endswith(b"/>")
                    else whole[:-6] + cell_xml + b"</row>")
            return xml.replace(whole, body, 1)
        if b"<sheetData/>" in xml:
            xml = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>")
        return xml.replace(b"</sheetData>",
                           b'<row r="' + row + b'">' + cell_xml + b"</row></sheetData>")

    rewrite_member(path, sheet_part(path, sheet_name), change)


def typical_entries(catalogue) -> dict[str, dict]:
    """A clean, valid value for every indicator (what 'nothing else was lost' checks)."""
    entries = {}
    for n, indicator in enumerate(catalogue):
        unit = indicator.unit
        if unit == "percentage":
            entries[indicator.id] = {"numerator": 40 + n, "denominator": 200}
        elif unit == "rate per 10,000":
            entries[indicator.id] = {"value": 12.5 + n, "target": 10}
        elif unit == "text":
            entries[indicator.id] = {"value": f"note {n}"}
        elif unit == "yes/no":
            entries[indicator.id] = {"value": "Yes"}
        elif unit == "date":
            entries[indicator.id] = {"value": dt.date(2024, 6, 30)}
        else:
            entries[indicator.id] = {"value": 7 + n, "commentary": f"comment {n}"}
    return entries


# -- strategies ----------------------------------------------------------------------------
shorthand = st.sampled_from(sorted(GSS_SHORTHAND))


def _decimal(low: int, high: int):
    """Numbers as people type them: at most 3 decimals (they survive the xlsx trip exactly)."""
    return st.integers(low * 1000, high * 1000).map(lambda n: n / 1000)


plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
    max_size=40).filter(lambda s: s == s.strip() and not s.startswith(("=", "+", "-", "@")))


@st.composite
def entry_for(draw, indicator) -> dict:
    """Random valid input for one indicator (values, shorthand, optional target/commentary)."""
    unit = indicator.unit
    entry: dict = {}
    if unit == "percentage" or unit.startswith("rate"):
        if draw(st.booleans()):
            denominator = draw(st.integers(1, 100_000))
            high = denominator if unit == "percentage" else 100_000
            entry["numerator"] = draw(st.integers(0, high) | shorthand)
            entry["denominator"] = draw(st.just(denominator) | shorthand)
        else:
            low = 0 if unit.startswith("rate") else 2  # 0 < x <= 1 is flagged as a fraction
            entry["value"] = draw(_decimal(low, 100) | st.just(0.0) | shorthand)
        if draw(st.booleans()):
            entry["target"] = draw(_decimal(2, 100) | shorthand)
    elif unit == "count":
        entry["value"] = draw(st.integers(0, 10**9) | shorthand)
    elif unit in ("days", "score"):
        entry["value"] = draw(_decimal(0, 10_000) | shorthand)
    elif unit == "currency":
        entry["value"] = draw(_decimal(-10_000, 10**6) | shorthand)
    elif unit == "text":
        entry["value"] = draw(plain_text)
    elif unit == "yes/no":
        entry["value"] = draw(st.sampled_from(["Yes", "No"]) | shorthand)
    elif unit == "date":
        entry["value"] = draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)) | shorthand)
    if unit not in ("text", "date", "yes/no") and "target" not in entry and draw(st.booleans()):
        entry["target"] = draw(st.integers(0, 100) | shorthand)
    if draw(st.booleans()):
        entry["commentary"] = draw(plain_text)
    # drop some fields: a blank cell is a legitimate entry too
    keep = draw(st.lists(st.sampled_from(sorted(entry)), unique=True)) if entry else []
    return {k: v for k, v in entry.items() if k in keep or k in ("numerator", "denominator")}


@st.composite
def returns_for(draw, catalogue) -> dict[str, dict]:
    """Entries for a random subset of the catalogue's indicators."""
    chosen = draw(st.lists(st.sampled_from([i.id for i in catalogue]), unique=True, max_size=12))
    return {indicator_id: draw(entry_for(catalogue.get(indicator_id)))
            for indicator_id in chosen}


@st.composite
def fuzz_plans(draw):
    """The shape of a hostile return for the fuzzer (tests/return_fuzzer.py): template, how
    full, openpyxl- and XML-level mutations by name (Hypothesis shrinks a failure to the
    fewest), and a seed for the details."""
    from fuzz_mutations import OPENPYXL_MUTATIONS, XML_MUTATIONS
    from return_fuzzer import Plan

    kind = draw(st.sampled_from(["small", "small", "dataset"]))
    names = [m.__name__ for m in OPENPYXL_MUTATIONS], [m.__name__ for m in XML_MUTATIONS]
    plan = Plan(kind, draw(st.sampled_from(["E1", "E2", "E3", "E4"])) if kind == "small"
                else "E5", draw(st.sampled_from([0.2, 0.5, 0.8])),
                tuple(draw(st.lists(st.sampled_from(names[0]), max_size=4))),
                tuple(draw(st.lists(st.sampled_from(names[1]), max_size=3))),
                draw(st.integers(0, 19).map(lambda n: n == 19)))  # 1 in 20 unreadable
    return plan, draw(st.integers(0, 2**32 - 1))

"""A fuzzer for collection (issue 13): hostile returns, and an oracle that knows what was typed.

`make_case(rnd, folder)` builds one return from a generated template, filled and then damaged
the way people and broken tools damage returns: at the openpyxl level (values of every kind
in every cell, typing on the cover, the metadata and new sheets, inserted, deleted, swapped
and duplicated rows, renamed and deleted sheets, merged cells, per-cent and date formats,
typing over the template's own text) and at the zip/XML level (NaN, INF and 1e999 saved as
numbers, error values, formulas with no saved value, bad types, styles, references and
shared-text indexes, a cell saved twice, single quotes, namespace prefixes, CDATA, character
references, UTF-16, shared text (cut short or missing), far cells, hundreds of extra cells,
40,000-character text, a lying dimension). Every mutation records what it typed, and where,
in `Case.typed`: the oracle never asks our reader what a cell holds.

`check(case, store, problems)` then reads the store and the problems back and classifies
every typed cell: kept (stored with its raw text whole, and its number if it is used), named
(a problem names its file, sheet and cell, or a range holding it), or else lost; stored with
another text or number and not named: silently changed; named, in a clean row, under a code
other than the one its class needs (text_in_number, out_of_range, ...): misreported.

Used by tests/test_fuzz_returns.py (Hypothesis drives `rnd`) and benchmarks/fuzz_returns.py
(10,000 returns). The oracle's notion of a unit's range and of each value's text is its own.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from fuzz_cases import (
    PERIOD,
    REFUSING,
    ROW_CODES,
    Case,
    Editing,
    Package,
    Template,
    Typed,
    fill,
    split_ref,
)
from fuzz_mutations import OPENPYXL_MUTATIONS, XML_MUTATIONS, marker_and_version, x_refuse

from generator.collection.store import Authority
from generator.collection.templates import select_indicators, write_template
from scorecard.catalogue import Catalogue, load_catalogue


# -- templates ---------------------------------------------------------------------------------
def catalogues() -> dict[str, tuple[Catalogue, list]]:
    """The catalogues returns are made from: a small one (two indicators of each unit, and a
    percentage-points gap) and the Performance Dataset of the built-in catalogue."""
    full = load_catalogue()
    picks = []
    for unit in ("percentage", "rate per 10,000", "count", "days", "currency", "score", "text",
                 "yes/no", "ratio"):
        picks += [i for i in full if i.unit == unit][:2]
    picks.append(dataclasses.replace(picks[0], id="fuzz-gap", unit="percentage points"))
    picks.append(dataclasses.replace(picks[0], id="fuzz-date", unit="date"))
    small = Catalogue(picks, source="fuzz")
    _, dataset = select_indicators(full, dataset="performance-dataset")
    return {"small": (small, list(small)), "dataset": (full, dataset)}


class Templates:
    """Templates made once per (catalogue, authority) and kept in memory."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sources = catalogues()
        self.made: dict[tuple[str, str], Template] = {}

    def get(self, kind: str, code: str) -> Template:
        key = (kind, code)
        if key not in self.made:
            catalogue, indicators = self.sources[kind]
            authority = Authority(code, f"Authority {code} & Co")
            path = write_template(self.folder / f"template_{kind}_{code}.xlsx", catalogue,
                                  indicators, authority, PERIOD, dataset_title=f"fuzz {kind}",
                                  deadline="31 July 2024", contact="data@region.example")
            self.made[key] = Template(kind, authority, path.read_bytes(), catalogue,
                                      {i.id: i.unit for i in indicators})
            path.unlink()
        return self.made[key]


# -- making a case -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """The shape of one case: which template, how full, which mutations in which order (by
    name, so Hypothesis can draw and shrink it); the details come from a seeded Random."""

    kind: str = "small"  # "small" or "dataset"
    authority: str = "E1"
    share: float = 0.5  # of the input cells filled
    openpyxl: tuple[str, ...] = ()
    xml: tuple[str, ...] = ()
    refuse: bool = False


MUTATIONS = {m.__name__: m for m in (*OPENPYXL_MUTATIONS, *XML_MUTATIONS)}


def random_plan(rnd: random.Random) -> Plan:
    kind = "dataset" if rnd.random() < 0.3 else "small"
    return Plan(kind, rnd.choice(["E1", "E2", "E3", "E4"]) if kind == "small" else "E5",
                rnd.choice([0.2, 0.5, 0.8]),
                tuple(m.__name__ for m in rnd.sample(OPENPYXL_MUTATIONS, rnd.randint(0, 4))),
                tuple(m.__name__ for m in rnd.sample(XML_MUTATIONS, rnd.randint(0, 3))),
                rnd.random() < 0.02)


def make_case(rnd: random.Random, folder: Path, templates: Templates, seed: int = 0,
              plan: Plan | None = None) -> Case:
    """One hostile return in `folder`, with everything typed in it recorded."""
    plan = plan or random_plan(rnd)
    template = templates.get(plan.kind, plan.authority)
    case = Case(seed, template, folder / f"return_{seed}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(template.data))
    edit = Editing(case, book)
    fill(edit, rnd, plan.share)
    for name in plan.openpyxl:
        MUTATIONS[name](edit, rnd)
        case.mutations.append(name)
    buffer = io.BytesIO()
    book.save(buffer)
    package = Package(buffer.getvalue())
    rows = {(s.title, r): i for s in edit.themes() for r, i in edit.rows(s).items()}
    for name in plan.xml:
        MUTATIONS[name](case, package, rnd, rows)
        case.mutations.append(name)
    if plan.refuse:
        x_refuse(case, package, rnd, rows)
    marker_and_version(case)
    case.path.write_bytes(package.bytes())
    return case


# -- the oracle --------------------------------------------------------------------------------
@dataclass
class Verdict:
    typed: int = 0
    lost: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    misreported: list[str] = field(default_factory=list)
    crash: str | None = None
    refused: bool = False


def _in_range(ref: str, span: str) -> bool:
    if ":" not in span:
        return ref == span
    first, last = span.split(":", 1)
    col, row = split_ref(ref)
    (c0, r0), (c1, r1) = split_ref(first), split_ref(last)
    return c0 <= col <= c1 and r0 <= row <= r1


def _number_of(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def check(case: Case, cells: list[dict], problems: list[dict]) -> Verdict:
    """Classify every typed cell of `case` against the stored cells and the problems."""
    verdict = Verdict(typed=len(case.typed))
    codes = {p["code"] for p in problems}
    faults = [p for p in problems if p["code"] == "reader_fault"]
    if faults:
        verdict.crash = faults[0]["message"]
        return verdict
    if case.refused is not None:
        verdict.refused = True
        if case.refused not in codes:
            verdict.misreported.append(f"file: expected {case.refused}, got {sorted(codes)}")
        return verdict
    refused = [p for p in problems if p["code"] in REFUSING]
    if refused:
        verdict.lost += [f"{s}!{r} ({t.how}): the whole return refused: {refused[0]['message']}"
                         for (s, r), t in case.typed.items()]
        return verdict
    stored: dict[tuple[str, str], list[dict]] = {}
    for cell in cells:
        stored.setdefault((cell["sheet"], cell["cell"]), []).append(cell)
    named: dict[str, list[dict]] = {}
    for problem in problems:
        named.setdefault(problem["sheet"], []).append(problem)
    for (sheet, ref), typed in case.typed.items():
        where = f"{sheet}!{ref} {typed.text[:40]!r} ({typed.how})"
        naming = [p for p in named.get(sheet, []) if p["cell"] and _in_range(ref, p["cell"])]
        rows = stored.get((sheet, ref), [])
        if not rows and not naming:
            verdict.lost.append(where)
            continue
        clean = (sheet, split_ref(ref)[1]) not in case.dirty_rows
        if typed.expect and (clean or typed.expect not in ROW_CODES) \
                and typed.expect not in {p["code"] for p in naming}:
            verdict.misreported.append(f"{where}: expected {typed.expect}, got "
                                       f"{sorted({p['code'] for p in naming})}")
        if not rows:
            continue
        if typed.whole and not any(_same_text(row, typed) for row in rows):
            verdict.changed.append(f"{where}: stored {[r['raw'][:40] for r in rows]}")
            continue
        if not naming and typed.number is not None and not any(
                row["number"] is None or _close(row["number"], typed.number) for row in rows):
            verdict.changed.append(f"{where}: number {[r['number'] for r in rows]}")
    return verdict


def _same_text(row: dict, typed: Typed) -> bool:
    if row["raw"] == typed.text or (typed.text.startswith("=") and row["formula"] == typed.text):
        return True
    if typed.number is not None:  # a number: the same number, in any spelling
        got = _number_of(row["raw"])
        return got is not None and _close(got, typed.number)
    return False


def _close(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-15)


# -- running a case ----------------------------------------------------------------------------
def judge(case: Case, folder: Path) -> Verdict:
    """Collect the case's return into a new store, read the store back with plain SQL (not
    through Store), and classify every typed cell. The return and the store are removed."""
    import sqlite3

    from generator.collection.collect import collect
    from generator.collection.store import Store

    store_path = folder / f"store_{case.seed}.sqlite"
    try:
        with Store(store_path) as store:
            collect([case.path], store, case.template.catalogue)
        db = sqlite3.connect(store_path)
        db.row_factory = sqlite3.Row
        cells = [dict(row) for row in db.execute("SELECT * FROM cells")]
        problems = [dict(row) for row in db.execute("SELECT * FROM problems")]
        db.close()
        return check(case, cells, problems)
    finally:
        for path in (case.path, store_path):
            path.unlink(missing_ok=True)


def run_case(rnd: random.Random, folder: Path, templates: Templates, seed: int = 0,
             plan: Plan | None = None) -> tuple[Case, Verdict]:
    """Make a case and judge it."""
    case = make_case(rnd, folder, templates, seed, plan)
    return case, judge(case, folder)

"""The referee: LibreOffice recalculates the scorecard workbooks; every status and direction
cell must equal what the Python core says.

Three workbooks are recalculated in one LibreOffice call: seed 004's demo scorecard, the
multi-period sample (with risks), and 1,200 generated measures covering every polarity, both
tolerance kinds, tolerance 0, target 0, negative values, missing, suppressed and placeholder
values, and every boundary (on target, exactly at the tolerance edge and just past it, at
twice the tolerance for Plan is Best, at the no-change threshold), some with an officer's
override of the status. Each workbook is re-saved by openpyxl first, which drops every cached
value (the Python answers the builder stores), so every value compared can only come from
LibreOffice calculating the formulas: the rule's Status, and beside it the Reported status
and Judgement that follow an override.
"""

from __future__ import annotations

import math
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from generator.demo import SAMPLE_RISKS, sample_data, seed004_data
from generator.workbooks.book import HEADER_ROW
from generator.workbooks.data import BASIS_DIFFERS, BASIS_JUDGEMENT, BASIS_RULE
from generator.workbooks.data_csv import load_scorecard_data
from generator.workbooks.libreoffice import recalculate
from generator.workbooks.publish import round_half_away
from generator.workbooks.risks_data import load_risks
from generator.workbooks.scorecard import build_scorecard
from generator.workbooks.summary import summary_counts
from scorecard.direction import direction, direction_arrow
from scorecard.rag import Tolerance, rag
from scorecard.risk import risk_level, risk_score

pytestmark = [
    pytest.mark.libreoffice,
    # openpyxl cannot read sparklines; the referee only reads values.
    pytest.mark.filterwarnings("ignore:Sparkline Group extension:UserWarning"),
]

POLARITIES = ["Bigger is Better", "Smaller is Better", "Plan is Best", "No polarity"]
MISSING = ["", "[c]", "[x]", "[z]", "[low]", "n/a"]
PERIODS = ["2023/24 Q3", "2023/24 Q4"]


def generated_frame(count: int = 1200, seed: int = 20240331) -> pd.DataFrame:
    """`count` measures, two periods each, aimed at every boundary of the rules."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(count):
        polarity = POLARITIES[index % 4]
        kind = ("relative", "absolute")[(index // 4) % 2]
        amount = float(rng.choice([0, 2, 2.5, 5, 10]))
        target = float(rng.choice([0.0, -2.5, 50.0, 85.0, 1375.0, 0.3,
                                   round(rng.uniform(-100, 1000), 2)]))
        allowance = amount if kind == "absolute" else amount / 100 * abs(target)
        sign = -1 if polarity == "Smaller is Better" else 1
        case = (index // 8) % 12
        actual: object = {
            0: target,
            1: target - sign * allowance,                # exactly at the tolerance edge
            2: target - sign * (allowance + 0.05),       # just past it
            3: target + sign * allowance,                # better by the tolerance
            4: target - sign * 2 * allowance,            # Plan is Best: twice the tolerance
            5: target + 2 * allowance + 0.01,
            6: round(target + rng.normal(0, max(1.0, abs(target)) * 0.08), 1),
            7: round(target + rng.normal(0, 3), 2),
            8: rng.choice(MISSING),
            9: -abs(round(rng.uniform(0, 50), 1)),
            10: round(target * (1 - amount / 100), 4),
            11: round(rng.uniform(-10, 100), 3),
        }[case]
        threshold = float(rng.choice([0, 0, 0.5, 1]))
        step = rng.integers(0, 6)
        previous: object
        if isinstance(actual, str):
            previous = round(rng.uniform(0, 100), 1)
        else:
            previous = {0: actual, 1: actual - threshold, 2: actual + threshold,
                        3: actual - threshold - 0.1, 4: rng.choice(MISSING),
                        5: round(actual + rng.normal(0, 5), 1)}[int(step)]
        target_cell: object = target if index % 23 else rng.choice(["", "[x]"])
        commentary = ["=1+1", "+44 7000", "-fell", "@mention", "plain text", ""][index % 6]
        # Every seventh measure carries an officer's override (each status in turn, in
        # different spellings), so the Reported status differs from the rule's or agrees.
        override = (["GREEN", "amber", "Red", "no status"][(index // 7) % 4]
                    if index % 7 == 3 else "")
        base = {"indicator_id": f"R{index:04d}", "name": f"Generated measure {index}",
                "theme": f"Generated {index % 3 + 1}", "polarity": polarity, "unit": "score",
                "tolerance_type": kind, "tolerance": amount, "no_change_threshold": threshold}
        rows.append({**base, "period": PERIODS[0], "actual": previous, "target": "",
                     "commentary": ""})
        rows.append({**base, "period": PERIODS[1], "actual": actual, "target": target_cell,
                     "commentary": commentary, "rag_override": override,
                     "override_reason": f"Officer's judgement {index}" if override else ""})
    return pd.DataFrame(rows)


def expected_from_frame(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Status, direction, arrow, reported status and judgement from the Python core, straight
    from the input rows (the override as typed, upper-cased)."""
    expected = {}
    for indicator_id, rows in frame.groupby("indicator_id", sort=False):
        before, now = rows.iloc[0], rows.iloc[1]
        tolerance = Tolerance(now["tolerance_type"], float(now["tolerance"]))
        status = rag(now["actual"], now["target"], now["polarity"], tolerance).status.value
        override = (now["rag_override"] or "").upper()
        judgement = (BASIS_RULE if not override else
                     BASIS_JUDGEMENT if override == status else BASIS_DIFFERS)
        expected[indicator_id] = (
            status,
            direction(now["actual"], before["actual"], now["polarity"],
                      float(now["no_change_threshold"]), target=now["target"]).value,
            direction_arrow(now["actual"], before["actual"], float(now["no_change_threshold"])),
            override or status, judgement,
        )
    return expected


def rounding_cases(seed: int = 7) -> list[tuple[float, int]]:
    """(value, decimal places) for ROUND: halves at every scale, float artefacts either side
    of a half (2.675, 68.19999999999999, 111.64999999999999), negatives and random figures."""
    rng = np.random.default_rng(seed)
    cases = [(2.25, 1), (-2.25, 1), (2.675, 2), (68.19999999999999, 1), (1.015 * 110, 1),
             (10.5, 0), (0.5, 0), (-2.5, 0), (1.005, 2), (0.285, 2), (-0.125, 2), (0.1 + 0.2, 1)]
    cases += [(round(float(rng.uniform(-1000, 1000)), int(p) + 1), int(p))
              for p in rng.integers(0, 3, 300)]
    cases += [((int(k) + 0.5) / 10 ** int(p), int(p))
              for k, p in zip(rng.integers(-10000, 10000, 300), rng.integers(0, 4, 300), strict=True)]
    cases += [(float(a) * float(b), 1) for a, b in
              zip(rng.uniform(0, 100, 200).round(1), rng.uniform(0, 3, 200).round(2), strict=True)]
    return cases


def rounding_workbook(path):
    """Value, places and =ROUND(value, places) on each row (for LibreOffice to calculate)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for row, (value, places) in enumerate(rounding_cases()):
        sheet.write_number(row, 0, value)
        sheet.write_number(row, 1, places)
        sheet.write_formula(row, 2, f"=ROUND(A{row + 1},B{row + 1})")
    workbook.close()
    return path


def theme_cells(workbook) -> dict[str, dict[str, object]]:
    """Every theme-sheet row, by indicator code: header -> value."""
    found = {}
    for sheet in workbook.worksheets:
        header = [cell.value for cell in sheet[HEADER_ROW + 1]]
        if "Status" not in header or "Code" not in header:
            continue
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True):
            if row[header.index("Code")] is not None:
                found[row[header.index("Code")]] = dict(zip(header, row, strict=False))
    return found


def strip_cached_values(path, out):
    """Re-save with openpyxl, which keeps formulas but writes no cached results (checked: the
    referee means nothing if a cached answer survives)."""
    workbook = openpyxl.load_workbook(path)
    workbook.save(out)
    with zipfile.ZipFile(out) as book:
        for part in book.namelist():
            if part.startswith("xl/worksheets/sheet"):
                cached = re.search(r"</f><v>[^<]", book.read(part).decode("utf-8"))
                assert cached is None, f"{out} {part}: a formula kept its cached value"
    return out


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, libreoffice):
    """Build the three workbooks, recalculate them in one LibreOffice call, open the results."""
    folder = tmp_path_factory.mktemp("referee")
    frame = generated_frame()
    generated = load_scorecard_data(frame, "Generated", PERIODS[1])
    built = [
        build_scorecard(seed004_data(), folder / "seed004_built.xlsx"),
        build_scorecard(sample_data(), folder / "sample_built.xlsx",
                        risks=load_risks(SAMPLE_RISKS)),
        build_scorecard(generated, folder / "generated_built.xlsx", measure_pages=False),
        rounding_workbook(folder / "rounding_built.xlsx"),
    ]
    paths = [strip_cached_values(path, folder / path.name.replace("_built", ""))
             for path in built]
    outputs = recalculate(paths, folder / "recalculated")
    books = [openpyxl.load_workbook(path, data_only=True) for path in outputs]
    return {"seed004": books[0], "sample": books[1], "generated": books[2], "frame": frame,
            "generated_data": generated, "rounding": books[3]}


def check_against_core(workbook, data) -> list[str]:
    cells = theme_cells(workbook)
    problems = []
    for measure in data.measures:
        row = cells[measure.id]
        status = data.status(measure)
        judgement = data.judge(measure)
        want = {"Status": status.status.value, "Key": status.symbol,
                "Direction of travel": data.direction(measure).value,
                "Move": direction_arrow(measure.value(data.period),
                                        measure.value(data.previous_period),
                                        measure.no_change_threshold) or None}
        if data.has_overrides:
            want |= {"Reported status": judgement.reported.value, "Judgement": judgement.basis}
        for header, value in want.items():
            if row[header] != value:
                problems.append(f"{measure.id} {header}: LibreOffice {row[header]!r}, "
                                f"Python {value!r}")
    return problems


def test_seed004_statuses_and_directions_match_python(recalculated):
    """Every status, key symbol, direction and arrow in seed 004's workbook, recalculated by
    LibreOffice, equals the Python core."""
    problems = check_against_core(recalculated["seed004"], seed004_data())
    assert not problems, "\n".join(problems[:20])


def test_seed004_workbook_has_every_measure(recalculated):
    """All 29 of seed 004's measures are on its theme sheets."""
    assert len(theme_cells(recalculated["seed004"])) == 29


def test_sample_statuses_directions_and_summary_match_python(recalculated):
    """The multi-period sample (two statuses overridden): every rule status, reported status,
    judgement and direction, and the Summary's live counts of reported statuses (NO STATUS
    split into context measures and missing data) and of overrides."""
    data = sample_data()
    assert data.has_overrides
    judged = {measure.id: data.judge(measure) for measure in data.measures}
    workbook = recalculated["sample"]
    problems = check_against_core(workbook, data)
    summary = workbook["Summary"]
    seen = 0
    for row in summary.iter_rows(min_row=HEADER_ROW + 2, values_only=True):
        if row[0] in data.themes():
            measures = data.by_theme(row[0])
            bases = [judged[m.id].basis for m in measures]
            counts = [*summary_counts(measures, judged), len(measures),
                      len(measures) - bases.count(BASIS_RULE), bases.count(BASIS_DIFFERS)]
            seen += 1
            if list(row[1:9]) != counts:
                problems.append(f"Summary {row[0]}: LibreOffice {row[1:9]}, Python {counts}")
    assert seen == len(data.themes())
    assert not problems, "\n".join(problems[:20])


def test_measure_pages_follow_theme_sheets(recalculated):
    """Each measure page's status, reported status, judgement and direction (references to
    the theme sheet) equal Python. A page starts where its line "code · theme ..." is."""
    data = sample_data()
    sheet = recalculated["sample"]["Measures"]
    labels = {}
    current = None
    for row in sheet.iter_rows(values_only=True, max_col=3):
        code = str(row[0] or "").split(" · ")[0]
        if code in {m.id for m in data.measures}:
            current = code
        elif current and row[0] in {"Status", "Reported status", "Judgement",
                                    "Direction of travel"}:
            labels[current, row[0]] = row[1]
    for measure in data.measures:
        judgement = data.judge(measure)
        assert labels[measure.id, "Status"] == judgement.status.status.value
        assert labels[measure.id, "Reported status"] == judgement.reported.value
        assert labels[measure.id, "Judgement"] == judgement.basis
        assert labels[measure.id, "Direction of travel"] == judgement.direction.value


def test_risk_scores_and_levels_match_python(recalculated):
    """Risk register score, level and change formulas, recalculated, equal scorecard.risk
    (and Risk.change for the change)."""
    sheet = recalculated["sample"]["Risks"]
    values = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(values) if row[0] == "ID") + 1
    rows = [row for row in values[start:] if row[0]]
    risks = {risk.id: risk for risk in load_risks(SAMPLE_RISKS)}
    assert len(rows) == len(risks)
    for row in rows:
        assert row[3] == risk_score(row[1], row[2])
        assert row[4] == risk_level(row[3])
        assert (row[5] or "") == risks[row[0]].change, row[0]


def test_generated_rows_match_python_at_every_boundary(recalculated):
    """1,200 generated measures with no cached values: LibreOffice's status, direction and
    arrow equal the Python core computed straight from the input rows."""
    cells = theme_cells(recalculated["generated"])
    expected = expected_from_frame(recalculated["frame"])
    assert len(cells) == len(expected) >= 1000
    problems = []
    for indicator_id, want in expected.items():
        row = cells[indicator_id]
        got = (row["Status"], row["Direction of travel"], row["Move"] or "",
               row["Reported status"], row["Judgement"])
        if got != want:
            problems.append(f"{indicator_id}: LibreOffice {got}, Python {want}")
    assert not problems, f"{len(problems)} differ:\n" + "\n".join(problems[:20])


def test_generated_rows_cover_every_case():
    """The generated data reaches every status, every direction, both tolerance kinds,
    tolerance 0, target 0, negative actuals and missing values (no spreadsheet engine needed)."""
    frame = generated_frame()
    expected = expected_from_frame(frame)
    statuses = {want[0] for want in expected.values()}
    directions = {want[1] for want in expected.values()}
    assert statuses == {"GREEN", "AMBER", "RED", "NO STATUS"}
    assert directions == {"Improving", "Declining", "No change", "Not comparable"}
    assert {want[4] for want in expected.values()} == {BASIS_RULE, BASIS_JUDGEMENT, BASIS_DIFFERS}
    assert {want[3] for want in expected.values() if want[4] != BASIS_RULE} == statuses
    assert set(frame["tolerance_type"]) == {"relative", "absolute"}
    assert set(frame["polarity"]) == set(POLARITIES)
    assert (frame["tolerance"] == 0).any() and (frame["target"] == 0).any()
    numbers = pd.to_numeric(frame["actual"], errors="coerce")
    assert (numbers < 0).any()
    assert frame["actual"].isin(MISSING).any()
    data = load_scorecard_data(frame, "Generated", PERIODS[1])
    on_edge = 0
    for measure in data.measures:
        actual, target = measure.value(data.period), measure.target(data.period)
        if isinstance(actual, float) and isinstance(target, float) and measure.polarity.is_judged:
            gap = abs(actual - target)
            on_edge += math.isclose(gap, measure.tolerance.allowance(target), abs_tol=1e-12)
    assert on_edge >= 50


def test_generated_commentary_stays_text(recalculated):
    """Commentary starting with =, +, - or @ comes back from LibreOffice as the same text."""
    cells = theme_cells(recalculated["generated"])
    frame = recalculated["frame"]
    latest = frame[frame["period"] == PERIODS[1]].set_index("indicator_id")["commentary"]
    for indicator_id, text in latest.items():
        assert (cells[indicator_id]["Commentary"] or "") == text


def test_published_rounding_matches_libreoffice_round(recalculated):
    """round_half_away (the published version's rounding) equals the spreadsheet's ROUND for
    every case, float artefacts either side of a half included."""
    sheet = recalculated["rounding"].active
    cases = rounding_cases()
    problems = [f"ROUND({value!r}, {places}): LibreOffice {sheet.cell(row, 3).value!r}, "
                f"round_half_away {round_half_away(value, places)!r}"
                for row, (value, places) in enumerate(cases, start=1)
                if sheet.cell(row, 3).value != round_half_away(value, places)]
    assert len(cases) > 800
    assert not problems, "\n".join(problems[:20])


def test_builds_printed_status_counts_are_the_summary_sheets(recalculated):
    """The line `scorecard build` prints (status_counts) gives, for the sample with two overrides, the totals of
    the Summary's live counts as LibreOffice recalculates them: reported GREEN, AMBER, RED, context measures,
    missing data, and the overrides (it once counted the rule's statuses while the workbook reported others)."""
    from generator.cli.commands.build import status_counts

    data = sample_data()
    totals = [0] * 8
    for row in recalculated["sample"]["Summary"].iter_rows(min_row=HEADER_ROW + 2, values_only=True):
        if row[0] in data.themes():
            totals = [total + count for total, count in zip(totals, row[1:9], strict=True)]
    green, amber, red, context, missing, _, overrides, differ = totals
    assert overrides > 0
    line = status_counts(data)
    assert line.startswith(f"statuses for {data.period}: {green} GREEN, {amber} AMBER, {red} RED, "
                           f"{context + missing} NO STATUS ({context} context measure"), line
    assert f", {missing} missing data); {overrides} are officers' judgements ({differ} differ" in line, line

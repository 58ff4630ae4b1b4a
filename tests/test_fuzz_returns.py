"""The return fuzzer (issue 13), bounded for CI: hostile returns generated and damaged at the
openpyxl and zip/XML levels (tests/return_fuzzer.py), each collected into a store, and every
typed cell checked against what the store and the report say. The long run (10,000 returns)
is `make fuzz` (benchmarks/fuzz_returns.py). About a minute."""

from __future__ import annotations

import random

import pytest
from collect_strategies import fuzz_plans
from hypothesis import HealthCheck, given, settings
from return_fuzzer import Templates, check, run_case


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return Templates(tmp_path_factory.mktemp("fuzz-templates"))


@settings(max_examples=70, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=fuzz_plans())
def test_nothing_typed_is_lost_or_silently_changed(drawn, templates, tmp_path_factory):
    """For a hostile return: no reader fault, and every typed cell is stored with its text
    whole (and its number, if used) or named in the report by file, sheet and cell; in a row
    as issued, under the code its class needs (text_in_number, out_of_range, damaged_cell,
    formula_no_value, number_as_text, ...). A return made unreadable on purpose is refused
    with the right code."""
    plan, seed = drawn
    case, verdict = run_case(random.Random(seed), tmp_path_factory.mktemp("fuzz"), templates,
                             seed, plan)
    summary = f"{plan}, seed {seed}: {case.mutations}"
    assert verdict.crash is None, summary
    assert not verdict.lost, (summary, verdict.lost[:5])
    assert not verdict.changed, (summary, verdict.changed[:5])
    assert not verdict.misreported, (summary, verdict.misreported[:5])
    assert verdict.typed > 0 or case.refused or not case.typed


def test_the_oracle_sees_a_lost_cell(templates, tmp_path):
    """The oracle can fail: a stored cell removed and a problem dropped from what the store
    says are counted as lost and as misreported; a stored number changed as changed."""
    case, verdict = run_case(random.Random(7), tmp_path, templates, 7)
    assert not verdict.lost
    (sheet, ref), typed = next((k, t) for k, t in case.typed.items() if t.number is not None)
    cells = [{"sheet": sheet, "cell": ref, "raw": typed.text, "number": typed.number + 1,
              "formula": None}]
    verdict = check(case, cells, [])
    assert verdict.changed and len(verdict.lost) == len(case.typed) - 1
    wanted = {"sheet": sheet, "cell": ref, "code": "some_other_code"}
    typed.expect = "text_in_number"
    assert check(case, cells, [wanted]).misreported

"""Benchmark: one call over 100,000 rows, for RAG and for RATE_CI, against the vectorised core in the same run.

Run:  python benchmarks/bench_server.py [--rows 100000] [--repeat 9] [--warmup 3]

For each function it times, best of --repeat after --warmup untimed runs (wall clock, Python's garbage
collector on, as in a server; a fresh server process is slower for its first few large calls, while the
memory allocator settles: measured, 20,000 page faults in the first 100,000-row RAG call, 9,000 in the tenth,
3,000 from the thirtieth on):
- the core's vectorised function on numpy arrays (rag_vectorised, rate_ci_vectorised);
- the same function given the Python lists Excel hands over (rows of cells), so it converts them itself;
- the Excel function in udfs.functions called directly with those lists (what the classic add-in and
  xlwings' call run), and
- the whole call over HTTP to a real server (uvicorn on 127.0.0.1, the body Scorecard's glue sends for what
  Excel's runtime hands it, each column as {"column": [cells]} (local_server.body), pre-encoded without
  spaces as the glue's JSON.stringify does; timed from sending to the answer decoded with orjson, standing
  in for the JSON.parse of Excel's runtime; Python's json module decoded these answers 2-45 ms slower).

Targets (issue 9): the direct call within 2x, the HTTP call within 3x. It prints each time with its ratio to
both baselines (the core on numpy arrays, and the core on the same Python lists: what the function is handed)
and says for each whether the target is met. It checks every route gave the same answers (exit 1 if not).
Timings on a shared machine vary: the ratios are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import httpx
import numpy as np
import orjson
from local_server import CALL, body, headers, local_server

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from scorecard import rates  # noqa: E402
from scorecard.rag import rag_vectorised  # noqa: E402
from udfs import functions  # noqa: E402

POLARITIES = np.array(["Bigger is Better", "Smaller is Better", "Plan is Best"], dtype=object)


def best(function, runs: tuple[int, int]):
    """Best wall-clock time of `repeat` runs after `warmup` untimed ones (runs = (repeat, warmup)), and the
    last answer."""
    repeat, warmup = runs
    for _ in range(warmup):
        function()
    fastest, answer = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = function()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, answer


def column(values) -> list[list]:
    """A numpy column as Excel's rows of cells (whole numbers as ints, as Office.js sends them)."""
    return [[value] for value in values.tolist()]


def over_http(url: str, func_name: str, args: list, runs: tuple[int, int]):
    payload = json.dumps(body(func_name, args), separators=(",", ":")).encode()
    with httpx.Client(timeout=120) as client:
        def one():
            response = client.post(url + CALL, content=payload, headers=headers())
            response.raise_for_status()
            return orjson.loads(response.content)["result"]
        return best(one, runs)


ARRAYS, LISTS = "core on arrays", "core on Excel's lists"
DIRECT, HTTP = "direct", "HTTP end to end"
TARGETS = {DIRECT: 2.0, HTTP: 3.0}


def report(name: str, times: dict[str, float]) -> None:
    """Each time with its ratio to both baselines, and whether each target is met against each."""
    print(f"\n{name}")
    print(f"  {'':<34} {'time':>8}   {'/ ' + ARRAYS:>16}   {'/ ' + LISTS:>23}")
    for label, seconds in times.items():
        print(f"  {label:<34} {seconds * 1000:6.1f} ms   {seconds / times[ARRAYS]:15.1f}x   "
              f"{seconds / times[LISTS]:22.1f}x")
    for route, target in TARGETS.items():
        verdicts = [f"{seconds / times[base]:.1f}x {base} ({'met' if seconds <= target * times[base] else 'NOT met'})"
                    for seconds in [times[route]] for base in (LISTS, ARRAYS)]
        print(f"  target {route} within {target:g}x: " + "; ".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    runs = (args.repeat, args.warmup)
    rng = np.random.default_rng(9)
    targets = rng.normal(50, 30, args.rows).round(1)
    actuals = (targets + rng.normal(0, 6, args.rows)).round(1)
    polarities = POLARITIES[rng.integers(0, 3, args.rows)]
    events = rng.integers(0, 400, args.rows)
    population = rng.integers(1_000, 200_000, args.rows)
    rag_lists = [column(actuals), column(targets), column(polarities)]
    ci_lists = [column(events), column(population)]

    rag_times, ci_times, answers = {}, {}, {}
    rag_times[ARRAYS], core = best(lambda: rag_vectorised(actuals, targets, polarities), runs)
    rag_times[LISTS], _ = best(lambda: rag_vectorised(*rag_lists), runs)
    rag_times[DIRECT], answers["rag direct"] = best(lambda: functions.rag(*rag_lists), runs)
    ci_times[ARRAYS], (low, high) = best(lambda: rates.rate_ci_vectorised(events, population), runs)
    ci_times[LISTS], _ = best(lambda: rates.rate_ci_vectorised(*ci_lists), runs)
    ci_times[DIRECT], answers["ci direct"] = best(lambda: functions.rate_ci(*ci_lists), runs)
    with local_server() as url:
        rag_times[HTTP], answers["rag http"] = over_http(url, "rag", [*rag_lists, None, None], runs)
        ci_times[HTTP], answers["ci http"] = over_http(url, "rate_ci", [*ci_lists, None, None, None], runs)
    print(f"rows: {args.rows:,}; best of {args.repeat} after {args.warmup} untimed; "
          "direct = udfs.functions.rag / rate_ci called with the lists")
    report(f"RAG (actual, target, polarity: three {args.rows:,}-row columns)", rag_times)
    report("RATE_CI (events, population; lower and upper limits)", ci_times)
    expected_rag = [[word] for word in core.tolist()]
    expected_ci = [[lower, upper] for lower, upper in zip(low.tolist(), high.tolist(), strict=True)]
    disagreements = [name for name, answer in answers.items()
                     if answer != (expected_rag if name.startswith("rag") else expected_ci)]
    print("\nall routes agree with the core" if not disagreements else f"\nDISAGREE: {disagreements}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())

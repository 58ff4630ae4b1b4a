"""Benchmark: rag_vectorised against a per-row loop over rag_status and a plain numpy version.

Run:  python benchmarks/bench_rag.py [--rows 1000000] [--loop-rows N] [--seed 4]

The data are random but reproducible (fixed seed): actuals and targets (some NaN), the four
polarities mixed row by row, both tolerance kinds mixed row by row, and a share of rows placed
exactly on target and exactly on the tolerance edge so the boundaries are exercised. All three
implementations must give the same status on every row the loop covers (the loop is timed on
--loop-rows rows and scaled up linearly when that is fewer than --rows; it says so). The
vectorised and numpy answers are compared on every row.

Targets (issue 2): rag_vectorised at least 50x faster than the loop, and no more than 2x the
time of the plain numpy implementation. Disagreement always exits 1; a missed speed target
prints TARGET MISSED and exits 1 only with --strict, because timings on a shared machine vary.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from scorecard.rag import Tolerance, rag_status, rag_vectorised

POLARITIES = np.array(
    ["Bigger is Better", "Smaller is Better", "Plan is Best", "No polarity"], dtype=object
)
KINDS = np.array(["relative", "absolute"], dtype=object)


def make_data(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Random actuals, targets, polarities and tolerances (object arrays, as pandas holds text)."""
    rng = np.random.default_rng(seed)
    targets = rng.normal(50.0, 30.0, rows).round(1)
    actuals = (targets + rng.normal(0.0, 6.0, rows)).round(1)
    kinds = KINDS[rng.integers(0, 2, rows)]
    amounts = np.where(kinds == "relative", 5.0, rng.choice([0.0, 1.0, 2.5], rows))
    polarities = POLARITIES[rng.choice(4, rows, p=[0.45, 0.35, 0.15, 0.05])]
    # Exercise the boundaries: some rows exactly on target, some exactly at 1x / 2x tolerance.
    on_target = rng.random(rows) < 0.05
    actuals[on_target] = targets[on_target]
    edge = rng.random(rows) < 0.05
    allowance = np.where(kinds == "relative", amounts / 100 * np.abs(targets), amounts)
    step = allowance * rng.choice([-2.0, -1.0, 1.0, 2.0], rows)
    actuals[edge] = targets[edge] + step[edge]
    actuals[rng.random(rows) < 0.02] = np.nan
    targets[rng.random(rows) < 0.02] = np.nan
    return {"actuals": actuals, "targets": targets, "polarities": polarities,
            "kinds": kinds, "amounts": amounts}


def numpy_rag(actuals, targets, polarities, kinds, amounts) -> np.ndarray:
    """A plain numpy implementation of the rule (canonical polarity spellings only)."""
    bigger = polarities == "Bigger is Better"
    smaller = polarities == "Smaller is Better"
    plan = polarities == "Plan is Best"
    allowance = np.where(kinds == "absolute", amounts, amounts / 100 * np.abs(targets))
    slack = 1e-9 * np.maximum(1.0, np.abs(targets))
    gap = actuals - targets
    shortfall = np.where(smaller, gap, -gap)  # how far worse than target (negative: better)
    distance = np.abs(gap)
    green = np.where(plan, distance <= allowance + slack, shortfall <= slack)
    amber = np.where(plan, distance <= 2 * allowance + slack, shortfall <= allowance + slack)
    judged = (bigger | smaller | plan) & ~np.isnan(actuals) & ~np.isnan(targets)
    return np.select(
        [~judged, green, amber], ["NO STATUS", "GREEN", "AMBER"], default="RED"
    ).astype(object)


def loop_rag(actuals, targets, polarities, kinds, amounts) -> np.ndarray:
    """One rag_status call per row, as a user would write it without vectorising."""
    tolerances = {}
    out = np.empty(len(actuals), dtype=object)
    for i in range(len(actuals)):
        key = (kinds[i], amounts[i])
        tolerance = tolerances.get(key) or tolerances.setdefault(key, Tolerance(*key))
        out[i] = rag_status(actuals[i], targets[i], polarities[i], tolerance)
    return out


def best_time(function, *args, repeat: int = 5):
    """Best of `repeat` wall-clock runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loop-rows", type=int, default=None,
                        help="rows for the per-row loop, scaled up to --rows (default: all of them)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a speed target is missed (timings are machine-noisy)")
    args = parser.parse_args(argv)

    data = make_data(args.rows, args.seed)
    columns = (data["actuals"], data["targets"], data["polarities"], data["kinds"],
               data["amounts"])

    vector_time, vector = best_time(rag_vectorised, *columns)
    numpy_time, plain = best_time(numpy_rag, *columns)
    loop_rows = min(args.loop_rows or args.rows, args.rows)
    # The full loop takes seconds: once is enough for a 50x comparison; a sample gets three tries.
    loop_repeat = 1 if loop_rows >= 500_000 else 3
    loop_part, looped = best_time(loop_rag, *(column[:loop_rows] for column in columns), repeat=loop_repeat)
    loop_time = loop_part * args.rows / loop_rows

    disagree_numpy = int((vector != plain).sum())
    disagree_loop = int((vector[:loop_rows] != looped).sum())
    counts = {word: int((vector == word).sum()) for word in ("GREEN", "AMBER", "RED", "NO STATUS")}

    print(f"rows: {args.rows:,} (seed {args.seed}); statuses: {counts}")
    print(f"rag_vectorised:      {vector_time:8.3f} s")
    print(f"plain numpy:         {numpy_time:8.3f} s")
    scaled = "" if loop_rows == args.rows else (
        f" (timed on {loop_rows:,} rows: {loop_part:.3f} s, scaled x{args.rows / loop_rows:g})")
    print(f"per-row rag_status:  {loop_time:8.3f} s{scaled}")
    speedup, ratio = loop_time / vector_time, vector_time / numpy_time
    print(f"vectorised is {speedup:,.0f}x faster than the loop; {ratio:.2f}x the numpy time")
    print(f"disagreements: vectorised vs numpy {disagree_numpy}, "
          f"vectorised vs loop {disagree_loop} (on {loop_rows:,} rows)")

    missed = []
    if speedup < 50:
        missed.append(f"speed-up {speedup:.0f}x is below the 50x target")
    if ratio > 2:
        missed.append(f"{ratio:.2f}x the numpy time is above the 2x target")
    for message in missed:
        print(f"TARGET MISSED: {message}")
    if disagree_numpy or disagree_loop:
        print("FAIL: the implementations disagree")
        return 1
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

"""The long fuzz run of collection (issue 13): 10,000 hostile returns, each collected into a
store and every typed cell checked against what the store and the report say.

    .venv/bin/python benchmarks/fuzz_returns.py [--returns 10000] [--workers 2]
    .venv/bin/python benchmarks/fuzz_returns.py --only SEED     # one case, in full

Returns are made and damaged by tests/return_fuzzer.py (openpyxl and zip/XML levels; the
oracle knows what was typed from the mutations, never from the reader). Each worker is a
separate process: a return that kills its process counts as a crash, one that takes over
--timeout seconds as a hang, and the run goes on with the next. Prints: returns, typed cells,
crashes, hangs, cells lost, cells silently changed, misreported, and examples with seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
EXAMPLES = 5  # failures kept per kind, with their seeds


def work(first: int, last: int) -> None:
    """Worker: one JSON line per seed, each preceded by 'start SEED'."""
    sys.path.insert(0, str(TESTS))
    from return_fuzzer import Templates, judge, make_case

    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    templates = Templates(folder)
    for seed in range(first, last):
        print(f"start {seed}", flush=True)
        started = time.perf_counter()
        result = {"seed": seed}
        try:
            case = make_case(random.Random(seed), folder, templates, seed)
        except Exception:  # noqa: BLE001 - a fault in the fuzzer itself, reported apart
            result["fuzzer_error"] = traceback.format_exc()[-1500:]
        else:
            result |= {"typed": len(case.typed), "mutations": case.mutations}
            try:
                verdict = judge(case, folder)
            except Exception:  # noqa: BLE001 - collect raised: a crash
                result["crash"] = traceback.format_exc()[-1500:]
            else:
                result |= {"crash": verdict.crash, "refused": verdict.refused,
                           "lost": verdict.lost, "changed": verdict.changed,
                           "misreported": verdict.misreported}
        result["seconds"] = time.perf_counter() - started
        print(json.dumps(result), flush=True)


def _spawn(first: int, last: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--worker", str(first), str(last)],
                            stdout=subprocess.PIPE, text=True, bufsize=1)


def run(total: int, workers: int, timeout: float, base: int, failures) -> dict:
    """Run seeds base..base+total over `workers` processes; restart a worker after a crash
    or a hang at the next seed. Every failure goes to `failures` (a text file). Returns the
    totals."""
    tally = Counter()
    examples = _Examples(failures)
    share = -(-total // workers)
    ranges = [(base + n * share, min(base + (n + 1) * share, base + total))
              for n in range(workers)]
    selector = selectors.DefaultSelector()
    state = {}  # process -> [current seed or None, started at, last seed]

    def start(first, last):
        if first >= last:
            return
        process = _spawn(first, last)
        selector.register(process.stdout, selectors.EVENT_READ, process)
        state[process] = [None, time.monotonic(), last]

    def restart_after(process, kind, detail):
        seed, _, last = state.pop(process)
        selector.unregister(process.stdout)
        process.kill()
        process.wait()
        tally["returns"] += 1
        tally[kind] += 1
        examples.add(kind, f"seed {seed}: {detail}")
        start(seed + 1, last)

    for first, last in ranges:
        start(first, last)
    began = time.monotonic()
    while state:
        for key, _ in selector.select(timeout=1.0):
            process = key.data
            line = process.stdout.readline()
            if not line:  # the worker ended: done, or killed mid-seed (a crash)
                if state[process][0] is not None:
                    restart_after(process, "crashes",
                                  f"worker died (exit {process.wait()})")
                else:
                    selector.unregister(process.stdout)
                    process.wait()
                    state.pop(process)
                continue
            if line.startswith("start "):
                state[process][0], state[process][1] = int(line.split()[1]), time.monotonic()
                continue
            result = json.loads(line)
            state[process][0] = None
            _count(result, tally, examples)
        now = time.monotonic()
        for process, (seed, since, _) in list(state.items()):
            if seed is not None and now - since > timeout:
                restart_after(process, "hangs", f"over {timeout:.0f}s")
        done = tally["returns"]
        if done and done % 500 == 0 and tally["_shown"] != done:
            tally["_shown"] = done
            print(f"  {done:,} returns, {now - began:.0f}s: lost {tally['lost']}, changed "
                  f"{tally['changed']}, crashes {tally['crashes']}, hangs {tally['hangs']}",
                  file=sys.stderr, flush=True)
    tally["seconds"] = int(time.monotonic() - began)
    return {"tally": tally, "examples": examples.first}


class _Examples:
    """The first EXAMPLES failures of each kind kept for printing; all written to a file."""

    def __init__(self, handle):
        self.handle, self.first = handle, {}

    def add(self, kind: str, text: str) -> None:
        items = self.first.setdefault(kind, [])
        if len(items) < EXAMPLES:
            items.append(text)
        self.handle.write(f"{kind}\t{text}\n")
        self.handle.flush()


def _count(result: dict, tally: Counter, examples: _Examples) -> None:
    seed = result["seed"]
    tally["returns"] += 1
    tally["seconds_in_cases"] += result["seconds"]
    if "fuzzer_error" in result:
        tally["fuzzer_errors"] += 1
        examples.add("fuzzer_errors", f"seed {seed}: {result['fuzzer_error']}")
        return
    tally["typed"] += result["typed"]
    if result.get("crash"):
        tally["crashes"] += 1
        examples.add("crashes", f"seed {seed}: {result['crash']}")
        return
    tally["refused_on_purpose"] += bool(result.get("refused"))
    for kind in ("lost", "changed", "misreported"):
        tally[kind] += len(result[kind])
        for item in result[kind]:
            examples.add(kind, f"seed {seed} {result['mutations']}: {item}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before one return counts as a hang")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--only", type=int, help="run one seed and print it in full")
    parser.add_argument("--failures", type=Path,
                        default=Path(tempfile.gettempdir()) / "scorecard_fuzz_failures.txt",
                        help="every failure, one a line (default: %(default)s)")
    parser.add_argument("--worker", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(*args.worker)
        return 0
    if args.only is not None:
        work(args.only, args.only + 1)
        return 0
    print(f"fuzzing {args.returns:,} returns in {args.workers} worker(s) from seed {args.seed}",
          file=sys.stderr)
    with args.failures.open("w", encoding="utf-8") as failures:
        outcome = run(args.returns, args.workers, args.timeout, args.seed, failures)
    tally, examples = outcome["tally"], outcome["examples"]
    rate = tally["returns"] / max(tally["seconds"], 1)
    print(f"returns {tally['returns']:,}  typed cells {tally['typed']:,}  crashes "
          f"{tally['crashes']}  hangs {tally['hangs']}  cells lost {tally['lost']}  cells "
          f"silently changed {tally['changed']}  misreported {tally['misreported']}  "
          f"(refused on purpose {tally['refused_on_purpose']}, fuzzer errors "
          f"{tally['fuzzer_errors']}; {tally['seconds']:,}s wall, {rate:.1f} returns/s, "
          f"{tally['seconds_in_cases'] / max(tally['returns'], 1):.2f}s per return)")
    for kind, items in examples.items():
        print(f"{kind}:")
        for item in items:
            print(f"  {item[:600]}")
    if examples:
        print(f"every failure: {args.failures}")
    bad = sum(tally[k] for k in ("crashes", "hangs", "lost", "changed", "misreported",
                                 "fuzzer_errors"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

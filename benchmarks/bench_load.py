"""Load test: do small calls wait behind a large one? 50 concurrent 1-cell calls alongside one 100,000-cell call.

Run:  python benchmarks/bench_load.py [--small 50] [--rows 100000] [--workers 1]

Starts the server with uvicorn on 127.0.0.1 (nothing else is contacted), then, in one run:
1. baseline: the 50 one-cell RAG calls on their own, all at once;
2. the 100,000-row RAG call on its own;
3. the large call, and 50 ms later the 50 small calls, all at once.
It prints each small call's latency (median, 95th percentile, worst) in 1 and 3, the large call's time,
and the ratio of the small calls' median with and without the large call beside them. Every request is
bounded (one round, 120 s timeout); the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time

import httpx
import numpy as np
from local_server import CALL, body, headers, local_server


def large_body(rows: int) -> bytes:
    rng = np.random.default_rng(3)
    targets = rng.normal(50, 30, rows).round(1)
    actuals = (targets + rng.normal(0, 6, rows)).round(1)
    polarities = np.array(["High", "Low", "Plan"], dtype=object)[rng.integers(0, 3, rows)]
    args = [[[value] for value in column.tolist()] for column in (actuals, targets, polarities)]
    return json.dumps(body("rag", [*args, None, None])).encode()


SMALL = json.dumps(body("rag", [[[90]], [[100]], [["High"]], None, None])).encode()


async def timed_post(client: httpx.AsyncClient, url: str, payload: bytes) -> float:
    start = time.perf_counter()
    response = await client.post(url + CALL, content=payload, headers=headers())
    response.raise_for_status()
    FINISHED.append((payload is SMALL, time.perf_counter()))
    return time.perf_counter() - start


FINISHED: list[tuple[bool, float]] = []  # (a one-cell call?, when it finished)


async def small_calls(client, url: str, count: int) -> list[float]:
    return list(await asyncio.gather(*(timed_post(client, url, SMALL) for _ in range(count))))


async def scenario(url: str, small: int, rows: int) -> dict:
    big = large_body(rows)
    limits = httpx.Limits(max_connections=small + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await small_calls(client, url, 5)  # warm up the worker and the connections
        alone = await small_calls(client, url, small)
        large_alone = await timed_post(client, url, big)
        FINISHED.clear()
        large_task = asyncio.create_task(timed_post(client, url, big))
        await asyncio.sleep(0.05)  # the large call is being received or computed
        beside = await small_calls(client, url, small)
        large_beside = await large_task
    large_end = next(when for is_small, when in FINISHED if not is_small)
    before = sum(1 for is_small, when in FINISHED if is_small and when < large_end)
    return {"alone": alone, "beside": beside, "large alone": large_alone, "large beside": large_beside,
            "finished first": before}


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return (f"median {statistics.median(ordered) * 1000:7.1f} ms   95th {p95 * 1000:7.1f} ms   "
            f"worst {ordered[-1] * 1000:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with local_server(workers=args.workers) as url:
        result = asyncio.run(scenario(url, args.small, args.rows))
    print(f"server: uvicorn, {args.workers} worker process(es), 127.0.0.1")
    print(f"{args.small} one-cell calls alone:            {summary(result['alone'])}")
    print(f"{args.small} one-cell calls beside the large: {summary(result['beside'])}")
    print(f"{args.rows:,}-row call alone:  {result['large alone'] * 1000:7.1f} ms; "
          f"with the small calls beside it: {result['large beside'] * 1000:7.1f} ms")
    ratio = statistics.median(result["beside"]) / statistics.median(result["alone"])
    print(f"small calls' median beside the large call / alone: {ratio:.1f}x")
    print(f"one-cell calls answered before the large call was: {result['finished first']} of {args.small}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

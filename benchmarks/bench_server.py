"""Benchmark: RAG over a large range through the xlwings Server endpoint against a direct call.

Run:  python benchmarks/bench_server.py [--rows 20000]

Both calls in one process, with the request body Excel's Office.js runtime sends (2-D lists);
prints the times and the ratio. The endpoint's own overhead is xlwings' argument conversion.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings' documented noncommercial key

import xlwings  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from addin.server.app import app  # noqa: E402
from udfs import functions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    actuals = [[float(i % 100)] for i in range(args.rows)]
    body = {"client": "Office.js", "func_name": "rag", "args": [actuals, [[90]], [["High"]]],
            "caller_address": "[Book.xlsx]Sheet1!B2", "culture_info_name": "en-GB",
            "date_format": "dd/mm/yyyy", "version": xlwings.__version__, "runtime": "1.4"}
    client = TestClient(app)
    start = time.perf_counter()
    response = client.post("/xlwings/custom-functions-call", json=body)
    endpoint = time.perf_counter() - start
    start = time.perf_counter()
    direct = functions.rag(actuals, [[90]], [["High"]])
    direct_time = time.perf_counter() - start
    if response.status_code != 200 or response.json()["result"] != direct:
        print("the endpoint and the direct call disagree")
        return 1
    print(f"rows: {args.rows:,}")
    print(f"direct udfs.functions.rag:  {direct_time:.2f} s")
    print(f"server endpoint:            {endpoint:.2f} s")
    print(f"endpoint / direct:          {endpoint / direct_time:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start the Scorecard xlwings Server app with uvicorn on 127.0.0.1 for a benchmark, and stop it after.

Only the loopback address is used; the server is a child process ended when the `with` block ends.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time

import httpx

from addin.routes import officejs_body
from addin.server.calls import glue_body

TOKEN = "benchmark-token-0123456789abcdef"
CALL = "/xlwings/custom-functions-call"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def local_server(workers: int = 1):
    """Yield the base URL of a fresh server (shared-token auth), ended on exit."""
    port = free_port()
    env = os.environ | {"SCORECARD_AUTH": "token", "SCORECARD_TOKENS": TOKEN,
                        "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY", "noncommercial"),
                        "SCORECARD_MAX_BODY_MB": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "addin.server.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{url}/xlwings/custom-functions-meta", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def body(func_name: str, args: list) -> dict:
    """The request body Scorecard's glue sends for the values Excel's custom-functions runtime hands it (see
    addin/routes.officejs_body): a one-column range as {"column": [cells]}, and a large answer asked for as its
    columns (addin.server.calls.glue_body)."""
    return glue_body(officejs_body(func_name, []) | {"args": args})

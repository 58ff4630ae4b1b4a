"""Shared fixtures and helpers for the add-in route tests (imported by tests/test_addin_*.py, test_same_answers.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from missing_tool import skip_or_fail

DATA = Path(__file__).parent / "data"


def load_cases():
    """tests/data/same_answers_cases.py, the one table of cases."""
    name = "same_answers_cases"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def needs(package: str):
    """Import a test-only package; skip without it locally, fail in CI (CI=true)."""
    try:
        return importlib.import_module(package)
    except ImportError:
        skip_or_fail(f"{package} is not installed (a dev dependency of the add-in tests)")


@pytest.fixture(scope="session")
def server_module():
    """udfs.functions with xlwings Server's decorators. Uses xlwings' documented 'noncommercial' licence key
    (PolyForm Noncommercial 1.0.0) unless a key is already set."""
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    from addin import routes

    return routes.load_udfs("server")


# A shared token for the tests' server (SCORECARD_AUTH=token); every test client sends it unless told not to.
TOKEN = "test-token-0123456789abcdef"


def server_app(module, **settings):
    """The FastAPI app of addin/server for `module`, with shared-token auth unless other settings are given."""
    needs("fastapi")
    needs("httpx")
    from addin.server.app import create_app
    from addin.server.settings import Settings

    return create_app(module, Settings(**({"auth": "token", "tokens": (TOKEN,)} | settings)))


def client(app, token: str | None = TOKEN, **options):
    """A fastapi.testclient.TestClient for `app`, sending `Authorization: Bearer <token>` (none if token is None)."""
    from fastapi.testclient import TestClient

    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return TestClient(app, raise_server_exceptions=False, headers=headers, **options)


@pytest.fixture(scope="session")
def server_client(server_module):
    """The app of addin/server, in-process, called with the shared token."""
    return client(server_app(server_module))


def type_cell(model, sheet: int, row: int, col: int, cell) -> None:
    """Type one cell into an IronCalc model as an officer would: numbers, text (kept as text), TRUE/FALSE, a
    formula giving "" for '', ("error", "=NA()") for an error cell; None leaves the cell empty."""
    if cell is None:
        return
    if isinstance(cell, tuple):
        model.set_user_input(sheet, row, col, cell[1])
    elif isinstance(cell, bool):
        model.update_cell_with_bool(sheet, row, col, cell)
    elif isinstance(cell, int | float):
        model.update_cell_with_number(sheet, row, col, float(cell))
    elif cell == "":
        model.set_user_input(sheet, row, col, '=""')
    else:
        model.update_cell_with_text(sheet, row, col, cell)


# The glue JavaScript (addin/server/static/custom-functions-base.js as the app serves it) run in Node, with Office.js
# stubbed: loaded from __BASE__, the officer's token saved by the task pane; fetch records what the glue sends and
# answers the i-th call with the i-th response text.
GLUE_HARNESS = r"""
const vm = require("vm");
const sent = [];
const registry = {};
const answers = __ANSWERS__;
const storage = { "scorecard.token": "__TOKEN__" };
const sandbox = {
  URL,
  console,
  document: { currentScript: { src: __BASE__ + "xlwings/custom-functions-code" }, baseURI: __BASE__ + "taskpane.html" },
  localStorage: { getItem: (key) => storage[key] ?? null },
  Office: { onReady: (callback) => { if (callback) callback(); return Promise.resolve(); },
            context: { requirements: { isSetSupported: () => true }, contentLanguage: "en-GB" } },
  CustomFunctions: { associate: (id, fn) => { registry[id] = fn; },
                     Error: class extends Error {}, ErrorCode: { invalidValue: "#VALUE!" } },
  fetch: async (url, init) => {
    sent.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    const answer = answers[sent.length - 1];
    return { ok: true, json: async () => JSON.parse(answer) };
  },
};
vm.createContext(sandbox);
vm.runInContext(__CODE__, sandbox);
(async () => {
  const results = [];
  for (const args of __CALLS__) {
    results.push(await registry[__FUNCTION__](...args, { address: "Sheet1!C2" }));
  }
  process.stdout.write(JSON.stringify({ sent, results }));
})();
""".replace("__TOKEN__", TOKEN)


def run_glue(code: str, calls: list, answers: list[str], tmp_path, function: str = "RAG",
             base: str = "https://host.example/") -> dict:
    """Run the glue `code` in Node (GLUE_HARNESS), loaded from `base`, for calls of `function` with these arguments;
    fetch answers the i-th call with answers[i] (the text of a response). What the glue sent ("sent": url, headers
    and body of each request) and what it gave Excel ("results"). Skips without Node (fails in CI)."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not installed (apt-get install nodejs): the add-in's JavaScript is run in it")
    harness = tmp_path / "harness.js"
    fill = {"__CALLS__": calls, "__ANSWERS__": answers, "__FUNCTION__": function, "__BASE__": base,
            "__CODE__": code}  # the code last: nothing in it is taken for a marker
    text = GLUE_HARNESS
    for marker, value in fill.items():
        text = text.replace(marker, json.dumps(value))
    harness.write_text(text, encoding="utf-8")
    run = subprocess.run([node, str(harness)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)

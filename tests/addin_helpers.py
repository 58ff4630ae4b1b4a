"""Shared fixtures and helpers for the add-in route tests (imported by tests/test_addin_*.py, test_same_answers.py)."""

from __future__ import annotations

import importlib.util
import os
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

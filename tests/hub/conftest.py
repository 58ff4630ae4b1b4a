"""The hub's tests run against Django's test database: SQLite by default, PostgreSQL when
HUB_DATABASE_URL names one (.ci/run runs them both ways). The store's tables live in the same
database, emptied after each test like Django's own."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

_DATA = tempfile.mkdtemp(prefix="hub-tests-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
os.environ["HUB_DATA_DIR"] = _DATA
os.environ.setdefault("HUB_TEST_SQLITE", str(Path(_DATA) / "test-hub.sqlite"))
sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402

try:
    import django  # noqa: F401
    import pytest_django  # noqa: F401
except ImportError:  # the 'hub' extra is not installed: skip here, fail in CI
    if os.environ.get("CI", "").lower() == "true":
        raise
    collect_ignore_glob = ["test_*.py"]
else:
    django.setup()  # before the test modules import the hub's models

STORE_TABLES = ("queries", "problems", "cells", "comparators", "submissions", "authorities")


@pytest.fixture
def hub(transactional_db, settings, tmp_path):
    """A clean hub: Django's tables flushed, the store's emptied, files in a fresh folder."""
    from hub.rounds.roles import ensure_roles

    settings.HUB_DATA_DIR = tmp_path / "hub-data"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    # PBKDF2 (the hub's hasher: test_hub_security checks it) costs 0.4 s a password by design;
    # these tests make and log in users by the dozen, so they hash cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()
    yield settings.HUB_DATA_DIR
    _empty_store()


def _empty_store():
    from django.db import connection

    from hub.rounds.store import close_stores

    close_stores()  # this thread's store connection, before its tables are emptied
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in STORE_TABLES:
            if table in existing:
                cursor.execute(f"DELETE FROM {table}")

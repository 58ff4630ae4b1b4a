"""The collection store in Django's own database: one data model for the CLI and the hub.

`open_store()` gives this thread's `generator.collection.store.Store` on the database Django is
using (the SQLite file, or the PostgreSQL database, of `DATABASES['default']`), so
`scorecard collect --store <the same path or URL>` writes where the hub reads, and back.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from django.db import connection

from generator.collection.store import Store

_local = threading.local()


def store_location(settings_dict: dict | None = None) -> str:
    """The Store argument for Django's database: a SQLite path or a postgresql:// URL."""
    db = settings_dict or connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    if db["ENGINE"].endswith("postgresql"):
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgresql://{auth}{host}{port}/{quote(db['NAME'], safe='')}"
    raise ValueError(f"the hub's store needs SQLite or PostgreSQL, not {db['ENGINE']}")


def open_store() -> Store:
    """This thread's Store on Django's database (opened once per thread and database)."""
    location = store_location()
    stores = getattr(_local, "stores", None)
    if stores is None:
        stores = _local.stores = {}
    if location not in stores:
        stores[location] = Store(location)
    return stores[location]


def close_stores() -> None:
    """Close this thread's stores (tests, and management commands that end)."""
    for store in getattr(_local, "stores", {}).values():
        store.close()
    _local.stores = {}


def ensure_store_schema(**kwargs) -> None:
    """After `migrate`: create the store's tables beside Django's (Store does it on open)."""
    using = kwargs.get("using", "default")
    from django.db import connections

    Store(store_location(connections[using].settings_dict)).close()

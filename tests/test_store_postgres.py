"""The store on PostgreSQL gives what it gives on SQLite: the same returns collected into both
give equal benchmarks, cells, versions, changes and acceptances. Needs a server:
SCORECARD_TEST_POSTGRES=postgresql://... (.ci/run starts one; skipped on a machine without,
failed in CI)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from missing_tool import skip_or_fail

from generator.collection.collect import collect
from generator.collection.dialect import shown
from generator.collection.store import Store
from generator.collection.templates import (
    fill_template,
    select_indicators,
    template_filename,
    write_templates,
)
from generator.demo import COLLECTION_AUTHORITIES, COLLECTION_PERIODS, example_entries
from scorecard.catalogue import load_catalogue

TABLES = ("queries", "problems", "cells", "comparators", "submissions", "authorities",
          "store_info")


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    url = os.environ.get("SCORECARD_TEST_POSTGRES")
    if not url:
        skip_or_fail("SCORECARD_TEST_POSTGRES is not set (a postgresql:// URL to a scratch database)")
    import psycopg

    with psycopg.connect(url, autocommit=True) as raw:
        raw.execute("DROP VIEW IF EXISTS current_cells, current_submissions")
        for table in TABLES:
            raw.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    folder = tmp_path_factory.mktemp("pg")
    catalogue = load_catalogue()
    title, indicators = select_indicators(catalogue, dataset="performance-dataset")
    files = []
    for period in COLLECTION_PERIODS:  # the demo's returns (its mistakes included)
        write_templates(folder, catalogue, COLLECTION_AUTHORITIES, period, indicators,
                        dataset_title=title)
        for authority in COLLECTION_AUTHORITIES:
            name = template_filename(authority, period)
            files.append(fill_template(folder / name, folder / f"filled_{name}",
                                       example_entries(indicators, authority, period)))
    stores = (Store(url), Store(folder / "same.sqlite"))
    for store in stores:
        collect(files, store, catalogue, authorities=COLLECTION_AUTHORITIES,
                collected_at="2024-08-01T09:00:00+00:00")
    yield stores, catalogue, files
    for store in stores:
        store.close()


def _same(a: pd.DataFrame, b: pd.DataFrame, drop=()):
    a, b = a.drop(columns=list(drop)), b.drop(columns=list(drop))
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False)


def test_benchmark_and_cells_are_the_same(both):
    """Every period's benchmark table and every stored cell agree between the two databases,
    figures to the last bit (PostgreSQL keeps doubles, not single-precision REAL)."""
    (pg, lite), catalogue, _ = both
    for period in COLLECTION_PERIODS:
        _same(pg.benchmark(period, catalogue), lite.benchmark(period, catalogue))
    order = ["authority", "period", "indicator_id", "field", "sheet", "cell"]
    _same(pg.cells().sort_values(order), lite.cells().sort_values(order),
          drop=("submission_id", "file"))
    assert pg.path == shown(os.environ["SCORECARD_TEST_POSTGRES"])
    assert shown("postgresql://hub:s3cret@db:5432/region") == "postgresql://hub:***@db:5432/region"


def test_versions_changes_and_accept_are_the_same(both, tmp_path):
    """A resubmission is version 2 on both, changes() says the same, a duplicate file is not
    stored again, and accept() of a quarantined version gives the same new version."""
    (pg, lite), catalogue, files = both
    import openpyxl

    source = next(f for f in files if "E99000001" in f.name and "2024-25" in f.name)
    assert source.name.startswith("filled_")
    book = openpyxl.load_workbook(source)
    sheet = next(s for s in book.worksheets if s.title not in ("Cover", "_scorecard_meta"))
    sheet["H4"] = 7
    changed = tmp_path / "resubmitted.xlsx"
    book.save(changed)
    book["Cover"]["B4"] = "edited"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    results = []
    for store in (pg, lite):
        first = collect([changed], store, catalogue).versions[str(changed)]
        again = collect([changed], store, catalogue).versions[str(changed)]
        quarantined = collect([edited], store, catalogue).versions[str(edited)]
        accepted = store.accept("E99000001", "2024-25 Q1", quarantined)
        changes = store.changes("E99000001", "2024-25 Q1", first - 1, first)
        results.append((first, again, quarantined, accepted, changes,
                        store.latest("E99000001", "2024-25 Q1")["version"]))
    assert results[0] == results[1]
    assert results[0][:4] == (2, None, 3, 4) and results[0][4]

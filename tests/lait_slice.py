"""The committed slice of DfE's LAIT data (tests/data/lait, see its README) and a store holding it."""

from __future__ import annotations

from pathlib import Path

LAIT = Path(__file__).resolve().parent / "data" / "lait"
DATA_CSV = LAIT / "bds_long_slice.csv"
DATA_PARQUET = LAIT / "bds_long_slice.parquet"
DICTIONARY = LAIT / "lait_data_dictionary_slice.csv"
AUTHORITIES = LAIT / "la_code_list.xlsx"
EDITIONS = (LAIT / "sn_april_2021.xlsx", LAIT / "sn_may_2025.xlsx")
ALL_CSV = (DATA_CSV, DICTIONARY, AUTHORITIES, *EDITIONS)


def imported_store(folder: Path) -> Path:
    """A store in `folder` with the whole slice imported (CSV data)."""
    from generator.national.importer import import_lait

    store = folder / "national.sqlite"
    import_lait(ALL_CSV, store)
    return store


def has_pyarrow() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True

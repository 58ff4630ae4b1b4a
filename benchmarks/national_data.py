"""Shared by the national benchmarks: where LAIT's files are, and running a step in a child process
so its own peak memory and CPU time can be measured (os.wait4 reports them per child)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = Path(os.environ.get("LAIT_DATA", "/work/shared/data/lait"))
SLICE = ROOT / "tests" / "data" / "lait"
SUPPORT = ("lait_data_dictionary.csv", "la_code_list.xlsx", "sn_april_2021.xlsx", "sn_may_2025.xlsx")


def lait_files() -> tuple[Path, list[Path], str]:
    """(long data parquet, the other files, a note on which data): the full published files when
    present (LAIT_DATA or /work/shared/data/lait), else the committed slice."""
    if (FULL / "bds_long_0.parquet").is_file():
        return FULL / "bds_long_0.parquet", [FULL / name for name in SUPPORT], "the full published file"
    support = [SLICE / "lait_data_dictionary_slice.csv", SLICE / "la_code_list.xlsx", SLICE / "sn_april_2021.xlsx",
               SLICE / "sn_may_2025.xlsx"]
    return SLICE / "bds_long_slice.parquet", support, "the test slice only (LAIT_DATA not found)"


def in_child(code: str, *args: str) -> tuple[float, float, float, str]:
    """Run `code` in a fresh Python; (wall seconds, CPU seconds, peak memory MB, its stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, cwd=ROOT)
    out = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"child failed ({status}): {out}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"

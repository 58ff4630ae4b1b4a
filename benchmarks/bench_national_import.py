"""Benchmark: `scorecard import lait` of LAIT's long data (641,070 rows), as parquet and as CSV,
against reading the same file with pandas alone, each in its own process (wall time, CPU time,
peak memory). Targets: the import under 20 s with peak memory under 1 GB. On a shared machine the
wall time suffers first: the CPU time and the load average are printed beside it.

Run: .venv/bin/python benchmarks/bench_national_import.py   (LAIT_DATA=folder of LAIT's files)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from national_data import in_child, lait_files, load_average

TARGET_SECONDS, TARGET_MB = 20, 1024

READ = {
    "parquet": "import pandas as pd, sys; print(len(pd.read_parquet(sys.argv[1])))",
    "csv": "import pandas as pd, sys; print(len(pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)))",
}
IMPORT = ("import sys; from generator.national.importer import import_lait; "
          "report = import_lait(sys.argv[2:], sys.argv[1]); print(report.files[-1].rows)")


def main() -> int:
    parquet, support, which = lait_files()
    print(f"LAIT long data: {which}; load average {load_average()} on this machine")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "bds_long_0.csv"
        in_child("import pandas as pd, sys; pd.read_parquet(sys.argv[1]).to_csv(sys.argv[2], index=False)",
                 str(parquet), str(csv))
        ok = True
        for kind, data in (("parquet", parquet), ("csv", csv)):
            read = in_child(READ[kind], str(data))
            store = folder / f"{kind}.sqlite"
            imported = in_child(IMPORT, str(store), str(data), *map(str, support))
            print(f"{kind:8} pandas read   {read[0]:6.2f} s wall {read[1]:6.2f} s CPU {read[2]:6.0f} MB peak "
                  f"({read[3].strip()} rows)")
            print(f"{kind:8} import        {imported[0]:6.2f} s wall {imported[1]:6.2f} s CPU "
                  f"{imported[2]:6.0f} MB peak ({imported[3].strip()} values stored)")
            verdict = imported[0] <= TARGET_SECONDS and imported[2] <= TARGET_MB
            print(f"{kind:8} ratio         {imported[0] / read[0]:6.1f}x the pandas read (wall); target under "
                  f"{TARGET_SECONDS} s and {TARGET_MB} MB: {'OK' if verdict else 'OVER TARGET'}")
            again = in_child(IMPORT, str(store), str(data))
            print(f"{kind:8} again         {again[0]:6.2f} s wall (same file: nothing changes)")
            ok = ok and imported[3].strip() == again[3].strip()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

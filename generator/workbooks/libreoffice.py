"""LibreOffice headless: recalculate workbooks in a real spreadsheet engine, and render PDFs.

LibreOffice keeps the cached formula values of an xlsx file on load unless told otherwise,
so every call uses a throw-away profile whose OOXML (and ODF) recalculation mode is
"always". One profile per call, so concurrent calls never hand work to each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from scorecard.errors import ScorecardError

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(paths: list[Path], out_dir: Path, target: str = "xlsx", timeout: float = 600) -> list[Path]:
    """Open each file in LibreOffice (recalculating every formula) and save it as `target`.

    Returns the converted paths in the order given; raises ScorecardError naming any file
    LibreOffice did not convert (it exits 0 even then).
    """
    executable = soffice_path()
    if executable is None:
        raise ScorecardError("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [Path(p).resolve() for p in paths]
    results = [out_dir.resolve() / f"{path.stem}.{target.split(':')[0]}" for path in paths]
    for path, result in zip(paths, results, strict=True):
        if result == path:
            raise ScorecardError(f"{path}: converting into its own folder would overwrite it; choose another out_dir")
        # An output left from an earlier run would pass for a conversion that failed this time.
        result.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="scorecard-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        command = [
            executable, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to", target, "--outdir", str(out_dir), *map(str, paths),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    missing = [str(path) for path, result in zip(paths, results, strict=True) if not result.exists()]
    if missing:
        raise ScorecardError(
            f"LibreOffice did not convert {', '.join(missing)}: {completed.stderr.strip() or completed.stdout.strip()}"
        )
    return results


def recalculate(paths: list[Path], out_dir: Path) -> list[Path]:
    """Recalculated copies of xlsx workbooks, to read with openpyxl(data_only=True)."""
    return convert(paths, out_dir, "xlsx")

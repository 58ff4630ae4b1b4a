"""The classic xlwings route (Windows desktop Excel, BSD-3): the .xlam, its configuration, install and remove.

addin/scorecard.xlam is built by `scorecard addin build` (addin.xlam) from the VBA text in addin/vba/: it
carries xlwings' add-in module (project name "scorecard") and a wrapper for every Scorecard function, so
nothing has to be imported by hand. It reads its settings from %USERPROFILE%\\.scorecard\\scorecard.conf
(install writes the Python interpreter there) and from its own sheet "scorecard.conf" (the functions' module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from addin import UDF_MODULE
from addin.vba import PROJECT_NAME
from addin.xlam import XLAM
from scorecard.errors import ScorecardError


def xlwings_executable() -> str:
    found = shutil.which("xlwings", path=str(Path(sys.executable).parent)) or shutil.which("xlwings")
    if not found:
        raise ScorecardError("the xlwings command is not installed (pip install xlwings==0.37.8)")
    return found


def config_path(home: Path | None = None) -> Path:
    return Path(home or Path.home()) / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def config_text(interpreter: str, module: str = UDF_MODULE) -> str:
    """The add-in's settings file, in the `"KEY","value"` lines its VBA reads with `Input #`."""
    return f'"UDF MODULES","{module}"\r\n"INTERPRETER_WIN","{interpreter}"\r\n'


def install_steps(xlam: Path = XLAM) -> list[str]:
    return [
        "On Windows, with Python and this repository installed (pip install .), xlwings==0.37.8:",
        f"1. Copy {xlam.name} into Excel's XLSTART folder (`xlwings addin install --file {xlam}` does it).",
        f"2. Create {config_path(Path('%USERPROFILE%'))} containing:",
        f'   "UDF MODULES","{UDF_MODULE}"',
        '   "INTERPRETER_WIN","C:\\path\\to\\python.exe"   (the Python where scorecard is installed)',
        "3. The user XLSTART folder is a default Trusted Location; if policy removed it, trust it or sign the add-in.",
        "4. Start Excel; a Scorecard tab appears. Type =rag(B2:B20, C2:C20, D2:D20) in a cell.",
    ]


def remove_steps(xlam: Path = XLAM) -> list[str]:
    return [
        "On Windows:",
        f"1. Quit Excel, then `xlwings addin remove --file {xlam.name}` (or delete it from the XLSTART folder).",
        f"2. Delete {config_path(Path('%USERPROFILE%'))} (and its folder).",
        "Workbooks that used the functions keep their last values; their formulas show #NAME? until reinstalled.",
    ]


def install(xlam: Path = XLAM, home: Path | None = None) -> list[str]:
    """Install on Windows (copy the add-in to XLSTART, write its settings); elsewhere only the steps."""
    if not sys.platform.startswith("win"):
        return ["Not Windows: the classic add-in runs only in Windows desktop Excel.", *install_steps(xlam)]
    if not Path(xlam).exists():
        raise ScorecardError(f"no add-in at {xlam}: run `scorecard addin build` first")
    completed = subprocess.run([xlwings_executable(), "addin", "install", "--file", str(xlam)],
                               capture_output=True, text=True, timeout=300)
    config = config_path(home)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(sys.executable), encoding="utf-8", newline="")
    return [completed.stdout.strip() or completed.stderr.strip(), f"Wrote {config}", *install_steps(xlam)[-2:]]


def remove(xlam: Path = XLAM, home: Path | None = None) -> list[str]:
    if not sys.platform.startswith("win"):
        return ["Not Windows: nothing to remove here.", *remove_steps(xlam)]
    completed = subprocess.run([xlwings_executable(), "addin", "remove", "--file", Path(xlam).name],
                               capture_output=True, text=True, timeout=300)
    config = config_path(home)
    if config.exists():
        os.remove(config)
    return [completed.stdout.strip() or completed.stderr.strip(), f"Removed {config}"]

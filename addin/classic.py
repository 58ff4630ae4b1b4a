"""The classic xlwings route (Windows desktop Excel, BSD-3): the .xlam, its configuration, install and remove.

The .xlam is xlwings' own quickstart add-in (`xlwings quickstart scorecard --addin --ribbon`), whose
VBA is xlwings' custom add-in module (`PROJECT_NAME = "myaddin"`). It reads its settings from
`%USERPROFILE%\\.myaddin\\myaddin.conf`; install writes the UDF module and the Python interpreter there.
Its functions module (`xlwings_udfs`) is imported into it by hand from addin/vba/xlwings_udfs.bas
(or by running the add-in's ImportPythonUDFsToAddin macro where VBA-project access is allowed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import xlwings

from addin import UDF_MODULE
from scorecard.errors import ScorecardError

ADDIN_DIR = Path(__file__).parent
XLAM = ADDIN_DIR / "scorecard.xlam"
PROJECT_NAME = "myaddin"  # fixed inside xlwings' quickstart add-in VBA (xlwings 0.37.8)


def xlwings_executable() -> str:
    found = shutil.which("xlwings", path=str(Path(sys.executable).parent)) or shutil.which("xlwings")
    if not found:
        raise ScorecardError("the xlwings command is not installed (pip install xlwings==0.37.8)")
    return found


def build_xlam(out: Path | None = None) -> Path:
    """Make the .xlam with `xlwings quickstart NAME --addin --ribbon` and copy it to `out`."""
    target = Path(out) if out is not None else XLAM
    with tempfile.TemporaryDirectory(prefix="scorecard-xlam-") as work:
        completed = subprocess.run(
            [xlwings_executable(), "quickstart", "scorecard", "--addin", "--ribbon"],
            cwd=work, capture_output=True, text=True, timeout=120,
        )
        made = Path(work) / "scorecard" / "scorecard.xlam"
        if not made.exists():
            raise ScorecardError(f"xlwings quickstart made no add-in: {completed.stderr.strip()}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, target)
    return target


def copy_addin_vba(out_dir: Path) -> Path:
    """xlwings' source of the add-in's VBA module (BSD-3), kept as text beside the generated wrappers."""
    source = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"
    target = Path(out_dir) / "xlwings_custom_addin.bas"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


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
        "3. Start Excel, Alt+F11, select VBAProject (scorecard.xlam), File > Import File...",
        "   addin/vba/xlwings_udfs.bas, then Ctrl+S (or, with 'Trust access to the VBA project object",
        "   model' allowed: Alt+F8, type ImportPythonUDFsToAddin, Run).",
        "4. The user XLSTART folder is a default Trusted Location; if policy removed it, trust it or sign the add-in.",
        "5. Type =rag(A2, B2, C2) in a cell.",
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
    return [completed.stdout.strip() or completed.stderr.strip(), f"Wrote {config}", *install_steps(xlam)[5:]]


def remove(xlam: Path = XLAM, home: Path | None = None) -> list[str]:
    if not sys.platform.startswith("win"):
        return ["Not Windows: nothing to remove here.", *remove_steps(xlam)]
    completed = subprocess.run([xlwings_executable(), "addin", "remove", "--file", Path(xlam).name],
                               capture_output=True, text=True, timeout=300)
    config = config_path(home)
    if config.exists():
        os.remove(config)
    return [completed.stdout.strip() or completed.stderr.strip(), f"Removed {config}"]

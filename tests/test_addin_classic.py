"""The classic add-in (Windows desktop): the .xlam, its VBA text files and the install/remove steps."""

from __future__ import annotations

import sys
import zipfile

import pytest

from addin import classic, vba
from generator.cli import main


def test_shipped_xlam_is_xlwings_quickstart_addin():
    """addin/scorecard.xlam is a macro-enabled add-in package (with a VBA project and the ribbon),
    small enough to keep in the repository."""
    with zipfile.ZipFile(classic.XLAM) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert "xl/vbaProject.bin" in names
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert any(name.startswith("customUI/") for name in names)
    assert classic.XLAM.stat().st_size < 200_000


def test_build_makes_the_xlam_and_vba_text(tmp_path):
    """`scorecard addin build --out` runs xlwings quickstart and writes the .xlam with the VBA files beside it."""
    out = tmp_path / "scorecard.xlam"
    assert main(["addin", "build", "--out", str(out)]) == 0
    assert out.read_bytes() == classic.XLAM.read_bytes()
    assert (tmp_path / "vba" / "xlwings_udfs.bas").read_text(encoding="utf-8") == vba.generate_wrappers()
    assert "PROJECT_NAME" in (tmp_path / "vba" / "xlwings_custom_addin.bas").read_text(encoding="utf-8")


def test_kept_addin_vba_is_xlwings_own_text():
    """addin/vba/xlwings_custom_addin.bas is the add-in VBA shipped with the pinned xlwings."""
    from pathlib import Path

    import xlwings

    shipped = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"
    assert (vba.VBA_DIR / "xlwings_custom_addin.bas").read_bytes() == shipped.read_bytes()
    assert f'Public Const PROJECT_NAME As String = "{classic.PROJECT_NAME}"' in shipped.read_text(encoding="utf-8")


def test_config_file_is_what_the_vba_reads():
    """The settings file has the `"KEY","value"` lines the add-in's GetConfigFromFile reads."""
    text = classic.config_text("C:\\Python311\\python.exe")
    assert text == '"UDF MODULES","udfs.functions"\r\n"INTERPRETER_WIN","C:\\Python311\\python.exe"\r\n'


@pytest.mark.skipif(sys.platform.startswith("win"), reason="checks the steps printed off Windows")
def test_install_and_remove_print_the_steps_off_windows(tmp_path, capsys):
    """Off Windows, install and remove change nothing and print the officer's steps."""
    assert main(["addin", "install"]) == 0
    printed = capsys.readouterr().out
    assert "Not Windows" in printed and "UDF MODULES" in printed and "xlwings_udfs.bas" in printed
    assert main(["addin", "remove"]) == 0
    assert "XLSTART" in capsys.readouterr().out
    assert classic.install(home=tmp_path)[0].startswith("Not Windows")
    assert not (tmp_path / ".myaddin").exists()

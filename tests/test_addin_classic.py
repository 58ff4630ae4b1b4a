"""The classic add-in (Windows desktop): addin/scorecard.xlam as Scorecard builds it from its own VBA text,
read back by independent readers of Microsoft's formats (oletools, olefile, LibreOffice)."""

from __future__ import annotations

import io
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest
from addin_helpers import needs

from addin import classic, ovba, routes, vba, xlam
from generator.cli import main
from generator.workbooks.libreoffice import convert


def shipped_modules() -> dict[str, str]:
    """The VBA modules of the shipped .xlam as oletools extracts them: module name -> source text."""
    olevba = needs("oletools.olevba")
    parser = olevba.VBA_Parser(str(xlam.XLAM))
    try:
        assert parser.detect_vba_macros(), "oletools finds no VBA project in addin/scorecard.xlam"
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_shipped_xlam_carries_a_wrapper_for_every_function():
    """The VBA oletools extracts from addin/scorecard.xlam holds, in module xlwings_udfs, exactly the wrappers
    xlwings generates now from udfs.functions: a function added, renamed or re-documented without
    `scorecard addin build` fails here."""
    modules = shipped_modules()
    fresh = vba.generate_wrappers()
    assert modules["xlwings_udfs"].replace("\r\n", "\n").strip() == _code(fresh)
    declared = re.findall(r"^Function (\w+)\(", modules["xlwings_udfs"], flags=re.M)
    assert declared == list(routes.udf_functions(routes.load_udfs("classic")))
    for name in declared:
        assert f'XLPy.CallUDF("udfs.functions", "{name}", Array(' in modules["xlwings_udfs"]


def _code(text: str) -> str:
    """Module text as compared: line endings as oletools gives them, without trailing blank lines."""
    return text.replace("\r\n", "\n").strip()


def test_shipped_xlam_is_built_from_the_vba_text_files():
    """Every module in the shipped .xlam is the text of its file in addin/vba/ (ours: ThisWorkbook, Sheet1,
    ScorecardRibbon; generated: xlwings with the project name 'scorecard', xlwings_udfs); nothing else."""
    modules = shipped_modules()
    assert sorted(modules) == sorted(name for _, name, _ in vba.FILES)
    for module in vba.modules():
        assert modules[module.name].replace("\r\n", "\n").strip() == _code(module.source), module.name
    assert 'Public Const PROJECT_NAME As String = "scorecard"' in modules["xlwings"]
    assert "myaddin" not in "".join(modules.values())


def test_vba_text_files_are_current_and_crlf():
    """addin/vba/xlwings.bas and xlwings_udfs.bas are what `scorecard addin build` generates from the pinned
    xlwings and udfs.functions; every VBA file has CRLF line endings only (the VBA editor mis-imports LF)."""
    for name, text in vba.generated().items():
        assert (vba.VBA_DIR / name).read_bytes() == text.encode(ovba.ENCODING), f"{name}: run `scorecard addin build`"
    for file_name, _, _ in vba.FILES:
        data = (vba.VBA_DIR / file_name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 0, file_name
        assert max(len(line) for line in data.split(b"\r\n")) < 1024, file_name  # the VBA editor's line limit


def test_build_reproduces_the_shipped_xlam(tmp_path):
    """`scorecard addin build --out` writes the VBA text and an .xlam identical, byte for byte, to the shipped one."""
    out = tmp_path / "scorecard.xlam"
    assert main(["addin", "build", "--out", str(out)]) == 0
    assert out.read_bytes() == xlam.XLAM.read_bytes(), "addin/scorecard.xlam is stale: run `scorecard addin build`"
    assert (tmp_path / "vba" / "xlwings_udfs.bas").read_bytes() == (vba.VBA_DIR / "xlwings_udfs.bas").read_bytes()


def test_package_is_an_add_in_whose_ribbon_calls_real_macros():
    """The package's main part has the add-in content type; its project is our vbaProject.bin; every ribbon
    button's onAction names a Sub of ScorecardRibbon taking the IRibbonControl, nothing else."""
    with zipfile.ZipFile(xlam.XLAM) as package:
        types = package.read("[Content_Types].xml").decode("utf-8")
        ribbon = package.read("customUI/customUI.xml")
        relations = package.read("_rels/.rels").decode("utf-8")
        names = package.namelist()
    assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"' in types
    assert "xl/vbaProject.bin" in names and 'Target="customUI/customUI.xml"' in relations
    actions = [button.get("onAction") for button in ET.fromstring(ribbon).iter()
               if button.get("onAction") is not None]
    assert actions
    source = (vba.VBA_DIR / "ScorecardRibbon.bas").read_text(encoding=ovba.ENCODING)
    for action in actions:
        module, _, sub = action.partition(".")
        assert module == "ScorecardRibbon"
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)", source, flags=re.M), action
    assert xlam.XLAM.stat().st_size < 200_000


def test_vba_project_streams_read_back_with_olefile():
    """The compound file inside the .xlam opens with olefile: PROJECT names the project 'scorecard' and its
    modules (documents and procedural); _VBA_PROJECT says 'no compiled code' (version 0xFFFF); each module
    stream decompresses to its source."""
    olefile = needs("olefile")
    with zipfile.ZipFile(xlam.XLAM) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode(ovba.ENCODING)
    assert 'Name="scorecard"' in project
    assert "Document=ThisWorkbook/&H00000000" in project and "Module=xlwings_udfs" in project
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
    for module in vba.modules():
        assert ovba.decompress(ole.openstream(f"VBA/{module.name}").read()) == module.stored()


def test_compression_round_trips_through_oletools():
    """ovba.compress output is read by oletools' own MS-OVBA decompressor, for short, chunk-sized, long and
    incompressible data (a raw chunk)."""
    olevba = needs("oletools.olevba")
    import os
    import random

    text = b"Function rag(actual, target)\r\n    rag = XLPy.CallUDF()\r\nEnd Function\r\n"
    samples = [b"", b"a", text, (text * 200)[:4096], text * 500, os.urandom(4096) + text]
    for data in samples + [bytes(random.Random(seed).choice(text) for _ in range(9000)) for seed in range(3)]:
        assert bytes(olevba.decompress_stream(bytearray(ovba.compress(data)))) == data


def test_project_protection_lines_decrypt():
    """CMG, DPB and GC are [MS-OVBA] 2.4.3 encryptions of 'not protected', 'no password' and 'visible': decrypted
    here with the specification's decryption steps, written independently of ovba.encrypt."""
    with zipfile.ZipFile(xlam.XLAM) as package:
        olefile = needs("olefile")
        project = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin"))).openstream("PROJECT").read()
    fields = dict(re.findall(rb'^(CMG|DPB|GC)="([0-9A-F]+)"', project, flags=re.M))
    assert _decrypt(bytes.fromhex(fields[b"CMG"].decode())) == b"\0\0\0\0"
    assert _decrypt(bytes.fromhex(fields[b"DPB"].decode())) == b"\0"
    assert _decrypt(bytes.fromhex(fields[b"GC"].decode())) == b"\xff"


def _decrypt(data: bytes) -> bytes:
    seed, version_enc, key_enc = data[0], data[1], data[2]
    assert version_enc ^ seed == 2
    unencrypted, encrypted1, encrypted2 = key_enc ^ seed, key_enc, version_enc
    position = 3
    for _ in range((seed & 6) // 2):
        byte = data[position] ^ ((encrypted2 + unencrypted) & 0xFF)
        encrypted2, encrypted1, unencrypted = encrypted1, data[position], byte
        position += 1
    plain = []
    for encrypted in data[position:]:
        byte = encrypted ^ ((encrypted2 + unencrypted) & 0xFF)
        encrypted2, encrypted1, unencrypted = encrypted1, encrypted, byte
        plain.append(byte)
    length = int.from_bytes(bytes(plain[:4]), "little")
    assert length == len(plain) - 4
    return bytes(plain[4:])


@pytest.mark.libreoffice
def test_libreoffice_reads_the_vba_project(tmp_path, libreoffice):
    """LibreOffice, another reader of [MS-OVBA], imports the project from the same package saved as .xlsm (it
    does not open add-ins): library 'scorecard' with all five modules, the wrappers among them."""
    path = tmp_path / "scorecard.xlsm"
    path.write_bytes(xlam.workbook_bytes(ovba.vba_project(vba.PROJECT_NAME, vba.modules())))
    [ods] = convert([path], tmp_path / "out", target="ods")
    with zipfile.ZipFile(ods) as converted:
        basic = {name.split("/")[-1][:-4]: converted.read(name).decode("utf-8") for name in converted.namelist()
                 if name.startswith("Basic/scorecard/") and not name.endswith("script-lb.xml")}
    assert sorted(basic) == sorted(name for _, name, _ in vba.FILES)
    for name in routes.udf_functions(routes.load_udfs("classic")):
        assert f"Function {name}(" in basic["xlwings_udfs"], name


def test_config_file_is_what_the_vba_reads():
    """The settings file has the `"KEY","value"` lines the add-in's GetConfigFromFile reads, in the folder the
    add-in's PROJECT_NAME gives (%USERPROFILE%\\.scorecard\\scorecard.conf)."""
    text = classic.config_text("C:\\Python311\\python.exe")
    assert text == '"UDF MODULES","udfs.functions"\r\n"INTERPRETER_WIN","C:\\Python311\\python.exe"\r\n'
    assert classic.config_path(tmp := __import__("pathlib").Path("/home/x")) == tmp / ".scorecard" / "scorecard.conf"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="checks the steps printed off Windows")
def test_install_and_remove_print_the_steps_off_windows(tmp_path, capsys):
    """Off Windows, install and remove change nothing and print the officer's steps (no hand import any more)."""
    assert main(["addin", "install"]) == 0
    printed = capsys.readouterr().out
    assert "Not Windows" in printed and "UDF MODULES" in printed and "Import File" not in printed
    assert main(["addin", "remove"]) == 0
    assert "XLSTART" in capsys.readouterr().out
    assert classic.install(home=tmp_path)[0].startswith("Not Windows")
    assert not (tmp_path / ".scorecard").exists()

"""Hostile and broken files are refused with a clear message, in bounded time and memory, and
one bad file never stops the others. Every file is made here, in code."""

from __future__ import annotations

import io
import re
import shutil
import time
import tracemalloc
import zipfile

import pytest
from collect_strategies import make_template, small_catalogue, typical_entries

from generator.collection.collect import collect
from generator.collection.guard import Limits
from generator.collection.read import read_return
from generator.collection.store import Store
from generator.collection.templates import fill_template

CATALOGUE = small_catalogue()
SECONDS = 10  # generous guard: the limits, not this, bound the work
PEAK_BYTES = 64 * 1024 * 1024


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    template = make_template(folder, CATALOGUE)
    return fill_template(template, folder / "good.xlsx", typical_entries(CATALOGUE))


def _refused(path, limits=None):
    """Read `path`, asserting refusal within the time and memory guards; return the message."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = read_return(path, CATALOGUE, limits=limits or Limits())
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - start < SECONDS
    assert peak < PEAK_BYTES
    assert result.refused and result.submission is None
    [problem] = result.problems
    assert problem["file"] == str(path) and problem["severity"] == "error"
    return problem["message"]


def _rezip(source, target, change=None, extra=()):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            z.writestr(info, change(info.filename, data) if change else data)
        for name, data in extra:
            z.writestr(name, data)
    return target


def test_macro_enabled_extension_refused(good, tmp_path):
    """A .xlsm file is refused by its type, before reading."""
    path = tmp_path / "return.xlsm"
    shutil.copy(good, path)
    assert "macro-enabled workbook (.xlsm) refused" in _refused(path)


def test_vba_project_inside_xlsx_refused(good, tmp_path):
    """An .xlsx carrying a VBA project is refused."""
    path = _rezip(good, tmp_path / "vba.xlsx", extra=[("xl/vbaProject.bin", b"\0" * 64)])
    assert "contains macros" in _refused(path)


def test_legacy_xls_refused(tmp_path):
    """An OLE2 (Excel 97-2003) file is refused as legacy .xls."""
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    assert "legacy Excel 97-2003 (.xls)" in _refused(path)


def test_password_protected_refused(tmp_path):
    """An encrypted OOXML package (OLE2 with EncryptionInfo) is refused as password-protected."""
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    assert "password-protected" in _refused(path)


def test_not_a_zip_refused(tmp_path):
    """A CSV renamed .xlsx is refused as not a workbook."""
    path = tmp_path / "data.xlsx"
    path.write_text("code,value\nE1,12\n")
    assert "not an Excel .xlsx workbook" in _refused(path)


def test_truncated_refused(good, tmp_path):
    """Half a workbook (an interrupted upload) is refused as damaged or truncated."""
    path = tmp_path / "half.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "damaged or truncated" in _refused(path)


def test_zip_bomb_refused_by_uncompressed_size(tmp_path):
    """A member that inflates past the limit is refused (declared sizes checked first)."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(40):
                member.write(b"\0" * (1 << 20))
    limits = Limits(max_member_bytes=8 << 20, max_total_bytes=16 << 20)
    message = _refused(path, limits)
    assert "possible zip bomb" in message


def test_zip_bomb_with_lying_header_refused(tmp_path):
    """A member whose header understates its size is caught by bounded decompression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 << 20))
    data = bytearray(buffer.getvalue())
    # patch the declared uncompressed size (local header and central directory) to 1000 bytes
    local = data.find(b"PK\x03\x04")
    data[local + 22: local + 26] = (1000).to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    data[central + 24: central + 28] = (1000).to_bytes(4, "little")
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    message = _refused(path, Limits(max_member_bytes=4 << 20, max_ratio=1e9))
    assert "possible zip bomb" in message or "damaged or truncated" in message


def test_compression_ratio_refused(tmp_path):
    """A member compressed over the allowed ratio is refused."""
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    assert "possible zip bomb" in _refused(path)


def test_too_many_members_refused(good, tmp_path):
    """More parts than the limit allows is refused."""
    path = _rezip(good, tmp_path / "many.xlsx", extra=[(f"x/{n}.xml", b"<a/>") for n in range(50)])
    assert "parts, over the limit" in _refused(path, Limits(max_members=40))


def test_xml_entity_expansion_refused(good, tmp_path):
    """A billion-laughs DTD in workbook.xml is refused before any XML parser expands it."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1)) * 10 if n > 1
                                                     else b"&lol;" * 10) for n in range(1, 10))
              + b"]>")

    def change(name, data):
        body = data.split(b"?>", 1)[-1]
        return laughs + body.replace(b"<sheets>", b"<sheets>&lol9;", 1) \
            if name == "xl/workbook.xml" else data

    path = _rezip(good, tmp_path / "laughs.xlsx", change)
    assert "entity-expansion" in _refused(path)


def test_over_size_limit_refused(good):
    """A file over the size limit is refused without being read."""
    assert "over the 1,000-byte limit" in _refused(good, Limits(max_file_bytes=1000))


def test_not_a_template_refused(tmp_path):
    """An ordinary workbook (no metadata sheet) is refused as not a collection template."""
    import openpyxl

    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    assert "not a Scorecard collection template" in _refused(path)


def test_one_bad_file_never_stops_the_others(good, tmp_path):
    """A batch with hostile files in the middle still stores the good return, and reports
    every bad one."""
    bad = [tmp_path / "a.xlsm", tmp_path / "b.xlsx", tmp_path / "c.xls"]
    shutil.copy(good, bad[0])
    bad[1].write_bytes(b"PK\x03\x04 truncated")
    bad[2].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    store = Store(tmp_path / "s.sqlite")
    report = collect([bad[0], bad[1], good, bad[2]], store, CATALOGUE)
    assert report.versions[str(good)] == 1
    assert {r.file for r in report.refused} == {str(p) for p in bad}
    assert len(store.problems().query("code == 'refused'")) == 3


_FAR_READ = """
import json, sys
sys.path.insert(0, {tests!r})
from collect_strategies import small_catalogue
from generator.collection.read import read_return
result = read_return({path!r}, small_catalogue())
cells = result.submission.cells if result.submission else []
print(json.dumps({{"refused": result.refused, "problems": result.problems, "cells": cells}},
                 default=str))
"""


def _far_cells(good, tmp_path):
    """The good return with a number typed at XFD4 and text at XFD1048576 (sheet XML edited:
    the used range becomes the whole grid, 17 billion cells)."""
    from collect_strategies import rewrite_member, sheet_part

    from generator.collection import layout as L
    from generator.collection.xlsx import sheet_names

    path = shutil.copy(good, tmp_path / "far.xlsx")
    sheet = next(n for n in sheet_names(path.read_bytes())
                 if n not in (L.COVER_SHEET, L.META_SHEET))

    def change(xml):
        xml = re.sub(rb'(<row r="4"[^>]*>.*?)</row>', rb'\1<c r="XFD4"><v>77</v></c></row>',
                     xml, count=1, flags=re.S)
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                           b't="inlineStr"><is><t>far away</t></is></c></row></sheetData>')

    rewrite_member(path, sheet_part(path, sheet), change)
    return path, sheet


def test_far_cell_is_cut_off_and_reported_not_allocated(good, tmp_path):
    """A return with cells typed at XFD4 and XFD1048576 is read in a child process limited to
    3 GB of address space (calamine used to try to allocate 512 GB and abort, openpyxl 5.7 GB):
    it is read, not refused; both far cells are extra_cell warnings naming sheet and cell
    with their raw text stored; every value in the template's cells is still read."""
    import json
    import resource
    import subprocess
    import sys
    from pathlib import Path

    path, sheet = _far_cells(good, tmp_path)
    tests = str(Path(__file__).parent)
    code = _FAR_READ.format(tests=tests, path=str(path))

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          preexec_fn=limit, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.perf_counter() - start < 60
    result = json.loads(done.stdout)
    assert not result["refused"]
    far = {p["cell"]: p for p in result["problems"] if p["code"] == "extra_cell"}
    assert set(far) == {"XFD4", "XFD1048576"}
    assert far["XFD1048576"]["sheet"] == sheet and far["XFD1048576"]["raw"] == "far away"
    assert "far outside the template" in far["XFD1048576"]["message"]
    kept = {c["cell"]: c for c in result["cells"] if c["field"] == "extra"}
    assert kept["XFD4"]["raw"] == "77" and kept["XFD1048576"]["raw"] == "far away"
    typed = [c for c in result["cells"] if c["field"] != "extra"]
    entries = typical_entries(CATALOGUE)
    assert len(typed) == sum(len(fields) for fields in entries.values())

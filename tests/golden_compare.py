"""Compare two .xlsx files part by part, as XlsxWriter's own test suite does.

Modelled on ``_compare_xlsx_files`` in XlsxWriter's ``xlsxwriter/test/helperfunctions.py``:
unzip both files, compare the list of parts, then each part in name order. XML parts are split
into a list of elements at tag boundaries (``>\\s*<``) after removing what changes from run to
run (the creation and modified dates in ``docProps/core.xml``); the elements of
``[Content_Types].xml`` and of ``.rels`` parts are sorted (apart from the first and last), since
their order carries no meaning. Binary parts (images, VBA) must be byte-identical. Zip
metadata (member dates, compression) is not compared.

Unlike XlsxWriter's helper, which returns the two element lists, ``compare_xlsx`` returns a
short message naming the FIRST differing part and the first differing element with a little
context either side, or None when the files match. Run it from the command line to see why two
files differ::

    python tests/golden_compare.py got.xlsx expected.xlsx
"""

from __future__ import annotations

import html
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

BINARY_EXTENSIONS = (".png", ".jpeg", ".jpg", ".gif", ".bmp", ".wmf", ".emf", ".bin")
CONTEXT = 2  # elements shown either side of the first difference
MAX_ELEMENT = 300  # characters shown of one element

# What changes from run to run: xlsxwriter stamps the time of writing into core.xml.
_W3CDTF = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_TAG_BOUNDARY = re.compile(r">\s*<")


def xml_to_list(xml: str) -> list[str]:
    """Split XML text into its elements at tag boundaries (XlsxWriter's ``_xml_to_list``)."""
    elements = _TAG_BOUNDARY.split(xml.strip().replace("\r", ""))
    return [("" if e.startswith("<") else "<") + e + ("" if e.endswith(">") else ">")
            for e in elements]


def sort_relationships(elements: list[str]) -> list[str]:
    """Sort the elements of a relationships or content-types part, keeping the first (the XML
    declaration) and the last (the closing tag) in place."""
    if len(elements) < 3:
        return elements
    return [elements[0], *sorted(elements[1:-1]), elements[-1]]


def normalise(part: str, text: str) -> str:
    """Remove what changes from run to run in one XML part."""
    if part == "docProps/core.xml":
        text = _W3CDTF.sub("", text)
    return text


def part_elements(part: str, data: bytes,
                  ignore_elements: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """The comparable list of elements of one XML part."""
    elements = xml_to_list(normalise(part, data.decode("utf-8")))
    for pattern in (ignore_elements or {}).get(part, ()):
        elements = [e for e in elements if not re.match(pattern, e)]
    if part == "[Content_Types].xml" or part.endswith(".rels"):
        elements = sort_relationships(elements)
    return elements


def _short(element: str) -> str:
    return element if len(element) <= MAX_ELEMENT else element[:MAX_ELEMENT] + "..."


def describe_difference(part: str, got: list[str], expected: list[str]) -> str:
    """The first differing element of a part, with CONTEXT elements either side."""
    index = next((i for i, (g, e) in enumerate(zip(got, expected, strict=False)) if g != e),
                 min(len(got), len(expected)))
    lines = [f"{part}: first difference at element {index + 1} "
             f"(got {len(got)} elements, expected {len(expected)})"]
    before = expected[max(0, index - CONTEXT):index]
    if before:
        lines.append("  same before:")
        lines += [f"      {_short(e)}" for e in before]
    lines.append("  got:")
    lines += [f"    > {_short(e)}" for e in got[index:index + CONTEXT + 1]] or ["    > (end of part)"]
    lines.append("  expected:")
    lines += ([f"    < {_short(e)}" for e in expected[index:index + CONTEXT + 1]]
              or ["    < (end of part)"])
    return "\n".join(lines)


def sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet and chartsheet part -> sheet name, so a message can say which sheet differs."""
    try:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    except KeyError:
        return {}
    targets = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        rel_id, target = re.search(r'Id="([^"]+)"', rel), re.search(r'Target="([^"]+)"', rel)
        if rel_id and target:
            targets[rel_id.group(1)] = "xl/" + target.group(1).removeprefix("/xl/").lstrip("/")
    names = {}
    for sheet in re.findall(r"<sheet [^>]*>", workbook):
        name, rel_id = re.search(r'name="([^"]*)"', sheet), re.search(r'r:id="([^"]+)"', sheet)
        if name and rel_id and rel_id.group(1) in targets:
            names[targets[rel_id.group(1)]] = html.unescape(name.group(1))
    return names


def compare_xlsx(got_file: str | Path, expected_file: str | Path, *,
                 ignore_files: Iterable[str] = (),
                 ignore_elements: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """None when the workbooks match; otherwise a message naming the first differing part.

    ``ignore_files`` are part names left out of the comparison; ``ignore_elements`` maps a part
    name to regular expressions of elements to drop from it (both as in XlsxWriter's helper).
    """
    ignored = set(ignore_files)
    try:
        with zipfile.ZipFile(got_file) as got_zip, zipfile.ZipFile(expected_file) as exp_zip:
            got_parts = sorted(n for n in got_zip.namelist() if n not in ignored)
            exp_parts = sorted(n for n in exp_zip.namelist() if n not in ignored)
            if got_parts != exp_parts:
                extra = [n for n in got_parts if n not in exp_parts]
                missing = [n for n in exp_parts if n not in got_parts]
                return (f"the parts differ: {len(got_parts)} got, {len(exp_parts)} expected; "
                        f"only in got: {extra or 'none'}; only in expected: {missing or 'none'}")
            for part in exp_parts:
                got_data, exp_data = got_zip.read(part), exp_zip.read(part)
                if part.lower().endswith(BINARY_EXTENSIONS):
                    if got_data != exp_data:
                        return (f"{part}: binary part differs ({len(got_data)} bytes got, "
                                f"{len(exp_data)} bytes expected)")
                    continue
                got = part_elements(part, got_data, ignore_elements)
                expected = part_elements(part, exp_data, ignore_elements)
                if got != expected:
                    sheet = sheet_names(exp_zip).get(part)
                    label = f"{part} (sheet {sheet!r})" if sheet else part
                    return describe_difference(label, got, expected)
    except (OSError, zipfile.BadZipFile) as error:
        return f"cannot compare {got_file} with {expected_file}: {error}"
    return None


def assert_same_xlsx(got_file: str | Path, expected_file: str | Path, **options) -> None:
    """AssertionError with compare_xlsx's message when the workbooks differ."""
    difference = compare_xlsx(got_file, expected_file, **options)
    if difference is not None:
        raise AssertionError(f"{Path(got_file).name} differs from {expected_file}:\n{difference}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/golden_compare.py got.xlsx expected.xlsx")
    message = compare_xlsx(sys.argv[1], sys.argv[2])
    print(message or "the same (apart from what changes from run to run)")
    sys.exit(1 if message else 0)

"""The classic add-in's VBA: the wrappers xlwings generates for every function. The shipped text an officer
imports, addin/vba/xlwings_udfs.bas, is the golden file."""

from __future__ import annotations

import re

from addin import routes, vba

GOLDEN = vba.VBA_DIR / "xlwings_udfs.bas"


def test_generated_wrappers_match_the_golden_file():
    """The wrappers generated now (xlwings' own generate_vba_wrapper, without Excel) equal the golden file:
    a change of function, argument or xlwings version shows up here. Regenerate with
    `scorecard addin vba` after checking the diff."""
    assert vba.generate_wrappers() == GOLDEN.read_text(encoding="utf-8")


def test_every_function_has_a_wrapper_with_its_arguments():
    """Each function has one VBA Function whose parameters are the Python ones, optional ones marked
    Optional, calling the UDF module by name through XLPy.CallUDF with ActiveWorkbook (an add-in)."""
    text = GOLDEN.read_text(encoding="utf-8")
    functions = routes.udf_functions(routes.load_udfs("classic"))
    declared = re.findall(r"^Function (\w+)\((.*)\)$", text, flags=re.M)
    assert [name for name, _ in declared] == list(functions)
    for name, params in declared:
        expected = ", ".join(("Optional " if "optional" in a else "") + a["name"]
                             for a in functions[name].__xlfunc__["args"])
        assert params == expected, name
        assert f'XLPy.CallUDF("udfs.functions", "{name}", Array(' in text
    assert text.startswith('Attribute VB_Name = "xlwings_udfs"\n')
    assert "ThisWorkbook, Application.Caller" not in text


def test_vba_lines_fit_the_vba_editor():
    """No line is longer than the 1,023 characters the VBA editor accepts."""
    assert max(len(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()) < 1024

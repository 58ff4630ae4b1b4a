"""The functions' Excel metadata: descriptions, argument docs and names, for every route that shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from addin_helpers import server_module  # noqa: F401 (fixture)

from addin import routes
from addin.lambdas import LAMBDAS

BUILTINS_FILE = Path(__file__).parent / "data" / "excel_builtin_functions.txt"
BUILTINS = {
    line.strip().upper()
    for line in BUILTINS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
# A1 references (columns A to XFD) and R1C1 references, which Excel would read instead of a name.
A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
R1C1 = re.compile(r"^R(\d*)C(\d*)$|^[RC]\d*$")


def looks_like_reference(name: str) -> bool:
    match = A1.match(name.upper())
    if match:
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        return column <= 16384 and 1 <= int(match.group(2)) <= 1048576
    return bool(R1C1.match(name.upper()))


@pytest.fixture(scope="module")
def classic():
    return routes.udf_functions(routes.load_udfs("classic"))


def test_reference_check_itself_can_fail():
    """The cell-reference check recognises real references (so its passes below mean something)."""
    assert looks_like_reference("RAG1") and looks_like_reference("XFD1048576") and looks_like_reference("R1C1")
    assert not looks_like_reference("RAG") and not looks_like_reference("XFE1")
    assert not looks_like_reference("RISK_SCORE")
    assert "SUM" in BUILTINS and "PERCENTOF" in BUILTINS and "LAMBDA" in BUILTINS


def test_every_function_is_registered_for_the_classic_add_in(classic):
    """All fifteen functions carry classic xlwings metadata (what Import Functions turns into VBA)."""
    assert list(classic) == sorted([
        "rag", "rag_symbol", "rag_reason", "direction", "direction_arrow", "rate_per", "percent_of", "rate_ci",
        "percent_ci", "compare_benchmark", "quartile_band", "polarity_rank", "risk_score", "risk_level", "polarity",
    ])


def test_descriptions_and_argument_docs_fit_excel(classic):
    """Each function has a description of 1-255 characters (Excel's limit; xlwings cuts longer ones) and
    every argument has its own doc (not xlwings' placeholder 'Positional argument N'), also <= 255."""
    for name, function in classic.items():
        description = function.__xlfunc__["ret"]["doc"]
        assert 0 < len(description) <= 255, name
        for arg in function.__xlfunc__["args"]:
            assert not arg["doc"].startswith("Positional argument"), f"{name}({arg['name']}) has no doc"
            assert 0 < len(arg["doc"]) <= 255, f"{name}({arg['name']})"


def test_names_are_not_builtins_or_cell_references(classic):
    """No function, LAMBDA or parameter name is an Excel built-in function or reads as a cell reference."""
    for name in [*classic, *(item.name for item in LAMBDAS)]:
        assert name.upper() not in BUILTINS, name
        assert not looks_like_reference(name), name
    for item in LAMBDAS:
        for param in item.params:
            assert not looks_like_reference(param), f"{item.name}({param})"


def test_optional_arguments_are_the_same_on_both_routes(classic, server_module):  # noqa: F811
    """Classic and Server metadata agree on each function's arguments, their order, docs and which are optional."""
    server = routes.udf_functions(server_module)
    assert list(server) == list(classic)
    for name in classic:
        left = [(a["name"], a["doc"], "optional" in a) for a in classic[name].__xlfunc__["args"]]
        right = [(a["name"], a["doc"], "optional" in a) for a in server[name].__xlfunc__["args"]]
        assert left == right, name

"""Same answers everywhere: the one table of cases (tests/data/same_answers_cases.py) through every route.

Routes: a direct Python call of udfs.functions; the classic add-in's call shape (xlwings.udfs.call_udf's
argument and result conversion, values as pywin32 hands them over); the xlwings Server app's
/xlwings/custom-functions-call endpoint with Office.js' request shape; the generated xlwings Lite main.py;
and, for the cases a formula can take, the same formula text as cell formulas recalculated by LibreOffice
and the LAMBDA named formulas evaluated by the `formulas` package.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from addin_helpers import load_cases, needs, server_client, server_module  # noqa: F401 (fixtures)

import udfs.functions
from addin import routes
from addin.lambdas import BY_NAME, write_lambdas
from addin.lite import main_py
from generator.workbooks.libreoffice import recalculate

CASES = load_cases().CASES
SAME = load_cases().SAME
FORMULA_CASES = [case for case in CASES if case.formula is not None]
COLUMNS = "ABCDE"


def check(case, answer, expected=None, route=""):
    """The route's answer equals the expected grid (numbers to 1e-12 relative, or the case's tolerance)."""
    expected = case.expected if expected is None else expected
    got = routes.grid(answer)
    assert len(got) == len(expected) and all(len(a) == len(b) for a, b in zip(got, expected, strict=True)), (
        f"{route}: {case.id} gave {got}, expected {expected}")
    for row_got, row_expected in zip(got, expected, strict=True):
        for cell, want in zip(row_got, row_expected, strict=True):
            if case.approx is not None and isinstance(want, float):
                ok = isinstance(cell, int | float) and abs(cell - want) <= case.approx
            else:
                ok = routes.same_cell(cell, want)
            assert ok, f"{route}: {case.id} gave {got}, expected {expected}"


def test_table_covers_every_function_and_kind_of_input():
    """The table has cases for all fifteen functions, with empty cells, ranges, bad values and edges."""
    functions = set(routes.udf_functions(routes.load_udfs("classic")))
    assert {case.function for case in CASES} == functions
    assert any(None in case.args for case in CASES)
    assert any(any(isinstance(a, list) for a in case.args) for case in CASES)
    assert sum(str(case.expected[0][0]).startswith("#ERR") for case in CASES) >= 10
    assert {case.function for case in FORMULA_CASES} == {name.lower() for name in BY_NAME}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_direct_python_call(case):
    """udfs.functions called from Python gives the table's answer."""
    check(case, getattr(udfs.functions, case.function)(*case.args), route="direct")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_classic_udf_call_shape(case):
    """The classic add-in's call (floats, None for empty, COM codes for errors, missing optionals) agrees."""
    module = routes.load_udfs("classic")
    check(case, routes.classic_call(module, case.function, list(case.args)), route="classic")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_server_endpoint(case, server_client, server_module):  # noqa: F811
    """POST /xlwings/custom-functions-call with the body Office.js sends agrees."""
    declared = len(getattr(server_module, case.function).__xlfunc__["args"])
    args = list(case.args) + [None] * (declared - len(case.args))
    response = server_client.post("/xlwings/custom-functions-call", json=routes.officejs_body(case.function, args))
    assert response.status_code == 200, response.text
    check(case, response.json()["result"], route="server")


@pytest.fixture(scope="module")
def lite_module(tmp_path_factory, server_module):  # noqa: F811
    path = tmp_path_factory.mktemp("lite") / "main.py"
    path.write_text(main_py(), encoding="utf-8")
    return routes.load_udfs("server", path=path)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_lite_main_py(case, lite_module):
    """The generated xlwings Lite main.py, run by the engine behind Lite's functions, agrees."""
    check(case, routes.server_call(lite_module, case.function, list(case.args)), route="lite")


# ---------------------------------------------------------------- formula routes

def _formula_expected(case):
    return case.expected if case.formula is SAME else case.formula


def _write_formula_book(path):
    """One row per formula case: arguments in A-E, the cell formula in F, the LAMBDA call in G."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    for row, case in enumerate(FORMULA_CASES, start=2):
        item = BY_NAME[case.function.upper()]
        refs = {}
        for index, param in enumerate(item.params):
            ref = f"{COLUMNS[index]}{row}"
            refs[param] = ref
            value = case.args[index] if index < len(case.args) else None
            if value is not None:
                sheet[ref] = dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value
        sheet[f"F{row}"] = "=" + item.body(refs)
        sheet[f"G{row}"] = f"={item.name}({','.join(refs.values())})"
    book.save(path)
    write_lambdas(path)


def _cell(value):
    """An empty formula result as openpyxl reads it (None) is the "" the other routes give."""
    return "" if value is None else value


@pytest.fixture(scope="module")
def formula_book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    path = folder / "cases.xlsx"
    _write_formula_book(path)
    return path


@pytest.fixture(scope="module")
def libreoffice_results(formula_book, libreoffice):
    [out] = recalculate([formula_book], formula_book.parent / "out")
    sheet = openpyxl.load_workbook(out, data_only=True)["Cases"]
    return {row: (_cell(sheet[f"F{row}"].value), sheet[f"G{row}"].value) for row in range(2, len(FORMULA_CASES) + 2)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("index", range(len(FORMULA_CASES)), ids=lambda i: FORMULA_CASES[i].id)
def test_libreoffice_recalculates_the_same_formula_text(index, libreoffice_results):
    """The LAMBDA bodies' formula text, as plain cell formulas recalculated by LibreOffice, agrees."""
    case = FORMULA_CASES[index]
    check(case, libreoffice_results[index + 2][0], _formula_expected(case), route="libreoffice")


@pytest.mark.libreoffice
def test_libreoffice_does_not_evaluate_lambda_names(libreoffice_results):
    """What LibreOffice does with the LAMBDA defined names (documented in addin/README.md): it keeps the
    names but every call gives an error (#VALUE! in 7.4), never an answer. If this fails, LibreOffice
    has learned LAMBDA and the README should say so."""
    shown = {value for _, value in libreoffice_results.values()}
    assert shown and all(isinstance(value, str) and value.startswith("#") for value in shown), shown


@pytest.fixture(scope="module")
def lambda_results(formula_book):
    """Column G (the LAMBDA calls) as the `formulas` package evaluates the workbook: row -> value."""
    formulas = needs("formulas")
    solution = formulas.ExcelModel().loads(str(formula_book)).finish().calculate()
    prefix = f"'[{formula_book.name.upper()}]CASES'!G"
    results = {}
    for key, value in solution.items():
        if key.upper().startswith(prefix):
            cell = value.value[0][0]
            if str(cell) == "empty":
                cell = ""
            elif hasattr(cell, "dtype"):  # numpy scalars
                cell = cell.item()
            results[int(key.upper()[len(prefix):])] = cell if isinstance(cell, str | int | float) else str(cell)
    return results


@pytest.mark.parametrize("index", range(len(FORMULA_CASES)), ids=lambda i: FORMULA_CASES[i].id)
def test_lambda_named_formulas(index, lambda_results):
    """The LAMBDA named formulas themselves (=RAG(A2,...) calling the defined name), evaluated by the
    `formulas` package, agree."""
    case = FORMULA_CASES[index]
    check(case, lambda_results[index + 2], _formula_expected(case), route="lambda")

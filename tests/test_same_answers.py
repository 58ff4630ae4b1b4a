"""Same answers everywhere: the one table of cases (tests/data/same_answers_cases.py) through every route.

Routes: a direct Python call of udfs.functions; the classic add-in's call shape (xlwings.udfs.call_udf's
argument and result conversion, values as pywin32 hands them over); the xlwings Server app's
/xlwings/custom-functions-call endpoint with Office.js' request shape, and with the body Scorecard's glue
sends; the generated xlwings Lite main.py; and the LAMBDA names, evaluated by IronCalc.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from addin_helpers import load_cases, needs, server_client, server_module, type_cell  # noqa: F401 (fixtures)

import udfs.functions
from addin import routes
from addin.lambdas import LAMBDAS, write_lambdas
from addin.lite import main_py
from addin.routes import ExcelError
from addin.server.calls import glue_answer, glue_body
from generator.workbooks.libreoffice import recalculate

CASES = load_cases().CASES


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
    assert functions == {item.name.lower() for item in LAMBDAS}


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


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_server_endpoint_with_the_glue_body(case, server_client, server_module):  # noqa: F811
    """The same call as Scorecard's glue sends it (one-column ranges as {"column": [...]}, answers asked for as
    columns: addin.server.calls.glue_body), its answer made into Excel's rows as the glue does (glue_answer),
    agrees."""
    declared = len(getattr(server_module, case.function).__xlfunc__["args"])
    args = list(case.args) + [None] * (declared - len(case.args))
    body = glue_body(routes.officejs_body(case.function, args))
    response = server_client.post("/xlwings/custom-functions-call", json=body)
    assert response.status_code == 200, response.text
    check(case, glue_answer(response.json()["result"]), route="server, glue body")


@pytest.fixture(scope="module")
def lite_module(tmp_path_factory, server_module):  # noqa: F811
    path = tmp_path_factory.mktemp("lite") / "main.py"
    path.write_text(main_py(), encoding="utf-8")
    return routes.load_udfs("server", path=path)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_lite_main_py(case, lite_module):
    """The generated xlwings Lite main.py, run by the engine behind Lite's functions, agrees."""
    check(case, routes.server_call(lite_module, case.function, list(case.args)), route="lite")


# ---------------------------------------------------------------- the LAMBDA names

def _lambda_cell(value):
    """A case's cell as typed into the engine (dates as Excel's serial numbers, error cells as formulas)."""
    if isinstance(value, dt.date):
        return routes.excel_serial(value)
    if isinstance(value, ExcelError):
        return ("error", {"#N/A": "=NA()", "#DIV/0!": "=1/0"}[str(value)])
    return value


@pytest.fixture(scope="module")
def lambda_results(tmp_path_factory):
    """Every case as a call of its LAMBDA name, each on its own sheet, evaluated by IronCalc: case index -> grid."""
    ironcalc = needs("ironcalc")
    path = tmp_path_factory.mktemp("lambdas") / "names.xlsx"
    write_lambdas(path)
    model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
    cells = {}
    for index, case in enumerate(CASES):
        model.new_sheet()
        sheet = len(model.get_worksheets_properties()) - 1
        refs, row = [], 1
        for value in case.args:
            grid = routes.grid(value) if isinstance(value, list) else [[value]]
            for r, cells_row in enumerate(grid):
                for c, cell in enumerate(cells_row):
                    type_cell(model, sheet, row + r, 1 + c, _lambda_cell(cell))
            last = f"{chr(64 + len(grid[0]))}{row + len(grid) - 1}"
            refs.append(f"A{row}:{last}" if isinstance(value, list) else f"A{row}")
            row += len(grid)
        model.set_user_input(sheet, 1, 10, f"={case.function.upper()}({','.join(refs)})")
        cells[index] = sheet
    model.evaluate()
    names = [s["name"] for s in model.get_worksheets_properties()]
    results = {}
    for index, case in enumerate(CASES):
        name = names[cells[index]]
        rows = max(len(case.expected), 1)
        cols = max(len(case.expected[0]), 1)
        results[index] = [[model.get_cell_value_by_ref(f"{name}!{chr(74 + c)}{1 + r}") for c in range(cols)]
                          for r in range(rows)]
    return results


@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: CASES[i].id)
def test_lambda_names(index, lambda_results):
    """The LAMBDA name of the case's function (=RAG(A1,A2,A3) ...), in a workbook written by write_lambdas and
    evaluated by IronCalc, agrees; where the add-in gives "#ERR <message>", the name gives "#ERR" text."""
    case = CASES[index]
    got = lambda_results[index]
    expected = [[("#ERR" if isinstance(cell, str) and cell.startswith("#ERR") else cell) for cell in row]
                for row in case.expected]
    shown = [[("#ERR" if isinstance(cell, str) and cell.startswith("#ERR ") else "" if cell is None else cell)
              for cell in row] for row in got]
    check(case, shown, expected, route="lambda")


@pytest.mark.libreoffice
def test_libreoffice_does_not_evaluate_lambda_names(tmp_path, libreoffice):
    """What LibreOffice does with the LAMBDA defined names (documented in addin/README.md): it keeps the names
    but a call gives an error, never an answer. If this fails, LibreOffice has learned LAMBDA: say so."""
    path = tmp_path / "names.xlsx"
    write_lambdas(path, ["RISK_SCORE"])
    book = openpyxl.load_workbook(path)
    book["Scorecard functions"]["D1"] = "=RISK_SCORE(3,4)"
    book.save(path)
    [out] = recalculate([path], tmp_path / "out")
    shown = openpyxl.load_workbook(out, data_only=True)["Scorecard functions"]["D1"].value
    assert isinstance(shown, str) and shown.startswith("#"), shown

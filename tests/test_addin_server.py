"""The xlwings Server route: the app's endpoints, called in-process as Excel's Office.js runtime calls them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from addin_helpers import TOKEN, server_client, server_module  # noqa: F401 (fixtures)

from addin import routes

MANIFEST = Path(__file__).resolve().parents[1] / "addin" / "server" / "manifest.xml"


def test_metadata_lists_every_function_with_descriptions(server_client, server_module):  # noqa: F811
    """GET /xlwings/custom-functions-meta lists all fifteen functions by their Excel names, each with its
    description and every parameter with its doc, optional ones marked optional, all taking ranges."""
    response = server_client.get("/xlwings/custom-functions-meta")
    assert response.status_code == 200
    functions = {item["id"]: item for item in response.json()["functions"]}
    expected = routes.udf_functions(server_module)
    assert sorted(functions) == sorted(name.upper() for name in expected)
    for name, function in expected.items():
        meta = functions[name.upper()]
        assert meta["name"] == name.upper()
        assert meta["description"] == function.__doc__
        params = [(p["name"], p["description"], p.get("optional", False)) for p in meta["parameters"]]
        assert params == [(a["name"], a["doc"], "optional" in a) for a in function.__xlfunc__["args"]]
        assert all(p["dimensionality"] == "matrix" for p in meta["parameters"])
        assert meta["result"]["dimensionality"] == "matrix"


def test_code_endpoint_associates_every_function(server_client, server_module):  # noqa: F811
    """GET /xlwings/custom-functions-code is JavaScript that associates each function's Excel id, and posts to
    a URL relative to its own address (no root-absolute path, which breaks under a proxy's sub-path)."""
    response = server_client.get("/xlwings/custom-functions-code")
    assert response.status_code == 200
    for name in routes.udf_functions(server_module):
        assert f'CustomFunctions.associate("{name.upper()}", {name});' in response.text
    assert 'new URL("custom-functions-call", SCORECARD_BASE)' in response.text
    assert "window.location.origin" not in response.text and '"/xlwings' not in response.text


# ------------------------------------------------ what Excel's custom-functions runtime really sends
#
# The shapes, as xlwings' own code reads them (xlwings 0.37.8, installed package):
# - every parameter is a matrix of type "any" (xlwings/pro/udfs_officejs.py:899), so each argument is a
#   2-D list, even a single cell: [[90]];
# - the metadata sets "allowErrorForDataTypeAny" and "allowCustomDataForDataTypeAny" (udfs_officejs.py:
#   916-917), so an error cell arrives as Excel's error value object, {"type": "Error", "basicValue":
#   "#N/A", ...}, which xlwings' Office.js engine reads in xlwings/pro/_xlofficejs.py:93-95 (the text with
#   err_to_str, else None), and a data-type value as an object whose "basicValue" is used (line 99);
# - an empty cell is JSON null and "" is an empty string (_xlofficejs.py:87-90); an omitted optional
#   argument is null, which xlwings replaces by the Python default (udfs_officejs.py:670-672);
# - JSON.stringify writes 90 for 90.0, so whole numbers arrive as ints; dates as serial numbers.

NA = routes.excel_error_object("#N/A")
DIV0 = routes.excel_error_object("#DIV/0!")


def call(client, func_name: str, *args):
    """POST one call with the exact body Excel sends (args already in Excel's 2-D shapes); the parsed answer."""
    body = {"client": "Office.js", "func_name": func_name, "args": list(args), "caller_address": "Sheet1!C2",
            "culture_info_name": "en-GB", "date_format": None, "version": "0.37.8", "runtime": "1.4"}
    response = client.post("/xlwings/custom-functions-call", json=body)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_error_cells_give_no_status_per_cell(server_client):  # noqa: F811
    """Error cells in a range (Excel's error objects) give NO STATUS in their own rows, and the other rows their
    statuses, not #VALUE! for the whole range; RAG_REASON names the error."""
    actual = [[90], [NA], [None], [100], [DIV0], [""]]
    assert call(server_client, "rag", actual, [[100]], [["High"]], None, None) == [
        ["RED"], ["NO STATUS"], ["NO STATUS"], ["GREEN"], ["NO STATUS"], ["NO STATUS"]]
    assert call(server_client, "rag_reason", actual, [[100]], [["High"]], None, None) == [
        [""], ["no value (#N/A)"], ["no value (blank)"], [""], ["no value (#DIV/0!)"], ["no value (blank)"]]
    assert call(server_client, "rag", [[90], [90]], [[NA], [80]], [["High"], [NA]], None, None) == [
        ["NO STATUS"], ["NO STATUS"]]


def test_error_cells_in_every_kind_of_argument(server_client):  # noqa: F811
    """An error object is a missing value wherever it stands: direction, rates, confidence limits, bands and
    ranks treat it as they treat an empty cell."""
    assert call(server_client, "direction", [[90], [NA]], [[80], [80]], [["High"]], None, None) == [
        ["Improving"], ["Not comparable"]]
    assert call(server_client, "rate_per", [[20], [NA]], [[10000], [10000]], None) == [[20.0], [""]]
    lower = call(server_client, "rate_ci", [[NA], [20]], [[10000], [10000]], None, None, None)
    assert lower[0] == ["", ""] and round(lower[1][0], 2) == 12.21
    assert call(server_client, "quartile_band", [[8], [NA]], [[1, 2, NA, 8]], [["High"]]) == [["A"], ["-"]]
    assert call(server_client, "polarity_rank", [[8]], [[1, DIV0, 8, 3]], [["High"]]) == [[1]]


def test_two_dimensional_ranges_whole_numbers_and_data_types(server_client):  # noqa: F811
    """A 2-D range comes back the same shape; whole numbers arrive as ints and are numbers; a formatted-number
    data-type object is read by its basicValue, as xlwings does."""
    formatted = {"type": "FormattedNumber", "basicValue": 95, "numberFormat": "0.0"}
    assert call(server_client, "rag", [[90, 95], [formatted, None]], [[100, 100], [100, 100]],
                [["High", "High"], ["High", "Low"]], None, None) == [["RED", "AMBER"], ["AMBER", "NO STATUS"]]
    assert call(server_client, "risk_score", [[1, 2], [3, 4]], [[5]]) == [[5, 10], [15, 20]]


def test_call_endpoint_answers_office_js_requests(server_client):  # noqa: F811
    """POST /xlwings/custom-functions-call with Office.js' body: ranges as 2-D lists, whole numbers as
    ints, empty cells as null, omitted optional arguments as null, text, and a bad value."""
    body = routes.officejs_body("rag", [[[90], [100], [None], ["abc"]], 100, "Bigger is Better", None, None])
    response = server_client.post("/xlwings/custom-functions-call", json=body)
    assert response.status_code == 200
    assert response.json() == {"result": [["RED"], ["GREEN"], ["NO STATUS"], ["#ERR 'abc' is not a number"]]}


def test_unknown_function_is_refused(server_client):  # noqa: F811
    """A call naming no Scorecard function gets 404 with a message, not a server crash."""
    response = server_client.post("/xlwings/custom-functions-call", json=routes.officejs_body("os_system", [1]))
    assert response.status_code == 404
    assert "os_system" in response.text


def test_taskpane_and_icons_are_served(server_client):  # noqa: F811
    """The pages the manifest points to are there: the task pane and the icons."""
    assert server_client.get("/taskpane.html").status_code == 200
    for size in (16, 32, 64, 80):
        response = server_client.get(f"/icons/icon-{size}.png")
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_manifest_points_at_the_endpoints():
    """The manifest is well-formed XML with the SCORECARD namespace and URLs for the three endpoints."""
    text = MANIFEST.read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))
    for path in ("/xlwings/custom-functions-code", "/xlwings/custom-functions-meta", "/taskpane.html"):
        assert f"https://127.0.0.1:8000{path}" in text
    assert 'id="Functions.Namespace" DefaultValue="SCORECARD"' in text


def test_manifest_command_rewrites_the_address(tmp_path):
    """`scorecard addin manifest --url` writes the manifest for the council's server and refuses plain http."""
    from generator.cli import main

    out = tmp_path / "manifest.xml"
    assert main(["addin", "manifest", "--url", "https://scorecard.example.gov.uk/", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "127.0.0.1" not in text and "https://scorecard.example.gov.uk/xlwings/custom-functions-meta" in text
    assert main(["addin", "manifest", "--url", "http://x.example", "--out", str(out)]) == 2


# ------------------------------------------------ malformed call bodies: 400 with the reason, never 500

CALL = "/xlwings/custom-functions-call"


def rag_body(**changes):
    """A well-formed Office.js body for RAG (all five parameters), with fields replaced or (None) removed."""
    body = routes.officejs_body("rag", [[[90]], 100, "Bigger is Better", None, None])
    for field, value in changes.items():
        if value is None:
            body.pop(field)
        else:
            body[field] = value
    return body


def refused(client, body, *words):
    """POST the body; assert HTTP 400 with a one-line plain-text message holding every word; return it."""
    response = client.post(CALL, json=body)
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("text/plain")
    assert "\n" not in response.text and "Traceback" not in response.text
    for word in words:
        assert word in response.text, (word, response.text)
    return response.text


def test_too_few_arguments_are_refused(server_client):  # noqa: F811
    """RAG with one argument (it needs actual, target and polarity) gets 400 saying how many it takes,
    not 500 "rag() missing 2 required positional arguments"."""
    text = refused(server_client, rag_body(args=[[[90]]]), "rag takes 3 to 5 arguments; 1 given")
    assert "positional" not in text


def test_too_many_arguments_are_refused(server_client):  # noqa: F811
    """RAG with seven arguments (it takes at most five) gets 400 naming the range allowed and the count given."""
    body = rag_body()
    body["args"] += [[[1]], [[2]]]
    refused(server_client, body, "rag takes 3 to 5 arguments; 7 given")


def test_fixed_arity_message(server_client):  # noqa: F811
    """A function without optional parameters states its one count (RISK_SCORE takes exactly two)."""
    body = routes.officejs_body("risk_score", [[[1]]])
    refused(server_client, body, "risk_score takes 2 arguments; 1 given")


def test_missing_args_is_refused(server_client):  # noqa: F811
    """A body with no "args" key gets 400 naming the missing field, not 500 "'args'"."""
    refused(server_client, rag_body(args=None), "no 'args'")


def test_null_args_is_refused(server_client):  # noqa: F811
    """"args": null gets 400 saying args must be a list, not 500 "'NoneType' object is not iterable"."""
    body = rag_body()
    body["args"] = None
    refused(server_client, body, "'args' must be a list", "not null")


def test_object_as_argument_is_refused(server_client):  # noqa: F811
    """An argument that is a JSON object (not a range as a list of rows, nor a single value) gets 400
    naming the argument, not 500 with xlwings' KeyError."""
    body = rag_body()
    body["args"][0] = {"type": "Double", "basicValue": 90}
    refused(server_client, body, "argument 1 of rag (actual)", "not an object")


def test_ranges_must_be_lists_of_rows_of_values(server_client):  # noqa: F811
    """A range must be a 2-D list of cell values: a flat list, or a cell that is itself a list or an
    object, gets 400 naming the argument."""
    body = rag_body()
    body["args"][1] = [100, 100]
    refused(server_client, body, "argument 2 of rag (target)", "list of rows")
    body["args"][1] = [[[100]]]
    refused(server_client, body, "argument 2 of rag (target)", "a cell that is a list")
    body["args"][1] = [[{"value": 100}]]
    refused(server_client, body, "argument 2 of rag (target)", "a cell that is an object")


def test_missing_version_is_defaulted_for_office_js(server_client):  # noqa: F811
    """A body without "version" (or "runtime", or "client") from Office.js is answered as the full body
    is, not 500 "'version'": xlwings compares versions only for other clients."""
    expected = server_client.post(CALL, json=rag_body()).json()
    assert expected == {"result": [["RED"]]}
    for field in ("version", "runtime", "client"):
        response = server_client.post(CALL, json=rag_body(**{field: None}))
        assert response.status_code == 200, (field, response.text)
        assert response.json() == expected


def test_missing_version_from_another_client_is_refused(server_client):  # noqa: F811
    """A non-Office.js client must say its xlwings version (xlwings checks it): 400 without one."""
    refused(server_client, rag_body(client="VBA", version=None), "no 'version'")


def test_func_name_must_be_text(server_client):  # noqa: F811
    """"func_name" as a list gets 400, not 500 "unhashable type: 'list'"; a body without it gets 400 too."""
    refused(server_client, rag_body(func_name=["rag"]), "'func_name' must be text", "not a list")
    refused(server_client, rag_body(func_name=None), "no 'func_name'")


def test_body_must_be_a_json_object(server_client):  # noqa: F811
    """A body that is a JSON list, or not JSON at all, gets 400 with a plain-text reason."""
    refused(server_client, ["rag", 1], "must be a JSON object")
    response = server_client.post(CALL, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.text == "the request body is not valid JSON"


def test_fields_xlwings_reads_must_be_text(server_client):  # noqa: F811
    """date_format, culture_info_name and runtime of the wrong kind get 400, not an error inside xlwings."""
    refused(server_client, rag_body(date_format=5), "'date_format' must be text or null")
    refused(server_client, rag_body(runtime="latest"), "'runtime'")


# ------------------------------------------------ the fast converter is xlwings' own conversion, faster

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_IN_CELLS = st.one_of(st.none(), st.just(""), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.booleans(),
                      st.text(max_size=6), st.sampled_from([NA, DIV0, {"type": "FormattedNumber", "basicValue": 5}]))
_OUT_CELLS = st.one_of(st.none(), st.just(""), st.integers(-10**6, 10**6), st.floats(), st.booleans(),
                       st.text(max_size=6), st.sampled_from(["#N/A", "#ERR x", "#VALUE!"]))


def _grids(cells):
    return st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(cells, min_size=width, max_size=width),
                                                            min_size=1, max_size=6))


def _convert(pipeline, value):
    import xlwings
    from xlwings.conversion.framework import ConversionContext

    context = ConversionContext(value=value, engine_name="officejs")
    pipeline(context)
    assert xlwings.engines["officejs"] is context.engine
    return context.value


@settings(max_examples=150, deadline=None)
@given(_grids(_IN_CELLS), st.booleans())
def test_fast_reading_equals_xlwings_reading(server_module, grid, err_to_str):  # noqa: F811
    """On the Office.js engine, ExcelRange reads every range exactly as xlwings' own reader with the same options
    (plain JSON cells, '' and null, error and data-type objects, with and without err_to_str)."""
    from xlwings.conversion.standard import ValueAccessor

    from udfs.cells import Range
    from udfs.convert import ExcelRange

    options = {"ndim": 2, "err_to_str": err_to_str}
    ours = _convert(ExcelRange.reader(options), [list(row) for row in grid])
    theirs = _convert(ValueAccessor.reader(options), [list(row) for row in grid])
    assert repr(ours) == repr(theirs)
    # As the app hands it over: a range check_call has already flattened and typed (addin/server/calls.py).
    assert repr(_convert(ExcelRange.reader(options), Range.of([list(row) for row in grid]))) == repr(theirs)


@settings(max_examples=150, deadline=None)
@given(st.lists(_IN_CELLS.filter(lambda cell: not isinstance(cell, dict)), min_size=1, max_size=8), st.booleans())
def test_fast_reading_of_a_compact_column_equals_xlwings_reading(server_module, cells, err_to_str):  # noqa: F811
    """A one-column range of plain cells that check_call hands over as a udfs.cells.Column (the glue's
    {"column": [cells]}) is read by ExcelRange into the cells xlwings' own reader makes of its rows ('' as None)."""
    from xlwings.conversion.standard import ValueAccessor

    from udfs.cells import Column
    from udfs.convert import ExcelRange

    options = {"ndim": 2, "err_to_str": err_to_str}
    ours = _convert(ExcelRange.reader(options), Column(list(cells), set(map(type, cells))))
    theirs = _convert(ValueAccessor.reader(options), [[cell] for cell in cells])
    assert isinstance(ours, Column) and ours.shape == (len(cells), 1)
    assert ours.cell_types == set(map(type, ours.cells))
    assert repr(ours.rows()) == repr(theirs)


@settings(max_examples=150, deadline=None)
@given(_grids(_OUT_CELLS), st.sampled_from(["1.1", "1.4"]))
def test_fast_writing_equals_xlwings_writing(server_module, grid, runtime):  # noqa: F811
    """On the Office.js engine, ExcelRange writes every answer exactly as xlwings' own writer (text, Excel error
    words, numbers, NaN and infinities, None, booleans; both runtime versions)."""
    from xlwings.conversion.standard import ValueAccessor

    from udfs.convert import ExcelRange

    options = {"runtime": runtime, "date_format": None}
    ours = _convert(ExcelRange.writer(options), [list(row) for row in grid])
    theirs = _convert(ValueAccessor.writer(options), [list(row) for row in grid])
    assert repr(ours) == repr(theirs)


def test_calls_that_wait_still_get_their_answer():
    """run_to_end answers a coroutine that never waits without an event loop, and one that does wait (an
    async function that sleeps) by running it again in a loop of its own."""
    import asyncio

    from addin.server.app import run_to_end

    async def plain():
        return [[1]]

    async def waits():
        await asyncio.sleep(0)
        return [[2]]

    assert run_to_end(plain) == [[1]] and run_to_end(waits) == [[2]]


def test_check_call_hands_on_ranges_typed_once(server_module):  # noqa: F811
    """check_call gives each well-formed range on as an udfs.cells.Range holding the same rows, its cells row by
    row and their types (so nothing looks at the cells again); a range with Excel value objects, rows of
    different lengths or a single value is handed on as it came."""
    from addin.server.calls import check_call
    from udfs.cells import Range

    functions = routes.udf_functions(server_module)
    body = rag_body()
    body["args"] = [[[90, 1.5], ["", None]], [[NA], [80]], [[1], [2, 3]], 5, None]
    args = check_call(body, functions)["args"]
    assert isinstance(args[0], Range) and args[0] == [[90, 1.5], ["", None]]
    assert args[0].cells == [90, 1.5, "", None] and args[0].cell_types == {int, float, str, type(None)}
    assert [type(arg) for arg in args[1:]] == [list, list, int, type(None)]
    assert args[1:] == [[[NA], [80]], [[1], [2, 3]], 5, None]


def test_a_large_call_is_let_go_after_its_answer_is_sent(server_module):  # noqa: F811
    """For a large call the collector stays paused while the answer is sent (the call's objects are freed only
    after), and runs again once the response's background task has run, or once a response that was never sent
    is dropped; a small call ends the pause before its answer goes."""
    import asyncio
    import gc
    import json

    from addin.server.app import DEFER_RELEASE_BYTES, Calls
    from addin.server.settings import Settings

    assert gc.isenabled()
    calls = Calls(server_module, Settings(auth="token", tokens=(TOKEN,)))
    rows = DEFER_RELEASE_BYTES // 5  # "[90], " per row
    large = json.dumps(routes.officejs_body("rag", [[[90]] * rows, [[100]], [["High"]], None, None])).encode()
    assert len(large) >= DEFER_RELEASE_BYTES
    try:
        for authorization, status in ((f"Bearer {TOKEN}", 200), (f"Bearer {TOKEN}", 200), (None, 401)):
            response = calls.answer(authorization, large)
            assert response.status_code == status and not gc.isenabled()
            asyncio.run(response.background())
            assert gc.isenabled()
        unsent = calls.answer(f"Bearer {TOKEN}", large)
        assert json.loads(unsent.body)["result"] == [["RED"]] * rows and not gc.isenabled()
        del unsent
        assert gc.isenabled()
        small = calls.answer(f"Bearer {TOKEN}", json.dumps(routes.officejs_body("rag", [[[90]], 100, "High"])).encode())
        assert small.status_code == 200 and small.background is None and gc.isenabled()
    finally:
        gc.enable()

"""The Server route's compact forms: Scorecard's glue sends a one-column range as {"column": [cells]} and asks for a
large answer as {"columns": [...]}; the server answers exactly what the plain body xlwings' runtime shape gives, and
refuses a malformed one with 400."""

from __future__ import annotations

import json

from addin_helpers import client, run_glue, server_app, server_client, server_module  # noqa: F401 (fixtures)
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import routes
from addin.server.calls import check_call, glue_answer, glue_args, glue_body

CALL = "/xlwings/custom-functions-call"
NA = routes.excel_error_object("#N/A")
DIV0 = routes.excel_error_object("#DIV/0!")
FORMATTED = {"type": "FormattedNumber", "basicValue": 95, "numberFormat": "0.0"}


def body(func_name: str, args: list) -> dict:
    """Office.js' body for a call, with these arguments as they are (not reshaped by routes.officejs_value)."""
    return routes.officejs_body(func_name, []) | {"args": args}


def post(client, func_name: str, args: list):
    """POST a call with these arguments exactly as given; (status, text of the answer)."""
    response = client.post(CALL, json=body(func_name, args))
    return response.status_code, response.text


# Cells as Excel's runtime hands them to the glue: numbers (whole ones as ints), text, blanks, error objects.
_CELLS = st.one_of(st.none(), st.just(""), st.integers(-10**6, 10**6), st.floats(-1e6, 1e6), st.booleans(),
                   st.sampled_from(["High", "Low", "Bigger is Better", "[c]", "12%", "abc", " "]),
                   st.sampled_from([NA, DIV0, FORMATTED]))
_COLUMNS = st.lists(_CELLS, min_size=2, max_size=8)
_CALLS = st.sampled_from([
    ("rag", lambda a, b, c: [a, b, c, None, None]),
    ("rag_reason", lambda a, b, c: [a, b, c, None, None]),
    ("direction", lambda a, b, c: [a, b, c, None, None]),
    ("rate_per", lambda a, b, c: [a, b, None]),
    ("rate_ci", lambda a, b, c: [a, b, None, None, None]),
    ("quartile_band", lambda a, b, c: [a, b, c]),
    ("risk_score", lambda a, b, c: [a, b]),
])


@settings(max_examples=120, deadline=None)
@given(_CALLS, st.integers(2, 8).flatmap(lambda n: st.tuples(*[st.lists(_CELLS, min_size=n, max_size=n)] * 3)))
def test_compact_and_plain_bodies_give_identical_answers(server_client, call, columns):  # noqa: F811
    """For random one-column ranges (numbers, whole numbers as ints, text, blanks, error and data-type objects),
    the body the glue sends ({"column": [...]}) and xlwings' plain body ([[cell], ...]) get the same status
    and the same answer, function by function."""
    name, arguments = call
    args = arguments(*[[[cell] for cell in column] for column in columns])
    compact = glue_args(args)
    assert any(isinstance(arg, dict) for arg in compact)
    assert post(server_client, name, compact) == post(server_client, name, args)


def test_glue_args_compacts_only_one_column_ranges():
    """glue_args (the glue's rule in Python) makes {"column": [...]} of two or more one-cell rows only: a single
    cell, a 2-D range, a row, a value, null and error objects in a column are as the runtime gave them."""
    args = [[[1], [NA], [None]], [[1]], [[1, 2], [3, 4]], [[1, 2]], 5, None, [[[1]], [[2]]]]
    assert glue_args(args) == [{"column": [1, NA, None]}, *args[1:]]


def test_check_call_hands_a_compact_column_on_as_a_typed_column(server_module):  # noqa: F811
    """A compact column of plain cells becomes a udfs.cells.Column knowing its cells and their types (no rows made);
    one holding Excel value objects, or for an argument xlwings' own converter reads, becomes plain rows."""
    from udfs.cells import Column

    call = body("rag", [{"column": [90, "", None]}, {"column": [NA, 80, 1]}, "High", None, None])
    args = check_call(call, routes.udf_functions(server_module))["args"]
    assert isinstance(args[0], Column) and args[0].shape == (3, 1)
    assert args[0].cells == [90, "", None] and args[0].cell_types == {int, str, type(None)}
    assert args[0].rows() == [[90], [""], [None]]
    assert type(args[1]) is list and args[1] == [[NA], [80], [1]]
    # RATE_CI's bound is read by xlwings' own converter, not ExcelRange, so its column is made into rows
    ci = body("rate_ci", [{"column": [5, 6]}, {"column": [100, 100]}, None, None, {"column": ["lower", "upper"]}])
    args = check_call(ci, routes.udf_functions(server_module))["args"]
    assert isinstance(args[0], Column) and type(args[4]) is list and args[4] == [["lower"], ["upper"]]


def answered(client, sent: dict):
    """POST a body; (status, the answer as Excel gets it: rows, after the glue's glue_answer, or the error text)."""
    response = client.post(CALL, json=sent)
    if response.status_code != 200:
        return response.status_code, response.text
    return 200, glue_answer(response.json()["result"])


@settings(max_examples=60, deadline=None)
@given(_CALLS, st.integers(33, 70).flatmap(lambda n: st.tuples(*[st.lists(_CELLS, min_size=n, max_size=n)] * 3)))
def test_answers_as_columns_are_the_plain_answers(server_client, call, columns):  # noqa: F811
    """Calls large enough for the vectorised answer (more than 32 cells): the glue's body (compact columns, answers
    asked for as columns) gets, once the glue has made rows of it, exactly the status and rows the plain body gets;
    the answer does come as columns unless xlwings had to clean it."""
    name, arguments = call
    args = arguments(*[[[cell] for cell in column] for column in columns])
    plain = body(name, args)
    assert answered(server_client, glue_body(plain)) == answered(server_client, plain)


def test_a_large_answer_comes_as_columns_and_a_small_or_unclean_one_as_rows(server_client):  # noqa: F811
    """With answer_columns, a 40-row RAG answer (96 against 100: AMBER) is {"columns": [[...]]}; a one-cell answer
    is rows; so is a 40-row answer holding infinity (a rate of 1e308 per 1e-5), which xlwings' own writer must
    clean; without answer_columns every answer is rows."""
    rag = body("rag", [[[96]] * 40, [[100]] * 40, [["High"]] * 40, None, None])
    result = server_client.post(CALL, json=rag | {"answer_columns": True}).json()["result"]
    assert result == {"columns": [["AMBER"] * 40]}
    assert server_client.post(CALL, json=rag).json()["result"] == [["AMBER"]] * 40
    one = body("rag", [[[96]], [[100]], [["High"]], None, None]) | {"answer_columns": True}
    assert server_client.post(CALL, json=one).json()["result"] == [["AMBER"]]
    infinite = body("rate_per", [[[1e308]] * 40, [[1e-5]] * 40, None])
    rows = server_client.post(CALL, json=infinite | {"answer_columns": True}).json()["result"]
    assert isinstance(rows, list) and len(rows) == 40
    assert rows == server_client.post(CALL, json=infinite).json()["result"]


def test_answer_columns_must_be_true_or_false(server_client):  # noqa: F811
    """answer_columns other than true/false gets 400 naming the field."""
    sent = body("rag", [[[90]], [[100]], [["High"]], None, None]) | {"answer_columns": "yes"}
    response = server_client.post(CALL, json=sent)
    assert response.status_code == 400
    assert response.text == "'answer_columns' must be true or false, not text"


def refused(client, args, *words):
    """POST RAG with these arguments; assert 400 with a one-line message holding every word."""
    status, text = post(client, "rag", args)
    assert status == 400, (status, text)
    assert "\n" not in text
    for word in words:
        assert word in text, (word, text)


def test_malformed_compact_columns_are_refused(server_client):  # noqa: F811
    """A compact column that is not {"column": [cells]} with at least one cell gets 400 naming the argument and
    what is wrong; cells inside are checked as in a plain range; an object without "column" is refused as before."""
    rest = [[[100]], "High", None, None]
    refused(server_client, [{"column": 5}, *rest], "argument 1 of rag (actual)", "must be a non-empty list",
            "not a number")
    refused(server_client, [{"column": []}, *rest], "argument 1 of rag (actual)", "not an empty list")
    refused(server_client, [{"column": [1, 2], "rows": 2}, *rest], "argument 1 of rag (actual)",
            "keys ['column', 'rows']")
    refused(server_client, [{"column": [1, [2]]}, *rest], "argument 1 of rag (actual)", "a cell that is a list")
    refused(server_client, [{"column": [1, {"value": 2}]}, *rest], "a cell that is an object")
    refused(server_client, [{"type": "Double", "basicValue": 90}, *rest],
            "must be a range (a list of rows) or a single value, not an object")


def test_the_real_glue_sends_what_glue_body_gives_and_gives_excel_the_plain_answer(server_module, tmp_path):  # noqa: F811
    """The glue JavaScript the server serves, run in Node with Office.js stubbed: a one-column range (with blanks,
    error objects and a data-type object) goes as {"column": [...]}, a single cell, a 2-D range and a row as
    Excel gave them, and answers are asked for as columns; every body is what glue_body (the benchmark's and the
    tests' bodies) gives. Fed the server's real responses to those bodies (a 40-row one comes as columns), the
    glue hands Excel exactly the rows the server gives the plain body."""
    app = server_app(server_module)
    calls = [
        [[[90], [None], [NA], [FORMATTED], [""]], [[100]], [["High"]], None, None],
        [[[90]], [[100]], [["High"]], None, None],
        [[[90, 95], [80, DIV0]], [[100, 100], [100, 100]], [["High", "Low"], ["High", "High"]], None, None],
        [[[90, 95]], [[100], [90]], [["High"]], None, None],
        [[[value] for value in range(60, 100)], [[100]], [["High"], ["Low"]] * 20, None, None],
    ]
    code = client(app).get("/xlwings/custom-functions-code").text
    sent = [one["body"] for one in run_glue(code, calls, ['{"result": [["RED"]]}'] * len(calls), tmp_path)["sent"]]
    assert [(one["args"], one["answer_columns"]) for one in sent] == [
        (glue_body(body("rag", args))["args"], True) for args in calls]
    assert sent[0]["args"][0] == {"column": [90, None, NA, FORMATTED, ""]}
    assert sent[1]["args"][:3] == calls[1][:3] and sent[2]["args"][:3] == calls[2][:3]
    assert sent[3]["args"][1] == {"column": [100, 90]}
    server = client(app)
    responses = [server.post(CALL, json=one).text for one in sent]
    assert json.loads(responses[-1])["result"].keys() == {"columns"}
    results = run_glue(code, calls, responses, tmp_path)["results"]
    assert results == [server.post(CALL, json=body("rag", args)).json()["result"] for args in calls]


def test_the_real_glue_makes_the_rows_of_a_two_column_answer(server_module, tmp_path):  # noqa: F811
    """The glue JavaScript, run in Node, fed the server's real answer to RATE_CI over 40 rows with both limits (two
    columns, sent as {"columns": [lower, upper]}), hands Excel exactly the rows [lower, upper] the plain body gets,
    each row its own pair (a one-column answer could not tell a row from a column)."""
    app = server_app(server_module)
    server = client(app)
    code = server.get("/xlwings/custom-functions-code").text
    calls = [[[[events] for events in range(40)], [[1000 + 10 * row] for row in range(40)], None, None, "both"]]
    sent = [one["body"] for one in run_glue(code, calls, ['{"result": [[0, 0]]}'], tmp_path, "RATE_CI")["sent"]]
    response = server.post(CALL, json=sent[0]).text
    assert len(json.loads(response)["result"]["columns"]) == 2
    results = run_glue(code, calls, [response], tmp_path, "RATE_CI")["results"]
    plain = server.post(CALL, json=body("rate_ci", calls[0])).json()["result"]
    assert len(plain) == 40 and all(len(row) == 2 and row[0] < row[1] for row in plain[1:])
    assert results == [plain]

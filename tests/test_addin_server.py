"""The xlwings Server route: the app's endpoints, called in-process as Excel's Office.js runtime calls them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from addin_helpers import server_client, server_module  # noqa: F401 (fixtures)

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
    """GET /xlwings/custom-functions-code is JavaScript that associates each function's Excel id."""
    response = server_client.get("/xlwings/custom-functions-code")
    assert response.status_code == 200
    for name in routes.udf_functions(server_module):
        assert f'CustomFunctions.associate("{name.upper()}", {name});' in response.text
    assert "/xlwings/custom-functions-call" in response.text


def test_call_endpoint_answers_office_js_requests(server_client):  # noqa: F811
    """POST /xlwings/custom-functions-call with Office.js' body: ranges as 2-D lists, whole numbers as
    ints, empty cells as null, omitted optional arguments as null, text, and a bad value."""
    body = routes.officejs_body("rag", [[[90], [100], [None], ["abc"]], 100, "Bigger is Better", None, None])
    response = server_client.post("/xlwings/custom-functions-call", json=body)
    assert response.status_code == 200
    assert response.json() == {"result": [["RED"], ["GREEN"], ["NO STATUS"], ["#ERR 'abc' is not a number"]]}
    body = routes.officejs_body("risk_score", [[[1, 2], [3, 4]], 5])
    assert server_client.post("/xlwings/custom-functions-call", json=body).json() == {"result": [[5, 10], [15, 20]]}


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

"""Scorecard's custom functions over xlwings Server (Office.js add-in: Excel on Windows, Mac and the web).

The standard xlwings endpoints, serving the one UDF module `udfs.functions`:

- GET  /xlwings/custom-functions-meta  the functions' metadata (names, descriptions, parameters)
- GET  /xlwings/custom-functions-code  the JavaScript glue Excel loads (one stub per function)
- POST /xlwings/custom-functions-call  one call: {"func_name": "rag", "args": [[[90]], ...], ...}; a body
                                       that is not such a call gets 400 with a one-sentence reason
- GET  /taskpane.html, /icons/...      the add-in's page (the manifest points here)

Run:  XLWINGS_LICENSE_KEY=noncommercial uvicorn addin.server.app:app --host 0.0.0.0 --port 8000
(behind HTTPS; the licence key must be one your use is entitled to: see addin/README.md).
Needs fastapi (and uvicorn to serve); the xlwings server functions are xlwings PRO code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import xlwings
from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from addin.routes import load_udfs, server_decorators, udf_functions

# xlwings 0.37.8 tries `from pyodide.ffi import JsNull` for every cell of every argument (at call
# time); outside Pyodide each failed import walks the whole import machinery, about 80% of a large
# call's time. None in sys.modules makes that import fail at once. The server never runs in Pyodide.
if sys.platform != "emscripten":
    sys.modules.setdefault("pyodide", None)

STATIC = Path(__file__).parent / "static"
CALL_PATH = "/xlwings/custom-functions-call"
# What a cell holds in Office.js' JSON: a number, text, true/false, or null (empty).
CELL_TYPES = (bool, int, float, str, type(None))
# Fields xlwings reads from the body besides func_name and args: each may be text or null. The glue
# always sends them; absent, they default to what xlwings needs (the glue's own defaults).
OPTIONAL_TEXT_FIELDS = ("caller_address", "culture_info_name", "date_format")


class BadCall(ValueError):
    """A request body that is not a well-formed custom-function call (answered with HTTP 400)."""


class UnknownFunction(LookupError):
    """A call naming no Scorecard function (answered with HTTP 404)."""


def _kind(value: Any) -> str:
    """A JSON value's kind, for messages."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "null" if value is None else type(value).__name__


def _count(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


def _is_version_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    try:
        return float(value) == float(value)  # not NaN
    except ValueError:
        return False


def check_call(data: Any, functions: dict[str, Any]) -> dict[str, Any]:
    """The body of a custom-function call, checked before xlwings sees it, with the fields xlwings
    reads filled in where absent. Raises BadCall with a one-sentence reason, or UnknownFunction(name)
    for a function that is not one of `functions` (Python name -> function)."""
    if not isinstance(data, dict):
        raise BadCall(f"the request body must be a JSON object, not {_kind(data)}")
    if "func_name" not in data:
        raise BadCall("the request body has no 'func_name' (the function to call)")
    name = data["func_name"]
    if not isinstance(name, str):
        raise BadCall(f"'func_name' must be text naming a function, not {_kind(name)}")
    if name not in functions:
        raise UnknownFunction(name)
    if "args" not in data:
        raise BadCall(f"the request body has no 'args' (the arguments of {name})")
    args = data["args"]
    if not isinstance(args, list):
        raise BadCall(f"'args' must be a list of {name}'s arguments, not {_kind(args)}")
    args_info = functions[name].__xlfunc__["args"]
    required = sum(1 for info in args_info if "optional" not in info and not info.get("vararg"))
    most = None if any(info.get("vararg") for info in args_info) else len(args_info)
    if len(args) < required or (most is not None and len(args) > most):
        takes = (_count(required) if required == most else f"{required} to {_count(most)}" if most is not None
                 else f"at least {_count(required)}")
        raise BadCall(f"{name} takes {takes}; {len(args)} given")
    for index, arg in enumerate(args):
        info = args_info[min(index, len(args_info) - 1)]
        where = f"argument {index + 1} of {name} ({info['name']})"
        if isinstance(arg, CELL_TYPES):
            continue
        if not isinstance(arg, list):
            raise BadCall(f"{where} must be a range (a list of rows) or a single value, not {_kind(arg)}")
        for row in arg:
            if not isinstance(row, list):
                raise BadCall(f"{where} must be a range as a list of rows, but a row is {_kind(row)}")
            for cell in row:
                if not isinstance(cell, CELL_TYPES):
                    raise BadCall(f"{where} has a cell that is {_kind(cell)}, not a number, text, true/false or null")
    checked = dict(data)
    for field in OPTIONAL_TEXT_FIELDS:
        if not isinstance(checked.get(field), str | None):
            raise BadCall(f"'{field}' must be text or null, not {_kind(checked[field])}")
    checked.setdefault("client", "Office.js")  # the custom-functions runtime is the only client
    if not isinstance(checked["client"], str):
        raise BadCall(f"'client' must be text, not {_kind(checked['client'])}")
    if "version" not in checked:
        if checked["client"] != "Office.js":  # xlwings checks other clients' versions against its own
            raise BadCall(f"the request body has no 'version' (the xlwings version of the {checked['client']} client)")
        checked["version"] = xlwings.__version__  # xlwings does not compare Office.js' version
    if not isinstance(checked["version"], str):
        raise BadCall(f"'version' must be text (an xlwings version), not {_kind(checked['version'])}")
    checked.setdefault("runtime", "1.1")  # the glue's default: the oldest CustomFunctionsRuntime
    runtime = checked["runtime"]
    if not _is_version_number(runtime):  # xlwings compares float(runtime) with 1.4
        raise BadCall(f"'runtime' must be a CustomFunctionsRuntime version such as \"1.4\", not {runtime!r}")
    return checked


def functions_code(module, call_path: str = CALL_PATH) -> str:
    """xlwings' own glue when its template ships in the installed wheel, else ours (same protocol)."""
    server = server_decorators()
    try:
        return server.custom_functions_code(module, custom_functions_call_path=call_path)
    except FileNotFoundError:  # xlwings 0.37.8 wheels on Linux lack pro/custom_functions_code.js
        pass
    code = (STATIC / "custom-functions-base.js").read_text(encoding="utf-8")
    code = code.replace("__XLWINGS_VERSION__", xlwings.__version__).replace("__CALL_PATH__", call_path)
    for name in udf_functions(module):
        code += (
            f"\nasync function {name}() {{\n"
            f'  return await base.apply(null, ["{name}", ...arguments]);\n'
            f"}}\n"
            f'CustomFunctions.associate("{name.upper()}", {name});\n'
        )
    return code


def create_app(module=None) -> FastAPI:
    """The app; `module` defaults to udfs.functions with xlwings Server's decorators."""
    server = server_decorators()
    module = module or load_udfs("server")
    functions = udf_functions(module)
    app = FastAPI(title="Scorecard functions (xlwings Server)")

    @app.get("/xlwings/custom-functions-meta")
    async def custom_functions_meta():
        return server.custom_functions_meta(module)

    @app.get("/xlwings/custom-functions-code")
    async def custom_functions_code():
        return PlainTextResponse(functions_code(module), media_type="text/javascript")

    @app.post(CALL_PATH)
    async def custom_functions_call(request: Request):
        # A malformed body gets 400 with the reason (Excel shows it with #VALUE!), never xlwings' KeyError.
        try:
            data = check_call(await request.json(), functions)
        except ValueError as error:  # BadCall, or a body that is not JSON (JSONDecodeError, UnicodeDecodeError)
            message = str(error) if isinstance(error, BadCall) else "the request body is not valid JSON"
            return PlainTextResponse(message, status_code=status.HTTP_400_BAD_REQUEST)
        except UnknownFunction as error:
            return PlainTextResponse(f"no function {error.args[0]!r}", status_code=status.HTTP_404_NOT_FOUND)
        return {"result": await server.custom_functions_call(data, module)}

    @app.exception_handler(Exception)
    async def show_error(request: Request, exception: Exception):
        # Excel shows the text with #VALUE! (hover the cell's error flag).
        return PlainTextResponse(str(exception), status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)

    app.mount("/", StaticFiles(directory=STATIC, html=True), name="static")
    # Excel on the web calls from the Office origin: allow cross-origin calls.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])
    return app


app = create_app()

"""Scorecard's custom functions over xlwings Server (Office.js add-in: Excel on Windows, Mac and the web).

The standard xlwings endpoints, serving the one UDF module `udfs.functions`:

- GET  /xlwings/custom-functions-meta  the functions' metadata (names, descriptions, parameters)
- GET  /xlwings/custom-functions-code  the JavaScript glue Excel loads (one stub per function)
- POST /xlwings/custom-functions-call  one call: {"func_name": "RAG", "args": [[[90]], ...], ...}
- GET  /taskpane.html, /icons/...      the add-in's page (the manifest points here)

Run:  XLWINGS_LICENSE_KEY=noncommercial uvicorn addin.server.app:app --host 0.0.0.0 --port 8000
(behind HTTPS; the licence key must be one your use is entitled to: see addin/README.md).
Needs fastapi (and uvicorn to serve); the xlwings server functions are xlwings PRO code.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Body, FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from addin.routes import load_udfs, server_decorators, udf_functions

STATIC = Path(__file__).parent / "static"
CALL_PATH = "/xlwings/custom-functions-call"


def functions_code(module, call_path: str = CALL_PATH) -> str:
    """xlwings' own glue when its template ships in the installed wheel, else ours (same protocol)."""
    server = server_decorators()
    try:
        return server.custom_functions_code(module, custom_functions_call_path=call_path)
    except FileNotFoundError:  # xlwings 0.37.8 wheels on Linux lack pro/custom_functions_code.js
        pass
    import xlwings

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
    names = set(udf_functions(module))
    app = FastAPI(title="Scorecard functions (xlwings Server)")

    @app.get("/xlwings/custom-functions-meta")
    async def custom_functions_meta():
        return server.custom_functions_meta(module)

    @app.get("/xlwings/custom-functions-code")
    async def custom_functions_code():
        return PlainTextResponse(functions_code(module), media_type="text/javascript")

    @app.post(CALL_PATH)
    async def custom_functions_call(data: dict = Body(...)):  # noqa: B008 (FastAPI's idiom)
        if data.get("func_name") not in names:
            return PlainTextResponse(f"no function {data.get('func_name')!r}", status_code=status.HTTP_404_NOT_FOUND)
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

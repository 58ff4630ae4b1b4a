"""Scorecard's custom functions over xlwings Server (Office.js add-in: Excel on Windows, Mac and the web).

The standard xlwings endpoints, serving the one UDF module `udfs.functions`:

- GET  xlwings/custom-functions-meta  the functions' metadata (names, descriptions, parameters)
- GET  xlwings/custom-functions-code  the JavaScript glue Excel loads (one stub per function)
- POST xlwings/custom-functions-call  one call: {"func_name": "rag", "args": [[[90]], ...], ...} (our glue
                                      sends a one-column range as {"column": [cells]} and may ask for
                                      a large answer as {"columns": [...]}: addin/README.md);
                                      needs an Authorization header (401 without); a body that is not
                                      such a call gets 400 with a one-sentence reason; over the size
                                      limit, 413
- GET  taskpane.html, icons/...       the add-in's page (the manifest points here)

Every URL the pages and the glue use is relative, so the app works at the root of a host or under
a sub-path behind a reverse proxy. Settings come from SCORECARD_* environment variables
(addin/server/settings.py); with none, the app refuses to start. Run:

    SCORECARD_AUTH=entraid ... XLWINGS_LICENSE_KEY=noncommercial \\
        uvicorn --factory addin.server.app:create_app --host 127.0.0.1 --port 8000 --workers 4

behind an HTTPS reverse proxy (addin/README.md). The licence key must be one your use is entitled to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import xlwings
from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from addin.routes import load_udfs, server_decorators, udf_functions
from addin.server.auth import Authenticator, Unauthorised
from addin.server.calls import ANSWER_COLUMNS, COLUMNS, BadCall, UnknownFunction, check_call
from addin.server.limits import BodySizeLimit
from addin.server.settings import Settings, from_environment
from udfs.cells import AnswerColumns
from udfs.columns import answers_as_columns, gc_paused

try:  # 3-4 times faster than the standard library on a 100,000-cell body (optional: `pip install orjson`)
    import orjson
except ImportError:  # pragma: no cover - exercised where orjson is not installed
    orjson = None

# xlwings 0.37.8 tries `from pyodide.ffi import JsNull` for every cell it cleans (udfs.convert skips that
# stage for plain ranges; ranges holding Excel error objects still go through it). Outside Pyodide each
# failed import walks the whole import machinery; None in sys.modules makes it fail at once.
if sys.platform != "emscripten":
    sys.modules.setdefault("pyodide", None)

STATIC = Path(__file__).parent / "static"
CALL_PATH = "/xlwings/custom-functions-call"
# From this body size (about 8,000 cells) a call's objects are freed after its answer is sent (Calls.answer).
DEFER_RELEASE_BYTES = 256 * 1024


def loads(body: bytes) -> Any:
    return orjson.loads(body) if orjson is not None else json.loads(body)


def dumps(value: Any) -> bytes:
    if orjson is not None:
        return orjson.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def functions_code(module, auth: str) -> str:
    """The custom-functions glue: our own (xlwings' template is not in the 0.37.8 wheel, and it posts to a
    root-absolute URL, which breaks under a sub-path), one stub per function, xlwings' request body with one-column
    ranges sent compactly (addin.server.calls.glue_args)."""
    code = (STATIC / "custom-functions-base.js").read_text(encoding="utf-8")
    code = code.replace("__XLWINGS_VERSION__", xlwings.__version__).replace("__AUTH_MODE__", auth)
    for name in udf_functions(module):
        code += (
            f"\nasync function {name}() {{\n"
            f'  return await base.apply(null, ["{name}", ...arguments]);\n'
            f"}}\n"
            f'CustomFunctions.associate("{name.upper()}", {name});\n'
        )
    return code


def run_to_end(make_coroutine):
    """The result of an async function that never waits (xlwings' call of a plain, synchronous function):
    run without setting up an event loop, which would cost more than a one-cell call. Should it wait after
    all, it is run again from the start in an event loop of its own (the functions have no side effects)."""
    coroutine = make_coroutine()
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    return asyncio.run(make_coroutine())


class Calls:
    """Answers custom-function calls. Runs in a worker thread, so that a large call (parsing 100,000 cells)
    never holds up the event loop that small calls arrive on."""

    def __init__(self, module, settings: Settings) -> None:
        self.server = server_decorators()
        self.module = module
        self.functions = udf_functions(module)
        self.authenticator = Authenticator(settings)

    def answer(self, authorization: str | None, body: bytes) -> Response:
        # Parsing a 100,000-cell body makes 100,000 row lists; with the cyclic collector running, that sets
        # off a collection every 700 of them, which took longer than the parsing itself (see gc_paused).
        leftovers = _Leftovers()
        try:
            response = self._answer(authorization, body, leftovers.objects)
        except BaseException:
            leftovers.release()
            raise
        if len(body) < DEFER_RELEASE_BYTES:
            leftovers.release()
        else:
            # A large call's parsed body and answer are let go once the answer has been sent: freeing the lists of
            # 100,000 rows took 15-20 ms that Excel need not wait for. Starlette runs the task in a worker thread
            # after sending; should it never run (the connection failed), they go with the response.
            response.background = BackgroundTask(leftovers.release)
        return response

    def _answer(self, authorization: str | None, body: bytes, keep: list) -> Response:
        try:
            self.authenticator.user(authorization)
        except Unauthorised as error:
            return PlainTextResponse(str(error), status_code=status.HTTP_401_UNAUTHORIZED,
                                     headers={"WWW-Authenticate": "Bearer"})
        # A malformed body gets 400 with the reason (Excel shows it with #VALUE!), never xlwings' KeyError.
        try:
            data = check_call(loads(body), self.functions)
        except (BadCall, ValueError) as error:  # ValueError: not JSON (JSONDecodeError, orjson's, UnicodeDecodeError)
            message = str(error) if isinstance(error, BadCall) else "the request body is not valid JSON"
            return PlainTextResponse(message, status_code=status.HTTP_400_BAD_REQUEST)
        except UnknownFunction as error:
            return PlainTextResponse(f"no function {error.args[0]!r}", status_code=status.HTTP_404_NOT_FOUND)
        keep.append(data)
        with answers_as_columns() if data.get(ANSWER_COLUMNS) else contextlib.nullcontext():
            result = run_to_end(lambda: self.server.custom_functions_call(data, self.module))
        keep.append(result)
        if isinstance(result, AnswerColumns):
            result = {COLUMNS: result.columns}
        return Response(dumps({"result": result}), media_type="application/json")


class _Leftovers:
    """A call's large objects, held with the cyclic collector paused (gc_paused) until `release`, which lets go of
    them and ends the pause; releasing twice does nothing. Dropped unreleased, the pause ends too (the paused
    generator is closed as it is freed)."""

    def __init__(self) -> None:
        self.objects: list = []
        self._pause = contextlib.ExitStack()
        self._pause.enter_context(gc_paused())

    def release(self) -> None:
        self.objects.clear()
        self._pause.close()


def create_app(module=None, settings: Settings | None = None) -> FastAPI:
    """The app; `module` defaults to udfs.functions with xlwings Server's decorators, `settings` to the
    SCORECARD_* environment variables (ScorecardError when they are missing or wrong)."""
    settings = settings or from_environment()
    module = module or load_udfs("server")
    calls = Calls(module, settings)
    docs = settings.api_docs
    app = FastAPI(title="Scorecard functions (xlwings Server)", docs_url="/docs" if docs else None,
                  redoc_url=None, openapi_url="/openapi.json" if docs else None)

    @app.get("/xlwings/custom-functions-meta")
    async def custom_functions_meta():
        return calls.server.custom_functions_meta(module)

    @app.get("/xlwings/custom-functions-code")
    async def custom_functions_code():
        return PlainTextResponse(functions_code(module, settings.auth), media_type="text/javascript")

    @app.post(CALL_PATH)
    async def custom_functions_call(request: Request):
        body = await request.body()
        return await run_in_threadpool(calls.answer, request.headers.get("authorization"), body)

    @app.exception_handler(Exception)
    async def show_error(request: Request, exception: Exception):
        # Excel shows the text with #VALUE! (hover the cell's error flag).
        return PlainTextResponse(str(exception), status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)

    app.mount("/", StaticFiles(directory=STATIC, html=True), name="static")
    if settings.allowed_origins:
        # The add-in's own pages call from the server's origin (no CORS needed); a page hosted elsewhere
        # must be named in SCORECARD_ALLOWED_ORIGINS / SCORECARD_PUBLIC_URL.
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.allowed_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type", "sid"])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app

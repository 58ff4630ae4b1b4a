"""The one UDF module, dressed with each route's xlwings decorators, and the call shapes of the routes.

`xlwings/__init__.py` chooses its decorators once, at import: classic ones on Windows with pywin32,
`xlwings.server` ones when XLWINGS_ON_SERVER=true, otherwise decorators that record nothing. A
process that must serve or check more than one route (the tests, `scorecard addin vba` on Linux)
loads a private copy of `udfs.functions` with the decorators of the route it wants, so the copy
carries exactly the metadata that route's xlwings would see. The code is the same file either way.

Relies on xlwings internals of the pinned version (0.37.8): `xlwings.udfs` (classic decorators,
imported here with the Windows-only modules stubbed), `xlwings.server` (PRO, needs a licence key in
XLWINGS_LICENSE_KEY) and `xlwings.conversion`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import math
import os
import sys
import threading
import types
from pathlib import Path
from typing import Any

import xlwings

from addin import UDF_MODULE
from scorecard.errors import ScorecardError

ROUTES = ("classic", "server")
_WINDOWS_ONLY = ("pythoncom", "pywintypes", "win32com", "win32com.client")
_lock = threading.Lock()
_cache: dict[tuple[str, str], types.ModuleType] = {}

# What VBA passes for an omitted Optional argument (DISP_E_PARAMNOTFOUND), as xlwings.udfs checks it.
VBA_MISSING = -2147352572


def udf_source(module_name: str = UDF_MODULE) -> Path:
    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        raise ScorecardError(f"cannot find the UDF module {module_name!r}")
    return Path(spec.origin)


def classic_decorators() -> types.ModuleType:
    """`xlwings.udfs` (the classic add-in's decorators and VBA writer), importable off Windows.

    Its Windows-only imports are stubbed only while it is imported, then taken out of sys.modules.
    """
    if "xlwings.udfs" in sys.modules:
        return sys.modules["xlwings.udfs"]
    added = []
    for name in _WINDOWS_ONLY:
        if name not in sys.modules:
            stub = types.ModuleType(name)
            stub.__getattr__ = lambda attr: (lambda *a, **k: None)  # type: ignore[method-assign]
            sys.modules[name] = stub
            added.append(name)
    if "win32com.client" in added:
        sys.modules["win32com"].client = sys.modules["win32com.client"]  # type: ignore[attr-defined]
    try:
        return importlib.import_module("xlwings.udfs")
    finally:
        for name in added:
            sys.modules.pop(name, None)


def server_decorators() -> types.ModuleType:
    """`xlwings.server` (PRO licence): needs XLWINGS_LICENSE_KEY, e.g. 'noncommercial' where that applies."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise ScorecardError(
            "xlwings Server needs a licence key in XLWINGS_LICENSE_KEY: 'noncommercial' for use under "
            "the PolyForm Noncommercial License 1.0.0, or a paid xlwings PRO key (see addin/README.md)"
        )
    server = importlib.import_module("xlwings.server")
    # xlwings registers its Office.js conversion engine at import only if the key was set by then; a
    # process that imported xlwings earlier (tests, a combined tool) gets it registered here, the same way.
    if "officejs" not in [engine.name for engine in xlwings.engines]:
        from xlwings.pro import _xlofficejs

        xlwings.engines.add(xlwings.Engine(impl=_xlofficejs.engine))
    return server


def load_udfs(route: str, module_name: str = UDF_MODULE, path: Path | None = None) -> types.ModuleType:
    """A copy of the UDF module (or of the file at `path`) decorated as `route` ('classic' or 'server') sees it."""
    if route not in ROUTES:
        raise ScorecardError(f"route {route!r} must be one of {ROUTES}")
    source = Path(path) if path is not None else udf_source(module_name)
    key = (route, str(source.resolve()))
    with _lock:
        if key in _cache:
            return _cache[key]
        decorators = classic_decorators() if route == "classic" else server_decorators()
        names = {"func": decorators.xlfunc if route == "classic" else decorators.func,
                 "arg": decorators.xlarg if route == "classic" else decorators.arg,
                 "ret": decorators.xlret if route == "classic" else decorators.ret}
        saved = {name: getattr(xlwings, name) for name in names}
        private_name = f"_scorecard_{route}_{source.stem}"
        spec = importlib.util.spec_from_file_location(private_name, source)
        module = importlib.util.module_from_spec(spec)
        try:
            for name, decorator in names.items():
                setattr(xlwings, name, decorator)
            spec.loader.exec_module(module)
        finally:
            for name, decorator in saved.items():
                setattr(xlwings, name, decorator)
        _cache[key] = module
        return module


def udf_functions(module: types.ModuleType) -> dict[str, Any]:
    """The module's Excel functions by Python name (those carrying xlwings metadata), sorted."""
    return {name: obj for name, obj in sorted(vars(module).items()) if hasattr(obj, "__xlfunc__")}


# ---------------------------------------------------------------- call shapes

class ExcelError(str):
    """An error value in a cell (#N/A, #DIV/0! ...), for the call-shape helpers."""


# The COM codes pywin32 hands over for error cells (xlwings._xlwindows.cell_errors).
_COM_ERRORS = {"#DIV/0!": -2146826281, "#N/A": -2146826246, "#NAME?": -2146826259, "#NULL!": -2146826288,
               "#NUM!": -2146826252, "#REF!": -2146826265, "#VALUE!": -2146826273}


class _ClassicValues:
    """The value cleaning of xlwings._xlwindows.Engine (0.37.8), which cannot be imported off Windows:
    empty -> None, COM dates -> datetime, error codes -> None; on the way out None and NaN -> ''."""

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(value):
            if value in ("", None):
                return empty_as
            if isinstance(value, dt.date):
                return value
            if number_builder is not None and isinstance(value, float):
                return number_builder(value)
            if isinstance(value, int) and value in _COM_ERRORS.values():
                return {v: k for k, v in _COM_ERRORS.items()}[value] if err_to_str else None
            return value
        return [[clean(cell) for cell in row] for row in data]

    @staticmethod
    def prepare_xl_data_element(x, date_format):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return ""
        return x


_CLASSIC_ENGINE = types.SimpleNamespace(impl=_ClassicValues, name="excel", type="desktop")


def _convert(pipeline, value: Any, meta: dict | None = None) -> Any:
    from xlwings.conversion.framework import ConversionContext

    context = ConversionContext.__new__(ConversionContext)
    context.range, context.value, context.source_value = None, value, value
    context.meta, context.engine = dict(meta or {}), _CLASSIC_ENGINE
    pipeline(context)
    return context.value


def classic_value(value: Any) -> Any:
    """A cell or range as pywin32 hands it over from the VBA wrapper: numbers as floats, empty
    cells as None, dates as datetimes, error cells as COM error codes, ranges as row tuples."""
    if isinstance(value, list | tuple):
        rows = value if all(isinstance(row, list | tuple) for row in value) else [value]
        return tuple(tuple(classic_value(cell) for cell in row) for row in rows)
    if isinstance(value, ExcelError):
        return _COM_ERRORS.get(str(value), _COM_ERRORS["#VALUE!"])
    if isinstance(value, bool) or value is None or isinstance(value, str | dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float):
        return float(value)
    return value


def classic_call(module: types.ModuleType, func_name: str, args: list[Any]) -> Any:
    """Call a function the way xlwings.udfs.call_udf (0.37.8) does for the VBA wrapper, without Excel:
    omitted optional arguments arrive as VBA's 'missing' marker; arguments are read and the result
    written by xlwings' own conversion pipelines. An exception comes back as its text, as the wrapper
    puts `Err.Description` in the cell."""
    from xlwings.conversion import accessors

    func = getattr(module, func_name)
    args_info = func.__xlfunc__["args"]
    ret_options = func.__xlfunc__["ret"]["options"]
    values = list(args) + [VBA_MISSING] * (len(args_info) - len(args))
    converted = []
    for index, value in enumerate(values):
        info = args_info[min(index, len(args_info) - 1)]
        if isinstance(value, int) and not isinstance(value, bool) and value == VBA_MISSING:
            converted.append(info.get("optional", None))
            continue
        convert = info["options"].get("convert", None)
        converted.append(_convert(accessors.get(convert, convert).reader(info["options"]), classic_value(value)))
    try:
        result = func(*converted)
    except Exception as error:  # the VBA wrapper shows Err.Description in the cell
        return [[str(error)]]
    convert = ret_options.get("convert", None)
    writer = accessors.get(convert, convert).router(result, None, ret_options).writer(ret_options)
    return _convert(writer, result, {"write_property": "raw_value"})


def officejs_value(value: Any) -> Any:
    """A cell or range as Excel's Office.js runtime sends it: always a 2-D list (matrix parameters),
    whole numbers as ints, empty cells as None, dates as serial numbers, error cells as error objects."""
    if not isinstance(value, list | tuple):
        return [[_officejs_cell(value)]]
    rows = value if all(isinstance(row, list | tuple) for row in value) else [value]
    return [[_officejs_cell(cell) for cell in row] for row in rows]


# Excel's error value objects for custom functions (the JavaScript API's ErrorCellValue), by error text.
_ERROR_TYPES = {"#DIV/0!": "Div0", "#N/A": "NotAvailable", "#NAME?": "Name", "#NULL!": "Null", "#NUM!": "Num",
                "#REF!": "Ref", "#VALUE!": "Value"}


def excel_error_object(text: str) -> dict[str, str]:
    """An error cell as Excel hands it to a custom function whose metadata sets allowErrorForDataTypeAny
    (xlwings' does): {"type": "Error", "basicValue": "#N/A", ...}, read by xlwings/pro/_xlofficejs.py."""
    return {"type": "Error", "basicType": "Error", "basicValue": text, "errorType": _ERROR_TYPES.get(text, "Value")}


def _officejs_cell(value: Any) -> Any:
    if isinstance(value, ExcelError):
        return excel_error_object(str(value))
    if isinstance(value, dt.date | dt.datetime):
        return excel_serial(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def excel_serial(value: dt.date | dt.datetime) -> float | int:
    """Excel's 1900-system serial number of a date or date-time (from 1 March 1900 on)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    days = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    return int(days) if float(days).is_integer() else days


def officejs_body(func_name: str, args: list[Any], version: str | None = None) -> dict[str, Any]:
    """The JSON body the custom-functions runtime posts to /xlwings/custom-functions-call.

    Office.js sends every parameter the function declares: omitted optional ones arrive as null."""
    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": [officejs_value(value) for value in args],
        "caller_address": "[Book1.xlsx]Sheet1!B2",
        "culture_info_name": "en-GB",
        "date_format": "dd/mm/yyyy",
        "version": version or xlwings.__version__,
        "runtime": "1.4",
    }


def server_call(module: types.ModuleType, func_name: str, args: list[Any]) -> Any:
    """Run one call through xlwings.server.custom_functions_call, as the app's endpoint does."""
    server = server_decorators()
    declared = len(getattr(module, func_name).__xlfunc__["args"])
    body = officejs_body(func_name, list(args) + [None] * (declared - len(args)))
    return asyncio.run(server.custom_functions_call(body, module))


def grid(value: Any) -> list[list[Any]]:
    """Any route's answer as rows of cells, for comparison."""
    if isinstance(value, list | tuple):
        if value and all(isinstance(row, list | tuple) for row in value):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


def same_cell(left: Any, right: Any, rel: float = 1e-12) -> bool:
    """Equal, with numbers compared to a relative tolerance (ints and floats alike)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return math.isclose(left, right, rel_tol=rel, abs_tol=1e-12)
    return left == right

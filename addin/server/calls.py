"""A custom-function call's request body, checked before xlwings sees it (answered with 400 or 404 if wrong)."""

from __future__ import annotations

from itertools import chain
from typing import Any

import xlwings

from scorecard.values import SCALAR_CELLS
from udfs.cells import Column, Range
from udfs.convert import ExcelRange

# What a cell holds in Office.js' JSON: a number, text, true/false, null (empty), or an object: Excel's
# value objects for errors and data types, e.g. {"type": "Error", "basicValue": "#N/A", "errorType":
# "NotAvailable"} (xlwings/pro/_xlofficejs.py reads "type" and "basicValue").
CELL_TYPES = tuple(SCALAR_CELLS)  # for isinstance: the plain cells the functions' readers take as they are
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


def _excel_value_object(cell: Any) -> bool:
    """An Excel value object as xlwings reads it: a "type" text and a "basicValue" number, text or bool."""
    return (isinstance(cell, dict) and isinstance(cell.get("type"), str)
            and isinstance(cell.get("basicValue"), bool | int | float | str))


def _check_range(rows: list, where: str) -> list:
    """The range, checked; a well-formed one comes back as an udfs.cells.Range (its cells flattened and typed in
    this one pass), which the functions' reader (udfs.convert) and udfs.columns.Call take as it is."""
    # Checked by type sets (C loops), not cell by cell: a range may hold 100,000 cells.
    checked = Range.of_json(rows)
    if checked is None and not set(map(type, rows)) <= {list}:
        row = next(row for row in rows if not isinstance(row, list))
        raise BadCall(f"{where} must be a range as a list of rows, but a row is {_kind(row)}")
    types = set(map(type, chain.from_iterable(rows))) if checked is None else checked.cell_types
    if types <= SCALAR_CELLS:
        return rows if checked is None else checked  # None: rows of different lengths (the function says so)
    _check_cells(chain.from_iterable(rows), where)
    return rows  # holding Excel value objects: xlwings' own reading cleans them


# The Scorecard glue (static/custom-functions-base.js) sends a one-column range of two or more rows as
# {"column": [cells]} rather than [[cell], [cell], ...]: a 100,000-row column parses in a quarter of the time.
# Excel's own value objects always have a "type", so an object whose only key is "column" is never one of them.
COLUMN = "column"


def glue_args(args: list) -> list:
    """The arguments as the glue sends them (mirrors static/custom-functions-base.js, which tests run in node):
    a range of two or more one-cell rows whose cells are not lists becomes {"column": [cells]}."""
    return [{COLUMN: [row[0] for row in arg]} if _one_column(arg) else arg for arg in args]


# The glue also asks for a large answer as its columns: the body says "answer_columns": true, and an answer the
# functions build as columns (udfs.cells.AnswerColumns) comes back as {"columns": [[cells], ...]}, which the glue
# makes into Excel's rows; a small answer, or one xlwings had to clean, still comes as rows.
ANSWER_COLUMNS = "answer_columns"
COLUMNS = "columns"


def glue_body(body: dict) -> dict:
    """xlwings' plain body as the glue sends it: compact columns (glue_args), and answers asked for as columns."""
    return body | {"args": glue_args(body["args"]), ANSWER_COLUMNS: True}


def glue_answer(result: Any) -> Any:
    """The answer as the glue hands it to Excel (mirrors static/custom-functions-base.js): rows of cells."""
    if isinstance(result, dict) and set(result) == {COLUMNS}:
        return list(map(list, zip(*result[COLUMNS], strict=True)))
    return result


def _one_column(arg: Any) -> bool:
    return (isinstance(arg, list) and len(arg) > 1
            and all(isinstance(row, list) and len(row) == 1 and not isinstance(row[0], list) for row in arg))


def _check_column(arg: dict, where: str, info: dict) -> Column | list:
    """A compact column ({"column": [cells]}): for an argument read by udfs.convert.ExcelRange, a Column when
    its cells are plain (no rows made); otherwise the rows of cells xlwings' plain body would have given."""
    if set(arg) != {COLUMN}:
        raise BadCall(f"{where} must be a range (a list of rows), a single value or {{\"column\": [cells]}}, "
                      f"not an object with the keys {sorted(arg)}")
    cells = arg[COLUMN]
    if not isinstance(cells, list) or not cells:
        what = "an empty list" if isinstance(cells, list) else _kind(cells)
        raise BadCall(f"{where} is a column, so its 'column' must be a non-empty list of cells, not {what}")
    types = set(map(type, cells))
    if types <= SCALAR_CELLS:
        column = Column(cells, types)
        return column if info["options"].get("convert") is ExcelRange else column.rows()
    _check_cells(cells, where)
    return [[cell] for cell in cells]  # holding Excel value objects: xlwings' own reading cleans them


def _check_cells(cells, where: str) -> None:
    for cell in cells:
        if not isinstance(cell, CELL_TYPES) and not _excel_value_object(cell):
            raise BadCall(f"{where} has a cell that is {_kind(cell)}, not a number, text, true/false, "
                          "null or an Excel value object")


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
    checked_args = []
    for index, arg in enumerate(args):
        info = args_info[min(index, len(args_info) - 1)]
        where = f"argument {index + 1} of {name} ({info['name']})"
        if isinstance(arg, CELL_TYPES):
            checked_args.append(arg)
            continue
        if isinstance(arg, dict) and COLUMN in arg:
            checked_args.append(_check_column(arg, where, info))
            continue
        if not isinstance(arg, list):
            raise BadCall(f"{where} must be a range (a list of rows) or a single value, not {_kind(arg)}")
        checked_args.append(_check_range(arg, where))
    checked = dict(data, args=checked_args)
    for field in OPTIONAL_TEXT_FIELDS:
        if not isinstance(checked.get(field), str | None):
            raise BadCall(f"'{field}' must be text or null, not {_kind(checked[field])}")
    if not isinstance(checked.get(ANSWER_COLUMNS, False), bool):
        raise BadCall(f"'{ANSWER_COLUMNS}' must be true or false, not {_kind(checked[ANSWER_COLUMNS])}")
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

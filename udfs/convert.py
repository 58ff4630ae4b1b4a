"""How the functions' ranges cross xlwings' conversion layer, without a Python loop over every cell.

xlwings reads each argument through a pipeline whose "clean" stage visits every cell; on the Office.js
engine (xlwings Server and Lite) that stage also tries `from pyodide.ffi import JsNull` for every
cell, and the result goes back through a stage that calls `pandas.isna` on every cell. Over 100,000
cells these loops cost far more than the rules themselves.

`ExcelRange` is an xlwings converter (`@xw.arg("x", ExcelRange, ...)`, `@xw.ret(ExcelRange)`) that
skips those stages only where they would change nothing, and otherwise runs xlwings' own stages:

- reading on Office.js: when every cell is a plain JSON value (number, text, true/false, null) the
  clean stage's only effect is '' -> None, which is done here; a range holding anything else (an
  Excel error or data-type object, Pyodide's JsNull in xlwings Lite) goes through xlwings' stage.
  The cells looked at here are handed on with the range (an udfs.cells.Range), so the function does
  not look at them again. xlwings Server's app hands over a one-column range it has checked as a
  udfs.cells.Column (its cells, no rows), which is taken as it is ('' -> None);
- writing on Office.js: when every cell is text (not one of Excel's error words), a whole number,
  true/false or a finite float, xlwings' per-cell preparation returns each cell unchanged, so it is
  skipped; anything else (None, NaN, numpy numbers, dates, "#N/A") goes through xlwings' stage. An
  answer built by udfs.columns (an udfs.cells.Answers) says whether it is plain, so its cells are not
  looked at again; other answers are checked here. An udfs.cells.AnswerColumns (its columns, which
  xlwings Server's app asks for) goes on as it is when plain, and is made into rows otherwise;
- the classic add-in (COM, Windows) always uses xlwings' own pipelines: its cells need cleaning
  (COM dates and error codes).

tests/test_addin_server.py checks that both fast paths give exactly what xlwings' own stages give.
"""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

import numpy as np
from xlwings.conversion.framework import Accessor, Pipeline
from xlwings.conversion.standard import ValueAccessor

from scorecard.values import SCALAR_CELLS
from udfs.cells import EXCEL_ERROR_WORDS, AnswerColumns, Answers, Column, Range

OFFICE_JS = "officejs"
_PLAIN_IN = SCALAR_CELLS
_PLAIN_OUT = frozenset({int, float, str, bool})


def _rows(value: Any) -> list:
    """xlwings' Ensure2DStage: a scalar or a row as rows of cells."""
    if isinstance(value, list | tuple):
        if value and not isinstance(value[0], list | tuple):
            return [value]
        return value
    return [[value]]


def cell_types(rows: list) -> set[type]:
    return set(map(type, chain.from_iterable(rows)))


def plain_cells_out(rows: list) -> bool:
    """True when xlwings' Office.js write preparation would return every cell unchanged. Checked with C-level
    passes (type set, set intersection, numpy) where it can: among text, a NaN or an infinity makes the sum of
    the floats NaN or infinite (so does an overflowing sum of finite ones, which only costs the fast path)."""
    cells = list(chain.from_iterable(rows))
    types = set(map(type, cells))
    if not types <= _PLAIN_OUT:
        return False
    if str in types and not EXCEL_ERROR_WORDS.isdisjoint(cells):
        return False
    if float not in types:
        return True
    if str not in types:  # numbers only: one numpy conversion
        return bool(np.isfinite(np.array(cells, dtype=float)).all())
    return math.isfinite(sum(cell for cell in cells if type(cell) is float))


class _Read:
    def __init__(self, options):
        self.standard = ValueAccessor.reader(options)

    def __call__(self, context) -> None:
        if context.range is None and context.engine.name == OFFICE_JS:
            if isinstance(context.value, Column):  # checked by xlwings Server's app, and plain (calls.py)
                context.value = context.value.without_empty_text()
                return
            rows = _rows(context.value)
            # Flattened and typed once, for the function to use (udfs.columns.Call); xlwings Server's app hands
            # over a range it has already checked this way (addin/server/calls.py).
            checked = rows if isinstance(rows, Range) else Range.of(rows)
            types = cell_types(rows) if checked is None else checked.cell_types
            if types <= _PLAIN_IN:
                if str in types and "" in (chain.from_iterable(rows) if checked is None else checked.cells):
                    rows = [[None if cell == "" and type(cell) is str else cell for cell in row] for row in rows]
                    checked = Range.of(rows)
                context.value = rows if checked is None else checked
                return
        self.standard(context)


class _Write:
    def __init__(self, options):
        self.standard = ValueAccessor.writer(options)

    def __call__(self, context) -> None:
        office_js = context.range is None and context.engine.name == OFFICE_JS
        if isinstance(context.value, AnswerColumns):
            if office_js and context.value.plain:
                return  # as it is: xlwings Server's app sends the columns, which its glue makes into rows
            context.value = context.value.rows()
        if office_js:
            rows = _rows(context.value)
            # An Answers knows whether its cells are plain (udfs.cells.plain_cell, worked out from the arrays it
            # was built from); any other answer is checked here. What goes on is a plain list (for Pyodide's
            # conversion to JavaScript in xlwings Lite as much as for JSON).
            if rows.plain if isinstance(rows, Answers) else plain_cells_out(rows):
                context.value = list(rows) if isinstance(rows, Answers) else rows
                return
        self.standard(context)


class ExcelRange(Accessor):
    """A range as rows of cells (ndim=2), read and written by xlwings' own stages except where they are no-ops."""

    @classmethod
    def reader(cls, options):
        return Pipeline().append_stage(_Read(options))

    @classmethod
    def writer(cls, options):
        return Pipeline().append_stage(_Write(options))

    @classmethod
    def router(cls, value, rng, options):
        return cls

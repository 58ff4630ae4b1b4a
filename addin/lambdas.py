"""The no-install route: Scorecard's functions as Excel LAMBDA named formulas (=RAG(...) with nothing installed).

Fifteen public names, one per function of udfs.functions, each taking single cells or whole ranges and
giving one answer per cell (it spills), with optional arguments that may be left out (ISOMITTED). Each
public name checks the ranges fit together, then builds its answer with MAKEARRAY, calling a per-cell
helper on each cell: elementwise by construction, never OR/AND over a range. The helpers are hidden
names (SC.*), shared by the public ones, and follow the Python rules step for step:

- SC.READ reads a cell as scorecard.values.parse_value does: numbers; blanks and "" (missing); error
  values (missing, with their text, as the add-in receives them); GSS shorthand, placeholders and error
  words typed as text; numbers typed as text ("86.5%", "1,234", "1e2", checked by a state machine
  over the characters, the same grammar as the Python pattern); "12.3 [u]"; anything else is "#ERR".
- SC.POLARITY_OF reads a polarity as scorecard.polarity does: the same spellings, the same key
  (lower case, every run of other characters one space, ends trimmed).
- the judging arithmetic is scorecard.formulas' (the formulas the scorecard workbooks use), so the
  LAMBDA names, the workbooks and the Python rules share one definition.

Where the add-in shows "#ERR <message>", a name gives "#ERR <message>" text too (the messages follow the
Python ones; numbers in them are written as Excel writes numbers).

Needs Excel with LAMBDA, MAKEARRAY, MAP, REDUCE, LET and ISOMITTED: Excel for Microsoft 365 (Windows,
Mac, web); Excel 2021 and earlier show #NAME?. The text is in addin/lambda_text.py (helpers) and
addin/lambda_rules.py (the per-cell rules and public names). Checked in IronCalc (tests/test_addin_lambdas.py);
LibreOffice does not evaluate LAMBDA names.
"""

from __future__ import annotations

from pathlib import Path

from addin.lambda_rules import cell_helpers, publics
from addin.lambda_text import Name, helpers, stored_form
from scorecard.errors import ScorecardError

__all__ = ["BY_NAME", "LAMBDAS", "NAMES", "Name", "needed", "stored_form", "write_lambdas"]


def all_names() -> list[Name]:
    """Every name: the fifteen public ones, then the hidden helpers they call."""
    shown, kernels = [], []
    for public in publics():
        name, kernel = public.names()
        shown.append(name)
        kernels.append(kernel)
    return [*shown, *kernels, *cell_helpers(), *helpers()]


NAMES = all_names()
BY_NAME = {item.name: item for item in NAMES}
LAMBDAS = tuple(item for item in NAMES if not item.hidden)


def needed(names: list[str]) -> list[Name]:
    """The names asked for and every helper they call, in the order of NAMES."""
    wanted: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(BY_NAME[name].calls())
    return [item for item in NAMES if item.name in wanted]


def write_lambdas(path: Path, names: list[str] | None = None) -> list[str]:
    """Add (or replace) the LAMBDA named formulas in the workbook at `path`, creating it if absent; with the
    hidden helpers they need. Existing sheets, names and (for .xlsm) macros are kept. Returns the public names."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    path = Path(path)
    chosen = [n.upper() for n in names] if names else [item.name for item in LAMBDAS]
    unknown = [n for n in chosen if n not in BY_NAME or BY_NAME[n].hidden]
    if unknown:
        raise ScorecardError(f"no LAMBDA called {', '.join(unknown)}; there are {', '.join(i.name for i in LAMBDAS)}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ScorecardError(f"{path.name}: LAMBDA names go into an .xlsx or .xlsm workbook")
    if path.exists():
        try:
            book = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ScorecardError(f"cannot open {path}: {error}") from None
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Scorecard functions"
        sheet.append(["Function", "Description"])
        for name in chosen:
            sheet.append([BY_NAME[name].syntax(), BY_NAME[name].description])
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 110
    for item in needed(chosen):
        if item.name in book.defined_names:
            del book.defined_names[item.name]
        book.defined_names[item.name] = DefinedName(item.name, attr_text=item.definition(),
                                                    comment=item.description[:255], hidden=item.hidden or None)
    book.save(path)
    return chosen

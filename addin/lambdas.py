"""The no-install route: Scorecard's rules as Excel LAMBDA named formulas (=RAG(...) with nothing installed).

The bodies are the formula text of `scorecard.formulas` (the same text the workbook generator puts in
cells), over the LAMBDA's parameters. `formula(name, refs)` gives the body over any references, so a
test can put the very same text in cells and have LibreOffice recalculate it.

A LAMBDA here takes every parameter: give a blank cell or "" where the Python function has a default
(tolerance 5, tolerance_type relative, threshold 0, per 10,000). RISK_LEVEL uses the fixed bands
(Low 1-6, Moderate 7-12, High 13-25). Formulas cannot raise a message, so text and unknown polarities
give NO STATUS (see scorecard.formulas) where the add-in functions give "#ERR ..." text.

Evaluated by Excel for Microsoft 365 (Windows, Mac, web) and Excel 2024; Excel 2021 and earlier show
#NAME?. LibreOffice keeps the names but does not evaluate them (see addin/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scorecard import formulas
from scorecard.errors import ScorecardError


def _default(ref: str, value: str) -> str:
    """A blank argument (empty cell or "") means the Python default."""
    return f'IF({ref}="",{value},{ref})'


@dataclass(frozen=True)
class Lambda:
    name: str
    params: tuple[str, ...]
    build: Callable[..., str]
    description: str

    def body(self, refs: dict[str, str] | None = None) -> str:
        """The formula text over `refs` (parameter -> reference); the bare parameter names by default."""
        refs = refs or {}
        return self.build(*(refs.get(param, param) for param in self.params))

    def definition(self) -> str:
        """The defined name's formula as stored in the file: `_xlfn.LAMBDA`, parameters as `_xlpm.`."""
        refs = {param: f"_xlpm.{param}" for param in self.params}
        params = ",".join(refs.values())
        return f"_xlfn.LAMBDA({params},{self.body(refs)})"

    def syntax(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


def _rag(actual, target, polarity, tolerance, tolerance_type):
    return formulas.rag_formula(
        actual, target, polarity, _default(tolerance_type, '"relative"'), _default(tolerance, "5")
    )


LAMBDAS: tuple[Lambda, ...] = (
    Lambda("RAG", ("actual", "target", "polarity", "tolerance", "tolerance_type"), _rag,
           "RAG status: GREEN, AMBER, RED or NO STATUS. Polarity as Bigger is Better, Smaller is Better or "
           "Plan is Best; blank tolerance = 5 (per cent of target), blank tolerance_type = relative."),
    Lambda("RAG_SYMBOL", ("actual", "target", "polarity", "tolerance", "tolerance_type"),
           lambda *refs: formulas.rag_symbol_formula(_rag(*refs)),
           "Status as a symbol: ★ on or better than target, ● worse, ▲ significantly worse, – no status."),
    Lambda("DIRECTION", ("current", "previous", "polarity", "threshold", "target"),
           lambda c, p, pol, th, t: formulas.direction_formula(c, p, pol, _default(th, "0"), t),
           "Direction of travel: Improving, Declining, No change or Not comparable; blank threshold = 0."),
    Lambda("DIRECTION_ARROW", ("current", "previous", "threshold"),
           lambda c, p, th: formulas.arrow_formula(c, p, _default(th, "0")),
           "Which way the value moved: ↑, ↓ or →; empty when a value is missing; blank threshold = 0."),
    Lambda("RATE_PER", ("events", "population", "per"),
           lambda e, p, n: formulas.rate_formula(e, p, _default(n, "10000")),
           "Rate per N of a population: events / population x per; blank per = 10,000."),
    Lambda("RISK_SCORE", ("impact", "likelihood"), formulas.risk_score_formula,
           "Risk score 1-25: impact x likelihood, each a whole number 1-5."),
    Lambda("RISK_LEVEL", ("score",), formulas.risk_level_formula,
           "Level of a risk score: Low (1-6), Moderate (7-12) or High (13-25)."),
)

BY_NAME = {item.name: item for item in LAMBDAS}


def write_lambdas(path: Path, names: list[str] | None = None) -> list[str]:
    """Add (or replace) the LAMBDA named formulas in the workbook at `path`, creating it if absent.

    Existing sheets, names and (for .xlsm) macros are kept. Returns the names written.
    """
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    path = Path(path)
    chosen = [BY_NAME[n.upper()] for n in names] if names else list(LAMBDAS)
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
        for item in chosen:
            sheet.append([item.syntax(), item.description])
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 110
    for item in chosen:
        if item.name in book.defined_names:
            del book.defined_names[item.name]
        book.defined_names[item.name] = DefinedName(item.name, attr_text=item.definition(),
                                                    comment=item.description[:255])
    book.save(path)
    return [item.name for item in chosen]

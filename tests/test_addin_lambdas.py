"""The no-install route: the LAMBDA names `scorecard addin lambdas` writes, evaluated by a real engine with
Excel's LAMBDA semantics (IronCalc: LAMBDA, LET, MAKEARRAY, MAP, REDUCE, ISOMITTED, dynamic-array spills)
against the Python rules, cell by cell and as one call over whole ranges.

Each function gets 1,000 random rows (numbers near their boundaries, blanks, "", GSS shorthand, numbers as
text, junk text, TRUE/FALSE, error cells, every polarity spelling, optional arguments given or left out).
The workbook is written by write_lambdas, loaded from the .xlsx file (the stored form Excel reads), then
the formulas are typed into it as an officer would (dynamic arrays), and evaluated.

Agreement: every cell equal to udfs.functions' answer for the same cells (numbers to 1e-9 relative: Excel's
NORM.S.INV and GAMMA.INV are not Python's), and where the add-in gives "#ERR <message>" the name gives
"#ERR" text too (the message may word numbers differently).
"""

from __future__ import annotations

import math
import random
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from addin_helpers import needs, type_cell

import udfs.functions as f
from addin.lambdas import BY_NAME, LAMBDAS, NAMES, stored_form, write_lambdas
from generator.cli import main
from scorecard.polarity import accepted_spellings

ROWS = 1000
ERRORS = ("=NA()", "=1/0")


# ---------------------------------------------------------------- random cells

class Cells:
    """Random cells of one kind, as (what to type into the engine, what the add-in's Python receives)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.spellings = sorted({s for spellings in accepted_spellings().values() for s in spellings})

    def choose(self, *weighted):
        options, weights = zip(*weighted, strict=True)
        return self.rng.choices(options, weights)[0]()

    def number(self, around: float = 50.0) -> float | int:
        kind = self.rng.random()
        if kind < 0.3:
            return self.rng.randint(-5, 200)
        if kind < 0.8:
            return round(self.rng.uniform(around - 40, around + 40), 1)
        return self.rng.choice([0, 1, 9, 10, 95, 100, 0.5, -0.2, 1e-9])

    def missing(self):
        return self.rng.choice([None, "", "[c]", "[x]", "[low]", " [u] ", "n/a", "tbc", "-", "*", "#N/A", "12.3 [u]",
                                ("error", "=NA()"), ("error", "=1/0")])

    def text_number(self):
        return self.rng.choice(["86.5%", " 12 ", "1,234", "95", "-3.5", "1e2", ".5", "0", "+7", "12,5", "5."])

    def junk(self):
        return self.rng.choice(["abc", "1,2", "1_0", "inf", "1e400", True, False, "5 apples", "12%%"])

    def value(self, around: float = 50.0):
        return self.choose((lambda: self.number(around), 12), (self.missing, 3), (self.text_number, 2), (self.junk, 1))

    def count(self):
        return self.choose((lambda: self.rng.randint(0, 400), 10), (lambda: self.rng.randint(0, 12), 4),
                           (self.missing, 1), (self.text_number, 1), (self.junk, 1),
                           (lambda: self.rng.choice([-3, 2.5, 0]), 1))

    def population(self):
        return self.choose((lambda: self.rng.randint(0, 200_000), 12), (lambda: self.rng.randint(0, 20), 3),
                           (self.missing, 1), (self.junk, 1))

    def polarity(self):
        def spelled():
            word = self.rng.choice(self.spellings)
            word = "".join(ch.upper() if self.rng.random() < 0.3 else ch for ch in word)
            return self.rng.choice(["", " ", "  "]) + word + self.rng.choice(["", " "])
        return self.choose((spelled, 12), (lambda: self.rng.choice([None, "", "sideways", 5, True, "#N/A",
                                                                     ("error", "=NA()")]), 2))

    def optional_number(self, usual):
        return self.choose((lambda: None, 8), (lambda: self.rng.choice(usual), 4),
                           (lambda: self.rng.choice(["", "2.5%", "abc", "n/a", -1, True, ("error", "=NA()")]), 1))

    def kind(self):
        return self.choose((lambda: None, 6), (lambda: self.rng.choice(["relative", "absolute", "Absolute",
                                                                        " RELATIVE "]), 4),
                           (lambda: self.rng.choice(["", "weird", 3]), 1))

    def risk(self, high=5):
        return self.choose((lambda: self.rng.randint(1, high), 10),
                           (lambda: self.rng.choice([0, high + 1, 2.5, None, "", "3", " 4 ", "abc", True, "3.",
                                                     "1e0", "0_5", "\uff13", ("error", "=NA()")]), 2))


def python_value(cell):
    """What the add-in's Python receives for a cell: error cells as their text (err_to_str)."""
    if isinstance(cell, tuple):
        return {"=NA()": "#N/A", "=1/0": "#DIV/0!"}[cell[1]]
    return cell


# ---------------------------------------------------------------- the engine

@pytest.fixture(scope="module")
def ironcalc():
    return needs("ironcalc")


@pytest.fixture(scope="module")
def lambda_book(tmp_path_factory):
    """A workbook with every LAMBDA name, as `scorecard addin lambdas` writes it."""
    path = tmp_path_factory.mktemp("lambdas") / "scorecard-functions.xlsx"
    assert main(["addin", "lambdas", "--out", str(path)]) == 0
    return path


class Sheet:
    """A fresh IronCalc model loaded from the LAMBDA workbook: type cells and formulas, evaluate, read."""

    def __init__(self, ironcalc, path) -> None:
        self.model = ironcalc.load_from_xlsx(str(path), "en", "UTC")
        self.model.new_sheet()
        names = [sheet["name"] for sheet in self.model.get_worksheets_properties()]
        self.index, self.name = len(names) - 1, names[-1]

    def put(self, row: int, col: int, cell) -> None:
        type_cell(self.model, self.index, row, col, cell)

    def formula(self, row: int, col: int, text: str) -> None:
        self.model.set_user_input(self.index, row, col, text)

    def value(self, row: int, col: int):
        return self.model.get_cell_value_by_ref(f"{self.name}!{letter(col)}{row}")


def letter(col: int) -> str:
    text = ""
    while col:
        col, rest = divmod(col - 1, 26)
        text = chr(65 + rest) + text
    return text


def agrees(got, expected, relative: float) -> bool:
    if isinstance(expected, str) and expected.startswith("#ERR"):
        return isinstance(got, str) and got.startswith("#ERR ")
    if isinstance(expected, bool) or isinstance(got, bool):
        return got == expected
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return math.isclose(got, expected, rel_tol=relative, abs_tol=1e-12)
    return (got if got is not None else "") == expected


def compare(sheet: Sheet, first_col: int, expected: list[list], relative: float, what: str) -> None:
    wrong = []
    for r, row in enumerate(expected):
        for c, want in enumerate(row):
            got = sheet.value(2 + r, first_col + c)
            if not agrees(got, want, relative):
                wrong.append((r + 2, c, got, want))
    assert not wrong, f"{what}: {len(wrong)} cells disagree, e.g. {wrong[:5]}"


def run(ironcalc, lambda_book, name: str, columns: list[list], *, omit_from: int | None = None,
        relative: float = 1e-12, expected=None, extra_args: str = "", per_cell_extra: str = "") -> None:
    """Type the columns into a fresh sheet (row 2 on), then (a) one call of `name` per row and (b) one call over
    the whole columns; compare both with udfs.functions' answer over the same columns. `omit_from`: rows
    whose optional columns (from that index) are all empty call the name without them."""
    sheet = Sheet(ironcalc, lambda_book)
    for c, column in enumerate(columns, start=1):
        for r, cell in enumerate(column, start=2):
            sheet.put(r, c, cell)
    width = len(columns)
    python = [[[python_value(cell)] for cell in column] for column in columns]
    expected = expected if expected is not None else getattr(f, name.lower())(*python)
    out = width + 2
    last = len(columns[0]) + 1
    for r in range(2, last + 1):
        args = [f"{letter(c)}{r}" for c in range(1, width + 1)]
        if omit_from is not None and all(columns[c][r - 2] is None for c in range(omit_from, width)):
            args = args[:omit_from]
        sheet.formula(r, out, f"={name}({','.join(args)}{per_cell_extra})")
    ranges = ",".join(f"{letter(c)}2:{letter(c)}{last}" for c in range(1, width + 1))
    sheet.formula(2, out + 2, f"={name}({ranges}{extra_args})")
    sheet.model.evaluate()
    compare(sheet, out, expected, relative, f"{name} one call per cell")  # a row's call spills its row's width
    compare(sheet, out + 2, expected, relative, f"{name} one call over {len(expected)} rows")


# ---------------------------------------------------------------- every name against the Python rules

def test_rag_family_per_cell_and_over_ranges(ironcalc, lambda_book):
    """RAG, RAG_SYMBOL and RAG_REASON: 1,000 random rows, one call per row (optional arguments left out where
    blank) and one call over the whole columns, equal to the add-in's answers."""
    cells = Cells(1)
    targets = [cells.number() for _ in range(ROWS)]
    # Half the actuals on or near the target: on it, one or two tolerances (5 per cent) off, a little over.
    actuals = [cells.choose((lambda t=t: round(t + cells.rng.choice([0, 1, -1, 2, -2, 1.01]) * 0.05 * abs(t), 6), 5),
                            (cells.value, 5)) for t in targets]
    tolerance = [cells.optional_number([0, 1, 2.5, 5, 10]) for _ in range(ROWS)]
    kinds = [cells.kind() for _ in range(ROWS)]
    polarities = [cells.polarity() for _ in range(ROWS)]
    for name in ("RAG", "RAG_SYMBOL", "RAG_REASON"):
        run(ironcalc, lambda_book, name, [actuals, targets, polarities, tolerance, kinds], omit_from=3)


def test_rag_with_single_cells_beside_ranges(ironcalc, lambda_book):
    """A single cell goes with every cell of the ranges (=RAG(A2:A1001, B2:B1001, "High")), as in the add-in."""
    cells = Cells(2)
    actuals = [cells.value() for _ in range(ROWS)]
    targets = [cells.number() for _ in range(ROWS)]
    sheet = Sheet(ironcalc, lambda_book)
    for r, (a, t) in enumerate(zip(actuals, targets, strict=True), start=2):
        sheet.put(r, 1, a)
        sheet.put(r, 2, t)
    sheet.formula(2, 4, f'=RAG(A2:A{ROWS + 1},B2:B{ROWS + 1},"Smaller is Better",2,"absolute")')
    sheet.model.evaluate()
    expected = f.rag([[python_value(a)] for a in actuals], [[t] for t in targets], "Smaller is Better", 2, "absolute")
    compare(sheet, 4, expected, 1e-12, "RAG with single cells")


def test_direction_and_arrow(ironcalc, lambda_book):
    """DIRECTION (threshold and target optional) and DIRECTION_ARROW over 1,000 random rows, per cell and as one
    call."""
    cells = Cells(3)
    previous = [cells.value() for _ in range(ROWS)]
    current = [cells.choose((lambda p=p: p + cells.rng.choice([0, 1, -1, 0.5]) if isinstance(p, int | float)
                             and not isinstance(p, bool) else cells.value(), 3), (cells.value, 2)) for p in previous]
    polarities = [cells.polarity() for _ in range(ROWS)]
    thresholds = [cells.optional_number([0, 0.5, 1, 2]) for _ in range(ROWS)]
    targets = [cells.choose((lambda: None, 1), (cells.value, 1)) for _ in range(ROWS)]
    run(ironcalc, lambda_book, "DIRECTION", [current, previous, polarities, thresholds, targets], omit_from=3)
    run(ironcalc, lambda_book, "DIRECTION_ARROW", [current, previous, thresholds], omit_from=2)


def test_rates_and_percentages(ironcalc, lambda_book):
    """RATE_PER (per optional) and PERCENT_OF over 1,000 random rows, per cell and as one call."""
    cells = Cells(4)
    events = [cells.count() for _ in range(ROWS)]
    population = [cells.population() for _ in range(ROWS)]
    per = [cells.optional_number([1000, 10000, 100000, 0]) for _ in range(ROWS)]
    run(ironcalc, lambda_book, "RATE_PER", [events, population, per], omit_from=2)
    denominators = [cells.choose((lambda e=e: e + cells.rng.randint(0, 50) if isinstance(e, int) and not
                                  isinstance(e, bool) else cells.count(), 8), (cells.count, 2)) for e in events]
    run(ironcalc, lambda_book, "PERCENT_OF", [events, denominators])


def test_confidence_limits(ironcalc, lambda_book):
    """RATE_CI (Byar from 10 events, exact Poisson below, via GAMMA.INV) and PERCENT_CI (Wilson, NORM.S.INV),
    both levels: lower and upper columns over whole ranges, and each limit per cell, as the Python rules."""
    cells = Cells(5)
    events = [cells.count() for _ in range(ROWS)]
    population = [cells.population() for _ in range(ROWS)]
    per = [cells.optional_number([1000, 10000]) for _ in range(ROWS)]
    levels = [cells.choose((lambda: None, 6), (lambda: cells.rng.choice([95, 99.8, 0.95, 0.998, 90, "abc"]), 2))
              for _ in range(ROWS)]
    python = [[[python_value(c)] for c in column] for column in (events, population, per, levels)]
    run(ironcalc, lambda_book, "RATE_CI", [events, population, per, levels], relative=1e-9,
        expected=f.rate_ci(*python))
    run(ironcalc, lambda_book, "RATE_CI", [events, population, per, levels], relative=1e-9,
        expected=f.rate_ci(*python, bound="upper"), extra_args=',"upper"', per_cell_extra=',"upper"')
    denominators = [cells.choose((lambda e=e: e + cells.rng.randint(0, 300) if isinstance(e, int) and not
                                  isinstance(e, bool) else cells.count(), 8), (cells.count, 2)) for e in events]
    python = [[[python_value(c)] for c in column] for column in (events, denominators, levels)]
    run(ironcalc, lambda_book, "PERCENT_CI", [events, denominators, levels], relative=1e-9,
        expected=f.percent_ci(*python))


def test_compare_benchmark(ironcalc, lambda_book):
    """COMPARE_BENCHMARK over 1,000 random rows: limits either side of, around and on the benchmark."""
    cells = Cells(6)
    lower = [cells.value() for _ in range(ROWS)]
    upper = [cells.choose((lambda lo=lo: lo + cells.rng.choice([0, 5, 10, -3]) if isinstance(lo, int | float)
                           and not isinstance(lo, bool) else cells.value(), 6), (cells.value, 1)) for lo in lower]
    benchmark = [cells.choose((lambda lo=lo: lo if isinstance(lo, int | float) else 50, 1), (cells.value, 4))
                 for lo in lower]
    polarities = [cells.polarity() for _ in range(ROWS)]
    run(ironcalc, lambda_book, "COMPARE_BENCHMARK", [lower, upper, benchmark, polarities])


def test_quartile_band_and_rank(ironcalc, lambda_book):
    """QUARTILE_BAND and POLARITY_RANK of 1,000 random values among a comparison set of 100 (numbers, ties,
    values on the quartiles, missing codes): per cell and as one call, as ComparisonSet's bands and ranks
    (LAIT's rule: a value on a quartile goes to the lower-valued band)."""
    cells = Cells(7)
    everyone = [cells.choose((lambda: cells.rng.randint(0, 40), 10), (lambda: cells.rng.randint(0, 40) / 4, 3),
                             (cells.missing, 1)) for _ in range(100)]
    numbers = [v for v in everyone if isinstance(v, int | float)]
    values = [cells.choose((lambda: cells.rng.choice(numbers), 6), (cells.value, 2)) for _ in range(ROWS)]
    polarities = [cells.polarity() for _ in range(ROWS)]
    for name in ("QUARTILE_BAND", "POLARITY_RANK"):
        sheet = Sheet(ironcalc, lambda_book)
        for r, (value, polarity) in enumerate(zip(values, polarities, strict=True), start=2):
            sheet.put(r, 1, value)
            sheet.put(r, 2, polarity)
        for r, value in enumerate(everyone, start=2):
            sheet.put(r, 3, value)
        every = f"$C$2:$C${len(everyone) + 1}"
        for r in range(2, ROWS + 2):
            sheet.formula(r, 5, f"={name}(A{r},{every},B{r})")
        sheet.formula(2, 7, f"={name}(A2:A{ROWS + 1},{every},B2:B{ROWS + 1})")
        sheet.model.evaluate()
        expected = getattr(f, name.lower())([[python_value(v)] for v in values], [[python_value(v)] for v in everyone],
                                            [[python_value(p)] for p in polarities])
        compare(sheet, 5, expected, 1e-12, f"{name} one call per cell")
        compare(sheet, 7, expected, 1e-12, f"{name} one call over {ROWS} rows")


def test_risk_score_level_and_polarity(ironcalc, lambda_book):
    """RISK_SCORE, RISK_LEVEL (default and moved bands) and POLARITY over 1,000 random rows."""
    cells = Cells(8)
    impact = [cells.risk() for _ in range(ROWS)]
    likelihood = [cells.risk() for _ in range(ROWS)]
    run(ironcalc, lambda_book, "RISK_SCORE", [impact, likelihood])
    scores = [cells.risk(25) for _ in range(ROWS)]
    run(ironcalc, lambda_book, "RISK_LEVEL", [scores])
    python = [[python_value(s)] for s in scores]
    run(ironcalc, lambda_book, "RISK_LEVEL", [scores], expected=f.risk_level(python, 6, 15), extra_args=",6,15",
        per_cell_extra=",6,15")
    run(ironcalc, lambda_book, "POLARITY", [[cells.polarity() for _ in range(ROWS)]])


def number_like_text(rng: random.Random) -> str:
    """Text made of the characters of numbers (digits, signs, commas, points, e/E, per cent), sometimes with
    whitespace Python's str.strip() removes (space, tab, no-break and ideographic spaces) around it or a GSS flag
    after it: near misses of scorecard.values' number pattern, which SC.READ follows as a state machine."""
    text = "".join(rng.choice("0123456789+-,.eE%" if rng.random() < 0.9 else "0123456789 x")
                   for _ in range(rng.randint(1, 9)))
    pad = lambda: rng.choice(["", "", " ", "\t", "\u00a0", "\u3000"])  # noqa: E731
    return pad() + text + rng.choice(["", "", "", " [u]", "[c]"]) + pad()


def test_numbers_typed_as_text_are_read_as_python_reads_them(ironcalc, lambda_book):
    """RATE_PER(text, 1, 1), the value as SC.READ reads it, over 1,000 random number-like texts (exponents,
    thousands commas in and out of place, signs, per cents, padding whitespace, GSS flags): per cell and as one
    call, what the add-in gives (the number, an empty cell for a flagged value, #ERR for the rest)."""
    rng = random.Random(11)
    texts = [number_like_text(rng) for _ in range(ROWS)]
    ones = [1] * ROWS
    run(ironcalc, lambda_book, "RATE_PER", [texts, ones, ones])


def test_every_public_name_is_tested_here():
    """The tests above cover all fifteen names, the same functions the add-in has."""
    import inspect

    source = inspect.getsource(inspect.getmodule(test_every_public_name_is_tested_here))
    assert {item.name for item in LAMBDAS} == {name.upper() for name in f.__all__}
    for item in LAMBDAS:
        assert f'"{item.name}"' in source, item.name


def test_whole_call_problems(ironcalc, lambda_book):
    """Ranges of different sizes, 'both' limits over two columns, a bad bound, a bad comparison set and bad risk
    bands give one #ERR cell, as the add-in does; an omitted optional argument is its default."""
    sheet = Sheet(ironcalc, lambda_book)
    for r, values in enumerate([(90, 100, "High", 1, 2), (95, 100, "High", 3, "x"), (100, 100, "High", 5, 4)], start=2):
        for c, value in enumerate(values, start=1):
            sheet.put(r, c, value)
    calls = {
        "=RAG(A2:A3,B2:B4,C2)": f.rag([[90], [95]], [[100], [100], [100]], "High"),
        "=RATE_CI(A2:B3,B2:C3)": f.rate_ci([[90, 100], [95, 100]], [[100, "High"], [100, "High"]]),
        '=RATE_CI(A2,B2,,,"sideways")': f.rate_ci(90, 100, None, None, "sideways"),
        "=QUARTILE_BAND(A2,A2:E4,C2)": f.quartile_band(90, [[90, 100, "High", 1, 2]], "High"),
        "=RISK_LEVEL(5,9,8)": f.risk_level(5, 9, 8),
        "=RISK_LEVEL(5,6.5)": f.risk_level(5, 6.5),
        "=RAG(A2,B2,C2)": f.rag(90, 100, "High"),
    }
    for col, formula in enumerate(calls, start=10):
        sheet.formula(2, col, formula)
    sheet.model.evaluate()
    for col, (formula, expected) in enumerate(calls.items(), start=10):
        assert agrees(sheet.value(2, col), expected[0][0], 1e-12), (formula, sheet.value(2, col), expected)


# ---------------------------------------------------------------- the workbook and its stored form

def defined_names(path) -> dict[str, str]:
    xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode("utf-8")
    return {name: body.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
            for name, body in re.findall(r'<definedName name="([^"]+)"[^>]*>([^<]*)</definedName>', xml)}


def test_stored_form_is_excels():
    """The file holds Excel's stored form: _xlfn.LAMBDA, _xlfn. before newer functions, _xlpm. before every
    parameter and LET name, _xlop. where an optional parameter is declared; nothing bare; under 8,192 characters."""
    assert stored_form("LAMBDA(x,[y],LET(z,x*2,IF(ISOMITTED(y),z,MAKEARRAY(1,1,LAMBDA(i,j,z+y)))))") == (
        "_xlfn.LAMBDA(_xlpm.x,_xlop.y,_xlfn.LET(_xlpm.z,_xlpm.x*2,IF(_xlfn.ISOMITTED(_xlpm.y),_xlpm.z,"
        "_xlfn.MAKEARRAY(1,1,_xlfn.LAMBDA(_xlpm.i,_xlpm.j,_xlpm.z+_xlpm.y)))))")
    for item in NAMES:
        stored = item.definition()
        assert stored.startswith("_xlfn.LAMBDA(") and len(stored) < 8192, item.name
        bare = re.sub(r'"(?:[^"]|"")*"', '""', stored)
        rest = re.sub(r"_xl(pm|op|fn)\.[A-Za-z_][\w.]*", "", bare)
        assert not re.search(r"(?<![\w.])[a-z_][a-z0-9_]*", rest), (item.name, rest)
        assert bare.count("(") == bare.count(")"), item.name


def test_command_writes_every_name_and_only_the_public_ones_show(tmp_path):
    """A new workbook gets the fifteen public names (visible, with a sheet listing them) and the hidden helpers
    they call; --names writes one name with just the helpers it needs."""
    path = tmp_path / "new.xlsx"
    assert main(["addin", "lambdas", "--out", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    shown = sorted(name for name, item in book.defined_names.items() if not item.hidden)
    assert shown == sorted(item.name for item in LAMBDAS)
    assert all(book.defined_names[item.name].hidden for item in NAMES if item.hidden)
    assert book["Scorecard functions"]["A2"].value == BY_NAME["RAG"].syntax()
    single = tmp_path / "one.xlsx"
    assert write_lambdas(single, ["risk_score"]) == ["RISK_SCORE"]
    written = set(defined_names(single))
    assert "RISK_SCORE" in written and "RAG" not in written and "SC.RISK_SCORE_CELL" in written


def test_existing_workbook_keeps_its_content_and_names(tmp_path):
    """Into an existing workbook: its sheets, values and other names stay; a second run replaces, not duplicates."""
    path = tmp_path / "existing.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Data")
    sheet.write("A1", 42)
    book.define_name("Target", "=Data!$A$1")
    book.close()
    assert write_lambdas(path, ["rag", "RISK_SCORE"]) == ["RAG", "RISK_SCORE"]
    write_lambdas(path, ["rag"])
    names = defined_names(path)
    assert {"RAG", "RISK_SCORE", "Target"} <= set(names)
    assert list(names).count("RAG") == 1
    assert openpyxl.load_workbook(path)["Data"]["A1"].value == 42


def test_bad_requests_are_refused(tmp_path):
    """An unknown name, a hidden helper or a file that is not a workbook gives a one-line error (exit 2)."""
    assert main(["addin", "lambdas", "--out", str(tmp_path / "x.xlsx"), "--names", "NOPE"]) == 2
    assert main(["addin", "lambdas", "--out", str(tmp_path / "x.xlsx"), "--names", "SC.READ"]) == 2
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    assert main(["addin", "lambdas", "--out", str(tmp_path / "notes.xlsx")]) == 2
    assert main(["addin", "lambdas", "--out", str(tmp_path / "x.csv")]) == 2

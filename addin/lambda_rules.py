"""The fifteen public LAMBDA names and the per-cell rule each applies (hidden SC.<NAME>_CELL names), written
step for step as the Python rules check a cell; the judging arithmetic is scorecard.formulas'. See addin/lambdas.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.lambda_text import Name, Q, array_constant, message
from scorecard import formulas
from scorecard.polarity import Polarity
from scorecard.rag import Status
from scorecard.values import SUPPRESSED_CODES

# ---------------------------------------------------------------- per-cell rules
#
# Each is the body of a hidden SC.<NAME>_CELL(arguments..., which): the rule for one cell, in the order
# the Python rule checks, over LET names in lower case. `which` is the result column (1 or 2, for the
# two confidence limits).

_NONE, _PLAN = Polarity.NONE.value, Polarity.PLAN.value
_BIGGER, _SMALLER = Polarity.BIGGER.value, Polarity.SMALLER.value


def _read(name: str, cell: str, then: str) -> str:
    """LET name = SC.READ(cell); its #ERR text if any, else `then`."""
    return f"LET({name},SC.READ({cell}),IF(SC.ISERR({name}),{name},{then}))"


def _checked(name: str, value: str, then: str) -> str:
    """LET name = value (a helper's answer); its #ERR text if any, else `then`."""
    return f"LET({name},{value},IF(SC.ISERR({name}),{name},{then}))"


def _rag_cell(then: str) -> str:
    """The RAG family: tolerance, its kind, polarity, actual, target, as _rag_result checks them; then `then`."""
    unknown_kind = message(Q + "tolerance kind '" + Q + "&kind&" + Q + "' is not one of ('relative', 'absolute')" + Q)
    negative = message(Q + "tolerance " + Q + "&amount&" + Q + " must be a number 0 or more" + Q)
    rest = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("av", "actual", _read("tv", "target", then)))
    return _checked("amount", 'SC.NUMBER_OR(tolerance,5,"tolerance")', f"""
        LET(kind,SC.TEXT_OR(tolerance_type,"relative"),
        IF(ISNA(XMATCH(kind,{{"relative","absolute"}})),{unknown_kind},
        IF(amount<0,{negative},{rest})))""")


_STATUS = formulas.rag_formula("av", "tv", "pol", "kind", "amount")
_SUPPRESSED = array_constant(sorted(SUPPRESSED_CODES))
_REASON = f"""
    IF({_STATUS}<>"{Status.NO_STATUS.value}","",
    IF(pol="{_NONE}","no polarity",
    IF(NOT(ISNUMBER(av)),
      IF(ISNUMBER(XMATCH(av,{_SUPPRESSED})),"value suppressed (","no value (")&IF(av="","blank",av)&")",
    "no target ("&IF(tv="","blank",tv)&")")))"""


def _threshold(then: str) -> str:
    return _checked("th", 'SC.NUMBER_OR(threshold,0,"threshold")', then)


def _threshold_not_negative(then: str) -> str:
    return f'IF(th<0,{message(Q + "no-change threshold " + Q + "&th&" + Q + " must be a number 0 or more" + Q)},{then})'


_TRAVEL = formulas.direction_formula("cv", "pv", "pol", "th", "gv")
_DIRECTION = _threshold(_checked("pol", "SC.POLARITY_OF(polarity_text)", _threshold_not_negative(
    _read("cv", "current", _read("pv", "previous", f"""
        IF(pol="{_NONE}","Not comparable",
        IF(NOT(ISNUMBER(cv)),"Not comparable",IF(NOT(ISNUMBER(pv)),"Not comparable",
        {_read("gv", f'IF(pol="{_PLAN}",target,0)', _TRAVEL)})))""")))))

_ARROW = _threshold(_threshold_not_negative(_read("cv", "current", _read("pv", "previous", f"""
    IF(NOT(ISNUMBER(cv)),"",IF(NOT(ISNUMBER(pv)),"",{formulas.arrow_formula("cv", "pv", "th")}))"""))))


def _counts(first: str, second: str, then: str, *, options: str, larger_refused: bool = False) -> str:
    """Two counts as udfs.functions reads them (blank or a code: an empty answer), then the optional
    arguments (`options`, checked in turn, with THEN where the rest goes), then the checks of
    scorecard.rates._fraction_inputs; then `then`."""
    larger = ""
    if larger_refused:
        larger = f'IF(ev>bv,{message(Q + "numerator " + Q + "&ev&" + Q + " is larger than denominator " + Q + "&bv")},'
    checks = f"""
        IF(ev<0,{message(Q + "numerator " + Q + "&ev&" + Q + " must not be negative" + Q)},
        IF(bv<0,{message(Q + "denominator " + Q + "&bv&" + Q + " must not be negative" + Q)},
        IF(bv=0,{message(Q + "denominator is 0: no rate or proportion can be formed" + Q)},
        {larger}{then}{")" if larger else ""})))"""
    return _read("ev", first, _read("bv", second, f"""
        IF(NOT(ISNUMBER(ev)),"",IF(NOT(ISNUMBER(bv)),"",{options.replace("THEN", checks)}))"""))


_PER_REFUSED = message(Q + "per " + Q + "&n&" + Q + " must be a number above 0 (10,000 for a rate per 10,000)" + Q)
_PER = _checked("n", 'SC.NUMBER_OR(per,10000,"per")', f"IF(NOT(n>0),{_PER_REFUSED},THEN)")
_LEVEL = _checked("lv", 'SC.NUMBER_OR(level,95,"level")', f"""
    LET(pct,IF(lv<1,lv*100,lv),
    IF(ABS(pct-95)<=1E-9*MAX(ABS(pct),95),LET(alpha,1-pct/100,z,NORM.S.INV(1-alpha/2),THEN),
    IF(ABS(pct-99.8)<=1E-9*MAX(ABS(pct),99.8),LET(alpha,1-pct/100,z,NORM.S.INV(1-alpha/2),THEN),
      {message(Q + "confidence level " + Q + "&lv&" + Q + " must be 95 or 99.8" + Q)})))""")
_SIDE = 'LET(b,SC.TEXT_OR(bound,"both"),IF(b="both",which,IF(b="upper",2,1)))'

# Byar's method from 10 events, exact Poisson (gamma quantiles, the chi-squared relationship) below.
_POISSON = f"""
    IF(ev>=10,IF(side=1,ev*(1-1/(9*ev)-z/(3*SQRT(ev)))^3,(ev+1)*(1-1/(9*(ev+1))+z/(3*SQRT(ev+1)))^3),
    IF(ev<>INT(ev),{message(Q + "events " + Q + "&ev&" + Q + " must be a whole number below 10 (exact method)" + Q)},
    IF(side=1,IF(ev=0,0,GAMMA.INV(alpha/2,ev,1)),GAMMA.INV(1-alpha/2,ev+1,1))))"""
_RATE_CI = _counts("events", "population", f"LET(side,{_SIDE},{_checked('mean', _POISSON, 'mean/bv*n')})",
                   options=_PER.replace("THEN", _LEVEL))
_WILSON = f"""LET(side,{_SIDE},p,ev/bv,centre,2*ev+z*z,spread,z*SQRT(z*z+4*ev*(1-p)),scale,2*(bv+z*z),
    IF(side=1,IF(ev=0,0,MAX(0,(centre-spread)/scale)),IF(ev=bv,1,MIN(1,(centre+spread)/scale)))*100)"""
_PERCENT_CI = _counts("numerator", "denominator", _WILSON, larger_refused=True, options=_LEVEL)

_COMPARE = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("lo", "lower_limit", _read("hi", "upper_limit", _read(
    "mark", "benchmark", f"""
    IF(NOT(ISNUMBER(lo)),"Not compared",IF(NOT(ISNUMBER(hi)),"Not compared",IF(NOT(ISNUMBER(mark)),"Not compared",
    IF(lo>hi,{message(Q + "lower limit " + Q + "&lo&" + Q + " is above upper limit " + Q + "&hi")},
    IF(lo<=mark,IF(mark<=hi,"Similar",SC.SIDE(pol,lo>mark)),SC.SIDE(pol,lo>mark))))))"""))))


def _whole(cell: str, label: str, high: int) -> str:
    """A whole number 1..high as scorecard.risk._whole_number reads it: numbers, or text made of number
    characters that reads as a number; anything else refused with the Python message."""
    bad = message(f'"{label} "&SC.REPR({cell})&" must be a whole number 1-{high}"')
    outside = message(f'"{label} "&SC.REPR({cell})&" is outside 1-{high}"')
    return f"""IF(ISERROR({cell}),{bad},IF(ISBLANK({cell}),{bad},IF(ISLOGICAL({cell}),{bad},
        LET(v,IF(ISNUMBER({cell}),{cell},SC.FLOAT_TEXT({cell})),
        IF(NOT(ISNUMBER(v)),{bad},IF(v<>INT(v),{bad},IF(v<1,{outside},IF(v>{high},{outside},v))))))))"""


_RISK_SCORE = _checked("iv", _whole("impact", "impact", 5),
                       _checked("kv", _whole("likelihood", "likelihood", 5), "iv*kv"))
_BANDS_REFUSED = message(Q + "risk bands ((1, 'Low'), (" + Q + "&moderate&" + Q + ", 'Moderate'), (" + Q + "&high&"
                      + Q + ", 'High')) must start at 1 and rise strictly, each (lowest score, level)" + Q)
_RISK_LEVEL = f"""
    IF(moderate<=1,{_BANDS_REFUSED},IF(high<=moderate,{_BANDS_REFUSED},IF(high>25,{_BANDS_REFUSED},
    {_checked("sv", _whole("score", "risk score", 25), 'IF(sv>=high,"High",IF(sv>=moderate,"Moderate","Low"))')})))"""
_BAND = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("v", "val", f"""
    IF(pol="{_NONE}","-",IF(pol="{_PLAN}","-",IF(NOT(ISNUMBER(v)),"-",IF(n_present=0,"-",
    IF(pol="{_BIGGER}",{formulas.band_between_formula("v", "q_low", "q_mid", "q_high", bigger=True)},
    {formulas.band_between_formula("v", "q_low", "q_mid", "q_high", bigger=False)})))))"""))
_RANK = _read("v", "val", f"""
    IF(NOT(ISNUMBER(v)),"",{_checked("pol", "SC.POLARITY_OF(polarity_text)", f'''
    IF(pol="{_BIGGER}",1+SUM(present*(numbers>v)),IF(pol="{_SMALLER}",1+SUM(present*(numbers<v)),""))''')})""")


def cell_helpers() -> list[Name]:
    return [
        Name("SC.SIDE", ("pol", "higher"), f"""
            IF(pol="{_BIGGER}",IF(higher,"Better","Worse"),IF(pol="{_SMALLER}",IF(higher,"Worse","Better"),
            IF(higher,"Higher","Lower")))""", "Better/Worse (or Higher/Lower) of a value off its benchmark.",
             hidden=True),
        Name("SC.FLOAT_TEXT", ("t",), """
            LET(s,SC.STRIP(t),
            IF(LEN(s)=0,"x",
            IF(REDUCE(TRUE,SEQUENCE(LEN(s)),LAMBDA(ok,i,IF(ok,ISNUMBER(FIND(MID(s,i,1),"0123456789+-.eE")),FALSE))),
              IFERROR(NUMBERVALUE(s,".",","),"x"),"x")))""",
             "Text as a number for the risk ratings (digits, sign, point, exponent), else x.", hidden=True),
    ]


# ---------------------------------------------------------------- the public names

@dataclass(frozen=True)
class Public:
    """A public function: arguments taken cell by cell (broadcast), optional ones, arguments read once
    (their first cell), and the rule for one cell."""

    name: str
    spread: tuple[str, ...]
    optional: tuple[str, ...]
    cell: str
    description: str
    single: tuple[str, ...] = ()
    columns: str = "ncols"  # the result's width: the call's, or a formula (two confidence limits)
    problem: str = '""'     # a check of the whole call, giving #ERR text or ""
    lets: str = ""          # LET bindings over the whole call, given to every cell (comparison sets)
    passed: tuple[str, ...] = ()  # names of `lets` each cell's rule takes
    whole: tuple[str, ...] = ()   # arguments taken as a whole range (the comparison set), not cell by cell

    def names(self) -> list[Name]:
        kernel_params = (*self.spread, *self.optional, *self.single, *self.passed, "which")
        kernel = Name(f"SC.{self.name}_CELL", kernel_params, self.cell, f"{self.name} of one cell.", hidden=True)
        rows = ",".join([f"ROWS({p})" for p in self.spread]
                        + [f"IF(ISOMITTED({p}),1,ROWS({p}))" for p in self.optional])
        cols = ",".join([f"COLUMNS({p})" for p in self.spread]
                        + [f"IF(ISOMITTED({p}),1,COLUMNS({p}))" for p in self.optional])
        fits = ",".join([f"SC.FITS({p},nrows,ncols)" for p in self.spread]
                        + [f"IF(ISOMITTED({p}),TRUE,SC.FITS({p},nrows,ncols))" for p in self.optional])
        picks = ",".join([f"SC.PICK({p},i,MIN(j,ncols))" for p in self.spread]
                         + [f'IF(ISOMITTED({p}),"",SC.PICK({p},i,MIN(j,ncols)))' for p in self.optional]
                         + [f'IF(ISOMITTED({p}),"",SC.PICK({p},1,1))' for p in self.single]
                         + list(self.passed))
        size = message('"ranges are different sizes; give ranges of one size, or single cells"')
        lets = f"{self.lets}," if self.lets else ""
        body = f"""
            LET(nrows,MAX({rows}),ncols,MAX({cols}),
            IF(NOT(AND({fits})),{size},
            LET({lets}problem,{self.problem},IF(problem<>"",problem,
            MAKEARRAY(nrows,{self.columns},LAMBDA(i,j,SC.{self.name}_CELL({picks},j)))))))"""
        required = (*self.spread[:1], *self.whole, *self.spread[1:]) if self.whole else self.spread
        public = Name(self.name, required, body, self.description, optional=(*self.optional, *self.single))
        return [public, kernel]


_FIRST_BOUND = 'SC.TEXT_OR(IF(ISOMITTED(bound),"",SC.PICK(bound,1,1)),"both")'
_BAD_BOUND = message(Q + "bound '" + Q + "&b&" + Q + "' must be lower, upper or both" + Q)
_BOTH_NEEDS_ONE_COLUMN = message(Q + "bound 'both' needs single-column ranges; use lower or upper" + Q)
_BOUND_PROBLEM = f"""LET(b,{_FIRST_BOUND},
    IF(ISNA(XMATCH(b,{{"lower","upper","both"}})),{_BAD_BOUND},
    IF(b<>"both","",IF(ncols<>1,{_BOTH_NEEDS_ONE_COLUMN},""))))"""
_BOUND_COLUMNS = f'IF({_FIRST_BOUND}="both",2,1)'

# The comparison set, read once per call: every cell as SC.READ reads it; a cell that is not a number
# or a missing-value code makes the whole answer one #ERR naming its row and column (udfs.cells.flat_values).
_SET = """
    cells,MAP(all_values,LAMBDA(x,SC.READ(x))),
    width,COLUMNS(cells),
    first,REDUCE(0,SEQUENCE(ROWS(cells)*width),LAMBDA(found,n,IF(found>0,found,
      IF(SC.ISERR(INDEX(cells,1+INT((n-1)/width),1+MOD(n-1,width))),n,0)))),
    present,MAP(cells,LAMBDA(x,IF(ISNUMBER(x),1,0))),
    numbers,MAP(cells,LAMBDA(x,IF(ISNUMBER(x),x,0))),
    n_present,SUM(present),
    q_low,IF(n_present=0,0,PERCENTILE.INC(cells,0.25)),
    q_mid,IF(n_present=0,0,PERCENTILE.INC(cells,0.5)),
    q_high,IF(n_present=0,0,PERCENTILE.INC(cells,0.75))"""
_SET_PROBLEM = """IF(first=0,"",LET(at_row,1+INT((first-1)/width),at_col,1+MOD(first-1,width),
    SC.MSG("all_values row "&at_row&", column "&at_col&": "&MID(INDEX(cells,at_row,at_col),6,1000))))"""

_RISK_BANDS = """
    moderate,SC.NUMBER_OR(IF(ISOMITTED(moderate_from),"",SC.PICK(moderate_from,1,1)),7,"moderate_from"),
    high,SC.NUMBER_OR(IF(ISOMITTED(high_from),"",SC.PICK(high_from,1,1)),13,"high_from")"""
_RISK_PROBLEM = f"""
    IF(SC.ISERR(moderate),moderate,
    IF(moderate<>INT(moderate),{message(Q + "moderate_from " + Q + "&moderate&" + Q + " must be a whole number" + Q)},
    IF(SC.ISERR(high),high,
    IF(high<>INT(high),{message(Q + "high_from " + Q + "&high&" + Q + " must be a whole number" + Q)},""))))"""


def publics() -> list[Public]:
    rag = ("actual", "target", "polarity_text")
    tolerance = ("tolerance", "tolerance_type")
    return [
        Public("RAG", rag, tolerance, _rag_cell(_STATUS),
               "RAG status: GREEN, AMBER, RED or NO STATUS (tolerance 5 per cent of target unless given)."),
        Public("RAG_SYMBOL", rag, tolerance, _rag_cell(formulas.rag_symbol_formula(f"({_STATUS})")),
               "Status as a symbol: ★ on or better than target, ● worse, ▲ significantly worse, – no status."),
        Public("RAG_REASON", rag, tolerance, _rag_cell(_REASON),
               "Why there is no status (no value, value suppressed, no target, no polarity); empty when there is one."),
        Public("DIRECTION", ("current", "previous", "polarity_text"), ("threshold", "target"), _DIRECTION,
               "Direction of travel: Improving, Declining, No change or Not comparable, judged by polarity."),
        Public("DIRECTION_ARROW", ("current", "previous"), ("threshold",), _ARROW,
               "Which way the value moved: ↑ up, ↓ down, → no change; empty when a value is missing."),
        Public("RATE_PER", ("events", "population"), ("per",),
               _counts("events", "population", "ev/bv*n", options=_PER),
               "Rate per N of a population (default per 10,000): events / population x N."),
        Public("PERCENT_OF", ("numerator", "denominator"), (),
               _counts("numerator", "denominator", "ev/bv*100", larger_refused=True, options="THEN"),
               "Numerator as a percentage of denominator, on the 0-100 scale."),
        Public("RATE_CI", ("events", "population"), ("per", "level"), _RATE_CI,
               "Confidence limits of a rate per N: Byar's method from 10 events, exact Poisson below.",
               single=("bound",), columns=_BOUND_COLUMNS, problem=_BOUND_PROBLEM),
        Public("PERCENT_CI", ("numerator", "denominator"), ("level",), _PERCENT_CI,
               "Confidence limits of a percentage (0-100) by the Wilson score method.",
               single=("bound",), columns=_BOUND_COLUMNS, problem=_BOUND_PROBLEM),
        Public("COMPARE_BENCHMARK", ("lower_limit", "upper_limit", "benchmark", "polarity_text"), (), _COMPARE,
               "Better, Similar or Worse than a benchmark from confidence limits (Higher/Lower with no polarity)."),
        Public("QUARTILE_BAND", ("val", "polarity_text"), (), _BAND,
               "Quartile band A (best quarter given polarity) to D among all_values, as LAIT; - with no polarity.",
               lets=_SET, problem=_SET_PROBLEM, passed=("q_low", "q_mid", "q_high", "n_present"),
               whole=("all_values",)),
        Public("POLARITY_RANK", ("val", "polarity_text"), (), _RANK,
               "Rank among all_values, 1 = best given polarity; ties share the lower rank; blank if missing.",
               lets=_SET, problem=_SET_PROBLEM, passed=("present", "numbers"), whole=("all_values",)),
        Public("RISK_SCORE", ("impact", "likelihood"), (), _RISK_SCORE,
               "Risk score 1-25: impact x likelihood, each a whole number 1-5."),
        Public("RISK_LEVEL", ("score",), (), _RISK_LEVEL,
               "Level of a risk score: Low (1-6), Moderate (7-12) or High (13-25); bands can be moved.",
               single=("moderate_from", "high_from"), lets=_RISK_BANDS, problem=_RISK_PROBLEM,
               passed=("moderate", "high")),
        Public("POLARITY", ("spelling",), (), "SC.POLARITY_OF(spelling)",
               "Canonical polarity: Bigger is Better, Smaller is Better, Plan is Best or No polarity."),
    ]

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
- SC.POLARITY_CELL reads a polarity as scorecard.polarity does: the same spellings, the same key
  (lower case, every run of other characters one space, ends trimmed).
- the judging arithmetic is scorecard.formulas' (the formulas the scorecard workbooks use), so the
  LAMBDA names, the workbooks and the Python rules share one definition.

Where the add-in shows "#ERR <message>", a name gives "#ERR <message>" text too (the messages follow the
Python ones; numbers in them are written as Excel writes numbers).

Needs Excel with LAMBDA, MAKEARRAY, REDUCE, LET and ISOMITTED: Excel for Microsoft 365 (Windows, Mac,
web) and Excel 2024. Excel 2021 and earlier show #NAME?. Checked in IronCalc (tests/test_addin_lambdas.py);
LibreOffice does not evaluate LAMBDA names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scorecard import formulas
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity, accepted_spellings
from scorecard.rag import Status
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, PLACEHOLDERS, SUPPRESSED_CODES

# ---------------------------------------------------------------- the formula text

_FUTURE = ("LAMBDA", "LET", "MAKEARRAY", "REDUCE", "SEQUENCE", "ISOMITTED", "XMATCH", "UNICODE", "NUMBERVALUE",
           "NORM.S.INV", "GAMMA.INV", "PERCENTILE.INC", "MAP")
# Python's str.strip() whitespace, as Unicode code points.
_WHITESPACE = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, *range(8192, 8203), 8232, 8233, 8239, 8287, 12288)
_ERROR_TYPES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!")  # by ERROR.TYPE number

# The number pattern of scorecard.values (_NUMBER) as a state machine: rows are states 0-15, columns the
# character classes digit, sign, comma, point, e/E, other. 15 is the dead state.
_D = 15
_NUMBER_STATES = (
    (2, 1, _D, 10, _D, _D),    # 0 start
    (2, _D, _D, 10, _D, _D),   # 1 after a sign
    (3, _D, 6, 10, 12, _D),    # 2 one digit
    (4, _D, 6, 10, 12, _D),    # 3 two digits
    (5, _D, 6, 10, 12, _D),    # 4 three digits
    (5, _D, _D, 10, 12, _D),   # 5 four or more digits: no thousands commas any more
    (7, _D, _D, _D, _D, _D),   # 6 after a thousands comma
    (8, _D, _D, _D, _D, _D),   # 7
    (9, _D, _D, _D, _D, _D),   # 8
    (_D, _D, 6, 10, 12, _D),   # 9 a full group of three
    (11, _D, _D, _D, _D, _D),  # 10 after the decimal point
    (11, _D, _D, _D, 12, _D),  # 11 decimals
    (14, 13, _D, _D, _D, _D),  # 12 after e
    (14, _D, _D, _D, _D, _D),  # 13 after the exponent's sign
    (14, _D, _D, _D, _D, _D),  # 14 exponent digits
    (_D,) * 6,                 # 15 dead
)
_NUMBER_ACCEPT = (2, 3, 4, 5, 9, 11, 14)


Q = '"'  # a double quote, for formula text built with f-strings
TOO_LARGE = "SC.MSG(" + Q + "'" + Q + "&t&" + Q + "' is too large to be a number" + Q + ")"
NOT_A_NUMBER = "SC.MSG(" + Q + "'" + Q + "&t&" + Q + "' is not a number" + Q + ")"


def _array(values) -> str:
    """An Excel array constant (one row)."""
    return "{" + ",".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "}"


def _table(rows) -> str:
    return "{" + ";".join(",".join(str(v) for v in row) for row in rows) + "}"


def _squeeze(text: str) -> str:
    """Formula text written over several lines for reading, as one line (whitespace outside strings dropped)."""
    parts = re.split(r'("(?:[^"]|"")*")', text)
    return "".join(part if part.startswith('"') else re.sub(r"\s+", "", part) for part in parts)


def _key(spelling: str) -> str:
    from scorecard.polarity import _key

    return _key(spelling)


def _polarity_keys() -> tuple[list[str], list[str]]:
    keys, names = [], []
    for name, spellings in accepted_spellings().items():
        for spelling in spellings:
            key = _key(spelling)
            if key not in keys:
                keys.append(key)
                names.append(name)
    return keys, names


@dataclass(frozen=True)
class Name:
    """One LAMBDA defined name: its parameters (optional ones may be left out) and body, in Excel's display syntax."""

    name: str
    params: tuple[str, ...]
    body: str
    description: str
    optional: tuple[str, ...] = ()
    hidden: bool = False

    def display(self) -> str:
        """=LAMBDA(a,b,[c],body) as typed in Excel's Name Manager."""
        params = [*self.params, *(f"[{p}]" for p in self.optional)]
        return f"=LAMBDA({','.join(params)},{_squeeze(self.body)})"

    def definition(self) -> str:
        """The defined name's formula as a file stores it: _xlfn. before newer functions, _xlpm. before
        parameters and LET names, _xlop. for an optional parameter where it is declared."""
        return stored_form(self.display()[1:])

    def syntax(self) -> str:
        return f"{self.name}({', '.join([*self.params, *(f'[{p}]' for p in self.optional)])})"

    def calls(self) -> set[str]:
        """The other names this one calls."""
        return {found for found in re.findall(r"\b(SC\.[A-Z_]+)\(", self.body)}


def stored_form(display: str) -> str:
    """Excel's stored form of formula text in display syntax. Bound names (LAMBDA parameters, LET names) are
    written in lower case in this module and functions and defined names in upper case, which tells them apart."""
    parts = re.split(r'("(?:[^"]|"")*")', display)
    future = "|".join(re.escape(name) for name in sorted(_FUTURE, key=len, reverse=True))
    out = []
    for part in parts:
        if part.startswith('"'):
            out.append(part)
            continue
        part = re.sub(r"(?<![\w.])([a-z_][a-z0-9_]*)\b", r"_xlpm.\1", part)
        part = re.sub(r"\[_xlpm\.([a-z_][a-z0-9_]*)\]", r"_xlop.\1", part)
        part = re.sub(rf"(?<![\w.])({future})\(", r"_xlfn.\1(", part)
        out.append(part)
    return "".join(out)


def _err(text: str) -> str:
    """Formula text for '#ERR <message>' (SC.MSG cuts it at 80 characters, as udfs.cells.error_text does)."""
    return f"SC.MSG({text})"


# ---------------------------------------------------------------- hidden helpers

def _helpers() -> list[Name]:
    errors = sorted(EXCEL_ERRORS)
    codes = list(GSS_SHORTHAND) + [code for code in PLACEHOLDERS if code not in GSS_SHORTHAND]
    keys, polarity_names = _polarity_keys()
    return [
        Name("SC.MSG", ("m",), 'IF(LEN(m)>80,"#ERR "&LEFT(m,79)&"…","#ERR "&m)',
             "#ERR text as the add-in shows it.", hidden=True),
        Name("SC.ISERR", ("v",), 'IF(ISTEXT(v),LEFT(v,5)="#ERR ",FALSE)', "Whether a helper gave #ERR text.",
             hidden=True),
        Name("SC.WS", ("ch",), f"IF(ch=\"\",FALSE,ISNUMBER(XMATCH(UNICODE(ch),{_array(_WHITESPACE)})))",
             "Whether a character is whitespace to Python's str.strip().", hidden=True),
        Name("SC.STRIP", ("t",), """
            IF(LEN(t)=0,"",LET(
              n,LEN(t),
              first,REDUCE(0,SEQUENCE(n),LAMBDA(acc,i,IF(acc>0,acc,IF(SC.WS(MID(t,i,1)),0,i)))),
              last,REDUCE(0,SEQUENCE(n),LAMBDA(acc,i,IF(SC.WS(MID(t,i,1)),acc,i))),
              IF(first=0,"",MID(t,first,last-first+1))))""",
             "Text without leading and trailing whitespace (Python's str.strip()).", hidden=True),
        Name("SC.RSTRIP", ("t",), """
            IF(LEN(t)=0,"",LET(
              last,REDUCE(0,SEQUENCE(LEN(t)),LAMBDA(acc,i,IF(SC.WS(MID(t,i,1)),acc,i))),
              LEFT(t,last)))""", "Text without trailing whitespace (str.rstrip()).", hidden=True),
        Name("SC.RSTRIP_PCT", ("t",), """
            IF(LEN(t)=0,"",LET(
              n,LEN(t),
              k,REDUCE(0,SEQUENCE(n),LAMBDA(acc,i,IF(acc=i-1,IF(MID(t,n-i+1,1)="%",i,acc),acc))),
              LEFT(t,n-k)))""", "Text without trailing per-cent signs (str.rstrip('%')).", hidden=True),
        Name("SC.IS_NUMBER_TEXT", ("s",), f"""
            IF(LEN(s)=0,FALSE,ISNUMBER(XMATCH(
              REDUCE(0,SEQUENCE(LEN(s)),LAMBDA(state,i,LET(
                ch,MID(s,i,1),
                u,UNICODE(ch),
                class,IF(AND(u>=48,u<=57),1,IF(OR(ch="+",ch="-"),2,IF(ch=",",3,IF(ch=".",4,IF(OR(u=69,u=101),5,6))))),
                INDEX({_table(_NUMBER_STATES)},state+1,class)))),
              {_array(_NUMBER_ACCEPT)})))""",
             "Whether text is a number as scorecard.values reads one (its _NUMBER pattern).", hidden=True),
        Name("SC.ERROR_TEXT", ("x",), f'IFERROR(INDEX({_array(_ERROR_TYPES)},ERROR.TYPE(x)),"#N/A")',
             "An error value's text (#N/A ...).", hidden=True),
        Name("SC.REPR", ("x",), """
            IF(ISERROR(x),"'"&SC.ERROR_TEXT(x)&"'",IF(ISBLANK(x),"None",IF(ISLOGICAL(x),IF(x,"True","False"),
            IF(ISTEXT(x),"'"&x&"'",x&""))))""", "A cell's value in a message, as Python's repr.", hidden=True),
        Name("SC.READ_TEXT", ("t",), f"""
            LET(s,SC.STRIP(t),low,LOWER(s),
            IF(ISNUMBER(XMATCH(low,{_array(codes)})),low,
            IF(ISNUMBER(XMATCH(UPPER(s),{_array(errors)})),UPPER(s),
            LET(num,IF(RIGHT(s,1)="%",SC.RSTRIP(LEFT(s,LEN(s)-1)),s),
            IF(SC.IS_NUMBER_TEXT(num),
              LET(v,IFERROR(NUMBERVALUE(SUBSTITUTE(num,",",""),".",","),"#"),
                IF(ISNUMBER(v),v,{TOO_LARGE})),
            LET(gss_code,REDUCE("",{_array(list(GSS_SHORTHAND))},LAMBDA(found,gss,IF(found<>"",found,
                  IF(RIGHT(low,LEN(gss))=gss,
                    IF(SC.IS_NUMBER_TEXT(SC.RSTRIP(SC.RSTRIP_PCT(SC.STRIP(LEFT(low,LEN(low)-LEN(gss)))))),gss,""),
                  "")))),
              IF(gss_code<>"",gss_code,{NOT_A_NUMBER})))))))""",
             "Text read as scorecard.values reads it: a number, a missing-value code, or #ERR.", hidden=True),
        Name("SC.READ", ("x",), f"""
            IF(ISERROR(x),SC.ERROR_TEXT(x),
            IF(ISBLANK(x),"",
            IF(ISLOGICAL(x),{_err('IF(x,"True","False")&" is TRUE/FALSE, not a number"')},
            IF(ISNUMBER(x),x,
            SC.READ_TEXT(x)))))""",
             "A value cell: its number, its missing-value code (\"\" for blank) or #ERR text.", hidden=True),
        Name("SC.NUMBER_OR", ("x", "default", "label"), f"""
            IF(ISERROR(x),{_err('label&" "&SC.REPR(x)&" must be a number"')},
            IF(ISBLANK(x),default,
            IF(IF(ISTEXT(x),SC.STRIP(x)="",FALSE),default,
            LET(v,SC.READ(x),IF(ISNUMBER(v),v,{_err('label&" "&SC.REPR(x)&" must be a number"')})))))""",
             "An optional number: blank means the default (udfs.cells.number_or_default).", hidden=True),
        Name("SC.TEXT_OR", ("x", "default"), """
            IF(ISERROR(x),LOWER(SC.ERROR_TEXT(x)),
            IF(ISBLANK(x),default,
            LET(s,SC.STRIP(IF(ISLOGICAL(x),IF(x,"True","False"),x&"")),IF(s="",default,LOWER(s)))))""",
             "An optional text, lower case: blank means the default (udfs.cells.text_or_default).", hidden=True),
        Name("SC.POLARITY_OF", ("p",), f"""
            IF(ISERROR(p),"{Polarity.NONE.value}",
            IF(ISBLANK(p),"{Polarity.NONE.value}",
            IF(NOT(ISTEXT(p)),{_err('"polarity must be text, got "&SC.REPR(p)')},
            LET(s,SC.STRIP(p),
            IF(ISNUMBER(XMATCH(UPPER(s),{_array(errors)})),"{Polarity.NONE.value}",
            LET(key,IF(OR(s="+",s="-"),s,TRIM(REDUCE("",SEQUENCE(MAX(1,LEN(p))),LAMBDA(acc,i,LET(
                    ch,MID(LOWER(p),i,1),
                    u,IF(ch="",0,UNICODE(ch)),
                    acc&IF(OR(AND(u>=97,u<=122),AND(u>=48,u<=57)),ch," ")))))),
              found,XMATCH(key,{_array(keys)}),
              IF(ISNUMBER(found),INDEX({_array(polarity_names)},found),
                {_err('"unknown polarity "&SC.REPR(p)')})))))))""",
             "A polarity cell read as scorecard.polarity reads it: the canonical name or #ERR.", hidden=True),
        Name("SC.PICK", ("x", "i", "j"), "IF(AND(ROWS(x)=1,COLUMNS(x)=1),x,INDEX(x,i,j))",
             "One cell of an argument (a single cell goes with every cell).", hidden=True),
        Name("SC.FITS", ("x", "nr", "nc"), "OR(AND(ROWS(x)=1,COLUMNS(x)=1),AND(ROWS(x)=nr,COLUMNS(x)=nc))",
             "Whether an argument is one cell or the call's shape.", hidden=True),
    ]


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
    unknown_kind = _err(Q + "tolerance kind '" + Q + "&kind&" + Q + "' is not one of ('relative', 'absolute')" + Q)
    negative = _err(Q + "tolerance " + Q + "&amount&" + Q + " must be a number 0 or more" + Q)
    rest = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("av", "actual", _read("tv", "target", then)))
    return _checked("amount", 'SC.NUMBER_OR(tolerance,5,"tolerance")', f"""
        LET(kind,SC.TEXT_OR(tolerance_type,"relative"),
        IF(ISNA(XMATCH(kind,{{"relative","absolute"}})),{unknown_kind},
        IF(amount<0,{negative},{rest})))""")


_STATUS = formulas.rag_formula("av", "tv", "pol", "kind", "amount")
_SUPPRESSED = _array(sorted(SUPPRESSED_CODES))
_REASON = f"""
    IF({_STATUS}<>"{Status.NO_STATUS.value}","",
    IF(pol="{_NONE}","no polarity",
    IF(NOT(ISNUMBER(av)),
      IF(ISNUMBER(XMATCH(av,{_SUPPRESSED})),"value suppressed (","no value (")&IF(av="","blank",av)&")",
    "no target ("&IF(tv="","blank",tv)&")")))"""


def _threshold(then: str) -> str:
    return _checked("th", 'SC.NUMBER_OR(threshold,0,"threshold")', then)


def _threshold_not_negative(then: str) -> str:
    return f'IF(th<0,{_err(Q + "no-change threshold " + Q + "&th&" + Q + " must be a number 0 or more" + Q)},{then})'


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
        larger = f'IF(ev>bv,{_err(Q + "numerator " + Q + "&ev&" + Q + " is larger than denominator " + Q + "&bv")},'
    checks = f"""
        IF(ev<0,{_err(Q + "numerator " + Q + "&ev&" + Q + " must not be negative" + Q)},
        IF(bv<0,{_err(Q + "denominator " + Q + "&bv&" + Q + " must not be negative" + Q)},
        IF(bv=0,{_err(Q + "denominator is 0: no rate or proportion can be formed" + Q)},
        {larger}{then}{")" if larger else ""})))"""
    return _read("ev", first, _read("bv", second, f"""
        IF(NOT(ISNUMBER(ev)),"",IF(NOT(ISNUMBER(bv)),"",{options.replace("THEN", checks)}))"""))


_PER_REFUSED = _err(Q + "per " + Q + "&n&" + Q + " must be a number above 0 (10,000 for a rate per 10,000)" + Q)
_PER = _checked("n", 'SC.NUMBER_OR(per,10000,"per")', f"IF(NOT(n>0),{_PER_REFUSED},THEN)")
_LEVEL = _checked("lv", 'SC.NUMBER_OR(level,95,"level")', f"""
    LET(pct,IF(lv<1,lv*100,lv),
    IF(ABS(pct-95)<=1E-9*MAX(ABS(pct),95),LET(alpha,1-pct/100,z,NORM.S.INV(1-alpha/2),THEN),
    IF(ABS(pct-99.8)<=1E-9*MAX(ABS(pct),99.8),LET(alpha,1-pct/100,z,NORM.S.INV(1-alpha/2),THEN),
      {_err(Q + "confidence level " + Q + "&lv&" + Q + " must be 95 or 99.8" + Q)})))""")
_SIDE = 'LET(b,SC.TEXT_OR(bound,"both"),IF(b="both",which,IF(b="upper",2,1)))'

# Byar's method from 10 events, exact Poisson (gamma quantiles, the chi-squared relationship) below.
_POISSON = f"""
    IF(ev>=10,IF(side=1,ev*(1-1/(9*ev)-z/(3*SQRT(ev)))^3,(ev+1)*(1-1/(9*(ev+1))+z/(3*SQRT(ev+1)))^3),
    IF(ev<>INT(ev),{_err(Q + "events " + Q + "&ev&" + Q + " must be a whole number below 10 (exact method)" + Q)},
    IF(side=1,IF(ev=0,0,GAMMA.INV(alpha/2,ev,1)),GAMMA.INV(1-alpha/2,ev+1,1))))"""
_RATE_CI = _counts("events", "population", f"LET(side,{_SIDE},{_checked('mean', _POISSON, 'mean/bv*n')})",
                   options=_PER.replace("THEN", _LEVEL))
_WILSON = f"""LET(side,{_SIDE},p,ev/bv,centre,2*ev+z*z,spread,z*SQRT(z*z+4*ev*(1-p)),scale,2*(bv+z*z),
    IF(side=1,IF(ev=0,0,MAX(0,(centre-spread)/scale)),IF(ev=bv,1,MIN(1,(centre+spread)/scale)))*100)"""
_PERCENT_CI = _counts("numerator", "denominator", _WILSON, larger_refused=True, options=_LEVEL)

_COMPARE = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("lo", "lower_limit", _read("hi", "upper_limit", _read(
    "mark", "benchmark", f"""
    IF(NOT(ISNUMBER(lo)),"Not compared",IF(NOT(ISNUMBER(hi)),"Not compared",IF(NOT(ISNUMBER(mark)),"Not compared",
    IF(lo>hi,{_err(Q + "lower limit " + Q + "&lo&" + Q + " is above upper limit " + Q + "&hi")},
    IF(lo<=mark,IF(mark<=hi,"Similar",SC.SIDE(pol,lo>mark)),SC.SIDE(pol,lo>mark))))))"""))))


def _whole(cell: str, label: str, high: int) -> str:
    """A whole number 1..high as scorecard.risk._whole_number reads it: numbers, or text made of number
    characters that reads as a number; anything else refused with the Python message."""
    bad = _err(f'"{label} "&SC.REPR({cell})&" must be a whole number 1-{high}"')
    outside = _err(f'"{label} "&SC.REPR({cell})&" is outside 1-{high}"')
    return f"""IF(ISERROR({cell}),{bad},IF(ISBLANK({cell}),{bad},IF(ISLOGICAL({cell}),{bad},
        LET(v,IF(ISNUMBER({cell}),{cell},SC.FLOAT_TEXT({cell})),
        IF(NOT(ISNUMBER(v)),{bad},IF(v<>INT(v),{bad},IF(v<1,{outside},IF(v>{high},{outside},v))))))))"""


_RISK_SCORE = _checked("iv", _whole("impact", "impact", 5),
                       _checked("kv", _whole("likelihood", "likelihood", 5), "iv*kv"))
_BANDS_REFUSED = _err(Q + "risk bands ((1, 'Low'), (" + Q + "&moderate&" + Q + ", 'Moderate'), (" + Q + "&high&"
                      + Q + ", 'High')) must start at 1 and rise strictly, each (lowest score, level)" + Q)
_RISK_LEVEL = f"""
    IF(moderate<=1,{_BANDS_REFUSED},IF(high<=moderate,{_BANDS_REFUSED},IF(high>25,{_BANDS_REFUSED},
    {_checked("sv", _whole("score", "risk score", 25), 'IF(sv>=high,"High",IF(sv>=moderate,"Moderate","Low"))')})))"""
_BAND = _checked("pol", "SC.POLARITY_OF(polarity_text)", _read("v", "val", f"""
    IF(pol="{_NONE}","-",IF(pol="{_PLAN}","-",IF(NOT(ISNUMBER(v)),"-",IF(n_present=0,"-",
    IF(pol="{_BIGGER}",IF(v>q_high,"A",IF(v>q_mid,"B",IF(v>q_low,"C","D"))),
    IF(v<=q_low,"A",IF(v<=q_mid,"B",IF(v<=q_high,"C","D"))))))))"""))
_RANK = _read("v", "val", f"""
    IF(NOT(ISNUMBER(v)),"",{_checked("pol", "SC.POLARITY_OF(polarity_text)", f'''
    IF(pol="{_BIGGER}",1+SUM(present*(numbers>v)),IF(pol="{_SMALLER}",1+SUM(present*(numbers<v)),""))''')})""")


def _cell_helpers() -> list[Name]:
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
        size = _err('"ranges are different sizes; give ranges of one size, or single cells"')
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
_BAD_BOUND = _err(Q + "bound '" + Q + "&b&" + Q + "' must be lower, upper or both" + Q)
_BOUND_PROBLEM = f"""LET(b,{_FIRST_BOUND},
    IF(ISNA(XMATCH(b,{{"lower","upper","both"}})),{_BAD_BOUND},
    IF(b<>"both","",IF(ncols<>1,{_err(Q + "bound 'both' needs single-column ranges; use lower or upper" + Q)},""))))"""
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
    IF(moderate<>INT(moderate),{_err(Q + "moderate_from " + Q + "&moderate&" + Q + " must be a whole number" + Q)},
    IF(SC.ISERR(high),high,
    IF(high<>INT(high),{_err(Q + "high_from " + Q + "&high&" + Q + " must be a whole number" + Q)},""))))"""


def _publics() -> list[Public]:
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


def all_names() -> list[Name]:
    """Every name: the fifteen public ones, then the hidden helpers they call."""
    publics, kernels = [], []
    for public in _publics():
        name, kernel = public.names()
        publics.append(name)
        kernels.append(kernel)
    return [*publics, *kernels, *_cell_helpers(), *_helpers()]


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

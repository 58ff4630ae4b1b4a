"""The formula text of the LAMBDA names: Excel's display and stored forms, and the hidden helpers (SC.*)
every public name calls: reading a cell as scorecard.values does, a polarity as scorecard.polarity does,
whitespace as Python's str.strip(), optional arguments as udfs.cells. See addin/lambdas.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorecard.polarity import Polarity, accepted_spellings
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, PLACEHOLDERS

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


def array_constant(values) -> str:
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


def message(text: str) -> str:
    """Formula text for '#ERR <message>' (SC.MSG cuts it at 80 characters, as udfs.cells.error_text does)."""
    return f"SC.MSG({text})"


# ---------------------------------------------------------------- hidden helpers

def helpers() -> list[Name]:
    errors = sorted(EXCEL_ERRORS)
    codes = list(GSS_SHORTHAND) + [code for code in PLACEHOLDERS if code not in GSS_SHORTHAND]
    keys, polarity_names = _polarity_keys()
    return [
        Name("SC.MSG", ("m",), 'IF(LEN(m)>80,"#ERR "&LEFT(m,79)&"…","#ERR "&m)',
             "#ERR text as the add-in shows it.", hidden=True),
        Name("SC.ISERR", ("v",), 'IF(ISTEXT(v),LEFT(v,5)="#ERR ",FALSE)', "Whether a helper gave #ERR text.",
             hidden=True),
        Name("SC.WS", ("ch",), f"IF(ch=\"\",FALSE,ISNUMBER(XMATCH(UNICODE(ch),{array_constant(_WHITESPACE)})))",
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
              {array_constant(_NUMBER_ACCEPT)})))""",
             "Whether text is a number as scorecard.values reads one (its _NUMBER pattern).", hidden=True),
        Name("SC.ERROR_TEXT", ("x",), f'IFERROR(INDEX({array_constant(_ERROR_TYPES)},ERROR.TYPE(x)),"#N/A")',
             "An error value's text (#N/A ...).", hidden=True),
        Name("SC.REPR", ("x",), """
            IF(ISERROR(x),"'"&SC.ERROR_TEXT(x)&"'",IF(ISBLANK(x),"None",IF(ISLOGICAL(x),IF(x,"True","False"),
            IF(ISTEXT(x),"'"&x&"'",x&""))))""", "A cell's value in a message, as Python's repr.", hidden=True),
        Name("SC.READ_TEXT", ("t",), f"""
            LET(s,SC.STRIP(t),low,LOWER(s),
            IF(ISNUMBER(XMATCH(low,{array_constant(codes)})),low,
            IF(ISNUMBER(XMATCH(UPPER(s),{array_constant(errors)})),UPPER(s),
            LET(num,IF(RIGHT(s,1)="%",SC.RSTRIP(LEFT(s,LEN(s)-1)),s),
            IF(SC.IS_NUMBER_TEXT(num),
              LET(v,IFERROR(NUMBERVALUE(SUBSTITUTE(num,",",""),".",","),"#"),
                IF(ISNUMBER(v),v,{TOO_LARGE})),
            LET(gss_code,REDUCE("",{array_constant(list(GSS_SHORTHAND))},LAMBDA(found,gss,IF(found<>"",found,
                  IF(RIGHT(low,LEN(gss))=gss,
                    IF(SC.IS_NUMBER_TEXT(SC.RSTRIP(SC.RSTRIP_PCT(SC.STRIP(LEFT(low,LEN(low)-LEN(gss)))))),gss,""),
                  "")))),
              IF(gss_code<>"",gss_code,{NOT_A_NUMBER})))))))""",
             "Text read as scorecard.values reads it: a number, a missing-value code, or #ERR.", hidden=True),
        Name("SC.READ", ("x",), f"""
            IF(ISERROR(x),SC.ERROR_TEXT(x),
            IF(ISBLANK(x),"",
            IF(ISLOGICAL(x),{message('IF(x,"True","False")&" is TRUE/FALSE, not a number"')},
            IF(ISNUMBER(x),x,
            SC.READ_TEXT(x)))))""",
             "A value cell: its number, its missing-value code (\"\" for blank) or #ERR text.", hidden=True),
        Name("SC.NUMBER_OR", ("x", "default", "label"), f"""
            IF(ISERROR(x),{message('label&" "&SC.REPR(x)&" must be a number"')},
            IF(ISBLANK(x),default,
            IF(IF(ISTEXT(x),SC.STRIP(x)="",FALSE),default,
            LET(v,SC.READ(x),IF(ISNUMBER(v),v,{message('label&" "&SC.REPR(x)&" must be a number"')})))))""",
             "An optional number: blank means the default (udfs.cells.number_or_default).", hidden=True),
        Name("SC.TEXT_OR", ("x", "default"), """
            IF(ISERROR(x),LOWER(SC.ERROR_TEXT(x)),
            IF(ISBLANK(x),default,
            LET(s,SC.STRIP(IF(ISLOGICAL(x),IF(x,"True","False"),x&"")),IF(s="",default,LOWER(s)))))""",
             "An optional text, lower case: blank means the default (udfs.cells.text_or_default).", hidden=True),
        Name("SC.POLARITY_OF", ("p",), f"""
            IF(ISERROR(p),"{Polarity.NONE.value}",
            IF(ISBLANK(p),"{Polarity.NONE.value}",
            IF(NOT(ISTEXT(p)),{message('"polarity must be text, got "&SC.REPR(p)')},
            LET(s,SC.STRIP(p),
            IF(ISNUMBER(XMATCH(UPPER(s),{array_constant(errors)})),"{Polarity.NONE.value}",
            LET(key,IF(OR(s="+",s="-"),s,TRIM(REDUCE("",SEQUENCE(MAX(1,LEN(p))),LAMBDA(acc,i,LET(
                    ch,MID(LOWER(p),i,1),
                    u,IF(ch="",0,UNICODE(ch)),
                    acc&IF(OR(AND(u>=97,u<=122),AND(u>=48,u<=57)),ch," ")))))),
              found,XMATCH(key,{array_constant(keys)}),
              IF(ISNUMBER(found),INDEX({array_constant(polarity_names)},found),
                {message('"unknown polarity "&SC.REPR(p)')})))))))""",
             "A polarity cell read as scorecard.polarity reads it: the canonical name or #ERR.", hidden=True),
        Name("SC.PICK", ("x", "i", "j"), "IF(AND(ROWS(x)=1,COLUMNS(x)=1),x,INDEX(x,i,j))",
             "One cell of an argument (a single cell goes with every cell).", hidden=True),
        Name("SC.FITS", ("x", "nr", "nc"), "OR(AND(ROWS(x)=1,COLUMNS(x)=1),AND(ROWS(x)=nr,COLUMNS(x)=nc))",
             "Whether an argument is one cell or the call's shape.", hidden=True),
    ]

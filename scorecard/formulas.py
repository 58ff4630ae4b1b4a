"""The rules as spreadsheet formulas, written from the same definitions as the Python rules.

Each function returns formula text (no leading '=') over the cell references or LAMBDA
parameter names it is given, so the scorecard workbook and the LAMBDA named formulas share one
source. The arithmetic follows the Python rules operation for operation, so that Excel and
LibreOffice give the same answer at every boundary; the real-engine tests check this.
Only functions that Excel 2010 and LibreOffice 7.4 both know are used (no LET, no XLOOKUP).

Differences from the Python rules, by necessity: text in a value or target cell (including
a number typed as text) gives NO STATUS, as does a polarity the formula does not know,
since a formula cannot raise an error message.
"""

from __future__ import annotations

from scorecard.polarity import Polarity

_JUDGED = '{"' + '","'.join((Polarity.BIGGER.value, Polarity.SMALLER.value, Polarity.PLAN.value)) + '"}'


def _known_polarity(polarity: str) -> str:
    return f"ISNUMBER(MATCH({polarity},{_JUDGED},0))"


def _edge(reference: str) -> str:
    """scorecard.rag.edge_allowance: the slack for binary rounding, 1e-9 x max(1, |reference|)."""
    return f"1E-9*MAX(1,ABS({reference}))"


def rag_formula(actual: str, target: str, polarity: str, tolerance_kind: str, tolerance: str) -> str:
    """RAG status word: GREEN, AMBER, RED or NO STATUS (see scorecard.rag)."""
    a, t, p = actual, target, polarity
    allowance = f'IF({tolerance_kind}="absolute",{tolerance},{tolerance}/100*ABS({t}))'
    slack = _edge(t)
    sign = f'IF({p}="{Polarity.SMALLER.value}",-1,1)'
    plan = (
        f'IF(ABS({a}-{t})<={allowance}+{slack},"GREEN",'
        f'IF(ABS({a}-{t})<=2*{allowance}+{slack},"AMBER","RED"))'
    )
    directional = (
        f'IF(({a}-{t})*{sign}>=-{slack},"GREEN",'
        f'IF(-(({a}-{t})*{sign})<={allowance}+{slack},"AMBER","RED"))'
    )
    return (
        f'IF(OR(NOT({_known_polarity(p)}),NOT(ISNUMBER({a})),NOT(ISNUMBER({t}))),"NO STATUS",'
        f'IF({p}="{Polarity.PLAN.value}",{plan},{directional}))'
    )


def rag_symbol_formula(status: str) -> str:
    """004's symbol for a status word held in another cell."""
    return f'IF({status}="GREEN","★",IF({status}="AMBER","●",IF({status}="RED","▲","–")))'


def direction_formula(current: str, previous: str, polarity: str, threshold: str, target: str) -> str:
    """Direction of travel word: Improving, Declining, No change or Not comparable."""
    c, r, p, t = current, previous, polarity, target
    gain = (
        f'IF({p}="{Polarity.PLAN.value}",ABS({r}-{t})-ABS({c}-{t}),'
        f'({c}-{r})*IF({p}="{Polarity.SMALLER.value}",-1,1))'
    )
    return (
        f'IF(OR(NOT(ISNUMBER({c})),NOT(ISNUMBER({r})),NOT({_known_polarity(p)})),"Not comparable",'
        f'IF(AND({p}="{Polarity.PLAN.value}",NOT(ISNUMBER({t}))),"Not comparable",'
        f'IF(ABS({gain})<={threshold}+{_edge(r)},"No change",'
        f'IF({gain}>0,"Improving","Declining"))))'
    )


def arrow_formula(current: str, previous: str, threshold: str) -> str:
    """↑, ↓ or → for the value's movement; empty when either value is not a number."""
    c, r = current, previous
    return (
        f'IF(OR(NOT(ISNUMBER({c})),NOT(ISNUMBER({r}))),"",'
        f'IF(ABS({c}-{r})<={threshold}+{_edge(r)},"→",IF({c}>{r},"↑","↓")))'
    )


def risk_score_formula(impact: str, likelihood: str) -> str:
    """Impact x likelihood when both are whole numbers 1-5; "#N/A" text when out of range; "" when blank."""
    return (
        f'IF(AND(ISNUMBER({impact}),ISNUMBER({likelihood})),'
        f'IF(AND({impact}>=1,{impact}<=5,{likelihood}>=1,{likelihood}<=5,'
        f'INT({impact})={impact},INT({likelihood})={likelihood}),{impact}*{likelihood},"#N/A"),"")'
    )


def risk_level_formula(score: str) -> str:
    """Low, Moderate or High for a score cell (004's bands); "" when the score is not a number."""
    return f'IF(ISNUMBER({score}),IF({score}>=13,"High",IF({score}>=7,"Moderate","Low")),"")'


def risk_change_formula(score: str, previous: str) -> str:
    """Increasing, Decreasing or No change from a previous score; "" unless both are numbers."""
    return (f'IF(AND(ISNUMBER({score}),ISNUMBER({previous})),IF({score}>{previous},'
            f'"Increasing",IF({score}<{previous},"Decreasing","No change")),"")')


def rate_formula(events: str, population: str, per: str) -> str:
    """Events / population x per; "" unless both are numbers and the population is above 0."""
    return f'IF(AND(ISNUMBER({events}),ISNUMBER({population}),{population}>0),{events}/{population}*{per},"")'


def quartile_band_formula(value: str, values: str, polarity: str, shown: str = "TRUE") -> str:
    """Quartile band A-D of a value among a range, as scorecard.benchmarking (LAIT's rule): quartiles
    QUARTILE (= QUARTILE.INC, R's type 7), quarters closed on the upper side so a value on a quartile
    goes to the lower-valued band, A the best quarter given the polarity; "-" for a value that is
    not a number, a polarity other than Bigger or Smaller is Better, a range with no numbers, or
    where `shown` is FALSE (LAIT's No_Quartile measures)."""
    v, cuts = value, [f"QUARTILE({values},{k})" for k in (1, 2, 3)]
    return (f'IF(OR(NOT({shown}),NOT(ISNUMBER({v})),COUNT({values})=0),"-",'
            f'IF({polarity}="{Polarity.BIGGER.value}",{band_between_formula(v, *cuts, bigger=True)},'
            f'IF({polarity}="{Polarity.SMALLER.value}",{band_between_formula(v, *cuts, bigger=False)},"-")))')


def band_between_formula(value: str, low: str, mid: str, high: str, bigger: bool) -> str:
    """Band A-D of a number between the quartiles low, mid and high, as scorecard.benchmarking: quarters closed
    on the upper side (a value on a quartile goes to the lower-valued band), A the best quarter (the highest
    when bigger is better, the lowest otherwise). Used by quartile_band_formula and the QUARTILE_BAND LAMBDA."""
    v = value
    if bigger:
        return f'IF({v}>{high},"A",IF({v}>{mid},"B",IF({v}>{low},"C","D")))'
    return f'IF({v}<={low},"A",IF({v}<={mid},"B",IF({v}<={high},"C","D")))'



def rank_formula(value: str, values: str, polarity: str) -> str:
    """Rank of a value among a range, as scorecard.benchmarking: 1 + how many numbers are strictly
    better (ties share the better rank); "-" for a value that is not a number or a polarity other
    than Bigger or Smaller is Better. Text in the range (shorthand such as [x]) counts for nothing."""
    v = value
    return (f'IF(NOT(ISNUMBER({v})),"-",'
            f'IF({polarity}="{Polarity.BIGGER.value}",SUMPRODUCT(ISNUMBER({values})*({values}>{v}))+1,'
            f'IF({polarity}="{Polarity.SMALLER.value}",SUMPRODUCT(ISNUMBER({values})*({values}<{v}))+1,"-")))')

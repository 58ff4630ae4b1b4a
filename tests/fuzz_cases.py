"""What the return fuzzer types, and where (see return_fuzzer.py): the values a person
types and what the oracle expects of each (`Typed`), a case, a return open in openpyxl
(`Editing`) and the saved return as zip members (`Package`)."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from openpyxl.cell.cell import MergedCell
from openpyxl.styles.numbers import is_date_format

from generator.collection.store import Authority
from scorecard.catalogue import Catalogue

PERIOD = "2024-25 Q1"
COVER, META = "Cover", "_scorecard_meta"
COLUMNS = "ABCDEFGHIJK"
INPUT = {"F": "numerator", "G": "denominator", "H": "value", "I": "target", "J": "commentary"}
FRACTIONS = ("percentage", "rate per 10,000", "rate per 1,000", "rate per 100,000")
# the oracle's own rules: (minimum, maximum, whole) of a value or target, per unit
RANGES = {"percentage": (0, 100, False), "percentage points": (-100, 100, False),
          "count": (0, None, True), "days": (0, None, False), "weeks": (0, None, False),
          "months": (0, None, False), "FTE": (0, None, False), "ratio": (0, None, False),
          "score": (None, None, False), "currency": (None, None, False),
          **{unit: (0, None, False) for unit in FRACTIONS[1:]}}
REFUSING = ("not_a_template", "template_version", "refused")
# codes given to an input cell read as such: they need the row (and its sheet) as issued;
# the cells of a row or sheet that is not are kept as raw text, unchecked
ROW_CODES = ("text_in_number", "out_of_range", "number_as_text", "formula_no_value",
             "spreadsheet_error")


# -- what a person types ------------------------------------------------------------------------
@dataclass
class Typed:
    """One typed cell as the oracle knows it: the text a person saw (raw), the number if they
    typed one, whether the text must be kept whole, and the problem its class needs."""

    text: str
    number: float | None = None
    whole: bool = True
    expect: str | None = None  # problem code the class needs, in a clean row
    how: str = ""  # the mutation that typed it
    readable: bool = True  # False: a formula or damage (what a metadata cell says is lost)


def text_of(value) -> str:
    """The oracle's own idea of a cell's text: numbers shortest, dates ISO, TRUE/FALSE."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


JUNK = ["about 12", "lots", "😀", "🙂 about 40", "NaN", "nan", "inf", "-Infinity", "1e999",
        "12..5", "twelve", "1 234 567", "0x1F", "1_000", "£12", "12 £", "N/A!"]
TEXTS = ["as expected", "Data from the new case system; see note 3.", "naïve café – ü ß",
         "line one\nline two", "  leading and trailing  ", "a & b < c > d \" ' ",
         "تقرير", "報告書", "emoji 📈📉", "'quoted", "@mention", "+44 20 7946 0000",
         "-5 on last year", "=HYPERLINK(\"http://x\")"]


def _decimal(rnd: random.Random, low: float, high: float, places: int = 3) -> float:
    return round(rnd.uniform(low, high), rnd.randint(0, places))


def person_value(rnd: random.Random, kind: str | None = None):
    """(value as openpyxl is given it, class) for what a person might type in any cell."""
    kind = kind or rnd.choice(["number", "number", "number", "decimal", "negative", "big",
                               "shorthand", "flagged", "placeholder", "junk", "comma",
                               "percent_text", "bool", "date", "datetime", "time", "text",
                               "text", "long", "formula", "zero", "fraction"])
    if kind == "number":
        return rnd.randint(0, 5000), kind
    if kind == "zero":
        return 0, kind
    if kind == "decimal":
        return _decimal(rnd, 0, 1000), kind
    if kind == "fraction":
        return _decimal(rnd, 0.001, 1), kind
    if kind == "negative":
        return -rnd.randint(1, 500), kind
    if kind == "big":
        return rnd.choice([101, 120, 1e20, 123456789012, 250.5]), kind
    if kind == "shorthand":
        return rnd.choice(["[c]", "[x]", "[z]", "[u]", "[low]", "[C]"]), kind
    if kind == "flagged":
        return rnd.choice(["12.3 [u]", "40 [c]", "7 [low]"]), kind
    if kind == "placeholder":
        return rnd.choice(["n/a", "tbc", "NA", "-", "unknown"]), kind
    if kind == "junk":
        return rnd.choice(JUNK), kind
    if kind == "comma":
        return rnd.choice(["1,234", "12,345.5", " 42", "7.50", "+8", "1e3"]), kind
    if kind == "percent_text":
        return rnd.choice(["86.5%", "101%", "0.5%", "12 %"]), kind
    if kind == "bool":
        return rnd.random() < 0.5, kind
    if kind == "date":
        return dt.date(2024, rnd.randint(1, 12), rnd.randint(1, 28)), kind
    if kind == "datetime":
        return dt.datetime(2024, 3, rnd.randint(1, 28), rnd.randint(1, 23), 30, 15), kind
    if kind == "time":
        return dt.time(rnd.randint(0, 23), rnd.randint(0, 59)), kind
    if kind == "text":
        return rnd.choice(TEXTS), kind
    if kind == "long":
        return ("Referrals rose after the school term. " * 900)[:rnd.choice(
            [500, 2001, 5000, 32_767])], kind
    return rnd.choice(["=1+1", "=SUM(H4:H9)", "=H4*100", "=cmd|' /C calc'!A0"]), "formula"


def typed_for(value, kind: str, unit: str | None, field: str | None) -> Typed:
    """What the oracle expects of `value` typed in a cell (unit and field if an input cell)."""
    if kind == "formula":
        return Typed(value, expect="formula_no_value" if field else None)
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None
    typed = Typed(text_of(value), number)
    rule = _rule(unit, field)
    if rule is None:
        return typed
    if kind in ("junk", "date", "datetime", "time", "bool"):
        typed.expect = "text_in_number"
    elif kind == "comma":
        typed.expect = "number_as_text"
    elif number is not None:
        low, high, whole = rule
        if (low is not None and number < low) or (high is not None and number > high) \
                or (whole and not number.is_integer()):
            typed.expect = "out_of_range"
    return typed


def _rule(unit: str | None, field: str | None):
    """(min, max, whole) if the cell is a number cell the unit uses, else None."""
    if unit is None or field is None:
        return None
    if field in ("numerator", "denominator"):
        return (0, None, False) if unit in FRACTIONS else None
    if field in ("value", "target") and unit in RANGES:
        return RANGES[unit]
    return None


# -- a case ------------------------------------------------------------------------------------
@dataclass
class Template:
    kind: str
    authority: Authority
    data: bytes
    catalogue: Catalogue
    units: dict[str, str]


@dataclass
class Case:
    seed: int
    template: Template
    path: Path
    typed: dict[tuple[str, str], Typed] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)
    refused: str | None = None  # the code a deliberately unreadable return must get
    dirty_rows: set[tuple[str, int]] = field(default_factory=set)  # no code expected there


def ref_of(col: int, row: int) -> str:
    letters, col = "", col + 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def split_ref(ref: str) -> tuple[int, int]:
    match = re.match(r"([A-Z]+)([0-9]+)$", ref)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return col - 1, int(match.group(2))


class Editing:
    """A return open in openpyxl, and what was typed in it."""

    def __init__(self, case: Case, book):
        self.case, self.book = case, book

    def themes(self):
        return [s for s in self.book.worksheets if s.title not in (COVER, META)]

    def rows(self, sheet) -> dict[int, str]:
        """Row number -> hidden indicator id, for the rows holding one."""
        return {r: sheet.cell(r, 11).value for r in range(4, sheet.max_row + 1)
                if isinstance(sheet.cell(r, 11).value, str) and sheet.cell(r, 11).value}

    def type(self, sheet, ref: str, value, kind: str, how: str, unit=None, field=None):
        if isinstance(value, str) and not value.strip() and kind != "text":
            return
        if isinstance(sheet[ref], MergedCell):
            return  # inside a merged range: Excel does not let a person type there
        current = sheet[ref].value
        if type(current) is type(value) and current == value:
            return  # typed what was there: nothing typed
        sheet[ref].value = value
        if isinstance(value, int | float) and not isinstance(value, bool) \
                and is_date_format(sheet[ref].number_format) and 0 <= value < 2_958_465:
            value, kind = shown_date(value), "date"  # a date-formatted cell shows a date
        typed = typed_for(value, kind, unit, field)
        typed.how = how
        self.case.typed[(sheet.title, ref)] = typed

    def shift(self, sheet_title: str, at: int, by: int) -> None:
        """Typed cells of a sheet at or below row `at` move by `by` rows (insert/delete)."""
        moved = {}
        for (title, ref), typed in list(self.case.typed.items()):
            col, row = split_ref(ref)
            if title == sheet_title and row >= at:
                del self.case.typed[(title, ref)]
                moved[(title, ref_of(col, row + by))] = typed
        self.case.typed.update(moved)
        self.case.dirty_rows = {(t, r + by if t == sheet_title and r >= at else r)
                                for t, r in self.case.dirty_rows}


def fill(edit: Editing, rnd: random.Random, share: float) -> None:
    """Type values in a share of the input cells, as a person filling the return would."""
    units = edit.case.template.units
    for sheet in edit.themes():
        for row, indicator_id in edit.rows(sheet).items():
            unit = units.get(indicator_id)
            for col, field_name in INPUT.items():
                if rnd.random() > share:
                    continue
                value, kind = _fitting(rnd, unit, field_name)
                edit.type(sheet, f"{col}{row}", value, kind, "fill", unit, field_name)


def _fitting(rnd: random.Random, unit: str, field_name: str):
    """Mostly what the cell asks for, sometimes anything at all."""
    if rnd.random() < 0.25:
        return person_value(rnd)
    if field_name == "commentary" or unit == "text":
        return rnd.choice(TEXTS), "text"
    if unit == "yes/no":
        return rnd.choice(["Yes", "No", "yes"]), "text"
    if unit == "date":
        return dt.date(2024, rnd.randint(1, 12), rnd.randint(1, 28)), "date"
    if field_name in ("numerator", "denominator"):
        return rnd.randint(1, 900), "number"
    if unit in ("percentage", "percentage points"):
        return _decimal(rnd, 1.5, 99, 1), "decimal"
    return rnd.randint(0, 5000), "number"


# -- the zip and its XML -----------------------------------------------------------------------
class Package:
    """The saved return as zip members, with the sheet parts found by stdlib XML parsing."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.members = {info.filename: archive.read(info) for info in archive.infolist()}
        book = ET.fromstring(self.members["xl/workbook.xml"])
        rels = ET.fromstring(self.members["xl/_rels/workbook.xml.rels"])
        targets = {r.get("Id"): r.get("Target") for r in rels}
        # other valid spellings of a sheet's XML, applied when the zip is written (so the
        # mutations after them still find the cells): part -> transforms
        self.spellings: dict[str, list] = {}
        self.sheets = {}
        for sheet in book.iter():
            if sheet.tag.endswith("}sheet"):
                rid = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
                target = targets[rid]
                self.sheets[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                                  else str(PurePosixPath("xl") / target))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.members.items():
                for spell in self.spellings.get(name, ()):
                    data = spell(data)
                archive.writestr(name, data)
        return buffer.getvalue()

    def xml(self, sheet: str) -> bytes:
        return self.members[self.sheets[sheet]]

    def set_xml(self, sheet: str, xml: bytes) -> None:
        self.members[self.sheets[sheet]] = xml


def cell_pattern(ref: str):
    return re.compile(rb'<c r="' + ref.encode() + rb'"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.S)


def put_cell(package: Package, sheet: str, ref: str, cell_xml: bytes) -> None:
    """Replace the <c> at ref, or add it to its row (or a new row at the end)."""
    xml = package.xml(sheet)
    pattern = cell_pattern(ref)
    if pattern.search(xml):
        xml = pattern.sub(lambda _: cell_xml, xml, count=1)
    else:
        row = str(split_ref(ref)[1]).encode()
        found = re.search(rb'<row r="' + row + rb'"(?:\s[^>]*?)?(/>|>.*?</row>)', xml, re.S)
        if found:
            whole = found.group(0)
            body = (whole[:-2] + b">" + cell_xml + b"</row>" if whole.endswith(b"/>")
                    else whole[:-6] + cell_xml + b"</row>")
            xml = xml.replace(whole, body, 1)
        else:
            new_row = b'<row r="' + row + b'">' + cell_xml + b"</row>"
            if b"<sheetData />" in xml or b"<sheetData/>" in xml:
                xml = re.sub(rb"<sheetData\s*/>", b"<sheetData>" + new_row + b"</sheetData>", xml)
            else:
                xml = xml.replace(b"</sheetData>", new_row + b"</sheetData>", 1)
    package.set_xml(sheet, xml)


def escape(text: str) -> bytes:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .encode("utf-8"))


def inline(ref: str, text: str) -> bytes:
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return (b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t' + space + b">" + escape(text)
            + b"</t></is></c>")




def shown_date(serial: float):
    """What a date-formatted number shows (the 1900 date system, as Excel)."""
    day, fraction = divmod(serial, 1)
    moment = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if serial < 1 and moment.days == 0:
        return (dt.datetime.min + moment).time()
    if 0 < serial < 60:
        day += 1
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=day) + moment

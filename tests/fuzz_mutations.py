"""The return fuzzer's mutations (see return_fuzzer.py): the openpyxl level (m_*: what a person
does in Excel) and the zip/XML level (x_*: what broken tools do). Each records what it typed
in the case, so the oracle never asks the reader."""

from __future__ import annotations

import copy
import datetime as dt
import re

from fuzz_cases import (
    COLUMNS,
    COVER,
    INPUT,
    META,
    Case,
    Typed,
    cell_pattern,
    escape,
    inline,
    person_value,
    put_cell,
    ref_of,
    shown_date,
    split_ref,
    text_of,
    typed_for,
)
from openpyxl.cell.cell import MergedCell


# -- openpyxl-level mutations -------------------------------------------------------------------
def _some_row(edit, rnd):
    """(a theme sheet, one of its indicator rows or None if it has none)."""
    sheet = rnd.choice(edit.themes())
    rows = list(edit.rows(sheet))
    return sheet, rnd.choice(rows) if rows else None


def m_values(edit, rnd):
    """Any kind of value in input cells, applicable or not."""
    units = edit.case.template.units
    for _ in range(rnd.randint(1, 6)):
        sheet, row = _some_row(edit, rnd)
        if row is None:
            continue
        col = rnd.choice(list(INPUT))
        value, kind = person_value(rnd)
        edit.type(sheet, f"{col}{row}", value, kind, "values", units.get(edit.rows(sheet)[row]),
                  INPUT[col])


def m_extra_cells(edit, rnd):
    """Cells typed outside the input cells: beside the rows, above them, far below, on the
    cover, in the hidden metadata, on a new sheet."""
    for _ in range(rnd.randint(1, 5)):
        where = rnd.choice(["beside", "above", "below", "cover", "meta", "new"])
        value, kind = person_value(rnd)
        if where == "cover":
            sheet, ref = edit.book[COVER], ref_of(rnd.randint(0, 8), rnd.choice(
                [1, 2, 3, 10, 25, 30, 60, 999]))
        elif where == "meta":
            sheet = edit.book[META]
            ref = ref_of(rnd.randint(4, 7), rnd.randint(1, 40)) if rnd.random() < 0.6 else \
                ref_of(rnd.randint(0, 3), sheet.max_row + rnd.randint(2, 30))
        elif where == "new":
            name = rnd.choice(["Notes", "Workings", "Sheet1", "Data (2)"])
            sheet = edit.book[name] if name in edit.book.sheetnames else \
                edit.book.create_sheet(name)
            ref = ref_of(rnd.randint(0, 30), rnd.randint(1, 200))
        else:
            sheet = rnd.choice(edit.themes())
            last = max(edit.rows(sheet) or [4])
            ref = (ref_of(rnd.randint(11, 25), rnd.randint(1, last + 5)) if where == "beside"
                   else ref_of(rnd.randint(1, 10), rnd.randint(1, 2)) if where == "above"
                   else ref_of(rnd.randint(0, 25), last + rnd.randint(2, 900)))
        if where == "cover" and ref in ("B4", "B5"):
            continue
        edit.type(sheet, ref, value, kind, f"extra {where}")


def m_insert_rows(edit, rnd):
    """A row inserted among the indicators (or above the headings) and filled across."""
    sheet = rnd.choice(edit.themes())
    rows = list(edit.rows(sheet))
    at = rnd.choice(rows + [max(rows or [4]) + 1, 2, 3])
    sheet.insert_rows(at)
    edit.shift(sheet.title, at, 1)
    edit.case.dirty_rows.add((sheet.title, at))
    for col in rnd.sample("ABCDEFGHIJLM", rnd.randint(1, 6)):
        value, kind = person_value(rnd)
        edit.type(sheet, f"{col}{at}", value, kind, "inserted row")


def m_delete_row(edit, rnd):
    """An indicator row deleted: what was typed in it is gone (the person deleted it)."""
    sheet, at = _some_row(edit, rnd)
    if at is None:
        return
    for key in [k for k in edit.case.typed if k[0] == sheet.title and split_ref(k[1])[1] == at]:
        del edit.case.typed[key]
    sheet.delete_rows(at)
    edit.shift(sheet.title, at + 1, -1)


def m_swap_rows(edit, rnd):
    """Two indicator rows swapped across every column (a sort)."""
    sheet = rnd.choice(edit.themes())
    rows = list(edit.rows(sheet))
    if len(rows) < 2:
        return
    a, b = rnd.sample(rows, 2)
    width = max(sheet.max_column, 11)
    moved = set()  # 0-based columns swapped (a merged cell stays where it is)
    for col in range(1, width + 1):  # values and formats, as a sort moves them
        top, bottom = sheet.cell(a, col), sheet.cell(b, col)
        if isinstance(top, MergedCell) or isinstance(bottom, MergedCell):
            continue
        styles = copy.copy(bottom._style), copy.copy(top._style)  # before: a date sets one
        top.value, bottom.value = bottom.value, top.value
        top._style, bottom._style = styles
        moved.add(col - 1)
    typed = edit.case.typed
    swapped = {}
    for (title, ref) in [k for k in typed if k[0] == sheet.title]:
        col, row = split_ref(ref)
        if row in (a, b) and col in moved:
            swapped[(title, ref_of(col, b if row == a else a))] = typed.pop((title, ref))
    typed.update(swapped)


def m_rename_sheet(edit, rnd):
    """A theme sheet renamed."""
    sheet = rnd.choice(edit.themes())
    old, new = sheet.title, rnd.choice(["My figures", "Q1 data", "Copy of data", "Sheet 9"])
    if new in edit.book.sheetnames:
        return
    sheet.title = new
    edit.case.typed = {((new if t == old else t), ref): v for (t, ref), v in edit.case.typed.items()}
    edit.case.dirty_rows = {((new if t == old else t), r) for t, r in edit.case.dirty_rows}


def m_delete_sheet(edit, rnd):
    """A theme sheet deleted, with what was typed on it."""
    themes = edit.themes()
    if len(themes) < 2:
        return
    sheet = rnd.choice(themes)
    edit.case.typed = {k: v for k, v in edit.case.typed.items() if k[0] != sheet.title}
    edit.book.remove(sheet)


def m_merge(edit, rnd):
    """Cells merged: only the top-left keeps its value (openpyxl, like Excel, clears the rest)."""
    sheet, row = _some_row(edit, rnd)
    if row is None:
        return
    first, last = rnd.choice([("H", "I"), ("F", "H"), ("I", "J"), ("L", "N")])
    sheet.merge_cells(f"{first}{row}:{last}{row}")
    start, end = split_ref(f"{first}{row}")[0], split_ref(f"{last}{row}")[0]
    for col in range(start + 1, end + 1):
        edit.case.typed.pop((sheet.title, ref_of(col, row)), None)


def m_overwrite_template(edit, rnd):
    """Typing over the template's own text: a name, unit, heading, title, code, hidden id."""
    sheet, row = _some_row(edit, rnd)
    if row is None:
        return
    what = rnd.choice(["name", "unit", "heading", "title", "note", "code", "hidden"])
    ids = list(edit.case.template.units)
    if what == "code":
        value = rnd.choice([ids[0], "MY-CODE", "x"])
        edit.case.dirty_rows.add((sheet.title, row))
        edit.type(sheet, f"A{row}", value, "text", "over code")
    elif what == "hidden":
        value = rnd.choice([rnd.choice(ids), "no-such-id"])
        edit.case.dirty_rows.add((sheet.title, row))
        for other in edit.themes():  # the row it now duplicates is no longer clean either
            edit.case.dirty_rows |= {(other.title, r) for r, i in edit.rows(other).items()
                                     if i == value}
        edit.type(sheet, f"K{row}", value, "text", "over hidden id")
    else:
        ref = {"name": f"B{row}", "unit": f"D{row}", "heading": f"{rnd.choice(COLUMNS)}3",
               "title": "A1", "note": "A2"}[what]
        value, kind = person_value(rnd, rnd.choice(["text", "number", "junk"]))
        edit.type(sheet, ref, value, kind, f"over {what}")


def m_formats(edit, rnd):
    """A per-cent or date format put on typed input cells: the oracle expects what is shown."""
    cells = [(t, ref) for (t, ref), v in edit.case.typed.items()
             if t not in (COVER, META) and v.number is not None and ref[0] in INPUT]
    for title, ref in rnd.sample(cells, min(len(cells), rnd.randint(1, 3))):
        sheet = edit.book[title]
        typed = edit.case.typed[(title, ref)]
        if rnd.random() < 0.5:
            sheet[ref].number_format = "0.0%"
            typed.expect = None  # read as shown (x100) or used unscaled: both reported
            typed.how += " +percent format"
            edit.case.dirty_rows.add((title, split_ref(ref)[1]))
        elif 0 <= typed.number < 2_958_465:
            sheet[ref].number_format = "dd/mm/yyyy"
            typed.text = text_of(shown_date(typed.number))
            typed.number, typed.expect = None, None
            typed.how += " +date format"
            edit.case.dirty_rows.add((title, split_ref(ref)[1]))


def m_cover(edit, rnd):
    """The authority or period on the cover changed (the return is quarantined)."""
    ref = rnd.choice(["B4", "B5"])
    value = rnd.choice(["E99", "2023-24 Q4", "", "e1"])
    if value:
        edit.type(edit.book[COVER], ref, value, "text", "cover")


def m_meta(edit, rnd):
    """The hidden metadata edited: a row number damaged, or a row's id cleared."""
    sheet = edit.book[META]
    rows = [r for r in range(13, sheet.max_row + 1) if sheet.cell(r, 3).value]
    if not rows:
        return
    row = rnd.choice(rows)
    if rnd.random() < 0.5:
        edit.type(sheet, f"B{row}", rnd.choice(["abc", "-3", "4.5", "[c]"]), "junk", "meta row")
    else:
        edit.type(sheet, f"D{row}", rnd.choice(["parsec", "count", "%"]), "text", "meta unit")


OPENPYXL_MUTATIONS = [m_values, m_values, m_extra_cells, m_extra_cells, m_insert_rows,
                      m_delete_row, m_swap_rows, m_rename_sheet, m_delete_sheet, m_merge,
                      m_overwrite_template, m_formats, m_cover, m_meta]


def _unit_field(case: Case, package_sheet: str, ref: str, book_rows) -> tuple:
    """(unit, field) if ref is an input cell of a clean indicator row, else (None, None)."""
    col, row = split_ref(ref)
    letter = ref[0]
    if len(ref.rstrip("0123456789")) != 1 or letter not in INPUT:
        return None, None
    indicator_id = book_rows.get((package_sheet, row))
    if indicator_id is None or (package_sheet, row) in case.dirty_rows:
        return None, None
    return case.template.units.get(indicator_id), INPUT[letter]


def x_values(case, package, rnd, rows):
    """Values only the file format can hold: NaN, INF, 1e999 saved as numbers, error values,
    a formula with no saved value, bad TRUE/FALSE, unknown types, shared-text indexes."""
    for _ in range(rnd.randint(1, 4)):
        sheet, ref = _some_cell(case, package, rnd, rows)
        if (sheet, ref) in case.typed and not case.typed[(sheet, ref)].whole:
            continue  # its XML was damaged already (a bad reference, saved twice)
        unit, field_name = _unit_field(case, sheet, ref, rows)
        choice = rnd.choice(["NaN", "INF", "-inf", "1e999", "Infinity", "error", "error_f",
                             "formula", "bool", "bad_bool", "bad_type", "bad_sst", "spaces",
                             "date_t", "bad_date"])
        r = ref.encode()
        if choice in ("NaN", "INF", "-inf", "1e999", "Infinity"):
            xml, typed = (b'<c r="' + r + b'" t="n"><v>' + choice.encode() + b"</v></c>",
                          Typed(choice, expect="damaged_cell"))
        elif choice in ("error", "error_f"):
            error = rnd.choice(["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
            formula = b"<f>1/0</f>" if choice == "error_f" else b""
            xml = b'<c r="' + r + b'" t="e">' + formula + b"<v>" + error.encode() + b"</v></c>"
            typed = Typed(error, expect="spreadsheet_error" if field_name else None)
        elif choice == "formula":
            xml = b'<c r="' + r + b'"><f>SUM(A1:A2)</f></c>'
            typed = Typed("=SUM(A1:A2)", expect="formula_no_value" if field_name else None)
        elif choice == "bool":
            xml, typed = b'<c r="' + r + b'" t="b"><v>1</v></c>', typed_for(
                True, "bool", unit, field_name)
        elif choice == "bad_bool":
            xml, typed = (b'<c r="' + r + b'" t="b"><v>2</v></c>',
                          Typed("2", expect="damaged_cell"))
        elif choice == "bad_type":
            xml, typed = (b'<c r="' + r + b'" t="zz"><v>5</v></c>',
                          Typed("5", expect="damaged_cell"))
        elif choice == "bad_sst":
            xml, typed = (b'<c r="' + r + b'" t="s"><v>99999</v></c>',
                          Typed("99999", expect="damaged_cell"))
        elif choice == "spaces":
            number = rnd.randint(1, 99)
            xml = b'<c r="' + r + b'"><v> ' + str(number).encode() + b" </v></c>"
            typed = typed_for(number, "number", unit, field_name)
        elif choice == "date_t":
            xml = b'<c r="' + r + b'" t="d"><v>2024-06-30T00:00:00</v></c>'
            typed = typed_for(dt.date(2024, 6, 30), "date", unit, field_name)
        else:
            xml, typed = (b'<c r="' + r + b'" t="d"><v>soon</v></c>',
                          Typed("soon", expect="damaged_cell"))
        typed.how = f"xml {choice}"
        typed.readable = choice not in ("NaN", "INF", "-inf", "1e999", "Infinity", "error_f",
                                        "formula", "bad_bool", "bad_type", "bad_sst",
                                        "bad_date")
        put_cell(package, sheet, ref, xml)
        case.typed[(sheet, ref)] = typed
        _touch(case, sheet, ref)


def _touch(case, sheet: str, ref: str) -> None:
    """A row whose code or hidden id was changed is no longer as issued."""
    if ref.rstrip("0123456789") in ("A", "K"):
        case.dirty_rows.add((sheet, split_ref(ref)[1]))


def _some_cell(case, package, rnd, rows) -> tuple[str, str]:
    """A cell to damage: mostly an input cell of an indicator row, sometimes anywhere."""
    themes = [s for s in package.sheets if s not in (COVER, META)]
    sheet = rnd.choice(themes) if rnd.random() < 0.9 else rnd.choice(list(package.sheets))
    own = [r for (s, r) in rows if s == sheet]
    if sheet == META:
        return sheet, _meta_cell(case, rnd)
    if own and rnd.random() < 0.8:
        return sheet, f"{rnd.choice(list(INPUT))}{rnd.choice(own)}"
    return sheet, ref_of(rnd.randint(0, 20), rnd.randint(1, 60))


def _meta_cell(case, rnd) -> str:
    """A cell of the hidden metadata where typing can be told from the template's own: a
    key, a value the cover or the catalogue shows, beyond column D, below the table. Not a
    row of the table, where another valid sheet name or row number reads as a moved row,
    nor issued_at, which nothing shows (both documented limits)."""
    pick = rnd.random()
    if pick < 0.3:
        return ref_of(rnd.randint(0, 1), rnd.randint(1, 9))
    if pick < 0.7:
        return ref_of(rnd.randint(4, 20), rnd.randint(1, 60))
    return ref_of(rnd.randint(0, 3), 12 + len(case.template.units) + rnd.randint(2, 30))


def x_damage_typed(case, package, rnd, rows):
    """One typed cell damaged in its attributes: a bad style index (the value survives), a
    damaged reference (found by its position), or saved twice."""
    cells = [(s, r) for (s, r) in case.typed if s in package.sheets
             and cell_pattern(r).search(package.xml(s))]
    if not cells:
        return
    sheet, ref = rnd.choice(cells)
    xml = package.xml(sheet)
    cell = cell_pattern(ref).search(xml).group(0)
    typed = case.typed[(sheet, ref)]
    col, row = split_ref(ref)
    choice = rnd.choice(["style", "ref", "twice"])
    if choice == "ref":
        left = cell_pattern(ref_of(col - 1, row)).search(xml) if col else None
        adjacent = left is None and col == 0 or left is not None and \
            xml.find(cell, left.end()) == left.end()
        if not adjacent or col > 10 or row < 4:
            choice = "style"  # a cell is found by position only right after its left one
    if choice == "style":
        new = re.sub(rb'\ss="[^"]*"', b"", cell, count=1).replace(
            b"<c ", b'<c s="' + rnd.choice([b"NaN", b"99999", b"-1"]) + b'" ', 1)
        typed.expect, typed.whole = "damaged_format", False  # a date would show its number
    elif choice == "ref":
        _touch(case, sheet, ref)
        letters = ref.rstrip("0123456789")
        new = cell.replace(b'r="' + ref.encode() + b'"', f'r="{row}{letters}"'.encode(), 1)
        typed.expect, typed.whole = "damaged_cell", False
    else:
        _touch(case, sheet, ref)
        new = cell + inline(ref, "a second value")
        typed.expect, typed.whole = "damaged_cell", False
    package.set_xml(sheet, xml.replace(cell, new, 1))
    typed.how += f" +xml {choice}"


def x_syntax(case, package, rnd, rows):
    """The same sheet in another valid spelling of XML (applied when the zip is written):
    single quotes, a namespace prefix, no references on a row's leading cells, UTF-16, a
    lying dimension."""
    sheet = rnd.choice(list(package.sheets))
    choice = rnd.choice(["quotes", "prefix", "no_refs", "utf16", "dimension"])
    spell = {"quotes": _single_quotes, "prefix": _prefixed, "no_refs": _no_refs,
             "utf16": _utf16, "dimension": _lying_dimension}[choice]
    spellings = package.spellings.setdefault(package.sheets[sheet], [])
    if choice == "utf16":
        spellings.append(spell)  # last: the others work on UTF-8
    else:
        spellings.insert(0, spell)
    case.mutations.append(f"xml {choice} on {sheet}")


def _single_quotes(xml: bytes) -> bytes:
    return re.sub(rb'(\s[\w:]+)="([^"\']*)"', rb"\1='\2'", xml)


def _prefixed(xml: bytes) -> bytes:
    prefixed = re.sub(rb"<(/?)([A-Za-z][\w]*)([\s>/])", rb"<\1x:\2\3", xml)
    return prefixed.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="', 1)


def _no_refs(xml: bytes) -> bytes:
    """References removed from each row's leading cells (A, B, C... with none missing)."""
    def strip_row(match):
        body, col, leading = match.group(0), 0, []
        for cell in re.finditer(rb'<c r="([A-Z]+)([0-9]+)"', body):
            if split_ref(cell.group(1).decode() + cell.group(2).decode())[0] != col:
                break
            leading.append(cell.group(0))
            col += 1
        for piece in leading:
            body = body.replace(piece, b"<c", 1)
        return body
    return re.sub(rb"<row\b.*?</row>", strip_row, xml, flags=re.S)


def _utf16(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        text = re.sub(r'encoding="[^"]*"', 'encoding="UTF-16"', text, count=1)
    return b"\xff\xfe" + text.encode("utf-16-le")


def _lying_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def x_text_forms(case, package, rnd, rows):
    """Typed text saved as CDATA or character references, or as rich-text runs with a
    phonetic guide, or 40,000 characters long."""
    cells = [(s, r) for (s, r), v in case.typed.items() if s in package.sheets
             and v.number is None and v.whole and v.text and not v.text.startswith("=")
             and "xml" not in v.how and "]]>" not in v.text
             and cell_pattern(r).search(package.xml(s))]
    choice = rnd.choice(["cdata", "references", "runs", "long"])
    if choice == "long" or not cells:
        sheet, ref = _some_cell(case, package, rnd, rows)
        text = ("Referrals rose after the school term. " * 1100)[:40_000]
        put_cell(package, sheet, ref, inline(ref, text))
        case.typed[(sheet, ref)] = Typed(text, how="xml 40,000 characters")
        return
    sheet, ref = rnd.choice(cells)
    text = case.typed[(sheet, ref)].text
    if choice == "cdata":
        body = b"<t><![CDATA[" + text.replace("\r", "\n").encode("utf-8") + b"]]></t>"
    elif choice == "references":
        body = b"<t>" + "".join(c if c.isascii() and c not in "&<>" else f"&#{ord(c)};"
                                for c in text).encode("ascii") + b"</t>"
    else:
        cut = len(text) // 2
        body = (b"<r><t>" + escape(text[:cut]) + b"</t></r><r><rPr><b/></rPr><t>"
                + escape(text[cut:]) + b"</t></r><rPh sb='0' eb='1'><t>PHONETIC</t></rPh>")
    if text != text.strip():
        body = body.replace(b"<t>", b'<t xml:space="preserve">')
    put_cell(package, sheet, ref, b'<c r="' + ref.encode() + b'" t="inlineStr"><is>' + body
             + b"</is></c>")
    case.typed[(sheet, ref)].how += f" +xml {choice}"


def x_shared_strings(case, package, rnd, rows):
    """A sheet's text moved to the shared-text part, as Excel saves it; sometimes that part
    is then cut short or missing (each cell whose text is lost must be named)."""
    sheet = rnd.choice(list(package.sheets))
    xml = package.xml(sheet)
    found = list(re.finditer(rb'<c r="([A-Z]+[0-9]+)"((?:\s[^>]*?)?) t="inlineStr"><is>(.*?)'
                             rb"</is></c>", xml, re.S))
    # Once only: a second sheet's shared-text part, written after a first one went missing,
    # would give the first sheet's indexes valid text again (a consistent file, nothing for the
    # reader to see), and the oracle would wrongly expect damaged_cell.
    done = any(m.startswith("xml shared strings") for m in case.mutations)
    if not found or done or "xl/sharedStrings.xml" in package.members:
        return
    items, refs = [], []
    for n, match in enumerate(found):
        items.append(b"<si>" + match.group(3) + b"</si>")
        refs.append(match.group(1).decode())
        xml = xml.replace(match.group(0), b'<c r="' + match.group(1) + b'"' + match.group(2)
                          + b' t="s"><v>' + str(n).encode() + b"</v></c>", 1)
    package.set_xml(sheet, xml)
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(items), len(items))
           + b"".join(items) + b"</sst>")
    damage = "none" if sheet == META else rnd.choice(["none", "none", "cut", "missing"])
    if damage != "none":  # hidden ids may be lost: no row on the sheet is as issued
        case.dirty_rows |= {(s, r) for (s, r) in rows if s == sheet}
    lost_from = len(items)
    if damage == "cut":
        lost_from = rnd.randrange(len(items))
        keep = b"".join(items[:lost_from])
        partial = items[lost_from][: max(len(items[lost_from]) // 2, 5)]
        sst = sst[: sst.find(b"<si>")] + keep + partial
    elif damage == "missing":
        lost_from = 0
    if damage != "missing":
        package.members["xl/sharedStrings.xml"] = sst
        rels = package.members["xl/_rels/workbook.xml.rels"]
        package.members["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats'
            b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>")
    for n, ref in enumerate(refs):
        typed = case.typed.get((sheet, ref))
        if typed is not None and n >= lost_from:
            typed.expect, typed.whole = "damaged_cell", False
    case.mutations.append(f"xml shared strings ({damage}) on {sheet}")


def x_many_cells(case, package, rnd, rows):
    """Cells typed far away (XFD1048576) or by the hundred outside the template."""
    themes = [s for s in package.sheets if s not in (COVER, META)]
    sheet = rnd.choice(themes)
    if rnd.random() < 0.5:
        for ref in rnd.sample(["XFD1048576", "AA5", "ZZ9", "A20000", "Z1001", "XFD4"], 2):
            value = rnd.randint(1, 999)
            put_cell(package, sheet, ref, b'<c r="' + ref.encode() + b'"><v>%d</v></c>' % value)
            case.typed[(sheet, ref)] = Typed(str(value), float(value), how="xml far")
    else:
        start = max([r for (s, r) in rows if s == sheet] or [4]) + 50
        for n in range(rnd.choice([120, 620])):
            ref = ref_of(12 + n % 10, start + n // 10)
            put_cell(package, sheet, ref, inline(ref, f"cell {n}"))
            case.typed[(sheet, ref)] = Typed(f"cell {n}", how="xml many")


def x_refuse(case, package, rnd, rows):
    """A return that cannot be read as a template: the metadata sheet gone, or its marker
    or layout version changed. It must be refused with the right code."""
    choice = rnd.choice(["no_meta", "marker", "version"])
    if choice == "no_meta":
        book = package.members["xl/workbook.xml"]
        package.members["xl/workbook.xml"] = re.sub(
            rb'<sheet [^>]*name="_scorecard_meta"[^>]*/>', b"", book)
        case.refused = "not_a_template"
    else:
        if choice == "marker":  # in the sheet, or in the shared text if it moved there
            for name in (package.sheets[META], "xl/sharedStrings.xml"):
                if name in package.members:
                    package.members[name] = package.members[name].replace(
                        b"scorecard-collection-template", b"something-else", 1)
            case.refused = "not_a_template"
        else:
            put_cell(package, META, "B2", inline("B2", "9"))
            case.refused = "template_version"
    case.mutations.append(f"xml refuse {choice}")


XML_MUTATIONS = [x_values, x_values, x_damage_typed, x_damage_typed, x_syntax, x_text_forms,
                 x_shared_strings, x_many_cells]


def marker_and_version(case: Case) -> None:
    """A typed metadata marker or version that is readable and not the template's makes the
    return unreadable as a template; a damaged one costs only its cell, unless both are."""
    if case.refused:
        return
    marker, version = case.typed.get((META, "B1")), case.typed.get((META, "B2"))
    if marker is not None and marker.readable and marker.text != "scorecard-collection-template":
        case.refused = "not_a_template"
    elif version is not None and version.readable and version.text != "1":
        case.refused = "template_version"
    elif marker is not None and version is not None and not (marker.readable
                                                             or version.readable):
        case.refused = "not_a_template"



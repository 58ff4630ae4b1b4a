"""Reading the lists that explain LAIT's data: the data dictionary, the authority list and the
statistical-neighbour editions (see `generator.national.files` for the long data and the error
style: file, row, field).

- `read_dictionary`: the data dictionary, one row per measure code (LAIT lists 14 codes under
  two topics: the rows are merged, see `_merge_listings`).
- `read_authorities`: the authority list (``la_code_list.xlsx``).
- `read_neighbours`: one edition of the statistical-neighbour sets (title rows above the header);
  `edition_from_name` and `parse_edition` name the edition.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from generator.national.files import csv_header, sheet_rows, where
from scorecard.errors import ScorecardError
from scorecard.periods import parse_period
from scorecard.polarity import Polarity

DICTIONARY_COLUMNS = ("Measure_short", "Measure", "Topic", "Polarity", "y_axis_name", "dps",
                      "Year_Type", "No_Quartile")
AUTHORITY_COLUMNS = ("LA Number", "LA Name", "Region", "Type")
NEIGHBOURS_COUNT = 10

# LAIT's polarity words: High and Low only; '-' and NA are no polarity (not Smaller is Better,
# which a lone '-' means elsewhere in Scorecard).
POLARITIES = {"high": Polarity.BIGGER, "low": Polarity.SMALLER, "-": Polarity.NONE,
              "na": Polarity.NONE, "": Polarity.NONE}
NO_QUARTILE = {"n": True, "na": False, "": False}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


# --------------------------------------------------------------------------- the dictionary


def read_dictionary(path: Path) -> pd.DataFrame:
    """One row per measure code: code, measure, topics, chart_title, polarity (a Polarity value),
    polarity_text (as LAIT writes it), unit (y_axis_name), dps (None when NA), year_type,
    no_quartile, description, methodology, hyperlinks, table_status, discontinued."""
    header = csv_header(path)
    missing = [c for c in DICTIONARY_COLUMNS if c not in header]
    if missing:
        raise ScorecardError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}; the LAIT data "
                             f"dictionary has {', '.join(DICTIONARY_COLUMNS)}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ScorecardError(f"{path.name}: not a readable CSV file ({error})") from None
    frame.columns = [c.strip() for c in frame.columns]
    records = []
    for position, row in enumerate(frame.to_dict("records")):
        records.append(_dictionary_row(path, position, row))
    merged = _merge_listings(path, records)
    return pd.DataFrame(merged)


def _dictionary_row(path: Path, position: int, row: dict) -> dict:
    here = where(path, position)
    code = row["Measure_short"].strip()
    if not code:
        raise ScorecardError(f"{here}, field 'Measure_short': blank; every measure needs its code")
    polarity_text = row["Polarity"].strip()
    if polarity_text.lower() not in POLARITIES:
        raise ScorecardError(f"{here}, field 'Polarity': {polarity_text!r} is not one of High, Low, -, NA")
    dps_text = row["dps"].strip()
    if dps_text.upper() in ("NA", ""):
        dps = None
    elif dps_text.isdigit() and int(dps_text) <= 6:
        dps = int(dps_text)
    else:
        raise ScorecardError(f"{here}, field 'dps': {dps_text!r} is not a number of decimal places (0 to 6, or NA)")
    year_type = row["Year_Type"].strip()
    try:
        parse_period("2023", year_type)
    except ScorecardError as error:
        raise ScorecardError(f"{here}, field 'Year_Type': {error}") from None
    flag = row["No_Quartile"].strip()
    if flag.lower() not in NO_QUARTILE:
        raise ScorecardError(f"{here}, field 'No_Quartile': {flag!r} is not N (no quartile band) or NA")
    status = row.get("Table_status", "").strip()
    return {
        "code": code, "measure": row["Measure"].strip(), "topics": row["Topic"].strip(),
        "chart_title": row.get("Chart_title", "").strip(),
        "polarity": POLARITIES[polarity_text.lower()].value, "polarity_text": polarity_text,
        "unit": row["y_axis_name"].strip(), "dps": dps, "year_type": year_type,
        "no_quartile": NO_QUARTILE[flag.lower()], "description": row.get("Description", "").strip(),
        "methodology": row.get("Methodology", "").strip(), "hyperlinks": row.get("Hyperlink(s)", "").strip(),
        "table_status": status, "discontinued": "discontinue" in status.lower(), "row": here,
    }


def _merge_listings(path: Path, records: list[dict]) -> list[dict]:
    """One record per code. A code listed under two topics keeps both topics ('; '); polarity and
    Year_Type must agree; decimal places are the stated ones where one listing says NA; no
    quartile band if either listing says so (LAIT shows none there)."""
    merged: dict[str, dict] = {}
    for record in records:
        first = merged.get(record["code"])
        if first is None:
            merged[record["code"]] = record
            continue
        for field in ("polarity", "year_type"):
            if first[field] != record[field]:
                raise ScorecardError(f"{record['row']}, field '{field}': {record['code']} is listed again "
                                     f"with {record[field]!r}, but {first['row']} says {first[field]!r}")
        if first["dps"] is not None and record["dps"] is not None and first["dps"] != record["dps"]:
            raise ScorecardError(f"{record['row']}, field 'dps': {record['code']} is listed again with "
                                 f"{record['dps']} decimal places, but {first['row']} says {first['dps']}")
        first["topics"] = "; ".join(dict.fromkeys(first["topics"].split("; ") + [record["topics"]]))
        first["dps"] = first["dps"] if first["dps"] is not None else record["dps"]
        first["no_quartile"] = first["no_quartile"] or record["no_quartile"]
    for record in merged.values():
        del record["row"]
    return list(merged.values())


# --------------------------------------------------------------------------- authorities


def read_authorities(path: Path) -> pd.DataFrame:
    """code, name, region (as written), type: one row per area on the list."""
    rows = sheet_rows(path)
    top = _header_row(path, rows, AUTHORITY_COLUMNS)
    header = [str(c).strip() if c is not None else "" for c in rows[top]]
    index = {name: header.index(name) for name in AUTHORITY_COLUMNS}
    records, seen = [], {}
    for number in range(top + 1, len(rows)):
        row = rows[number]
        if all(cell in (None, "") for cell in row):
            continue
        here = f"{path.name}, row {number + 1}"
        code = _whole(row[index["LA Number"]], f"{here}, field 'LA Number'")
        if code in seen:
            raise ScorecardError(f"{here}, field 'LA Number': {code} is listed twice (also row {seen[code]})")
        seen[code] = number + 1
        records.append({"code": code, "name": _text(row[index["LA Name"]]),
                        "region": _text(row[index["Region"]]), "type": _text(row[index["Type"]])})
    if not records:
        raise ScorecardError(f"{path.name}: the authority list has no rows under its header")
    return pd.DataFrame(records)


def _header_row(path: Path, rows: list[tuple], columns: tuple[str, ...]) -> int:
    for number, row in enumerate(rows[:10]):
        cells = [str(cell).strip() for cell in row if cell is not None]
        if set(columns) <= set(cells):
            return number
    raise ScorecardError(f"{path.name}: no header row with {', '.join(columns)} in the first 10 rows")


def _whole(value: object, here: str) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ScorecardError(f"{here}: {value!r} is not an authority number")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------- neighbours


def edition_from_name(path: Path) -> tuple[str, str]:
    """('May 2025', '2025-05-01') from a file named like sn_may_2025.xlsx or 'SN_April 2021.xlsx'."""
    stem = path.stem.lower().replace("_", " ").replace("-", " ")
    match = re.search(r"(" + "|".join(_MONTHS) + r")\s*(\d{4})", stem)
    if not match:
        raise ScorecardError(f"{path.name}: which edition is this? Name the file after its month and year "
                             "(sn_may_2025.xlsx) or give --edition 'May 2025'")
    month = _MONTHS.index(match[1]) + 1
    return f"{match[1].title()} {match[2]}", f"{match[2]}-{month:02d}-01"


def parse_edition(text: str) -> tuple[str, str]:
    """('May 2025', '2025-05-01') from an edition name typed as 'May 2025' (or 'may-2025')."""
    return edition_from_name(Path(text.strip() + ".xlsx"))


def read_neighbours(path: Path) -> pd.DataFrame:
    """authority, position (1-10), neighbour (None where the set has '-'), closeness."""
    rows = sheet_rows(path)
    top = next((n for n, row in enumerate(rows[:10]) if "SN1" in {str(c).strip() for c in row if c is not None}),
               None)
    if top is None:
        raise ScorecardError(f"{path.name}: no header row with SN1 ... SN10 in the first 10 rows")
    header = [str(c).strip() if c is not None else "" for c in rows[top]]
    key = next((name for name in ("LA num", "LA number", "LA Number") if name in header), None)
    positions = [header.index(f"SN{n}") if f"SN{n}" in header else None for n in range(1, NEIGHBOURS_COUNT + 1)]
    if key is None or None in positions:
        missing = ["LA num"] if key is None else []
        missing += [f"SN{n}" for n, p in enumerate(positions, 1) if p is None]
        raise ScorecardError(f"{path.name}, row {top + 1}: missing column(s) {', '.join(missing)}")
    records, seen = [], set()
    for number in range(top + 1, len(rows)):
        row = rows[number]
        if row[header.index(key)] in (None, ""):
            continue
        here = f"{path.name}, row {number + 1}"
        authority = _whole(row[header.index(key)], f"{here}, field '{key}'")
        if authority in seen:
            raise ScorecardError(f"{here}, field '{key}': {authority} has two rows")
        seen.add(authority)
        for place, column in enumerate(positions, start=1):
            cell = row[column]
            neighbour = None if _text(cell) in ("", "-") else _whole(cell, f"{here}, field 'SN{place}'")
            closeness = _text(row[column + 1]) if column + 1 < len(row) and header[column + 1] == "SNP" else ""
            records.append({"authority": authority, "position": place, "neighbour": neighbour,
                            "closeness": closeness if neighbour is not None else ""})
    if not records:
        raise ScorecardError(f"{path.name}: no authorities under the header row")
    return pd.DataFrame(records)

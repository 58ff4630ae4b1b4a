"""Reading LAIT's published files into checked tables. Nothing here touches the store.

Each reader takes a path and returns a pandas table in the shape the store keeps, or raises
ScorecardError naming the file and, where there is one, the row (``row 12 (line 13)`` for CSV,
whose header is line 1; ``row 12`` for parquet and ``row 12`` of a worksheet as Excel numbers it).

- `read_long_data`: the benchmarking data set in long form (CSV, or parquet with pyarrow):
  ``Short Desc``, ``Years``, ``LA Number``, ``Values`` (other columns are ignored). Values are
  numbers, or a code that is never a number: ``x`` ``c`` ``z`` ``u`` ``low`` ``.`` ``..`` ``:``
  ``-`` and the GSS shorthand become ``[x]`` ``[c]`` ``[z]`` ``[u]`` ``[low]``; a blank (or ``NA``)
  is missing with no code.
- `read_dictionary`: the data dictionary, one row per measure code (LAIT lists 14 codes under
  two topics: the rows are merged, see `_merge_listings`).
- `read_authorities`: the authority list (``la_code_list.xlsx``).
- `read_neighbours`: one edition of the statistical-neighbour sets (title rows above the header).
- `file_kind`: which of these a file is, from its name and header.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.periods import parse_period
from scorecard.polarity import Polarity

DATA, DICTIONARY, AUTHORITIES, NEIGHBOURS = "data", "dictionary", "authorities", "neighbours"
KINDS = (DICTIONARY, AUTHORITIES, NEIGHBOURS, DATA)  # the order one command imports them in

DATA_COLUMNS = ("Short Desc", "Years", "LA Number", "Values")
DICTIONARY_COLUMNS = ("Measure_short", "Measure", "Topic", "Polarity", "y_axis_name", "dps",
                      "Year_Type", "No_Quartile")
AUTHORITY_COLUMNS = ("LA Number", "LA Name", "Region", "Type")
NEIGHBOURS_COUNT = 10

# LAIT's codes for a figure that is not there -> GSS shorthand ('' = missing, no code).
VALUE_CODES: dict[str, str] = {
    "x": "[x]", "c": "[c]", "z": "[z]", "u": "[u]", "low": "[low]", ".": "[z]", "..": "[x]",
    ":": "[x]", "-": "[x]", "[x]": "[x]", "[c]": "[c]", "[z]": "[z]", "[u]": "[u]",
    "[low]": "[low]", "": "", "na": "", "nan": "", "null": "",
}
# LAIT's polarity words: High and Low only; '-' and NA are no polarity (not Smaller is Better,
# which a lone '-' means elsewhere in Scorecard).
POLARITIES = {"high": Polarity.BIGGER, "low": Polarity.SMALLER, "-": Polarity.NONE,
              "na": Polarity.NONE, "": Polarity.NONE}
NO_QUARTILE = {"n": True, "na": False, "": False}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def where(path: Path, position: int) -> str:
    """'file.csv, row 3 (line 4)' for a CSV data row at 0-based `position`; 'file, row 3' else."""
    if path.suffix.lower() == ".csv":
        return f"{path.name}, row {position + 1} (line {position + 2})"
    return f"{path.name}, row {position + 1}"


# --------------------------------------------------------------------------- which file


def file_kind(path: Path) -> str:
    """data, dictionary, authorities or neighbours, from the extension and the header."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ScorecardError(f"{path}: no such file")
    if suffix == ".parquet":
        return DATA
    if suffix == ".csv":
        header = set(_csv_header(path))
        if "Measure_short" in header:
            return DICTIONARY
        if "Short Desc" in header or {"Years", "LA Number"} <= header:
            return DATA  # a missing column is then reported by name
        raise ScorecardError(f"{path.name}: not a LAIT file: a long data file has the columns "
                             f"{', '.join(DATA_COLUMNS)}; the data dictionary has Measure_short")
    if suffix in (".xlsx", ".xlsm"):
        rows = _sheet_rows(path)
        for row in rows[:10]:
            cells = {str(cell).strip() for cell in row if cell is not None}
            if "SN1" in cells:
                return NEIGHBOURS
            if {"LA Number", "LA Name"} <= cells:
                return AUTHORITIES
        raise ScorecardError(f"{path.name}: not a LAIT workbook: expected the authority list "
                             "(LA Number, LA Name, Region, Type) or statistical neighbours (SN1 ... SN10)")
    raise ScorecardError(f"{path.name}: LAIT files are .csv, .parquet or .xlsx, not {suffix or 'no extension'}")


def _csv_header(path: Path) -> list[str]:
    try:
        return [str(c).strip() for c in pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ScorecardError(f"{path.name}: not a readable CSV file ({error})") from None


def _sheet_rows(path: Path) -> list[tuple]:
    """Every row of the first worksheet as values (python-calamine: fast, and never runs macros)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [tuple(row) for row in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except Exception as error:  # calamine raises its own types for every kind of broken file
        raise ScorecardError(f"{path.name}: not a readable workbook ({error})") from None


# --------------------------------------------------------------------------- long data


@dataclass
class LongData:
    """The long data as read: one row per value, with what the store keeps."""

    table: pd.DataFrame  # measure, period (as published), area, value (float/NaN), code, raw
    skipped: list[str]  # rows set aside, each described (labels that are not periods, holding no value)


def read_long_data(path: Path, measures: dict[str, str], areas: set[int]) -> LongData:
    """The long data file, checked: known measures (`measures`: code -> LAIT Year_Type) and
    areas, readable periods, one value per measure, period and area, values or codes."""
    frame = _read_parquet(path) if path.suffix.lower() == ".parquet" else _read_csv(path)
    measure = frame["Short Desc"].astype(object).where(frame["Short Desc"].notna(), "").astype(str).str.strip()
    unknown = ~measure.isin(list(measures))
    if unknown.any():
        first = int(np.flatnonzero(unknown.to_numpy())[0])
        codes = sorted(set(measure[unknown]))
        raise ScorecardError(f"{where(path, first)}, field 'Short Desc': unknown measure code "
                             f"{measure.iat[first]!r} ({len(codes)} unknown code(s): {', '.join(codes[:8])}); "
                             "the measure codes are the data dictionary's Measure_short: import the "
                             "dictionary that goes with this file")
    area = _areas(path, frame["LA Number"], areas)
    years = frame["Years"].astype(object).where(frame["Years"].notna(), "").astype(str).str.strip()
    value, code, raw = _values(path, frame["Values"])
    table = pd.DataFrame({"measure": measure.to_numpy(dtype=object), "period": years.to_numpy(dtype=object),
                          "area": area, "value": value, "code": code, "raw": raw})
    table, skipped = _check_periods(path, table, measures)
    _check_unique(path, table)
    return LongData(table, skipped)


def _read_csv(path: Path) -> pd.DataFrame:
    missing = [c for c in DATA_COLUMNS if c not in _csv_header(path)]
    if missing:
        raise ScorecardError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}; a LAIT "
                             f"long data file has {', '.join(DATA_COLUMNS)}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            usecols=lambda column: column.strip() in DATA_COLUMNS)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise ScorecardError(f"{path.name}: not a readable CSV file ({error})") from None
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ScorecardError(f"{path.name}: reading parquet needs pyarrow: pip install 'scorecard[parquet]' "
                             "(or give the same data as CSV, which needs nothing more)") from None
    try:
        names = set(pq.read_schema(path).names)
        missing = [c for c in DATA_COLUMNS if c not in names]
        if missing:
            raise ScorecardError(f"{path.name}: missing column(s) {', '.join(missing)}; a LAIT long "
                                 f"data file has {', '.join(DATA_COLUMNS)}")
        return pq.read_table(path, columns=list(DATA_COLUMNS)).to_pandas()
    except ScorecardError:
        raise
    except Exception as error:  # pyarrow's ArrowInvalid, OSError ... for a file that is not parquet
        raise ScorecardError(f"{path.name}: not a readable parquet file ({error})") from None


def _areas(path: Path, column: pd.Series, areas: set[int]) -> np.ndarray:
    numbers = pd.to_numeric(column.astype(object).where(column.notna(), None), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(numbers) | (numbers != np.round(numbers))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ScorecardError(f"{where(path, first)}, field 'LA Number': {column.iat[first]!r} is not an "
                             "authority, region or England number")
    codes = numbers.astype(int)
    unknown = ~np.isin(codes, np.fromiter(areas, dtype=int, count=len(areas)))
    if unknown.any():
        first = int(np.flatnonzero(unknown)[0])
        raise ScorecardError(f"{where(path, first)}, field 'LA Number': {codes[first]} is not on the "
                             "authority list (import la_code_list.xlsx, or the list that goes with this file)")
    return codes


def _values(path: Path, column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, code, raw): numbers as floats; for the rest NaN, the GSS code ('' if blank) and
    the text as published. Each distinct non-numeric text is read once."""
    text = column.astype(object).where(column.notna(), "")
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    value = numbers.copy()
    code = np.full(numbers.size, None, dtype=object)
    raw = np.full(numbers.size, None, dtype=object)
    others = np.flatnonzero(np.isnan(numbers))
    if others.size:
        words = text.iloc[others].astype(str)
        for word, positions in words.groupby(words, sort=False).indices.items():
            rows = others[positions]
            parsed = _read_code(path, int(rows[0]), word)
            if isinstance(parsed, float):
                value[rows] = parsed
            else:
                code[rows] = parsed
                raw[rows] = word
    finite = np.isfinite(value) | np.isnan(value)
    if not finite.all():
        first = int(np.flatnonzero(~finite)[0])
        raise ScorecardError(f"{where(path, first)}, field 'Values': {text.iat[first]!r} is not a finite number")
    return value, code, raw


def _read_code(path: Path, row: int, word: str) -> float | str:
    from scorecard.values import Missing, parse_value

    key = word.strip().lower()
    if key in VALUE_CODES:
        return VALUE_CODES[key]
    try:
        parsed = parse_value(word)
    except ScorecardError as error:
        raise ScorecardError(f"{where(path, row)}, field 'Values': {error}") from None
    if isinstance(parsed, Missing):
        return parsed.code or "[x]"
    return float(parsed)


def _check_periods(path: Path, table: pd.DataFrame, measures: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Every (measure, label) must read as a period under the measure's Year_Type. A label that
    does not, on rows that hold no value at all (LAIT's 170 rows labelled '0'), is set aside and
    reported; on rows with a value it is an error naming the first such row."""
    pairs = table[["measure", "period"]].drop_duplicates()
    bad_pairs = []
    for measure, label in pairs.itertuples(index=False):
        try:
            parse_period(label, measures[measure])
        except ScorecardError as error:
            bad_pairs.append((measure, label, str(error).split("; accepted")[0]))
    if not bad_pairs:
        return table, []
    skipped, drop = [], np.zeros(len(table), dtype=bool)
    for measure, label, reason in bad_pairs:
        rows = np.flatnonzero(((table["measure"] == measure) & (table["period"] == label)).to_numpy())
        valued = rows[~np.isnan(table["value"].to_numpy()[rows])]
        if valued.size:
            raise ScorecardError(f"{where(path, int(valued[0]))}, field 'Years': {reason} (measure {measure})")
        drop[rows] = True
        skipped.append(f"set aside {rows.size} row(s) of {measure} labelled {label!r}, the first at "
                       f"{where(path, int(rows[0]))}: {reason}; none of them holds a value")
    return table[~drop].reset_index(drop=True), skipped


def _check_unique(path: Path, table: pd.DataFrame) -> None:
    keys = ["measure", "period", "area"]
    duplicated = table.duplicated(keys, keep=False).to_numpy()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        first = table.iloc[rows[0]]
        same = np.ones(rows.size, dtype=bool)
        for key in keys:
            same &= table[key].to_numpy()[rows] == first[key]
        twin = int(rows[np.flatnonzero(same)[1]])
        raise ScorecardError(f"{where(path, int(rows[0]))}: {first['measure']} {first['period']} for area "
                             f"{first['area']} appears twice (again at {where(path, twin)})")


# --------------------------------------------------------------------------- the dictionary


def read_dictionary(path: Path) -> pd.DataFrame:
    """One row per measure code: code, measure, topics, chart_title, polarity (a Polarity value),
    polarity_text (as LAIT writes it), unit (y_axis_name), dps (None when NA), year_type,
    no_quartile, description, methodology, hyperlinks, table_status, discontinued."""
    header = _csv_header(path)
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
    rows = _sheet_rows(path)
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
    rows = _sheet_rows(path)
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

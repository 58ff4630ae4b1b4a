"""Reading LAIT's published files into checked tables: which file is which, and the long data
(`generator.national.lists` reads the dictionary, authority list and neighbour editions). Nothing
here touches the store.

Each reader takes a path and returns a pandas table in the shape the store keeps, or raises
ScorecardError naming the file and, where there is one, the row (``row 12 (line 13)`` for CSV,
whose header is line 1; ``row 12`` for parquet and ``row 12`` of a worksheet as Excel numbers it).

- `file_kind`: data, dictionary, authorities or neighbours, from the file's name and header.
- `read_long_data`: the benchmarking data set in long form (CSV, or parquet with pyarrow):
  ``Short Desc``, ``Years``, ``LA Number``, ``Values`` (other columns are ignored). Values are
  numbers, or a code that is never a number: ``x`` ``c`` ``z`` ``u`` ``low`` ``.`` ``..`` ``:``
  ``-`` and the GSS shorthand become ``[x]`` ``[c]`` ``[z]`` ``[u]`` ``[low]``; a blank (or ``NA``)
  is missing with no code.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.periods import parse_period

DATA, DICTIONARY, AUTHORITIES, NEIGHBOURS = "data", "dictionary", "authorities", "neighbours"
KINDS = (DICTIONARY, AUTHORITIES, NEIGHBOURS, DATA)  # the order one command imports them in

DATA_COLUMNS = ("Short Desc", "Years", "LA Number", "Values")

# LAIT's codes for a figure that is not there -> GSS shorthand ('' = missing, no code).
VALUE_CODES: dict[str, str] = {
    "x": "[x]", "c": "[c]", "z": "[z]", "u": "[u]", "low": "[low]", ".": "[z]", "..": "[x]",
    ":": "[x]", "-": "[x]", "[x]": "[x]", "[c]": "[c]", "[z]": "[z]", "[u]": "[u]",
    "[low]": "[low]", "": "", "na": "", "nan": "", "null": "",
}
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
        header = set(csv_header(path))
        if "Measure_short" in header:
            return DICTIONARY
        if "Short Desc" in header or {"Years", "LA Number"} <= header:
            return DATA  # a missing column is then reported by name
        raise ScorecardError(f"{path.name}: not a LAIT file: a long data file has the columns "
                             f"{', '.join(DATA_COLUMNS)}; the data dictionary has Measure_short")
    if suffix in (".xlsx", ".xlsm"):
        rows = sheet_rows(path)
        for row in rows[:10]:
            cells = {str(cell).strip() for cell in row if cell is not None}
            if "SN1" in cells:
                return NEIGHBOURS
            if {"LA Number", "LA Name"} <= cells:
                return AUTHORITIES
        raise ScorecardError(f"{path.name}: not a LAIT workbook: expected the authority list "
                             "(LA Number, LA Name, Region, Type) or statistical neighbours (SN1 ... SN10)")
    raise ScorecardError(f"{path.name}: LAIT files are .csv, .parquet or .xlsx, not {suffix or 'no extension'}")


def csv_header(path: Path) -> list[str]:
    try:
        return [str(c).strip() for c in pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ScorecardError(f"{path.name}: not a readable CSV file ({error})") from None


def sheet_rows(path: Path) -> list[tuple]:
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
    missing = [c for c in DATA_COLUMNS if c not in csv_header(path)]
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

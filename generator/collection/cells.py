"""Reading the input cells of one indicator row: numbers, shorthand, placeholders, per-cent
formats, dates, lists and text, each checked against the unit's rule (layout.rule_for). A value
with a problem is stored as the raw text that was typed (never dropped, never changed).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from generator.collection import layout as L
from generator.collection.problems import worst
from scorecard.errors import ScorecardError
from scorecard.values import EXCEL_ERRORS, GSS_SHORTHAND, Missing, parse_value
from scorecard.vocab import FRACTION_UNITS, RATE_UNITS


def report_damaged(problems, sheet: str, cell, indicator_id: str = "", field: str = "") -> str:
    """A damaged_cell problem for a cell that cannot be read as saved (its raw text is kept)."""
    return problems.add(
        "damaged_cell", f"{cell.ref} cannot be read as saved: {cell.damaged}. What it holds is "
        "kept as raw text, not used: type the value again and send the return",
        sheet=sheet, cell=cell.ref, indicator_id=indicator_id, field=field, raw=cell.raw)


def read_row(sheet, r, cells, indicator_id, unit, view, submission, problems, row_status):
    """Read the input cells of one indicator row (cells: field -> xlsx.Cell or None) into
    cell records on `submission`, each problem named by sheet, cell, indicator and field."""
    applicable = L.input_fields(unit) if unit else ()
    numbers = {}
    records = {}  # field -> the cell record stored for this row
    for field_name in L.INPUT_FIELDS:
        cell = cells.get(field_name)
        if cell is None or not cell.typed:
            continue
        ref = L.cell_name(r, L.COLUMN_INDEX[field_name])
        value, error, formula = cell.value, cell.error, cell.formula
        where = {"sheet": sheet, "cell": ref, "indicator_id": indicator_id, "field": field_name}
        record = {"indicator_id": indicator_id, "field": field_name, "number": None,
                  "text": None, "raw": cell.raw, "missing_code": None,
                  "missing_reason": None, "formula": formula, "status": "ok",
                  "file": problems.file, "sheet": sheet, "cell": ref}
        severities = []
        if cell.damaged is not None:
            record["text"] = cell.raw
            severities.append(report_damaged(problems, sheet, cell, indicator_id, field_name))
        elif error is not None:
            record["text"] = error
            made = f" by formula {formula}" if formula else ""
            severities.append(problems.add(
                "spreadsheet_error", f"spreadsheet error {error}{made}: no value; fix the "
                "cell or use GSS shorthand", raw=error, **where))
        elif formula:
            if value is None:
                severities.append(problems.add(
                    "formula_no_value", f"formula {formula} has no saved value (the file was "
                    "not recalculated); type the value instead", raw=formula, **where))
            else:
                severities.append(problems.add(
                    "formula", f"formula {formula} in an input cell: its saved value "
                    f"{cell.raw} is used and the formula recorded", raw=cell.raw, **where))
        if value is not None and error is None and cell.damaged is None:
            if unit is None:
                record["text"] = record["raw"]
                severities.append(row_status)
            elif field_name not in applicable:
                severities.append(problems.add(
                    "not_applicable_cell", f"{field_name} does not apply to a {unit} "
                    "indicator; kept as raw text, not used", raw=record["raw"], **where))
                record["text"] = record["raw"]
            else:
                severities += _read_cell(field_name, unit, value, cell, record, problems, where)
                if record["number"] is not None and not record["missing_code"]:
                    numbers[field_name] = record["number"]
        record["status"] = worst(severities + [row_status])
        submission.cells.append(record)
        records[field_name] = record
    if unit in FRACTION_UNITS:
        _check_fraction(unit, numbers, records, view.decimals.get(indicator_id, 1), sheet, r,
                        indicator_id, problems)


_FLAGGED = re.compile(r"^\s*(\S+?)\s*(\[\w+\])\s*$")  # a figure with GSS shorthand: 12.3 [u]


def _read_cell(field_name, unit, value, cell, record, problems, where) -> list[str]:
    rule = L.rule_for(field_name, unit)
    raw = record["raw"]
    if rule.kind == "text":
        record["text"] = raw
        if len(raw) > L.MAX_TEXT:
            return [problems.add("text_too_long", f"{len(raw):,} characters, over the "
                                 f"{L.MAX_TEXT:,} the template allows; kept in full", **where)]
        return []
    if isinstance(value, str) and value.strip().lower() in GSS_SHORTHAND:
        missing = parse_value(value)
        record.update(missing_code=missing.code, missing_reason=missing.reason)
        return [problems.add("shorthand", f"{missing.code}: missing ({missing.reason})",
                             raw=raw, **where)]
    if rule.kind == "date":
        if isinstance(value, dt.datetime | dt.date):
            record["text"] = raw
            return []
        text = raw.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                record["text"] = dt.datetime.strptime(text, fmt).date().isoformat()
                return []
            except ValueError:
                pass
        record["text"] = raw
        return [problems.add("not_a_date", f"{raw!r} is not a date (dd/mm/yyyy)", raw=raw,
                             **where)]
    if rule.kind == "list":
        choices = {c.lower(): c for c in rule.choices}
        record["text"] = raw
        if raw.strip().lower() in choices:
            record["text"] = choices[raw.strip().lower()]
            return []
        return [problems.add("not_in_list", f"{raw!r} is not one of {', '.join(rule.choices)}",
                             raw=raw, **where)]
    # numbers
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        record["text"] = raw
        return [problems.add("text_in_number", f"{raw!r} is not a number ({rule.description}); "
                             "kept as raw text", raw=raw, **where)]
    severities = []
    # a value or target of a percentage, or of a gap in percentage points, is read as the
    # person saw it: 86.5% typed, or 0.865 in a per-cent formatted cell, is 86.5
    scaled = unit in ("percentage", "percentage points") and field_name in ("value", "target")
    from_percent = False
    if isinstance(value, int | float):
        number = float(value)
        if cell.percent:
            shown = L.raw_text(_times_100(number)) + "%"
            if scaled:
                number = _times_100(number)
                from_percent = True
                severities.append(problems.add(
                    "percent_format", f"cell is formatted as a percentage: shown as {shown}, "
                    f"read as {L.raw_text(number)} (the cell stores {raw})", raw=raw, **where))
            else:
                severities.append(problems.add(
                    "percent_format_unscaled", f"cell is formatted as a percentage and shows "
                    f"{shown}, but the {field_name} of a {unit} indicator is not a percentage: "
                    f"the number the cell stores, {raw}, is used", raw=raw, **where))
    else:
        text = str(value)
        if text.strip().upper() in EXCEL_ERRORS:
            record["text"] = raw
            return [problems.add("spreadsheet_error", f"spreadsheet error {text.strip()}: no "
                                 "value; fix the cell or use GSS shorthand", raw=raw, **where)]
        try:
            parsed = parse_value(text)
        except ScorecardError:
            record["text"] = raw
            return [problems.add("text_in_number", f"{raw!r} is not a number "
                                 f"({rule.description}); kept as raw text", raw=raw, **where)]
        if isinstance(parsed, Missing):
            return [_read_missing(text, raw, parsed, record, problems, where)]
        number = parsed
        if text.strip().endswith("%"):
            from_percent = True
            if not scaled:
                record["text"] = raw
                return [problems.add("text_in_number", f"{raw!r}: a % sign in a "
                                     f"{field_name} cell of a {unit} indicator; kept as raw "
                                     "text", raw=raw, **where)]
            severities.append(problems.add(
                "percent_sign", f"{raw!r} typed with a % sign: read as {L.raw_text(number)} "
                f"({rule.description})", raw=raw, **where))
        elif text != L.raw_text(number):
            severities.append(problems.add(
                "number_as_text", f"{raw!r} was typed as text: read as the number "
                f"{L.raw_text(number)}", raw=raw, **where))
    if not math.isfinite(number):  # never stored as a number (the readers give none)
        record["text"] = raw
        return [problems.add("text_in_number", f"{raw!r} is not a finite number "
                             f"({rule.description}); kept as raw text", raw=raw, **where)]
    record["number"] = number
    trouble = L.range_problem(number, rule)
    if trouble:
        severities.append(problems.add("out_of_range", f"{trouble}; kept as typed", raw=raw,
                                       **where))
    elif unit == "percentage" and scaled and 0 < number <= 1 and not from_percent:
        severities.append(problems.add(
            "looks_like_fraction", f"{raw} looks like a fraction: percentages are on the 0-100 "
            f"scale (type {L.raw_text(_times_100(number))} for "
            f"{L.raw_text(_times_100(number))}%); kept as typed", raw=raw, **where))
    return severities


def _read_missing(text, raw, missing, record, problems, where) -> str:
    """Shorthand or a placeholder typed in a number cell; a figure flagged with shorthand
    ("12.3 [u]") keeps its number. Returns the severity."""
    record.update(missing_code=missing.code, missing_reason=missing.reason, text=raw)
    if missing.code not in GSS_SHORTHAND:
        return problems.add("placeholder", f"{raw!r} read as missing ({missing.reason}); "
                            f"use GSS shorthand ({L.SHORTHAND_HELP})", raw=raw, **where)
    flagged = _FLAGGED.match(text)
    try:
        figure = parse_value(flagged.group(1)) if flagged else None
    except ScorecardError:
        figure = None
    if isinstance(figure, float | int):
        record["number"] = float(figure)
        return problems.add("shorthand", f"{L.raw_text(float(figure))} flagged {missing.code} "
                            f"({missing.reason}): the figure is kept, shown as flagged",
                            raw=raw, **where)
    return problems.add("shorthand", f"{missing.code}: missing ({missing.reason})", raw=raw,
                        **where)


def _times_100(number: float) -> float:
    """A fraction as a percentage, without binary noise (0.865 -> 86.5, not 86.49999...)."""
    return float(f"{number * 100:.12g}")


def _check_fraction(unit, numbers, records, decimals, sheet, r, indicator_id, problems):
    numerator, denominator = numbers.get("numerator"), numbers.get("denominator")
    where = {"sheet": sheet, "indicator_id": indicator_id}

    def flag(field_name, severity):
        record = records.get(field_name)
        if record is not None:
            record["status"] = worst([record["status"], severity])

    if numerator is None or denominator is None:
        return
    den_ref = L.cell_name(r, L.COLUMN_INDEX["denominator"])
    if denominator == 0:
        flag("denominator", problems.add("out_of_range", "denominator is 0: no rate or "
                                         "percentage can be formed", cell=den_ref,
                                         field="denominator", raw="0", **where))
        return
    if unit == "percentage" and numerator > denominator:
        flag("numerator", problems.add(
            "out_of_range", f"numerator {L.raw_text(numerator)} is more than denominator "
            f"{L.raw_text(denominator)}: a percentage cannot be over 100",
            cell=L.cell_name(r, L.COLUMN_INDEX["numerator"]), field="numerator",
            raw=L.raw_text(numerator), **where))
        return
    value = numbers.get("value")
    if value is None:
        return
    per = 100 if unit == "percentage" else RATE_UNITS[unit]
    computed = numerator / denominator * per
    if abs(computed - value) > 0.5 * 10 ** -max(decimals, 0) + 1e-9:
        flag("value", problems.add(
            "value_mismatch", f"value {L.raw_text(value)} but numerator/denominator give "
            f"{computed:.{max(decimals, 0) + 2}f}; the value typed is kept",
            cell=L.cell_name(r, L.COLUMN_INDEX["value"]), field="value",
            raw=L.raw_text(value), **where))

"""Collection templates: cover, theme sheets, input cells, validation, protection, metadata."""

from __future__ import annotations

import openpyxl
import pytest
from collect_strategies import AUTHORITIES, PERIOD, first, make_template, small_catalogue

from generator.collection import layout as L
from generator.collection.templates import select_indicators, write_templates
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError

CATALOGUE = small_catalogue()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return openpyxl.load_workbook(make_template(tmp_path_factory.mktemp("t"), CATALOGUE))


def _row(sheet, indicator_id):
    for r in range(L.FIRST_DATA_ROW + 1, sheet.max_row + 1):
        if sheet.cell(r, L.ID_COLUMN + 1).value == indicator_id:
            return r
    raise AssertionError(indicator_id)


def _sheet_of(book, indicator):
    return book[next(s for s in book.sheetnames if s not in (L.COVER_SHEET, L.META_SHEET)
                     and any(c.value == indicator.id for c in book[s]["K"]))]


def test_cover_says_what_when_who_and_shorthand(book):
    """The cover names the authority and period in the layout's cells and explains GSS
    shorthand and how to fill in."""
    cover = book[L.COVER_SHEET]
    assert cover.cell(L.COVER_AUTHORITY[0] + 1, L.COVER_AUTHORITY[1] + 1).value == "E1"
    assert cover.cell(L.COVER_PERIOD[0] + 1, L.COVER_PERIOD[1] + 1).value == PERIOD
    text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    for word in ("Return by", "Contact", "[c]", "[low]", "0-100 scale"):
        assert word in text


def test_one_sheet_per_theme_with_the_layout_headings(book):
    """Every theme has its sheet, headed exactly by the layout's columns; the id column is
    hidden; the metadata sheet is very hidden."""
    themes = list(dict.fromkeys(i.theme for i in CATALOGUE))
    assert book.sheetnames[1:-1] == [L.theme_sheet_name(t, set()) for t in themes]
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[L.HEADER_ROW + 1]] == [c.heading for c in L.COLUMNS]
    assert sheet.column_dimensions[L.column_letter(L.ID_COLUMN)].hidden
    assert book[L.META_SHEET].sheet_state == "veryHidden"


def test_input_cells_fit_the_unit_and_are_the_only_unlocked_cells(book):
    """Percentages get numerator/denominator/value inputs; counts only value; text no target;
    every other cell is locked and every data sheet protected."""
    for unit, expected in (("percentage", {"numerator", "denominator", "value", "target",
                                           "commentary"}),
                           ("count", {"value", "target", "commentary"}),
                           ("text", {"value", "commentary"})):
        indicator = first(CATALOGUE, unit)
        sheet = _sheet_of(book, indicator)
        assert sheet.protection.sheet and not sheet.protection.password
        row = _row(sheet, indicator.id)
        unlocked = {c.field for i, c in enumerate(L.COLUMNS)
                    if not sheet.cell(row, i + 1).protection.locked}
        assert unlocked == expected, unit


def test_data_validation_per_unit(book):
    """Percent cells allow 0-100 or shorthand; counts whole numbers >= 0; yes/no a list."""
    checks = {"percentage": ("<=100", ">=0"), "count": ("INT(", ">=0"), "yes/no": ("Yes",)}
    for unit, needles in checks.items():
        indicator = first(CATALOGUE, unit)
        sheet = _sheet_of(book, indicator)
        ref = f"H{_row(sheet, indicator.id)}"
        rules = [dv for dv in sheet.data_validations.dataValidation if ref in str(dv.sqref)]
        assert len(rules) == 1, unit
        formula = rules[0].formula1
        assert all(n in formula for n in needles), (unit, formula)
        assert "[c]" in formula


# What an officer might type in a number or date cell: shorthand, numbers in and out of every
# unit's range, whole and not, text.
PROBES = ["[c]", "[x]", "[z]", "[u]", "[low]", 0, 5, 5.5, -1, -100.5, 100, 101, "abc", "n/a"]


def test_validation_formulas_accept_what_the_reader_accepts_in_libreoffice(book, tmp_path, libreoffice):
    """Every custom validation formula in the template, evaluated by LibreOffice for each probe
    value, accepts exactly what the layout's rule accepts (GSS shorthand, or a number within the
    rule): the Excel rendering of layout.UNIT_RULES cannot drift from the rule the reader applies.
    (It did: INT() of shorthand is #VALUE!, so [c] in a count cell was refused by Excel.)"""
    import re

    import xlsxwriter

    from generator.workbooks.libreoffice import recalculate
    from scorecard.values import GSS_SHORTHAND

    formulas = {}  # (formula with its own cell as {ref}, rule) -> (field, unit)
    for indicator in CATALOGUE:
        sheet = _sheet_of(book, indicator)
        row = _row(sheet, indicator.id)
        for field in L.input_fields(indicator.unit):
            rule = L.rule_for(field, indicator.unit)
            if rule.kind not in ("number", "date"):
                continue
            ref = L.cell_name(row - 1, L.COLUMN_INDEX[field])
            found = [dv for dv in sheet.data_validations.dataValidation if ref in str(dv.sqref).split()]
            assert len(found) == 1 and found[0].type == "custom", (indicator.id, field)
            generic = re.sub(rf"\b{ref}\b", "{ref}", found[0].formula1)
            formulas.setdefault((generic, rule), (field, indicator.unit))
    assert {unit for _, unit in formulas.values()} >= {"count", "percentage", "date"}
    path = tmp_path / "probe.xlsx"
    workbook = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet("P")
    for r, value in enumerate(PROBES):
        sheet.write(r, 0, value)
    for c, (generic, _) in enumerate(formulas, start=1):
        for r in range(len(PROBES)):
            sheet.write_formula(r, c, "=" + generic.lstrip("=").replace("{ref}", f"A{r + 1}"))
    workbook.close()
    [out] = recalculate([path], tmp_path / "recalculated")
    seen = openpyxl.load_workbook(out, data_only=True)["P"]
    wrong = []
    for c, ((_, rule), (field, unit)) in enumerate(formulas.items(), start=2):
        for r, value in enumerate(PROBES, start=1):
            number = isinstance(value, int | float)
            expected = value in GSS_SHORTHAND or (number and (rule.kind == "date"
                                                              or L.range_problem(value, rule) is None))
            if seen.cell(r, c).value is not expected:
                wrong.append((field, unit, value, seen.cell(r, c).value))
    assert wrong == []


def test_metadata_records_version_fingerprint_and_rows(book):
    """The hidden metadata holds template version, catalogue fingerprint, authority, period and
    the sheet/row/id of every indicator, matching the theme sheets."""
    meta = book[L.META_SHEET]
    values = {meta.cell(r + 1, 1).value: meta.cell(r + 1, 2).value
              for r in range(len(L.META_KEYS))}
    assert values["template_version"] == L.TEMPLATE_VERSION
    assert values["catalogue_fingerprint"] == CATALOGUE.fingerprint()
    assert (values["authority"], values["period"]) == ("E1", PERIOD)
    rows = [[c.value for c in r] for r in meta.iter_rows(min_row=L.META_TABLE_ROW + 2)]
    assert len(rows) == len(CATALOGUE)
    for sheet, row, indicator_id, _unit in rows:
        assert book[sheet].cell(row, L.ID_COLUMN + 1).value == indicator_id


def test_select_named_dataset_themes_and_ids():
    """The Performance Dataset is the catalogue rows from document 000; themes and id lists
    select exactly those; unknown names are errors."""
    full = load_catalogue()
    _, dataset = select_indicators(full, dataset="performance-dataset")
    assert dataset and all("000" in i.documents for i in dataset)
    assert len(dataset) == sum("000" in i.documents for i in full)
    theme = full.themes()[0]
    _, chosen = select_indicators(full, themes=[theme])
    assert {i.theme for i in chosen} == {theme}
    _, two = select_indicators(full, ids=[dataset[0].id, dataset[1].id])
    assert [i.id for i in two] == [dataset[0].id, dataset[1].id]
    with pytest.raises(ScorecardError, match="unknown theme 'No such theme'"):
        select_indicators(full, themes=["No such theme"])
    with pytest.raises(ScorecardError, match="unknown dataset"):
        select_indicators(full, dataset="nope")


def test_one_file_per_authority(tmp_path):
    """write_templates gives one file per authority, each naming its own authority."""
    paths = write_templates(tmp_path, CATALOGUE, AUTHORITIES, PERIOD, list(CATALOGUE),
                            dataset_title="test")
    assert len(paths) == len(AUTHORITIES)
    for path, authority in zip(paths, AUTHORITIES, strict=True):
        cover = openpyxl.load_workbook(path, read_only=True)[L.COVER_SHEET]
        assert authority.code in path.name
        assert list(cover.iter_rows(min_row=4, max_row=4, values_only=True))[0][1] == \
            authority.code


def test_cli_template_and_collect(tmp_path, capsys):
    """`scorecard template` then `scorecard collect` run end to end through the CLI."""
    from generator.cli import main

    assert main(["template", "--authority", "E1", "--period", PERIOD, "--dataset",
                 "performance-dataset", "--out", str(tmp_path / "t")]) == 0
    [template] = list((tmp_path / "t").glob("*.xlsx"))
    code = main(["collect", str(template), "--store", str(tmp_path / "s.sqlite"),
                 "--report", str(tmp_path / "report"), "--quiet"])
    assert code == 0
    assert "1 stored, 0 refused" in capsys.readouterr().out
    assert (tmp_path / "report.csv").exists() and (tmp_path / "report.xlsx").exists()


def test_cli_template_writes_one_file_per_repeated_authority(tmp_path):
    """`--authority` repeated gives one template each; none is dropped."""
    from generator.cli import main
    from scorecard.periods import file_label

    assert main(["template", "--authority", "E1", "--authority", "E2", "--period", PERIOD,
                 "--dataset", "performance-dataset", "--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.glob("*.xlsx")) == [f"return_E{n}_{file_label(PERIOD)}.xlsx"
                                                                    for n in (1, 2)]


def test_theme_selection_title_keeps_the_order_given():
    """The dataset title of a theme selection (on the cover and in the metadata) names the
    themes in the order given, the same on every run (it was a set's order)."""
    full = load_catalogue()
    one, two = full.themes()[:2]
    assert select_indicators(full, themes=[one, two])[0] == f"Themes: {one}, {two}"
    assert select_indicators(full, themes=[two, one])[0] == f"Themes: {two}, {one}"

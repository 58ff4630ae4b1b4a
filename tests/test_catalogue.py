"""Tests for the indicator catalogue (scorecard.catalogue), its CLI and its exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.workbooks.catalogue_export import export_catalogue
from scorecard.catalogue import (
    CATALOGUE_COLUMNS,
    Catalogue,
    CatalogueError,
    builtin_catalogue_path,
    document_counts,
    load_catalogue,
    validate_catalogue,
)
from scorecard.errors import ScorecardError
from scorecard.polarity import Polarity

DATA = Path(__file__).parent / "data"

# Rows drawn from each source document, counted by reading the documents (see docs/catalogue.md):
# 000: 34 scorecard items (sections 1-7: 5+5+5+3+6+7+3) + 38 education-list measures
#      (context a-m 13, NCCIS a-c 3, quality a-b 2, behaviour a-d 4, attainment a-o 15, LAC 1)
#      + 5 workforce measures = 77 mentions; 7 education and 3 workforce measures repeat a
#      scorecard item, so 77 - 10 = 67 distinct measures.
# 001: 29 indicator codes (EH16 ... EH47, including "EH new" and "ICS new").
# 002: 60 measure pages: 44 children & families (pp. 6-49), 3 finance, 5 people,
#      3 customer, 5 future.
# 003: Appendix B has 219 REF lines (REF 1-203 once each, plus 10 extra REF 183 lines and
#      6 extra REF 184 lines); REF 150 and 152 are one indicator, and two REF 183 lines are the
#      same indicator (L2 English & maths at 19), so -2; REF 46 holds three measures that the
#      common set lists separately, so +2: 219 rows. Every common-set measure maps to one of them.
# 004: 29 measures (children's social care 17, education 12).
EXPECTED_DOCUMENT_COUNTS = {"000": 67, "001": 29, "002": 60, "003": 219, "004": 29}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_builtin_catalogue_validates():
    """The shipped catalogue has no validation problems at all."""
    assert validate_catalogue() == []


def test_rows_per_document_match_reading(catalogue):
    """Each document contributes exactly the number of rows established by reading it."""
    assert document_counts(catalogue) == EXPECTED_DOCUMENT_COUNTS


def test_every_cib_ref_and_kcc_code_present(catalogue):
    """Every REF 1-203 and every KCC code in 001 appears on some row."""
    refs = {ref for indicator in catalogue for ref in indicator.cib_ref}
    assert refs == {str(n) for n in range(1, 204)}
    codes = {indicator.kcc_code for indicator in catalogue if indicator.kcc_code}
    assert codes == {
        "EH16", "EH52", "EH22 - C", "EH new", "SCS03", "SCS08", "SCS13", "SCS18", "SCS19",
        "SCS29", "SCS34", "SCS40", "SCS42", "SCS43", "ICS new", "CYPE8", "EY14", "EY15", "SISE4",
        "SISE16", "SISE12", "SISE19", "SEND10", "CYPE2", "CYPE3", "CYPE4", "CYPE5", "EH46", "EH47",
    }


def test_shared_ref_rows(catalogue):
    """REF 183 and 184 each label several distinct indicators (10 and 7)."""
    assert sum("183" in i.cib_ref for i in catalogue) == 11 - 1  # 11 lines, two of them the same indicator
    assert sum("184" in i.cib_ref for i in catalogue) == 7


def test_ids_short_names_and_order(catalogue):
    """Ids are unique slugs, short names fit 40 characters, and file order is kept."""
    ids = [i.id for i in catalogue]
    assert len(ids) == len(set(ids))
    assert all(len(i.short_name) <= 40 for i in catalogue)
    with builtin_catalogue_path().open(encoding="utf-8") as fh:
        assert [row["id"] for row in csv.DictReader(fh)] == ids


def test_re_referrals_is_one_row_with_all_codes(catalogue):
    """Re-referrals within 12 months: KCC SCS03, 004's measure and CIB REF 43 on one row."""
    row = catalogue.get("re-referrals-12m-pct")
    assert row.kcc_code == "SCS03"
    assert row.cib_ref == ("43",)
    assert row.documents == ("001", "003", "004")
    assert row.polarity is Polarity.SMALLER and not row.polarity_inferred
    assert row.reporting_basis == "Latest Quarter"
    assert row.names["004"] == "% re-referrals to Social Care within 12 months"
    assert row.regions == ("WM", "SE") and row.cib_common_set
    assert catalogue.by_code("REF 45")[0].id == "re-referrals-vs-idaci"


def test_sample_001_rows(catalogue):
    """001 rows keep the KCC code, full definition and new / to-be-confirmed status."""
    row = catalogue.get("eh-cases-closed-positive-pct")
    assert row.kcc_code == "EH16" and row.documents == ("001",)
    assert row.definition.startswith("The percentage of all cases closed by Units")
    assert row.definition.endswith('contain "Outcomes achieved".')
    new = catalogue.get("eh-unit-caseload")
    assert new.kcc_code == "EH new" and new.status == "new"
    assert new.definition == "Definition to be confirmed."
    assert catalogue.get("qaf-audit-indicators").status == "new"
    sise12 = catalogue.get("attainment8")
    assert sise12.unit == "score" and sise12.documents == ("001", "002")


def test_sample_002_rows(catalogue):
    """002 rows: units as published (rate per 10,000, days, currency, FTE) and polarity inferred."""
    lac = catalogue.get("lac-rate")
    assert lac.unit == "rate per 10,000" and lac.per == 10000
    assert lac.population_basis == "children aged 0-17" and lac.polarity is Polarity.NONE
    assert lac.names["002"] == "Looked After Children"
    fte = catalogue.get("employees-fte")
    assert (fte.unit, fte.theme, fte.documents) == ("FTE", "People", ("002",))
    capital = catalogue.get("capital-outturn")
    assert capital.unit == "currency" and capital.polarity is Polarity.PLAN
    assert capital.polarity_inferred
    assert catalogue.get("sickness-days-per-fte").unit == "days"
    assert catalogue.get("csc-complaints-count").polarity is Polarity.NONE


def test_sample_003_rows(catalogue):
    """003 rows: description rebuilt, theme, DfE N-code, LA Profile and regions as ticked."""
    row = catalogue.get("cpp-repeat-pct")
    assert row.cib_ref == ("73",) and row.dfe_ref == "N18" and row.la_profile
    assert row.regions == ("NE", "Y&H", "WM", "L")
    assert row.names["003"].startswith("REF 73: Percentage of children becoming the subject")
    assert row.documents == ("001", "002", "003", "004")
    ia = catalogue.get("initial-assessments-rate")
    assert (ia.dfe_ref, ia.theme, ia.regions) == ("N7", "Referrals and assessment",
                                                  ("NE", "Y&H", "WM", "SE"))
    assert ia.la_profile
    violent = catalogue.get("violent-sexual-offences-rate")
    assert violent.dfe_ref == "N4" and violent.cib_ref == ("151",)
    hospital = catalogue.get("hospital-admissions-injuries-rate")
    assert hospital.cib_ref == ("150", "152") and hospital.dfe_ref == "N5"
    dcs = catalogue.get("dcs-continuity")
    assert dcs.unit == "text" and dcs.polarity is Polarity.NONE and dcs.regions == ("E",)


def test_sample_004_rows(catalogue):
    """004 rows carry the stated polarity and reporting basis, never marked inferred."""
    rows = [i for i in catalogue if "004" in i.documents]
    assert all(not i.polarity_inferred for i in rows)
    ehcp = catalogue.get("ehcp-count")
    assert (ehcp.polarity, ehcp.reporting_basis, ehcp.unit) == (Polarity.PLAN, "Snapshot", "count")
    rate = catalogue.get("ehcp-rate-per-1000")
    assert rate.unit == "rate per 1,000" and rate.per == 1000 and rate.polarity is Polarity.PLAN
    assert catalogue.get("strategy-discussions-5-days-pct").reporting_basis == "Quarterly"


def test_sample_000_rows(catalogue):
    """000 rows carry their stated source and frequency; tbc items are marked."""
    neet = catalogue.get("neet-16-18-pct")
    assert neet.source_return == "NCCIS" and "183" in neet.cib_ref
    schools = catalogue.get("schools-good-pct")
    assert (schools.source_return, schools.frequency) == ("Ofsted DataView", "Quarterly")
    assert schools.documents == ("000", "002")
    fsm = catalogue.get("fsm-pct")
    assert (fsm.source_return, fsm.frequency, fsm.polarity) == ("LA", "Annual", Polarity.NONE)
    assert catalogue.get("early-help-measure-tbc").status == "to be confirmed"
    assert catalogue.get("org-health-check").unit == "yes/no"
    a1 = catalogue.get("adoption-entry-to-placement-days")
    assert a1.documents == ("000", "001", "002", "003") and a1.kcc_code == "SCS29"


def test_judged_measures_are_consistent(catalogue):
    """No text, date or yes/no measure has a polarity; every rate has a population basis."""
    for indicator in catalogue:
        if indicator.unit in ("text", "date", "yes/no"):
            assert indicator.polarity is Polarity.NONE, indicator.id
        if indicator.unit.startswith("rate per"):
            assert indicator.population_basis, indicator.id
        if indicator.polarity_inferred:
            assert indicator.polarity.is_judged, indicator.id


def test_get_unknown_id_names_it(catalogue):
    """Asking for an unknown id raises ScorecardError that names the id."""
    with pytest.raises(ScorecardError, match="no-such-thing"):
        catalogue.get("no-such-thing")


def test_themes_search_and_by_theme(catalogue):
    """themes() keeps file order; search and by_theme find the expected rows."""
    themes = catalogue.themes()
    assert themes[0] == "Council and political overview" and "Workforce" in themes
    assert {i.id for i in catalogue.search("SCS03")} == {"re-referrals-12m-pct"}
    assert all(i.theme == "Adoption" for i in catalogue.by_theme("adoption"))
    with pytest.raises(ScorecardError, match="unknown theme"):
        catalogue.by_theme("Astrology")


def test_fingerprint_is_stable_and_content_sensitive(catalogue, tmp_path):
    """The fingerprint is a sha256 hex that survives a CSV round trip and changes with content."""
    fingerprint = catalogue.fingerprint()
    assert len(fingerprint) == 64 and fingerprint == load_catalogue().fingerprint()
    copy = tmp_path / "copy.csv"
    copy.write_text(catalogue.to_csv(), encoding="utf-8")
    assert load_catalogue(copy).fingerprint() == fingerprint
    changed = tmp_path / "changed.csv"
    changed.write_text(catalogue.to_csv().replace("Smaller is Better", "Bigger is Better", 1),
                       encoding="utf-8")
    assert load_catalogue(changed).fingerprint() != fingerprint


def test_to_records_in_column_order(catalogue):
    """to_records gives one dict per row with keys in CATALOGUE_COLUMNS order."""
    records = catalogue.to_records()
    assert len(records) == len(catalogue)
    assert tuple(records[0]) == CATALOGUE_COLUMNS


def test_invalid_catalogue_reports_every_problem():
    """A bad file yields every problem at once, each naming row, field, value and what is allowed."""
    problems = validate_catalogue(DATA / "catalogue_bad.csv")
    text = [str(p) for p in problems]
    assert "catalogue_bad.csv row 3, field 'id': 'good-one' is a duplicate id" in text[0] or any(
        "row 3, field 'id': 'good-one' is a duplicate id" in t for t in text)
    assert any("row 4, field 'unit': 'percent' is not a unit; allowed: percentage" in t
               for t in text)
    assert any("row 5, field 'polarity'" in t and "text measure" in t for t in text)
    assert any("row 6, field 'population_basis'" in t and "rate per 10,000" in t for t in text)
    fields = {(p.row, p.field) for p in problems}
    for field in ("polarity", "reporting_basis", "frequency", "cib_ref", "dfe_ref", "regions",
                  "status", "documents"):
        assert (7, field) in fields, field
    assert all(p.message for p in problems)


def test_load_invalid_raises_catalogue_error():
    """load_catalogue raises CatalogueError carrying all the problems."""
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(DATA / "catalogue_bad.csv")
    assert len(caught.value.problems) >= 11
    assert isinstance(caught.value, ScorecardError)


def test_extend_adds_rows_and_rejects_duplicates(tmp_path):
    """--extend adds a user's rows after the built-in ones; reusing a built-in id is an error."""
    extended = load_catalogue(extend=DATA / "catalogue_extra.csv")
    assert len(extended) == len(load_catalogue()) + 1
    local = extended.get("local-early-help-visits-pct")
    assert (local.tolerance_type, local.tolerance) == ("absolute", 2.0)
    clash = tmp_path / "clash.csv"
    clash.write_text("id,name,short_name,theme,unit,polarity\ncpp-rate,X,X,X,count,\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="duplicate id"):
        load_catalogue(extend=clash)


def test_missing_columns_reported(tmp_path):
    """A file without the required columns is reported, not crashed on."""
    path = tmp_path / "nohead.csv"
    path.write_text("identifier,label\nx,y\n", encoding="utf-8")
    problems = validate_catalogue(path)
    assert {p.field for p in problems if p.row == 1} >= {"id", "name", "unit"}


def test_export_formats(catalogue, tmp_path):
    """CSV export round-trips, JSON carries the fingerprint, xlsx is one filterable table."""
    csv_path = export_catalogue(catalogue, "csv", tmp_path / "c.csv")
    assert load_catalogue(csv_path).fingerprint() == catalogue.fingerprint()
    data = json.loads(export_catalogue(catalogue, "json", tmp_path / "c.json").read_text("utf-8"))
    assert data["fingerprint"] == catalogue.fingerprint()
    assert len(data["indicators"]) == len(catalogue)
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(export_catalogue(catalogue, "xlsx", tmp_path / "c.xlsx"))
    sheet = workbook["Catalogue"]
    assert list(sheet.tables) == ["Catalogue"]
    assert sheet.freeze_panes == "C2"
    assert not sheet.merged_cells.ranges
    assert sheet.cell(1, 1).value == "id" and sheet.max_row == len(catalogue) + 1
    with pytest.raises(ScorecardError, match="allowed"):
        export_catalogue(catalogue, "pdf", tmp_path / "c.pdf")


def test_cli_commands(capsys, tmp_path):
    """The catalogue CLI lists, shows, validates and exports, with exit codes."""
    assert main(["catalogue", "list", "--search", "re-referrals 12 months"]) == 0
    assert "re-referrals-12m-pct" in capsys.readouterr().out
    assert main(["catalogue", "show", "re-referrals-12m-pct"]) == 0
    assert "SCS03" in capsys.readouterr().out
    assert main(["catalogue", "validate"]) == 0
    assert main(["catalogue", "validate", str(DATA / "catalogue_bad.csv")]) == 1
    assert "is not a unit" in capsys.readouterr().out
    out = tmp_path / "cat.json"
    assert main(["catalogue", "export", "--format", "json", "--out", str(out)]) == 0
    assert out.exists()
    assert main(["catalogue", "show", "not-an-id"]) == 2
    assert main(["catalogue", "--extend", str(DATA / "catalogue_extra.csv"), "show",
                 "local-early-help-visits-pct"]) == 0


def test_attainment_gaps_are_percentage_points_that_may_be_negative():
    """Gap measures are in percentage points (not a numerator/denominator percentage), so a
    collection template accepts a negative gap such as -3.5."""
    from generator.collection import layout as template_layout

    gap = load_catalogue().get("ks2-fsm-gap-em")
    assert gap.unit == "percentage points" and gap.per is None
    assert template_layout.input_fields(gap.unit) == template_layout.input_fields("score")
    assert template_layout.range_problem(-3.5, template_layout.rule_for("value", gap.unit)) is None
    assert template_layout.range_problem(-130, template_layout.rule_for("value", gap.unit)) is not None

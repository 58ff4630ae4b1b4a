"""Data-quality queries in the hub, with the checks library (generator.collection.quality): an
upload whose figure moved far from the authority's previous period raises a query shown on its
page and counted on the lead's dashboard; the authority confirms it with a comment (audited);
another authority cannot; a resubmission that changes the figure marks it corrected."""

from __future__ import annotations

from django.contrib.auth.models import User
from helpers import EAST, NORTH, client_for, filled, make_region, upload

from generator.collection.collect import collect
from hub.rounds import quality, services
from hub.rounds.models import AuditEvent, Round
from hub.rounds.store import open_store


def _moved_query(hub_round, tmp_path):
    """Northshire's previous quarter (collected by the CLI's library) had fsm-pct 21.5; its
    upload for this round says 43."""
    previous = Round.objects.create(period="2023-24 Q4", title="earlier", deadline=hub_round.deadline,
                                    indicator_ids=hub_round.indicator_ids,
                                    opened_by=User.objects.get(username="lead"))
    collect([filled(previous, NORTH, tmp_path / "q4")], open_store(), services.catalogue())
    upload(client_for("north"), hub_round, NORTH,
           filled(hub_round, NORTH, tmp_path / "q1", **{"fsm-pct": {"value": 43}}))
    found = quality.queries(open_store(), authority=NORTH, period=hub_round.period)
    return found[found["indicator_id"] == "fsm-pct"]


def test_query_shown_confirmed_and_counted(hub, tmp_path):
    """The moved figure is a query on Northshire's page with its sheet and cell; the dashboard
    counts it; Northshire confirms it with a comment (a comment is required) and it is audited."""
    the_round = make_region()
    moved = _moved_query(the_round, tmp_path)
    assert list(moved["check_code"]) == ["moved"] and list(moved["status"]) == ["open"]
    query_id = int(moved["id"].iloc[0])
    north = client_for("north")
    page = north.get(f"/rounds/{the_round.pk}/authorities/{NORTH}/").content.decode()
    assert "Data-quality queries" in page and f"queries/{query_id}/confirm/" in page
    assert f"{moved['sheet'].iloc[0]}!{moved['cell'].iloc[0]}" in page
    dashboard = client_for("lead").get(f"/rounds/{the_round.pk}/dashboard/").content.decode()
    north_row = dashboard[dashboard.index("Northshire (E99000001)"):].split("</tr>")[0]
    open_now = len(quality.queries(open_store(), authority=NORTH, status="open"))
    assert open_now >= 1 and f'<td class="num">{open_now}</td>' in north_row
    url = f"/rounds/{the_round.pk}/authorities/{NORTH}/queries/{query_id}/confirm/"
    north.post(url, {"comment": ""})
    assert open_store().query(query_id).status == "open"
    north.post(url, {"comment": "Free school meals eligibility widened in April"})
    answered = open_store().query(query_id)
    assert answered.status == "confirmed" and answered.answered_by == "north"
    assert AuditEvent.objects.get(action="confirm query").authority == NORTH


def test_another_authority_cannot_confirm(hub, tmp_path):
    """Eastshire posting to Northshire's query, under either code, gets 404; it stays open."""
    the_round = make_region()
    query_id = int(_moved_query(the_round, tmp_path)["id"].iloc[0])
    east = client_for("east")
    for code in (NORTH, EAST):
        response = east.post(f"/rounds/{the_round.pk}/authorities/{code}/queries/{query_id}/confirm/",
                             {"comment": "not mine"})
        assert response.status_code == 404
    assert open_store().query(query_id).status == "open"


def test_resubmission_corrects_the_query(hub, tmp_path):
    """Uploading a version with the figure put right marks the query corrected, and the page
    says so."""
    the_round = make_region()
    query_id = int(_moved_query(the_round, tmp_path)["id"].iloc[0])
    upload(client_for("north"), the_round, NORTH,
           filled(the_round, NORTH, tmp_path / "fixed", **{"fsm-pct": {"value": 22}}))
    assert open_store().query(query_id).status == "corrected"
    page = client_for("north").get(f"/rounds/{the_round.pk}/authorities/{NORTH}/").content.decode()
    assert "Corrected" in page


def test_a_query_that_must_be_corrected_offers_no_confirm_form(hub, tmp_path):
    """A percentage's numerator above its denominator can only be corrected (the library's
    Query.confirmable is False): the submitter's page offers no Confirm form for it, which the
    store would refuse, and says to upload a corrected return; the query stays open."""
    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, filled(
        the_round, NORTH, tmp_path, **{"eyfs-gld-pct": {"numerator": 500, "denominator": 400}}))
    found = quality.queries(open_store(), authority=NORTH, period=the_round.period)
    over = found[found["check_code"] == "numerator_over_denominator"]
    query_id = int(over["id"].iloc[0])
    assert not open_store().query(query_id).confirmable
    page = client_for("north").get(f"/rounds/{the_round.pk}/authorities/{NORTH}/").content.decode()
    assert "numerator_over_denominator" in page and f"queries/{query_id}/confirm/" not in page
    assert "Upload a corrected return to answer it." in page
    assert open_store().query(query_id).status == "open"

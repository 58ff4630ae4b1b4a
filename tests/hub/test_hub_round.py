"""A whole round through the hub's pages (Django's test client): open, template, upload with
the report in the page, resubmission with its changes, quarantine judged, publication and the
downloads, every step in the audit log with the file's SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib

from helpers import EAST, NORTH, SOUTH, client_for, filled, make_region, upload

from generator.collection.read import read_return
from hub.rounds import services
from hub.rounds.models import AuditEvent, Round
from hub.rounds.store import open_store


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(response) -> str:
    return response.content.decode()


def test_lead_opens_a_round_from_the_form(hub):
    """The lead's form makes a round with the period normalised, the dataset's indicators and
    the authorities chosen; the opening is audited; a second round for the period is refused."""
    make_region(period="2023-24 Q4")
    lead = client_for("lead")
    form = {"period": "Q1 2024/25", "dataset": "performance-dataset",
            "authorities": [NORTH, SOUTH], "deadline": "2024-07-31", "contact": "x@y.gov.uk"}
    response = lead.post("/rounds/new/", form)
    the_round = Round.objects.get(period="2024-25 Q1")
    assert response.status_code == 302 and response["Location"] == f"/rounds/{the_round.pk}/dashboard/"
    assert the_round.codes() == [NORTH, SOUTH] and len(the_round.indicator_ids) == 67
    assert the_round.deadline == dt.date(2024, 7, 31)
    assert AuditEvent.objects.filter(action="open round", round=the_round).count() == 1
    again = lead.post("/rounds/new/", {**form, "period": "2024-25 Q1"})
    assert again.status_code == 200 and "already open" in _text(again)
    dashboard = _text(lead.get(f"/rounds/{the_round.pk}/dashboard/"))
    assert "Northshire (E99000001)" in dashboard and "Awaiting" in dashboard


def test_template_download_is_the_authoritys_own_and_audited(hub, tmp_path):
    """A submitter's template names its own authority and the round's period; the download is
    in the audit log with the SHA-256 of the bytes sent."""
    the_round = make_region()
    response = client_for("north").get(f"/rounds/{the_round.pk}/authorities/{NORTH}/template.xlsx")
    data = b"".join(response.streaming_content)
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    result = read_return(path, services.catalogue())
    assert (result.submission.authority, result.submission.period) == (NORTH, "2024-25 Q1")
    event = AuditEvent.objects.get(action="download")
    assert event.username == "north" and event.sha256 == _sha(data) and event.authority == NORTH


def test_upload_with_errors_then_resubmission(hub, tmp_path):
    """An upload with mistakes is stored with its report in the page (sheet, cell, what to type
    instead); the corrected resubmission becomes version 2 and the page shows what changed."""
    the_round = make_region()
    east = client_for("east")
    bad = filled(the_round, EAST, tmp_path, "east_v1.xlsx",
                 **{"academies-count": {"value": "about 40"}, "fsm-pct": {"value": 120}})
    response = upload(east, the_round, EAST, bad)
    assert response.status_code == 302
    page = _text(east.get(response["Location"]))
    assert "Stored as version 1, with 2 error(s)" in page
    assert "&#x27;about 40&#x27; is not a number" in page and "A whole number, 0 or more, or GSS shorthand" in page
    assert "above the maximum 100" in page and "A percentage from 0 to 100" in page
    assert ">Context<" in page and ">H4<" in page  # the sheet and cell of each problem
    good = filled(the_round, EAST, tmp_path, "east_v2.xlsx")
    upload(east, the_round, EAST, good)
    page = _text(east.get(f"/rounds/{the_round.pk}/authorities/{EAST}/"))
    assert "Version 2: validation report" in page and "passed every check" in page
    assert "What version 2 changed from the version before" in page and "about 40" in page
    stored = open_store().submissions(authority=EAST, period=the_round.period)
    assert list(stored["version"]) == [1, 2] and list(stored["n_errors"]) == [2, 0]
    uploads = AuditEvent.objects.filter(action="upload").order_by("id")
    assert [e.sha256 for e in uploads] == [_sha(bad.read_bytes()), _sha(good.read_bytes())]
    assert [e.version for e in uploads] == [1, 2]


def test_an_upload_is_read_once(hub, tmp_path, monkeypatch):
    """The hub reads an uploaded file once: the read that checks whose template it is is the one
    stored (the guard, the costly part of a read, runs once per upload)."""
    import generator.collection.read as read

    opened = []
    guard_file = read.guard_file
    monkeypatch.setattr(read, "guard_file", lambda path, limits: opened.append(path) or guard_file(path, limits))
    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, filled(the_round, NORTH, tmp_path))
    assert len(opened) == 1
    assert list(open_store().submissions(authority=NORTH)["version"]) == [1]


def test_same_file_twice_is_not_stored_again(hub, tmp_path):
    """A byte-identical resubmission is reported as already received, not a new version."""
    the_round = make_region()
    north = client_for("north")
    path = filled(the_round, NORTH, tmp_path)
    upload(north, the_round, NORTH, path)
    response = upload(north, the_round, NORTH, path)
    assert "not stored again" in _text(north.get(response["Location"]))
    assert len(open_store().submissions(authority=NORTH)) == 1


def test_another_authoritys_template_is_refused_and_not_stored(hub, tmp_path):
    """Northshire uploading Southshire's filled template stores nothing under either."""
    the_round = make_region()
    south_file = filled(the_round, SOUTH, tmp_path)
    response = upload(client_for("north"), the_round, NORTH, south_file)
    assert response.status_code == 400
    assert "This is the template for Southshire (E99000002)" in _text(response)
    assert open_store().submissions().empty
    assert AuditEvent.objects.get(action="upload refused").sha256 == _sha(south_file.read_bytes())


def _edit_cover(path, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Cover"]["B4"] = SOUTH
    out = tmp_path / "edited.xlsx"
    book.save(out)
    return out


def test_quarantined_return_accepted_by_the_lead(hub, tmp_path):
    """A return whose cover was edited is quarantined (shown as such on the dashboard); the
    lead accepts it and it becomes the version in use; the acceptance is audited."""
    the_round = make_region()
    edited = _edit_cover(filled(the_round, NORTH, tmp_path), tmp_path)
    upload(client_for("north"), the_round, NORTH, edited)
    lead = client_for("lead")
    assert "Quarantined" in _text(lead.get(f"/rounds/{the_round.pk}/dashboard/"))
    assert open_store().latest(NORTH, the_round.period) is None
    response = lead.post(f"/rounds/{the_round.pk}/authorities/{NORTH}/versions/1/accept/")
    assert response.status_code == 302
    assert open_store().latest(NORTH, the_round.period)["version"] == 2
    event = AuditEvent.objects.get(action="accept")
    assert event.version == 1 and event.sha256 == _sha(edited.read_bytes())
    assert "Returned" in _text(lead.get(f"/rounds/{the_round.pk}/dashboard/"))


def test_quarantined_return_rejected_with_a_reason(hub, tmp_path):
    """The lead rejects a quarantined return with a reason the authority then sees; a rejection
    needs a reason; the dashboard shows Rejected."""
    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, _edit_cover(filled(the_round, NORTH, tmp_path),
                                                              tmp_path))
    lead = client_for("lead")
    url = f"/rounds/{the_round.pk}/authorities/{NORTH}/versions/1/reject/"
    lead.post(url, {"reason": ""})
    assert not AuditEvent.objects.filter(action="reject").exists()
    lead.post(url, {"reason": "Cover edited to Southshire: send your own return"})
    page = _text(client_for("north").get(f"/rounds/{the_round.pk}/authorities/{NORTH}/"))
    assert "Rejected by the hub lead" in page and "Cover edited to Southshire" in page
    assert "Rejected" in _text(lead.get(f"/rounds/{the_round.pk}/dashboard/"))
    assert AuditEvent.objects.get(action="reject").detail.startswith("Cover edited")


def test_a_published_rounds_returns_are_closed_to_accept_and_reject(hub, tmp_path):
    """Once a round is published, the lead can neither accept nor reject a quarantined return:
    nothing is stored or audited, and the page says the returns are closed."""
    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, _edit_cover(filled(the_round, NORTH, tmp_path),
                                                              tmp_path))
    Round.objects.filter(pk=the_round.pk).update(published_at=dt.datetime.now(dt.UTC))
    lead = client_for("lead")
    versions = f"/rounds/{the_round.pk}/authorities/{NORTH}/versions/1"
    for response in (lead.post(f"{versions}/accept/", follow=True),
                     lead.post(f"{versions}/reject/", {"reason": "too late"}, follow=True)):
        assert "its returns are closed" in _text(response)
    assert list(open_store().submissions(authority=NORTH)["version"]) == [1]
    assert not AuditEvent.objects.filter(action__in=["accept", "reject"]).exists()


def test_late_authorities_are_shown_late(hub):
    """After the deadline an authority with no return is Late, not Awaiting."""
    the_round = make_region(deadline=dt.date.today() - dt.timedelta(days=1))
    page = _text(client_for("lead").get(f"/rounds/{the_round.pk}/dashboard/"))
    assert page.count("! Late") == 3


def test_publication_and_downloads(hub, tmp_path):
    """Publishing writes the regional benchmark and each returner's own files; submitters get
    theirs, viewers the regional benchmark; every download is audited with the file's
    SHA-256; uploads close."""
    the_round = make_region()
    for name, code in (("north", NORTH), ("south", SOUTH)):
        upload(client_for(name), the_round, code, filled(the_round, code, tmp_path / code))
    lead = client_for("lead")
    assert lead.post(f"/rounds/{the_round.pk}/publish/", {}).status_code == 302
    assert not Round.objects.get().published  # the confirmation box was not ticked
    lead.post(f"/rounds/{the_round.pk}/publish/", {"confirm": "on"})
    the_round.refresh_from_db()
    assert the_round.published
    files = {(f.kind, f.authority) for f in the_round.published_files.all()}
    assert files == {("benchmark", ""), ("benchmark", NORTH), ("scorecard", NORTH),
                     ("benchmark", SOUTH), ("scorecard", SOUTH)}
    north = client_for("north")
    for path in ("benchmark.xlsx", f"authorities/{NORTH}/benchmark.xlsx",
                 f"authorities/{NORTH}/scorecard.xlsx"):
        response = north.get(f"/rounds/{the_round.pk}/{path}")
        data = b"".join(response.streaming_content)
        assert response.status_code == 200 and data[:2] == b"PK"
        assert AuditEvent.objects.filter(action="download", sha256=_sha(data),
                                         username="north").exists()
    viewer = client_for("viewer")
    assert viewer.get(f"/rounds/{the_round.pk}/benchmark.xlsx").status_code == 200
    assert viewer.get(f"/rounds/{the_round.pk}/authorities/{NORTH}/scorecard.xlsx").status_code == 404
    late = upload(north, the_round, NORTH, filled(the_round, NORTH, tmp_path, "late.xlsx",
                                                  **{"fsm-pct": {"value": 30}}))
    assert "returns are closed" in _text(north.get(late["Location"]))
    assert len(open_store().submissions(authority=NORTH)) == 1
    assert AuditEvent.objects.filter(action="publish").count() == 5


def test_publish_command_for_large_regions(hub, tmp_path):
    """`python -m hub hub_publish PERIOD --by LEAD` publishes as the button does, audited as the
    lead; a user who is not a lead is refused."""
    import pytest
    from django.core.management import CommandError, call_command

    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, filled(the_round, NORTH, tmp_path))
    with pytest.raises(CommandError, match="not a hub lead"):
        call_command("hub_publish", the_round.period, by="viewer")
    call_command("hub_publish", the_round.period, by="lead")
    the_round.refresh_from_db()
    assert the_round.published and the_round.published_files.count() == 3
    events = AuditEvent.objects.filter(action="publish", username="lead")
    assert events.count() == 3 and all("hub_publish command" in e.detail for e in events)


def test_published_files_spell_the_period_as_every_file_name_does(hub, tmp_path):
    """The hub names what it publishes as the CLI and the demo name the same workbooks
    (benchmark_2024-25_Q1.xlsx, E99000001_2024-25_Q1_scorecard.xlsx: scorecard.periods.file_label),
    and the downloads carry those names."""
    from django.contrib.auth.models import User

    from scorecard.periods import file_label

    the_round = make_region()
    upload(client_for("north"), the_round, NORTH, filled(the_round, NORTH, tmp_path))
    services.publish(the_round, User.objects.get(username="lead"))
    label = file_label(the_round.period)
    names = {(f.kind, f.authority): f.path.rsplit("/", 1)[-1]
             for f in the_round.published_files.all()}
    assert names == {("benchmark", ""): f"benchmark_{label}.xlsx",
                     ("benchmark", NORTH): f"benchmark_{label}_{NORTH}.xlsx",
                     ("scorecard", NORTH): f"{NORTH}_{label}_scorecard.xlsx"}
    response = client_for("north").get(f"/rounds/{the_round.pk}/benchmark.xlsx")
    assert f'filename="benchmark_{label}.xlsx"' in response["Content-Disposition"]

"""The data-quality pages against the checks library's interface (generator.collection.quality:
Store.queries / answer_query), with a stand-in for the library where it is not in this tree:
the authority sees its queries and confirms one with a comment; another authority's query
cannot be confirmed; the lead sees open queries per authority."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import EAST, NORTH, client_for, make_region

from hub.rounds import quality
from hub.rounds.models import AuditEvent
from scorecard.errors import ScorecardError

COLUMNS = ["id", "authority", "period", "indicator_id", "field", "check_code", "message", "sheet",
           "cell", "value", "detail", "status", "comment"]


class StandIn:
    """The library's calls as the hub makes them, over a list of queries."""

    def __init__(self, rows):
        self.rows = rows
        self.answers = []

    def queries(self, store, authority=None, period=None, status=None):
        keep = [r for r in self.rows if (authority in (None, r["authority"]))
                and (period in (None, r["period"])) and (status in (None, r["status"]))]
        return pd.DataFrame(keep, columns=COLUMNS)

    def confirm(self, store, query_id, comment, by):
        row = next(r for r in self.rows if r["id"] == query_id)
        if row["status"] != "open":
            raise ScorecardError(f"query {query_id} is {row['status']}")
        row.update(status="confirmed", comment=comment)
        self.answers.append((query_id, comment, by))


@pytest.fixture
def library(hub, monkeypatch):
    the_round = make_region()
    rows = [{"id": n, "authority": code, "period": the_round.period, "indicator_id": "fsm-pct",
             "field": "value", "check_code": "moved", "message": f"moved 40% since 2024-25 Q4 ({code})",
             "sheet": "Context", "cell": "H5", "value": "21.5", "detail": "", "status": "open",
             "comment": ""} for n, code in ((1, NORTH), (2, EAST), (3, EAST))]
    stand_in = StandIn(rows)
    if not quality.AVAILABLE:
        monkeypatch.setattr(quality, "AVAILABLE", True)
        monkeypatch.setattr(quality, "queries", stand_in.queries)
        monkeypatch.setattr(quality, "confirm", stand_in.confirm)
    else:  # pragma: no cover - the library is here: this test is about the pages, not it
        pytest.skip("generator.collection.quality is installed; tests/test_quality covers it")
    return the_round, stand_in


def test_authority_confirms_its_own_query(library):
    """Northshire sees its query (and not Eastshire's) and confirms it with a comment; the
    answer is audited; a confirmation without a comment is refused."""
    the_round, stand_in = library
    north = client_for("north")
    page = north.get(f"/rounds/{the_round.pk}/authorities/{NORTH}/").content.decode()
    assert f"moved 40% since 2024-25 Q4 ({NORTH})" in page and f"({EAST})" not in page
    url = f"/rounds/{the_round.pk}/authorities/{NORTH}/queries/1/confirm/"
    north.post(url, {"comment": ""})
    assert stand_in.answers == []
    north.post(url, {"comment": "A new academy opened in April"})
    assert stand_in.answers == [(1, "A new academy opened in April", "north")]
    assert AuditEvent.objects.get(action="confirm query").authority == NORTH
    again = north.post(url, {"comment": "twice"}, follow=True).content.decode()
    assert "Not confirmed: query 1 is confirmed" in again


def test_another_authoritys_query_cannot_be_confirmed(library):
    """Northshire posting to Eastshire's query, under its own code or Eastshire's, gets 404."""
    the_round, stand_in = library
    north = client_for("north")
    for code in (NORTH, EAST):
        response = north.post(f"/rounds/{the_round.pk}/authorities/{code}/queries/2/confirm/",
                              {"comment": "not mine"})
        assert response.status_code == 404
    assert stand_in.answers == []


def test_lead_sees_open_queries_per_authority(library):
    """The dashboard's Open queries column counts each authority's open queries."""
    the_round, _ = library
    html = client_for("lead").get(f"/rounds/{the_round.pk}/dashboard/").content.decode()
    east_row = html[html.index("Eastshire (E99000003)"):].split("</tr>")[0]
    assert '<td class="num">2</td>' in east_row

"""The load test, small (benchmarks/bench_hub_load.py runs 150 authorities on gunicorn): many
authorities upload at once to a live hub; every return is stored exactly once, nothing is lost,
and every upload is audited. Bounded: one attempt per authority, a timeout, no loops."""

from __future__ import annotations

import os

from hub import loadtest
from hub.rounds.models import AuditEvent

AUTHORITIES = int(os.environ.get("HUB_LOAD_TEST_AUTHORITIES", "20"))


def test_authorities_upload_at_once(hub, live_server, tmp_path):
    """N submitters signed in, N uploads released together: N stored, one each, N audited."""
    round_id, people = loadtest.prepare(AUTHORITIES, tmp_path / "returns", dataset="performance-dataset")
    result = loadtest.upload_at_once(live_server.url, round_id, people, timeout=120)
    print(result.summary())
    assert result.failures == []
    assert all(o.message.startswith("Stored as version 1") for o in result.outcomes)
    assert loadtest.check(people) == {"missing": [], "more than once": []}
    assert AuditEvent.objects.filter(action="upload").count() == AUTHORITIES

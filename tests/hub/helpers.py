"""A small region for the hub's tests: the demo's four authorities, a user per role, a round
asking six indicators of different units, and returns filled in code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.test import Client

from generator import demo
from generator.collection.templates import fill_template
from hub.rounds import roles, services
from hub.rounds.models import Participant, Round
from hub.rounds.store import open_store

PASSWORD = "a-long-test-password-1"
INDICATORS = ("academies-count", "fsm-pct", "eyfs-gld-pct", "re-referrals-12m-rate",
              "adoption-entry-to-placement-days", "lac-good-schools-pct")
AUTHORITIES = demo.COLLECTION_AUTHORITIES  # E99000001 Northshire ... E99000004 Westshire
NORTH, SOUTH, EAST, WEST = (a.code for a in AUTHORITIES)
USERS = {"lead": (roles.LEAD, ""), "north": (roles.SUBMITTER, NORTH),
         "south": (roles.SUBMITTER, SOUTH), "east": (roles.SUBMITTER, EAST),
         "viewer": (roles.VIEWER, "")}


def make_region(period: str = "2024-25 Q1", deadline: dt.date | None = None,
                codes=(NORTH, SOUTH, EAST)) -> Round:
    """Authorities in the store, one user per role, and an open round for `codes`."""
    open_store().add_authorities(AUTHORITIES)
    users = {name: roles.make_user(name, PASSWORD, role, code)
             for name, (role, code) in USERS.items()}
    the_round = Round.objects.create(
        period=period, title="Six test indicators", indicator_ids=list(INDICATORS),
        deadline=deadline or dt.date.today() + dt.timedelta(days=7), opened_by=users["lead"])
    Participant.objects.bulk_create(Participant(round=the_round, authority=c) for c in codes)
    return the_round


def client_for(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def entries(code: str, **overrides) -> dict[str, dict[str, object]]:
    """Plain good figures for every test indicator, with `overrides` (id -> {field: value})."""
    base = {"academies-count": {"value": 12}, "fsm-pct": {"value": 21.5},
            "eyfs-gld-pct": {"numerator": 300, "denominator": 400, "target": 70},
            "re-referrals-12m-rate": {"value": 180.2, "target": 200},
            "adoption-entry-to-placement-days": {"value": 420, "target": 426},
            "lac-good-schools-pct": {"value": 80 + len(code) % 7, "commentary": f"{code} comment"}}
    for indicator, fields in overrides.items():
        base[indicator] = {**base.get(indicator, {}), **fields}
    return base


def filled(the_round: Round, code: str, folder: Path, name: str | None = None,
           **overrides) -> Path:
    """`code`'s blank template for the round, filled with entries(code, **overrides)."""
    folder.mkdir(parents=True, exist_ok=True)
    blank = services.blank_template(the_round, code)
    return fill_template(blank, folder / (name or f"{code}_return.xlsx"),
                         entries(code, **overrides))


def upload(client: Client, the_round: Round, code: str, path: Path, name: str | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name or Path(path).name, Path(path).read_bytes())
    return client.post(f"/rounds/{the_round.pk}/authorities/{code}/upload/", {"file": file})

"""Many authorities uploading at once to a running hub (localhost only): the load test's parts.

`prepare` makes N authorities, a submitter each and an open round, with every authority's
filled return on disk; `upload_at_once` signs each submitter in, then releases all their
uploads together (one thread per authority, one attempt each, bounded by a timeout: it stops by
itself); `check` says whether every return was stored exactly once. Used by
benchmarks/bench_hub_load.py (150 authorities, gunicorn workers) and tests/hub/test_hub_load.py
(fewer, Django's live test server).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PASSWORD = "load-test-password-1"
PERIOD = "2024-25 Q2"


@dataclass
class Person:
    username: str
    code: str
    file: Path


def prepare(n: int, folder: Path, dataset: str = "performance-dataset") -> tuple[int, list[Person]]:
    """N authorities (E98000001 ...), a submitter each (one password hash shared, so setting up
    costs one PBKDF2 run), an open round for all, and each one's filled return in `folder`.
    Returns (round id, people). Needs Django set up on the hub's database."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from generator.collection.store import Authority
    from generator.collection.templates import fill_template, select_indicators
    from generator.demo import example_entries
    from hub.rounds import roles, services
    from hub.rounds.models import Membership, Participant, Round
    from hub.rounds.store import open_store

    authorities = [Authority(f"E98{n_:06d}", f"Load authority {n_}", "Load region")
                   for n_ in range(1, n + 1)]
    open_store().add_authorities(authorities)
    roles.ensure_roles()
    hashed = make_password(PASSWORD)
    submitters = Group.objects.get(name=roles.SUBMITTER)
    lead = roles.make_user("load-lead", PASSWORD, roles.LEAD)
    title, indicators = select_indicators(services.catalogue(), dataset=dataset)
    the_round = Round.objects.create(period=PERIOD, title=title,
                                     indicator_ids=[i.id for i in indicators],
                                     deadline=dt.date.today() + dt.timedelta(days=7), opened_by=lead)
    people = []
    folder.mkdir(parents=True, exist_ok=True)
    for authority in authorities:
        user = User.objects.create(username=f"load-{authority.code}", password=hashed)
        user.groups.add(submitters)
        Membership.objects.create(user=user, authority=authority.code)
        Participant.objects.create(round=the_round, authority=authority.code)
        blank = services.blank_template(the_round, authority.code)
        path = fill_template(blank, folder / f"{authority.code}.xlsx",
                             example_entries(indicators, authority, PERIOD))
        people.append(Person(user.username, authority.code, path))
    return the_round.pk, people


@dataclass
class Outcome:
    code: str
    status: int = 0
    seconds: float = 0.0
    error: str = ""
    message: str = ""


@dataclass
class LoadResult:
    outcomes: list[Outcome]
    wall: float  # from the release of the uploads to the last answer
    sign_in: float
    failures: list[Outcome] = field(default_factory=list)

    def summary(self) -> str:
        times = sorted(o.seconds for o in self.outcomes)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        return (f"{len(self.outcomes)} uploads at once: all answered in {self.wall:.1f} s "
                f"({len(self.outcomes) / self.wall:.1f} uploads/s); each took median "
                f"{statistics.median(times):.2f} s, 95th percentile {p95:.2f} s, longest "
                f"{times[-1]:.2f} s; {len(self.failures)} failed; signing in took {self.sign_in:.1f} s")


def upload_at_once(base_url: str, round_id: int, people: list[Person],
                   timeout: float = 300.0) -> LoadResult:
    """Sign everyone in, then release every upload together; one attempt each, no retries."""
    import httpx

    host = urlsplit(base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load test only targets this machine, not {host}")
    release = threading.Barrier(len(people))
    signed_in = []
    lock = threading.Lock()

    def one(person: Person) -> Outcome:
        outcome = Outcome(person.code)
        client = httpx.Client(base_url=base_url, timeout=timeout, follow_redirects=False)
        try:
            page = client.get("/accounts/login/")
            token = _token(page.text)
            client.post("/accounts/login/", data={"username": person.username,
                                                  "password": PASSWORD,
                                                  "csrfmiddlewaretoken": token},
                        headers={"Referer": base_url + "/accounts/login/"})
            mine = f"/rounds/{round_id}/authorities/{person.code}/"
            token = _token(client.get(mine).text)
            with lock:
                signed_in.append(time.perf_counter())
            release.wait(timeout)
            start = time.perf_counter()
            with person.file.open("rb") as handle:
                response = client.post(mine + "upload/", data={"csrfmiddlewaretoken": token},
                                       files={"file": (person.file.name, handle)},
                                       headers={"Referer": base_url + mine})
            outcome.seconds = time.perf_counter() - start
            outcome.status = response.status_code
            if response.status_code == 302:
                page = client.get(response.headers["location"]).text
                found = re.search(r"Stored as version \d+[^<]*", page)
                outcome.message = found.group(0) if found else ""
        except Exception as error:  # noqa: BLE001 - every failure is counted, none retried
            outcome.error = f"{type(error).__name__}: {error}"
            release.abort()
        finally:
            client.close()
        return outcome

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        outcomes = list(pool.map(one, people))
    released = max(signed_in) if signed_in else started
    wall = time.perf_counter() - released
    failures = [o for o in outcomes if o.error or o.status != 302 or not o.message]
    return LoadResult(outcomes, wall, released - started, failures)


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no CSRF token on the page (not signed in?)")
    return found.group(1)


def check(people: list[Person]) -> dict[str, list[str]]:
    """Which authorities have no stored return, or more than one, for the load round."""
    from hub.rounds.store import open_store

    stored = open_store().submissions(period=PERIOD)
    counts = stored.groupby("authority").size().to_dict()
    return {"missing": [p.code for p in people if counts.get(p.code, 0) == 0],
            "more than once": [p.code for p in people if counts.get(p.code, 0) > 1]}

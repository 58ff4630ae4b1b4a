"""The hub attacked: every route of the URLconf (found by walking it, so a new route is covered
without being listed here), by GET and POST, with another authority's ids, as a viewer, as
another authority's submitter, logged out and with stale sessions. Nothing of the victim's may
come back, and nothing may change. Then CSRF on every form, the password hasher, the
production cookie and transport settings, and hostile uploads answered in the page."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, resolve
from helpers import EAST, NORTH, PASSWORD, SOUTH, client_for, filled, make_region, upload

from hub.rounds import roles, services
from hub.rounds.models import AuditEvent, Membership, Rejection, Round
from hub.rounds.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SECRET = "VICTIM-SECRET-7f3a9"  # typed only in the victim's (Southshire's) open-round return
GOOD_STATUSES = {302, 400, 403, 404, 405}  # anything else from an attacker is a leak
# Routes an identity may legitimately open (anything else must be refused). The logged-in
# attackers may see their own account pages and the rounds they may know about.
PUBLIC = {"login", "admin:login", "admin:logout", "logout", "admin:jsi18n"}
ACCOUNT = PUBLIC | {"home", "round_list", "password_change", "password_change_done"}
ALLOWED = {
    "anonymous": PUBLIC,
    "stale (signed out)": PUBLIC,
    "stale (password changed)": PUBLIC,
    "viewer": ACCOUNT | {"round@published", "benchmark@published"},
    "other submitter": ACCOUNT | {"round@published", "benchmark@published", "round@open"},
}


def routes() -> list[tuple[str, str]]:
    """(name, path pattern) of every route in the URLconf, admin included."""
    found = []
    for _view, regex, namespace, name in extract_views_from_urlpatterns(get_resolver().url_patterns):
        label = ":".join([*(namespace or []), name or "(unnamed)"])
        found.append((label, simplify_regex(regex)))
    return found


def test_route_walk_finds_every_hub_route():
    """The walk sees the hub's routes (so the attack below reaches them) and the admin's."""
    names = {name for name, _ in routes()}
    assert {"dashboard", "upload", "accept", "reject", "publish", "scorecard", "own_benchmark",
            "benchmark", "return_file", "template", "confirm_query", "audit"} <= names
    assert "admin:auth_user_changelist" in names and len(names) > 60


@pytest.fixture
def scene(hub, tmp_path):
    """A published round (every authority's files written) and an open one where the victim,
    Southshire, has a quarantined version 1 and a good version 2, both holding SECRET; version
    2's fsm-pct moved from the published quarter, so the victim has an open query."""
    published = make_region(period="2023-24 Q4")
    for code in (NORTH, SOUTH, EAST):
        upload(client_for({NORTH: "north", SOUTH: "south", EAST: "east"}[code]), published, code,
               filled(published, code, tmp_path / "p" / code))
    services.publish(published, User.objects.get(username="lead"))
    open_round = Round.objects.create(period="2024-25 Q1", title="Test", deadline=published.deadline,
                                      indicator_ids=published.indicator_ids,
                                      opened_by=User.objects.get(username="lead"))
    for code in (NORTH, SOUTH, EAST):
        open_round.participants.create(authority=code)
    south = client_for("south")
    secret = {"lac-good-schools-pct": {"commentary": SECRET}}
    first = filled(open_round, SOUTH, tmp_path / "o", "south_secret_v1.xlsx", **secret)
    import openpyxl

    book = openpyxl.load_workbook(first)
    book["Cover"]["B4"] = "edited"
    book.save(first)
    upload(south, open_round, SOUTH, first)
    upload(south, open_round, SOUTH, filled(open_round, SOUTH, tmp_path / "o",
                                             "south_secret_v2.xlsx", **secret,
                                             **{"fsm-pct": {"value": 43}}))
    files = {f.sha256 for f in published.published_files.filter(authority=SOUTH)}
    query = open_store().queries(authority=SOUTH, period=open_round.period, status="open")
    return {"published": published, "open": open_round, "victim_files": files,
            "victim_query": str(int(query["id"].iloc[0])),
            "attack_file": filled(open_round, SOUTH, tmp_path / "a", "attack.xlsx",
                                  **{"fsm-pct": {"value": 99}})}


def _identities(scene):
    """name -> a function making a fresh client for that identity."""
    def anonymous():
        return Client()

    def signed_in(name):
        def make():
            client = Client()
            client.force_login(User.objects.get(username=name))
            return client
        return make

    def stale_signed_out():
        client = client_for("lead")
        cookie = client.cookies["sessionid"].value
        client.post("/accounts/logout/")
        stale = Client()
        stale.cookies["sessionid"] = cookie
        return stale

    def stale_password_changed():
        victim = User.objects.get(username="lead")
        client = client_for("lead")
        victim.set_password(PASSWORD + "-changed")
        victim.save()
        victim.set_password(PASSWORD)  # the old password back for the next identity's login,
        victim.save()                  # but the session's hash stays stale (a new salt)
        return client

    return {"anonymous": anonymous, "stale (signed out)": stale_signed_out,
            "stale (password changed)": stale_password_changed,
            "viewer": signed_in("viewer"), "other submitter": signed_in("north")}


def _values(scene, which: str) -> dict[str, str]:
    """Values for every route parameter: the victim's ids."""
    the_round = scene[which]
    victim = Membership.objects.get(authority=SOUTH)
    return {"round_id": str(the_round.pk), "code": SOUTH, "version": "1",
            "query_id": scene["victim_query"], "object_id": str(victim.pk),
            "id": str(victim.user_id), "app_label": "rounds", "content_type_id": "1",
            "url": "rounds/round/"}


def _fill(pattern: str, values: dict[str, str]) -> str:
    def one(match):
        name = match.group(1)
        assert name in values, f"route {pattern}: no attacker value for parameter {name!r}"
        return values[name]
    return re.sub(r"<(?:\w+:)?(\w+)>", one, pattern)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_every_route_refuses_every_attacker(scene):
    """For every route x {GET, POST} x {published round, open round} x attacker: the status
    is a refusal unless the route is one the identity may open; no response carries the
    victim's secret or one of the victim's own published files; afterwards nothing of the
    victim's has changed (no version, acceptance, rejection, query answer or publication)."""
    before = open_store().submissions().to_dict("records")
    queries_before = open_store().queries().to_dict("records")
    last_event = AuditEvent.objects.order_by("id").last().id
    identities = _identities(scene)
    attempts = 0
    leaks = []
    for which in ("published", "open"):
        values = _values(scene, which)
        for name, pattern in routes():
            url = _fill(pattern, values)
            assert resolve(url) is not None
            for who, make in identities.items():
                for method in ("get", "post"):
                    client = make()
                    if method == "get":
                        response = client.get(url)
                    else:
                        upload_file = SimpleUploadedFile("attack.xlsx", scene["attack_file"].read_bytes())
                        response = client.post(url, {"file": upload_file, "reason": "x",
                                                     "comment": "x", "confirm": "on"})
                    attempts += 1
                    body = _body(response)
                    allowed = name in ALLOWED[who] or f"{name}@{which}" in ALLOWED[who]
                    if response.status_code not in GOOD_STATUSES and not allowed:
                        leaks.append(f"{who} {method.upper()} {url}: {response.status_code}")
                    if response.status_code == 302 and not allowed:
                        target = response["Location"]
                        if not re.match(r"^/(accounts|admin)/login/", target):
                            leaks.append(f"{who} {method.upper()} {url}: redirected to {target}")
                    if SECRET.encode() in body:
                        leaks.append(f"{who} {method.upper()} {url}: the victim's secret")
                    if hashlib.sha256(body).hexdigest() in scene["victim_files"]:
                        leaks.append(f"{who} {method.upper()} {url}: a victim's published file")
    assert leaks == []
    assert attempts > 1500
    assert open_store().submissions().to_dict("records") == before
    assert open_store().queries().to_dict("records") == queries_before
    assert not Rejection.objects.exists() and not Round.objects.get(period="2024-25 Q1").published
    assert not AuditEvent.objects.filter(id__gt=last_event).exclude(action="download").exists()


def test_the_victim_and_the_lead_do_see_it(scene):
    """The same URLs work for the victim's own submitter and the lead (so the refusals above are
    refusals, not broken pages)."""
    for name in ("south", "lead"):
        client = client_for(name)
        page = client.get(f"/rounds/{scene['open'].pk}/authorities/{SOUTH}/versions/2/")
        assert page.status_code == 200 and SECRET in page.content.decode()
        file = client.get(f"/rounds/{scene['published'].pk}/authorities/{SOUTH}/scorecard.xlsx")
        assert hashlib.sha256(_body(file)).hexdigest() in scene["victim_files"]


def test_other_submitter_cannot_accept_or_upload_for_the_victim(scene):
    """The two most damaging posts, checked by their effect: accepting the victim's quarantined
    version and uploading a return under the victim's code, both as Northshire."""
    north = client_for("north")
    base = f"/rounds/{scene['open'].pk}/authorities/{SOUTH}/"
    assert north.post(base + "versions/1/accept/").status_code == 404
    assert upload(north, scene["open"], SOUTH, scene["attack_file"]).status_code == 404
    assert list(open_store().submissions(authority=SOUTH, period="2024-25 Q1")["version"]) == [1, 2]


@pytest.fixture
def csrf_scene(hub):
    the_round = make_region()
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="lead"))
    return the_round, client


def test_csrf_protects_every_post(csrf_scene):
    """Every route refuses a POST without the CSRF token (403), even for the hub lead."""
    the_round, client = csrf_scene
    values = {"round_id": str(the_round.pk), "code": NORTH, "version": "1", "query_id": "1",
              "object_id": "1", "id": "1", "app_label": "rounds", "content_type_id": "1",
              "url": "x"}
    unprotected = []
    for name, pattern in routes():
        response = client.post(_fill(pattern, values), {"confirm": "on", "reason": "x"})
        if response.status_code != 403:
            unprotected.append(f"{name}: {response.status_code}")
    assert unprotected == []
    assert not Round.objects.get().published


def test_every_form_carries_the_csrf_token(csrf_scene, tmp_path):
    """Every POST form on the pages the lead and a submitter see holds the CSRF token."""
    the_round, lead = csrf_scene
    upload(client_for("north"), the_round, NORTH, filled(the_round, NORTH, tmp_path))
    north = Client()
    north.force_login(User.objects.get(username="north"))
    pages = [(lead, "/rounds/new/"), (lead, f"/rounds/{the_round.pk}/dashboard/"),
             (lead, f"/rounds/{the_round.pk}/authorities/{NORTH}/"), (lead, "/accounts/password/"),
             (north, f"/rounds/{the_round.pk}/authorities/{NORTH}/"), (Client(), "/accounts/login/")]
    forms = 0
    for client, url in pages:
        html = client.get(url).content.decode()
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S | re.I):
            forms += 1
            assert "csrfmiddlewaretoken" in form, f"{url}: a form without the CSRF token"
    assert forms >= 8


def test_passwords_use_djangos_standard_hasher(hub, settings):
    """With the hub's own settings (no hasher override) a password is stored by Django's
    PBKDF2 hasher, never in clear."""
    import hub.settings as hub_settings

    assert not hasattr(hub_settings, "PASSWORD_HASHERS")  # Django's default list, PBKDF2 first
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = roles.make_user("someone", "a-quite-long-password", roles.VIEWER)
    assert user.password.startswith("pbkdf2_sha256$") and "a-quite-long-password" not in user.password


def test_production_settings_pass_djangos_deployment_check(tmp_path):
    """`check --deploy` under hub.settings_production reports nothing: secure and HttpOnly
    cookies, HSTS, SSL redirect, a strong secret key, DEBUG off."""
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "hub.settings_production",
           "HUB_SECRET_KEY": secrets.token_urlsafe(60), "HUB_ALLOWED_HOSTS": "hub.example.org",
           "HUB_DATA_DIR": str(tmp_path), "HUB_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}
    result = subprocess.run([sys.executable, "-m", "hub", "check", "--deploy", "--fail-level",
                             "WARNING"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_session_cookie_flags(hub, settings):
    """Signed in under the production cookie settings, the session cookie is Secure,
    HttpOnly and SameSite=Strict; the CSRF cookie Secure and HttpOnly."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SAMESITE = "Strict"
    make_region()
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/", secure=True)
    token = page.cookies["csrftoken"]
    assert token["secure"] and token["httponly"]
    response = client.post("/accounts/login/", {"username": "lead", "password": PASSWORD,
                                                "csrfmiddlewaretoken": re.search(
                                                    r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                                    page.content.decode()).group(1)}, secure=True,
                           HTTP_REFERER="https://testserver/accounts/login/")
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Strict"


HOSTILE = {
    "macro.xlsm": "macro-enabled workbook (.xlsm) refused",
    "vba.xlsx": "contains macros",
    "encrypted.xlsx": "password-protected",
    "notes.xlsx": "not an Excel .xlsx workbook",
    "bomb.xlsx": "possible zip bomb",
    "laughs.xlsx": "entity-expansion",
    "legacy.xls": "legacy Excel 97-2003",
}


def _hostile(name: str, good: Path, folder: Path) -> Path:
    import zipfile

    path = folder / name
    if name == "macro.xlsm":
        path.write_bytes(good.read_bytes())
    elif name in ("vba.xlsx", "laughs.xlsx"):
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info in zin.infolist():
                data = zin.read(info)
                if name == "laughs.xlsx" and info.filename == "xl/workbook.xml":
                    data = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol">]>' + data.split(b"?>", 1)[-1]
                z.writestr(info, data)
            if name == "vba.xlsx":
                z.writestr("xl/vbaProject.bin", b"\0" * 64)
    elif name == "encrypted.xlsx":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                         + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    elif name == "legacy.xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    elif name == "notes.xlsx":
        path.write_text("code,value\nE1,12\n")
    elif name == "bomb.xlsx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_upload_is_refused_in_the_page(hub, tmp_path, name):
    """Each hostile file the CLI's guard refuses is refused by the hub with the guard's own
    reason in the page; nothing is stored; the refusal is audited with the file's SHA-256."""
    the_round = make_region()
    path = _hostile(name, filled(the_round, NORTH, tmp_path / "good"), tmp_path)
    response = upload(client_for("north"), the_round, NORTH, path)
    page = response.content.decode()
    assert response.status_code == 400 and "Not accepted" in page and HOSTILE[name] in page
    assert open_store().submissions().empty
    event = AuditEvent.objects.get(action="upload refused")
    assert event.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_upload_over_the_size_limit_is_refused(hub, settings, tmp_path):
    """A file over the size limit is stopped while it streams in and refused with a clear
    message; nothing is stored or kept."""
    settings.HUB_MAX_UPLOAD_BYTES = 64 * 1024
    the_round = make_region()
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + os.urandom(200 * 1024))
    response = upload(client_for("north"), the_round, NORTH, big)
    assert response.status_code == 400
    assert "over the 64 KB limit for a return: nothing was stored" in response.content.decode()
    assert open_store().submissions().empty
    assert list(settings.HUB_DATA_DIR.glob("returns/**/*.xlsx")) == []


def test_upload_form_states_the_limit_it_enforces(hub, settings):
    """The upload form's help text gives the limit in force (settings.HUB_MAX_UPLOAD_BYTES, the
    guard's by default), the same figure the refusal names, not a number of its own."""
    the_round = make_region()
    url = f"/rounds/{the_round.pk}/authorities/{NORTH}/"
    assert "An .xlsx workbook of at most 20 MB." in client_for("north").get(url).content.decode()
    settings.HUB_MAX_UPLOAD_BYTES = 64 * 1024
    assert "An .xlsx workbook of at most 64 KB." in client_for("north").get(url).content.decode()

"""The whole round in a real browser: headless Chromium (Debian's, driven by Playwright) against
a live hub. The lead opens the round; Northshire uploads a clean return; Southshire uploads one
with errors, reads the report, fixes it and resubmits; the lead publishes; both download their
benchmark and scorecard; a viewer downloads the regional benchmark. Every page is checked by
axe-core (WCAG 2.1 A and AA, and best practice) and the test fails on any violation; the main
pages are photographed (docs/previews/hub-*.png when HUB_WRITE_PREVIEWS=1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from helpers import INDICATORS, NORTH, PASSWORD, SOUTH, entries, make_region
from missing_tool import skip_or_fail

from generator.collection.templates import fill_template
from hub.rounds.models import AuditEvent, Round
from hub.rounds.store import open_store

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop; the ORM is sync
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[hub]')")
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A person at a browser: signs in, checks each page with axe, takes pictures."""

    def __init__(self, browser, base: str, shots: Path, violations: list):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base, self.shots, self.violations = base, shots, violations

    def go(self, path: str):
        self.page.goto(self.base + path)
        self.check()

    def check(self):
        """Run axe-core on the page as it is now; keep every violation."""
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                                   ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
                                   " help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))",
                                   AXE_TAGS)
        self.violations += [{"url": self.page.url, **v} for v in found]

    def sign_in(self, username: str):
        """Sign in with the keyboard only: type, Tab, type, Enter."""
        self.go("/accounts/login/")
        self.page.keyboard.type(username)  # the username field has focus on arrival
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.check()

    def shot(self, name: str):
        self.page.screenshot(path=str(self.shots / f"hub-{name}.png"), full_page=True)

    def download(self, link_text: str, folder: Path) -> Path:
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name=link_text).click()
        target = folder / info.value.suggested_filename
        info.value.save_as(target)
        return target

    def upload(self, path: Path):
        self.page.get_by_label("Your filled return (.xlsx)").set_input_files(str(path))
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Upload and check").click()
        self.check()


@pytest.fixture
def shots(tmp_path):
    folder = ROOT / "docs" / "previews" if os.environ.get("HUB_WRITE_PREVIEWS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_whole_round_in_chromium(hub, live_server, browser, shots, tmp_path):
    """Lead opens, two authorities upload (one with errors, fixed and resubmitted), lead
    publishes, both download their outputs, a viewer the regional benchmark; no axe violation
    on any page; the audit log has every step with the files' SHA-256."""
    make_region(period="2023-24 Q4")  # users and authorities (and an older round)
    violations: list[dict] = []
    base = live_server.url

    lead = Visit(browser, base, shots, violations)
    lead.sign_in("lead")
    lead.shot("rounds")
    lead.go("/rounds/new/")
    page = lead.page
    page.get_by_label("Period").fill("2024-25 Q1")
    page.get_by_label("Indicator ids").fill(",".join(INDICATORS))
    page.get_by_label("Northshire (E99000001)").check()
    page.get_by_label("Southshire (E99000002)").check()
    page.get_by_label("Deadline").fill((dt.date.today() + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Contact").fill("data@example-region.gov.uk")
    lead.shot("open-round")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the round").click()
    lead.check()
    the_round = Round.objects.get(period="2024-25 Q1")
    assert "2024-25 Q1: who has returned" in page.inner_text("h1")

    north = Visit(browser, base, shots, violations)
    north.sign_in("north")
    north.go(f"/rounds/{the_round.pk}/")
    blank = north.download("Download the template for Northshire (E99000001), 2024-25 Q1 (.xlsx)", tmp_path)
    clean = fill_template(blank, tmp_path / "northshire_q1.xlsx", entries(NORTH))
    north.upload(clean)
    assert "Stored as version 1." in north.page.inner_text("main")

    south = Visit(browser, base, shots, violations)
    south.sign_in("south")
    south.go(f"/rounds/{the_round.pk}/authorities/{SOUTH}/")
    blank = south.download("Download the template for Southshire (E99000002), 2024-25 Q1 (.xlsx)", tmp_path)
    wrong = fill_template(blank, tmp_path / "southshire_q1.xlsx", entries(
        SOUTH, **{"academies-count": {"value": "about 40"}, "fsm-pct": {"value": 0.95},
                  "eyfs-gld-pct": {"numerator": 500, "denominator": 400}}))
    south.upload(wrong)
    report = south.page.inner_text("main")
    assert "Stored as version 1, with 2 error(s)" in report
    assert "'about 40' is not a number" in report and "A whole number, 0 or more" in report
    assert "looks like a fraction" in report
    south.shot("validation-report")
    fixed = fill_template(blank, tmp_path / "southshire_q1_fixed.xlsx", entries(SOUTH))
    south.upload(fixed)
    assert "What version 2 changed from the version before" in south.page.inner_text("main")
    south.shot("resubmission")
    south.page.get_by_role("link", name="Version 2", exact=True).click()
    south.check()
    assert "Figures as received" in south.page.inner_text("main")

    lead.go(f"/rounds/{the_round.pk}/dashboard/")
    assert lead.page.inner_text("main").count("✓ Returned") == 2
    lead.shot("dashboard")
    lead.page.get_by_label("I have checked the returns").check()
    with lead.page.expect_navigation():
        lead.page.get_by_role("button", name="Publish 2024-25 Q1").click()
    lead.check()
    assert "published: 5 workbooks" in lead.page.inner_text("main")

    for visit, code, name in ((north, NORTH, "Northshire"), (south, SOUTH, "Southshire")):
        visit.go(f"/rounds/{the_round.pk}/authorities/{code}/")
        regional = visit.download("The regional benchmark (.xlsx)", tmp_path / code)
        own = visit.download(f"The benchmark with {name} ({code}) highlighted (.xlsx)", tmp_path / code)
        card = visit.download(f"{name} ({code})'s scorecard (.xlsx)", tmp_path / code)
        for path in (regional, own, card):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert AuditEvent.objects.filter(action="download", sha256=digest,
                                             username=code == NORTH and "north" or "south").exists()
    north.shot("published")

    viewer = Visit(browser, base, shots, violations)
    viewer.sign_in("viewer")
    viewer.go(f"/rounds/{the_round.pk}/")
    viewer.shot("viewer")
    assert viewer.download("Download the regional benchmark (.xlsx)", tmp_path / "viewer").stat().st_size
    lead.go("/audit/")
    lead.shot("audit-log")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"open round", "upload", "download", "publish"} <= actions
    assert list(open_store().submissions(authority=SOUTH, period="2024-25 Q1")["version"]) == [1, 2]
    assert violations == [], "\n".join(f"{v['url']}: {v['id']} ({v['impact']}) {v['help']}: "
                                       f"{v['nodes'][:3]}" for v in violations)


def test_keyboard_only(hub, live_server, browser, shots, tmp_path):
    """The first Tab stop is the skip link, which moves focus to the main content; the lead
    accepts a quarantined return with the keyboard alone (Tab to the button, Enter)."""
    import openpyxl
    from helpers import client_for, filled, upload

    the_round = make_region()
    edited = filled(the_round, NORTH, tmp_path)
    book = openpyxl.load_workbook(edited)
    book["Cover"]["B4"] = "edited"
    book.save(edited)
    upload(client_for("north"), the_round, NORTH, edited)
    login = Visit(browser, live_server.url, shots, [])
    login.go("/accounts/login/")
    login.shot("login")
    visit = Visit(browser, live_server.url, shots, login.violations)
    visit.sign_in("lead")
    visit.go(f"/rounds/{the_round.pk}/authorities/{NORTH}/")
    page = visit.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Accept version 1":
            break
    else:
        pytest.fail("the Accept button is not reachable with Tab")
    visit.shot("quarantined")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Version 1 of E99000001 accepted" in page.inner_text("main")
    assert open_store().latest(NORTH, the_round.period)["version"] == 2
    assert visit.violations == []

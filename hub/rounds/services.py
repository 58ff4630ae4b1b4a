"""What the hub does, as calls into the library: templates, collecting an upload, the dashboard,
an authority's versions, acceptance, publication. Views stay thin; nothing here reads,
validates or stores a return itself (generator.collection does)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from generator.collection.collect import store_results
from generator.collection.read import read_return
from generator.collection.store import Authority
from generator.collection.templates import template_filename, write_template
from generator.workbooks.benchmark import write_benchmark_workbook
from generator.workbooks.data_store import load_store_data
from generator.workbooks.scorecard import build_scorecard
from hub.rounds import quality
from hub.rounds.advice import what_to_type
from hub.rounds.audit import sha256_of
from hub.rounds.models import PublishedFile, Rejection, Round
from hub.rounds.store import open_store
from scorecard.catalogue import load_catalogue
from scorecard.errors import ScorecardError
from scorecard.periods import file_label

RETURNED, QUARANTINED, REJECTED, LATE, AWAITING = (
    "Returned", "Quarantined", "Rejected", "Late", "Awaiting")


@functools.cache
def catalogue():
    return load_catalogue()


def when(stored: str) -> dt.datetime | str:
    """A stored ISO time as a datetime (the pages show it in local time), else as it is."""
    try:
        return dt.datetime.fromisoformat(str(stored))
    except ValueError:
        return stored


def authorities() -> dict[str, Authority]:
    """The store's list of authorities, by code."""
    return {a.code: a for a in open_store().authorities()}


def authority(code: str) -> Authority:
    return authorities().get(code) or Authority(code)


def label(code: str, known: dict[str, Authority] | None = None) -> str:
    found = (known if known is not None else authorities()).get(code)
    return f"{found.name} ({code})" if found and found.name else code


# -- templates --------------------------------------------------------------------------------
def blank_template(the_round: Round, code: str) -> Path:
    """The round's blank template for one authority (written once, then served as it is)."""
    path = settings.HUB_DATA_DIR / "templates" / file_label(the_round.period) / template_filename(
        authority(code), the_round.period)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        cat = catalogue()
        handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        os.close(handle)
        write_template(temporary, cat, [cat.get(i) for i in the_round.indicator_ids],
                       authority(code), the_round.period, dataset_title=the_round.title,
                       deadline=f"{the_round.deadline:%d %B %Y}", contact=the_round.contact,
                       issued_at=the_round.opened_at.astimezone(dt.UTC))
        os.replace(temporary, path)
    return path


# -- collecting an upload ---------------------------------------------------------------------
@dataclass
class Outcome:
    """What became of one upload."""

    state: str  # stored, quarantined, duplicate, refused, wrong_template
    message: str
    sha256: str
    file_name: str
    version: int | None = None
    problems: list[dict] = field(default_factory=list)
    queries: list = field(default_factory=list)


def returns_folder(period: str, code: str) -> Path:
    """Where the hub keeps the returns received from `code` for `period` (made if need be)."""
    folder = settings.HUB_DATA_DIR / "returns" / file_label(period) / code
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(the_round: Round, code: str, uploaded) -> tuple[Path, str]:
    """Keep the uploaded file (its original name, for the guard's .xlsm check, after a time
    stamp); returns its path and SHA-256."""
    folder = returns_folder(the_round.period, code)
    name = re.sub(r"[^A-Za-z0-9._() -]+", "_", Path(uploaded.name).name)[-120:] or "return.xlsx"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{name}"
    digest = hashlib.sha256()
    with open(path, "xb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest()


def submit(the_round: Round, code: str, path: Path, sha256: str, original_name: str) -> Outcome:
    """Read, check and store one upload for `code` in `the_round` via generator.collection.

    A file that is not `code`'s template for the round's period is not stored at all (one
    authority can never put a version into another's history); anything else is collected as
    the CLI would, becoming the next version (quarantined if its cover was edited).
    """
    cat = catalogue()
    store = open_store()
    own = authority(code)
    checked = read_return(path, cat, expected_period=the_round.period, authorities=[own])
    if checked.refused:
        return Outcome("refused", checked.problems[0]["message"], sha256, original_name,
                       problems=checked.problems)
    found = checked.submission
    if (found.authority, found.period) != (code, the_round.period):
        return Outcome("wrong_template", f"This is the template for {label(found.authority)}, "
                       f"{found.period}, not {label(code)}, {the_round.period}: download your "
                       "own blank template from this page, fill it in and upload that. "
                       "Nothing was stored.", sha256, original_name)
    store.add_authorities([own])
    report = store_results([checked], store)
    version = report.versions.get(str(path))
    problems = report.problems
    if version is None:
        return Outcome("duplicate", next((p["message"] for p in problems
                                          if p["code"] == "duplicate_file"), "not stored"),
                       sha256, original_name, problems=problems)
    result = report.results[0]
    if result.submission.quarantine:
        state = "quarantined"
        message = (f"Stored as version {version}, but quarantined ({result.submission.quarantine})"
                   ": the hub lead will accept or reject it, or upload a corrected return.")
    else:
        state = "stored"
        errors = sum(p["severity"] == "error" for p in problems)
        message = (f"Stored as version {version}" + (
            f", with {errors} error(s): those cells are not used until you upload a corrected "
            "return." if errors else "."))
    queries = quality.run_checks(store, code, the_round.period, cat) if state == "stored" else []
    return Outcome(state, message, sha256, original_name, version, problems, queries)


# -- what the pages show ----------------------------------------------------------------------
@dataclass
class AuthorityStatus:
    code: str
    label: str
    state: str
    latest_version: int | None = None
    current_version: int | None = None
    errors: int = 0
    warnings: int = 0
    collected_at: dt.datetime | str = ""
    quarantine: str = ""
    open_queries: int = 0

    @property
    def problems(self) -> int:
        return self.errors + self.warnings


def dashboard(the_round: Round) -> list[AuthorityStatus]:
    """Each taking part: returned, quarantined, rejected, late or awaiting, with its problem
    count (errors and warnings of its latest version) and open data-quality queries."""
    store = open_store()
    known = authorities()
    stored = store.submissions(period=the_round.period)
    rejected = set(Rejection.objects.filter(round=the_round).values_list("authority", "version"))
    open_queries = quality.open_counts(store, the_round.period)
    rows = []
    for code in the_round.codes():
        mine = stored[stored["authority"] == code].sort_values("version")
        row = AuthorityStatus(code, label(code, known), LATE if the_round.is_late() else AWAITING,
                              open_queries=open_queries.get(code, 0))
        if len(mine):
            latest = mine.iloc[-1]
            row.latest_version = int(latest["version"])
            row.current_version = current_version(store, code, the_round.period)
            row.errors, row.warnings = int(latest["n_errors"]), int(latest["n_warnings"])
            row.collected_at = when(latest["collected_at"])
            row.quarantine = str(latest["quarantine"])
            if not row.quarantine:
                row.state = RETURNED
            elif (code, row.latest_version) in rejected:
                row.state = REJECTED
            else:
                row.state = QUARANTINED
        rows.append(row)
    return rows


def current_version(store, code: str, period: str) -> int | None:
    """The version in use (the store's rule: Store.latest), or None."""
    current = store.latest(code, period)
    return None if current is None else int(current["version"])


@dataclass
class Version:
    version: int
    collected_at: dt.datetime | str
    file_name: str
    sha256: str
    errors: int
    warnings: int
    quarantine: str
    current: bool
    rejection: str = ""


def versions(the_round: Round, code: str) -> list[Version]:
    """Every version stored for `code` in the round's period, newest first."""
    store = open_store()
    stored = store.submissions(authority=code, period=the_round.period)
    reasons = dict(Rejection.objects.filter(round=the_round, authority=code)
                   .values_list("version", "reason"))
    current = current_version(store, code, the_round.period)
    return [Version(int(r.version), when(r.collected_at), shown_name(r.file), r.file_sha256,
                    int(r.n_errors), int(r.n_warnings), r.quarantine, int(r.version) == current,
                    reasons.get(int(r.version), ""))
            for r in stored.sort_values("version", ascending=False).itertuples()]


def shown_name(path: str) -> str:
    """The uploader's file name (the hub prefixes a time stamp), or the CLI's file name."""
    name = Path(path).name
    return re.sub(r"^\d{8}T\d{12}-", "", name)


def version_row(the_round: Round, code: str, version: int):
    stored = open_store().submissions(authority=code, period=the_round.period)
    match = stored[stored["version"] == version]
    return None if match.empty else match.iloc[0]


def problems_of(the_round: Round, code: str, version: int) -> list[dict]:
    """The validation report of one version: every problem with its sheet, cell and what to
    type instead, errors first."""
    row = version_row(the_round, code, version)
    if row is None:
        return []
    found = open_store().problems(file=row["file"])
    found = found[found["submission_id"] == row["id"]]
    cat = catalogue()
    order = {"error": 0, "warning": 1, "info": 2}
    result = []
    for problem in found.to_dict("records"):
        indicator = cat.get(problem["indicator_id"]) if problem["indicator_id"] in cat else None
        problem["advice"] = what_to_type(problem, indicator.unit if indicator else None)
        problem["indicator_name"] = indicator.name if indicator else ""
        result.append(problem)
    return sorted(result, key=lambda p: (order.get(p["severity"], 3), p["sheet"],
                                         _cell_key(p["cell"])))


def figures_of(the_round: Round, code: str, version: int) -> list[dict]:
    """The cells of one version as stored (what the authority typed, and how it was read)."""
    cells = open_store().cells(authority=code, period=the_round.period, version=version)
    cells = cells.sort_values(["sheet", "cell"], key=lambda s: s.map(
        lambda v: _cell_key(v) if isinstance(v, str) and re.match(r"[A-Z]+\d+$", v) else (0, v)))
    return cells.to_dict("records")


def _cell_key(cell: str) -> tuple[int, str]:
    match = re.match(r"([A-Z]+)(\d+)$", cell or "")
    return (int(match.group(2)), match.group(1)) if match else (0, cell or "")


def changes(code: str, period: str, version: int) -> list[dict]:
    """What `version` changed from the version before it ([] for a first version)."""
    try:
        return open_store().changes(code, period, new=version)
    except ScorecardError:
        return []


# -- the lead's decisions ---------------------------------------------------------------------
def accept(the_round: Round, code: str, version: int) -> int:
    """Store the quarantined version again as the next, current version (Store.accept)."""
    new = open_store().accept(code, the_round.period, version)
    quality.run_checks(open_store(), code, the_round.period, catalogue())
    return new


def reject(the_round: Round, code: str, version: int, reason: str, user) -> Rejection:
    row = version_row(the_round, code, version)
    if row is None or not row["quarantine"]:
        raise ScorecardError(f"{code} {the_round.period} version {version} is not quarantined")
    return Rejection.objects.create(round=the_round, authority=code, version=version,
                                    reason=reason, by=user)


def publish(the_round: Round, user) -> list[PublishedFile]:
    """Write the round's outputs from the store and fix them: the regional benchmark, and for
    each authority with a usable return its highlighted benchmark and its scorecard. Files
    are written before the round is marked published; a second publish is refused."""
    store = open_store()
    cat = catalogue()
    period = the_round.period
    returned = [code for code in the_round.codes() if store.latest(code, period) is not None]
    if not returned:
        raise ScorecardError(f"no usable return for {period} yet: nothing to publish")
    label = file_label(period)  # the period as every file name spells it (CLI, demo)
    folder = settings.HUB_DATA_DIR / "published" / label
    folder.mkdir(parents=True, exist_ok=True)
    files = [(PublishedFile.BENCHMARK, "", write_benchmark_workbook(
        store, period, cat, folder / f"benchmark_{label}.xlsx"))]
    for code in returned:
        try:
            files.append((PublishedFile.BENCHMARK, code, write_benchmark_workbook(
                store, period, cat, folder / f"benchmark_{label}_{code}.xlsx", code)))
            data = load_store_data(store, code, period, cat)
            files.append((PublishedFile.SCORECARD, code, build_scorecard(
                data, folder / f"{code}_{label}_scorecard.xlsx")))
        except ScorecardError:  # a return with no figures: nothing of its own to publish
            continue
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=the_round.pk)
        if locked.published:
            raise ScorecardError(f"{period} was already published")
        made = [PublishedFile.objects.create(
            round=locked, kind=kind, authority=code, sha256=sha256_of(path),
            path=str(Path(path).relative_to(settings.HUB_DATA_DIR)), size=Path(path).stat().st_size)
            for kind, code, path in files]
        locked.published_at, locked.published_by = timezone.now(), user
        locked.save(update_fields=["published_at", "published_by"])
    the_round.refresh_from_db()
    return made

"""Every file the hub serves. Each download is checked by hub.rounds.access and written to the
audit log with the file's SHA-256."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from hub.rounds import access, audit, services
from hub.rounds.models import PublishedFile


def _send(request, path: Path, name: str, *, round, authority="", version=None, sha256=""):
    sha256 = sha256 or audit.sha256_of(path)
    audit.record(request, audit.DOWNLOAD, round=round, authority=authority, version=version,
                 file_name=name, sha256=sha256)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def template(request, round_id: int, code: str):
    the_round = access.authority_round(request.user, round_id, code)
    path = services.blank_template(the_round, code)
    return _send(request, path, path.name, round=the_round, authority=code)


@login_required
def return_file(request, round_id: int, code: str, version: int):
    the_round = access.authority_round(request.user, round_id, code)
    row = services.version_row(the_round, code, version)
    if row is None or not Path(row["file"]).is_file():
        raise Http404
    return _send(request, Path(row["file"]), services.shown_name(row["file"]), round=the_round,
                 authority=code, version=version, sha256=row["file_sha256"])


def _published(request, the_round, kind, code=""):
    try:
        published = the_round.published_files.get(kind=kind, authority=code)
    except PublishedFile.DoesNotExist:
        raise Http404 from None
    path = settings.HUB_DATA_DIR / published.path
    return _send(request, path, path.name, round=the_round, authority=code,
                 sha256=published.sha256)


@login_required
def benchmark(request, round_id: int):
    """The regional benchmark: every participant, the lead and viewers, once published."""
    return _published(request, access.published_round(request.user, round_id),
                      PublishedFile.BENCHMARK)


@login_required
def own_benchmark(request, round_id: int, code: str):
    the_round = access.published_authority_round(request.user, round_id, code)
    return _published(request, the_round, PublishedFile.BENCHMARK, code)


@login_required
def scorecard(request, round_id: int, code: str):
    the_round = access.published_authority_round(request.user, round_id, code)
    return _published(request, the_round, PublishedFile.SCORECARD, code)

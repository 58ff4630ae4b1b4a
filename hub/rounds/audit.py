"""The audit log: every upload, download, acceptance, rejection, query answer and publication,
with who, when, what and the file's SHA-256. One function writes it; nothing edits it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hub.rounds.models import AuditEvent

UPLOAD, UPLOAD_REFUSED, DOWNLOAD, ACCEPT, REJECT, PUBLISH, OPEN_ROUND, CONFIRM_QUERY = (
    "upload", "upload refused", "download", "accept", "reject", "publish", "open round",
    "confirm query")


def record(request, action: str, **what) -> AuditEvent:
    """An event done through a page: the signed-in user and their address."""
    user = request.user if request.user.is_authenticated else None
    return record_as(user, action, ip=request.META.get("REMOTE_ADDR") or None, **what)


def record_as(user, action: str, *, round=None, authority: str = "", version: int | None = None,
              file_name: str = "", sha256: str = "", detail: str = "", ip=None) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user, username=user.get_username() if user else "", action=action, round=round,
        authority=authority, version=version, file_name=file_name, sha256=sha256,
        detail=detail[:4000], ip=ip)


def published(user, the_round, made, ip=None, how: str = "") -> None:
    """One event per workbook a publication wrote."""
    for file in made:
        record_as(user, PUBLISH, round=the_round, authority=file.authority,
                  file_name=file.path.rsplit("/", 1)[-1], sha256=file.sha256,
                  detail=file.kind + how, ip=ip)


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()

"""The audit log: every upload, download, acceptance, rejection, query answer and publication,
with who, when, what and the file's SHA-256. One function writes it; nothing edits it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hub.rounds.models import AuditEvent

UPLOAD, UPLOAD_REFUSED, DOWNLOAD, ACCEPT, REJECT, PUBLISH, OPEN_ROUND, CONFIRM_QUERY = (
    "upload", "upload refused", "download", "accept", "reject", "publish", "open round",
    "confirm query")


def record(request, action: str, *, round=None, authority: str = "", version: int | None = None,
           file_name: str = "", sha256: str = "", detail: str = "") -> AuditEvent:
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user, username=user.get_username() if user else "", action=action, round=round,
        authority=authority, version=version, file_name=file_name, sha256=sha256,
        detail=detail[:4000], ip=request.META.get("REMOTE_ADDR") or None)


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()

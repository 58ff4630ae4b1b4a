"""The server's settings, read from environment variables (addin/README.md, "Deploying the server").

Nothing is open by default: a server with no SCORECARD_AUTH refuses to start, rather than answer
anyone; cross-origin calls are refused unless an origin is named; the API pages are off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scorecard.errors import ScorecardError

AUTH_MODES = ("entraid", "token", "none")
DEFAULT_MAX_BODY_MB = 20.0


@dataclass(frozen=True)
class Settings:
    """How one deployment runs. `auth`: 'entraid' (Microsoft Entra ID bearer tokens, as xlwings Server),
    'token' (shared tokens IT hands out), or 'none' (only behind a proxy that authenticates)."""

    auth: str
    tokens: tuple[str, ...] = ()
    entraid_tenant_id: str = ""
    entraid_client_id: str = ""
    entraid_jwks_file: Path | None = None  # a key set on disk, for servers that cannot reach Microsoft
    allowed_origins: tuple[str, ...] = ()
    max_body_bytes: int = int(DEFAULT_MAX_BODY_MB * 1_000_000)
    api_docs: bool = False

    def __post_init__(self) -> None:
        if self.auth not in AUTH_MODES:
            raise ScorecardError(f"SCORECARD_AUTH {self.auth!r} must be one of {', '.join(AUTH_MODES)}")
        if self.auth == "token" and not self.tokens:
            raise ScorecardError("SCORECARD_AUTH=token needs SCORECARD_TOKENS or SCORECARD_TOKENS_FILE")
        if self.auth == "token" and any(len(token) < 16 for token in self.tokens):
            raise ScorecardError("each shared token must be at least 16 characters (e.g. `openssl rand -hex 32`)")
        if self.auth == "entraid" and not (self.entraid_tenant_id and self.entraid_client_id):
            raise ScorecardError("SCORECARD_AUTH=entraid needs SCORECARD_ENTRAID_TENANT_ID and "
                                 "SCORECARD_ENTRAID_CLIENT_ID (the add-in's app registration)")
        if self.max_body_bytes <= 0:
            raise ScorecardError("SCORECARD_MAX_BODY_MB must be above 0")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL: the origin a browser sends."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ScorecardError(f"{url!r} is not an absolute URL such as https://scorecard.example.gov.uk")
    return f"{parts.scheme}://{parts.netloc}"


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def from_environment(environ: dict[str, str] | None = None) -> Settings:
    """Settings from SCORECARD_* variables; ScorecardError naming the variable when one is wrong or missing."""
    env = os.environ if environ is None else environ
    auth = env.get("SCORECARD_AUTH", "").strip().lower()
    if not auth:
        raise ScorecardError(
            "set SCORECARD_AUTH to entraid, token or none (none only behind a proxy that authenticates); "
            "see addin/README.md"
        )
    tokens = _list(env.get("SCORECARD_TOKENS", ""))
    if env.get("SCORECARD_TOKENS_FILE"):
        tokens += tuple(line.strip() for line in Path(env["SCORECARD_TOKENS_FILE"]).read_text().splitlines()
                        if line.strip() and not line.startswith("#"))
    origins = _list(env.get("SCORECARD_ALLOWED_ORIGINS", ""))
    if env.get("SCORECARD_PUBLIC_URL"):
        origins = (origin_of(env["SCORECARD_PUBLIC_URL"]), *origins)
    try:
        max_mb = float(env.get("SCORECARD_MAX_BODY_MB", DEFAULT_MAX_BODY_MB))
    except ValueError:
        raise ScorecardError("SCORECARD_MAX_BODY_MB must be a number of megabytes") from None
    jwks = env.get("SCORECARD_ENTRAID_JWKS_FILE")
    return Settings(
        auth=auth,
        tokens=tokens,
        entraid_tenant_id=env.get("SCORECARD_ENTRAID_TENANT_ID", ""),
        entraid_client_id=env.get("SCORECARD_ENTRAID_CLIENT_ID", ""),
        entraid_jwks_file=Path(jwks) if jwks else None,
        allowed_origins=origins,
        max_body_bytes=int(max_mb * 1_000_000),
        api_docs=env.get("SCORECARD_API_DOCS", "").lower() in ("1", "true", "yes"),
    )

"""The add-in manifest a deployment gives Excel: its own <Id>, its own addresses (addin/server/manifest.xml
is the template, written for https://127.0.0.1:8000)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from addin.server.settings import origin_of
from scorecard.errors import ScorecardError

TEMPLATE = Path(__file__).parent / "manifest.xml"
DEV_URL = "https://127.0.0.1:8000"
_ID = re.compile(r"<Id>[^<]*</Id>")


def manifest(url: str, add_in_id: str | None = None, entraid_client_id: str | None = None) -> str:
    """The manifest for a server at `url` (https://host or https://host/sub-path). `add_in_id`: the
    deployment's GUID; a new one when not given (keep it: Excel knows the add-in by it). With
    `entraid_client_id`, the manifest asks Office for single sign-on to that app registration."""
    url = url.rstrip("/")
    if not url.startswith("https://"):
        raise ScorecardError(f"{url}: Office add-ins must be served over https://")
    if urlsplit(url).query or urlsplit(url).fragment:
        raise ScorecardError(f"{url}: give the address without ?query or #fragment")
    try:
        guid = str(uuid.UUID(add_in_id)) if add_in_id else str(uuid.uuid4())
    except ValueError:
        raise ScorecardError(f"{add_in_id!r} is not a GUID such as 0f3c8e9a-5b1d-4c2e-9a7f-2d6b8e1c4a90") from None
    text = TEMPLATE.read_text(encoding="utf-8")
    text = _ID.sub(f"<Id>{guid}</Id>", text, count=1)
    text = text.replace(f"<AppDomain>{DEV_URL}</AppDomain>", f"<AppDomain>{origin_of(url)}</AppDomain>")
    text = text.replace(DEV_URL, url)
    if entraid_client_id:
        try:
            client = str(uuid.UUID(entraid_client_id))
        except ValueError:
            raise ScorecardError(f"{entraid_client_id!r} is not an Entra ID client id (a GUID)") from None
        host = urlsplit(url).netloc
        sso = (f"    <WebApplicationInfo>\n      <Id>{client}</Id>\n      <Resource>api://{host}/{client}</Resource>\n"
               "      <Scopes>\n        <Scope>openid</Scope>\n        <Scope>profile</Scope>\n      </Scopes>\n"
               "    </WebApplicationInfo>\n  </VersionOverrides>")
        text = text.replace("  </VersionOverrides>", sso, 1)
    return text


def write_manifest(out: Path, url: str, add_in_id: str | None = None, entraid_client_id: str | None = None) -> str:
    """Write the manifest; return its <Id>."""
    text = manifest(url, add_in_id, entraid_client_id)
    Path(out).write_text(text, encoding="utf-8")
    return _ID.search(text).group(0)[4:-5]

"""Who may call the functions: the `Authorization` header xlwings' custom-functions code sends.

xlwings Server's auth hook: the add-in's JavaScript defines `globalThis.getAuth()`, whose answer the
custom-functions code puts in the `Authorization` header of every call, and the server validates
it (xlwings-server: app/auth/entraid). Two providers here:

- entraid: a Microsoft Entra ID access token ("Bearer <JWT>", from Office's single sign-on). The
  signature is checked against Microsoft's published keys (or a key set on disk for servers that
  cannot reach Microsoft), and the token must be for this add-in (audience: the app registration's
  client id, or api://<client id> for version 1.0 tokens), from this tenant, and unexpired.
- token: "Bearer <token>" with one of the shared tokens IT configured (compared in constant time).

Anything else, including no header, is refused with 401.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from functools import cached_property

from addin.server.settings import Settings

MICROSOFT_KEYS = "https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys"


class Unauthorised(Exception):
    """No usable credentials (answered with HTTP 401 and the reason)."""


@dataclass(frozen=True)
class User:
    id: str
    name: str = ""


def bearer(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        raise Unauthorised("no Authorization header: sign in to the Scorecard add-in (task pane)")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised("the Authorization header must be 'Bearer <token>'")
    return token.strip()


class Authenticator:
    """Checks a call's Authorization header against the deployment's settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def user(self, header: str | None) -> User:
        mode = self.settings.auth
        if mode == "none":
            return User("anonymous")
        token = bearer(header)
        if mode == "token":
            for index, known in enumerate(self.settings.tokens):
                if hmac.compare_digest(token.encode(), known.encode()):
                    return User(f"token-{index + 1}")
            raise Unauthorised("the access token is not one this server accepts")
        return self._entraid_user(token)

    @cached_property
    def _keys(self):
        """Signing keys: the key set on disk, or Microsoft's for the tenant (fetched, then cached)."""
        import jwt

        if self.settings.entraid_jwks_file is not None:
            keys = json.loads(self.settings.entraid_jwks_file.read_text(encoding="utf-8"))
            return {key.key_id: key for key in jwt.PyJWKSet.from_dict(keys).keys}
        return jwt.PyJWKClient(MICROSOFT_KEYS.format(tenant=self.settings.entraid_tenant_id), cache_keys=True)

    def _signing_key(self, token: str):
        import jwt

        keys = self._keys
        if isinstance(keys, dict):
            header = jwt.get_unverified_header(token)
            if header.get("kid") not in keys:
                raise Unauthorised("the token was not signed by a key of this tenant")
            return keys[header["kid"]].key
        return keys.get_signing_key_from_jwt(token).key

    def _entraid_user(self, token: str) -> User:
        import jwt

        tenant, client = self.settings.entraid_tenant_id, self.settings.entraid_client_id
        try:
            version = jwt.decode(token, options={"verify_signature": False}).get("ver")
            if version == "1.0":
                issuer, audience = f"https://sts.windows.net/{tenant}/", f"api://{client}"
            else:
                issuer, audience = f"https://login.microsoftonline.com/{tenant}/v2.0", client
            claims = jwt.decode(token, self._signing_key(token), algorithms=["RS256"], audience=audience,
                                issuer=issuer, options={"require": ["exp", "iss", "aud"]})
        except Unauthorised:
            raise
        except Exception as error:  # noqa: BLE001 - any failure to validate is a refusal, never a 500
            raise Unauthorised(f"the Entra ID token was refused ({type(error).__name__})") from None
        return User(claims.get("oid", ""), claims.get("name", ""))

"""The xlwings Server route as IT runs it: authentication (401), body limit (413), CORS, API pages, settings,
a reverse proxy's sub-path, and one manifest <Id> per deployment."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET

import pytest
from addin_helpers import TOKEN, client, needs, run_glue, server_app, server_module  # noqa: F401 (fixture)

from addin import routes
from addin.server.settings import Settings, from_environment
from generator.cli import main
from scorecard.errors import ScorecardError

CALL = "/xlwings/custom-functions-call"
TENANT = "8f1d2b6a-1c4e-4f7b-9a3d-5e6f7a8b9c0d"
CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def rag_call() -> dict:
    return routes.officejs_body("rag", [[[90]], [[100]], [["High"]], None, None])


# ------------------------------------------------ authentication


def test_no_token_wrong_token_and_wrong_scheme_get_401(server_module):  # noqa: F811
    """Shared-token mode: a call without an Authorization header, with an unknown token, or not as
    'Bearer <token>' gets 401 with a reason and WWW-Authenticate; the configured token is answered."""
    app = server_app(server_module)
    for token in (None, "not-the-token-0123456789"):
        response = client(app, token=token).post(CALL, json=rag_call())
        assert response.status_code == 401, token
        assert response.headers["www-authenticate"] == "Bearer"
    response = client(app, token=None).post(CALL, json=rag_call(), headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401 and "Bearer" in response.text
    assert client(app).post(CALL, json=rag_call()).json() == {"result": [["RED"]]}


def test_auth_is_checked_before_the_body(server_module):  # noqa: F811
    """Without a token even a malformed body gets 401, so nothing about the functions leaks to a stranger."""
    response = client(server_app(server_module), token=None).post(CALL, content=b"{not json")
    assert response.status_code == 401


def test_auth_none_is_explicit(server_module):  # noqa: F811
    """SCORECARD_AUTH=none (a proxy that authenticates) answers without a header; it is never the default."""
    app = server_app(server_module, auth="none", tokens=())
    assert client(app, token=None).post(CALL, json=rag_call()).status_code == 200
    with pytest.raises(ScorecardError, match="SCORECARD_AUTH"):
        from_environment({})


@pytest.fixture(scope="module")
def signing_key(tmp_path_factory):
    """An RSA key pair standing in for Entra ID's, with its public half as a JWKS file (as for an offline server)."""
    jwt = needs("jwt")
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    path = tmp_path_factory.mktemp("jwks") / "keys.json"
    path.write_text(json.dumps({"keys": [public | {"kid": "key-1", "use": "sig", "alg": "RS256"}]}))
    return private, path


def entraid_token(private, kid="key-1", **claims) -> str:
    jwt = needs("jwt")
    now = int(time.time())
    body = {"ver": "2.0", "aud": CLIENT_ID, "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            "iat": now, "nbf": now, "exp": now + 600, "oid": "user-1", "name": "A. Officer"} | claims
    return jwt.encode(body, private, algorithm="RS256", headers={"kid": kid})


def test_entraid_tokens_are_validated(server_module, signing_key):  # noqa: F811
    """Entra ID mode: a token signed by the tenant's key, for this app, unexpired, is answered (v2.0 and v1.0
    forms); another audience, another tenant, an expired token, another key or a forged signature get 401."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    private, jwks = signing_key
    app = server_app(server_module, auth="entraid", tokens=(), entraid_tenant_id=TENANT,
                     entraid_client_id=CLIENT_ID, entraid_jwks_file=jwks)

    def status(token):
        return client(app, token=token).post(CALL, json=rag_call()).status_code

    assert status(entraid_token(private)) == 200
    version_1 = {"ver": "1.0", "aud": f"api://{CLIENT_ID}", "iss": f"https://sts.windows.net/{TENANT}/"}
    assert status(entraid_token(private, **version_1)) == 200
    assert status(entraid_token(private, aud="another-app")) == 401
    assert status(entraid_token(private, iss="https://login.microsoftonline.com/another-tenant/v2.0")) == 401
    assert status(entraid_token(private, exp=int(time.time()) - 60)) == 401
    assert status(entraid_token(private, kid="unknown-key")) == 401
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert status(entraid_token(stranger)) == 401
    assert status("not-a-jwt") == 401


@pytest.mark.parametrize("settings, message", [
    ({"auth": "token", "tokens": ()}, "SCORECARD_TOKENS"),
    ({"auth": "token", "tokens": ("short",)}, "16 characters"),
    ({"auth": "entraid"}, "SCORECARD_ENTRAID_TENANT_ID"),
    ({"auth": "magic"}, "must be one of"),
])
def test_settings_that_would_leave_the_server_open_are_refused(settings, message):
    """A server cannot start with auth it cannot enforce: no tokens, guessable tokens, Entra ID without its ids."""
    with pytest.raises(ScorecardError, match=message):
        Settings(**settings)


def test_settings_from_environment():
    """SCORECARD_* variables become the settings: tokens, the public URL's origin for CORS, the body limit, docs."""
    settings = from_environment({"SCORECARD_AUTH": "token", "SCORECARD_TOKENS": f"{TOKEN}, {TOKEN}x",
                                 "SCORECARD_PUBLIC_URL": "https://scorecard.example.gov.uk/sc",
                                 "SCORECARD_MAX_BODY_MB": "5", "SCORECARD_API_DOCS": "true"})
    assert settings.tokens == (TOKEN, f"{TOKEN}x")
    assert settings.allowed_origins == ("https://scorecard.example.gov.uk",)
    assert settings.max_body_bytes == 5_000_000 and settings.api_docs


# ------------------------------------------------ body limit, CORS, API pages


def test_body_over_the_limit_gets_413(server_module):  # noqa: F811
    """A body over SCORECARD_MAX_BODY_MB gets 413, whether it declares its length or is sent in chunks; a body
    under the limit is answered."""
    app = server_app(server_module, max_body_bytes=2_000)
    body = routes.officejs_body("rag", [[[90]] * 500, [[100]], [["High"]], None, None])
    response = client(app).post(CALL, json=body)
    assert response.status_code == 413 and "limit of 0.002 MB" in response.text
    chunks = (piece for piece in [json.dumps(body).encode()[i:i + 500] for i in range(0, 10_000, 500)])
    response = client(app).post(CALL, content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert client(app).post(CALL, json=rag_call()).status_code == 200


def test_cors_only_for_the_add_ins_origin(server_module):  # noqa: F811
    """Cross-origin calls: a preflight from the configured origin is allowed; from any other origin it gets no
    Access-Control-Allow-Origin (the browser refuses); with no origin configured, no CORS headers at all."""
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    app = server_app(server_module, allowed_origins=("https://scorecard.example.gov.uk",))
    ours = client(app).options(CALL, headers=preflight | {"Origin": "https://scorecard.example.gov.uk"})
    assert ours.headers.get("access-control-allow-origin") == "https://scorecard.example.gov.uk"
    theirs = client(app).options(CALL, headers=preflight | {"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in theirs.headers
    simple = client(app).post(CALL, json=rag_call(), headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers
    closed = client(server_app(server_module)).post(CALL, json=rag_call(), headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in closed.headers


def test_api_pages_are_off_unless_asked_for(server_module):  # noqa: F811
    """/docs, /redoc and /openapi.json do not exist by default; SCORECARD_API_DOCS turns /docs on."""
    closed = client(server_app(server_module))
    assert [closed.get(page).status_code for page in ("/docs", "/redoc", "/openapi.json")] == [404, 404, 404]
    assert client(server_app(server_module, api_docs=True)).get("/docs").status_code == 200


# ------------------------------------------------ behind a reverse proxy, under a sub-path


def test_pages_use_only_relative_addresses():
    """The task pane and the glue name no root-absolute address (src="/...", fetch("/..."), location.origin):
    under https://host/scorecard/ those would leave the sub-path."""
    from addin.server.app import STATIC

    for path in (STATIC / "taskpane.html", STATIC / "custom-functions-base.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']/(?!/)""", text), path
        assert "location.origin" not in text and 'fetch("/' not in text, path


@pytest.mark.parametrize("prefix", ["/scorecard", "/apps/scorecard"])
def test_works_mounted_under_a_sub_path(server_module, prefix):  # noqa: F811
    """Behind a proxy that forwards https://host/scorecard/... unchanged: the task pane, the script it names
    (resolved against the page's address, as a browser does), the metadata and the call all answer there."""
    from starlette.applications import Starlette
    from starlette.routing import Mount

    proxy = client(Starlette(routes=[Mount(prefix, app=server_app(server_module))]))
    page = proxy.get(f"{prefix}/taskpane.html")
    assert page.status_code == 200
    scripts = [src for src in re.findall(r'<script src="([^"]+)"', page.text) if not src.startswith("https:")]
    assert scripts == ["xlwings/custom-functions-code"]
    assert proxy.get(f"{prefix}/{scripts[0]}").status_code == 200
    assert proxy.get(f"{prefix}/xlwings/custom-functions-meta").status_code == 200
    assert proxy.post(f"{prefix}{CALL}", json=rag_call()).json() == {"result": [["RED"]]}


def test_glue_posts_where_it_was_loaded_from(server_module, tmp_path):  # noqa: F811
    """The glue JavaScript, run in Node with Office.js stubbed, loaded from https://host/scorecard/...: a call
    of RAG posts to https://host/scorecard/xlwings/custom-functions-call, with the saved token as
    'Bearer', and a body the server answers (the body Excel's runtime sends, built by our own JS)."""
    app = server_app(server_module)
    code = client(app).get("/xlwings/custom-functions-code").text
    sent = run_glue(code, [[[[90], [None]], [[100]], [["High"]]]], ['{"result": [["RED"]]}'], tmp_path,
                    base="https://host.example/scorecard/")["sent"][0]
    assert sent["url"] == "https://host.example/scorecard/xlwings/custom-functions-call"
    assert sent["headers"]["Authorization"] == f"Bearer {TOKEN}"
    body = sent["body"]
    # a one-column range goes as {"column": [cells]} (tests/test_addin_server_wire.py)
    assert body["func_name"] == "rag" and body["args"] == [{"column": [90, None]}, [[100]], [["High"]]]
    assert client(app).post(CALL, json=body).json() == {"result": [["RED"], ["NO STATUS"]]}


# ------------------------------------------------ one manifest per deployment


def test_each_generated_manifest_has_its_own_id(tmp_path):
    """`scorecard addin manifest` gives every deployment a new <Id> (Excel tells add-ins apart by it), keeps
    the one the operator passes, refuses one that is not a GUID, and writes the sub-path into every address."""
    ids = []
    for name in ("a.xml", "b.xml"):
        out = tmp_path / name
        assert main(["addin", "manifest", "--url", "https://scorecard.example.gov.uk/apps/sc/", "--out", str(out)]) == 0
        root = ET.fromstring(out.read_bytes())
        ids.append(root.find("{http://schemas.microsoft.com/office/appforoffice/1.1}Id").text)
        text = out.read_text(encoding="utf-8")
        assert "https://scorecard.example.gov.uk/apps/sc/xlwings/custom-functions-code" in text
        assert "<AppDomain>https://scorecard.example.gov.uk</AppDomain>" in text and "127.0.0.1" not in text
    assert ids[0] != ids[1]
    kept = "6c1f7a3e-2b4d-4e8f-9a1b-3c5d7e9f1a2b"
    out = tmp_path / "kept.xml"
    assert main(["addin", "manifest", "--url", "https://x.example.gov.uk", "--out", str(out), "--id", kept]) == 0
    assert f"<Id>{kept}</Id>" in out.read_text(encoding="utf-8")
    assert main(["addin", "manifest", "--url", "https://x.example.gov.uk", "--out", str(out), "--id", "nope"]) == 2


def test_manifest_asks_for_single_sign_on_when_given_a_client_id(tmp_path):
    """With --entraid-client-id the manifest carries WebApplicationInfo (Office single sign-on) for that app."""
    out = tmp_path / "sso.xml"
    assert main(["addin", "manifest", "--url", "https://x.example.gov.uk", "--out", str(out),
                 "--entraid-client-id", CLIENT_ID]) == 0
    text = out.read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))
    assert f"<Resource>api://x.example.gov.uk/{CLIENT_ID}</Resource>" in text

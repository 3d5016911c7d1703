"""A real OpenID provider for the sign-in tests, and a person's browser that signs in through it.

The provider is the npm package oidc-provider run by tests/auth/oidc_provider.mjs with Node.js, on a free
port, with its own signing keys and a login form (no development interactions). Through its /test/ door a
test changes someone's groups, rotates the signing key or has the next ID tokens bent (another audience, an
expiry in the past, a foreign key). The app under test runs in-process on the Flask test client; it reaches
the provider over real HTTP, as it would in production.
"""
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from cafe.extensions import db
from cafe.models import AuditEntry, User
from tests.conftest import TEST_CONFIG, make_app
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
APP_URL = TEST_CONFIG["PUBLIC_URL"]
CLIENT_ID, CLIENT_SECRET = "dialogcafe", "a-client-secret-only-the-tests-know"
ROLE_MAP = ("dialogcafe-arrangorer=organizer; sos-ledning=project_lead@Socialförvaltningen; "
            "sos-processledare=facilitator@Socialförvaltningen; styrgrupp=city")
CONTACT = "Dialogcafés förvaltare, dialogcafe@kommun.example"
ACCOUNTS = {
    "anna": {"password": "anna-lösen", "email": "anna.berg@kommun.example", "email_verified": True,
             "name": "Anna Berg", "groups": ["alla-anstallda", "dialogcafe-arrangorer"]},
    "lars": {"password": "lars-lösen", "email": "lars.holm@kommun.example", "email_verified": True,
             "given_name": "Lars", "family_name": "Holm", "groups": ["sos-ledning", "sos-processledare"]},
    "olle": {"password": "olle-lösen", "email": "olle.ek@kommun.example", "email_verified": True,
             "name": "Olle Ek", "groups": ["alla-anstallda"]},
    "maja": {"password": "maja-lösen", "email": "maja.lind@kommun.example", "email_verified": False,
             "name": "Maja Lind", "groups": ["sos-processledare"]},
}


class OpenIdProvider:
    """oidc-provider in a Node.js process of its own, and the tests' door into it."""

    def __init__(self, redirect_base: str = APP_URL, port: int | None = None):
        self.port = port or free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.settings = {"accounts": ACCOUNTS, "clients": [{
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{redirect_base}/auth/oidc/callback"],
            "post_logout_redirect_uris": [f"{redirect_base}/"]}]}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"dialogcafe-oidc-provider-{self.port}.log"

    def start(self) -> "OpenIdProvider":
        """Start the provider and wait until its discovery document answers."""
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
            pytest.skip("Node.js and `npm install` (make setup) are needed for the OpenID provider")
        with open(self.log_path, "ab") as log:  # a file, not a pipe nobody reads that could fill up
            self.process = subprocess.Popen([node, str(SCRIPT), str(self.port), json.dumps(self.settings)],
                                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the OpenID provider did not start: " + self.log_path.read_text()[-2000:])

    def stop(self) -> None:
        """Stop the provider process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _door(self, path: str, payload: dict | None = None):
        """Call the provider's test door; GET without a payload, POST with one."""
        url = f"{self.issuer}/test/{path}"
        reply = requests.post(url, json=payload, timeout=5) if payload is not None else requests.get(url, timeout=5)
        reply.raise_for_status()
        return reply.json()

    def reset(self) -> None:
        """Back to the accounts above, unbent tokens and an empty request log."""
        self._door("reset", {})

    def set_account(self, login: str, **claims) -> None:
        """Change an account's claims (its groups, its e-mail address ...) from now on."""
        self._door(f"accounts/{login}", claims)

    def rotate_keys(self) -> str:
        """Replace the signing key by a new one; the old one is no longer published. Returns the new key id."""
        return self._door("rotate", {})["kid"]

    def bend_id_tokens(self, claims: dict | None = None, foreign_key: bool = False, id_token: str | None = None):
        """Bend the next ID tokens: claims ({"fromNow": s} for times, None drops), a foreign key, or an old token."""
        self._door("bend", {"claims": claims, "foreignKey": foreign_key, "idToken": id_token})

    def last_id_token(self) -> str:
        """The last ID token the provider issued, before any bending."""
        return self._door("last-id-token")["id_token"]

    def requests_to(self, path: str) -> list[dict]:
        """The requests that reached a path of the provider (method, path, query)."""
        return [r for r in self._door("requests") if r["path"] == path]


@pytest.fixture(scope="session")
def provider_process():
    """One provider for the whole run."""
    provider = OpenIdProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(provider_process):
    """The provider, reset for this test."""
    provider_process.reset()
    return provider_process


def oidc_settings(issuer: str, **extra) -> dict:
    """The environment of an installation signing in through the provider at `issuer`."""
    return {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ROLE_MAP": ROLE_MAP, "OIDC_ACCESS_CONTACT": CONTACT, **extra}


@pytest.fixture
def oidc_app_factory(monkeypatch, tmp_path):
    """Build an app, on a fresh SQLite database, from these settings in the environment."""
    made = []

    def build(issuer: str, **extra):
        for name, value in oidc_settings(issuer, **extra).items():
            monkeypatch.setenv(name, value)
        app = make_app(f"sqlite:///{tmp_path / f'oidc-{len(made)}.sqlite3'}")
        with app.app_context():
            db.create_all()
        made.append(app)
        return app
    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def oidc_app(oidc_app_factory, provider):
    """An app that signs staff in through the provider."""
    return oidc_app_factory(provider.issuer)


class Browser:
    """One person's browser: the Flask test client towards the app, a requests session towards the provider."""

    def __init__(self, app):
        self.app = app.test_client()
        self.web = requests.Session()

    def start(self, path: str = "/auth/oidc/login"):
        """Ask the app to sign in; returns its answer (a redirect to the provider when all is well)."""
        return self.app.get(path)

    def at_provider(self, url: str, login: str | None, password: str | None = None) -> str:
        """Follow the provider's redirects, logging in on its form when asked; returns the URL back to the app."""
        reply = self.web.get(url, allow_redirects=False, timeout=10)
        while True:
            if reply.is_redirect:
                target = urljoin(reply.url, reply.headers["Location"])
                if target.startswith(APP_URL):
                    return target
                reply = self.web.get(target, allow_redirects=False, timeout=10)
            elif reply.status_code == 200 and 'name="password"' in reply.text and login is not None:
                form = reply.url  # the form posts to /interaction/<uid>/login
                action = urljoin(form, reply.text.split('action="', 1)[1].split('"', 1)[0])
                secret = password if password is not None else ACCOUNTS[login]["password"]
                reply = self.web.post(action, data={"login": login, "password": secret}, allow_redirects=False,
                                      timeout=10)
                login = None  # once; a second form means the password was wrong
            else:
                raise AssertionError(f"the provider answered {reply.status_code}: {reply.text[:500]}")

    def back(self, url: str):
        """Bring the provider's redirect back to the app (by path: the test client's host is its own)."""
        parts = urlsplit(url)
        return self.app.get(parts.path + (f"?{parts.query}" if parts.query else ""))

    def sign_in(self, login: str, password: str | None = None, start: str = "/auth/oidc/login"):
        """The whole sign-in; returns the app's answer to the callback."""
        reply = self.start(start)
        assert reply.status_code == 302, reply.get_data(as_text=True)
        return self.back(self.at_provider(reply.headers["Location"], login, password))

    def signed_in(self) -> bool:
        """Whether the app lets this browser in to the organizer's pages."""
        return self.app.get("/organizer/").status_code == 200


def accounts(app) -> dict[str, dict]:
    """The app's staff accounts by e-mail address, as plain values."""
    with app.app_context():
        return {u.email: {"id": u.id, "name": u.name, "role": u.role, "subject": u.oidc_subject,
                          "issuer": u.oidc_issuer, "token_version": u.token_version,
                          "administration": u.administration.name if u.administration else None}
                for u in db.session.scalars(db.select(User))}


def audit_log(app, action: str | None = None) -> list[dict]:
    """The audit entries, oldest first, of one action or all, as `{"action", "actor", "details"}`."""
    with app.app_context():
        query = db.select(AuditEntry).order_by(AuditEntry.id)
        return [{"action": e.action, "actor": e.actor, "details": e.details} for e in db.session.scalars(query)
                if action is None or e.action == action]


@pytest.fixture
def browser_for():
    """A factory of people's browsers towards an app."""
    return Browser


"""Headers, cookies, templates without inline code, Socket.IO origins and size limits."""
import re
from pathlib import Path

import pytest

from tests.conftest import make_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CSP = {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
       "object-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'self'", "form-action": "'self'"}


def csp_of(response) -> dict:
    """The Content-Security-Policy as a directive -> sources mapping."""
    parts = [p.strip().split(" ", 1) for p in response.headers["Content-Security-Policy"].split(";")]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("path", ["/", "/join", "/login", "/healthz", "/api/v1/openapi.json", "/nowhere"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = csp_of(response)
    for directive, sources in CSP.items():
        assert policy[directive] == sources, directive
    assert policy["connect-src"] == "'self' ws://localhost wss://localhost"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_with_secrets_are_not_cached(client, demo):
    response = client.get(f"/t/{demo['tables'][0]['join_code'].replace('-', '')}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_cookies_are_httponly_samesite_and_secure_behind_https(tmp_path, demo, sqlite_templates):
    import shutil
    db_file = tmp_path / "https.sqlite3"
    shutil.copy(sqlite_templates["demo"], db_file)
    app = make_app(f"sqlite:///{db_file}", PUBLIC_URL="https://cafe.example.se")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().post("/login", data=demo["organizer"], base_url="https://cafe.example.se")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session that ends (PERMANENT_SESSION_LIFETIME)
    assert app.permanent_session_lifetime.total_seconds() <= 12 * 3600


def test_plain_http_installations_keep_cookies_usable(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "inline <style>"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_templates_have_no_inline_scripts_handlers_or_styles(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    found = [f"{what}: {m.group(0).strip()}" for pattern, what in INLINE for m in pattern.finditer(source)]
    assert not found, f"{template} needs them moved to static files (the CSP forbids them): {found}"


def _handshake(client, origin: str | None):
    """An Engine.IO polling handshake with the given Origin header."""
    headers = {"Origin": origin} if origin else {}
    return client.get("/socket.io/?EIO=4&transport=polling", headers=headers)


def test_socketio_accepts_only_the_apps_own_origin(client):
    assert _handshake(client, "http://testserver").status_code == 200
    assert _handshake(client, None).status_code == 200  # non-browser clients send no Origin
    assert _handshake(client, "https://evil.example").status_code == 400
    assert _handshake(client, "http://testserver.evil.example").status_code == 400


def test_oversize_requests_are_refused(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/tables/join", data=b"x" * 4096, content_type="application/json")
    assert response.status_code == 413


def test_socket_messages_are_limited_in_size(app):
    from cafe.extensions import socketio
    assert socketio.server.eio.max_http_buffer_size == 64 * 1024
    assert app.config["NOTE_MAX_CHARS"] * 4 < socketio.server.eio.max_http_buffer_size


@pytest.mark.parametrize("path", ["/facilitator/9223372036854775808", "/api/v1/events/99999999999",
                                  "/organizer/events/2147483648"])
def test_ids_beyond_the_database_range_are_not_found(client, path):
    assert client.get(path).status_code == 404

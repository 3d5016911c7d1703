"""Security headers on every response, secure cookies, and refusing oversize requests cleanly."""
from urllib.parse import urlsplit

from flask import Flask, current_app, request

PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
               "microphone=(), payment=(), usb=()")


def content_security_policy() -> str:
    """No inline scripts or styles; sockets to our own host; forms to us and the identity provider (logout)."""
    host = request.host
    issuer = urlsplit(current_app.config.get("OIDC_ISSUER") or "")
    provider = f" {issuer.scheme}://{issuer.netloc}" if issuer.netloc else ""
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", f"connect-src 'self' ws://{host} wss://{host}", "object-src 'none'",
        "frame-ancestors 'none'", "base-uri 'self'", f"form-action 'self'{provider}",
    ])


def _add_headers(response):
    """Set the security headers unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or request.headers.get("X-Forwarded-Proto") == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint and not request.endpoint.endswith("static") and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response


def _secure_cookies(app: Flask) -> None:
    """Cookies only over https when the public address is https; always HttpOnly and SameSite."""
    https = app.config.get("PUBLIC_URL", "").startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE") or https
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config["SESSION_COOKIE_HTTPONLY"] = True


def init_app(app: Flask) -> None:
    """Register the headers and the cookie settings."""
    _secure_cookies(app)
    app.after_request(_add_headers)

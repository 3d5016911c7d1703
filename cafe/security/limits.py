"""Rate limits against guessing and abuse, declared per endpoint in one table.

Join codes are 8 characters from a 31-character alphabet: 31**8 ≈ 8.5e11 codes. At the shared join limit
(30 wrong codes a minute, 300 an hour per address) one address makes at most 7,200 guesses a day; with 50
tables live the chance that any guess in a day hits one is 7,200 × 50 / 8.5e11 ≈ 4e-7 (docs/privacy.md).
"""
from flask import Flask, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..errors import ServiceError

limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Endpoint -> (limit, methods limited, scope shared between endpoints or None). Logins and join codes count
# failed attempts only: a whole café can sit behind one address (conference wifi) and must all get in.
JOIN = "30/minute;300/hour"
LIMITS = {
    "auth.login": ("10/minute;60/hour", ["POST"], "login"),
    "api.token": ("10/minute;60/hour", ["POST"], "login"),
    "auth.oidc.callback": ("10/minute;60/hour", None, "login"),
    "host.join": (JOIN, ["POST"], "join"),
    "host.table": (JOIN, None, "join"),
    "api.join": (JOIN, ["POST"], "join"),
}
# Endpoints of other areas limited when they exist: votes, feedback and uploads.
PATTERNS = (("vote", "20/minute;200/hour", ["POST"]), ("upload", "20/minute", ["POST"]),
            ("import", "20/minute", ["POST"]), ("feedback", "30/minute", ["POST"]))


def _failed(response) -> bool:
    """Count an attempt against the limit only when it was refused."""
    return response.status_code >= 400


def _limit_for(endpoint: str):
    """The declared limit of an endpoint, or one matching its name, or None."""
    if endpoint in LIMITS:
        return LIMITS[endpoint]
    for word, limit, methods in PATTERNS:
        if word in endpoint.split(".")[-1] or word in endpoint.split(".")[0]:
            return limit, methods, None
    return None


def apply(app: Flask) -> None:
    """Wrap every limited view function; call after all blueprints are registered."""
    for endpoint, view in list(app.view_functions.items()):
        declared = _limit_for(endpoint)
        if declared is None or endpoint == "static":
            continue
        limit, methods, scope = declared
        decorate = (limiter.shared_limit(limit, scope=scope, methods=methods, deduct_when=_failed) if scope
                    else limiter.limit(limit, methods=methods))
        app.view_functions[endpoint] = decorate(view)


def _too_many(error):
    """Answer a breached limit in JSON for the API and as a page elsewhere."""
    refusal = ServiceError("too_many_requests", status=429)
    if request.path.startswith("/api/"):
        response = jsonify({"error": refusal.to_dict()})
    else:
        response = render_template("security/too_many.html", message=refusal.message)
    return response, 429


def init_app(app: Flask) -> None:
    """Bind the limiter: Redis when REDIS_URL is set, else memory."""
    app.config["RATELIMIT_STORAGE_URI"] = (app.config.get("RATELIMIT_STORAGE_URI")
                                           or app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    app.register_error_handler(429, _too_many)

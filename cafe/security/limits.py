"""Rate limits on every path a stranger can reach, declared per endpoint in one table (docs/limits.md).

Counters live in Redis when REDIS_URL is set, so every server process counts the same guesses. Join codes
are 8 characters from a 31-character alphabet: 31**8 ≈ 8.5e11 codes. At the join limit (30 wrong codes a
minute, 300 an hour per address) one address makes at most 7,200 guesses a day; with 50 tables live the
chance that any guess in a day hits one is 7,200 × 50 / 8.5e11 ≈ 4e-7 (docs/limits.md).
"""
from dataclasses import dataclass

from flask import Flask, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..errors import ServiceError

limiter = Limiter(key_func=get_remote_address, default_limits=[], retry_after="delta-seconds")


@dataclass(frozen=True)
class Rule:
    """One limit: its rate, the methods it counts (None: all), the scope endpoints share, and whether only
    refused attempts count (a whole café behind one address must all get in)."""

    rate: str
    methods: tuple | None
    scope: str
    failed_only: bool


LOGIN = Rule("10/minute;60/hour", ("POST",), "login", True)
JOIN = "30/minute;300/hour"
# A pre-vote's or feedback page's secret link: guesses share one counter
LINK = Rule("30/minute;300/hour", None, "link", True)
FEED = Rule("120/minute", None, "feedback", False)  # readers that poll the page or feed
IMPORT = Rule("20/minute;100/hour", ("POST",), "import", False)  # files read and parsed at a cost
LIMITS = {
    "auth.login": (LOGIN,),
    "api.token": (LOGIN,),
    "auth.oidc.callback": (Rule(LOGIN.rate, None, "login", True),),
    "host.join": (Rule(JOIN, ("POST",), "join", True),),
    "host.table": (Rule(JOIN, None, "join", True),),
    "api.join": (Rule(JOIN, ("POST",), "join", True),),
    # a room voting from one address at the start of the day still fits; a script filling ballots does not
    "vote.ballot": (LINK, Rule("120/minute;1200/hour", ("POST",), "ballot", False)),
    "feedback.show": (LINK, FEED),
    "feedback.feed": (LINK, FEED),
    "feedback.qr": (LINK, FEED),
    "actions.upload": (IMPORT,),
    "actions.apply_upload": (IMPORT,),
    "actions.import_notes": (IMPORT,),
    "actions.apply_notes": (IMPORT,),
}


def _failed(response) -> bool:
    """Count an attempt against the limit only when it was refused."""
    return response.status_code >= 400


def _limit_for(endpoint: str) -> tuple | None:
    """The declared rules of an endpoint, or None."""
    return LIMITS.get(endpoint)


def apply(app: Flask) -> None:
    """Wrap every limited view function; call after all blueprints are registered."""
    for endpoint, rules in LIMITS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        for rule in rules:
            view = limiter.shared_limit(rule.rate, scope=rule.scope, methods=rule.methods and list(rule.methods),
                                        deduct_when=_failed if rule.failed_only else None)(view)
        app.view_functions[endpoint] = view


def _too_many(error):
    """Answer a breached limit in JSON for the API and as a Swedish page elsewhere; Retry-After is added by
    the limiter after this handler."""
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

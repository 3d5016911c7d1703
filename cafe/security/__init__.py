"""Security and privacy: access rules, rate limits, headers, the audit log and the data lifecycle."""
from flask import Flask

from . import commands, headers, inputs, limits, trail
from .views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the security pages, headers and cookie rules, and rate-limit the declared routes.

    Called after every other area has registered its blueprint, so that the limits reach them all.
    """
    app.register_blueprint(bp)
    commands.init_app(app)
    inputs.init_app(app)
    trail.init_app(app)
    headers.init_app(app)
    limits.init_app(app)
    limits.apply(app)

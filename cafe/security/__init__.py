"""Security and privacy: access rules, rate limits, headers, the audit log and the data lifecycle."""
from flask import Blueprint, Flask

bp = Blueprint("security", __name__, url_prefix="/security")


def init_app(app: Flask) -> None:
    """Register the security pages, headers and cookie rules, and rate-limit the declared routes.

    Called after every other area has registered its blueprint, so that the limits reach them all.
    """
    from . import commands, headers, inputs, limits, trail
    app.register_blueprint(bp)
    commands.init_app(app)
    inputs.init_app(app)
    trail.init_app(app)
    headers.init_app(app)
    limits.init_app(app)
    limits.apply(app)


from . import api, views  # noqa: E402,F401

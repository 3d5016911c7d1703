"""Logging in and out for organizers, facilitators and project leads, with a password or the identity provider."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import oidc, views  # noqa: E402,F401

bp.register_blueprint(oidc.bp)

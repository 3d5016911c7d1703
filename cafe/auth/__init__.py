"""Logging in and out for organizers, facilitators and project leads, with a password or the identity provider."""
from . import oidc
from .views import bp

bp.register_blueprint(oidc.bp)

__all__ = ["bp"]

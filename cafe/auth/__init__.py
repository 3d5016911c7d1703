"""Logging in and out for organizers, facilitators and project leads."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401

"""The organizer's area: the list of cafés and their links."""
from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/organizer")

from . import common, people, planning, views, votes  # noqa: E402,F401

"""The table host's area: joining a table and typing notes."""
from flask import Blueprint

bp = Blueprint("host", __name__)

from . import events, views  # noqa: E402,F401  (register routes and socket handlers)

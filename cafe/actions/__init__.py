"""The project lead's area: action lists per unit, drafts from themes, exports, round trip and imports."""
from flask import Blueprint

bp = Blueprint("actions", __name__, url_prefix="/actions")

from . import api, views  # noqa: E402,F401

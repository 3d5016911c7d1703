"""The plenary projector: a read-only view of a café, opened with a secret link."""
from flask import Blueprint

bp = Blueprint("projector", __name__, url_prefix="/projector")

from . import events, views  # noqa: E402,F401  (register routes and socket handlers)

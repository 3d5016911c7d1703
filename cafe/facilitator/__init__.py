"""The facilitator's area: the live console of a café."""
from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")

from . import curation_events, events, views  # noqa: E402,F401  (register routes and socket handlers)

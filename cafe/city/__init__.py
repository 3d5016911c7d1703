"""The city-wide synthesis across cafés, administrations and years."""
from flask import Blueprint

bp = Blueprint("city", __name__, url_prefix="/city")

from . import views  # noqa: E402,F401

"""The public pre-vote (förhandsenkät): staff answer without logging in, through a link or a QR code."""
from flask import Blueprint

bp = Blueprint("vote", __name__)

from . import views  # noqa: E402,F401

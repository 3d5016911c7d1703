"""The participants' feedback page (återkoppling): public by an unguessable link, with an Atom feed."""
from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

from . import views  # noqa: E402,F401

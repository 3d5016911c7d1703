"""The participants' feedback page (återkoppling): public by an unguessable link, with an Atom feed."""
from .views import bp

__all__ = ["bp"]


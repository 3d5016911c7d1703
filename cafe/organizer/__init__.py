"""The organizer's area: the list of cafés and their links."""
from . import people, planning, votes  # noqa: F401  (register their routes and socket handlers)
from .views import bp

__all__ = ["bp"]


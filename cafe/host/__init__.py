"""The table host's area: joining a table and typing notes."""
from . import events  # noqa: F401  (register their routes and socket handlers)
from .views import bp

__all__ = ["bp"]


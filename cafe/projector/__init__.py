"""The plenary projector: a read-only view of a café, opened with a secret link."""
from . import events  # noqa: F401  (register their routes and socket handlers)
from .views import bp

__all__ = ["bp"]


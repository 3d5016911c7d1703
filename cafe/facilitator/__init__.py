"""The facilitator's area: the live console of a café."""
from . import curation_events, events  # noqa: F401  (register their routes and socket handlers)
from .views import bp

__all__ = ["bp"]


"""The project lead's area: action lists per unit, drafts from themes, exports, round trip and imports,
and the report to the committee (`report`)."""
from . import report  # noqa: F401  (register the report page)
from .views import bp

__all__ = ["bp"]


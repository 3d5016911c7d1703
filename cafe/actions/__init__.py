"""The project lead's area: action lists per unit, drafts from themes, exports, round trip and imports."""
from .views import bp

__all__ = ["bp"]


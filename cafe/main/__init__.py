"""Start page, language choice and health check."""
from .views import bp

__all__ = ["bp"]


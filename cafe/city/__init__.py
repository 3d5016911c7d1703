"""The city-wide synthesis across cafés, administrations and years."""
from .views import bp

__all__ = ["bp"]


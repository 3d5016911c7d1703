"""Logging in and out for organizers, facilitators and project leads."""
from .views import bp

__all__ = ["bp"]


"""The public pre-vote (förhandsenkät): staff answer without logging in, through a link or a QR code."""
from .views import bp

__all__ = ["bp"]


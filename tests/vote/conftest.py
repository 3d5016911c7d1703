"""The planning fixtures serve the pre-vote tests too."""
from tests.organizer.conftest import ctx, demo_event, organizer, stranger  # noqa: F401

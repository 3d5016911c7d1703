"""The browser fixtures come from tests/browser_fixtures.py (one Chromium for the whole run)."""
from tests.browser_fixtures import CHROMIUM_ARGS, axe_violations, login  # noqa: F401  (helpers for tests)

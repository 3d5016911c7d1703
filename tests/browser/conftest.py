"""The browser fixtures come from tests/browser_fixtures.py (one Chromium for the whole run)."""

import pytest

from tests.browser_fixtures import CHROMIUM_ARGS, axe_violations, login  # noqa: F401  (helpers for tests)
from tests.server_fixtures import serve_copy


@pytest.fixture(scope="module")
def module_server(live_template, tmp_path_factory):
    """One running server on a copy of the demo café's database for a whole test module."""
    server = serve_copy(tmp_path_factory.mktemp("module-server"), live_template)
    yield server
    server.stop()

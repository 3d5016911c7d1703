"""The browser fixtures come from tests/browser_fixtures.py (one Chromium for the whole run)."""
import shutil
from pathlib import Path

import pytest

from tests.browser_fixtures import CHROMIUM_ARGS, axe_violations, login  # noqa: F401  (helpers for tests)
from tests.server_fixtures import LiveServer, _with_port


@pytest.fixture(scope="module")
def module_server(live_template, tmp_path_factory):
    """One running server on a copy of the demo café's database for a whole test module."""
    template, demo = live_template
    path = tmp_path_factory.mktemp("module-server") / "live.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", f"{path}{suffix}")
    server = LiveServer(f"sqlite:///{path}")
    server.demo = _with_port(demo, server.url)
    server.start()
    yield server
    server.stop()

"""Every setting, socket event and command is documented, so the docs cannot drift from the code."""
import re
from pathlib import Path

import pytest

from cafe import config
from cafe.extensions import socketio
from cafe.realtime import protocol

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_in_configuration_md():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"`{s.name}`" not in text]
    assert missing == [], f"document these settings in docs/configuration.md: {missing}"


def test_every_registered_socket_event_is_in_realtime_md(app):
    text = (DOCS / "realtime.md").read_text(encoding="utf-8")
    registered = {(ns, name) for ns, handlers in socketio.server.handlers.items() for name in handlers
                  if name not in ("connect", "disconnect", "*")}
    assert registered, "no socket handlers are registered"
    missing = sorted(f"{ns} {name}" for ns, name in registered if f"`{name}`" not in text)
    assert missing == [], f"document these events in docs/realtime.md: {missing}"


def test_every_namespace_and_protocol_name_is_documented():
    text = (DOCS / "realtime.md").read_text(encoding="utf-8")
    names = [v for k, v in vars(protocol).items() if k.isupper() and isinstance(v, str)]
    missing = [n for n in names if f"`{n}`" not in text]
    assert missing == [], f"document these names in docs/realtime.md: {missing}"


def test_every_client_event_in_the_protocol_has_a_handler(app):
    handlers = socketio.server.handlers
    for namespace, events in protocol.CLIENT_EVENTS.items():
        for event in events:
            assert event in handlers.get(namespace, {}), f"{namespace} {event} has no handler"


@pytest.mark.parametrize("value, setting", [("abc", "HOST_TOKEN_MAX_AGE"), ("maybe", "SESSION_COOKIE_SECURE"),
                                            ("erase", "PII_MODE")])
def test_bad_setting_gives_a_clear_error(monkeypatch, value, setting):
    monkeypatch.setenv(setting, value)
    with pytest.raises(config.ConfigError, match=setting):
        config.settings()


@pytest.mark.parametrize("value", ["0", "150"])
def test_synthesis_share_out_of_range_gives_a_clear_error(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SYNTHESIS_CPU_PERCENT", value)
    with pytest.raises(config.ConfigError, match="SYNTHESIS_CPU_PERCENT"):
        config.load(str(tmp_path))


def test_every_flask_command_is_documented(app):
    text = (DOCS / "configuration.md").read_text(encoding="utf-8") + (
        DOCS.parent / "README.md").read_text(encoding="utf-8")
    ours = [name for name in app.cli.commands]
    missing = [name for name in ours if not re.search(rf"flask --app cafe {name}\b", text)]
    assert missing == [], f"document these commands: {missing}"


@pytest.mark.parametrize("value", ["amqp://guest@127.0.0.1//", "127.0.0.1:6379"])
def test_a_message_queue_that_is_not_redis_gives_a_clear_error(monkeypatch, tmp_path, value):
    monkeypatch.setenv("REDIS_URL", value)
    with pytest.raises(config.ConfigError, match="REDIS_URL must be a Redis URL"):
        config.load(str(tmp_path))

"""Every setting, socket event and command is documented, so the docs cannot drift from the code."""
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cafe import config
from cafe.extensions import db, socketio
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


# Placeholders of the docs' command lines and what the test types for them (FILE: a file in the test's folder)
PLACEHOLDERS = {"ID": "1", "N": "30", "NAME": '"Okänd förvaltning"'}


def documented_commands() -> list[list[str]]:
    """Every `flask --app cafe ...` command line in the README and docs/, optional parts both left out and
    given (placeholders filled), except the long-running `serve` (tests/cli starts it)."""
    found = set()
    for path in [DOCS.parent / "README.md", *sorted(DOCS.glob("*.md"))]:
        for match in re.finditer(r"flask --app cafe ([a-z][^`|)#\n]*)", path.read_text(encoding="utf-8")):
            line = match.group(1).strip()
            found.update((re.sub(r"\s*\[[^]]*\]", "", line), line.replace("[", "").replace("]", "")))
    filled = {re.sub(r"\b(ID|N|NAME)\b", lambda m: PLACEHOLDERS[m.group(1)], line) for line in found}
    return sorted(shlex.split(line) for line in filled if not line.startswith("serve"))


def test_the_docs_name_every_command_that_is_run_below():
    commands = {" ".join(c[:2]) for c in documented_commands()}
    assert {"db upgrade", "demo", "demo --json", "privacy scan", "privacy purge", "synthesis"} <= commands


def _run_on_a_fresh_database(args: list[str], path: Path):
    """One documented command, as `flask --app cafe` runs it, on a SQLite file nobody has migrated, no Redis."""
    from flask.cli import FlaskGroup

    from tests.conftest import make_app
    app = make_app(f"sqlite:///{path}")
    try:
        return CliRunner().invoke(FlaskGroup(create_app=lambda: app), args, catch_exceptions=True)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("args", documented_commands(), ids=" ".join)
def test_every_documented_command_works_or_says_in_one_line_what_to_do(tmp_path, args):
    args = [str(tmp_path / "out") if arg == "FILE" else arg for arg in args]
    result = _run_on_a_fresh_database(args, tmp_path / "fresh.sqlite3")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    if result.exit_code != 0:
        said = [line for line in result.output.splitlines() if line.strip() and not line.startswith("INFO")]
        assert len(said) == 1 and len(said[0]) < 300, (args, result.output)
        assert "flask --app cafe db upgrade" in said[0] or "REDIS_URL" in said[0], (args, said)
    else:
        assert " ".join(args) not in ("privacy scan", "synthesis"), args  # these need tables, or Redis
    if " ".join(args) in ("db upgrade", "demo", "demo --json"):
        assert result.exit_code == 0, (args, result.output)

"""The app's commands: `demo` seeds once and prints its links; `serve` starts a realtime server."""
import json
import subprocess
import sys
import time

import requests

from cafe.cli import BOOT
from tests.support import free_port


def _demo_json(runner) -> dict:
    """Run `flask demo --json` and parse the one JSON object it prints."""
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_demo_json_has_the_documented_shape(runner):
    info = _demo_json(runner)
    assert set(info) >= {"event_id", "facilitator_url", "projector_url", "organizer", "tables"}
    assert set(info["organizer"]) == {"email", "password"}
    assert len(info["tables"]) == 8
    for table in info["tables"]:
        assert set(table) >= {"id", "number", "join_code", "url"}
        assert table["url"].endswith("/t/" + table["join_code"].replace("-", ""))
    assert "token=" in info["projector_url"]


def test_demo_twice_seeds_once_and_renews_the_password(runner, app):
    first, second = _demo_json(runner), _demo_json(runner)
    assert first["event_id"] == second["event_id"]
    assert first["organizer"]["password"] != second["organizer"]["password"]
    login = app.test_client().post("/api/v1/auth/token", json=second["organizer"])
    assert login.status_code == 200


def test_demo_text_output_lists_tables(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert result.output.count("Bord ") >= 8 and "lösenord" in result.output


def test_serve_starts_a_gevent_server(tmp_path):
    env_db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    port = free_port()
    env = {"DATABASE_URL": env_db, "SECRET_KEY": "serve-test", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "cafe", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "cafe", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()["status"] == "ok"
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "(gevent)" in output
    assert BOOT


def test_bad_setting_stops_serve_with_a_message(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PII_MODE": "erase", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", BOOT, "--port", str(free_port())], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "PII_MODE" in result.stderr and "Traceback" not in result.stderr

"""The app's commands: `demo` seeds once and prints its links; `serve` starts a realtime server."""
import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import requests
from sqlalchemy import select

from cafe.cli import BOOT
from cafe.events import votes
from cafe.extensions import db
from cafe.models import Event, Note
from cafe.models.action import ActionItem
from tests.support import free_port


def _demo_json(runner) -> dict:
    """Run `flask demo --json` and parse the one JSON object it prints."""
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


ROLES = ("organizer", "facilitator", "project_lead")


def test_demo_json_has_the_documented_shape(runner):
    info = _demo_json(runner)
    assert set(info) >= {"event_id", "facilitator_url", "projector_url", "organizer", "facilitator",
                         "project_lead", "tables", "login_url", "planned", "held"}
    for role in ROLES:
        assert set(info[role]) == {"email", "password"}
    for cafe in (info["planned"], info["held"]):
        assert set(cafe) >= {"event_id", "title", "date", "status", "facilitator_url", "projector_url", "tables"}
        assert "token=" in cafe["projector_url"]
        for table in cafe["tables"]:
            assert set(table) >= {"id", "number", "join_code", "url"}
            assert table["url"].endswith("/t/" + table["join_code"].replace("-", ""))
    assert set(info["planned"]) >= {"planning_url", "vote_url"}
    assert set(info["held"]) >= {"actions_url", "build_url", "feedback_url", "vote_results_url"}
    # The top-level café keys name the planned café: the one a newcomer (or a benchmark) runs.
    assert (info["event_id"], info["tables"]) == (info["planned"]["event_id"], info["planned"]["tables"])
    assert len(info["held"]["tables"]) == 8


def test_the_planned_cafe_is_a_draft_ahead_with_its_tables_rounds_and_open_pre_vote(runner, app):
    planned = _demo_json(runner)["planned"]
    with app.app_context():
        event = db.session.get(Event, planned["event_id"])
        assert event.status == "draft" and event.date > date.today() and len(event.tables) == 6
        assert event.rounds and all(r.status == "planned" and r.question for r in event.rounds)
        assert all(t.unit_id and t.host_name for t in event.tables) and event.facilitators
        vote = votes.vote_of(event)
        assert vote.status == "open" and votes.results(vote)["ballots"] > 0
    assert planned["vote_url"].endswith("/v/" + vote.secret)


def test_the_held_cafe_is_closed_with_a_believable_history(runner, app):
    held = _demo_json(runner)["held"]
    with app.app_context():
        event = db.session.get(Event, held["event_id"])
        day = event.date
        assert event.status == "closed" and day < date.today() and event.closed_at
        assert all(r.started_at and r.ended_at and r.started_at < r.ended_at for r in event.rounds)
        assert [r.started_at for r in event.rounds] == sorted(r.started_at for r in event.rounds)
        notes = db.session.scalars(select(Note).where(Note.event_id == event.id)).all()
        assert {n.table.number for n in notes} == set(range(1, 9))
        assert {n.round.number for n in notes} == {1, 2, 3} and any(n.starred for n in notes)
        assert {n.level for n in notes} == {"individ", "enhet", "förvaltning"} and any(n.unit_id for n in notes)
        assert all(n.round.started_at <= n.created_at <= n.round.ended_at for n in notes)
        assert votes.vote_of(event).status == "closed" and votes.vote_of(event).closed_at < event.rounds[0].started_at
        items = db.session.scalars(select(ActionItem).where(ActionItem.event_id == event.id)).all()
        assert len({a.status for a in items}) == 6 and any(a.point is None for a in items)
        assert any(a.subgoal_indicator and a.subgoal_current for a in items) and any(a.comments for a in items)
        after, now = event.closed_at, datetime.now(UTC)
        for action in items:
            assert all(after < h.changed_at < now for h in action.history), action.title
            assert after < action.created_at <= action.updated_at < now
            assert all(after < c.created_at < now for c in action.comments)
            assert action.due_date is None or action.due_date > day
    assert app.test_client().get(held["feedback_url"].split("testserver")[1]).status_code == 200


def test_demo_twice_seeds_once_and_renews_every_password(runner, app):
    first, second = _demo_json(runner), _demo_json(runner)
    assert (first["planned"]["event_id"], first["held"]["event_id"]) == (
        second["planned"]["event_id"], second["held"]["event_id"])
    for role in ROLES:
        assert first[role]["password"] != second[role]["password"]
        login = app.test_client().post("/api/v1/auth/token", json={"email": second[role]["email"],
                                                                    "password": second[role]["password"]})
        assert login.status_code == 200
    assert len({second[role]["password"] for role in ROLES}) == 3


def test_demo_text_output_gives_every_role_its_way_in(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    out = result.output
    assert "körs på" not in out  # the command seeds; it does not start a server
    info = json.loads(runner.invoke(args=["demo", "--json"]).output)
    for role in ROLES:
        assert info[role]["email"] in out
    assert out.count("lösenord:") == 3
    planned, held = info["planned"], info["held"]
    for link in (planned["planning_url"], planned["facilitator_url"], planned["projector_url"].split("?")[0],
                 planned["vote_url"], held["actions_url"], held["build_url"], held["vote_results_url"]):
        assert link in out, link
    assert "/feedback/" in out and info["login_url"] in out
    assert all(f"kod {t['join_code']}" in out for t in planned["tables"])


def handshake(port: int, origin: str) -> int:
    """The status of an Engine.IO handshake a browser on `origin` would make."""
    return requests.get(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin},
                        timeout=5).status_code


def test_serve_without_public_url_accepts_its_own_origin_and_says_what_would_allow_another(tmp_path):
    env_db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    port = free_port()
    env = {"DATABASE_URL": env_db, "SECRET_KEY": "serve-test", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "cafe", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    log = tmp_path / "serve.log"
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "cafe", "serve", "--port", str(port)],
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90  # a loaded machine imports the app slowly
        while time.monotonic() < deadline:
            try:
                assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()["status"] == "ok"
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        assert handshake(port, f"http://127.0.0.1:{port}") == 200
        assert handshake(port, f"http://localhost:{port}") == 200
        assert handshake(port, "http://elsewhere.example") == 400
        assert handshake(port, "http://elsewhere.example") == 400
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # the handshakes' sessions keep it waiting for their ping timeout
            process.kill()
            process.wait(timeout=10)
    output = log.read_text()
    assert "(gevent)" in output and "Traceback" not in output
    accepted = [line for line in output.splitlines() if line.startswith("Socketar tas emot från")]
    assert accepted == [f"Socketar tas emot från http://127.0.0.1:{port}, http://localhost:{port} "
                        f"(PUBLIC_URL=http://127.0.0.1:{port})"]
    refused = [line for line in output.splitlines() if "Socket refused" in line]
    assert len(refused) == 1 and "http://elsewhere.example" in refused[0] and "PUBLIC_URL=" in refused[0]
    assert BOOT


def test_demo_on_a_database_never_migrated_migrates_first(tmp_path):
    args = ["demo", "--json"]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "cafe", *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "skapar dem först (flask --app cafe db upgrade)" in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["planned"]["tables"]  # stdout stays one JSON object


def test_bad_setting_stops_serve_with_a_message(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PII_MODE": "erase", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", BOOT, "--port", str(free_port())], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "PII_MODE" in result.stderr and "Traceback" not in result.stderr

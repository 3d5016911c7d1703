"""The synthesis service: it finds events with news in the change log, runs their passes, and
reports what to broadcast, as a child process (JSON lines) or on its own (Redis)."""
import io
import json
import os
import subprocess
import sys

import pytest

from cafe import config
from cafe.extensions import db
from cafe.models import Change, Note, SynthesisMark, Table
from cafe.notes import capture
from cafe.runtime import synthesis_service
from cafe.synthesis import passes
from tests.conftest import new_note


class Collected(list):
    """An emit that keeps every message: (name, message, event id, audience[, table id])."""

    def __call__(self, name, message, event_id, audience, table_id=None):
        self.append((name, message, event_id, audience) if table_id is None
                    else (name, message, event_id, audience, table_id))

    def names(self) -> list[str]:
        """The event names in order."""
        return [m[0] for m in self]


@pytest.fixture
def service(app):
    """A service on the test app that has read the change log once (and caught up)."""
    emitted = Collected()
    service = synthesis_service.Service(app, emitted)
    service.watch()
    service.due.clear()
    return service, emitted


def add(app, table_id: int, text: str) -> int:
    """Add a note as a host would."""
    with app.app_context():
        return capture.add(db.session.get(Table, table_id), new_note(text)).note.id


def test_new_notes_in_the_change_log_schedule_their_event(app, demo, service):
    runner, _ = service
    assert runner.due == {}
    add(app, demo["tables"][0]["id"], "Mer tid för ärendehandledning")
    runner.watch()
    assert set(runner.due) == {demo["event_id"]}


def test_a_pass_reports_its_state_and_its_change_and_leaves_a_mark(app, demo, service):
    runner, emitted = service
    add(app, demo["tables"][0]["id"], "Mentor till alla nyanställda")
    runner.run(demo["event_id"])
    names = emitted.names()
    assert names[:3] == ["synthesis:state", "synthesis:updated", "synthesis:updated"]
    assert names[3:] == ["synthesis:suggested"]  # every table's suggestions in one message
    assert emitted[0][1]["state"] == "updating" and emitted[0][3] == "consoles"  # the first pass reads everything
    assert emitted[1][3] == "consoles" and emitted[1][1]["themes"] and emitted[1][1]["memberships"]
    state = emitted[1][1]["state"]
    assert state == {"state": "up_to_date", "pending": 0, "included": state["included"]}
    to_projectors = emitted[2][1]
    assert emitted[2][3] == "projectors" and "memberships" not in to_projectors and "suggested" not in to_projectors
    assert {k: v for k, v in emitted[1][1].items() if k not in ("memberships", "suggested", "state")} == to_projectors
    assert emitted[3][3] == "tables"
    per_table = {int(table): part["suggested"] for table, part in emitted[3][1].items()}
    assert sorted(p for pairs in per_table.values() for p in pairs) == sorted(emitted[1][1]["suggested"])
    with app.app_context():  # the state goes with the live message only, not into the log
        recorded = db.session.scalars(db.select(Change).where(Change.type == "synthesis:updated")).all()
        assert recorded and all("state" not in change.payload for change in recorded)

    emitted.clear()  # a pass that only adds a new note says nothing beforehand
    add(app, demo["tables"][1]["id"], "Mentor för nyanställda första året")
    runner.run(demo["event_id"])
    assert emitted.names()[:2] == ["synthesis:updated", "synthesis:updated"] and emitted[0][1]["state"]
    runner.run(demo["event_id"])  # nothing new: the state alone
    assert emitted.names()[-1] == "synthesis:state" and emitted[-1][1]["state"] == "up_to_date"
    with app.app_context():
        for table_id, pairs in per_table.items():
            tables = set(db.session.scalars(db.select(Note.table_id).where(Note.id.in_([p[0] for p in pairs]))))
            assert tables == {table_id}
    with app.app_context():
        mark = db.session.get(SynthesisMark, demo["event_id"])
        assert mark.included == passes.live_note_count(demo["event_id"])
        assert passes.status(demo["event_id"])["state"] == "up_to_date"


def test_its_own_updates_do_not_wake_it_again(app, demo, service):
    runner, _ = service
    runner.run(demo["event_id"])
    runner.watch()
    assert runner.due == {}


def test_a_nudge_runs_a_pass_and_a_second_one_right_after_waits_its_rest(app, demo, service):
    runner, emitted = service
    runner.nudge(demo["event_id"])
    for _ in range(20):
        runner.step(timeout=0.1)
        if runner.passes:
            break
    assert runner.passes == 1 and "synthesis:updated" in emitted.names()
    runner.nudge(demo["event_id"])
    runner.step(timeout=0.0)
    assert runner.passes == 1 and runner.due[demo["event_id"]] >= runner.rest_until[demo["event_id"]]


def test_a_failing_pass_is_reported_and_the_service_goes_on(app, demo, service, monkeypatch):
    runner, emitted = service

    def broken(*args, **kwargs):
        raise ValueError("trasig")
    monkeypatch.setattr(passes, "run_pass", broken)
    runner.run(demo["event_id"])
    assert emitted[-1][:3] == ("synthesis:state", {"state": "failed", "pending": None}, demo["event_id"])


def test_the_child_writes_one_json_line_per_message():
    stream = io.StringIO()
    synthesis_service.PipeOut(stream)("synthesis:state", {"state": "updating", "text": "Bord 1 – å"}, 7, "consoles")
    assert json.loads(stream.getvalue()) == {"name": "synthesis:state", "event_id": 7, "audience": "consoles",
                                             "message": {"state": "updating", "text": "Bord 1 – å"}}
    assert stream.getvalue().count("\n") == 1


def test_the_child_takes_event_ids_from_stdin_and_ends_with_it(app):
    runner = synthesis_service.Service(app, Collected())
    ended = []
    synthesis_service.read_nudges(runner, io.StringIO("3\nskräp\n\n12\n"), on_end=lambda: ended.append(1))
    assert [runner.nudges.get_nowait(), runner.nudges.get_nowait()] == [3, 12] and ended == [1]


def test_the_standalone_service_refuses_to_start_without_redis(app):
    app.config["REDIS_URL"] = None
    with pytest.raises(SystemExit, match="REDIS_URL"):
        synthesis_service.run_standalone(app)


def test_a_server_process_hands_its_child_the_same_database(app):
    from cafe.jobs import children
    from cafe.jobs import synthesis_child as live_synthesis
    handed = children.handed_config(app)
    assert handed["SQLALCHEMY_DATABASE_URI"] == app.config["SQLALCHEMY_DATABASE_URI"]
    assert handed["SECRET_KEY"] == app.config["SECRET_KEY"] and handed["REDIS_URL"] is None
    assert live_synthesis.mode(app) == "off"
    app.config["SYNTHESIS_WORKER"] = "external"
    assert live_synthesis.mode(app) == "external"


def test_at_start_it_catches_up_with_notes_that_arrived_while_it_was_away(app, demo):
    runner = synthesis_service.Service(app, Collected())
    runner.watch()
    assert set(runner.due) == {demo["event_id"]}
    runner.run(demo["event_id"])
    add(app, demo["tables"][0]["id"], "Kollegialt stöd efter svåra samtal")
    again = synthesis_service.Service(app, Collected())
    again.watch()
    assert set(again.due) == {demo["event_id"]}
    runner.run(demo["event_id"])
    rested = synthesis_service.Service(app, Collected())
    rested.watch()
    assert rested.due == {}


def test_many_busy_events_share_the_pass_rate(app, service):
    runner, _ = service
    now = 1000.0
    assert runner.gap(now) == synthesis_service.MIN_GAP
    runner.last_pass.update({event_id: now - 1 for event_id in range(20)})
    runner.last_pass.update({event_id: now - 60 for event_id in range(20, 40)})  # quiet for a minute
    assert runner.gap(now) == pytest.approx(20 / synthesis_service.PASS_RATE)


def test_busy_events_together_keep_to_the_services_share_of_a_core(app, service):
    runner, _ = service
    assert runner.share == 0.10  # the default SYNTHESIS_CPU_PERCENT
    now = 1000.0
    runner.last_pass.update({event_id: now - 1 for event_id in range(20)})
    runner.pass_cpu = 0.025  # 25 ms of CPU a pass: twenty cafés at 10 % of a core get one pass each 5 s
    assert runner.gap(now) == pytest.approx(20 * 0.025 / 0.10)
    runner.pass_cpu = 1.5  # after one huge pass the cafés still get a pass within SHARE_GAP_MAX
    assert runner.gap(now) == synthesis_service.SHARE_GAP_MAX
    runner.pass_cpu = 0.02
    runner.last_pass = {1: now - 1}
    assert runner.gap(now) == synthesis_service.MIN_GAP  # one busy café is well within the share


def test_passes_measure_their_cpu_time(app, service, demo):
    runner, _ = service
    add(app, demo["tables"][0]["id"], "Tid för reflektion i arbetsgruppen")
    runner.run(demo["event_id"])
    assert runner.pass_cpu > 0


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is a Linux scheduling policy")
def test_the_service_runs_only_on_cpu_time_the_servers_leave():
    script = ("import os; from cafe.jobs.children import lower_priority; lower_priority('idle'); "
              "import threading; seen = []; t = threading.Thread(target=lambda: seen.append("
              "os.sched_getscheduler(0))); t.start(); t.join(); print(os.sched_getscheduler(0), seen[0])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(os.SCHED_IDLE)] * 2  # threads started later inherit it


@pytest.mark.parametrize("how, policy, niceness", [("idle", "SCHED_IDLE", 0), ("low", "SCHED_OTHER", 10),
                                                   ("normal", "SCHED_OTHER", 0)])
def test_child_priority_says_how_a_child_yields_the_cpu(how, policy, niceness):
    if not hasattr(os, policy):
        pytest.skip(f"{policy} is a Linux scheduling policy")
    script = ("import os; from cafe.jobs.children import lower_priority; lower_priority(); "
              "print(os.sched_getscheduler(0), os.nice(0))")
    env = {**os.environ, "CHILD_PRIORITY": how}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(getattr(os, policy)), str(os.nice(0) + niceness)]


def test_a_bad_child_priority_stops_the_server_with_its_name(monkeypatch):
    monkeypatch.setenv("CHILD_PRIORITY", "lowest")
    with pytest.raises(config.ConfigError, match="CHILD_PRIORITY"):
        config.settings()


@pytest.mark.parametrize("in_pass, cpu_used, writing, rests", [
    (True, 1.0, False, True),  # a long pass rests between slices
    (True, 0.1, False, False),  # a small pass is never slowed
    (True, 1.0, True, False),  # nor a write transaction, where a server may wait for the lock
    (False, 1.0, False, False),  # nor the service between passes
])
def test_a_long_pass_rests_between_slices_of_cpu_time_outside_write_transactions(monkeypatch, in_pass, cpu_used,
                                                                                writing, rests):
    pacer = synthesis_service.Pacer(0.25)
    slept = []
    monkeypatch.setattr(synthesis_service.time, "sleep", slept.append)
    monkeypatch.setattr(synthesis_service.time, "thread_time", lambda: 100.0)
    pacer.since = 100.0 - cpu_used if in_pass else None
    if writing:
        pacer._statement(None, None, "INSERT INTO theme_memberships ...")
    pacer._tick(None, None)
    assert slept == ([pytest.approx(3 * synthesis_service.PACE_SLICE)] if rests else [])
    pacer._ended(None)
    assert not pacer.writing

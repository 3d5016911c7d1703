"""Job processes (`JOB_WORKER=process`): the city page and exports are built in a child process, errors
come back as they were raised, a dead or hung child is replaced, and the server's loop never waits."""
import os
import pickle
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
import requests
from sqlalchemy import func, select

from cafe import jobs
from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.jobs import processes as job_process
from cafe.models import Note
from tests.support import running_children

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(120)


# Jobs: module-level, so that a child finds them by name.
def where_and_how_many() -> tuple[int, int]:
    """The process a job ran in and the notes it sees."""
    return os.getpid(), db.session.scalar(select(func.count()).select_from(Note))


def refuse() -> None:
    """A job that refuses, as a service does."""
    raise ServiceError("busy", status=503, message="upptagen", where="jobb")


def break_down() -> None:
    """A job with a bug."""
    raise KeyError("missing")


def sleep(seconds: float) -> int:
    """A job that takes its time."""
    time.sleep(seconds)
    return os.getpid()


def gone(pid: int, within: float = 30.0) -> bool:
    """True when the process ends within the time (reaping it if it is ours)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return True
        except ChildProcessError:  # not ours, or reaped
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
        time.sleep(0.05)
    return False


@pytest.fixture
def in_processes(app):
    """The app with jobs in job processes; its children are stopped afterwards."""
    app.config["JOB_WORKER"] = "process"
    yield app
    found = app.extensions.get("cafe.job_processes")
    if found is not None:
        found.close()


def test_a_job_runs_in_a_child_on_the_same_data(in_processes, demo):
    with in_processes.app_context():
        pid, notes = jobs.run(where_and_how_many)
        assert pid != os.getpid()
        assert notes == db.session.scalar(select(func.count()).select_from(Note)) > 0
        assert jobs.run(where_and_how_many)[0] == pid  # the child is kept for the next job
        assert job_process.pool(in_processes).started == 1


def test_the_city_page_and_an_export_are_the_same_from_a_child(in_processes, demo, login):
    client = login("organizer")
    in_processes.config["JOB_WORKER"] = "thread"
    in_thread = client.get("/city/data.json")
    export_in_thread = client.get(f"/api/v1/events/{demo['event_id']}/actions.json")
    in_processes.config["JOB_WORKER"] = "process"
    in_child = client.get("/city/data.json")
    export_in_child = client.get(f"/api/v1/events/{demo['event_id']}/actions.json")
    assert in_child.status_code == in_thread.status_code == 200
    assert in_child.get_json() == in_thread.get_json()
    assert {**export_in_child.get_json(), "exported_at": None} == {**export_in_thread.get_json(), "exported_at": None}
    assert job_process.pool(in_processes).started == 1


def test_a_refusal_comes_back_with_its_code_status_and_details(in_processes):
    with in_processes.app_context():
        with pytest.raises(ServiceError) as refused:
            jobs.run(refuse)
    assert (refused.value.code, refused.value.status, refused.value.message) == ("busy", 503, "upptagen")
    assert refused.value.details == {"where": "jobb"}


def test_a_failing_job_raises_and_its_child_serves_the_next(in_processes):
    with in_processes.app_context():
        with pytest.raises(RuntimeError, match="KeyError"):
            jobs.run(break_down)
        jobs.run(where_and_how_many)
    assert job_process.pool(in_processes).started == 1


def test_a_job_that_cannot_travel_fails_before_reaching_a_child(in_processes):
    pool = job_process.pool(in_processes)
    pool.warm()
    child = pool.idle[0].pid
    with in_processes.app_context():
        with pytest.raises((pickle.PicklingError, AttributeError)):
            jobs.run(lambda: 1)
        assert jobs.run(where_and_how_many)[0] == child  # the child was never touched


def test_a_child_killed_between_jobs_is_replaced(in_processes):
    with in_processes.app_context():
        first, _ = jobs.run(where_and_how_many)
        os.kill(first, 9)
        assert gone(first)
        second, _ = jobs.run(where_and_how_many)
    assert second != first and job_process.pool(in_processes).started == 2


def test_a_child_killed_during_a_job_fails_that_job_only(in_processes):
    pool = job_process.pool(in_processes)
    pool.warm()
    victim = pool.idle[0].pid
    killer = subprocess.Popen([sys.executable, "-c", f"import os, time; time.sleep(0.5); os.kill({victim}, 9)"])
    with in_processes.app_context():
        with pytest.raises(ServiceError) as failed:
            jobs.run(sleep, 30)
        assert failed.value.status == 500
        assert jobs.run(sleep, 0) != victim
    killer.wait()


def test_a_hung_job_is_stopped_and_its_child_replaced(in_processes):
    pool = job_process.pool(in_processes)
    pool.timeout = 0.5
    pool.warm()
    hung = pool.idle[0].pid
    with in_processes.app_context():
        with pytest.raises(ServiceError):
            jobs.run(sleep, 30)
        assert gone(hung)
        pool.timeout = 30
        assert jobs.run(sleep, 0) != hung


def test_a_child_ends_when_its_server_process_closes_the_pipe(in_processes):
    pool = job_process.pool(in_processes)
    with in_processes.app_context():
        serving = jobs.run(sleep, 0)  # the child has started (at the lowest priority, slow on a busy machine)
    worker = pool.idle.pop()
    assert worker.pid == serving
    os.close(worker.requests)  # what the kernel does when the server process dies
    assert gone(worker.pid)
    os.close(worker.answers)


def test_a_server_start_has_one_child_ready_only_in_process_mode(app):
    job_process.start(app)
    assert "cafe.job_processes" not in app.extensions  # thread mode: no children
    app.config["JOB_WORKER"] = "process"
    job_process.start(app)
    pool = app.extensions["cafe.job_processes"]
    assert len(pool.idle) == 1 and pool.idle[0].alive()
    pool.close()
    assert not pool.idle


def test_a_closed_pool_stops_a_child_whose_job_returns_late(in_processes):
    pool = job_process.pool(in_processes)
    with in_processes.app_context():
        future = jobs.runner(in_processes).submit_to_process(in_processes, sleep, 1)
        time.sleep(0.3)
        pool.close()
        pid = future.result(timeout=30)
    assert gone(pid)


# A job that holds the interpreter in C for a good while (sum over a range never lets other
# threads run): in a job thread it stops the loop, in a job process it costs the loop nothing.
GEVENT_SCRIPT = textwrap.dedent("""
    import sys
    from gevent import monkey
    monkey.patch_all()
    import time
    import gevent
    from cafe import create_app, jobs
    from tests.jobs.test_job_process import hold_the_interpreter
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "TESTING": True,
                      "SYNTHESIS_WORKER": "off", "JOB_WORKER": sys.argv[2]})
    if sys.argv[2] == "process":
        from cafe.jobs import processes as job_process
        job_process.start(app)
        time.sleep(3)  # the child's imports, outside the measurement
    gaps = []
    def tick():
        last = time.monotonic()
        for _ in range(150):
            gevent.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now
    def job():
        with app.app_context():
            return jobs.run(hold_the_interpreter)
    ticker, runner = gevent.spawn(tick), gevent.spawn(job)
    gevent.joinall([ticker, runner])
    print(runner.value, max(gaps))
""")


def hold_the_interpreter() -> float:
    """Seconds spent in one C call that never releases the interpreter."""
    started = time.perf_counter()
    sum(range(40_000_000))
    return time.perf_counter() - started


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_under_gevent_the_loop_never_waits_for_a_job_process(tmp_path, mode):
    result = subprocess.run([sys.executable, "-c", GEVENT_SCRIPT, str(tmp_path / "cafe.sqlite3"), mode],
                            cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    held, longest_gap = map(float, result.stdout.split()[-2:])
    assert held > 0.2  # the job really held an interpreter that long
    if mode == "process":
        assert longest_gap < held / 2, (held, longest_gap)  # 10 ms ticks went on meanwhile
    else:  # the same job in a thread stops the loop for its whole length: the test can tell
        assert longest_gap > held * 0.8, (held, longest_gap)


def _job_children(pid: int) -> list:
    """The living job processes of a server process."""
    return running_children(pid, "cafe.runtime jobs")


def test_a_live_servers_city_page_comes_from_its_job_process_which_ends_with_it(live_server):
    deadline = time.monotonic() + 30
    while not _job_children(live_server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    [child] = _job_children(live_server.process.pid)  # one is ready from the start
    session = requests.Session()
    form = session.get(live_server.url + "/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    organizer = live_server.demo["organizer"]
    assert session.post(live_server.url + "/login", data={**organizer, "csrf_token": csrf},
                        allow_redirects=False, timeout=10).status_code == 302
    woken = child.num_ctx_switches().voluntary
    reply = session.get(live_server.url + "/city/data.json", timeout=60)
    assert reply.status_code == 200 and reply.json()["events"] >= 1
    assert child.num_ctx_switches().voluntary > woken  # the child woke up to build it
    assert _job_children(live_server.process.pid) == [child]
    live_server.kill()  # SIGKILL: no time to tidy up, yet the child sees its stdin close
    gone_, alive = psutil.wait_procs([child], timeout=15)
    assert not alive

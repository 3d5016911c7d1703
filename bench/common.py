"""What the live, load and fault benchmarks share: servers to start, client processes, figures."""
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cafe.cli import BOOT  # noqa: E402
from cafe.runtime.cluster import wait_healthy  # noqa: E402
from tests.support import free_port  # noqa: E402

SECRET = "bench-secret"


def synthesis_state(name: str, payload: dict) -> str | None:
    """The synthesis state a console message tells: `synthesis:state`, or the state a live
    `synthesis:updated` carries after a pass that changed something; None for other messages."""
    if name == "synthesis:state":
        return payload.get("state")
    if name == "synthesis:updated":
        return (payload.get("state") or {}).get("state")
    return None


def raise_open_files(wanted: int = 20000) -> int:
    """Raise this process's open-file limit (inherited by the servers and clients it starts)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def base_env(database_url: str, url: str, **extra) -> dict:
    """Environment of an app process (or a Flask command) of the benchmark."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "PUBLIC_URL": url,
           "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **extra}
    env.pop("SOCKETIO_ASYNC_MODE", None)
    return env


def run_flask(env: dict, *args: str) -> str:
    """Run a Flask CLI command (or a script when args[0] ends in .py) and return its output."""
    command = [sys.executable, *args] if args[0].endswith(".py") else [sys.executable, "-m", "flask",
                                                                        "--app", "cafe", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr[-3000:]}")
    return result.stdout


def prepare_cafes(env: dict, events: int, tables: int) -> dict:
    """Migrate the database and seed the benchmark cafés; returns their tokens."""
    run_flask(env, "db", "upgrade")
    return json.loads(run_flask(env, str(ROOT / "bench" / "seed.py"), str(events), str(tables)))


class Server:
    """One server process (the app as `flask serve` runs it, or the bare relay)."""

    def __init__(self, command: list[str], env: dict, port: int, log_name: str):
        self.command, self.env, self.port = command, env, port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(tempfile.gettempdir()) / f"dialogcafe-bench-{log_name}-{port}.log"
        self.process: subprocess.Popen | None = None

    @classmethod
    def app(cls, env: dict, port: int | None = None) -> "Server":
        """The app as `flask --app cafe serve` runs it (gevent, one process)."""
        port = port or free_port()
        return cls([sys.executable, "-c", BOOT, "--port", str(port)], env, port, "app")

    @classmethod
    def relay(cls, port: int | None = None, redis_url: str | None = None) -> "Server":
        """The bare Flask-SocketIO relay (one of several sharing broadcasts through Redis, given its URL)."""
        port = port or free_port()
        command = [sys.executable, str(ROOT / "bench" / "relay.py"), "--port", str(port)]
        return cls(command + (["--redis-url", redis_url] if redis_url else []), dict(os.environ), port, "relay")

    def start(self) -> "Server":
        """Start and wait until /healthz answers."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_healthy(self.url, process=self.process)
        return self

    def pids(self) -> list[int]:
        """The server's process id."""
        return [self.process.pid] if self.process and self.process.poll() is None else []

    def stop(self) -> None:
        """Stop the server."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def client_confs(cafes: dict, url, hosts_per_table: int = 1, projectors: int = 0, facilitators: int = 0,
                 rate: float = 1.0, sources: int = 1, hosts: int | None = None) -> dict:
    """Hosts, projectors and consoles for every café; `url` is one URL or a function of the client number.

    `hosts`, when given, is the number of hosts per café, spread over its tables in turn.
    """
    url_of = url if callable(url) else (lambda _n: url)
    per_cafe = hosts
    hosts, watchers = [], []
    for event in cafes["events"]:
        tables = event["tables"]
        for number in range(per_cafe if per_cafe is not None else hosts_per_table * len(tables)):
            table = tables[number % len(tables)] if per_cafe is not None else tables[number // hosts_per_table]
            hosts.append({"auth": {"token": table["token"], "table_id": table["id"], "event_id": event["id"]},
                          "rate": rate, "name": f"{event['id']}.{table['id']}.{len(hosts)}"})
        for kind, count, auth in (("projector", projectors, {"token": event["projector_token"]}),
                                  ("facilitator", facilitators, {"token": cafes["organizer_token"]})):
            for number in range(count):
                watchers.append({"kind": kind, "auth": {**auth, "event_id": event["id"]},
                                 "name": f"{event['id']}.{number}"})
    for number, conf in enumerate(hosts + watchers):
        conf["url"] = url_of(number)
        conf["source"] = f"127.0.{1 + number % sources // 250}.{2 + number % sources % 250}" if sources > 1 \
            else "127.0.0.1"
    return {"hosts": hosts, "watchers": watchers}


def run_clients(confs: dict, processes: int, generator: str = "loadgen", **spec) -> dict:
    """Run the clients in `processes` load generator processes and merge their results.

    `generator` is `loadgen` (asyncio clients) or `threadgen` (threaded clients).
    """
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-"))
    running = []
    for index in range(processes):
        part = {key: value[index::processes] for key, value in confs.items()}
        spec_path, out_path = folder / f"spec-{index}.json", folder / f"out-{index}.json"
        spec_path.write_text(json.dumps({**spec, **part}))
        running.append((subprocess.Popen([sys.executable, str(ROOT / "bench" / f"{generator}.py"), str(spec_path),
                                          str(out_path)], cwd=ROOT), out_path))
    try:
        return _merge(running)
    finally:  # never leave load generators behind, even when the caller is interrupted
        for process, _out in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _merge(running: list) -> dict:
    """Wait for every load generator and merge their results."""
    merged = {"held": 0, "refused": 0, "connections": [], "hosts": {}, "watchers": {}, "start": time.time()}
    for process, out_path in running:
        if process.wait() != 0:
            raise RuntimeError("a load generator failed")
        part = json.loads(out_path.read_text())
        for key in ("held", "refused"):
            merged[key] += part[key]
        merged["connections"] += part["connections"]
        merged["hosts"].update(part["hosts"])
        merged["watchers"].update(part["watchers"])
        merged["start"] = min(merged["start"], part["start"])
    return merged


def stored_notes(conn) -> tuple[int, int]:
    """Benchmark notes stored, and notes (by their unique text) stored more than once, read over any
    DB-API connection with ``execute`` (sqlite3 or psycopg)."""
    total = conn.execute("SELECT count(*) FROM notes WHERE text LIKE 'Mätanteckning %'").fetchone()[0]
    twice = conn.execute("SELECT count(*) FROM (SELECT text FROM notes WHERE text LIKE 'Mätanteckning %' "
                         "GROUP BY text HAVING count(*) > 1) AS twice").fetchone()[0]
    return total, twice


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def _event_of(name: str) -> str:
    """The café id in a client's name (`kind-event.number`)."""
    return name.split("-", 1)[1].split(".", 1)[0]


def _by_client_id(result: dict) -> None:
    """Key every watcher's arrivals by client_id: a projector knows a note by its text (its live note
    has no client_id), and the load generators give every note a text of its own."""
    cids = {f"text:{note['text']}": cid for host in result["hosts"].values()
            for cid, note in host["notes"].items() if "text" in note}
    for watcher in result["watchers"].values():
        for arrivals in ("received", "synced"):
            watcher[arrivals] = {cids.get(key, key): t for key, t in watcher[arrivals].items()}


def analyse(result: dict, duration: float) -> dict:
    """Latency from a host writing a note to a projector receiving it, throughput, lost, duplicated,
    and the bytes every client received (broadcasts and acks) per note acknowledged."""
    _by_client_id(result)
    notes = {cid: (_event_of(name), note) for name, host in result["hosts"].items()
             for cid, note in host["notes"].items()}
    acked = {cid: event for cid, (event, note) in notes.items() if note["acked"]}
    latencies, lost, duplicated = [], 0, 0
    for name, watcher in result["watchers"].items():
        event = _event_of(name)
        arrived = watcher["received"].keys() | watcher["synced"].keys()
        duplicated += watcher["duplicates"]
        lost += sum(1 for cid, e in acked.items() if e == event and cid not in arrived)
        if name.startswith("projector"):
            latencies += [t - notes[cid][1]["created"] for cid, t in watcher["received"].items() if cid in notes]
    received = sum(c.get("bytes", 0) for c in (*result["hosts"].values(), *result["watchers"].values()))
    return {"notes": len(notes), "acked": len(acked), "unacked": len(notes) - len(acked),
            "notes_per_s": len(acked) / duration, "duration": duration, **latency_figures(latencies),
            "lost": lost, "duplicated": duplicated, "held": result["held"], "refused": result["refused"],
            "errors": sum(h["errors"] for h in result["hosts"].values()), "bytes": received}


def latency_figures(latencies: list[float]) -> dict:
    """Deliveries, percentiles and maximum of note-to-watcher latencies (kept, so runs can be pooled)."""
    return {"latencies": latencies, "deliveries": len(latencies), "p50": percentile(latencies, .50),
            "p95": percentile(latencies, .95), "p99": percentile(latencies, .99),
            "max": max(latencies) if latencies else float("nan")}


def pool(runs: list[dict]) -> dict:
    """The figures of several runs of the same setup taken together: counts add, latencies pool."""
    counted = ("notes", "acked", "unacked", "lost", "duplicated", "held", "refused", "errors", "duration", "bytes")
    pooled = {key: sum(run.get(key, 0) for run in runs) for key in counted}
    pooled["notes_per_s"] = pooled["acked"] / pooled["duration"]
    return {**pooled, **latency_figures([t for run in runs for t in run["latencies"]])}


def analyse_window(result: dict, start: float, end: float) -> dict:
    """Like `analyse`, for the notes written from `start` to `end` (wall clock): latency and lost.

    Duplicates are counted per watcher, not per note, so they stay with `analyse`.
    """
    _by_client_id(result)
    notes = {cid: (_event_of(name), note) for name, host in result["hosts"].items()
             for cid, note in host["notes"].items() if start <= note["created"] < end}
    latencies, lost = [], 0
    for name, watcher in result["watchers"].items():
        event = _event_of(name)
        arrived = watcher["received"].keys() | watcher["synced"].keys()
        lost += sum(1 for cid, (e, note) in notes.items() if e == event and note["acked"] and cid not in arrived)
        if name.startswith("projector"):
            latencies += [t - notes[cid][1]["created"] for cid, t in watcher["received"].items() if cid in notes]
    return {"seconds": end - start, "notes": len(notes), "acked": sum(1 for _e, n in notes.values() if n["acked"]),
            "lost": lost, **latency_figures(latencies)}


class Sampler:
    """CPU and memory of some processes (and their children), sampled in a thread during a run."""

    def __init__(self, pids: list[int], interval: float = 1.0):
        import psutil
        self.processes = {pid: psutil.Process(pid) for pid in pids}
        for process in list(self.processes.values()):
            for child in process.children(recursive=True):
                self.processes[child.pid] = child
        self.interval = interval
        self.cpu: dict[int, list[float]] = {pid: [] for pid in self.processes}
        self.rss: dict[int, float] = {pid: 0.0 for pid in self.processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self.cpu_start = {pid: self._cpu_seconds(p) for pid, p in self.processes.items()}
        self.rss_start = {pid: self._rss(p) for pid, p in self.processes.items()}
        for process in self.processes.values():
            process.cpu_percent(None)
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()
        self.cpu_used = {pid: self._cpu_seconds(p) - self.cpu_start[pid] for pid, p in self.processes.items()}

    @staticmethod
    def _cpu_seconds(process) -> float:
        """User and system CPU time of a process so far (0 once it is gone)."""
        try:
            times = process.cpu_times()
            return times.user + times.system
        except Exception:  # gone
            return 0.0

    @staticmethod
    def _rss(process) -> float:
        """Resident memory of a process in MiB (0 once it is gone)."""
        try:
            return process.memory_info().rss / 2**20
        except Exception:  # gone
            return 0.0

    def cpu_seconds(self) -> float:
        """CPU seconds all the sampled processes used between entering and leaving."""
        return sum(self.cpu_used.values())

    def rss_now(self) -> float:
        """Resident memory of all the sampled processes now, in MiB."""
        return sum(self._rss(p) for p in self.processes.values())

    def _loop(self) -> None:
        """Sample until stopped."""
        while not self._stop.wait(self.interval):
            for pid, process in self.processes.items():
                try:
                    self.cpu[pid].append(process.cpu_percent(None))
                    self.rss[pid] = max(self.rss[pid], process.memory_info().rss / 2**20)
                except Exception:  # the process went away (killed on purpose in the fault benchmark)
                    pass

    def summary(self) -> list[dict]:
        """Mean CPU percent and peak resident memory (MiB) per process that did any work."""
        rows = []
        for pid, samples in self.cpu.items():
            if samples and max(samples) > 1:
                rows.append({"pid": pid, "cpu": sum(samples) / len(samples), "rss": self.rss[pid]})
        return rows


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds for a table."""
    return f"{seconds * 1000:8.1f}"

"""Several gunicorn+gevent app processes behind nginx on this machine: `python -m cafe.runtime.cluster`.

`make run-cluster` uses it against the local Redis and PostgreSQL; the benchmarks and the ops tests
use the same classes to kill, restart and measure processes.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]

NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 10000; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream dialogcafe {{
        # Sticky: the same client address always reaches the same process (Socket.IO's
        # long-polling needs it). Not ip_hash, which hashes only the first three octets.
        hash $remote_addr consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        client_max_body_size 8m;
        location = /metrics {{ return 403; }}
        location / {{
            proxy_pass http://dialogcafe;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }}
    }}
}}
"""


def nginx_config(tmp: Path, host: str, port: int, app_ports: list[int]) -> str:
    """The proxy's configuration: sticky upstream of the app ports, websocket upgrades."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in app_ports)
    return NGINX_CONF.format(tmp=tmp, host=host, port=port, servers=servers)


def wait_healthy(url: str, timeout: float = 30, process: subprocess.Popen | None = None) -> None:
    """Wait until `url`/healthz answers 200, or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f} s")


def stop_process(process: subprocess.Popen | None, kill) -> None:
    """Ask a process to end, and `kill()` it when it has not after ten seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill()


class AppProcess:
    """One gunicorn process with one gevent worker on a port of its own."""

    def __init__(self, port: int, env: dict, log_dir: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**env, "PORT": str(port)}
        self.log_path = log_dir / f"app-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> None:
        """Start gunicorn and wait for /healthz."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "cafe.wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            wait_healthy(self.url, process=self.process)

    def pids(self) -> list[int]:
        """The gunicorn master's pid and its worker's."""
        import psutil
        if self.process is None or self.process.poll() is not None:
            return []
        master = psutil.Process(self.process.pid)
        return [master.pid] + [child.pid for child in master.children(recursive=True)]

    def kill(self) -> None:
        """kill -9 the master and its worker, as a crash would."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gunicorn gracefully, or kill it after ten seconds."""
        stop_process(self.process, self.kill)


class SynthesisProcess:
    """The one synthesis service of the cluster; it broadcasts through Redis."""

    def __init__(self, env: dict, log_dir: Path):
        self.env = env
        self.log_path = log_dir / "synthesis.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start `python -m cafe.runtime synthesis`."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "cafe.runtime", "synthesis"], cwd=ROOT,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def stop(self) -> None:
        """Stop the service (it keeps nothing that a restart would not rebuild)."""
        stop_process(self.process, lambda: (self.process.kill(), self.process.wait()))


class Nginx:
    """nginx in the foreground with its configuration, pid and logs in a temporary folder."""

    def __init__(self, tmp: Path, host: str, port: int, app_ports: list[int]):
        self.tmp = tmp
        self.url = f"http://{host}:{port}"
        self.conf = tmp / "nginx.conf"
        self.conf.write_text(nginx_config(tmp, host, port, app_ports))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start nginx (from Debian's package) and wait until it answers."""
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        log = open(self.tmp / "nginx-stdout.log", "ab")
        self.process = subprocess.Popen([binary, "-p", str(self.tmp), "-e", str(self.tmp / "nginx-error.log"),
                                         "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        wait_healthy(self.url, process=self.process)

    def stop(self) -> None:
        """Ask nginx to quit, then make sure it did."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Cluster:
    """N app processes on consecutive ports and nginx in front of them."""

    def __init__(self, n: int, database_url: str, redis_url: str, app_port: int = 5001,
                 proxy_port: int = 8080, host: str = "127.0.0.1", env: dict | None = None):
        self.tmp = Path(tempfile.mkdtemp(prefix="dialogcafe-cluster-"))
        self.url = f"http://{host}:{proxy_port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                    "PUBLIC_URL": self.url, "PYTHONUNBUFFERED": "1", "SYNTHESIS_WORKER": "external",
                    **(env or {})}
        self.env.pop("SOCKETIO_ASYNC_MODE", None)
        self.apps = [AppProcess(app_port + i, self.env, self.tmp) for i in range(n)]
        self.synthesis = SynthesisProcess(self.env, self.tmp)
        self.nginx = Nginx(self.tmp, host, proxy_port, [a.port for a in self.apps])

    def flask(self, *args: str) -> str:
        """Run a Flask CLI command with the cluster's settings and return its output."""
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "cafe", *args], cwd=ROOT,
                                env=self.env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {result.stderr[-2000:]}")
        return result.stdout

    def start(self) -> None:
        """Start every app process and the synthesis service, then the proxy."""
        if self.env["SYNTHESIS_WORKER"] == "external":
            self.synthesis.start()
        for app in self.apps:
            app.start(wait=False)
        for app in self.apps:
            wait_healthy(app.url, process=app.process)
        self.nginx.start()

    def stop(self) -> None:
        """Stop the proxy and the app processes, and remove the temporary folder."""
        self.nginx.stop()
        for app in self.apps:
            app.stop()
        self.synthesis.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg
    from sqlalchemy.engine import make_url
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _parse() -> argparse.Namespace:
    """Command-line options, defaulting to the machine's Redis and PostgreSQL."""
    parser = argparse.ArgumentParser(description="Run Dialogcafé as several processes behind nginx")
    parser.add_argument("-n", "--processes", type=int, default=int(os.environ.get("N", 2)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8080)), help="nginx port")
    parser.add_argument("--app-port", type=int, default=int(os.environ.get("APP_PORT", 5001)))
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/dialogcafe"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    return parser.parse_args()


def main() -> None:
    """Prepare the database, start the cluster, print the URL and wait for Ctrl-C."""
    args = _parse()
    if args.database_url.startswith("postgres"):
        ensure_pg_database(args.database_url)
    cluster = Cluster(args.processes, args.database_url, args.redis_url, args.app_port, args.port)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        cluster.flask("db", "upgrade")
        print(cluster.flask("demo"))
        cluster.start()
        ports = ", ".join(str(a.port) for a in cluster.apps)
        print(f"Dialogcafé körs på {cluster.url} ({len(cluster.apps)} processer på portarna {ports}, "
              f"en syntestjänst, nginx, Redis och PostgreSQL). Avsluta med Ctrl-C.", flush=True)
        while not stop and all(a.process.poll() is None for a in cluster.apps):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("Stoppar ...", flush=True)
        cluster.stop()


if __name__ == "__main__":
    main()

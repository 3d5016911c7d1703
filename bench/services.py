"""Throwaway Redis and PostgreSQL servers on free loopback ports, so a benchmark or test can
restart them without touching the machine's own."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support import free_port


def _wait_port(port: int, timeout: float = 30) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


class RedisServer:
    """A redis-server of our own that keeps nothing on disk."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = Path(tempfile.mkdtemp(prefix="dialogcafe-redis-"))
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        """True when redis-server is installed."""
        return shutil.which("redis-server") is not None

    def start(self) -> "RedisServer":
        """Start it and wait until it accepts connections."""
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port)
        return self

    def stop(self) -> None:
        """Shut it down as `redis-cli shutdown nosave` would."""
        if self.process and self.process.poll() is None:
            subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True,
                           timeout=10)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def restart(self, pause: float = 1.0) -> None:
        """Stop, wait a moment, start again on the same port."""
        self.stop()
        time.sleep(pause)
        self.start()

    def close(self) -> None:
        """Stop and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), newest version first."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PostgresServer:
    """A PostgreSQL cluster of our own (initdb in a temporary folder, trust auth, a free port)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/dialogcafe"
        self.folder = Path(tempfile.mkdtemp(prefix="dialogcafe-pg-"))
        self.data = self.folder / "data"
        self.bin = _pg_bin()

    def available(self) -> bool:
        """True when PostgreSQL's server programs are installed."""
        return self.bin is not None

    def _run(self, *args: str) -> None:
        """Run a server program, as the postgres user when we are root (initdb refuses root)."""
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> "PostgresServer":
        """initdb on first use, start, and create the database `dialogcafe`."""
        if not self.data.exists():
            if os.geteuid() == 0:
                os.chown(self.folder, pwd.getpwnam("postgres").pw_uid, -1)
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
            self._ctl("start")
            subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c",
                            "CREATE DATABASE dialogcafe"], check=True, capture_output=True)
            return self
        self._ctl("start")
        return self

    def _ctl(self, action: str) -> None:
        """pg_ctl start/stop/restart with our port, socket folder and log."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"), "-w",
                  "-m", "fast", action)
        if action != "stop":
            _wait_port(self.port)

    def restart(self) -> None:
        """Restart, dropping every connection."""
        self._ctl("restart")

    def close(self) -> None:
        """Stop and remove the cluster."""
        try:
            self._ctl("stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

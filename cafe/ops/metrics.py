"""Prometheus metrics of one app process, and who may read them at /metrics.

Each process keeps its own figures and is scraped on its own port (nginx refuses /metrics), so
Prometheus's `instance` label tells the processes apart; every series also carries `process`
(host:pid) for dashboards that merge the scrapes.
"""
import hmac
import os
import socket

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

PROCESS = f"{socket.gethostname()}:{os.getpid()}"
REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY_BUCKETS = (.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)

NOTES = Counter("dialogcafe_notes", "Notes added (rate() gives notes per second).", ["process"],
                registry=REGISTRY)
ACK_SECONDS = Histogram("dialogcafe_ack_seconds", "Time from a socket event's arrival to its ack.",
                        ["process", "event"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
SYNTHESIS_SECONDS = Histogram("dialogcafe_synthesis_seconds", "Duration of one synthesis run.", ["process"],
                              buckets=(.1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300), registry=REGISTRY)
JOB_QUEUE_DEPTH = Gauge("dialogcafe_job_queue_depth", "Background jobs waiting or running.", ["process"],
                        registry=REGISTRY)
JOBS = Counter("dialogcafe_jobs", "Background jobs finished, by outcome.", ["process", "outcome"],
               registry=REGISTRY)

NOTES_HERE = NOTES.labels(PROCESS)
JOB_QUEUE_DEPTH.labels(PROCESS).set(0)
SYNTHESIS_SECONDS.labels(PROCESS)
ACKS_HERE: dict[str, Histogram] = {}  # per event: labels() takes a lock and builds a key every call

bp = Blueprint("metrics", __name__)


def note_added() -> None:
    """Count one new note."""
    NOTES_HERE.inc()


def observe_ack(event: str, seconds: float) -> None:
    """Record how long a socket handler took to answer."""
    histogram = ACKS_HERE.get(event)
    if histogram is None:
        histogram = ACKS_HERE.setdefault(event, ACK_SECONDS.labels(PROCESS, event))
    histogram.observe(seconds)


def synthesis_timer():
    """A context manager timing one synthesis run: `with metrics.synthesis_timer(): ...`."""
    return SYNTHESIS_SECONDS.labels(PROCESS).time()


class ConnectedClients:
    """Reads the sockets connected to this process, per namespace, at scrape time."""

    def __init__(self):
        self.namespaces: tuple[str, ...] = ()

    def collect(self):
        """Yield one gauge with a sample per namespace."""
        from ..extensions import socketio
        family = GaugeMetricFamily("dialogcafe_connected_clients", "Sockets connected to this process.",
                                   labels=["process", "namespace"])
        rooms = getattr(getattr(socketio.server, "manager", None), "rooms", {}) or {}
        for namespace in self.namespaces:
            family.add_metric([PROCESS, namespace], len(rooms.get(namespace, {}).get(None, {})))
        yield family

    def describe(self):
        """Nothing to describe ahead of a scrape."""
        return []


CLIENTS = ConnectedClients()
REGISTRY.register(CLIENTS)


def count_clients_in(namespaces) -> None:
    """Report the sockets connected in these namespaces (the app's, given by the factory)."""
    CLIENTS.namespaces = tuple(namespaces)


def allowed() -> bool:
    """Loopback callers not coming through the proxy, or anyone with the METRICS_TOKEN bearer."""
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    proxied = "X-Forwarded-For" in request.headers or "X-Real-IP" in request.headers
    return not proxied and request.remote_addr in ("127.0.0.1", "::1")


@bp.route("/metrics")
def metrics():
    """Prometheus text format of this process's figures."""
    if not allowed():
        abort(403)
    return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)

"""Reachability of the database and the Redis message queue, for /healthz."""
from flask import current_app
from sqlalchemy import text

from ..extensions import db


def database_ok() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means unreachable; the caller reports it
        db.session.rollback()
        return False


def redis_ok(url: str) -> bool:
    """True when Redis at `url` answers PING within a second."""
    import redis
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure means unreachable
        return False


def report() -> tuple[dict, int]:
    """The health report and its HTTP status: 503 when a dependency is down."""
    checks = {"database": "ok" if database_ok() else "unreachable"}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = "ok" if redis_ok(current_app.config["REDIS_URL"]) else "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return {"status": "ok" if healthy else "error", **checks}, 200 if healthy else 503

"""Database setup: SQLite pragmas, the login loader, and first-run seeding."""
import json
from pathlib import Path

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from .extensions import db, login_manager
from .models import Framework, FrameworkPoint, User

FRAMEWORK_FILE = Path(__file__).resolve().parent.parent / "nlp" / "frameworks" / "handlingsplan.json"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL, a busy timeout and foreign keys for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@login_manager.user_loader
def _load_user(user_id: str):
    """Load the logged-in user for Flask-Login."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def framework_points(path: Path = FRAMEWORK_FILE) -> tuple[dict, list[dict]]:
    """Read a framework file: its header and its points with number, label, title, description."""
    data = json.loads(path.read_text(encoding="utf-8"))
    points = [{"number": int(p.get("id", p.get("number"))), "label": p.get("label") or p.get("short_label"),
               "title": p["title"], "description": p.get("description", ""),
               "vocabulary": p.get("vocabulary", [])} for p in data["points"]]
    return data, points


def ensure_framework(path: Path = FRAMEWORK_FILE) -> Framework:
    """Load the default framework into the database once and return it."""
    data, points = framework_points(path)
    key = data.get("key") or data.get("id") or path.stem
    framework = db.session.scalar(select(Framework).where(Framework.key == key))
    if framework is not None:
        return framework
    framework = Framework(key=key, name=data.get("title") or data.get("name") or key)
    for p in points:
        vocab = p["vocabulary"]
        framework.points.append(FrameworkPoint(
            number=p["number"], label=p["label"] or p["title"][:60], title=p["title"],
            description=p["description"], vocabulary=", ".join(vocab) if isinstance(vocab, list) else str(vocab)))
    db.session.add(framework)
    db.session.flush()
    return framework


def init_app(app: Flask) -> None:
    """Nothing touches the database at import; this only wires teardown."""
    @app.teardown_appcontext
    def _remove_session(_exc):
        db.session.remove()

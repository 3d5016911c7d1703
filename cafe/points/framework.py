"""The framework a café maps notes onto (by default the 13 points of the action plan), loaded from nlp's file."""
import json
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Framework, FrameworkPoint

FRAMEWORK_FILE = Path(__file__).resolve().parents[2] / "nlp" / "frameworks" / "handlingsplan.json"


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

"""Which framework point a note most likely belongs to, from `nlp.PointMapper`.

One mapper per framework and process, made lazily: loaded from a file in the instance folder when one
was saved for the same framework and nlp code, otherwise fitted zero-shot and saved for the next start.
"""
import functools
import hashlib
import json
import logging
import threading
from pathlib import Path

from flask import current_app

from .. import validation
from ..errors import ServiceError
from ..models import Framework

log = logging.getLogger(__name__)
NLP_DIR = Path(__file__).resolve().parents[2] / "nlp"
TOP = 3
OTHER = 0  # "annat": the note fits none of the points

_mappers: dict[str, object] = {}
_lock = threading.Lock()
_loading: set[str] = set()


def framework_spec(framework: Framework) -> dict:
    """The framework in the nlp file format, from the points stored in the database."""
    return {"name": framework.key, "title": framework.name, "points": [
        {"id": p.number, "label": p.label, "title": p.title, "description": p.description,
         "vocabulary": [v.strip() for v in (p.vocabulary or "").split(",") if v.strip()]}
        for p in framework.points]}


@functools.cache
def _nlp_digest() -> str:
    """A digest of the nlp code and data, once per process: a saved mapper is refitted when they change."""
    digest = hashlib.sha256()
    for path in sorted(NLP_DIR.rglob("*")):
        if path.suffix in (".py", ".json", ".jsonl", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _key(spec: dict) -> str:
    """The cache key of a framework's mapper."""
    body = json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(body).hexdigest()[:16] + "-" + _nlp_digest()


def _cache_path(key: str) -> Path:
    """Where the fitted mapper for `key` is kept between starts."""
    folder = Path(current_app.config.get("POINT_MAPPER_DIR") or Path(current_app.instance_path) / "mappers")
    return folder / f"point-mapper-{key}.joblib"


def _build(spec: dict, path: Path):
    """Load the mapper saved at `path`, or fit one zero-shot and save it there."""
    from nlp import PointMapper
    if path.exists():
        try:
            return PointMapper.load(path)
        except Exception:  # a broken or outdated file is refitted below
            log.warning("could not load %s; fitting the point mapper again", path)
    mapper = PointMapper(framework=spec, random_state=0).fit()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mapper.save(path)
    except OSError:
        log.warning("could not save the point mapper to %s", path)
    return mapper


def mapper_for(framework: Framework, wait: bool = True):
    """The framework's mapper; with wait=False, None while it is still being made (in the background)."""
    spec = framework_spec(framework)
    key = _key(spec)
    if key in _mappers:
        return _mappers[key]
    path = _cache_path(key)
    if not wait:
        _load_in_background(key, spec, path)
        return None
    with _lock:
        if key not in _mappers:
            _mappers[key] = _build(spec, path)
    return _mappers[key]


def _load_in_background(key: str, spec: dict, path: Path) -> None:
    """Start making a mapper without making the caller wait."""
    with _lock:
        if key in _loading or key in _mappers:
            return
        _loading.add(key)

    def work():
        try:
            mapper = _build(spec, path)
            with _lock:
                _mappers[key] = mapper
        finally:
            _loading.discard(key)
    from .. import jobs  # a real OS thread: under gevent a Thread is a greenlet and fitting would freeze sockets
    jobs.submit(work)


def suggest(framework: Framework, text) -> dict:
    """The best points for a text being typed: `{"points": [{point, label, score}], "novel", "ready"}`."""
    text = validation.note_text(text, current_app.config["NOTE_MAX_CHARS"])
    mapper = mapper_for(framework, wait=False) if framework is not None and framework.points else None
    if mapper is None:  # no framework, or the mapper is still being made: no suggestion yet
        return {"points": [], "novel": False, "ready": framework is None or not framework.points}
    ranked = mapper.map_note(text)
    labels = {p.number: p.label for p in framework.points}
    points = [{"point": p["point"], "label": labels.get(p["point"], str(p["point"])), "score": p["score"]}
              for p in ranked["points"][:TOP]]
    return {"points": points, "novel": bool(ranked["novel"]), "ready": True}


def for_note(framework: Framework | None, text: str) -> tuple[int | None, float | None]:
    """The suggested point and its score for a stored note (0 when novel), or None when not ready."""
    if framework is None or not framework.points:
        return None, None
    mapper = mapper_for(framework, wait=False)
    if mapper is None:
        return None, None
    ranked = mapper.map_note(text)
    best = ranked["points"][0]
    return (OTHER if ranked["novel"] else best["point"]), best["score"]


def point(framework: Framework | None, value) -> int | None:
    """A point the host chose: a point of the framework, 0 for "annat", or None for no choice."""
    if value is None or value == "":
        return None
    numbers = {p.number for p in framework.points} if framework else set()
    if isinstance(value, bool) or not isinstance(value, int) or (value != OTHER and value not in numbers):
        raise ServiceError("invalid_point", field="point")
    return value

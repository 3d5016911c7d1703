"""Corrections teach the point mapper: confirmed points of this installation's notes refit it.

The confirmed labels live in the notes themselves (`Note.confirmed_point`, 0 = "annat"). A mapper fitted
on the framework plus those labels is saved under instance/mappers/, named by a digest of the framework
and the labels, so a restart (or another process) loads it instead of fitting again.
"""
import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Framework, Note
from . import suggestions

log = logging.getLogger(__name__)
_mappers: dict[str, object] = {}
_lock = threading.Lock()


def confirmed_labels(framework: Framework) -> tuple[list[str], list[int]]:
    """Texts and confirmed points of every live note of every event using this framework."""
    known = {p.number for p in framework.points} | {suggestions.OTHER}
    rows = db.session.execute(
        select(Note.text, Note.confirmed_point).join(Event, Event.id == Note.event_id)
        .where(Event.framework_id == framework.id, Note.confirmed_point.is_not(None),
               Note.deleted_at.is_(None)).order_by(Note.id))
    pairs = [(text, point) for text, point in rows if point in known]
    return [t for t, _ in pairs], [p for _, p in pairs]


def mapper_key(spec: dict, texts: list[str], labels: list[int]) -> str:
    """The cache key of the mapper for a framework and its confirmed labels."""
    base = suggestions._key(spec)
    if not texts:
        return base
    body = json.dumps([texts, labels], ensure_ascii=False).encode()
    return f"{base}-labels-{hashlib.sha256(body).hexdigest()[:16]}"


def mapper_path(key: str) -> Path:
    """Where the mapper with this key is kept (the zero-shot one is shared with the suggestions)."""
    return suggestions._cache_path(key)


def cached(key: str, path: Path):
    """The mapper with this key from memory or disk, or None."""
    if key in _mappers:
        return _mappers[key]
    if not path.exists():
        return None
    from nlp import PointMapper
    try:
        mapper = PointMapper.load(path)
    except Exception:  # a broken or outdated file is fitted again
        log.warning("could not load %s", path)
        return None
    with _lock:
        _mappers[key] = mapper
    return mapper


def fit(key: str, spec: dict, texts: list[str], labels: list[int], path: Path):
    """Fit the mapper on the framework and the labels, save it atomically and keep it (CPU only)."""
    from nlp import PointMapper
    mapper = PointMapper(framework=spec, random_state=0).fit(texts or None, labels or None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
        mapper.save(tmp)
        os.replace(tmp, path)
    except OSError:
        log.warning("could not save the point mapper to %s", path)
    with _lock:
        _mappers[key] = mapper
    return mapper

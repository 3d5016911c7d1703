"""The framework as data: points with id, label, official title, description and vocabulary."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = ["FrameworkPoint", "Framework", "load_framework", "DEFAULT_FRAMEWORK"]

DEFAULT_FRAMEWORK = "handlingsplan"


@dataclass(frozen=True)
class FrameworkPoint:
    """One point of a framework.

    Attributes
    ----------
    id : int
        Point number; 0 is reserved for "none of the points".
    label : str
        Short label for screens.
    title : str
        Official title.
    description : str
        A few sentences on what the point covers in practice.
    vocabulary : list of str
        Words and phrases people use about the point.
    examples : list of str
        Optional example notes.
    """

    id: int
    label: str
    title: str
    description: str = ""
    vocabulary: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def documents(self) -> list[str]:
        """Return the texts that describe this point: title, label, sentences, terms, examples."""
        sentences = [s.strip() for s in self.description.split(".") if s.strip()]
        return [self.title, self.label, *sentences, *self.vocabulary, *self.examples]


@dataclass(frozen=True)
class Framework:
    """An ordered set of points, e.g. the 13 points of the action plan.

    Attributes
    ----------
    name : str
    title : str
    points : list of FrameworkPoint
    """

    name: str
    title: str
    points: list[FrameworkPoint]

    @property
    def ids(self) -> list[int]:
        """Point ids in file order."""
        return [p.id for p in self.points]

    def point(self, point_id: int) -> FrameworkPoint:
        """Return the point with ``point_id``; raise KeyError if there is none."""
        for p in self.points:
            if p.id == point_id:
                return p
        raise KeyError(point_id)

    def to_dict(self) -> dict:
        """Return the framework as a JSON-ready dict in the file format."""
        return {"name": self.name, "title": self.title,
                "points": [p.__dict__.copy() for p in self.points]}


def _parse_point(raw: dict) -> FrameworkPoint:
    """Validate and build one point from its JSON object."""
    try:
        pid = int(raw["id"])
        label, title = str(raw["label"]), str(raw.get("title") or raw["label"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"framework point needs an integer 'id' and a 'label': {raw!r:.80}") from exc
    if pid <= 0:
        raise ValueError(f"framework point id must be positive (0 means 'none'), got {pid}")
    return FrameworkPoint(pid, label, title, str(raw.get("description", "")),
                          [str(v) for v in raw.get("vocabulary", [])],
                          [str(v) for v in raw.get("examples", [])])


def _parse(data: dict) -> Framework:
    """Build a framework from its parsed JSON document."""
    if not isinstance(data, dict) or not isinstance(data.get("points"), list) or not data["points"]:
        raise ValueError("framework file must be a JSON object with a non-empty 'points' list")
    points = [_parse_point(p) for p in data["points"]]
    ids = [p.id for p in points]
    if len(set(ids)) != len(ids):
        raise ValueError(f"framework point ids must be unique, got {ids}")
    return Framework(str(data.get("name", "framework")), str(data.get("title", "")), points)


def load_framework(source: str | Path | dict | Framework | None = None) -> Framework:
    """Load a framework from a shipped name, a JSON file, a dict, or pass one through.

    Parameters
    ----------
    source : str, Path, dict, Framework or None
        None or a shipped name (``"handlingsplan"``) loads from ``nlp/frameworks``; any other
        string or path is read as a JSON file in the framework format.

    Returns
    -------
    Framework

    Raises
    ------
    ValueError
        If the file is not a valid framework.
    FileNotFoundError
        If the path does not exist.
    """
    if isinstance(source, Framework):
        return source
    if isinstance(source, dict):
        return _parse(source)
    name = DEFAULT_FRAMEWORK if source is None else str(source)
    shipped = resources.files("nlp.frameworks").joinpath(f"{name}.json")
    if "/" not in name and "\\" not in name and not name.endswith(".json") and shipped.is_file():
        return _parse(json.loads(shipped.read_text(encoding="utf-8")))
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"framework file {name} is not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    return _parse(data)

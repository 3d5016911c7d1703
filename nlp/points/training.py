"""Training documents for the point mapper: framework text, shipped seed notes, user labels."""
from __future__ import annotations

import json
from importlib import resources

from nlp.framework import Framework, load_framework
from nlp.language.text import analyze

__all__ = ["load_seed_examples", "training_documents"]

SEED_FILE = "seed_training.jsonl"


def load_seed_examples() -> list[tuple[str, int]]:
    """Read the shipped seed notes as ``(text, point)`` pairs; point 0 means none."""
    text = resources.files("nlp.data").joinpath(SEED_FILE).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(r["text"], int(r["point"])) for r in rows]


def _seeded_points(framework: Framework) -> set[int]:
    """Points whose meaning matches the framework the seed notes were written for."""
    default = {p.id: p.title for p in load_framework().points}
    return {p.id for p in framework.points if default.get(p.id) == p.title}


def _claimant(text: str, terms: dict[int, list[set[str]]]) -> int | None:
    """The added point whose vocabulary matches ``text`` most often, if any does."""
    stems = set(analyze(text))
    hits = {pid: sum(1 for t in ts if t and t <= stems) for pid, ts in terms.items()}
    best = max(hits, key=hits.get, default=None)
    return best if best is not None and hits[best] > 0 else None


def _unseeded_terms(framework: Framework, seeded: set[int]) -> dict[int, list[set[str]]]:
    """Stem sets of the label and vocabulary of each point the seed notes do not cover."""
    return {p.id: [set(analyze(t)) for t in [p.label, *p.vocabulary]]
            for p in framework.points if p.id not in seeded}


def training_documents(framework: Framework, use_seeds: bool = True) -> tuple[list[str], list[int]]:
    """Build the zero-shot training set from the framework file and the seed notes.

    Every title, description sentence, vocabulary term and example of a point is a document
    labelled with that point. Seed notes are used for the points they were written for. Seed
    notes labelled 0 ("none") that the vocabulary of a point added by the installation matches become
    examples of that point, so adding "Hot och våld" turns threat notes from novel into it.

    Parameters
    ----------
    framework : Framework
    use_seeds : bool, default=True

    Returns
    -------
    texts : list of str
    points : list of int
    """
    texts, points = [], []
    for point in framework.points:
        docs = point.documents()
        texts.extend(docs)
        points.extend([point.id] * len(docs))
    if not use_seeds:
        return texts, points
    seeded = _seeded_points(framework)
    unseeded = _unseeded_terms(framework, seeded)
    for text, point in load_seed_examples():
        if point == 0:
            point = _claimant(text, unseeded) or 0
        if point in seeded or point == 0 or point in unseeded:
            texts.append(text)
            points.append(point)
    return texts, points

"""Extractive "vad vi hörde" summaries per point and per theme for the plenary view."""
from __future__ import annotations

from collections import Counter

import numpy as np

from nlp.language.text import analyze

__all__ = ["summarize_points", "summarize_themes"]


def _note_fields(notes) -> tuple[list, list[str], list, list]:
    """Ids, texts, tables and levels from note dicts (or plain strings)."""
    ids, texts, tables, levels = [], [], [], []
    for i, note in enumerate(notes):
        note = {"text": note} if isinstance(note, str) else note
        ids.append(note.get("id", i))
        texts.append(str(note.get("text", "")))
        tables.append(note.get("table"))
        levels.append(note.get("level"))
    return ids, texts, tables, levels


def _distinct(texts: list[str], order, n: int) -> list[str]:
    """First ``n`` texts in ``order`` whose stems differ from those already chosen."""
    chosen, seen = [], set()
    for i in order:
        key = frozenset(analyze(texts[i]))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(texts[i])
        if len(chosen) == n:
            break
    return chosen


def _counts(values: list, members) -> dict:
    """Count members per table or level, ignoring missing values."""
    return dict(Counter(str(values[i]) for i in members if values[i] is not None))


def summarize_points(notes, mapper, n_representatives: int = 3) -> list[dict]:
    """Summarise notes per framework point: how many, where from, and what was said.

    Parameters
    ----------
    notes : list of dict or str
        Notes with ``text`` and optional ``id``, ``table`` and ``level`` (individ, enhet,
        förvaltning).
    mapper : PointMapper
        A fitted mapper.
    n_representatives : int, default=3
        Notes quoted per point; the most typical first, near-duplicates skipped.

    Returns
    -------
    list of dict
        One dict per point of the framework, in framework order, plus ``point: None`` for novel
        notes: ``{"point", "label", "count", "note_ids", "per_table", "per_level",
        "representative_notes"}``.
    """
    ids, texts, tables, levels = _note_fields(notes)
    if not texts:
        return []
    scores = mapper.score_points(texts)
    novel = mapper.novel_mask(mapper.predict_proba(texts))
    best = scores.argmax(axis=1)
    out = []
    for j, point in enumerate(mapper.points_):
        members = np.flatnonzero((best == j) & ~novel)
        order = members[np.argsort(-scores[members, j], kind="stable")]
        out.append(_summary(int(point), mapper.framework_.point(int(point)).label, order,
                            ids, texts, tables, levels, n_representatives))
    out.append(_summary(None, "Nytt område", np.flatnonzero(novel), ids, texts, tables, levels,
                        n_representatives))
    return out


def summarize_themes(themes, notes, n_representatives: int = 3) -> list[dict]:
    """Summarise each theme with its label, point, counts per table and level, and quotes.

    Parameters
    ----------
    themes : list of Theme
        From :attr:`ThemeClusterer.themes_`.
    notes : list of dict or str
        The clustered notes (ids must match the theme's ``note_ids``).
    n_representatives : int, default=3

    Returns
    -------
    list of dict
        ``{"theme", "label", "point", "confidence", "novel", "count", "per_table", "per_level",
        "representative_notes"}`` per theme.
    """
    ids, texts, tables, levels = _note_fields(notes)
    position = {note_id: i for i, note_id in enumerate(ids)}
    out = []
    for theme in themes:
        members = [position[n] for n in theme.note_ids if n in position]
        out.append({"theme": theme.id, "label": theme.label, "point": theme.point,
                    "confidence": theme.confidence, "novel": theme.novel, "count": len(members),
                    "per_table": _counts(tables, members), "per_level": _counts(levels, members),
                    "representative_notes": theme.representative_notes[:n_representatives]})
    return out


def _summary(point, label, members, ids, texts, tables, levels, n) -> dict:
    """One point's summary dict."""
    return {"point": point, "label": label, "count": int(len(members)),
            "note_ids": [ids[i] for i in members],
            "per_table": _counts(tables, members), "per_level": _counts(levels, members),
            "representative_notes": _distinct(texts, members, n)}

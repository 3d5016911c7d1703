"""Evaluation of a point mapper on labelled notes: accuracy, macro-F1, novel detection."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

__all__ = ["Evaluation", "evaluate_mapper"]


@dataclass
class Evaluation:
    """Figures from :func:`evaluate_mapper`.

    Attributes
    ----------
    top1, top3 : float
        Accuracy of the best / three best points on notes that belong to a point.
    macro_f1 : float
        Macro-averaged F1 over all classes, with novel notes predicted as 0.
    novel_rate : float
        Share of notes labelled 0 that were flagged novel (nan without such notes).
    false_novel_rate : float
        Share of notes that belong to a point but were flagged novel.
    labels : list of int
    confusion : ndarray
        Rows are true classes, columns predicted classes, both ordered as ``labels``.
    n_notes : int
    """

    top1: float
    top3: float
    macro_f1: float
    novel_rate: float
    false_novel_rate: float
    labels: list
    confusion: np.ndarray
    n_notes: int

    def format(self) -> str:
        """Return a plain-text report with the figures and the confusion matrix."""
        lines = [f"notes            {self.n_notes}",
                 f"top-1 accuracy   {self.top1:.3f}   (notes that belong to a point)",
                 f"top-3 accuracy   {self.top3:.3f}",
                 f"macro-F1         {self.macro_f1:.3f}   (all classes, novel = 0)",
                 f"novel detected   {self.novel_rate:.3f}   (notes labelled 0 flagged novel)",
                 f"false novel      {self.false_novel_rate:.3f}   (point notes flagged novel)",
                 "", "confusion matrix (rows true, columns predicted; 0 = none/novel)"]
        lines.append("true\\pred " + "".join(f"{lab:>4}" for lab in self.labels))
        for lab, row in zip(self.labels, self.confusion):
            lines.append(f"{lab:>9} " + "".join(f"{v:>4}" for v in row))
        return "\n".join(lines)


def evaluate_mapper(mapper, texts, points) -> Evaluation:
    """Evaluate a fitted :class:`~nlp.PointMapper` on labelled notes.

    Parameters
    ----------
    mapper : PointMapper
        A fitted mapper.
    texts : list of str
    points : list of int
        True point per note; 0 means the note fits no point.

    Returns
    -------
    Evaluation
    """
    y = np.asarray(points, dtype=int)
    results = mapper.map_notes(list(texts))
    ranked = [[p["point"] for p in r["points"]] for r in results]
    novel = np.array([r["novel"] for r in results], dtype=bool)
    pred = np.array([0 if n else rank[0] for n, rank in zip(novel, ranked)])
    inside = y != 0
    top1 = _mean([rank[0] == t for rank, t, i in zip(ranked, y, inside) if i])
    top3 = _mean([t in rank[:3] for rank, t, i in zip(ranked, y, inside) if i])
    labels = sorted(set(y) | set(pred))
    return Evaluation(top1, top3, float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
                      _mean(novel[~inside]), _mean(novel[inside]), labels,
                      confusion_matrix(y, pred, labels=labels), len(y))


def _mean(values) -> float:
    """Mean of booleans, nan when empty."""
    values = list(values)
    return float(np.mean(values)) if values else float("nan")

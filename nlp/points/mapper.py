"""PointMapper: map a note onto the framework's points with calibrated scores and a novel flag."""
from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from nlp.framework import load_framework
from nlp.language.features import make_vectorizer
from nlp.language.words import NoteWords
from nlp.points.training import training_documents

__all__ = ["PointMapper"]

NONE = 0


class PointMapper(ClassifierMixin, BaseEstimator):
    """Rank the points of a framework for short Swedish notes.

    The mapper is trained on text from the framework file (titles, descriptions and
    vocabulary), on shipped seed notes and on any confirmed labels passed to ``fit``. Class 0
    stands for "none of the points"; a note is *novel* when no point of the current framework
    fits it well enough.

    Parameters
    ----------
    framework : str, Path, dict, Framework or None, default=None
        The framework; None loads the shipped action plan with 13 points.
    C : float, default=4.0
        Inverse regularisation strength of the logistic regression.
    char_weight : float, default=1.0
        Weight of character n-gram features against stem features.
    novel_threshold : float, default=0.25
        A note is novel when its best point scores below this, or "none" scores higher.
    label_weight : float, default=3.0
        Weight of confirmed labels passed to ``fit`` against the built-in documents.
    use_seeds : bool, default=True
        Train also on the seed notes shipped in ``nlp/data/seed_training.jsonl``.
    random_state : int, RandomState or None, default=None
        Seed for the solver.

    Attributes
    ----------
    framework_ : Framework
        The loaded framework.
    classes_ : ndarray of int
        Class labels known to the model; 0 means none.
    points_ : ndarray of int
        Point ids in the column order of :meth:`score_points`.
    vectorizer_ : FeatureUnion
        Fitted text features.
    model_ : LogisticRegression
        Fitted classifier.
    n_labeled_ : int
        Number of confirmed labels used in the last fit.

    Examples
    --------
    >>> mapper = PointMapper(random_state=0).fit()
    >>> mapper.map_note("mentor till alla nyanställda")["points"][0]["point"]
    2
    """

    def __init__(self, framework=None, C=4.0, char_weight=1.0, novel_threshold=0.25,
                 label_weight=3.0, use_seeds=True, random_state=None):
        self.framework = framework
        self.C = C
        self.char_weight = char_weight
        self.novel_threshold = novel_threshold
        self.label_weight = label_weight
        self.use_seeds = use_seeds
        self.random_state = random_state

    def fit(self, X=None, y=None):
        """Fit on the framework and seed notes, plus confirmed labels if given.

        Parameters
        ----------
        X : iterable of str or None
            Note texts with confirmed labels; None for a zero-shot model.
        y : iterable of int or None
            Point ids for ``X``; 0 means the note fits no point.

        Returns
        -------
        self : PointMapper
        """
        self.framework_ = load_framework(self.framework)
        texts, labels = training_documents(self.framework_, use_seeds=self.use_seeds)
        weights = [1.0] * len(texts)
        extra_x, extra_y = self._check_labels(X, y)
        texts, labels = texts + extra_x, labels + extra_y
        weights += [float(self.label_weight)] * len(extra_x)
        self.vectorizer_ = make_vectorizer(char_weight=self.char_weight)
        features = self.vectorizer_.fit_transform(texts)
        self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                         random_state=self.random_state)
        self.model_.fit(features, np.asarray(labels), sample_weight=np.asarray(weights))
        self.classes_ = self.model_.classes_
        self.points_ = np.array(self.framework_.ids)
        self.n_labeled_ = len(extra_x)
        return self

    def _check_labels(self, X, y) -> tuple[list[str], list[int]]:
        """Validate confirmed labels against the framework's point ids."""
        if X is None:
            return [], []
        texts, labels = [str(t) for t in X], [int(p) for p in y]
        if len(texts) != len(labels):
            raise ValueError(f"X has {len(texts)} notes but y has {len(labels)} labels")
        unknown = set(labels) - set(self.framework_.ids) - {NONE}
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not points of the framework")
        return texts, labels

    def predict_proba(self, X) -> np.ndarray:
        """Probability of every class (columns follow ``classes_``, 0 = none).

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of shape (n_notes, n_classes)
        """
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self.vectorizer_.transform(_as_texts(X)))

    def score_points(self, X) -> np.ndarray:
        """Calibrated score in [0, 1] of every point (columns follow ``points_``).

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of shape (n_notes, n_points)
        """
        proba = self.predict_proba(X)
        full = np.zeros((proba.shape[0], len(self.points_)))
        column = {c: i for i, c in enumerate(self.classes_)}
        for j, point in enumerate(self.points_):
            if point in column:
                full[:, j] = proba[:, column[point]]
        return full

    def novel_mask(self, proba: np.ndarray) -> np.ndarray:
        """Novel flags from a ``predict_proba`` result."""
        classes = list(self.classes_)
        none = proba[:, classes.index(NONE)] if NONE in classes else np.zeros(len(proba))
        points = np.delete(proba, classes.index(NONE), axis=1) if NONE in classes else proba
        best = points.max(axis=1)
        return (best < self.novel_threshold) | (none >= best)

    def predict(self, X) -> np.ndarray:
        """Best point per note, or 0 when the note is novel.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of int
        """
        proba = self.predict_proba(X)
        best = self.points_[self.score_points_from(proba).argmax(axis=1)]
        return np.where(self.novel_mask(proba), NONE, best)

    def score_points_from(self, proba: np.ndarray) -> np.ndarray:
        """Point scores (columns follow ``points_``) from a ``predict_proba`` result."""
        column = {c: i for i, c in enumerate(self.classes_)}
        return np.column_stack([proba[:, column[p]] if p in column else np.zeros(len(proba))
                                for p in self.points_])

    def map_notes(self, X) -> list[dict]:
        """Rank all points for each note.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        list of dict
            ``{"points": [{"point": int, "score": float}, ...], "novel": bool}`` per note,
            points ranked best first.
        """
        proba = self.predict_proba(X)
        scores, novel = self.score_points_from(proba), self.novel_mask(proba)
        out = []
        for row, is_novel in zip(scores, novel):
            order = np.argsort(-row, kind="stable")
            ranked = [{"point": int(self.points_[j]), "score": round(float(row[j]), 4)} for j in order]
            out.append({"points": ranked, "novel": bool(is_novel)})
        return out

    def map_note(self, text: str) -> dict:
        """Rank all points for one note; see :meth:`map_notes`."""
        return self.map_notes([text])[0]

    def save(self, path) -> Path:
        """Save the fitted mapper to ``path`` (joblib format) and return the path."""
        check_is_fitted(self, "model_")
        joblib.dump(self, path)
        return Path(path)

    @classmethod
    def load(cls, path) -> PointMapper:
        """Load a mapper saved with :meth:`save`.

        Only load files you trust: the format can execute code when read.
        """
        obj = joblib.load(path)
        if not isinstance(obj, cls):
            raise ValueError(f"{path} does not contain a PointMapper")
        return obj


def _as_texts(X) -> list[str]:
    """Accept a single string or an iterable of strings; notes already tokenised stay as they are."""
    if isinstance(X, str):
        return [X]
    if isinstance(X, NoteWords):
        return X
    return [str(t) for t in X]

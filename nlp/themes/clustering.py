"""ThemeClusterer: group notes into themes without a given number of themes."""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.feature_extraction import FeatureHasher
from sklearn.preprocessing import normalize as l2
from sklearn.utils.validation import check_is_fitted

from nlp.language.text import normalize, token_stems
from nlp.language.words import NoteWords
from nlp.points.mapper import PointMapper
from nlp.themes.centroids import UNASSIGNED, CentroidSet, LeaderPool
from nlp.themes.drift import ThemeFit
from nlp.themes.keywords import SurfaceIndex, Theme, theme_keywords
from nlp.themes.titles import Titler

__all__ = ["ThemeClusterer"]

_RESERVE_BYTES = 64 << 20  # room reserved for the dense centre rows (sums and unit copies each)


class ThemeClusterer(ClusterMixin, BaseEstimator):
    """Group short notes into themes with online leader clustering on sparse vectors.

    A note joins the closest theme when the cosine similarity to its centre reaches
    ``threshold`` and otherwise starts a new theme, so no number of themes is needed. Notes are
    compared on their words (hashed stems with TF-IDF weights) and on their meaning (the point
    scores of a :class:`PointMapper`). Identical notes, up to spelling of the same words, are
    handled once. ``partial_fit`` adds notes without moving earlier notes between themes.

    Parameters
    ----------
    mapper : PointMapper or None, default=None
        Used for meaning and for each theme's point; None fits the default zero-shot mapper.
    threshold : float, default=0.55
        Minimum cosine similarity between a note and a theme centre.
    semantic_weight : float, default=0.5
        Share of the similarity that comes from point scores rather than words, in [0, 1].
    min_theme_size : int, default=2
        Smaller groups are left unassigned.
    merge_threshold : float, default=0.8
        Themes whose centres are this similar are merged after ``fit``.
    max_iter : int, default=3
        Refinement passes after the first online pass in ``fit``.
    max_themes : int, default=400
        Upper bound on open themes; bounds memory on large inputs.
    n_features : int, default=16384
        Size of the hashed word space.
    batch_size : int, default=256
        Notes compared with the centres at a time.
    n_keywords : int, default=5
        Keywords per theme; the label uses the first three.
    n_representatives : int, default=3
        Representative notes per theme.
    random_state : int, RandomState or None, default=None
        Seed for the order in which notes are visited.

    Attributes
    ----------
    labels_ : ndarray of int
        Theme id per note in the order given, -1 for unassigned.
    themes_ : list of Theme
        Themes, largest first after ``fit``; new themes are appended by ``partial_fit``.
    mapper_ : PointMapper
        The fitted mapper in use.
    idf_ : ndarray
        Inverse document frequency of the hashed words, fixed at ``fit``.
    n_themes_ : int
        Number of themes.
    """

    def __init__(self, mapper=None, threshold=0.55, semantic_weight=0.5, min_theme_size=2,
                 merge_threshold=0.8, max_iter=3, max_themes=400, n_features=16384,
                 batch_size=256, n_keywords=5, n_representatives=3, random_state=None):
        self.mapper = mapper
        self.threshold = threshold
        self.semantic_weight = semantic_weight
        self.min_theme_size = min_theme_size
        self.merge_threshold = merge_threshold
        self.max_iter = max_iter
        self.max_themes = max_themes
        self.n_features = n_features
        self.batch_size = batch_size
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.random_state = random_state

    # ----------------------------------------------------------------- public API
    def fit(self, X, y=None, ids=None):
        """Find themes in notes.

        Parameters
        ----------
        X : list of str
            Note texts.
        y : ignored
        ids : list or None
            Note ids; positions 0..n-1 when None.

        Returns
        -------
        self : ThemeClusterer
        """
        self._reset()
        texts, ids = _check_notes(X, ids, start=0)
        new = self._ingest(texts, ids, fit_idf=True)
        self._rng = np.random.RandomState(self.random_state)
        self._leader(self._rng.permutation(new), self._cents, self._unique_label, cap=self.max_themes)
        for _ in range(self.max_iter):
            self._refine()
        self._prune_and_merge()
        self._renumber_by_size()
        return self._finish()

    def partial_fit(self, X, y=None, ids=None):
        """Add notes: they join existing themes or form new ones; earlier notes stay put.

        Parameters
        ----------
        X : list of str
        y : ignored
        ids : list or None
            Note ids; continue after the earlier positions when None.

        Returns
        -------
        self : ThemeClusterer
        """
        if not hasattr(self, "idf_"):
            return self.fit(X, ids=ids)
        texts, ids = _check_notes(X, ids, start=len(self.ids_))
        new = self._ingest(texts, ids, fit_idf=False)
        fresh = new[self._unique_label[new] == UNASSIGNED] if len(new) else new
        self._assign_existing(fresh)
        pool = np.flatnonzero(self._unique_label == UNASSIGNED)
        self._grow_new_themes(pool)
        return self._finish()

    def predict(self, X) -> np.ndarray:
        """Theme id of the closest theme for each note, -1 when none is close enough.

        Parameters
        ----------
        X : list of str

        Returns
        -------
        ndarray of int
        """
        check_is_fitted(self, "idf_")
        texts, _ = _check_notes(X, None, start=0)
        notes = NoteWords(texts)
        vectors, _ = self._vectorize(self._hash(notes), notes)
        rows, sims = self._cents.nearest(vectors)
        return np.where(sims >= self.threshold, rows, UNASSIGNED)

    def theme_fit(self) -> ThemeFit:
        """How well the themes fit the notes now: notes, ungrouped share, mean similarity to the centres.

        Costs one pass over the stored vectors (no n x n matrix), for :class:`DriftMonitor`.
        """
        check_is_fitted(self, "idf_")
        weights, labels = self._weights, self._unique_label
        total = float(weights.sum()) or 1.0
        grouped = np.flatnonzero(labels >= 0)
        cohesion = 0.0
        if len(grouped):
            X = self._vectors[grouped]
            rows = np.repeat(np.arange(len(grouped)), np.diff(X.indptr))
            dots = X.data * self._cents.units[labels[grouped][rows], X.indices]
            sims = np.bincount(rows, weights=dots, minlength=len(grouped))
            cohesion = float(sims @ weights[grouped] / weights[grouped].sum())
        return ThemeFit(len(self.ids_), float(weights[labels < 0].sum() / total), cohesion)

    # ------------------------------------------------------------ notes and vectors
    def _reset(self) -> None:
        """Forget all notes and themes."""
        self.mapper_ = self._fitted_mapper()
        self.surfaces_ = SurfaceIndex()
        self.ids_, self.texts_ = [], []
        self._note_unique: list[int] = []
        self._keys: dict[str, int] = {}
        self._unique_text, self._unique_stems = [], []
        self._weights = np.zeros(0)
        self._unique_label = np.zeros(0, dtype=int)
        self._vectors = sparse.csr_matrix((0, self._dim()), dtype=np.float32)
        self._proba = np.zeros((0, len(self.mapper_.classes_)), dtype=np.float32)
        self._doc_freq: Counter = Counter()
        self._cents = CentroidSet(self._dim(), capacity=self._reserved_themes())
        self._pool: LeaderPool | None = None
        self._titles: dict[int, str] = {}  # theme id -> title last given, kept while it still fits
        self._first_note: list[int] = []  # distinct note -> position of the first note written so

    def _fitted_mapper(self) -> PointMapper:
        """The given mapper if fitted, else a fitted copy or the default mapper."""
        if self.mapper is None:
            return PointMapper(random_state=0).fit()
        if hasattr(self.mapper, "model_"):
            return self.mapper
        return clone(self.mapper).fit()

    def _reserved_themes(self) -> int:
        """Centres to make room for at once: ``max_themes``, unless their dense rows would pass
        ``_RESERVE_BYTES``; untouched zero pages cost nothing, growing copies every row."""
        fit = _RESERVE_BYTES // (4 * self._dim())
        return int(max(64, min(self.max_themes, fit)))

    def _dim(self) -> int:
        """Width of the combined vectors: hashed words plus one column per point."""
        return self.n_features + len(self.mapper_.points_)

    def _ingest(self, texts: list[str], ids: list, fit_idf: bool) -> np.ndarray:
        """Record notes, fold duplicates together, vectorise new distinct notes."""
        first = len(self._unique_text)
        new_texts, new_keys, counts = [], [], Counter()
        for k, (text, stems) in enumerate(zip(texts, self.surfaces_.notes_stems(texts))):
            key = " ".join(sorted(stems)) or normalize(text).strip()
            if key not in self._keys:
                self._keys[key] = first + len(new_texts)
                self._first_note.append(len(self.ids_) + k)
                new_texts.append(text)
                new_keys.append(stems)
                self._doc_freq.update(stems)
            counts[self._keys[key]] += 1
            self._note_unique.append(self._keys[key])
        self.ids_ += ids
        self.texts_ += texts
        self._unique_text += new_texts
        self._unique_stems += new_keys
        self._weights = np.concatenate([self._weights, np.zeros(len(new_texts))])
        self._weights[list(counts)] += list(counts.values())
        self._unique_label = np.concatenate([self._unique_label, np.full(len(new_texts), UNASSIGNED)])
        if not new_texts:  # every note repeats wording seen before: nothing new to vectorise
            return np.arange(first, first)
        new_words = NoteWords(new_texts)  # tokenised once, for the mapper and the hashed stems
        counts = self._hash(new_words)  # hashed once, for the IDF and the vectors
        if fit_idf:
            self._fit_idf(counts)
        vectors, proba = self._vectorize(counts, new_words)
        self._vectors = sparse.vstack([self._vectors, vectors]).tocsr()
        self._proba = np.vstack([self._proba, proba])
        return np.arange(first, first + len(new_texts))

    def _hash(self, notes: NoteWords) -> sparse.csr_matrix:
        """Hashed stem counts of the notes (the stems of :func:`analyze`), each word form hashed once."""
        if not notes.words:
            return sparse.csr_matrix((len(notes), self.n_features))
        hasher = FeatureHasher(n_features=self.n_features, input_type="string", alternate_sign=False)
        return notes.sum_rows(hasher.transform(token_stems(w) for w in notes.words).tocsr())

    def _fit_idf(self, counts: sparse.csr_matrix) -> None:
        """Inverse document frequency of hashed stems (counts from :meth:`_hash`), frozen for later notes."""
        df = np.bincount(counts.indices, minlength=self.n_features)
        self.idf_ = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)

    def _vectorize(self, counts: sparse.csr_matrix, texts: list[str]):
        """Unit vectors combining weighted words (hashed stem counts) and point scores, and the point scores."""
        n_classes = len(self.mapper_.classes_)
        words = counts.astype(np.float32)
        words.data = (1 + np.log(words.data)) * self.idf_[words.indices]
        proba = (self.mapper_.predict_proba(texts) if texts else np.zeros((0, n_classes)))
        proba = proba.astype(np.float32)
        meaning = self.mapper_.score_points_from(proba)
        w = float(self.semantic_weight)
        combined = sparse.hstack([l2(words) * np.sqrt(1 - w), sparse.csr_matrix(l2(meaning)) * np.sqrt(w)])
        return combined.tocsr().astype(np.float32), proba

    # ------------------------------------------------------------------ clustering
    def _leader(self, order: np.ndarray, cents: CentroidSet, labels: np.ndarray, cap: int) -> None:
        """One online pass: join the closest centre or open a new theme (at most ``cap``)."""
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            batch, weights = self._vectors[idx], self._weights[idx]
            rows, sims = cents.nearest(batch)
            close = sims >= self.threshold
            cents.add(rows[close], batch[close], weights[close])
            rest = np.flatnonzero(~close)
            if len(rest):
                rows[rest] = self._open_themes(batch[rest], weights[rest], cents, cap)
            labels[idx] = rows

    def _open_themes(self, X: sparse.csr_matrix, weights: np.ndarray, cents: CentroidSet, cap: int) -> np.ndarray:
        """Theme of each note that joined no existing theme: one opened in this batch or a new one.

        The notes are visited in order, as a note at a time would be, but from their similarities
        with each other (one small sparse product): a theme opened here is a weighted sum of these
        notes, so its dot product with a note and its length follow from those similarities, and
        the opened themes are written into the centres once at the end, in the same order.
        """
        gram = (X @ X.T).toarray().astype(np.float64)
        m, w = len(weights), weights.astype(np.float64)
        dots = np.zeros((0, m))  # opened theme x note: dot product of the theme's sum with the note
        sq: list[float] = []  # squared length of each opened theme's sum
        members: list[list[int]] = []
        out = np.full(m, UNASSIGNED)
        for j in range(m):
            if members:
                sims = dots[:, j] / np.maximum(np.sqrt(sq), 1e-12)
                best = int(np.argmax(sims))
                if sims[best] >= self.threshold:
                    sq[best] += 2 * w[j] * dots[best, j] + w[j] * w[j] * gram[j, j]
                    dots[best] += w[j] * gram[j]
                    members[best].append(j)
                    out[j] = best
                    continue
            if cents.n + len(members) >= cap:
                continue
            members.append([j])
            sq.append(w[j] * w[j] * gram[j, j])
            dots = np.vstack([dots, w[j] * gram[j]])
            out[j] = len(members) - 1
        new = cents.create_groups(X, members, weights)
        return np.where(out >= 0, new[np.maximum(out, 0)] if len(new) else UNASSIGNED, UNASSIGNED)

    def _nearest_all(self, idx: np.ndarray) -> np.ndarray:
        """Closest theme for the distinct notes ``idx`` (-1 below threshold), in chunks."""
        out = np.full(len(idx), UNASSIGNED)
        for start in range(0, len(idx), 4096):
            rows, sims = self._cents.nearest(self._vectors[idx[start:start + 4096]])
            out[start:start + 4096] = np.where(sims >= self.threshold, rows, UNASSIGNED)
        return out

    def _refine(self) -> None:
        """Reassign every distinct note to its closest centre and recompute the centres."""
        self._unique_label = self._nearest_all(np.arange(len(self._unique_text)))
        self._cents.rebuild(self._vectors, self._unique_label, self._weights, self._cents.n)

    def _prune_and_merge(self) -> None:
        """Merge near-identical themes, drop themes smaller than ``min_theme_size``."""
        k = self._cents.n
        parent = np.arange(k)
        sim = self._cents.similarity_matrix()
        for i, j in zip(*np.nonzero(np.triu(sim, 1) >= self.merge_threshold)):
            parent[parent == parent[j]] = parent[i]
        labels = np.where(self._unique_label >= 0, parent[np.maximum(self._unique_label, 0)], UNASSIGNED)
        size = np.bincount(labels[labels >= 0], weights=self._weights[labels >= 0], minlength=k)
        labels[(labels >= 0) & (size[np.maximum(labels, 0)] < self.min_theme_size)] = UNASSIGNED
        self._unique_label = labels

    def _renumber_by_size(self) -> None:
        """Give themes ids 0..k-1, largest first, and rebuild their centres."""
        used = self._unique_label >= 0
        size = np.bincount(self._unique_label[used], weights=self._weights[used],
                           minlength=self._cents.n)
        order = [r for r in np.argsort(-size, kind="stable") if size[r] > 0]
        new_id = np.full(self._cents.n, UNASSIGNED)
        new_id[order] = np.arange(len(order))
        self._unique_label = np.where(used, new_id[np.maximum(self._unique_label, 0)], UNASSIGNED)
        self._cents.rebuild(self._vectors, self._unique_label, self._weights, len(order))

    def _assign_existing(self, idx: np.ndarray) -> None:
        """Let new distinct notes join existing themes when close enough."""
        if len(idx) == 0 or self._cents.n == 0:
            return
        rows = self._nearest_all(idx)
        close = rows >= 0
        self._unique_label[idx[close]] = rows[close]
        self._cents.add(rows[close], self._vectors[idx[close]], self._weights[idx[close]])

    def _grow_new_themes(self, pool: np.ndarray) -> None:
        """Form new themes among unassigned notes; keep groups of ``min_theme_size`` or more.

        The pool is grouped by a sequential leader pass whose state is kept between calls: while the
        pool only grows at its end (new notes) and its notes keep their weights, the next call goes
        on with the new notes alone, which gives what a pass over the whole pool would give. So a
        ``partial_fit`` costs in proportion to its new notes, not to every note left unassigned.
        """
        cap = max(self.max_themes - self._cents.n, 0)
        kept = self._pool
        if kept is None or not kept.continues(pool, self._weights, cap):
            kept = LeaderPool(CentroidSet(self._dim()))
        touched = kept.lead(pool, self._vectors, self._weights, self.threshold, cap)
        promoted = False
        for row in touched:
            members = kept.members(row)
            if self._weights[members].sum() < self.min_theme_size:
                continue
            theme = self._cents.create(self._vectors[members[:1]], float(self._weights[members[0]]))
            self._cents.add(np.full(len(members) - 1, theme), self._vectors[members[1:]],
                            self._weights[members[1:]])
            self._unique_label[members] = theme
            promoted = True
        self._pool = None if promoted else kept  # promoted notes leave the pool: start afresh next time

    # ---------------------------------------------------------------------- output
    def _finish(self):
        """Publish ``labels_`` and ``n_themes_``; ``themes_`` is described when first read."""
        self.labels_ = self._unique_label[np.asarray(self._note_unique, dtype=int)]
        self._themes = None
        self.n_themes_ = self._cents.n
        return self

    @property
    def themes_(self) -> list[Theme]:
        """The themes, described on first access after a fit (describing costs in proportion to all notes,
        and a live synthesis that only wants ``labels_`` after each ``partial_fit`` never pays it)."""
        if self._themes is None:
            members = [self._by_closeness(np.flatnonzero(self._unique_label == t), t)
                       for t in range(self._cents.n)]
            titler = self._title(members)
            self._themes = [self._describe(t, m, titler) for t, m in enumerate(members)]
        return self._themes

    def _by_closeness(self, members: np.ndarray, theme: int) -> np.ndarray:
        """Distinct notes of a theme, the closest to its centre first."""
        closeness = np.asarray(self._vectors[members] @ self._cents.units[theme]).ravel()
        return members[np.argsort(-closeness, kind="stable")]

    def _title(self, members: list[np.ndarray]) -> Titler:
        """Title all themes at once (titles are distinct); a theme keeps its earlier title while it fits."""
        previous = [self._titles.get(t) for t in range(len(members))]
        titler = Titler(n_representatives=self.n_representatives)
        titler.fit([[self._unique_text[u] for u in m] for m in members], previous=previous)
        self._titles = dict(enumerate(titler.titles_))
        return titler

    def _quoted(self, members: np.ndarray, position: int) -> dict:
        """A member note as ``{"id", "text"}``: the first note written that way."""
        unique = int(members[position])
        return {"id": self.ids_[self._first_note[unique]], "text": self._unique_text[unique]}

    def _describe(self, theme: int, members: np.ndarray, titler: Titler) -> Theme:
        """Build the readable description of one theme."""
        weights = self._weights[members]
        keywords = theme_keywords([self._unique_stems[u] for u in members], weights, self._doc_freq,
                                  len(self._unique_text), self.surfaces_, top=self.n_keywords)
        reps = [self._unique_text[u] for u in members]
        point, confidence, novel = self._dominant_point(members, weights)
        note_ids = [self.ids_[i] for i in np.flatnonzero(self.labels_ == theme)]
        quote = titler.quotes_[theme]
        return Theme(theme, ", ".join(keywords[:3]), keywords, note_ids,
                     reps[: self.n_representatives], point, confidence, novel, titler.titles_[theme],
                     self._quoted(members, quote) if quote >= 0 else None,
                     [self._quoted(members, i) for i in titler.representatives_[theme]])

    def _dominant_point(self, members: np.ndarray, weights: np.ndarray):
        """Dominant point and its mean score, or (None, share of novel notes, True)."""
        proba = self._proba[members]
        novel_share = float(weights @ self.mapper_.novel_mask(proba) / weights.sum())
        scores = weights @ self.mapper_.score_points_from(proba) / weights.sum()
        best = int(np.argmax(scores))
        if novel_share > 0.5:
            return None, round(novel_share, 4), True
        return int(self.mapper_.points_[best]), round(float(scores[best]), 4), False


def _check_notes(X, ids, start: int) -> tuple[list[str], list]:
    """Validate note texts and ids."""
    if isinstance(X, str):
        raise ValueError("X must be a list of note texts, not a single string")
    texts = [str(t) for t in X]
    ids = list(range(start, start + len(texts))) if ids is None else list(ids)
    if len(ids) != len(texts):
        raise ValueError(f"got {len(texts)} notes but {len(ids)} ids")
    return texts, ids

"""Growing set of spherical centroids for online leader clustering without an n x n matrix."""
from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["CentroidSet", "LeaderPool", "UNASSIGNED"]

UNASSIGNED = -1


class CentroidSet:
    """Dense centroid sums with unit-length copies; rows are added as themes appear."""

    def __init__(self, n_features: int, capacity: int = 64):
        self.sums = np.zeros((capacity, n_features), dtype=np.float32)
        self.units = np.zeros((capacity, n_features), dtype=np.float32)
        self.weights = np.zeros(capacity, dtype=np.float64)
        self.n = 0

    def _grow(self) -> None:
        """Double the capacity."""
        cap = 2 * len(self.weights)
        for name in ("sums", "units"):
            old = getattr(self, name)
            new = np.zeros((cap, old.shape[1]), dtype=np.float32)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        self.weights = np.concatenate([self.weights, np.zeros(cap - len(self.weights))])

    def nearest(self, X: sparse.csr_matrix, rows=None) -> tuple[np.ndarray, np.ndarray]:
        """Best centroid row and its cosine similarity for every row of ``X``."""
        if self.n == 0 or X.shape[0] == 0:
            return np.full(X.shape[0], -1), np.full(X.shape[0], -np.inf)
        rows = np.arange(self.n) if rows is None else np.asarray(rows)
        sims = _sparse_dot(sparse.csr_matrix(X), self.units, rows)
        best = sims.argmax(axis=1)
        return rows[best], sims[np.arange(len(best)), best]

    def create(self, x: sparse.csr_matrix, weight: float) -> int:
        """Start a new centroid from one vector and return its row."""
        if self.n == len(self.weights):
            self._grow()
        row = self.n
        self.n += 1
        self.add(np.array([row]), x, np.array([weight]))
        return row

    def add(self, rows: np.ndarray, X: sparse.csr_matrix, weights: np.ndarray) -> None:
        """Add weighted vectors to the centroids named by ``rows`` and renormalise them."""
        if len(rows) == 0:
            return
        coo = sparse.csr_matrix(X).tocoo()
        np.add.at(self.sums, (rows[coo.row], coo.col), (coo.data * weights[coo.row]).astype(np.float32))
        np.add.at(self.weights, rows, weights)
        self._renormalise(np.unique(rows))

    def _renormalise(self, rows: np.ndarray) -> None:
        """Refresh the unit-length copies of ``rows``."""
        norms = np.linalg.norm(self.sums[rows], axis=1, keepdims=True)
        self.units[rows] = self.sums[rows] / np.maximum(norms, 1e-12)

    def rebuild(self, X: sparse.csr_matrix, labels: np.ndarray, weights: np.ndarray, k: int) -> None:
        """Recompute ``k`` centroids from scratch from labelled vectors (label -1 is ignored)."""
        keep = labels >= 0
        onehot = sparse.csr_matrix((weights[keep], (labels[keep], np.flatnonzero(keep))),
                                   shape=(k, X.shape[0]))
        self.n = 0
        while len(self.weights) < k:
            self._grow()
        self.sums[:] = 0
        self.sums[:k] = (onehot @ X).toarray()
        self.weights[:] = 0
        self.weights[:k] = np.asarray(onehot.sum(axis=1)).ravel()
        self.n = k
        self._renormalise(np.arange(k))

    def similarity_matrix(self) -> np.ndarray:
        """Cosine similarities between all centroids (k x k, k is small)."""
        units = self.units[: self.n]
        return units @ units.T


class LeaderPool:
    """The unassigned notes grouped by a sequential leader pass, kept to be continued."""

    def __init__(self, cents: CentroidSet):
        self.cents = cents
        self.notes = np.zeros(0, dtype=int)  # distinct notes in the order they were visited
        self.rows = np.zeros(0, dtype=int)  # the group of each, UNASSIGNED when the cap refused one
        self.weight = 0.0
        self.capped = False

    def continues(self, pool: np.ndarray, weights: np.ndarray, cap: int) -> bool:
        """Whether going on from here gives what a pass over the whole ``pool`` would give."""
        n = len(self.notes)
        return (len(pool) >= n and np.array_equal(pool[:n], self.notes)
                and float(weights[self.notes].sum()) == self.weight
                and not self.capped and self.cents.n <= cap)

    def lead(self, pool: np.ndarray, vectors, weights: np.ndarray, threshold: float, cap: int) -> list[int]:
        """Visit the pool's notes not visited yet; return the groups that changed."""
        todo = pool[len(self.notes):]
        rows = np.full(len(todo), UNASSIGNED)
        for k, i in enumerate(todo):
            x, w = vectors[i], weights[i:i + 1]
            row, sim = self.cents.nearest(x)
            if sim[0] >= threshold:
                self.cents.add(row, x, w)
                rows[k] = row[0]
            elif self.cents.n < cap:
                rows[k] = self.cents.create(x, float(w[0]))
            else:
                self.capped = True
        self.notes = np.concatenate([self.notes, todo])
        self.rows = np.concatenate([self.rows, rows])
        self.weight = float(weights[self.notes].sum())
        return sorted(set(rows[rows >= 0].tolist()))

    def members(self, row: int) -> np.ndarray:
        """The notes of one group."""
        return self.notes[self.rows == row]


def _sparse_dot(X: sparse.csr_matrix, dense: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``X @ dense[rows].T`` over the columns ``X`` uses only.

    A batch of notes touches a few hundred of the 16,384 hashed words; multiplying by the whole
    transposed centre matrix made scipy copy it for every batch, which was most of the clustering.
    """
    cols, local = np.unique(X.indices, return_inverse=True)
    narrow = sparse.csr_matrix((X.data, local.ravel(), X.indptr), shape=(X.shape[0], len(cols)))
    block = np.ascontiguousarray(dense[np.ix_(rows, cols)].T)
    return np.asarray(narrow @ block)

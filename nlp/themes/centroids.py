"""Growing set of spherical centroids for online leader clustering without an n x n matrix."""
from __future__ import annotations

import numpy as np
from scipy import sparse

from nlp.arrays import distinct

__all__ = ["CentroidSet", "LeaderPool", "UNASSIGNED"]

UNASSIGNED = -1


class CentroidSet:
    """Dense centroid sums with unit-length copies; rows are added as themes appear."""

    def __init__(self, n_features: int, capacity: int = 64):
        self.sums = np.zeros((capacity, n_features), dtype=np.float32)
        self._units = np.zeros((capacity, n_features), dtype=np.float32)
        self.weights = np.zeros(capacity, dtype=np.float64)
        self.sq = np.zeros(capacity, dtype=np.float64)  # squared length of each sum, kept up to date
        self._stale = np.zeros(capacity, dtype=bool)  # rows whose unit copy is out of date
        self._summed: sparse.csr_matrix | None = None  # the sums as the last rebuild left them, until an addition
        self.n = 0

    def _grow(self) -> None:
        """Double the capacity."""
        cap = 2 * len(self.weights)
        for name in ("sums", "_units"):
            old = getattr(self, name)
            new = np.zeros((cap, old.shape[1]), dtype=np.float32)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        extra = cap - len(self.weights)
        self.weights = np.concatenate([self.weights, np.zeros(extra)])
        self.sq = np.concatenate([self.sq, np.zeros(extra)])
        self._stale = np.concatenate([self._stale, np.zeros(extra, dtype=bool)])

    @property
    def units(self) -> np.ndarray:
        """Unit-length copies of the sums, refreshed when read.

        The leader pass never reads them: it divides by the kept lengths instead, so a batch no
        longer rewrites every dense row it touched (most of the pass's time before).
        """
        stale = np.flatnonzero(self._stale[: self.n])
        if len(stale):
            self._units[stale] = self.sums[stale] / self._norms(stale)[:, None]
            self._stale[stale] = False
        return self._units

    def _norms(self, rows: np.ndarray) -> np.ndarray:
        """Length of the sums of ``rows`` (at least 1e-12), as float32."""
        return np.maximum(np.sqrt(self.sq[rows]), 1e-12).astype(np.float32)

    def nearest(self, X: sparse.csr_matrix, rows=None) -> tuple[np.ndarray, np.ndarray]:
        """Best centroid row and its cosine similarity for every row of ``X``."""
        if self.n == 0 or X.shape[0] == 0:
            return np.full(X.shape[0], -1), np.full(X.shape[0], -np.inf)
        rows = np.arange(self.n) if rows is None else np.asarray(rows)
        sims = _sparse_dot(sparse.csr_matrix(X), self.sums, rows) / self._norms(rows)
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

    def create_groups(self, X: sparse.csr_matrix, groups: list[list[int]], weights: np.ndarray) -> np.ndarray:
        """Start one centroid per group of rows of ``X`` (each summed in its order); the new rows."""
        while self.n + len(groups) > len(self.weights):
            self._grow()
        new = np.arange(self.n, self.n + len(groups))
        self.n += len(groups)
        order = np.concatenate([np.asarray(g, dtype=int) for g in groups]) if groups else np.zeros(0, dtype=int)
        rows = np.repeat(new, [len(g) for g in groups])
        self.add(rows, X[order], weights[order])
        return new

    def add(self, rows: np.ndarray, X: sparse.csr_matrix, weights: np.ndarray) -> None:
        """Add weighted vectors to the centroids named by ``rows`` and renormalise them."""
        if len(rows) == 0:
            return
        coo = sparse.csr_matrix(X).tocoo()
        width = self.sums.shape[1]
        touched = distinct(rows[coo.row] * width + coo.col)  # flat positions in the sums
        flat = self.sums.reshape(-1)
        before = flat[touched].astype(np.float64)
        np.add.at(self.sums, (rows[coo.row], coo.col), (coo.data * weights[coo.row]).astype(np.float32))
        after = flat[touched].astype(np.float64)
        np.add.at(self.sq, touched // width, after * after - before * before)
        np.add.at(self.weights, rows, weights)
        self._stale[rows] = True
        self._summed = None

    def rebuild(self, X: sparse.csr_matrix, labels: np.ndarray, weights: np.ndarray, k: int) -> None:
        """Recompute ``k`` centroids from scratch from labelled vectors (label -1 is ignored)."""
        keep = labels >= 0
        onehot = sparse.csr_matrix((weights[keep], (labels[keep], np.flatnonzero(keep))),
                                   shape=(k, X.shape[0]))
        old_n, self.n = self.n, 0
        while len(self.weights) < k:
            self._grow()
        self.sums[: max(k, old_n)] = 0  # only rows once in use: from n on they are zero already
        summed = sparse.csr_matrix(onehot @ X)
        summed.sum_duplicates()
        # written entry by entry: a dense copy of k rows of 16,384 words cost more than the product
        self.sums[np.repeat(np.arange(k), np.diff(summed.indptr)), summed.indices] = summed.data
        self._summed = summed
        self.weights[:] = 0
        self.weights[:k] = np.asarray(onehot.sum(axis=1)).ravel()
        self.sq[:] = 0
        squares = summed.astype(np.float64)
        self.sq[:k] = np.asarray(squares.multiply(squares).sum(axis=1)).ravel()
        self._stale[:k] = True
        self.n = k

    def similarity_matrix(self) -> np.ndarray:
        """Cosine similarities between all centroids (k x k, k is small).

        A centre uses a few hundred of the 16,384 hashed words, so the product is taken sparse:
        the dense one cost as much as the whole leader pass. Right after a rebuild the unit rows
        are made from its sparse sums (the same numbers), not read back from the dense rows.
        """
        if self._summed is not None and self._summed.shape[0] == self.n:
            summed = self._summed
            rows = np.repeat(np.arange(self.n), np.diff(summed.indptr))
            data = summed.data.astype(np.float32) / self._norms(np.arange(self.n))[rows]
            units = sparse.csr_matrix((data, summed.indices, summed.indptr), shape=summed.shape)
            units.eliminate_zeros()
        else:
            units = sparse.csr_matrix(self.units[: self.n])
        return (units @ units.T).toarray()


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

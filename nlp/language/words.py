"""The word forms of a batch of notes as one sparse count matrix.

Notes repeat their words: a café of 5,000 notes has some 60,000 tokens but a few thousand distinct
word forms. Every feature of the mapper and the clusterer is a sum over a note's tokens of what one
word form gives, so each form is worked out once and the sums over the notes are sparse products.
"""
from __future__ import annotations

from itertools import chain

import numpy as np
from scipy import sparse

from nlp.language.text import note_tokens

__all__ = ["NoteWords"]


class NoteWords(list):
    """Note texts with the count matrix of their word forms (stopwords left out, as :func:`tokenize`).

    It is the list of texts itself, so a transformer that wants raw text still gets it; the
    mapper's and the clusterer's features read ``words`` and ``counts`` instead, and a batch passed
    from one to the other is tokenised once.

    Attributes
    ----------
    words : list of str
        The distinct word forms, in order of first appearance: the columns of ``counts``.
    ids : ndarray of int
        The word form of every token, the notes one after another.
    indptr : ndarray of int
        Where each note's tokens start in ``ids`` (and end, for the last).
    """

    def __init__(self, texts=()):
        super().__init__(str(t) for t in texts)
        tokens = [note_tokens(t) for t in self]
        index: dict[str, int] = {}
        self.ids = np.array([index.setdefault(tok, len(index)) for tok in chain.from_iterable(tokens)],
                            dtype=np.int64)
        self.words = list(index)
        self.indptr = np.concatenate([[0], np.cumsum([len(t) for t in tokens], dtype=np.int64)])
        self._counts = None

    @classmethod
    def of(cls, texts) -> NoteWords:
        """``texts`` itself when it is already a :class:`NoteWords`, else one built from it."""
        return texts if isinstance(texts, cls) else cls(texts)

    @property
    def counts(self) -> sparse.csr_matrix:
        """How often each note holds each word form (notes x ``words``)."""
        if self._counts is None:
            counts = sparse.csr_matrix((np.ones(len(self.ids)), self.ids, self.indptr),
                                       shape=(len(self), len(self.words)))
            counts.sum_duplicates()
            self._counts = counts
        return self._counts

    def sum_per_note(self, columns: list[np.ndarray], width: int) -> sparse.csr_matrix:
        """Per note, the sum over its tokens of the columns each word form gives (one array per form
        in ``words``, a column counted as often as it appears), as a canonical CSR matrix."""
        return self.sum_rows(_rows(columns, width))

    def sum_rows(self, per_word: sparse.csr_matrix) -> sparse.csr_matrix:
        """Per note, the sum over its tokens of the row of ``per_word`` its word form has (one row per
        form in ``words``), as a canonical CSR matrix."""
        out = sparse.csr_matrix(self.counts @ per_word)
        out.sum_duplicates()  # sorted indices, as scikit-learn's counting gives them
        return out

    def neighbours(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every pair of neighbouring tokens within a note: the note, the first form, the second form."""
        if len(self.ids) < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        note = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))
        inside = note[:-1] == note[1:]
        return note[:-1][inside], self.ids[:-1][inside], self.ids[1:][inside]


def _rows(columns: list[np.ndarray], width: int) -> sparse.csr_matrix:
    """One sparse row per array of columns, a column repeated in an array counted that often."""
    lengths = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    rows = sparse.csr_matrix((np.ones(len(indices)), indices.astype(np.int64, copy=False), indptr),
                             shape=(len(columns), width))
    rows.sum_duplicates()
    return rows

"""Feature extraction shared by the point mapper and the theme clusterer."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from nlp.language.text import analyze, expand_abbreviations, fold_diacritics, note_tokens, token_stems, tokenize
from nlp.language.words import NoteWords

__all__ = ["word_features", "char_text", "char_ngrams", "make_vectorizer"]
CHAR_NGRAMS = (3, 5)


def word_features(text: str) -> list[str]:
    """Stems (with compound parts) plus bigrams of neighbouring stems."""
    stems = analyze(text)
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]


def char_text(text: str) -> str:
    """Expanded, stopword-free, diacritic-folded text for character n-grams."""
    return fold_diacritics(" ".join(expand_abbreviations(tokenize(text))))


def char_ngrams(text: str) -> list[str]:
    """Character 3-5-grams inside word boundaries, as scikit-learn's ``char_wb`` makes them.

    The same features, but each distinct word is cut into n-grams once (notes repeat their words),
    which makes the mapper's largest cost several times smaller.
    """
    return [g for word in char_text(text).split() for g in _word_ngrams(word)]


@lru_cache(maxsize=200_000)
def _word_ngrams(word: str) -> tuple[str, ...]:
    """The n-grams of one word padded with spaces; a word shorter than n counts once."""
    padded, out = f" {word} ", []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        if len(padded) <= n:
            out.append(padded)
            break
        out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _char_words(token: str) -> tuple[str, ...]:
    """The words :func:`char_text` makes of one token: it and its expansion, folded."""
    return tuple(fold_diacritics(w) for w in expand_abbreviations([token]))


class _CachedTfidf(TfidfVectorizer):
    """TF-IDF whose ``transform`` works out each distinct word form once and sums over notes sparsely.

    Fitting is scikit-learn's; ``transform`` gives the same matrix, but counts the notes from the
    vocabulary columns of their word forms (cached per form) in one sparse product, instead of
    looking up every feature of every note, which was most of the time of mapping a big café.
    A :class:`NoteWords` passed in is read as it is, so its notes are tokenised once. A few notes
    (one note as it is written, say) are counted note by note: the products cost more than they save.
    """

    _MAX_CACHED = 200_000
    _FEW = 32

    def transform(self, raw_documents):
        """The TF-IDF matrix of ``raw_documents``, as :class:`TfidfVectorizer` computes it."""
        self._check_vocabulary()
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        if not isinstance(raw_documents, list):
            raw_documents = list(raw_documents)
        if len(raw_documents) < self._FEW:
            counts = self._few_counts([note_tokens(str(t)) for t in raw_documents])
        else:
            counts = self._counts(NoteWords.of(raw_documents))
        return self._tfidf.transform(counts.astype(self.dtype, copy=False), copy=False)

    def _few_counts(self, notes: list[tuple[str, ...]]) -> sparse.csr_matrix:
        """Feature counts of a few notes given as their tokens, one note at a time."""
        rows = [np.concatenate(self._form_columns(tokens) + self._across(tokens)) for tokens in notes]
        indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows], dtype=np.int64)])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        counts = sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                                   shape=(len(notes), len(self.vocabulary_)))
        counts.sum_duplicates()
        return counts

    def _across(self, tokens: tuple[str, ...]) -> list[np.ndarray]:
        """Columns of features that span two neighbouring tokens of a note (none by default)."""
        return [np.zeros(0, dtype=np.int64)]

    def _counts(self, notes: NoteWords) -> sparse.csr_matrix:
        """Feature counts of the notes: the sum of what each of their word forms gives."""
        return notes.sum_per_note(self._form_columns(notes.words), len(self.vocabulary_))

    def _form_columns(self, words: list[str]) -> list[np.ndarray]:
        """The vocabulary columns of each word form, from the per-form cache."""
        cached = self.__dict__.get("_columns")
        if cached is None or cached[0] is not self.vocabulary_ or len(cached[1]) > self._MAX_CACHED:
            cached = self.__dict__["_columns"] = (self.vocabulary_, {})  # a new fit, or too many forms
        columns = cached[1]
        out = []
        for word in words:
            cols = columns.get(word)
            if cols is None:
                vocabulary = self.vocabulary_
                cols = columns[word] = np.array([vocabulary[f] for f in self._form_features(word)
                                                 if f in vocabulary], dtype=np.int64)
            out.append(cols)
        return out

    def _form_features(self, word: str):
        """The features one word form gives, wherever it stands in a note."""
        raise NotImplementedError

    def __getstate__(self):
        """Pickle without the per-form caches."""
        state = dict(self.__dict__)
        state.pop("_columns", None)
        state.pop("_pairs", None)
        return state


class CharTfidf(_CachedTfidf):
    """TF-IDF of :func:`char_ngrams`, counted once per distinct word form."""

    def _form_features(self, word: str):
        """The n-grams of the token and of the words its abbreviation stands for, folded."""
        return [g for w in _char_words(word) for g in _word_ngrams(w)]


class WordTfidf(_CachedTfidf):
    """TF-IDF of :func:`word_features` (stems and bigrams of neighbouring stems), counted per word form.

    The stems of a note are those of its tokens one after another, so its bigrams are those inside
    each token's stems plus one across each pair of neighbouring tokens (the last stem of the first,
    the first stem of the second); the pairs are looked up all at once by their stems' numbers.
    """

    def _form_features(self, word: str):
        """The token's stems and the bigrams among them."""
        stems = token_stems(word)
        return stems + tuple(f"{a} {b}" for a, b in zip(stems, stems[1:]))

    def _across(self, tokens: tuple[str, ...]) -> list[np.ndarray]:
        """Columns of the bigrams across neighbouring tokens: the last stem of one, the first of the next."""
        vocabulary = self.vocabulary_
        pairs = (f"{token_stems(a)[-1]} {token_stems(b)[0]}" for a, b in zip(tokens, tokens[1:]))
        return [np.array([vocabulary[f] for f in pairs if f in vocabulary], dtype=np.int64)]

    def _counts(self, notes: NoteWords) -> sparse.csr_matrix:
        """Counts of the stems and bigrams inside word forms, plus the bigrams across neighbours."""
        counts = super()._counts(notes)
        note, first, second = notes.neighbours()
        if not len(note):
            return counts
        numbers, codes, bigram_cols = self._bigram_table()
        width = len(numbers) + 1
        last_of = np.array([numbers.get(token_stems(w)[-1], -1) for w in notes.words], dtype=np.int64)
        first_of = np.array([numbers.get(token_stems(w)[0], -1) for w in notes.words], dtype=np.int64)
        a, b = last_of[first], first_of[second]
        known = (a >= 0) & (b >= 0)
        code = a[known] * width + b[known]
        at = np.minimum(np.searchsorted(codes, code), max(len(codes) - 1, 0))
        found = codes[at] == code if len(codes) else np.zeros(len(code), dtype=bool)
        across = sparse.csr_matrix((np.ones(int(found.sum())), (note[known][found], bigram_cols[at[found]])),
                                   shape=counts.shape)
        out = sparse.csr_matrix(counts + across)
        out.sum_duplicates()
        return out

    def _bigram_table(self) -> tuple[dict, np.ndarray, np.ndarray]:
        """The stems that bigrams of the vocabulary are made of, numbered, and the bigrams as sorted
        codes (first number x width + second number) with their columns; built once per fit."""
        cached = self.__dict__.get("_pairs")
        if cached is not None and cached[0] is self.vocabulary_:
            return cached[1]
        numbers: dict[str, int] = {}
        pairs, cols = [], []
        for feature, col in self.vocabulary_.items():
            if " " in feature:
                a, b = feature.split(" ")
                pairs.append((numbers.setdefault(a, len(numbers)), numbers.setdefault(b, len(numbers))))
                cols.append(col)
        width = len(numbers) + 1
        codes = np.array([a * width + b for a, b in pairs], dtype=np.int64)
        order = np.argsort(codes)
        table = (numbers, codes[order], np.array(cols, dtype=np.int64)[order])
        self.__dict__["_pairs"] = (self.vocabulary_, table)
        return table


def make_vectorizer(char_weight: float = 1.0, min_df: int = 1) -> FeatureUnion:
    """Union of stem TF-IDF and character n-gram TF-IDF (robust to typos and compounds)."""
    words = WordTfidf(analyzer=word_features, sublinear_tf=True, min_df=min_df)
    chars = CharTfidf(analyzer=char_ngrams, sublinear_tf=True, min_df=min_df)
    return FeatureUnion([("words", words), ("chars", chars)],
                        transformer_weights={"words": 1.0, "chars": char_weight})


def l2_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Scale every row of a sparse matrix to unit length (zero rows stay zero)."""
    from sklearn.preprocessing import normalize as _normalize

    return _normalize(sparse.csr_matrix(matrix), norm="l2", copy=False)

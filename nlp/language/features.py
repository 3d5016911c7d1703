"""Feature extraction shared by the point mapper and the theme clusterer."""
from __future__ import annotations

from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from nlp.language.text import analyze, expand_abbreviations, fold_diacritics, tokenize

__all__ = ["word_features", "char_text", "make_vectorizer"]


def word_features(text: str) -> list[str]:
    """Stems (with compound parts) plus bigrams of neighbouring stems."""
    stems = analyze(text)
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]


def char_text(text: str) -> str:
    """Expanded, stopword-free, diacritic-folded text for character n-grams."""
    return fold_diacritics(" ".join(expand_abbreviations(tokenize(text))))


def make_vectorizer(char_weight: float = 1.0, min_df: int = 1) -> FeatureUnion:
    """Union of stem TF-IDF and character n-gram TF-IDF (robust to typos and compounds)."""
    words = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=min_df)
    chars = TfidfVectorizer(analyzer="char_wb", preprocessor=char_text, ngram_range=(3, 5),
                            sublinear_tf=True, min_df=min_df)
    return FeatureUnion([("words", words), ("chars", chars)],
                        transformer_weights={"words": 1.0, "chars": char_weight})


def l2_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Scale every row of a sparse matrix to unit length (zero rows stay zero)."""
    from sklearn.preprocessing import normalize as _normalize

    return _normalize(sparse.csr_matrix(matrix), norm="l2", copy=False)

"""Themes and their readable descriptions: keywords, labels, representative notes, points."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np

from nlp.language.text import ABBREVIATIONS, expand_abbreviations, note_tokens, stem

__all__ = ["Theme", "SurfaceIndex", "theme_keywords"]

# Everyday verbs and fillers that carry meaning in a note but make a poor theme label.
LABEL_STOPWORDS = frozenset("""
ta tar tog tagit får fick gör gjort göra vill ville skulle borde kunna kunde måste ska behöva
per första andra tredje ny nya nytt gamla egen egna enkel enkla lätt svårt större mindre fler flera
sätt del delar gång gånger dag dagar vecka veckor idag ibland alltid ofta aldrig via samt också
bättre sämre bra dåligt hela helt typ osv etc kanske mm ngn ngt någon något några annan annat
""".split())


@dataclass
class Theme:
    """A group of notes about the same thing.

    Attributes
    ----------
    id : int
        Stable theme id; kept when notes are added.
    label : str
        The first keywords joined by commas, e.g. "introduktion, mentor, nyanställda" (kept for
        existing callers; ``title`` is what a person reads).
    keywords : list of str
        Real words (not stems) typical for the theme.
    note_ids : list
        Ids of the member notes.
    representative_notes : list of str
        The notes closest to the theme's centre, without duplicates.
    point : int or None
        Dominant framework point, None when the theme is novel.
    confidence : float
        Mean score of the dominant point over the members, in [0, 1].
    novel : bool
        True when most members fit no point of the framework.
    title : str
        Short Swedish heading of 2-6 words taken from the notes, e.g. "Tolk vid barnsamtal";
        distinct across the themes of one clustering.
    quote : dict or None
        The note that best represents the theme, ``{"id", "text"}``.
    representatives : list of dict
        A few more typical notes, ``{"id", "text"}``, near-duplicates of earlier ones skipped.
    """

    id: int
    label: str
    keywords: list[str]
    note_ids: list
    representative_notes: list[str] = field(default_factory=list)
    point: int | None = None
    confidence: float = 0.0
    novel: bool = False
    title: str = ""
    quote: dict | None = None
    representatives: list[dict] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of member notes."""
        return len(self.note_ids)

    def to_dict(self) -> dict:
        """Return the theme as a JSON-ready dict."""
        return asdict(self)


class SurfaceIndex:
    """Remembers which real word each stem came from, so labels show words and not stems."""

    def __init__(self):
        self.surfaces: dict[str, Counter] = {}
        self._pending: Counter = Counter()  # tokens read but not yet counted into ``surfaces``

    def note_stems(self, text: str) -> list[str]:
        """Return the distinct stems of whole words in ``text`` and record their surfaces."""
        return self.notes_stems([text])[0]

    def notes_stems(self, texts) -> list[list[str]]:
        """:meth:`note_stems` of every text.

        The tokens are counted in one go and folded into the surfaces only when a word is asked
        for, once per distinct token rather than once per token of every note.
        """
        tokens = [note_tokens(str(t)) for t in texts]
        self._pending.update(chain.from_iterable(tokens))
        return [list(dict.fromkeys(chain.from_iterable(map(_token_label_stems, t)))) for t in tokens]

    def word(self, s: str) -> str:
        """Most frequent surface form of a stem (shortest on ties)."""
        self._fold_pending()
        counts = self.surfaces.get(s)
        if not counts:
            return s
        return min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]

    def _fold_pending(self) -> None:
        """Count the tokens read since the last call into ``surfaces``."""
        pending, surfaces = self._pending, self.surfaces
        for token, n in pending.items():
            for word, s in _labelled_stems(token):
                counts = surfaces.get(s)
                if counts is None:
                    counts = surfaces[s] = Counter()
                counts[word] += n
        pending.clear()


@lru_cache(maxsize=200_000)
def _token_label_stems(token: str) -> tuple[str, ...]:
    """The stems of :func:`_labelled_stems`, without the words."""
    return tuple(s for _, s in _labelled_stems(token))


@lru_cache(maxsize=200_000)
def _labelled_stems(token: str) -> tuple[tuple[str, str], ...]:
    """(word, stem) for a token and the words its abbreviation stands for, cached per word form;
    short words and abbreviations are left out (a label shows the expansion, not "nyanst")."""
    return tuple((word, stem(word)) for word in expand_abbreviations([token])
                 if len(word) >= 3 and word not in ABBREVIATIONS)


def theme_keywords(member_stems: list[list[str]], weights: np.ndarray, doc_freq: Counter,
                   n_docs: int, surfaces: SurfaceIndex, top: int = 5) -> list[str]:
    """Keywords by class-based TF-IDF: frequent in the theme, rare in the whole collection."""
    in_theme: Counter = Counter()
    for stems, w in zip(member_stems, weights):
        for s in stems:
            in_theme[s] += w
    total = max(float(np.sum(weights)), 1.0)
    shared = [s for s, cnt in in_theme.items() if cnt >= min(2.0, total)] or list(in_theme)
    scored = sorted(((in_theme[s] / total) * np.log(1 + n_docs / max(doc_freq[s], 1)), s)
                    for s in shared)
    words: list[str] = []
    for _, s in reversed(scored):
        word = surfaces.word(s)
        if word in LABEL_STOPWORDS or any(_same_word(word, w) for w in words):
            continue
        words.append(word)
        if len(words) == top:
            break
    return words


def _same_word(a: str, b: str) -> bool:
    """True for two forms of one word in a label, e.g. "ärende" and "ärenden"."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short[:max(4, len(short) - 1)])

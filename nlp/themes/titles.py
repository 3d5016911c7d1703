"""Readable theme titles and quotes: extractive, grounded in each theme's own notes, distinct.

A title is the best candidate phrase of a theme (see :mod:`nlp.phrases`), scored by class-based
TF-IDF: its words are frequent in this theme's notes and rare in the others'. Phrases written the
same way in several notes are preferred, so the title reads as people wrote it.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

from sklearn.base import BaseEstimator

from nlp.language.phrases import Phrase, lemma_keys, note_chunks, note_phrases

__all__ = ["Titler", "theme_titles"]

LENGTH_BONUS = 0.25  # a second and third content word make a heading, not a keyword
REPEATED = 0.2  # bonus of a phrase written alike in two notes or more
N_SHORTLIST = 40
N_CANDIDATES = 12


class _Candidate(NamedTuple):
    """A title candidate of one theme."""

    score: float
    title: str
    keys: tuple


class Titler(BaseEstimator):
    """Give every theme a short Swedish title, a quote and representative notes.

    Parameters
    ----------
    max_words : int, default=6
        Longest title in words (a title has at least two).
    max_chars : int, default=40
        Longest title in characters.
    keep_ratio : float, default=0.6
        A previous title is kept while it is still grounded in the theme's notes and scores at
        least this share of the best candidate's score, so a theme is not renamed for one note.
    n_representatives : int, default=3
        Representative notes per theme besides the quote.
    max_notes : int or None, default=8
        Notes read per theme: the first ``max_notes`` of each group (pass the most typical first,
        as :class:`ThemeClusterer` does); bounds the cost on a big café. None reads all.

    Attributes
    ----------
    titles_ : list of str
        One distinct title per theme, in the order of the groups.
    quotes_ : list of int
        Position, within its group, of the note that best represents each theme (-1 if empty).
    representatives_ : list of list of int
        Positions of further typical notes, near-duplicates of earlier ones skipped.
    candidates_ : list of list of str
        The best title candidates of each theme, best first.

    Examples
    --------
    >>> Titler().fit([["mer tid för ärendena", "ingen tid för ärendena"],
    ...               ["tolk vid barnsamtal", "svårt att få tolk vid barnsamtal"]]).titles_
    ['Tid för ärendena', 'Tolk vid barnsamtal']
    """

    def __init__(self, max_words=6, max_chars=40, keep_ratio=0.6, n_representatives=3, max_notes=8):
        self.max_words = max_words
        self.max_chars = max_chars
        self.keep_ratio = keep_ratio
        self.n_representatives = n_representatives
        self.max_notes = max_notes

    def fit(self, groups, previous=None):
        """Title every group of note texts.

        Parameters
        ----------
        groups : list of list of str
            The texts of each theme's notes.
        previous : list of (str or None) or None
            Earlier titles, one per group; kept when still grounded and among the good candidates.

        Returns
        -------
        self : Titler
        """
        groups = [[str(t) for t in g][: self.max_notes] for g in groups]
        previous = list(previous) if previous is not None else [None] * len(groups)
        if len(previous) != len(groups):
            raise ValueError(f"got {len(groups)} groups but {len(previous)} previous titles")
        notes = [[note_phrases(t) for t in g] for g in groups]
        keymap = lemma_keys(k for g in notes for n in g for p in n for k in p.keys)
        note_keys = [[_content_keys(n, keymap) for n in g] for g in notes]
        word_scores = _word_scores(note_keys)
        tables = [_phrase_table(g, keymap) for g in notes]
        ranked = [self._rank(t, w, k) for t, w, k in zip(tables, word_scores, note_keys)]
        self.candidates_ = [[c.title for c in r] for r in ranked]
        self.titles_ = self._choose(ranked, previous, note_keys, word_scores, keymap, groups)
        self._quote(note_keys, word_scores, keymap)
        return self

    # ------------------------------------------------------------------ titles
    def _rank(self, table: dict, words: dict, note_keys: list[set]) -> list[_Candidate]:
        """Well-formed candidates of one theme, best first.

        A candidate scores by the class-based TF-IDF of its content words, and by how many notes
        hold all of them (so two words that are typical together beat a typical word beside a rare
        one); a phrase written the same way in several notes gets a little more.
        """
        n_notes = max(len(note_keys), 1)
        rough = []
        for keys, (support, written, flags) in table.items():
            content = tuple(k for k, c in zip(keys, flags) if c)
            if len(set(content)) < len(content):
                continue
            mean = sum(words.get(k, (0.0, 0))[0] for k in content) / len(content)
            rough.append((mean * (1 + LENGTH_BONUS * (len(content) - 1)), support, written, keys, content))
        rough.sort(key=lambda r: -r[0])
        out = []
        for base, support, written, keys, content in rough:
            if len(out) == N_SHORTLIST:
                break
            title = _title(_best_words(written))  # only the shortlist is written out: it costs
            if not self._fits(title) or _nested(title):
                continue
            together = sum(1 for n in note_keys if n.issuperset(content))
            bonus = 1.0 + REPEATED * (support >= 2)
            out.append(_Candidate(base * math.sqrt(together / n_notes) * bonus, title, keys))
        out.sort(key=lambda c: (-c.score, len(c.title), c.title))
        return out[:N_CANDIDATES] or self._fallback(table, words)

    def _fits(self, title: str) -> bool:
        """Two to ``max_words`` words and at most ``max_chars`` characters."""
        return 2 <= len(title.split()) <= self.max_words and len(title) <= self.max_chars

    def _fallback(self, table: dict, words: dict) -> list[_Candidate]:
        """No phrase of two words: join the two best single words with "och"."""
        singles = sorted(((support, words.get(keys[0], (0.0, 0))[0], _best_words(w)[0], keys)
                          for keys, (support, w, _) in table.items() if len(keys) == 1), reverse=True)
        singles = [s[1:] for s in singles]
        if len(singles) >= 2:
            (s1, w1, k1), (s2, w2, k2) = singles[:2]
            return [_Candidate((s1 + s2) / 2, _title((w1, "och", w2)), k1 + ("och",) + k2)]
        if singles:
            return [_Candidate(singles[0][0], _title((singles[0][1],)), singles[0][2])]
        return [_Candidate(0.0, "Övrigt", ())]

    def _choose(self, ranked, previous, note_keys, word_scores, keymap, groups) -> list[str]:
        """Distinct titles: kept earlier titles first, then the largest themes choose first."""
        titles: list[str | None] = [None] * len(ranked)
        taken: set[str] = set()
        for g, old in enumerate(previous):
            if old and old.lower() not in taken and self._still_good(old, ranked[g], note_keys[g],
                                                                     word_scores[g], keymap):
                titles[g] = old
                taken.add(old.lower())
        for g in sorted(range(len(ranked)), key=lambda g: -len(groups[g])):
            if titles[g] is None:
                titles[g] = _first_free(ranked[g], taken)
                taken.add(titles[g].lower())
        return titles

    def _still_good(self, old: str, ranked: list[_Candidate], keys: list[set], words: dict, keymap) -> bool:
        """A previous title is kept while it is grounded and scores near the best candidate."""
        present = set().union(*keys) if keys else set()
        wanted = {_map(t.key, keymap) for chunk in note_chunks(old) for t in chunk if t.content}
        if not wanted or not wanted <= present:
            return False
        best = ranked[0].score if ranked else 0.0
        for cand in ranked:
            if cand.title.lower() == old.lower():
                return cand.score >= self.keep_ratio * best
        return sum(words.get(k, (0.0, 0))[0] for k in wanted) / len(wanted) >= self.keep_ratio * best

    # ------------------------------------------------------------------ quotes
    def _quote(self, note_keys, word_scores, keymap) -> None:
        """The most typical note of each theme, then further ones that say something else."""
        self.quotes_, self.representatives_ = [], []
        for g, keys in enumerate(note_keys):
            title_keys = {_map(t.key, keymap) for c in note_chunks(self.titles_[g]) for t in c if t.content}
            order = sorted(range(len(keys)), key=lambda i: -_typicality(keys[i], word_scores[g], title_keys))
            chosen: list[int] = []
            for i in order:
                if all(_overlap(keys[i], keys[j]) < 0.7 for j in chosen):
                    chosen.append(i)
                if len(chosen) > self.n_representatives:
                    break
            self.quotes_.append(chosen[0] if chosen else -1)
            self.representatives_.append(chosen[1:])


def theme_titles(groups, previous=None, **params) -> list[str]:
    """Distinct short titles for themes given the texts of their notes.

    Parameters
    ----------
    groups : list of list of str
        The texts of each theme's notes.
    previous : list of (str or None) or None
        Earlier titles, one per group, kept while still grounded and among the good candidates.
    **params
        Parameters of :class:`Titler`.

    Returns
    -------
    list of str
        One title per group.
    """
    return Titler(**params).fit(groups, previous=previous).titles_


def _map(key: str, keymap: dict) -> str:
    """The collection-wide key of a stem."""
    return keymap.get(key, key)


def _content_keys(phrases: tuple[Phrase, ...], keymap: dict) -> set[str]:
    """Keys of the content words of one note."""
    return {_map(p.keys[0], keymap) for p in phrases if p.n_content == 1 and len(p.keys) == 1}


def _word_scores(note_keys: list[list[set]]) -> list[dict]:
    """Class-based TF-IDF of every word key in every theme, with the number of its notes there."""
    df = Counter(k for g in note_keys for n in g for k in n)
    n_all = max(sum(len(g) for g in note_keys), 1)
    out = []
    for g in note_keys:
        tf = Counter(k for n in g for k in n)
        size = max(len(g), 1)
        out.append({k: ((c / size) * math.log(1 + n_all / df[k]), c) for k, c in tf.items()})
    return out


def _phrase_table(notes: list[tuple[Phrase, ...]], keymap: dict) -> dict:
    """Phrase keys -> (notes that hold it, Counter of its written forms, content flags)."""
    table: dict = {}
    for phrases in notes:
        for p in phrases:
            keys = tuple(map(keymap.get, p.keys, p.keys))
            entry = table.get(keys)
            if entry is None:
                entry = table[keys] = [0, Counter(), p.content]
            entry[0] += 1
            entry[1][p.words] += 1
    return table


def _best_words(written: Counter) -> tuple:
    """The most frequent written form (shortest on ties)."""
    return min(written.items(), key=lambda kv: (-kv[1], len(" ".join(kv[0]))))[0]


def _nested(title: str) -> bool:
    """True when one word of a title is part of another ("telefonsamtal och samtal")."""
    words = [w.lower() for w in title.split() if len(w) > 3]
    return any(a != b and a in b for a in words for b in words)


def _title(words) -> str:
    """Words as a title: first letter capital, the rest as written."""
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _first_free(ranked: list[_Candidate], taken: set[str]) -> str:
    """The best candidate not taken by another theme, else the best one made distinct."""
    for cand in ranked:
        if cand.title.lower() not in taken:
            return cand.title
    best = ranked[0].title
    for extra in ranked[1:]:
        word = extra.title.split()[-1]
        title = f"{best} och {word}"
        if title.lower() not in taken and word.lower() not in best.lower():
            return title
    n = 2
    while f"{best} {n}".lower() in taken:
        n += 1
    return f"{best} {n}"


def _typicality(keys: set, words: dict, title_keys: set) -> float:
    """How well one note represents its theme: typical words, the title's words, a fair length."""
    if not keys:
        return 0.0
    score = sum(words.get(k, (0.0, 0))[0] for k in keys) / math.sqrt(len(keys))
    score *= 1 + 0.5 * len(keys & title_keys) / max(len(title_keys), 1)
    return score * (0.7 if len(keys) < 3 else 1.0) * (0.8 if len(keys) > 20 else 1.0)


def _overlap(a: set, b: set) -> float:
    """Jaccard overlap of two notes' word keys."""
    return len(a & b) / len(a | b) if a or b else 1.0

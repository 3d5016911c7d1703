"""Readable theme titles and quotes: extractive, grounded in each theme's own notes, distinct.

A title is the best candidate phrase of a theme (see :mod:`nlp.phrases`), scored by class-based
TF-IDF: its words are frequent in this theme's notes and rare in the others'. Phrases written the
same way in several notes are preferred, so the title reads as people wrote it.
"""
from __future__ import annotations

import math
from itertools import islice
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from nlp.arrays import distinct
from nlp.language.phrases import (
    HOLD_BACK,
    Phrase,
    lemma_keys,
    note_chunks,
    note_phrases,
    phrase_spans,
    reads_back,
    row_ids,
)
from nlp.themes.written import nested_rows, places, write_rows

__all__ = ["Titler", "theme_titles"]

LENGTH_BONUS = 0.25  # a second and third content word make a heading, not a keyword
REPEATED = 0.2  # bonus of a phrase written alike in two notes or more
N_SHORTLIST = 40
N_CANDIDATES = 12
DENSE_NOTES = 32  # themes read from at most this many notes are scored with dense arrays


class _Candidate(NamedTuple):
    """A title candidate of one theme."""

    score: float
    title: str
    phrase: int = -1  # its place in _Found.order, -1 when it is made of single words


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
        groups = [[str(t) for t in islice(g, self.max_notes)] for g in groups]  # only the notes read
        previous = list(previous) if previous is not None else [None] * len(groups)
        if len(previous) != len(groups):
            raise ValueError(f"got {len(groups)} groups but {len(previous)} previous titles")
        found = _Found(groups)
        ranked = self._rank(found)
        self.candidates_ = [[c.title for c in r] for r in ranked]
        self.titles_ = self._choose(ranked, previous, found, groups)
        self._quote(found, ranked)
        return self

    # ------------------------------------------------------------------ titles
    def _rank(self, found: _Found) -> list[list[_Candidate]]:
        """Well-formed candidates of every theme, best first.

        A candidate scores by the class-based TF-IDF of its content words, and by how many notes
        hold all of them (so two words that are typical together beat a typical word beside a rare
        one); a phrase written the same way in several notes gets a little more. The first
        ``N_SHORTLIST`` well-formed phrases of a theme by rough score are scored, all themes at once.
        """
        titles = found.titles
        fits = ((found.n_words >= 2) & (found.n_words <= self.max_words) & (found.n_chars <= self.max_chars)
                & ~found.nested)  # no word of the title part of another ("telefonsamtal och samtal")
        place = np.flatnonzero(fits)  # places in found.order, which runs theme by theme
        theme = found.order_theme[place]
        place = place[np.arange(len(place)) - np.searchsorted(theme, theme) < N_SHORTLIST]
        theme, phrase = found.order_theme[place], found.order[place]
        bonus = np.where(found.support[phrase] >= 2, 1.0 + REPEATED, 1.0)
        score = found.base[phrase] * np.sqrt(found.together[phrase] / np.maximum(found.sizes[theme], 1)) * bonus
        order = _ties_by_title(np.lexsort((found.n_chars[place], -score, theme)), theme, score, found.n_chars[place],
                               [titles[p] for p in place.tolist()])  # best score, then shortest, then A-Z
        theme, score, place = theme[order], score[order], place[order]
        keep = np.arange(len(theme)) - np.searchsorted(theme, theme) < N_CANDIDATES
        theme, place = theme[keep], place[keep].tolist()
        candidates = list(map(_Candidate._make, zip(score[keep].tolist(), map(titles.__getitem__, place), place)))
        bounds = np.searchsorted(theme, np.arange(len(found.sizes) + 1)).tolist()
        ranked = [candidates[a:b] or self._fallback(found.table(g), found.words(g))
                  for g, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]
        return ranked

    def _fallback(self, table: dict, words: dict) -> list[_Candidate]:
        """No phrase of two words: join the two best single words with "och"."""
        singles = sorted(((support, words.get(keys[0], (0.0, 0))[0], _best_words(w)[0])
                          for keys, (support, w, _) in table.items() if len(keys) == 1), reverse=True)
        singles = [s[1:] for s in singles]
        if len(singles) >= 2:
            (s1, w1), (s2, w2) = singles[:2]
            return [_Candidate((s1 + s2) / 2, _title((w1, "och", w2)))]
        if singles:
            return [_Candidate(singles[0][0], _title((singles[0][1],)))]
        return [_Candidate(0.0, "Övrigt")]

    def _choose(self, ranked, previous, found: _Found, groups) -> list[str]:
        """Distinct titles: kept earlier titles first, then the largest themes choose first."""
        titles: list[str | None] = [None] * len(ranked)
        taken: set[str] = set()
        for g, old in enumerate(previous):
            if old and old.lower() not in taken and self._still_good(old, ranked[g], found, g):
                titles[g] = old
                taken.add(old.lower())
        for g in sorted(range(len(ranked)), key=lambda g: -len(groups[g])):
            if titles[g] is None:
                titles[g] = _first_free(ranked[g], taken)
                taken.add(titles[g].lower())
        return titles

    def _still_good(self, old: str, ranked: list[_Candidate], found: _Found, g: int) -> bool:
        """A previous title is kept while it is grounded and scores near the best candidate."""
        words = found.words(g)
        present = set(words)  # the keys of the theme's notes
        wanted = {_map(t.key, found.keymap) for chunk in note_chunks(old) for t in chunk if t.content}
        if not wanted or not wanted <= present:
            return False
        best = ranked[0].score if ranked else 0.0
        for cand in ranked:
            if cand.title.lower() == old.lower():
                return cand.score >= self.keep_ratio * best
            rest = cand.title.lower().removeprefix(old.lower() + " ").split()
            if rest != cand.title.lower().split() and set(rest) <= HOLD_BACK:
                return False  # the old title dropped its verb's negation or particle ("Politikerna lyssnar")
        return sum(words.get(k, (0.0, 0))[0] for k in wanted) / len(wanted) >= self.keep_ratio * best

    # ------------------------------------------------------------------ quotes
    @staticmethod
    def _title_keys(found: _Found, title: str, ranked: list[_Candidate]) -> set[str]:
        """The word keys of a title: those of the phrase it was written from, when reading the title
        again gives that phrase's words, else those of the title read as a note."""
        for cand in ranked:
            if cand.title == title and cand.phrase >= 0 and found.reads_back(cand.phrase):
                return found.content_names(cand.phrase)
        return {_map(t.key, found.keymap) for c in note_chunks(title) for t in c if t.content}

    def _quote(self, found: _Found, ranked: list[list[_Candidate]]) -> None:
        """The most typical note of each theme, then further ones that say something else."""
        self.quotes_, self.representatives_ = [], []
        title_keys = [self._title_keys(found, title, ranked) for title, ranked in zip(self.titles_, ranked)]
        for g, order in enumerate(found.typical_order(title_keys)):
            chosen: list[int] = []
            kept: list[set] = []
            for i in order:
                keys = found.note_keys(g, i)
                if _apart(keys, kept):
                    chosen.append(i)
                    kept.append(keys)
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


class _Found:
    """The candidate phrases of every theme's notes, found in one pass over all the notes, with
    the class-based TF-IDF of every word and the rough score of every phrase of every theme as arrays.

    Word keys are numbered (``names`` gives them back); a phrase of a theme is a row of the arrays
    ``base`` (its rough score: mean score of its content words, more for more of them), ``support``
    (notes that hold it) and ``together`` (notes that hold all its content words). ``order`` lists
    the phrases that may make a title theme by theme, best rough score first, and ``titles`` how
    each of them would read.
    """

    def __init__(self, groups: list[list[str]]):
        self.groups = groups
        self.sizes = np.array([len(g) for g in groups], dtype=np.int64)
        self.first_note = np.concatenate([[0], np.cumsum(self.sizes)]).tolist()
        self.starts = np.asarray(self.first_note[:-1], dtype=np.int64)  # each theme's first note
        self.spans = phrase_spans([t for g in groups for t in g])
        self.theme_of_note = np.repeat(np.arange(len(groups)), self.sizes)
        self._lemmas()
        self._words()
        self._phrases()

    def _lemmas(self) -> None:
        """Join the inflections of the keys found (see :func:`lemma_keys`) and number the joined keys."""
        keys = self.spans.keys
        seen = np.zeros(len(self.spans.key_names) + 1, dtype=bool)  # key ids are small: mark, not sort
        seen[keys] = True  # -1 (no word) marks the last place, which no key has
        seen[self.spans.heads[1]] = True
        used = np.flatnonzero(seen[:-1])
        names = list(map(self.spans.key_names.__getitem__, used.tolist()))
        self.keymap = lemma_keys(names)
        self.index: dict[str, int] = {}
        joined = np.full(len(seen), -1, dtype=np.int64)  # key id -> joined key (-1 stays -1)
        joined[used] = [self.index.setdefault(self.keymap[n], len(self.index)) for n in names]
        self.names = list(self.index)
        self._joined = joined.__getitem__
        self.keys_ = joined[keys]

    def _words(self) -> None:
        """Which word keys each note holds, and their class-based TF-IDF in each theme (dense)."""
        n_keys, n_notes = max(len(self.names), 1), len(self.theme_of_note)
        note, key = self.spans.heads
        pairs = distinct(note * n_keys + (self._joined(key) if len(key) else key))
        self._note, self._key = pairs // n_keys, pairs % n_keys
        self._bounds = np.searchsorted(self._note, np.arange(n_notes + 1)).tolist()  # keys of a note: a run
        self._keys = self._key.tolist()
        n_all = max(n_notes, 1)
        df = np.bincount(self._key, minlength=n_keys)
        counts, which = np.unique(df, return_inverse=True)
        log_df = np.array([math.log(1 + n_all / d) if d else 0.0 for d in counts.tolist()])[which.reshape(-1)]
        cells, tf = np.unique(self.theme_of_note[self._note] * n_keys + self._key, return_counts=True)
        theme, key = cells // n_keys, cells % n_keys
        self.scores = np.zeros((len(self.groups), n_keys))
        self.scores[theme, key] = (tf / np.maximum(self.sizes[theme], 1)) * log_df[key]
        self._cells = (theme, key, tf)

    def _phrases(self) -> None:
        """Every phrase of every theme (joined keys), its notes and rough score, best first per theme."""
        keys, content = self.keys_, self.spans.content
        theme = self.theme_of_note[self.spans.note]
        phrase = row_ids(keys, max(len(self.names), 1))
        code = theme * (int(phrase.max(initial=0)) + 1) + phrase
        _, first, inverse, support = np.unique(code, return_index=True, return_inverse=True, return_counts=True)
        self._first, self.support = first, support
        rows, flags, theme = keys[first], content[first], theme[first]
        n = flags.sum(axis=1)
        filled = np.sort(np.where(flags, rows, -1 - np.arange(rows.shape[1])), axis=1)
        distinct = ~(filled[:, 1:] == filled[:, :-1]).any(axis=1)
        values = self.scores[theme[:, None], np.maximum(rows, 0)]
        total = np.zeros(len(rows))
        for col in range(rows.shape[1]):  # word by word, as a sum over the words would add them
            total = total + np.where(flags[:, col], values[:, col], 0.0)
        base = total / np.maximum(n, 1) * (1 + LENGTH_BONUS * (n - 1))
        self.base = base
        ok = np.flatnonzero(distinct)
        ok = ok[np.lexsort((first[ok], -base[ok], theme[ok]))]  # ties keep the order of the notes
        self.order, self.order_theme = ok, theme[ok]
        self._best_forms(inverse.reshape(-1), ok)
        self._together(ok, rows, flags, theme, n)

    def _best_forms(self, phrase: np.ndarray, ok: np.ndarray) -> None:
        """The title of every phrase of two words or more: its most frequent written form (shortest on
        ties, then the first written), first letter capital."""
        spans = np.flatnonzero(np.isin(phrase, ok))
        words, phrase = self.spans.words[spans], phrase[spans]
        place, names = places(words, self.spans.word_names)
        present = words >= 0
        size = present.sum(axis=1)
        chars = np.array([len(w) for w in names], dtype=np.int64)[place].sum(axis=1) + size - 1
        form = row_ids(place, len(names))
        _, first, count = np.unique(phrase * (int(form.max(initial=0)) + 1) + form, return_index=True,
                                    return_counts=True)
        owner = phrase[first]
        order = np.lexsort((first, chars[first], -count, owner))
        chosen = order[np.r_[True, owner[order][1:] != owner[order][:-1]]] if len(order) else order
        best = first[chosen][np.searchsorted(owner[chosen], ok)]
        self.titles = write_rows(place[best], size[best], names)
        self._title_rows = words[best]
        self.n_chars, self.n_words = chars[best], size[best]
        self.nested = nested_rows(place[best], present[best], names)

    def _together(self, ok: np.ndarray, rows: np.ndarray, flags: np.ndarray, theme: np.ndarray,
                  n: np.ndarray) -> None:
        """For every phrase of two words or more, the notes of its theme that hold all its content words."""
        n_keys, n_notes = max(len(self.names), 1), len(self.theme_of_note)
        width = int(self.sizes.max(initial=0))
        together = np.zeros(len(self.base), dtype=np.int64)
        if width <= DENSE_NOTES:  # the usual case (8 notes a theme): look every word up in every note
            holds = np.zeros((n_notes + 1, n_keys + 1), dtype=bool)
            holds[self._note, self._key] = True
            holds[:, n_keys] = True  # no word: held by every note
            column = np.arange(width)
            read = column < self.sizes[theme[ok]][:, None]
            notes = np.where(read, self.starts[theme[ok]][:, None] + column, n_notes)
            words = np.where(flags[ok], rows[ok], n_keys)
            together[ok] = (holds[notes[:, :, None], words[:, None, :]].all(axis=2) & read).sum(axis=1)
            self.together = together
            return
        has, width = flags[ok], len(self.groups) * n_keys  # else sparse: a column per word of a theme
        phrase_cols = (theme[ok][:, None] * n_keys + rows[ok])[has]
        wanted = sparse.csr_matrix((np.ones(len(phrase_cols)), (np.repeat(np.arange(len(ok)), has.sum(axis=1)),
                                                                phrase_cols)), shape=(len(ok), width))
        held = sparse.csr_matrix((np.ones(len(self._note)), (self.theme_of_note[self._note] * n_keys + self._key,
                                                             self._note)), shape=(width, n_notes))
        found = (wanted @ held).tocoo()
        complete = found.data == n[ok][found.row]
        together[ok] = np.bincount(found.row[complete], minlength=len(ok))
        self.together = together

    def reads_back(self, place: int) -> bool:
        """Whether each word of the title at ``place`` in ``order``, read alone, is that word again."""
        names = self.spans.word_names
        return all(reads_back(names[w]) for w in self._title_rows[place].tolist() if w >= 0)

    def content_names(self, place: int) -> set[str]:
        """The joined keys of the content words of the phrase at ``place`` in ``order``."""
        phrase = self._first[self.order[place]]
        return {self.names[k] for k in self.keys_[phrase][self.spans.content[phrase]].tolist()}

    def note_keys(self, g: int, i: int) -> set[int]:
        """The word keys of the ``i``-th note of theme ``g``."""
        note = self.first_note[g] + i
        return set(self._keys[self._bounds[note]: self._bounds[note + 1]])

    def words(self, g: int) -> dict[str, tuple[float, int]]:
        """Word key -> (class-based TF-IDF, notes) of theme ``g``."""
        theme, key, tf = self._cells
        a, b = np.searchsorted(theme, [g, g + 1]).tolist()
        return {self.names[k]: (float(self.scores[g, k]), c) for k, c in zip(key[a:b].tolist(), tf[a:b].tolist())}

    def table(self, g: int) -> dict:
        """The phrase table of theme ``g`` as :func:`_phrase_table` makes it (for the rare fallback)."""
        return _phrase_table([note_phrases(t) for t in self.groups[g]], self.keymap)

    def typical_order(self, title_keys: list[set[str]]) -> list[list[int]]:
        """The notes of each theme, most typical first: typical words, the title's words, a fair length.

        A note scores the sum of its words' scores over the square root of their number, up to half
        more for holding the title's words; a note of one or two words, or of more than 20, less.
        """
        n_notes = len(self.theme_of_note)
        theme = self.theme_of_note[self._note]
        in_title = np.zeros_like(self.scores, dtype=bool)
        index = self.index
        cells = [(g, index[k]) for g, keys in enumerate(title_keys) for k in keys if k in index]
        if cells:
            in_title[tuple(np.array(cells, dtype=np.int64).T)] = True
        total = np.bincount(self._note, self.scores[theme, self._key], minlength=n_notes)
        shared = np.bincount(self._note, in_title[theme, self._key], minlength=n_notes)
        size = np.bincount(self._note, minlength=n_notes)
        n_title = np.maximum(np.array([len(k) for k in title_keys], dtype=np.int64), 1)[self.theme_of_note]
        score = total / np.sqrt(np.maximum(size, 1)) * (1 + 0.5 * shared / n_title)
        score = np.where(size > 0, score * np.where(size < 3, 0.7, 1.0) * np.where(size > 20, 0.8, 1.0), 0.0)
        order = np.lexsort((np.arange(n_notes), -score, self.theme_of_note))
        local = (order - self.starts[self.theme_of_note[order]]).tolist()
        return [local[a:b] for a, b in zip(self.first_note[:-1], self.first_note[1:])]


def _ties_by_title(order: np.ndarray, *keys) -> np.ndarray:
    """``order`` with each run of equal keys (all but the last, the titles) put in order of title."""
    *keys, titles = keys
    if len(order) < 2:
        return order
    tied = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        tied &= key[order][1:] == key[order][:-1]
    if not tied.any():
        return order
    order, starts = order.copy(), np.flatnonzero(np.diff(np.concatenate([[0], tied.astype(np.int8), [0]])) == 1)
    for a in starts.tolist():
        b = a + 1
        while b < len(tied) and tied[b]:
            b += 1
        order[a: b + 1] = sorted(order[a: b + 1].tolist(), key=titles.__getitem__)
    return order


def _map(key: str, keymap: dict) -> str:
    """The collection-wide key of a stem."""
    return keymap.get(key, key)


def _phrase_table(notes: list[tuple[Phrase, ...]], keymap: dict) -> dict:
    """Phrase keys -> [notes that hold it, {written form: count}, content flags]."""
    table: dict = {}
    get = table.get
    for phrases in notes:
        for keys, words, content in phrases:
            keys = tuple(map(keymap.get, keys, keys))
            entry = get(keys)
            if entry is None:
                table[keys] = [1, {words: 1}, content]
            else:
                entry[0] += 1
                written = entry[1]
                written[words] = written.get(words, 0) + 1
    return table


def _best_words(written: dict) -> tuple:
    """The most frequent written form (shortest on ties)."""
    return min(written.items(), key=lambda kv: (-kv[1], len(" ".join(kv[0]))))[0]


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


def _apart(keys: set, kept: list[set]) -> bool:
    """True when a note's word keys overlap none of the kept notes' by 0.7 or more (Jaccard overlap)."""
    n = len(keys)
    for other in kept:
        shared = len(keys & other)
        if (shared / (n + len(other) - shared) if n or other else 1.0) >= 0.7:
            return False
    return True

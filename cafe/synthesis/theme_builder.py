"""The CPU side of the live synthesis: cluster new notes and describe themes (no Flask, no database).

Everything here runs off the socket path (in a worker thread under gevent) on plain data handed over
by `cafe.synthesis.passes`, so it never touches the session or emits anything.
"""
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from nlp import DriftMonitor, ThemeClusterer, Titler
from nlp.language.text import analyze
from nlp.themes.keywords import SurfaceIndex, theme_keywords

OTHER = 0  # "annat": a note confirmed as fitting none of the points
N_KEYWORDS = 5
N_QUOTES = 3
QUOTE_CHARS = 600  # a quote is kept whole up to this, else cut at a word with an ellipsis
TITLE_NOTES = 8  # notes a title is read from, most typical first (see nlp.Titler's max_notes)
GROWTH = 0.1  # a theme that only grew by less than this share keeps its description, with the new size,
STALE = 10.0  # for at most this many seconds


class NoteRow(NamedTuple):
    """What the synthesis needs of one note (a named tuple: a pass makes one per note, often)."""

    id: int
    text: str
    table_id: int
    confirmed_point: int | None = None
    suggested_point: int | None = None
    starred: bool = False
    marked: bool = False


class Score(NamedTuple):
    """The mapper's view of one note's text: per-point scores, novel or not, best point and its score."""

    text: str
    row: np.ndarray
    novel: bool
    point: int  # OTHER when novel
    value: float


@dataclass
class ThemeView:
    """A theme's computed description; `label` is its title."""

    label: str
    keywords: list
    quotes: list
    point: int | None
    confidence: float
    novel: bool
    size: int


class RememberingMapper:
    """The point mapper as the clusterer sees it: it keeps the scores of the texts it mapped last, so
    that scoring the same new notes for their points does not run the mapper a second time."""

    def __init__(self, mapper):
        self.mapper = mapper
        self.last: dict[str, np.ndarray] = {}

    def __getattr__(self, name):
        return getattr(self.mapper, name)

    def predict_proba(self, texts) -> np.ndarray:
        """The mapper's probabilities, remembered per text until `take` is called."""
        texts = list(texts)
        proba = self.mapper.predict_proba(texts)
        self.last.update(zip(texts, proba))
        return proba

    def take(self) -> dict[str, np.ndarray]:
        """The probabilities remembered since the last call, forgotten here."""
        last, self.last = self.last, {}
        return last


class EventSynthesis:
    """What one process knows about one event's synthesis between passes.

    The clusterer only proposes where new notes go (its theme ids stay stable under
    ``partial_fit``); the descriptions are computed from the stored memberships, so curations
    (moves, merges, corrected points) show in keywords, quotes and points.
    """

    def __init__(self, mapper_key: str, mapper):
        self.mapper_key = mapper_key
        self.mapper = mapper
        self.clusterer = None
        self.seen: dict[int, str] = {}
        self.cluster_theme: dict[int, int] = {}
        self.views: dict[int, tuple] = {}  # theme id -> (member ids described, description, when)
        self.scores: dict[int, Score] = {}
        self.surfaces = SurfaceIndex()
        self.stems: dict[int, tuple] = {}
        self.doc_freq: Counter = Counter()  # notes per stem, over the notes in `counted`
        self.counted: dict[int, tuple] = {}  # note id -> (text, its distinct stems) counted in doc_freq
        self.described: dict[int, tuple] = {}  # note id -> what of it a description depends on
        self.titles: dict[int, str] = {}  # theme id -> title last given
        self.quotes: dict[int, list] = {}  # theme id -> its quote and representatives, with its title
        self.title_seconds = 0.0  # spent titling, for `make bench-pass`
        self.point_theme: dict[int, int] = {}  # point -> theme gathering that point's notes no cluster took
        self.points_sent: list | None = None
        self.inputs = None  # what the last pass read, kept by cafe.synthesis.passes for the next
        self.columns = {int(p): j for j, p in enumerate(mapper.points_)}
        self.drift = DriftMonitor()
        self.remembering = RememberingMapper(mapper)  # the mapper the clusterer uses
        self.refits: list[str] = []  # why each full re-clustering since the first fit ran
        self.regroup_due = False  # a full re-clustering ran whose grouping the stored themes have not taken yet

    # -------------------------------------------------------------- clustering
    def pending(self, notes: list[NoteRow]) -> int:
        """How many notes the clusterer has not seen yet."""
        return sum(1 for n in notes if n.id not in self.seen)

    def cluster(self, notes: list[NoteRow]) -> dict[int, int]:
        """Feed the notes not seen yet to the clusterer; return the cluster of every clustered note."""
        new = [n for n in notes if n.id not in self.seen]
        if new:
            texts, ids = [n.text for n in new], [n.id for n in new]
            self._feed(texts, ids)
            self.seen.update(zip(ids, texts))
        self.score(notes)
        if self.clusterer is None:
            return {}
        ids, labels = np.asarray(self.clusterer.ids_).tolist(), np.asarray(self.clusterer.labels_).tolist()
        return {i: c for i, c in zip(ids, labels) if c >= 0}

    def _feed(self, texts: list[str], ids: list[int]) -> None:
        """Fit on the first notes, then add notes with ``partial_fit`` (earlier notes stay put), and
        cluster everything again when the themes have drifted (see `nlp.DriftMonitor`)."""
        if self.clusterer is None:
            self._refit(texts, ids)
            return
        self.clusterer.partial_fit(texts, ids=ids)
        if len(self.clusterer.ids_) - self.drift.baseline_.n_notes < self.drift.min_new / 4:
            return  # too few new notes for any kind of drift: skip measuring
        if self.drift.due(self.clusterer.theme_fit()):
            self.refits.append(self.drift.reason_)
            self._refit(self.clusterer.texts_, self.clusterer.ids_)
            self.regroup_due = True  # not after the first fit: a restarted service moves no stored note

    def _refit(self, texts: list[str], ids: list[int]) -> None:
        """Cluster every note from scratch. The clusters are then matched one to one with the stored
        themes (`match_clusters`) and the notes nobody placed by hand follow their cluster
        (`placement.regroup`) after a re-clustering for drift, so theme ids, titles and curations stay
        and notes left ungrouped may now find a theme."""
        self.clusterer = ThemeClusterer(mapper=self.remembering, random_state=0).fit(list(texts),
                                                                                    ids=list(ids))
        self.drift.fit(self.clusterer.theme_fit())
        self.cluster_theme.clear()

    # ------------------------------------------------------------------ points
    def score(self, notes: list[NoteRow]) -> None:
        """Map notes whose text is new to the mapper (cached per text)."""
        scores = self.scores
        todo = [n for n in notes if n.id not in scores or scores[n.id].text != n.text]
        if not todo:
            return
        known = self.remembering.take()
        missing = list(dict.fromkeys(n.text for n in todo if n.text not in known))
        if missing:
            known.update(zip(missing, self.mapper.predict_proba(missing)))
        proba = np.vstack([known[n.text] for n in todo])
        rows, novel = self.mapper.score_points_from(proba), self.mapper.novel_mask(proba)
        best = np.argmax(rows, axis=1)
        for note, row, is_novel, column in zip(todo, rows, novel, best):
            point = OTHER if is_novel else int(self.mapper.points_[column])
            scores[note.id] = Score(note.text, row.astype(float), bool(is_novel), point,
                                    round(float(row[column]), 4))

    def mapped_point(self, note: NoteRow) -> tuple[int, float]:
        """The mapper's point for a note (0 when novel) and its score."""
        score = self.scores[note.id]
        return score.point, score.value

    def point_of(self, note: NoteRow) -> int | None:
        """The note's point: confirmed first, else mapped; None for notes outside the framework."""
        point = note.confirmed_point if note.confirmed_point is not None else self.scores[note.id].point
        return point if point in self.columns else None

    def _vector(self, note: NoteRow) -> tuple[np.ndarray, bool]:
        """Point scores of a note; a confirmed point counts as certain."""
        _, row, novel, _, _ = self.scores[note.id]
        if note.confirmed_point is None:
            return row, novel
        certain = np.zeros(len(self.columns))
        if note.confirmed_point in self.columns:
            certain[self.columns[note.confirmed_point]] = 1.0
        return certain, note.confirmed_point not in self.columns

    def point_counts(self, notes: list[NoteRow]) -> list[dict]:
        """Notes per point in framework order, then those outside the framework (`point: None`)."""
        counts = Counter(self.point_of(n) for n in notes)
        out = [{"point": int(p), "count": counts.get(int(p), 0)} for p in self.mapper.points_]
        return out + [{"point": None, "count": counts.get(None, 0)}]

    # -------------------------------------------------------------- describing
    def _note_stems(self, note: NoteRow) -> list[str]:
        """Stems of a note's words, cached per text (the surface index learns each text once)."""
        cached = self.stems.get(note.id)
        if cached is None or cached[0] != note.text:
            cached = (note.text, self.surfaces.note_stems(note.text))
            self.stems[note.id] = cached
        return cached[1]

    def count_stems(self, notes: list[NoteRow]) -> None:
        """Keep the document frequencies up to date with new, reworded and removed notes."""
        counted, doc_freq = self.counted, self.doc_freq
        for note in notes:
            known = counted.get(note.id)
            if known is None or known[0] != note.text:
                if known is not None:
                    doc_freq.subtract(known[1])
                stems = frozenset(self._note_stems(note))
                doc_freq.update(stems)
                counted[note.id] = (note.text, stems)
        if len(counted) > len(notes):
            for gone in counted.keys() - {n.id for n in notes}:
                doc_freq.subtract(counted.pop(gone)[1])
                self.stems.pop(gone, None)

    def describe_all(self, notes: list[NoteRow], members: dict[int, list[int]],
                     previous: dict[int, str] | None = None) -> dict[int, ThemeView]:
        """Describe every theme from its member notes (ids); only themes whose notes changed are redone.

        Work is in proportion to what changed since the last call, apart from a few cheap look-ups
        per note. `previous` holds the titles shown so far (a facilitator's name included): a theme
        keeps its title while it still fits its notes.
        """
        self.score(notes)
        self.count_stems(notes)
        by_id = {n.id: n for n in notes}
        changed = self._changed_notes(notes, by_id)
        views, redone = {}, False
        for theme_id, ids in members.items():
            ids = sorted(i for i in ids if i in by_id)
            cached = self.views.get(theme_id)
            if cached is None or not self._still_fits(cached, ids, changed):
                cached = (ids, self.describe([by_id[i] for i in ids], self.doc_freq, len(notes)), time.monotonic())
                self.views[theme_id] = cached
                redone = True
            view = cached[1]
            views[theme_id] = view if view.size == len(ids) else replace(view, size=len(ids))
        if redone or self.titles.keys() != {t for t in views if self.views[t][0]}:
            self._title(views, by_id, previous or {})
        return {t: replace(v, label=self.titles.get(t, v.label), quotes=self.quotes.get(t, v.quotes))
                for t, v in views.items()}

    def _changed_notes(self, notes: list[NoteRow], by_id: dict[int, NoteRow]) -> set[int]:
        """Notes whose text, point, mark or star changed since the last description, and gone ones."""
        changed = set()
        for note in notes:
            key = (note.text, note.confirmed_point, note.marked, note.starred)
            if self.described.get(note.id) != key:
                self.described[note.id] = key
                changed.add(note.id)
        if len(self.described) > len(notes):
            for gone in self.described.keys() - by_id.keys():
                del self.described[gone]
                changed.add(gone)
        return changed

    def _title(self, views: dict[int, ThemeView], by_id: dict[int, NoteRow], previous: dict[int, str]) -> None:
        """Title every theme at once (titles are distinct) and choose its quote, keeping titles that fit."""
        started = time.perf_counter()
        theme_ids = [t for t in views if self.views[t][0]]
        groups = [self._typical_first(self.views[t], by_id) for t in theme_ids]
        earlier = [previous.get(t) or self.titles.get(t) for t in theme_ids]
        titler = Titler(max_notes=TITLE_NOTES, n_representatives=N_QUOTES - 1)
        titler.fit([[n.text for n in g] for g in groups], previous=earlier)
        self.titles = dict(zip(theme_ids, titler.titles_))
        self.quotes = {}
        for t, group, quote, others in zip(theme_ids, groups, titler.quotes_, titler.representatives_):
            chosen = ([quote] if quote >= 0 else []) + list(others)
            self.quotes[t] = [clamp(group[i].text, QUOTE_CHARS) for i in chosen][:N_QUOTES]
        self.title_seconds += time.perf_counter() - started

    def _typical_first(self, cached: tuple, by_id: dict[int, NoteRow]) -> list[NoteRow]:
        """A theme's notes, those that hold its keywords first (marked and starred before all)."""
        ids, view, _ = cached
        key_stems = {s for k in view.keywords for s in analyze(k)}
        members = [by_id[i] for i in ids if i in by_id]
        return sorted(members, key=lambda n: (-(n.marked or n.starred),
                                              -len(key_stems.intersection(self._note_stems(n))), n.id))

    @staticmethod
    def _still_fits(cached: tuple, ids: list[int], changed: set[int]) -> bool:
        """Whether a theme's description still holds: same notes unchanged, or a big theme that only grew a little.

        Describing a theme costs in proportion to its size; a few more notes in a big theme do not
        change its keywords and quotes visibly, so they are shown in its size until it has grown by
        `GROWTH` or its description is `STALE`.
        """
        described, _view, at = cached
        if described == ids:
            return changed.isdisjoint(ids)
        grown = len(ids) - len(described)
        return (0 < grown <= GROWTH * len(described) and time.monotonic() - at < STALE
                and changed.isdisjoint(described) and set(described).issubset(ids))

    def describe(self, members: list[NoteRow], doc_freq: Counter, n_docs: int) -> ThemeView:
        """Keywords and dominant point of one theme (its title and quotes are chosen with the others')."""
        if not members:
            return ThemeView("", [], [], None, 0.0, False, 0)
        stems = [self._note_stems(n) for n in members]
        keywords = theme_keywords(stems, np.ones(len(members)), doc_freq, max(n_docs, 1), self.surfaces,
                                  top=N_KEYWORDS)
        point, confidence, novel = self._dominant(members)
        return ThemeView(", ".join(keywords[:3]), keywords, [], point, confidence, novel, len(members))

    def _dominant(self, members: list[NoteRow]) -> tuple[int | None, float, bool]:
        """Dominant point and its mean score, or (None, share outside the framework, True)."""
        vectors, novel = zip(*(self._vector(n) for n in members))
        share = float(np.mean(novel))
        if share > 0.5:
            return None, round(share, 4), True
        mean = np.mean(np.vstack(vectors), axis=0)
        best = int(np.argmax(mean))
        return int(self.mapper.points_[best]), round(float(mean[best]), 4), False


def match_clusters(clusters: dict[int, int], theme_of: dict[int, int]) -> dict[int, int]:
    """The stored theme each cluster of a full clustering takes over, one cluster per theme.

    `clusters` maps note ids to clusters, `theme_of` placed note ids to their themes. The pairs
    sharing the most notes are matched first, so a theme goes on in the cluster holding most of
    its notes and keeps its id (and with it its title and curations); a theme that the new
    clustering split goes on in its larger part, and the other parts become themes of their own,
    as they are in a clustering from scratch. Clusters that take no theme are left out.
    """
    overlap = Counter((cluster, theme_of[note_id]) for note_id, cluster in clusters.items() if note_id in theme_of)
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for (cluster, theme), _ in sorted(overlap.items(), key=lambda pair: (-pair[1], pair[0])):
        if cluster not in matched and theme not in taken:
            matched[cluster] = theme
            taken.add(theme)
    return matched


def clamp(text: str, limit: int) -> str:
    """The text whole when short enough, else cut at the last word that fits, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:–-") + "…"

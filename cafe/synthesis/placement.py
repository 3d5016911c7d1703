"""Where a synthesis pass puts notes: new notes into the theme their cluster feeds, notes no cluster
took into a theme per point, and after a full re-clustering the notes nobody placed by hand into
their new cluster's theme. Decides and creates themes; `cafe.synthesis.passes` writes the memberships.
"""
from collections import Counter, defaultdict
from typing import NamedTuple

from sqlalchemy import select

from ..extensions import db
from ..models import Theme
from .theme_builder import EventSynthesis, NoteRow, match_clusters

POINT_ORIGIN = "point"  # a theme gathering notes on one point that no cluster took
GATHER_UP_TO = 300  # notes in a café up to which notes no cluster took are gathered by point
THEMES_AT_ONCE = 25  # new themes created per transaction
Placed = list[list[int]]  # [note id, theme id] pairs


class ThemeRow(NamedTuple):
    """What a pass needs of a stored theme, read with Core: plain data that a commit does not expire."""

    id: int
    label: str
    label_custom: bool
    keywords: list
    quotes: list
    point: int | None
    confidence: float
    novel: bool
    size: int
    merged_into_id: int | None
    hidden: bool
    promoted_point: int | None
    origin: str
    version: int

    @property
    def visible(self) -> bool:
        """Shown in lists: neither merged into another theme nor hidden (as `Theme.visible`)."""
        return self.merged_into_id is None and not self.hidden

    @property
    def curated(self) -> bool:
        """Touched by a facilitator: named, merged, split off, hidden or promoted (any curation bumps
        `version`, which synthesis updates never do)."""
        return (self.version > 1 or self.label_custom or not self.visible or self.origin == "split"
                or self.promoted_point is not None)


THEME_COLUMNS = [getattr(Theme, name) for name in ThemeRow._fields]


def event_themes(event_id: int) -> dict[int, ThemeRow]:
    """All themes of the event by id, read fresh from the database.

    As plain rows: ORM objects would be expired by the pass's commits and each read again, one
    query per theme per pass.
    """
    rows = db.session.connection().execute(select(*THEME_COLUMNS).where(Theme.event_id == event_id))
    return {row[0]: ThemeRow(*row) for row in rows}


def resolve(themes: dict[int, ThemeRow], theme_id: int | None) -> int | None:
    """Follow merges to the theme that now holds the notes; None for a hidden theme."""
    seen = set()
    while theme_id is not None and theme_id in themes and theme_id not in seen:
        seen.add(theme_id)
        theme = themes[theme_id]
        if theme.merged_into_id is None:
            return None if theme.hidden else theme_id
        theme_id = theme.merged_into_id
    return None


def regroup(event_id: int, state: EventSynthesis, notes: list[NoteRow], clusters: dict[int, int],
            current: dict[int, tuple[int, bool]], themes: dict[int, ThemeRow]) -> Placed:
    """After a full clustering, the notes nobody placed by hand that move to the theme of their new cluster.

    Clusters are matched one to one with the stored themes (`theme_builder.match_clusters`), so a
    theme keeps its id in the cluster holding most of its notes. A note stays put when a
    facilitator moved it, marked it for the plenary or curated its theme, and when the new
    clustering leaves it ungrouped. Without this, a note would keep the theme it was first put
    in for good, and themes that a café's growth splits apart would stay lumped together.
    """
    placed_in = {n: resolve(themes, t) for n, (t, _) in current.items() if n in clusters}
    state.cluster_theme.update(match_clusters(clusters, {n: t for n, t in placed_in.items() if t is not None}))
    marked = {n.id for n in notes if n.marked}
    moved, waiting = [], defaultdict(list)
    for note_id, (theme_id, pinned) in current.items():
        if note_id not in clusters or pinned or note_id in marked or themes[theme_id].curated:
            continue
        target = state.cluster_theme.get(clusters[note_id])
        if target is None:
            waiting[clusters[note_id]].append(note_id)
        elif target != theme_id:
            moved.append([note_id, target])
    for cluster, theme_id in zip(waiting, new_themes(event_id, len(waiting), themes)):
        state.cluster_theme[cluster] = theme_id
        moved += [[note_id, theme_id] for note_id in waiting[cluster]]
    for note_id, theme_id in moved:
        current[note_id] = (theme_id, False)
    return moved


def place_new_notes(event_id: int, state: EventSynthesis, notes: list[NoteRow], clusters: dict[int, int],
                    current: dict[int, tuple[int, bool]], themes: dict[int, ThemeRow]) -> Placed:
    """Put clustered notes that are in no theme into the theme of their cluster (made if needed), and
    in a small café notes no cluster took into a theme per point."""
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for note_id, cluster in clusters.items():
        by_cluster[cluster].append(note_id)
    placed, waiting = [], defaultdict(list)
    decided: dict[int, int | None] = {}  # a cluster's theme, found once: the vote reads all its notes
    for note in notes:
        cluster = clusters.get(note.id)
        if note.id in current or cluster is None:
            continue
        if cluster not in decided:
            decided[cluster] = theme_of_cluster(state, cluster, by_cluster[cluster], current, themes)
        theme_id = decided[cluster]
        if theme_id is None:  # a new group: its theme is made below, with the others, in one go
            waiting[cluster].append(note.id)
            continue
        current[note.id] = (theme_id, False)
        placed.append([note.id, theme_id])
    for cluster, theme_id in zip(waiting, new_themes(event_id, len(waiting), themes)):
        state.cluster_theme[cluster] = theme_id
        for note_id in waiting[cluster]:
            current[note_id] = (theme_id, False)
            placed.append([note_id, theme_id])
    return placed + gather_by_point(event_id, state, notes, clusters, current, themes)


def gather_by_point(event_id, state, notes, clusters, current, themes) -> Placed:
    """Put notes no cluster took into a theme per point once two of them share one.

    The clusterer asks for notes alike in their words; in a small café few are, yet notes on
    the same point of the plan are a topic that recurs. Notes outside the framework wait for a
    cluster. In a big café the clusters find the recurring topics and a catch-all per point would
    outgrow them, so this stops once the café has `GATHER_UP_TO` notes.
    """
    if len(notes) > GATHER_UP_TO:
        return []
    leftover: dict[int, list[int]] = defaultdict(list)
    for note in notes:
        if note.id not in current and note.id not in clusters:
            point = state.point_of(note)
            if point is not None:
                leftover[point].append(note.id)
    found = {p: theme_of_point(state, p, themes) for p in leftover}
    new = [p for p, theme_id in found.items() if theme_id is None and len(leftover[p]) >= 2]
    for point, theme_id in zip(new, new_themes(event_id, len(new), themes, origin=POINT_ORIGIN)):
        found[point] = state.point_theme[point] = theme_id
    placed = []
    for point, note_ids in leftover.items():
        if found[point] is not None:
            for note_id in note_ids:
                current[note_id] = (found[point], False)
                placed.append([note_id, found[point]])
    return placed


def theme_of_point(state, point: int, themes: dict[int, ThemeRow]) -> int | None:
    """The visible theme gathering a point's notes: remembered, else found among the stored ones."""
    theme_id = resolve(themes, state.point_theme.get(point))
    if theme_id is None:
        theme_id = next((t.id for t in themes.values() if t.origin == POINT_ORIGIN and t.visible
                         and (t.promoted_point or t.point) == point), None)
    if theme_id is not None:
        state.point_theme[point] = theme_id
    return theme_id


def theme_of_cluster(state, cluster, cluster_notes, current, themes) -> int | None:
    """The theme a cluster feeds: remembered, else where most of its notes are; None for a new one."""
    theme_id = resolve(themes, state.cluster_theme.get(cluster))
    if theme_id is None:
        votes = Counter(resolve(themes, current[n][0]) for n in cluster_notes
                        if n in current and not current[n][1])
        votes.pop(None, None)
        if not votes:
            return None
        theme_id = votes.most_common(1)[0][0]
    state.cluster_theme[cluster] = theme_id
    return theme_id


def new_themes(event_id: int, count: int, themes: dict[int, ThemeRow], origin: str = "synthesis") -> list[int]:
    """Create `count` empty themes that the pass will describe, a few per short transaction (a first
    pass over a big café makes a hundred or more, and a server process may be waiting to write)."""
    ids: list[int] = []
    for start in range(0, count, THEMES_AT_ONCE):
        made = [Theme(event_id=event_id, keywords=[], quotes=[], origin=origin)
                for _ in range(min(THEMES_AT_ONCE, count - start))]
        db.session.add_all(made)
        db.session.flush()
        ids += [theme.id for theme in made]
        db.session.commit()
    themes.update((i, ThemeRow(i, "", False, [], [], None, 0.0, False, 0, None, False, None, origin, 1))
                  for i in ids)
    return ids

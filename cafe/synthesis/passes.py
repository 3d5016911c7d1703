"""Live synthesis: themes and point mapping from `nlp`, updated incrementally as notes arrive.

A pass loads the event's notes, lets the process's `EventSynthesis` cluster the new ones (theme ids
stay stable), stores new memberships and the recomputed descriptions, and records one
`synthesis:updated` change holding only what changed. The synthesis service
(`cafe.runtime.synthesis_service`, a process of its own) runs passes; tests call `run_pass` directly.

While a café runs, almost every change is a new note. A pass then reads only the notes added since
the last one (found through the change log) and keeps the rest from memory, so its cost follows the
news, not the size of the café. Any other change (an edit, a deletion, a curation), and at least
every `FULL_RELOAD` seconds, makes the pass read every note and membership again.
"""
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, insert, select, update

from ..extensions import db
from ..models import Change, Event, Note, PlenaryNote, SynthesisMark, Theme, ThemeMembership, utcnow
from ..points import learning, suggestions
from ..realtime import changes, protocol
from .placement import Placed, ThemeRow, event_themes, place_new_notes, regroup
from .theme_builder import EventSynthesis, NoteRow, ThemeView

UPDATED = protocol.SYNTHESIS_UPDATED
BATCH_ROWS = 250  # rows written per transaction by a pass
THEME_BATCH = 25  # theme descriptions per transaction
BATCH_REST = 0.003  # seconds between two of a pass's transactions at least, for the server processes' writes
DESCRIBED = ("keywords", "quotes", "point", "confidence", "novel", "size")
FULL_RELOAD = 30.0  # seconds: a pass reads every note again at least this often
MOST_ADDED = 2000  # more new notes than this (an import) are read with all the others
# Changes after which the notes kept in memory are still right once the new notes are added.
ADDITIVE = frozenset({protocol.NOTE_ADDED, UPDATED, protocol.ROUND_UPDATED, protocol.MESSAGE_BROADCAST,
                      protocol.PROJECTOR_STATE})


@dataclass
class PassResult:
    """What a pass did: the change to broadcast (None when nothing changed) and the state to show."""

    change: Change | None
    state: dict
    by_table: dict[int, list[list[int]]] = field(default_factory=dict)  # new suggested points per table


def _direct(fn, *args):
    """Run CPU work in the caller (tests, threading mode)."""
    return fn(*args)


def states() -> dict[int, EventSynthesis]:
    """This app's in-memory synthesis per event (one app per test, so nothing leaks between them)."""
    return current_app.extensions.setdefault("synthesis_states", {})


def status(event_id: int, notes_total: int | None = None) -> dict:
    """The synthesis state shown on consoles: up to date or updating, and notes not yet included.

    Read from the event's `SynthesisMark`, which the synthesis service writes after each pass, so
    every server process answers the same.
    """
    included = db.session.scalar(select(SynthesisMark.included).where(SynthesisMark.event_id == event_id)) or 0
    total = live_note_count(event_id) if notes_total is None else notes_total
    pending = max(total - included, 0)
    return {"state": "up_to_date" if pending == 0 else "updating", "pending": pending, "included": included}


def live_note_count(event_id: int) -> int:
    """Notes of the event that are not deleted."""
    return db.session.scalar(select(db.func.count(Note.id)).where(
        Note.event_id == event_id, Note.deleted_at.is_(None))) or 0


# ------------------------------------------------------------------ the mapper in use
def _mapper_plan(event: Event) -> tuple[str, dict, list, list, object]:
    """Key, framework spec, confirmed labels and file of the mapper this event should use."""
    spec = suggestions.framework_spec(event.framework)
    texts, labels = learning.confirmed_labels(event.framework)
    key = learning.mapper_key(spec, texts, labels)
    return key, spec, texts, labels, learning.mapper_path(key)


def synthesis_for(event: Event, offload=_direct, fit_later=None) -> EventSynthesis:
    """The event's synthesis with the newest mapper; a refit runs later when one is already in use."""
    key, spec, texts, labels, path = _mapper_plan(event)
    state = states().get(event.id)
    if state is not None and state.mapper_key == key:
        return state
    mapper = learning.cached(key, path)
    if mapper is None and state is not None and fit_later is not None:
        fit_later(event.id, key, spec, texts, labels, path)
        return state
    if mapper is None:
        mapper = offload(learning.fit, key, spec, texts, labels, path)
    states()[event.id] = EventSynthesis(key, mapper)
    return states()[event.id]


# ------------------------------------------------------------------------ loading
@dataclass
class Inputs:
    """What a pass read, kept for the next one: notes by id, memberships, and how far the log was read."""

    rows: dict[int, NoteRow]
    current: dict[int, tuple[int, bool]]
    seq: int
    loaded: float  # time.monotonic() of the last full read


def load_inputs(event_id: int, state: EventSynthesis) -> tuple[list[NoteRow], dict[int, tuple[int, bool]]]:
    """The event's live notes and memberships: the new notes only when nothing else changed.

    Seqs are taken under the event's row lock, so a change is committed only after every change
    with a smaller seq: reading the log up to the event's last seq misses nothing.
    """
    connection = db.session.connection()
    last = connection.execute(select(Event.last_seq).where(Event.id == event_id)).scalar_one()
    kept: Inputs | None = state.inputs
    if kept is not None and time.monotonic() - kept.loaded < FULL_RELOAD:
        news = connection.execute(select(Change.type, Change.payload).where(
            Change.event_id == event_id, Change.seq > kept.seq, Change.seq <= last)).all()
        added = [_added_note_id(type_, payload) for type_, payload in news]
        if all(type_ in ADDITIVE for type_, _ in news) and None not in added and len(added) <= MOST_ADDED:
            new_ids = [i for i in added if i is not False]
            for row in load_notes(event_id, new_ids):
                kept.rows[row.id] = row
            kept.seq = last
            return list(kept.rows.values()), kept.current
    rows = load_notes(event_id)
    state.inputs = Inputs({row.id: row for row in rows}, memberships(event_id), last, time.monotonic())
    return rows, state.inputs.current


def reads_everything(event_id: int) -> bool:
    """Whether the next pass of the event reads every note (first in this process, or due for a full read).

    Changes other than new notes also make a full read, which this does not foresee.
    """
    state = states().get(event_id)
    kept = state.inputs if state is not None else None
    return kept is None or time.monotonic() - kept.loaded >= FULL_RELOAD


def _added_note_id(type_: str, payload: Any) -> int | bool | None:
    """The id of the note a `note:added` change brought (None when unknown), False for other changes."""
    if type_ != protocol.NOTE_ADDED:
        return False
    note = payload.get("note") if isinstance(payload, dict) else None
    return note.get("id") if isinstance(note, dict) and isinstance(note.get("id"), int) else None


def load_notes(event_id: int, ids: list[int] | None = None) -> list[NoteRow]:
    """The event's live notes (or those of `ids`) as plain rows, with the facilitators' plenary marks.

    Read with Core on the session's connection, not through the ORM: a pass may read every note of
    the event, and ORM result processing cost more than the rest of a pass.
    """
    connection = db.session.connection()
    query = select(Note.id, Note.text, Note.table_id, Note.confirmed_point, Note.suggested_point, Note.starred) \
        .where(Note.event_id == event_id, Note.deleted_at.is_(None)).order_by(Note.id)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Note.id.in_(ids))
        marked = set()  # a note is marked for the plenary through a curation, which makes a full read
    else:
        marked = set(connection.execute(select(PlenaryNote.note_id)
                                        .where(PlenaryNote.event_id == event_id)).scalars())
    return [NoteRow(*row, row[0] in marked) for row in connection.execute(query).all()]


def memberships(event_id: int) -> dict[int, tuple[int, bool]]:
    """Theme and pinned flag of every note in a theme (Core, as `load_notes`)."""
    rows = db.session.connection().execute(
        select(ThemeMembership.note_id, ThemeMembership.theme_id, ThemeMembership.pinned)
        .where(ThemeMembership.event_id == event_id))
    return {note_id: (theme_id, pinned) for note_id, theme_id, pinned in rows}


# ------------------------------------------------------------------------ the pass
def run_pass(event_id: int, offload=_direct, fit_later=None) -> PassResult | None:
    """Include new notes, refresh the descriptions, record what changed; None without a framework.

    The pass reads, computes, and then writes in short transactions with no computing inside them:
    the synthesis service is a process of its own, and on SQLite a server process that wants to
    write while the service holds the write lock has to wait.
    """
    event = db.session.get(Event, event_id)
    if event is None or event.framework is None or not event.framework.points:
        return None
    state = synthesis_for(event, offload, fit_later)
    try:
        return _pass(event_id, state, offload)
    except Exception:
        state.inputs = None  # what is kept in memory may be ahead of what got stored: read it all again
        raise


def _pass(event_id: int, state: EventSynthesis, offload) -> PassResult:
    """The body of `run_pass`."""
    notes, current = load_inputs(event_id, state)
    themes = event_themes(event_id)
    db.session.commit()
    clusters = offload(state.cluster, notes)
    moved = regroup(event_id, state, notes, clusters, current, themes) if state.regroup_due else []
    placed = place_new_notes(event_id, state, notes, clusters, current, themes)
    _store_memberships(event_id, placed, moved)
    state.regroup_due = False
    placed = moved + placed
    members = _members(themes, current)
    views = offload(state.describe_all, notes, members, _titles_shown(themes, members))
    values = _changed_views(themes, views)
    suggestions_ = _suggestions(state, notes)
    points = state.point_counts(notes)
    _store(values, suggestions_)
    _remember_suggested(state, suggestions_)
    change = _record(event_id, state, list(values), placed, suggestions_, points)
    db.session.merge(SynthesisMark(event_id=event_id, included=len(notes), updated_at=utcnow()))
    db.session.commit()
    if change is not None:
        state.points_sent = points
    return PassResult(change, status(event_id, len(notes)), _by_table(notes, suggestions_))


def for_projectors(message: dict) -> dict:
    """A `synthesis:updated` as projectors get it live: without the memberships and suggested points.

    Projectors show themes and the spread over the points; the full change is what `sync` replays.
    """
    return {key: value for key, value in message.items() if key not in ("memberships", "suggested")}


def _remember_suggested(state: EventSynthesis, suggested: list[list]) -> None:
    """Keep the stored suggested points in the notes kept for the next pass."""
    rows = state.inputs.rows
    for note_id, point, _score in suggested:
        rows[note_id] = rows[note_id]._replace(suggested_point=point)


def _by_table(notes: list[NoteRow], suggested: list[list]) -> dict[int, list[list[int]]]:
    """The new suggested points as [note id, point] pairs per table, for the hosts' pages."""
    tables = {n.id: n.table_id for n in notes}
    grouped: dict[int, list[list[int]]] = defaultdict(list)
    for note_id, point, _score in suggested:
        grouped[tables[note_id]].append([note_id, point])
    return dict(grouped)


def _store_memberships(event_id: int, placed: Placed, moved: Placed) -> None:
    """Write the memberships of newly placed notes and the new themes of moved ones, in batches."""
    in_batches([{"note_id": n, "theme_id": t, "event_id": event_id, "pinned": False} for n, t in placed],
               lambda rows: db.session.execute(insert(ThemeMembership), rows))
    in_batches([{"note_id": n, "theme_id": t} for n, t in moved],
               lambda rows: db.session.execute(update(ThemeMembership), rows))
    db.session.commit()


def in_batches(rows: list, write, size: int | None = None) -> None:
    """Write rows a batch per transaction, resting between them as long as the batch took (at least
    `BATCH_REST`).

    On SQLite a server process that wants to add a note waits while the synthesis holds the write
    lock, so a big pass never holds it for long, nor for more than half of its writing time.
    """
    size = size or BATCH_ROWS
    took = 0.0
    for start in range(0, len(rows), size):
        if start:
            time.sleep(max(BATCH_REST, took))
        began = time.monotonic()
        write(rows[start:start + size])
        db.session.commit()
        took = time.monotonic() - began


def _members(themes: dict[int, ThemeRow], current: dict[int, tuple[int, bool]]) -> dict[int, list[int]]:
    """Member note ids of every visible theme, from the memberships read and placed in this pass."""
    members: dict[int, list[int]] = {t.id: [] for t in themes.values() if t.visible}
    for note_id, (theme_id, _) in current.items():
        if theme_id in members:
            members[theme_id].append(note_id)
    return members


def _titles_shown(themes: dict[int, ThemeRow], members: dict[int, list[int]]) -> dict[int, str]:
    """The titles the themes show now, a facilitator's names included (a comma list of words is no title)."""
    return {t: themes[t].label for t in members
            if themes[t].label and (themes[t].label_custom or "," not in themes[t].label)}


def _view_values(theme: ThemeRow, view: ThemeView) -> dict:
    """The stored columns a description sets (a promoted theme keeps its new point)."""
    values = {"keywords": view.keywords, "quotes": view.quotes, "point": view.point,
              "confidence": view.confidence, "novel": view.novel, "size": view.size}
    if theme.promoted_point is not None:
        values.update(point=theme.promoted_point, novel=False)
    return values


def _changed_views(themes: dict[int, ThemeRow], views: dict[int, ThemeView]) -> dict[int, tuple[dict, str | None]]:
    """Descriptions that differ from the stored ones, with a new label unless facilitators set one."""
    changed = {}
    for theme_id, view in views.items():
        theme = themes[theme_id]
        values = _view_values(theme, view)
        label = view.label if not theme.label_custom and view.label != theme.label else None
        if label is not None or any(getattr(theme, k) != v for k, v in values.items()):
            changed[theme_id] = (values, label)
    return changed


def _suggestions(state: EventSynthesis, notes: list[NoteRow]) -> list[list[int]]:
    """The mapper's point (0 when novel) and score for notes that have no suggested point yet."""
    return [[note.id, *state.mapped_point(note)] for note in notes if note.suggested_point is None]


# One statement per batch of themes (executemany), on the table: a synthesis update never bumps `version`.
THEMES = Theme.__table__
DESCRIBE = update(THEMES).where(THEMES.c.id == bindparam("theme")).values(
    {name: bindparam(f"new_{name}") for name in ("updated_at", *DESCRIBED)})
RELABEL = update(THEMES).where(THEMES.c.id == bindparam("theme"), THEMES.c.label_custom.is_(False)).values(
    label=bindparam("new_label"))


def _store(changed: dict[int, tuple[dict, str | None]], suggested: list[list]) -> None:
    """Write the new descriptions and suggested points, in batches; never touch a custom label."""
    now = utcnow()

    def describe(batch):
        db.session.execute(DESCRIBE, [{"theme": t, "new_updated_at": now, **{f"new_{k}": v for k, v in values.items()}}
                                      for t, (values, _) in batch])
        labels = [{"theme": t, "new_label": label} for t, (_, label) in batch if label is not None]
        if labels:
            db.session.execute(RELABEL, labels)
    in_batches(list(changed.items()), describe, size=THEME_BATCH)
    in_batches([{"id": i, "suggested_point": p, "suggested_score": score} for i, p, score in suggested],
               lambda rows: db.session.execute(update(Note), rows))


def theme_payloads(theme_ids) -> list[dict]:
    """Fresh dicts of the given themes."""
    if not theme_ids:
        return []
    rows = db.session.scalars(select(Theme).where(Theme.id.in_(list(theme_ids))).order_by(Theme.id)
                              .execution_options(populate_existing=True))
    return [t.to_dict() for t in rows]


def _record(event_id, state, changed, placed, suggested, points) -> Change | None:
    """Record one `synthesis:updated` change with only what changed, or nothing."""
    if not (changed or placed or suggested or points != state.points_sent):
        return None
    payload = {"themes": theme_payloads(changed), "memberships": placed,
               "suggested": [[note_id, point] for note_id, point, _score in suggested],
               "points": points, "included": len(state.seen)}
    return changes.record(event_id, UPDATED, payload)


# ---------------------------------------------------------------------- reading
def visible_themes(event_id: int) -> list[Theme]:
    """The event's themes that are shown, largest first."""
    return list(db.session.scalars(select(Theme).where(
        Theme.event_id == event_id, Theme.merged_into_id.is_(None), Theme.hidden.is_(False), Theme.size > 0)
        .order_by(Theme.size.desc(), Theme.id)))


def theme_notes(theme: Theme) -> list[Note]:
    """A theme's live notes."""
    return list(db.session.scalars(select(Note).join(ThemeMembership, ThemeMembership.note_id == Note.id)
                                   .where(ThemeMembership.theme_id == theme.id, Note.deleted_at.is_(None))
                                   .order_by(Note.id)))

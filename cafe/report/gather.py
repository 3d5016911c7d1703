"""Reading a report's content from the database: a few queries over all its cafés at once, then counting.

Notes are read as columns, never as ORM rows, so a year of ten thousand notes stays a fraction of a
second. A note's point is the one a host or facilitator confirmed, else the synthesis' suggestion;
point 0 means outside the plan.
"""
from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..followup import actions
from ..models import Event, Framework, FrameworkPoint, Note, PlenaryNote, Round, Table, Theme, ThemeMembership
from ..models.vote import Ballot, Vote
from .content import (
    CLOSED,
    ActionRow,
    CafeFacts,
    PointSection,
    Report,
    RoundQuestion,
    ThemeEntry,
    UnitActions,
)
from .scope import Scope, event_year, year_events

QUOTES = 3  # per theme and per point: enough to hear the voice, few enough to read
THEMES_PER_POINT = 5
OUTSIDE = 0
POINT = func.coalesce(Note.confirmed_point, Note.suggested_point)


class _Notes:
    """The live notes of some cafés, by id, with what the report needs of each."""

    def __init__(self, event_ids: list[int]):
        rows = db.session.execute(select(Note.id, Note.event_id, Note.text, Note.level, POINT, Note.starred)
                                  .where(Note.event_id.in_(event_ids or [-1]), Note.deleted_at.is_(None))
                                  .order_by(Note.id))
        self.rows = {r[0]: r for r in rows}
        self.marked = set(db.session.scalars(select(PlenaryNote.note_id)
                                             .where(PlenaryNote.event_id.in_(event_ids or [-1]))))

    def by_event(self) -> Counter:
        """How many live notes each café has."""
        return Counter(r[1] for r in self.rows.values())

    def quotes(self, ids, preferred: set[str] = frozenset(), count: int = QUOTES) -> list[str]:
        """The texts of the most representative notes among `ids`: marked for the plenary or starred
        first, then those the synthesis quoted, then the earliest; never the same text twice."""
        def rank(note_id):
            row = self.rows[note_id]
            return (note_id not in self.marked, not row[5], not any(row[2].startswith(q) for q in preferred),
                    note_id)
        chosen: list[str] = []
        for note_id in sorted((i for i in ids if i in self.rows), key=rank):
            text = self.rows[note_id][2]
            if text not in chosen:
                chosen.append(text)
            if len(chosen) == count:
                break
        return chosen


def framework_points(events: list[Event]) -> tuple[str, list[FrameworkPoint]]:
    """The plan the cafés used (the first café's framework, else the installation's first)."""
    framework = next((e.framework for e in events if e.framework), None)
    framework = framework or db.session.scalars(select(Framework).order_by(Framework.id)).first()
    if framework is None:
        return "", []
    return framework.name, sorted(framework.points, key=lambda p: p.number)


def _cafes(events: list[Event], notes: _Notes) -> list[CafeFacts]:
    """Each café's facts, its tables and hosts counted as stored."""
    per_event = notes.by_event()
    tables = defaultdict(list)
    for event_id, host in db.session.execute(select(Table.event_id, Table.host_name)
                                             .where(Table.event_id.in_([e.id for e in events] or [-1]))):
        tables[event_id].append(host.strip())
    ballots = dict(db.session.execute(select(Vote.event_id, func.count(Ballot.id)).join(Ballot)
                                      .where(Vote.event_id.in_([e.id for e in events] or [-1]))
                                      .group_by(Vote.event_id)).all())
    return [CafeFacts(e.title, e.date, e.place, e.administration.name if e.administration else "",
                      len(tables[e.id]), len({h.lower() for h in tables[e.id] if h}), per_event[e.id],
                      ballots.get(e.id, 0)) for e in events]


def _themes(event_ids: list[int], notes: _Notes) -> list[tuple[Theme, list[int]]]:
    """The visible themes of the cafés with their live notes, curated titles first, then the biggest."""
    members = defaultdict(list)
    for note_id, theme_id in db.session.execute(select(ThemeMembership.note_id, ThemeMembership.theme_id)
                                                .where(ThemeMembership.event_id.in_(event_ids or [-1]))):
        if note_id in notes.rows:
            members[theme_id].append(note_id)
    themes = db.session.scalars(select(Theme).where(Theme.event_id.in_(event_ids or [-1]), Theme.hidden.is_(False),
                                                    Theme.merged_into_id.is_(None)))
    found = [(t, sorted(members[t.id])) for t in themes if members[t.id]]
    return sorted(found, key=lambda item: (not item[0].label_custom, -len(item[1]), item[0].id))


def _entry(theme: Theme, ids: list[int], notes: _Notes) -> ThemeEntry:
    """A theme as the report shows it: its title, how many notes, and quotes from its own notes."""
    return ThemeEntry(actions.theme_label(theme), len(ids), theme.label_custom,
                      notes.quotes(ids, {q for q in theme.quotes or [] if q}))


def _points(plan: list[FrameworkPoint], notes: _Notes, themes, previous: Counter | None) -> list[PointSection]:
    """One section per point of the plan, in the plan's order."""
    sections = {p.number: PointSection(p.number, p.title) for p in plan}
    ids_of = defaultdict(list)
    for note_id, _event, _text, level, point, _starred in notes.rows.values():
        if point in sections:
            section = sections[point]
            section.notes += 1
            if level:
                section.levels[level] = section.levels.get(level, 0) + 1
            ids_of[point].append(note_id)
    for theme, ids in themes:
        if not theme.novel and theme.point in sections and len(sections[theme.point].themes) < THEMES_PER_POINT:
            sections[theme.point].themes.append(_entry(theme, ids, notes))
    for number, section in sections.items():
        quoted = {q for t in section.themes for q in t.quotes}
        section.quotes = notes.quotes(ids_of[number], quoted)
        if previous is not None:
            section.previous = previous[number]
    return list(sections.values())


def _previous_year(events: list[Event], scope: Scope) -> tuple[int | None, Counter | None]:
    """Notes per point in the year before the report's, for the same administrations, when cafés were held."""
    if not events:
        return None, None
    year = min(event_year(e) for e in events) - 1
    admins = {e.administration_id for e in events}
    if scope.year is not None and scope.administration is None:
        earlier = year_events(year, None)
    else:
        earlier = [e for a in admins for e in year_events(year, a)]
    if not earlier:
        return None, None
    counts = Counter(dict(db.session.execute(
        select(POINT, func.count()).where(Note.event_id.in_([e.id for e in earlier]), Note.deleted_at.is_(None))
        .group_by(POINT)).all()))
    return year, counts


def _units(events: list[Event], today: date) -> list[UnitActions]:
    """The counted actions per unit, units by name and the administration-wide ones last."""
    titles = {e.id: e.title for e in events}
    units: dict[str | None, UnitActions] = {}
    for action in actions.listing(list(titles) or [-1], sort="point"):
        name = action.unit.name if action.unit else None
        subgoal = " – ".join(p for p in (action.subgoal_indicator, action.subgoal_target) if p)
        overdue = bool(action.due_date and action.due_date < today and action.status not in CLOSED)
        units.setdefault(name, UnitActions(name)).actions.append(ActionRow(
            action.title, action.responsible, action.status, subgoal, action.due_date, action.point, overdue,
            titles[action.event_id]))
    return sorted(units.values(), key=lambda u: (u.name is None, (u.name or "").lower()))


def _unit_names(events: list[Event], units: list[UnitActions]) -> list[str]:
    """The units that sat at the cafés' tables or own an action."""
    names = {t.unit.name for e in events for t in e.tables if t.unit_id and t.unit}
    names |= {u.name for u in units if u.name}
    return sorted(names, key=str.lower)


def _votes(events: list[Event], plan: list[FrameworkPoint]) -> list[tuple[int, str, int]]:
    """Pre-vote answers per point, summed over the cafés, in the plan's order."""
    counts: Counter = Counter()
    for (points,) in db.session.execute(select(Ballot.points).join(Vote)
                                        .where(Vote.event_id.in_([e.id for e in events] or [-1]))):
        counts.update(int(n) for n in points or [])
    return [(p.number, p.title, counts[p.number]) for p in plan] if counts else []


def _rounds(events: list[Event]) -> list[RoundQuestion]:
    """Every café's round questions, in order."""
    rows = db.session.scalars(select(Round).where(Round.event_id.in_([e.id for e in events] or [-1]))
                              .order_by(Round.event_id, Round.number))
    titles = {e.id: e.title for e in events}
    return [RoundQuestion(titles[r.event_id], r.number, r.question, r.level) for r in rows]


def report(scope: Scope, title: str, period: str, today: date) -> Report:
    """Everything the report says about the cafés of `scope`, read from what is stored."""
    events, ids = scope.events, scope.ids
    notes = _Notes(ids)
    framework, plan = framework_points(events)
    themes = _themes(ids, notes)
    year, previous = _previous_year(events, scope)
    units = _units(events, today)
    novel = [_entry(t, members, notes) for t, members in themes if t.novel]
    outside = [r[0] for r in notes.rows.values() if r[4] == OUTSIDE]
    quoted = {q for t in novel for q in t.quotes}  # quoted under their theme already: others here
    unquoted = [i for i in outside if notes.rows[i][2] not in quoted]
    return Report(title, period, _cafes(events, notes), framework, _points(plan, notes, themes, previous), novel,
                  len(outside), notes.quotes(unquoted), units, _unit_names(events, units), _votes(events, plan),
                  _rounds(events), year, today)

"""City-wide synthesis across cafés: recurring points and themes, new signals, and how far the actions got."""
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import and_, func, or_, select

from ..documents import cells, downloads
from ..extensions import db
from ..models import Administration, Event, FrameworkPoint, Note, Theme, utcnow
from ..models.action import ACTION_STATUSES, ActionItem, ActionTheme
from . import actions

try:  # Swedish stemming and compound splitting, when the nlp package is installed
    from nlp import analyze as _analyze
    from nlp import expand_abbreviations, stem, tokenize
    from nlp.language.text import ABBREVIATIONS, STOPWORDS
except ImportError:  # pragma: no cover - fall back to plain words
    _analyze = None

MIN_EVENTS = 2
ALL_ADMINISTRATIONS = "alla förvaltningar"
OUTSIDE_HEADER = actions.OUTSIDE_PLAN_SWEDISH
OTHER = 0  # "annat": none of the framework's points
SIGNALS = 15
# Texts whose words each process keeps: a season's notes outside every point and its theme labels.
# Stemming them was most of a city page fetch (4,000 such notes: 0.1 s); kept, only new ones cost.
WORDS_KEPT = 50_000


@lru_cache(maxsize=WORDS_KEPT)
def words(text: str) -> frozenset[str]:
    """The content words of a label or note, stemmed when nlp is there."""
    if _analyze is not None:
        return frozenset(w for w in _analyze(text) if len(w) > 2)
    return frozenset(w.strip(".,:;!?()").lower() for w in text.split() if len(w) > 3)


@lru_cache(maxsize=WORDS_KEPT)
def written_words(text: str) -> tuple[tuple[str, str], ...]:
    """The whole content words of a note as (stem, word as written): a signal is shown as people wrote it."""
    if _analyze is None:
        return tuple((w, w) for w in words(text))
    found = {}
    for token in expand_abbreviations(tokenize(text)):
        if len(token) > 2 and token not in STOPWORDS and token not in ABBREVIATIONS:
            found.setdefault(stem(token), token)
    return tuple(found.items())


@dataclass
class ThemeGroup:
    """Theme labels from several cafés that speak of the same thing."""

    label: str
    stems: set[str]
    labels: Counter = field(default_factory=Counter)
    events: set[int] = field(default_factory=set)
    points: set[int | None] = field(default_factory=set)

    @property
    def novel(self) -> bool:
        """True when none of its actions or themes sits on a framework point: a candidate new point."""
        return self.points <= {None}

    def to_dict(self) -> dict:
        """Serialise for the page and the JSON endpoint."""
        return {"label": self.label, "labels": [label for label, _ in self.labels.most_common()],
                "events": len(self.events), "mentions": sum(self.labels.values()), "novel": self.novel}


def scope_events(admin_ids: list[int] | None) -> list[Event]:
    """The events the city view covers: all of them, or those of some administrations."""
    query = select(Event).order_by(Event.date, Event.id)
    if admin_ids is not None:
        query = query.where(Event.administration_id.in_(admin_ids or [-1]))
    return list(db.session.scalars(query))


def _year(event: Event) -> int:
    """The year a café was held (or created)."""
    return (event.date or event.created_at).year


def points(events: list[Event]) -> list[dict]:
    """Notes per framework point, per administration and year, most frequent first."""
    by_id = {e.id: e for e in events}
    counts: Counter = Counter()
    # Counted by the database: a season's tens of thousands of notes never become Python rows.
    point = func.coalesce(Note.confirmed_point, Note.suggested_point)
    rows = db.session.execute(
        select(Note.event_id, point, func.count())
        .where(Note.event_id.in_(list(by_id) or [-1]), Note.deleted_at.is_(None), point.is_not(None), point != 0)
        .group_by(Note.event_id, point))
    for event_id, number, notes in rows:
        event = by_id[event_id]
        admin = event.administration.name if event.administration else "–"
        counts[(admin, _year(event), number)] += notes
    return [{"administration": a, "year": y, "point": p, "notes": n}
            for (a, y, p), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def point_titles() -> dict[int, str]:
    """Short labels of the framework points, by number."""
    return {p.number: p.label for p in db.session.scalars(select(FrameworkPoint).order_by(FrameworkPoint.id))}


def _theme_labels(events: list[Event]) -> list[tuple[int, str, int | None]]:
    """(event, label, point) for every theme an action came from, and every synthesis theme."""
    ids = [e.id for e in events] or [-1]
    label = func.coalesce(func.nullif(func.trim(Theme.label), ""), ActionTheme.label)  # as the theme is named now
    found = list(db.session.execute(
        select(ActionItem.event_id, label, ActionItem.point).join(ActionTheme)
        .outerjoin(Theme, Theme.id == ActionTheme.theme_id)
        .where(ActionItem.event_id.in_(ids), ActionItem.is_draft.is_(False))))
    for event in events:
        for theme in actions.event_themes(event):
            point = None if theme.novel else theme.point
            found.append((event.id, actions.theme_label(theme), point))
    return found


def themes(events: list[Event]) -> list[ThemeGroup]:
    """Theme labels grouped when their words overlap, most widespread first."""
    groups: list[ThemeGroup] = []
    for event_id, label, point in _theme_labels(events):
        stems = words(label) or frozenset({label.lower()})
        group = next((g for g in groups if len(g.stems & stems) * 2 >= min(len(g.stems), len(stems))), None)
        if group is None:
            group = ThemeGroup(label, set(stems))
            groups.append(group)
        group.labels[label] += 1
        group.events.add(event_id)
        group.points.add(point)
    return sorted(groups, key=lambda g: (-len(g.events), -sum(g.labels.values()), g.label))


def signals(events: list[Event]) -> list[dict]:
    """Words that keep coming back in notes outside every framework point, across several cafés.

    A note is outside when its host or a facilitator said "annat" (point 0), or when nobody chose a
    point and the synthesis found it fits none (suggested point 0). Notes the synthesis has not
    reached yet do not count, so the page never stems a whole new café's notes on its request.
    """
    where_seen: dict[str, set[int]] = defaultdict(set)
    counts: Counter = Counter()
    forms: dict[str, Counter] = defaultdict(Counter)
    outside = or_(Note.confirmed_point == OTHER,
                  and_(Note.confirmed_point.is_(None), Note.suggested_point == OTHER))
    rows = db.session.execute(select(Note.event_id, Note.text).where(
        Note.event_id.in_([e.id for e in events] or [-1]), Note.deleted_at.is_(None), outside))
    for event_id, text in rows:
        for key, word in written_words(text):
            where_seen[key].add(event_id)
            counts[key] += 1
            forms[key][word] += 1
    ranked = sorted((w for w in where_seen if len(where_seen[w]) >= MIN_EVENTS),
                    key=lambda w: (-len(where_seen[w]), -counts[w], w))
    return [{"word": _most_written(forms[w]), "events": len(where_seen[w]), "notes": counts[w]}
            for w in ranked[:SIGNALS]]


def _most_written(forms: Counter) -> str:
    """The form a word was written in most often (shortest on ties)."""
    return min(forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def progress(events: list[Event]) -> list[dict]:
    """How many counted actions each café produced, how far they got, and how many lie outside the plan."""
    tally: dict[int, Counter] = {e.id: Counter() for e in events}
    outside: Counter = Counter()
    rows = db.session.execute(select(ActionItem.event_id, ActionItem.status, ActionItem.point).where(
        ActionItem.event_id.in_(list(tally) or [-1]), ActionItem.is_draft.is_(False)))
    for event_id, status, point in rows:
        tally[event_id][status] += 1
        outside[event_id] += point is None
    result = []
    for event in events:
        counts, total = tally[event.id], sum(tally[event.id].values())
        result.append({"event_id": event.id, "title": event.title, "year": _year(event),
                       "date": event.date.isoformat() if event.date else None,
                       "administration": event.administration.name if event.administration else "–",
                       "total": total, "statuses": {s: counts[s] for s in ACTION_STATUSES},
                       "outside_plan": outside[event.id],
                       "done_share": round(counts["genomford"] / total, 2) if total else 0.0,
                       "moving_share": round(sum(counts[s] for s in actions.MOVING) / total, 2) if total else 0.0})
    return result


def synthesis(admin_ids: list[int] | None) -> dict:
    """Everything the city page shows, as one JSON-friendly document."""
    events = scope_events(admin_ids)
    groups = themes(events)
    return {"events": len(events), "points": points(events), "point_titles": point_titles(),
            "themes": [g.to_dict() for g in groups if len(g.events) >= MIN_EVENTS],
            "novel": [g.to_dict() for g in groups if g.novel],
            "all_themes": [g.to_dict() for g in groups], "signals": signals(events),
            "progress": progress(events)}


def scope_name(admin_ids: list[int] | None) -> str:
    """Whose cafés the view compares, for titles and file names."""
    if admin_ids is None:
        return ALL_ADMINISTRATIONS
    names = db.session.scalars(select(Administration.name).where(Administration.id.in_(admin_ids or [-1]))
                               .order_by(Administration.name))
    return ", ".join(names) or ALL_ADMINISTRATIONS


def filename(admin_ids: list[int] | None) -> str:
    """The workbook's name: what it is, whose cafés, and the day it was made."""
    scope = None if admin_ids is None else scope_name(admin_ids)
    return downloads.filename("stadsovergripande sammanstallning", scope, cells.local(utcnow()).date(), ext="xlsx")


def _sheet(book: Workbook, title: str, scope: str, header: list[str], rows: list[list]) -> None:
    """A sheet titled with what it shows and whose cafés, a bold frozen header; text stays text."""
    sheet = book.create_sheet(title)
    head = cells.title_rows(sheet, f"{title} – {scope}", [("Exporterad", cells.local(utcnow()))])
    cells.put_row(sheet, head, header, bold=True)
    for row_no, values in enumerate(rows, start=head + 1):
        cells.put_row(sheet, row_no, values)
    for n, _ in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = 18 if n > 1 else 40
    sheet.freeze_panes = f"A{head + 1}"


def _date(text: str | None):
    """A café's ISO date as a date for a real Excel date cell."""
    return date.fromisoformat(text) if text else None


def to_xlsx(data: dict, scope: str = ALL_ADMINISTRATIONS) -> bytes:
    """The city-wide synthesis as a workbook, each sheet titled with whose cafés it compares."""
    book = Workbook()
    book.remove(book.active)
    titles = {int(k): v for k, v in data["point_titles"].items()}
    _sheet(book, "Punkter", scope, ["Förvaltning", "År", "Punkt", "Rubrik", "Anteckningar"],
           [[r["administration"], r["year"], r["point"], titles.get(r["point"], ""), r["notes"]]
            for r in data["points"]])
    _sheet(book, "Teman", scope, ["Tema", "Varianter", "Caféer", "Omnämnanden", OUTSIDE_HEADER],
           [[t["label"], ", ".join(t["labels"]), t["events"], t["mentions"], "ja" if t["novel"] else "nej"]
            for t in data["all_themes"]])
    _sheet(book, "Nya signaler", scope, ["Ord", "Caféer", "Anteckningar"],
           [[s["word"], s["events"], s["notes"]] for s in data["signals"]])
    status_words = [actions.STATUS_SWEDISH[s] for s in ACTION_STATUSES]
    _sheet(book, "Åtgärder per café", scope,
           ["Café", "Datum", "Förvaltning", "År", "Åtgärder", *status_words, OUTSIDE_HEADER, "Andel genomförda"],
           [[p["title"], _date(p.get("date")), p["administration"], p["year"], p["total"],
             *[p["statuses"][s] for s in ACTION_STATUSES], p.get("outside_plan", 0), p["done_share"]]
            for p in data["progress"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

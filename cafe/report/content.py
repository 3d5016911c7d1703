"""What a report says, as plain data: counts, points, themes and quotes, actions, the pre-vote, the rounds.

Built once from the database by `gather.report` and read by every format, so the Word document, the PDF
and the page cannot say different things. Numbers are counted from stored rows, quotes are stored notes'
texts (masked as they were stored), nothing is guessed.
"""
from dataclasses import dataclass, field
from datetime import date

LEVELS = ("individ", "enhet", "förvaltning")
DONE = "genomford"
CLOSED = ("genomford", "ej_aktuell", "utanfor_ansvar")  # an action with one of these is never overdue
DECIDED = ("beslutad", "pagar", "genomford")
TOP_POINTS = 3


@dataclass
class CafeFacts:
    """One café of the report: when, where, whose, and how much was said."""

    title: str
    day: date | None
    place: str
    administration: str
    tables: int
    hosts: int
    notes: int
    ballots: int


@dataclass
class ThemeEntry:
    """A theme of the synthesis with its title (the facilitator's when curated), size and quotes."""

    title: str
    notes: int
    curated: bool
    quotes: list[str] = field(default_factory=list)


@dataclass
class PointSection:
    """What staff said about one point of the plan."""

    number: int
    title: str
    notes: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    themes: list[ThemeEntry] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    previous: int | None = None  # notes on this point in the previous year's cafés, None when there were none

    @property
    def change(self) -> int | None:
        """Notes now minus notes the year before, or None without an earlier year."""
        return None if self.previous is None else self.notes - self.previous


@dataclass
class ActionRow:
    """One action as the report lists it."""

    title: str
    owner: str
    status: str
    subgoal: str
    due: date | None
    point: int | None
    overdue: bool
    cafe: str


@dataclass
class UnitActions:
    """One unit's action list (name None: administration-wide)."""

    name: str | None
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        """How many of the unit's actions are done."""
        return sum(a.status == DONE for a in self.actions)

    @property
    def share_done(self) -> float:
        """The share of the unit's actions that are done, 0 without actions."""
        return self.done / len(self.actions) if self.actions else 0.0

    def statuses(self, keys) -> list[int]:
        """How many actions have each status, in the order of `keys`."""
        return [sum(a.status == key for a in self.actions) for key in keys]


@dataclass
class RoundQuestion:
    """A round's question as it was planned."""

    cafe: str
    number: int
    question: str
    level: str | None


@dataclass
class Report:
    """Everything a report says, in the order it says it."""

    title: str
    period: str  # the café or the period, printed on every page
    cafes: list[CafeFacts]
    framework: str
    points: list[PointSection]
    novel: list[ThemeEntry]
    outside_notes: int  # notes a host or the synthesis placed outside every point
    outside_quotes: list[str]  # some of those notes' texts, the curated first
    units: list[UnitActions]
    unit_names: list[str]  # units that sat at the tables or own actions
    vote_points: list[tuple[int, str, int]]  # (point, title, votes) in the plan's order
    rounds: list[RoundQuestion]
    previous_year: int | None
    made_on: date

    @property
    def notes(self) -> int:
        """The notes of all the cafés."""
        return sum(c.notes for c in self.cafes)

    @property
    def ballots(self) -> int:
        """The answers to the pre-votes of all the cafés."""
        return sum(c.ballots for c in self.cafes)

    @property
    def empty(self) -> bool:
        """True when nothing was said: no notes in any of the cafés."""
        return self.notes == 0

    @property
    def actions(self) -> list[ActionRow]:
        """Every counted action of every unit."""
        return [a for unit in self.units for a in unit.actions]

    @property
    def decided(self) -> int:
        """Actions decided (decided, under way or done)."""
        return sum(a.status in DECIDED for a in self.actions)

    @property
    def done(self) -> int:
        """Actions done."""
        return sum(a.status == DONE for a in self.actions)

    def top_points(self, count: int = TOP_POINTS) -> list[PointSection]:
        """The points that carried most notes (ties in the plan's order), without the silent ones."""
        ranked = sorted((p for p in self.points if p.notes), key=lambda p: (-p.notes, p.number))
        return ranked[:count]

    @property
    def outside_actions(self) -> list[ActionRow]:
        """Actions on questions the plan does not cover (no point): what the cafés added to the plan."""
        return [a for a in self.actions if a.point is None]

    @property
    def new_questions(self) -> list[str]:
        """The questions outside the plan: the synthesis' themes, then the actions taken on such questions."""
        titles = [t.title for t in self.novel]
        return titles + [a.title for a in self.outside_actions if a.title not in titles]

    @property
    def administrations(self) -> list[str]:
        """The administrations whose cafés the report covers."""
        return sorted({c.administration for c in self.cafes if c.administration})

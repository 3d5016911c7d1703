"""The data model; importing this package registers every table with the metadata."""
from .action import ActionComment, ActionHistory, ActionItem, ActionNote, ActionTheme, FeedbackLink, PendingImport  # noqa: F401,E501
from .audit import AuditEntry  # noqa: F401
from .base import iso, utcnow
from .event import EVENT_STATUSES, LEVELS, Event, Round, Table, event_facilitators
from .framework import Framework, FrameworkPoint
from .note import Change, Note, NoteRevision
from .org import ROLES, Administration, Unit, User
from .presence import Presence
from .theme import Curation, PlenaryNote, SynthesisMark, Theme, ThemeMembership  # noqa: F401
from .vote import Ballot, Vote, VoteLinkCode  # noqa: F401

__all__ = ["Administration", "Change", "EVENT_STATUSES", "Event", "Framework", "FrameworkPoint",
           "LEVELS", "Note", "NoteRevision", "Presence", "ROLES", "Round", "Table", "Unit", "User",
           "event_facilitators", "iso", "utcnow"]

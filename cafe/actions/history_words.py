"""An action's history in words: each change as a sentence in the reader's language.

The history keeps a field name and the values before and after as stored ("is_draft", "True", "apt");
this module writes "Anna Berg godkände utkastet" or "Anna Berg satte forum till APT" instead.
"""
from flask_babel import gettext as _

from ..extensions import db
from ..followup import actions
from ..labels import level_label
from ..models import Unit
from ..models.action import ActionHistory

# Long texts are named, not repeated, in a sentence.
LONG_FIELDS = ("description", "subgoal_indicator")


def sentence(entry: ActionHistory) -> str:
    """One change of an action as a sentence."""
    who = _who(entry)
    if entry.field == "created":
        return _("%(who)s skapade åtgärden", who=who)
    if entry.field == "comment":
        return _("%(who)s skrev en kommentar", who=who)
    if entry.field == "is_draft":
        return (_("%(who)s godkände utkastet", who=who) if entry.after == "False"
                else _("%(who)s gjorde åtgärden till ett utkast", who=who))
    field = str(actions.FIELD_LABELS.get(entry.field, entry.field))
    if entry.field in LONG_FIELDS:
        return _("%(who)s ändrade %(field)s", who=who, field=field)
    before, after = value(entry.field, entry.before), value(entry.field, entry.after)
    if not before:
        return _("%(who)s satte %(field)s till %(after)s", who=who, field=field, after=after)
    if not after:
        return _("%(who)s tog bort %(field)s (var %(before)s)", who=who, field=field, before=before)
    return _("%(who)s ändrade %(field)s från %(before)s till %(after)s", who=who, field=field, before=before,
             after=after)


def _who(entry: ActionHistory) -> str:
    """Who made the change, and how when it came from an uploaded list."""
    who = entry.author or _("Någon")
    return _("%(who)s (uppladdad lista)", who=who) if entry.source == "import" else who


def value(field: str, stored) -> str:
    """A stored value (as the history keeps it, or as the model holds it) as a reader says it; "" for none."""
    if field == "point" and stored in (None, "", actions.OTHER, str(actions.OTHER)):
        return str(actions.OUTSIDE_PLAN)  # an action without a point is about a question outside the plan
    if stored is None or stored == "":
        return ""
    text = stored.isoformat() if hasattr(stored, "isoformat") else str(stored)
    if field == "status":
        return str(actions.STATUS_LABELS.get(text, text))
    if field == "forum":
        return str(actions.FORUM_LABELS.get(text, text))
    if field == "level":
        return level_label(text)
    if field == "point":
        return _("punkt %(n)s", n=text)
    if field == "unit_id":
        unit = db.session.get(Unit, int(text)) if text.isdigit() else None
        return unit.name if unit is not None else _("en borttagen enhet")
    if field == "due_date":
        return text
    return _("”%(text)s”", text=text)

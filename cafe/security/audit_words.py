"""The audit log in words: each entry as a sentence in the reader's language ("Anna Berg loggade in").

The log stores what programs need (an action code such as `login.failed` or the endpoint of a change, a
target such as `users:3` or a path, details as JSON); this module names the people, cafés, tables, units
and actions those point at, so the organizer reads who did what to what.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ..extensions import db
from ..models import Event, Table, Unit, User
from ..models.action import ActionItem
from ..models.audit import AuditEntry

# The kinds of entry the organizer can pick out on the page, by their action code.
KINDS = {
    "login": _l("Inloggningar"), "login.failed": _l("Misslyckade inloggningar"),
    "login.locked": _l("Låsta konton"), "event.delete": _l("Raderade caféer"),
    "privacy.mask": _l("Maskerade personuppgifter"), "privacy.purge": _l("Rensade caféer"),
}
# Entries recorded by the services, with what they did; %(who)s, %(target)s and the details fill them in.
RECORDED = {
    "login": _l("%(who)s loggade in"),
    "login.failed": _l("Misslyckad inloggning med %(email)s"),
    "login.locked_out": _l("%(who)s försökte logga in medan kontot var låst"),
    "login.refused": _l("Inloggningen nekades för %(who)s"),
    "user.linked": _l("%(who)s kopplade sitt konto till organisationens inloggning"),
    "user.created": _l("Kontot för %(who)s skapades vid första inloggningen via organisationen"),
    "user.role": _l("%(who)s fick rollen %(role)s genom sin grupp i organisationens inloggning"),
    "administration.created": _l("Förvaltningen %(name)s skapades vid en inloggning via organisationen"),
    "privacy.mask": _l("%(who)s maskerade personuppgifter i %(target)s"),
    "event.delete": _l("%(who)s raderade caféet %(title)s"),
    "note.personal_data.mask": _l("En anteckning vid %(target)s såg ut att innehålla %(kinds)s, som maskerades"),
    "note.personal_data.warn": _l("En anteckning vid %(target)s sparades med det som liknar %(kinds)s"),
}
# Changes made through a page or the API, by endpoint (security.trail records them).
CHANGED = {
    "auth.logout": _l("%(who)s loggade ut"),
    "organizer.new_event": _l("%(who)s skapade ett nytt café"),
    "organizer.from_template": _l("%(who)s skapade ett café från mallen"),
    "organizer.copy": _l("%(who)s kopierade %(target)s till ett nytt café"),
    "organizer.edit_event": _l("%(who)s ändrade uppgifterna för %(target)s"),
    "organizer.tables": _l("%(who)s ändrade borden i %(target)s"),
    "organizer.rounds": _l("%(who)s ändrade rundorna i %(target)s"),
    "organizer.facilitators": _l("%(who)s ändrade vilka som leder %(target)s"),
    "organizer.set_status": _l("%(who)s ändrade status för %(target)s"),
    "organizer.open_vote": _l("%(who)s öppnade förhandsenkäten för %(target)s"),
    "organizer.close_vote": _l("%(who)s stängde förhandsenkäten för %(target)s"),
    "organizer.link_codes": _l("%(who)s skapade personliga länkar till förhandsenkäten för %(target)s"),
    "organizer.focus": _l("%(who)s valde fokuspunkter för %(target)s"),
    "organizer.units": _l("%(who)s lade till en enhet"),
    "organizer.rename_unit": _l("%(who)s bytte namn på enheten %(target)s"),
    "organizer.remove_unit": _l("%(who)s tog bort en enhet"),
    "organizer.staff_accounts": _l("%(who)s ändrade kontona för processledare och projektledare"),
    "actions.create": _l("%(who)s lade till en åtgärd i %(target)s"),
    "actions.edit": _l("%(who)s ändrade åtgärden %(target)s"),
    "actions.approve": _l("%(who)s godkände utkastet %(target)s"),
    "actions.discard": _l("%(who)s tog bort utkastet %(target)s"),
    "actions.comment": _l("%(who)s kommenterade åtgärden %(target)s"),
    "actions.build": _l("%(who)s skapade utkast från anteckningar i %(target)s"),
    "actions.theme_drafts": _l("%(who)s skapade utkast från ett tema i %(target)s"),
    "actions.upload": _l("%(who)s laddade upp en redigerad åtgärdslista för %(target)s"),
    "actions.apply_upload": _l("%(who)s sparade en uppladdad åtgärdslista i %(target)s"),
    "actions.import_notes": _l("%(who)s laddade upp anteckningar till %(target)s"),
    "actions.apply_notes": _l("%(who)s importerade anteckningar till %(target)s"),
    "actions.past_event": _l("%(who)s lade till ett tidigare café"),
    "api.create_event": _l("%(who)s skapade ett nytt café via API:t"),
    "api.create_from_template": _l("%(who)s skapade ett café från mallen via API:t"),
    "api.update_event": _l("%(who)s ändrade uppgifterna för %(target)s via API:t"),
    "api.put_tables": _l("%(who)s ändrade borden i %(target)s via API:t"),
    "api.put_rounds": _l("%(who)s ändrade rundorna i %(target)s via API:t"),
    "api.set_status": _l("%(who)s ändrade status för %(target)s via API:t"),
    "api.open_vote": _l("%(who)s öppnade förhandsenkäten för %(target)s via API:t"),
    "api.close_vote": _l("%(who)s stängde förhandsenkäten för %(target)s via API:t"),
    "api.link_codes": _l("%(who)s skapade personliga länkar till förhandsenkäten för %(target)s via API:t"),
}
ROLES = {"organizer": _l("arrangör"), "facilitator": _l("processledare"), "project_lead": _l("projektledare"),
         "city": _l("central styrgrupp")}
PII_KINDS = {"personnummer": _l("personnummer"), "samordningsnummer": _l("samordningsnummer"),
             "telefonnummer": _l("telefonnummer"), "e-post": _l("e-postadress"), "namn": _l("namn")}
MODEL_TARGET = re.compile(r"^(users|events|tables|units|action_items):(\d+)$")
PATH_TARGET = re.compile(r"/(events|units|actions)/(\d+)")


def sentences(entries: list[AuditEntry]) -> dict[int, str]:
    """Each entry's sentence, by entry id, in the current language."""
    users = _users(entries)
    return {entry.id: sentence(entry, users) for entry in entries}


def sentence(entry: AuditEntry, users: dict[int, User] | None = None) -> str:
    """One entry as a sentence."""
    users = users if users is not None else _users([entry])
    details = entry.details if isinstance(entry.details, dict) else {}
    values = {"who": _who(entry, users), "target": _target(entry.target), **_detail_words(entry, details)}
    if entry.action == "login.locked":
        minutes = int(details.get("minutes") or 0)
        return ngettext("%(who)s låstes ute i %(num)s minut efter för många misslyckade inloggningar",
                        "%(who)s låstes ute i %(num)s minuter efter för många misslyckade inloggningar",
                        minutes, who=values["who"])
    if entry.action == "privacy.purge":
        return ngettext("Anteckningar äldre än %(num)s dag i %(target)s rensades bort",
                        "Anteckningar äldre än %(num)s dagar i %(target)s rensades bort",
                        int(details.get("days") or 0), target=values["target"])
    template = RECORDED.get(entry.action) or CHANGED.get(entry.action)
    if template is None:
        return _("%(who)s gjorde en ändring (%(what)s)", who=values["who"], what=entry.action)
    return str(template) % values


def _detail_words(entry: AuditEntry, details: dict) -> dict[str, str]:
    """The details a sentence names, in words."""
    kinds = details.get("kinds") if isinstance(details.get("kinds"), list) else []
    role = details.get("role")
    return {"email": str(details.get("email") or entry.actor or ""),
            "title": str(details.get("title") or _target(entry.target)),
            "name": str(details.get("name") or ""),
            "role": str(ROLES.get(role, role or "")),
            "kinds": ", ".join(str(PII_KINDS.get(k, k)) for k in kinds) or _("personuppgifter")}


def _users(entries: list[AuditEntry]) -> dict[int, User]:
    """The users the entries name, as actor or target, by id."""
    ids = {e.actor_user_id for e in entries if e.actor_user_id}
    ids |= {int(m.group(2)) for e in entries if (m := MODEL_TARGET.match(e.target or "")) and m.group(1) == "users"}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _who(entry: AuditEntry, users: dict[int, User]) -> str:
    """Whoever acted, by name."""
    user = users.get(entry.actor_user_id or 0)
    if user is not None:
        return user.name or user.email
    actor = entry.actor or ""
    if actor.startswith("host:table:"):
        return _("samtalsledaren vid %(table)s", table=_target("tables:" + actor.rsplit(":", 1)[1]))
    return {"host": _("en samtalsledare"), "oidc": _("organisationens inloggning"),
            "system": _("systemet"), "": _("okänd")}.get(actor, actor)


def _target(target: str) -> str:
    """What an entry acted on, by name: a user, café, table, unit or action, or the café a path names."""
    if not target:
        return ""
    if target == "all":
        return _("alla caféer")
    found = MODEL_TARGET.match(target) or PATH_TARGET.search(target)
    if found is None:
        return target
    kind, number = found.group(1), int(found.group(2))
    model = {"users": User, "events": Event, "tables": Table, "units": Unit, "actions": ActionItem,
             "action_items": ActionItem}[kind]
    row = db.session.get(model, number)
    if row is None:
        return _("%(kind)s %(number)s (borttagen)", kind=_kind_word(kind), number=number)
    return {User: lambda: row.name or row.email, Event: lambda: row.title, Table: lambda: row.display_name,
            Unit: lambda: row.name, ActionItem: lambda: row.title}[model]()


def _kind_word(kind: str) -> str:
    """A word for a kind of row that no longer exists."""
    return {"users": _("Användare"), "events": _("Café"), "tables": _("Bord"), "units": _("Enhet")}.get(
        kind, _("Åtgärd"))

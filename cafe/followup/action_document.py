"""The action lists as a Word document for the workplace meeting (APT): one section per unit, each action
with its facts and room for the meeting's decision, on A4 and in the reader's language."""
from docx.enum.section import WD_SECTION
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents import word
from ..labels import level_label
from ..models import Event
from ..models.action import ActionItem
from . import actions
from .action_exports import UnitList, unit_lists

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def point_text(event: Event, number: int | None) -> str:
    """A point as a reader knows it, number and name ("2. Introduktionsprogram och mentorskap för
    nyanställda"), or that the action lies outside the plan."""
    if number is None:
        return str(actions.OUTSIDE_PLAN)
    names = {p.number: p.title for p in event.framework.points} if event.framework else {}
    return f"{number}. {names[number]}" if number in names else str(number)


def _subgoal(action: ActionItem) -> str:
    """The sub-goal in one line: indicator, target and where it stands."""
    parts = [action.subgoal_indicator,
             action.subgoal_target and _("mål: %(target)s", target=action.subgoal_target),
             action.subgoal_current and _("nu: %(current)s", current=action.subgoal_current)]
    return " – ".join(p for p in parts if p)


def facts(event: Event, action: ActionItem) -> list[tuple[str, str]]:
    """The facts of an action as the APT document shows them, label and value."""
    return [
        (_("Status"), str(actions.STATUS_LABELS[action.status])),
        (_("Punkt"), point_text(event, action.point)),
        (_("Nivå"), level_label(action.level) if action.level else ""),
        (_("Ansvarig"), action.responsible),
        (_("Forum"), str(actions.FORUM_LABELS[action.forum]) if action.forum else ""),
        (_("Delmål"), _subgoal(action)),
        (_("Klart senast"), action.due_date.isoformat() if action.due_date else ""),
        (_("Senaste kommentar"), action.latest_comment),
        (_("Teman"), ", ".join(action.theme_labels)),
    ]


def _unit_name(group: UnitList) -> str:
    """The unit's name, or the administration-wide heading in the reader's language."""
    return group.unit.name if group.unit else _("Hela förvaltningen")


def _unit_section(doc, event: Event, group: UnitList) -> None:
    """One unit's list: a heading, then each action with its facts and room for the APT's decision."""
    doc.add_heading(_("Åtgärdslista – %(unit)s", unit=_unit_name(group)), level=1)
    held = f"{event.title}, {event.date.isoformat()}" if event.date else event.title
    doc.add_paragraph(_("%(cafe)s. Underlag för arbetsplatsträffen (APT): ta ställning till varje åtgärd.",
                        cafe=held))
    if not group.actions:
        doc.add_paragraph(_("Inga åtgärder."))
    for action in group.actions:
        doc.add_heading(action.title, level=2)
        if action.description:
            doc.add_paragraph(action.description)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in facts(event, action):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value or ""
        doc.add_paragraph(_("Beslut på APT:") + " ______________________________________________")


def to_docx(event: Event, unit_id: int | None = None, author: str | None = None,
            language: str | None = "sv") -> bytes:
    """One document with a section (starting on a new page) per unit, written by `author` (else the
    installation's name) in `language`."""
    author = author or current_app.config.get("INSTALLATION_NAME") or "Dialogcafé"
    with force_locale(word.language_tag(language).split("-")[0]):
        doc = word.document(_("Åtgärdslistor – %(title)s", title=event.title), author, language,
                            subject=_("Underlag för arbetsplatsträffen (APT)"))
        for n, group in enumerate(unit_lists(event, unit_id)):
            if n:
                doc.add_section(WD_SECTION.NEW_PAGE)
            _unit_section(doc, event, group)
        return word.to_bytes(doc)

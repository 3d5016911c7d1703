"""Forms of the action lists: one action, a comment, drafts from notes, uploads and earlier cafés."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..followup import actions
from ..labels import LEVEL_LABELS
from ..models.action import ACTION_STATUSES, FORUMS


class ActionForm(FlaskForm):
    """Every field of an action; the service validates the values again."""

    title = StringField(_l("Rubrik"), validators=[DataRequired(_l("Skriv en rubrik.")), Length(max=300)])
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=5000)])
    unit_id = SelectField(_l("Enhet"), validators=[Optional()])
    point = SelectField(_l("Punkt i handlingsplanen"), validators=[Optional()])
    level = SelectField(_l("Nivå"), choices=[("", _l("Ingen nivå"))] + list(LEVEL_LABELS.items()),
                        validators=[Optional()])
    responsible = StringField(_l("Ansvarig"), validators=[Length(max=200)])
    status = SelectField(_l("Status"), choices=[(s, actions.STATUS_LABELS[s]) for s in ACTION_STATUSES])
    forum = SelectField(_l("Forum som beslutar"), validators=[Optional()],
                        choices=[("", _l("Inget forum"))] + [(f, actions.FORUM_LABELS[f]) for f in FORUMS])
    subgoal_indicator = StringField(_l("Delmål: indikator"), validators=[Length(max=1000)])
    subgoal_target = StringField(_l("Delmål: mål"), validators=[Length(max=200)])
    subgoal_current = StringField(_l("Delmål: nuläge"), validators=[Length(max=200)])
    due_date = DateField(_l("Klart senast"), validators=[Optional()])
    version = HiddenField()

    def fill_choices(self, event) -> "ActionForm":
        """The administration's units and the framework's points."""
        units = event.administration.units if event.administration else []
        self.unit_id.choices = [("", _l("Hela förvaltningen"))] + [(str(u.id), u.name) for u in units]
        points = event.framework.points if event.framework else []
        self.point.choices = [("", _l("Ingen punkt: utanför handlingsplanen"))] + [
            (str(p.number), f"{p.number}. {p.label}") for p in points]
        return self

    def values(self) -> dict:
        """The submitted values as the service takes them."""
        return {name: getattr(self, name).data for name in (
            "title", "description", "unit_id", "point", "level", "responsible", "status", "forum",
            "subgoal_indicator", "subgoal_target", "subgoal_current", "due_date")}


class CommentForm(FlaskForm):
    """A comment on an action."""

    text = TextAreaField(_l("Ny kommentar"), validators=[DataRequired(_l("Skriv en kommentar.")),
                                                        Length(max=5000)])


class DraftForm(FlaskForm):
    """Drafts from selected notes: the theme they share."""

    label = StringField(_l("Tema (blir åtgärdens rubrik)"),
                        validators=[DataRequired(_l("Skriv vad anteckningarna handlar om.")), Length(max=200)])


class UploadForm(FlaskForm):
    """An XLSX or CSV file."""

    file = FileField(_l("Fil (XLSX eller CSV)"), validators=[FileRequired(_l("Välj en fil."))])


class PastEventForm(FlaskForm):
    """An earlier café to import notes into."""

    title = StringField(_l("Caféets namn"), validators=[DataRequired(_l("Skriv caféets namn.")), Length(max=200)])
    date = DateField(_l("Datum"), validators=[Optional()])
    place = StringField(_l("Plats"), validators=[Length(max=200)])

"""Forms for planning a café, its units and staff, and the pre-vote."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..labels import LEVEL_LABELS

LEVEL_CHOICES = [("", _l("Ingen nivå"))] + list(LEVEL_LABELS.items())
ROLE_CHOICES = [("facilitator", _l("Processledare")), ("project_lead", _l("Projektledare"))]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, e.g. the framework's points."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def point_choices(event) -> list[tuple[int, str]]:
    """The event's framework points as checkbox choices."""
    points = event.framework.points if event.framework else []
    return [(p.number, f"{p.number}. {p.title}") for p in points]


class EventForm(FlaskForm):
    """The café's own details."""

    title = StringField(_l("Rubrik"), validators=[DataRequired(_l("Skriv en rubrik.")),
                                                  Length(max=200, message=_l("Högst 200 tecken."))])
    date = DateField(_l("Datum"), validators=[Optional()])
    place = StringField(_l("Plats"), validators=[Length(max=200, message=_l("Högst 200 tecken."))])
    description = TextAreaField(_l("Beskrivning"), validators=[Length(max=4000, message=_l("Högst 4 000 tecken."))])
    focus_points = MultiCheckboxField(_l("Caféets fokuspunkter"), coerce=int)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus_points.choices = point_choices(event) if event else []


class TableRowForm(Form):
    """One table: name, host and unit."""

    id = HiddenField()
    name = StringField(_l("Bordets namn"), validators=[Length(max=200, message=_l("Högst 200 tecken."))])
    host_name = StringField(_l("Samtalsledare"), validators=[Length(max=200, message=_l("Högst 200 tecken."))])
    unit_id = SelectField(_l("Enhet"), coerce=int, validate_choice=True)


class TablesForm(FlaskForm):
    """The café's tables as an editable list."""

    tables = FieldList(FormField(TableRowForm), max_entries=100)
    confirm_remove = BooleanField(_l("Ta bort borden ändå"))


class RoundRowForm(Form):
    """One round: question, minutes, level and focus points."""

    id = HiddenField()
    question = TextAreaField(_l("Fråga"), validators=[DataRequired(_l("Skriv rundans fråga.")),
                                                      Length(max=1000, message=_l("Högst 1 000 tecken."))])
    planned_minutes = IntegerField(_l("Minuter"), validators=[
        InputRequired(_l("Ange rundans längd i minuter.")),
        NumberRange(1, 240, message=_l("Mellan 1 och 240 minuter."))])
    level = SelectField(_l("Nivå"), choices=LEVEL_CHOICES)
    focus_points = MultiCheckboxField(_l("Fokuspunkter"), coerce=int)


class RoundsForm(FlaskForm):
    """The café's rounds as an editable list."""

    rounds = FieldList(FormField(RoundRowForm), max_entries=20)


class FacilitatorsForm(FlaskForm):
    """Which facilitators of the administration run this café."""

    facilitators = MultiCheckboxField(_l("Processledare"), coerce=int)


class UnitForm(FlaskForm):
    """A unit's name."""

    name = StringField(_l("Enhetens namn"), validators=[DataRequired(_l("Skriv enhetens namn.")),
                                                        Length(max=200, message=_l("Högst 200 tecken."))])


class StaffForm(FlaskForm):
    """A new facilitator or project-lead account."""

    name = StringField(_l("Namn"), validators=[DataRequired(_l("Skriv personens namn.")), Length(max=200)])
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Skriv en e-postadress.")),
                                                       Length(max=254)])
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES)
    password = PasswordField(_l("Tillfälligt lösenord"), validators=[
        DataRequired(_l("Skriv ett lösenord.")), Length(10, 200, message=_l("Minst 10 tecken."))])


class VoteOpenForm(FlaskForm):
    """Opening the pre-vote."""

    max_points = IntegerField(_l("Antal punkter per deltagare"), default=3, validators=[
        InputRequired(_l("Ange hur många punkter var och en får välja.")),
        NumberRange(1, 13, message=_l("Mellan 1 och 13 punkter."))])
    personal_only = BooleanField(_l("Bara personliga länkar får svara"))


class LinkCodesForm(FlaskForm):
    """How many single-use personal links to make."""

    count = IntegerField(_l("Antal personliga länkar"), default=10, validators=[
        InputRequired(_l("Ange ett antal.")), NumberRange(1, 1000, message=_l("Mellan 1 och 1 000."))])


class FocusForm(FlaskForm):
    """The café's focus points, picked from the pre-vote's results."""

    points = MultiCheckboxField(_l("Fokuspunkter"), coerce=int)
    apply_to_rounds = BooleanField(_l("Använd samma fokuspunkter i alla rundor"))

"""Translated labels for values stored in Swedish (the levels), for pages, forms and exports."""
from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {"individ": _l("Individ"), "enhet": _l("Enhet"), "förvaltning": _l("Förvaltning")}


def level_label(value: str | None) -> str:
    """The level in the page's language; '–' for none; an unknown value as it is."""
    if not value:
        return "–"
    return str(LEVEL_LABELS.get(value, value))

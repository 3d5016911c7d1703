"""The undo list's words for a curation, kept as a key and its values so each reader gets their own language.

A curation stores `words` such as `{"key": "rename", "old": "Lön", "new": "Lön och villkor"}`; the console
writes them with the templates of `templates()` (in the page's language), and `swedish()` gives the text kept
in `Curation.summary` for the API and for readers of old rows.
"""
import re

from flask_babel import force_locale, get_translations
from flask_babel import lazy_gettext as _l

WORDS = {
    "rename": _l('Bytte namn på "%(old)s" till "%(new)s"'),
    "merge": _l('Slog ihop %(sources)s med "%(target)s"'),
    "move": _l('Flyttade en anteckning från "%(source)s" till "%(target)s"'),
    "move_unthemed": _l('Flyttade en anteckning utan tema till "%(target)s"'),
    "point_removed": _l("Tog bort den bekräftade punkten på en anteckning"),
    "point_other": _l("Markerade en anteckning som annat (utanför ramverket)"),
    "point_set": _l("Satte punkt %(point)s på en anteckning"),
    "note_marked": _l("Markerade en anteckning för storgruppen"),
    "note_unmarked": _l("Tog bort en anteckning från storgruppen"),
    "theme_marked": _l('Markerade "%(label)s" för storgruppen'),
    "theme_unmarked": _l('Tog bort "%(label)s" från storgruppen'),
    "promote": _l('Gjorde "%(label)s" till ny punkt %(number)s'),
    "undo": _l("Ångrade: %(summary)s"),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _split(count: int, **values) -> str:
    """The words for a split, whose count of notes needs the language's plural form."""
    template = get_translations().ungettext('Delade "%(theme)s": %(num)s anteckning till "%(new)s"',
                                            'Delade "%(theme)s": %(num)s anteckningar till "%(new)s"', count)
    return template % {"num": count, **values}


def text(words: dict) -> str:
    """The words of a curation in the current language."""
    key = words.get("key")
    if key == "split":
        return _split(int(words.get("num", 0)), theme=words.get("theme", ""), new=words.get("new", ""))
    if key == "undo":
        return str(WORDS["undo"]) % {"summary": text(words.get("of") or {})}
    if key not in WORDS:
        return str(words.get("text", ""))
    template = str(WORDS[key])
    return template % {name: words.get(name, "") for name in PLACEHOLDER.findall(template)}


def swedish(words: dict) -> str:
    """The words in Swedish, as the curation's stored summary."""
    with force_locale("sv"):
        return text(words)


def templates() -> dict[str, str]:
    """Every template in the current language with `{name}` where a value goes, for the console's script."""
    out = {key: str(template) % {name: f"{{{name}}}" for name in PLACEHOLDER.findall(str(template))}
           for key, template in WORDS.items()}
    for n, form in ((1, "splitOne"), (2, "splitOther")):
        out[form] = _split(n, theme="{theme}", new="{new}", num="{num}")
    return out

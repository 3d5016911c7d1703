"""No UI text is hard-coded in Swedish outside the catalogues: the scripts take their words from the page
(data attributes filled by gettext), and the templates put every sentence through `_()` or `ngettext`."""
import html
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Letters and everyday words of Swedish UI text; one of them in a string shown to people means Swedish.
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|att|inte|är|anteckning\w*|vald|valda|bord|rund(a|or|an)|sparad\w*|ingen|"
                     r"inga|för|till|med|ett|du|har|kan|skriv\w*|visa|dölj|stäng|ändra|ångra\w*|punkt\w*|tema\w*|"
                     r"kvar|minut\w*|sekund\w*|caféer|avbryt|klar|fel)\b", re.IGNORECASE)
# Strings in code that are Swedish on purpose, and why.
ALLOWED = {
    ("pii.js", "och"): "the name check reads 'och' between two names in a note; it is never shown",
}
IDENTIFIER = re.compile(r"^[a-z0-9]*([-_:.#][a-z0-9]+)+$")  # an event name, a class, a key: not words
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SHOWN_ATTRIBUTES = re.compile(r'\b(?:aria-label|aria-description|title|placeholder|alt)="([^"]*)"')
BRAND = {"Dialogcafé"}


def js_strings(text: str) -> list[tuple[int, str]]:
    """The string and template literals of a script with their line numbers, comments and regexes skipped."""
    found, i, previous = [], 0, "("
    while i < len(text):
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif text.startswith("//", i):
            i = text.find("\n", i) % (len(text) + 1)
        elif text[i] in "\"'`":
            end = _closing(text, i)
            found.append((text.count("\n", 0, i) + 1, text[i + 1:end]))
            i, previous = end + 1, "a"
        elif text[i] == "/" and (previous in "(,=:!&|?{};[" or text[max(0, i - 7):i].strip() == "return"):
            i = _closing(text, i) + 1  # a regular expression literal
            previous = "a"
        else:
            previous = text[i] if not text[i].isspace() else previous
            i += 1
    return found


def _closing(text: str, start: int) -> int:
    """The index of the quote or slash closing the literal opened at `start`."""
    quote, i, in_class = text[start], start + 1, False
    while i < len(text) and (text[i] != quote or in_class):
        if text[i] == "\\":
            i += 1
        elif quote == "/" and text[i] in "[]":
            in_class = text[i] == "["
        i += 1
    return i


def template_texts(source: str) -> list[str]:
    """The text a template shows as written, outside any Jinja expression: text nodes and shown attributes."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", JINJA.sub(" ", source), flags=re.S)
    shown = SHOWN_ATTRIBUTES.findall(text) + re.sub(r"<[^>]*>", "\n", text).splitlines()
    return [html.unescape(s).strip() for s in shown if s.strip()]


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "static" / "js").glob("*.js")))
def test_scripts_take_their_words_from_the_page(script):
    swedish = [f"line {line}: {text!r}" for line, text in js_strings((ROOT / "static" / "js" / script).read_text())
               if SWEDISH.search(text) and not IDENTIFIER.match(text) and (script, text) not in ALLOWED]
    assert swedish == [], (f"Swedish written into {script}; give it to the script through a data attribute "
                           f"translated in the template:\n" + "\n".join(swedish))


@pytest.mark.parametrize("template", sorted(str(p.relative_to(ROOT / "templates"))
                                            for p in (ROOT / "templates").rglob("*.html")))
def test_templates_put_every_word_through_gettext(template):
    texts = template_texts((ROOT / "templates" / template).read_text())
    swedish = [t for t in texts if SWEDISH.search(t) and t not in BRAND]
    assert swedish == [], f"Swedish outside _() in {template}:\n" + "\n".join(swedish)


@pytest.mark.parametrize("code, expected", [
    ('count.textContent = n === 1 ? "1 anteckning vald" : n + " anteckningar valda";',
     ["1 anteckning vald", " anteckningar valda"]),
    ("const re = /['\"]/g; label: 'Spara' // 'Ångra'", ["Spara"]),
    ("return /a\\/b/.test(x) ? `Visa ${n}` : '';", ["Visa ${n}", ""]),
])
def test_the_scanner_finds_literals_and_skips_comments_and_regexes(code, expected):
    assert [text for _line, text in js_strings(code)] == expected


def test_the_scanner_sees_a_hard_coded_sentence_in_a_template():
    assert template_texts('<p>{{ _("Spara") }}</p><button title="Stäng">Avbryt</button>') == ["Stäng", "Avbryt"]

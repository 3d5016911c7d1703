"""The English catalog is complete: every string in the code is extracted, translated and not fuzzy."""
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from .conftest import POT, ROOT, read_catalog

# The same keywords as `make translations-update` passes to `pybabel extract`.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
FIX = "run `make translations-update` and translate the new entries in the .po"


def msgid_key(message_id) -> str:
    """The singular msgid, whether the message has plural forms or not."""
    return message_id if isinstance(message_id, str) else message_id[0]


def ids(catalog) -> set[str]:
    """The msgids of a catalog, without the header."""
    return {msgid_key(message.id) for message in catalog if message.id}


def listing(strings) -> str:
    """The strings one per line, for a failure message."""
    return "\n".join(f"  {s!r}" for s in sorted(strings))


@pytest.fixture(scope="module")
def code_ids() -> set[str]:
    """The msgids in the code and templates now, extracted as babel.cfg says."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {msgid_key(message) for _file, _line, message, _comments, _context
            in extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)}


@pytest.fixture(scope="module")
def catalog():
    """The English catalog."""
    return read_catalog()


def test_babel_cfg_covers_the_app_and_templates_only(code_ids):
    with (ROOT / "babel.cfg").open() as handle:
        method_map, _options = parse_mapping_cfg(handle)
    assert [pattern for pattern, _method in method_map] == ["cafe/**.py", "templates/**.html"]
    assert "Hoppa till innehållet" in code_ids  # a template string
    assert "Begäran kunde inte tolkas." in code_ids  # a lazy_gettext string in cafe/errors.py


def test_every_string_in_the_code_is_translated(code_ids, catalog):
    translated = {msgid_key(m.id) for m in catalog if m.id and all(strings(m)) and not m.fuzzy}
    missing = code_ids - translated
    assert not missing, f"{len(missing)} string(s) without an English translation; {FIX}:\n{listing(missing)}"


def test_pot_is_up_to_date_with_the_code(code_ids):
    template = ids(read_catalog(POT))
    assert not code_ids - template, f"not in messages.pot; {FIX}:\n{listing(code_ids - template)}"
    assert not template - code_ids, f"no longer in the code; {FIX}:\n{listing(template - code_ids)}"


def test_catalog_has_exactly_the_pot_strings(catalog):
    template = ids(read_catalog(POT))
    assert ids(catalog) == template, f"{FIX}:\n{listing(ids(catalog) ^ template)}"


def test_no_entry_is_empty_or_fuzzy(catalog):
    empty = [m.id for m in catalog if m.id and not all(strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not empty, f"empty translations:\n{listing(map(msgid_key, empty))}"
    assert not fuzzy, f"fuzzy entries (check them, then remove the flag):\n{listing(map(msgid_key, fuzzy))}"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"


def source_forms(message) -> tuple[str, ...]:
    """The msgid each translated form renders: the singular for the first form, the plural for the others."""
    if isinstance(message.id, str):
        return (message.id,)
    return (message.id[0],) + (message.id[1],) * (len(strings(message)) - 1)


def test_translations_keep_every_placeholder(catalog):
    broken = [msgid_key(m.id) for m in catalog if m.id
              if any(sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(source))
                     for s, source in zip(strings(m), source_forms(m)))]
    assert not broken, f"placeholders differ from the msgid:\n{listing(broken)}"


def strings(message) -> tuple[str, ...]:
    """Every translated form of a message (one, or one per plural form)."""
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


# A count followed by a noun in its plural form: such a msgid must go through ngettext.
COUNTED_PLURAL = re.compile(r"%\((\w+)\)[sd] (anteckningar|caféer|åtgärder|rader|teman|punkter|rundor|röster|"
                            r"minuter|sekunder|gånger|dagar|ändringar|kommentarer|länkar|enheter|utkast)\b")


def test_counts_go_through_ngettext(catalog):
    """A number of things needs the language's plural form: "1 anteckning", "2 notes", never "note(s)"."""
    singular_only = [m.id for m in catalog if isinstance(m.id, str) and COUNTED_PLURAL.search(m.id)]
    either = [msgid_key(m.id) for m in catalog if m.id and any(re.search(r"\w\(s\)", s) for s in strings(m))]
    assert not singular_only, f"a count with a plural noun outside ngettext:\n{listing(singular_only)}"
    assert not either, f"English that hedges the plural with (s):\n{listing(either)}"

"""Nothing a host has typed is lost: an open edit survives a note from another phone at the table, the
ack of the note just sent, a reconnect and a reload; the note being typed survives a reload; a paste longer
than the server's limit is kept, counted and explained instead of being cut.

Each test but the one that stops the server uses a table of its own on one server for the module."""
import pytest

from tests.browser.test_host_offline import SAVED, _type_note

EDIT = "#note-list .note-edit textarea"


def _host(browser, server, number: int = 1):
    """A host's phone: its own browser profile, on the table's page and connected."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server.demo["tables"][number - 1]["url"])
    page.wait_for_selector('#connection[data-state="online"]')
    return page


def _chars(page) -> str:
    """The visible character count, with the no-break spaces of Swedish numbers as spaces."""
    return page.inner_text("#note-chars").replace("\xa0", " ")


def _note(page, text: str):
    """The host's note item with this text."""
    return page.locator("#note-list .note", has_text=text)


@pytest.fixture
def phones(browser, module_live_server):
    """Two phones at table 1."""
    pages = [_host(browser, module_live_server), _host(browser, module_live_server)]
    yield pages
    for page in pages:
        page.context.close()


def test_an_open_edit_survives_a_note_from_another_phone_and_a_reload(phones):
    first, second = phones
    _type_note(first, "Mentorskap för nya kollegor")
    first.wait_for_selector(f'{SAVED}:has-text("Mentorskap för nya kollegor")')
    _note(first, "Mentorskap för nya kollegor").locator("[data-action=edit]").click()
    first.fill(EDIT, "Mentorskap för nya kollegor under hela första")
    first.focus(EDIT)

    _type_note(second, "Skrivet på den andra telefonen")
    first.wait_for_selector(f'{SAVED}:has-text("Skrivet på den andra telefonen")')
    assert first.input_value(EDIT) == "Mentorskap för nya kollegor under hela första"
    assert first.evaluate("document.activeElement.matches('#note-list .note-edit textarea')")

    first.reload()
    first.wait_for_selector('#connection[data-state="online"]')
    assert first.input_value(EDIT) == "Mentorskap för nya kollegor under hela första"
    first.fill(EDIT, "Mentorskap för nya kollegor under hela första året")
    first.press(EDIT, "Enter")
    first.wait_for_selector(f'{SAVED}:has-text("under hela första året")')
    assert first.locator(EDIT).count() == 0
    second.wait_for_selector(f'{SAVED}:has-text("under hela första året")')
    assert first.errors == [] and second.errors == []


def test_an_edit_opened_just_after_sending_survives_the_ack_and_a_reconnect(live_server, browser):
    server = live_server
    host = _host(browser, server, 2)
    server.kill()
    host.wait_for_selector('#connection[data-state="offline"]', timeout=20000)
    _type_note(host, "Administratörer som bokar tolk")
    _note(host, "Administratörer som bokar tolk").locator("[data-action=edit]").click()
    host.fill(EDIT, "Administratörer som bokar tolk och arkiverar")
    server.start()
    host.wait_for_selector('#note-list .note.editing[data-status="saved"]', timeout=30000)  # the ack came
    host.wait_for_timeout(500)  # the sync after the reconnect re-renders the list too
    assert host.input_value(EDIT) == "Administratörer som bokar tolk och arkiverar"
    host.press(EDIT, "Enter")
    host.wait_for_selector(f'{SAVED}:has-text("och arkiverar")')
    host.context.close()


def test_the_note_being_typed_survives_a_reload(module_live_server, browser):
    host = _host(browser, module_live_server, 3)
    host.fill("#note-text", "Halvskriven anteckning om introduktion")
    host.reload()
    host.wait_for_selector('#connection[data-state="online"]')
    assert host.input_value("#note-text") == "Halvskriven anteckning om introduktion"
    _type_note(host, host.input_value("#note-text") + " av nyanställda")
    host.wait_for_selector(f'{SAVED}:has-text("introduktion av nyanställda")')
    host.reload()
    host.wait_for_selector('#connection[data-state="online"]')
    assert host.input_value("#note-text") == ""
    host.context.close()


def test_a_long_paste_is_kept_counted_and_refused_until_shortened(module_live_server, browser, assert_accessible):
    host = _host(browser, module_live_server, 4)
    assert host.locator("#note-chars").is_hidden()
    host.fill("#note-text", "a" * 1500)
    assert host.locator("#note-chars").is_hidden()  # below 80 % of the limit nothing is counted
    host.fill("#note-text", "a" * 1700)
    assert _chars(host) == "1 700 av högst 2 000 tecken"

    long_text = "Lång anteckning. " + "b" * 4983
    host.fill("#note-text", long_text)
    assert host.input_value("#note-text") == long_text  # nothing is cut
    assert "5 000 av högst 2 000 tecken" in _chars(host)
    assert host.locator("#note-text").get_attribute("aria-invalid") == "true"
    host.press("#note-text", "Enter")
    assert "för lång" in host.inner_text("#note-error")
    assert host.input_value("#note-text") == long_text
    assert _note(host, "Lång anteckning").count() == 0
    host.wait_for_function("() => document.querySelector('#note-chars-live').textContent.includes('5\u00a0000')")
    assert_accessible(host)

    host.fill("#note-text", long_text[:2000])
    host.press("#note-text", "Enter")
    host.wait_for_selector(f'{SAVED}:has-text("Lång anteckning")')
    assert host.input_value("#note-text") == "" and host.locator("#note-chars").is_hidden()
    host.context.close()

"""Keyboard only: the facilitator starts a round, renames and merges a theme, moves a note and undoes a
curation; the table host joins, writes three notes, picks a point and stars one. Only Tab, Enter, Space,
arrows and typing (no clicks); at every step the focused element shows a visible focus indicator, and
dialogs take the focus in and give it back to the button that opened them."""
import sqlite3

import pytest

from tests.browser.conftest import login

FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {visible: false, matches: false, what: 'body'};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const visible = (outline || style.boxShadow !== 'none') && el.getClientRects().length > 0;
  return {visible, matches: !!selector && el.matches(selector),
          what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 40)};
}"""


def _focus(page, selector: str = "") -> dict:
    """What has the focus, whether it shows, and whether it matches the selector."""
    return page.evaluate(FOCUS, selector)


def _press(page, key: str, selector: str = "") -> dict:
    """Press a key and assert that the focus is visible afterwards."""
    page.keyboard.press(key)
    focus = _focus(page, selector)
    assert focus["visible"], f"no visible focus after {key}: {focus['what']}"
    return focus


def _tab_to(page, selector: str, *, back: bool = False, limit: int = 400) -> None:
    """Tab (or Shift+Tab) until the selector has the focus, checking a visible focus at every stop."""
    if _focus(page, selector)["matches"]:
        return
    for _ in range(limit):
        if _press(page, "Shift+Tab" if back else "Tab", selector)["matches"]:
            return
    pytest.fail(f"{selector} never got the focus with the keyboard; last: {_focus(page)['what']}")


def _in_dialog(page, dialog: str) -> None:
    """The open dialog holds the focus, visibly."""
    page.wait_for_selector(f"{dialog}[open]")
    assert page.evaluate("d => document.querySelector(d).contains(document.activeElement)", dialog), dialog
    assert _focus(page)["visible"], dialog


def _back_to(page, opener) -> None:
    """The dialog closed and the focus went back to the element that opened it."""
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    assert opener.evaluate("el => el === document.activeElement"), _focus(page)["what"]
    assert _focus(page)["visible"]


def _before_first_round(server) -> None:
    """The demo café before its first round, as the day begins."""
    with sqlite3.connect(server.env["DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE rounds SET started_at = NULL, ended_at = NULL, paused_at = NULL, "
                     "paused_seconds = 0, extra_minutes = 0")
        conn.execute("UPDATE events SET status = 'draft'")


def test_the_facilitator_runs_and_curates_with_the_keyboard(module_server, browser):
    server = module_server
    _before_first_round(server)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    creds = server.demo["facilitator"]
    login(page, server.url, creds["email"], creds["password"])
    page.goto(server.demo["facilitator_url"])
    page.wait_for_selector('#connection[data-state="online"]')
    page.wait_for_selector("#theme-list .theme-card", timeout=60000)

    _tab_to(page, '[data-control="round:start"]')
    _press(page, "Enter")
    page.wait_for_function("() => /kvar$/.test(document.querySelector('#console-countdown').textContent)")
    assert _focus(page)["visible"], "the focus was lost when the start button was disabled"

    _tab_to(page, '#theme-list .theme-card:first-child [data-action="rename"]')
    opener = page.locator('#theme-list .theme-card:first-child [data-action="rename"]')
    _press(page, "Enter")
    _in_dialog(page, "#rename-dialog")
    page.keyboard.press("Control+A")
    page.keyboard.type("Introduktion för nya")
    _press(page, "Enter")
    _back_to(page, opener)
    page.wait_for_selector('#theme-list .theme-label:text-is("Introduktion för nya")')

    first = '#theme-list .theme-card:first-child'
    merge = page.locator(f'{first} [data-action="merge"]')
    before = page.locator("#theme-list .theme-card").count()
    _tab_to(page, f'{first} [data-action="merge"]')
    _press(page, "Enter")
    _in_dialog(page, "#merge-dialog")
    _press(page, "ArrowDown")
    _tab_to(page, '#merge-dialog button[type="submit"]')
    _press(page, "Enter")
    _back_to(page, merge)
    page.wait_for_function(f"() => document.querySelectorAll('#theme-list .theme-card').length === {before - 1}")

    _tab_to(page, f"{first} summary")
    _press(page, "Enter")
    note_button = f"{first} .theme-note-list button"
    page.wait_for_selector(note_button)
    _tab_to(page, note_button)
    _press(page, "Enter")
    _in_dialog(page, "#note-dialog")
    _tab_to(page, "#note-theme")
    _press(page, "ArrowDown")
    _tab_to(page, "#note-move")
    _press(page, "Enter")
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    focus = _focus(page)
    assert focus["visible"] and page.evaluate(f"() => document.querySelector('{first}').contains("
                                              "document.activeElement)"), focus
    page.wait_for_selector('#curation-list li:first-child .curation-summary:has-text("Flyttade en anteckning")',
                           timeout=10000)

    _tab_to(page, "#curation-list li:first-child button[data-curation-id]")
    _press(page, "Enter")
    page.wait_for_selector('#curation-list li:first-child .curation-summary:has-text("Ångrade: Flyttade")',
                           timeout=10000)
    assert _focus(page)["visible"]
    context.close()


def test_the_table_host_works_with_the_keyboard(module_server, browser):
    server = module_server
    table = server.demo["tables"][3]
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(server.url + "/join")
    _tab_to(page, "#code")
    page.keyboard.type(table["join_code"])
    with page.expect_navigation():  # a new page starts with the focus on its document
        page.keyboard.press("Enter")
    page.wait_for_selector('#connection[data-state="online"]')

    _tab_to(page, "#note-text")
    for text in ("Mentor till alla nyanställda första året", "Fler administratörer som tar bokningar"):
        page.keyboard.type(text)
        _press(page, "Enter")
        page.wait_for_selector(f'#note-list .note[data-status="saved"]:has-text("{text}")')
        assert page.evaluate("() => document.activeElement.id") == "note-text"

    page.keyboard.type("Administratörer som tar över arkivering och bokning av tolk")
    page.wait_for_selector(".point-chip input", timeout=30000)
    _tab_to(page, ".point-chip input")
    _press(page, "Space")
    chosen = page.evaluate("() => document.activeElement.value")
    assert page.input_value("#point-select") == chosen
    _tab_to(page, "#note-text", back=True)
    _press(page, "Enter")
    saved = '#note-list .note[data-status="saved"]:has-text("arkivering")'
    page.wait_for_selector(f'{saved} .note-point:has-text("(vald)")')

    star = '#note-list .note:first-child [data-action="star"]'
    _tab_to(page, star)
    _press(page, "Enter")
    page.wait_for_selector(f'{star}[aria-pressed="true"]', timeout=10000)
    assert _focus(page)["visible"]
    assert "arkivering" in page.inner_text("#note-list .note:first-child .note-text")
    context.close()

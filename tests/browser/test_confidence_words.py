"""Scores mean nothing to a host: the point chips carry no percentages; the console says "säker" or
"osäker" in words and keeps the figure for facilitators in a tooltip and in text for screen readers."""
import re

from tests.browser.test_run_round import NOTE, _open_console

POINT_CARD = "#theme-list .theme-card:has(.theme-point:has-text('Punkt'))"


def test_hosts_see_no_percentages(live_server, browser):
    host = browser.new_context(locale="sv-SE").new_page()
    host.goto(live_server.demo["tables"][0]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    host.type("#note-text", NOTE, delay=5)
    host.wait_for_selector(".point-chip", timeout=30000)
    chips = host.inner_text("#point-chips")
    assert re.match(r"6\. ", chips)
    assert "%" not in chips and "säker" not in chips
    assert "%" not in host.evaluate("Array.from(document.querySelectorAll('#point-choice [title]'))"
                                    ".map(e => e.title).join(' ')")
    host.context.close()


def test_the_console_says_sure_or_unsure_and_keeps_the_figure_in_a_tooltip(live_server, context,
                                                                          assert_accessible):
    console = _open_console(context, live_server)
    card = console.wait_for_selector(POINT_CARD, timeout=120000)
    point = card.query_selector(".theme-point")
    shown = point.evaluate("p => Array.from(p.childNodes).filter(n => !(n.classList && "
                           "n.classList.contains('visually-hidden'))).map(n => n.textContent).join('')")
    assert "%" not in shown
    assert re.search(r"\((säker|osäker)\)$", shown.strip()), shown
    word = point.query_selector(".confidence")
    assert re.fullmatch(r"säkerhet \d{1,3} %", word.get_attribute("title"))
    assert word.get_attribute("title") in point.text_content()  # read out to screen readers as well
    assert_accessible(console)

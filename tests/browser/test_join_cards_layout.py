"""Printed join cards and the organizer's pages in Chromium: on A4 paper two cards fit on a page and none
overlaps another or spills out of its border; on a phone long unit names stay inside their cards and a
join code is never broken across lines."""
import math
import re

from tests.browser.conftest import login

MM = 96 / 25.4  # CSS pixels per millimetre
A4_PRINTABLE = (round((210 - 24) * MM), round((297 - 24) * MM))  # the page rule's 12 mm margins

# Every element of a card that lies outside the card's border, and every card that overlaps the next one.
LAYOUT_FAULTS = """(selector) => {
  const faults = [];
  const cards = [...document.querySelectorAll(selector)];
  cards.forEach((card, i) => {
    const box = card.getBoundingClientRect();
    if (card.scrollHeight > card.clientHeight + 1 || card.scrollWidth > card.clientWidth + 1) {
      faults.push(`card ${i + 1} scrolls: ${card.scrollWidth}x${card.scrollHeight} in ${card.clientWidth}x${card.clientHeight}`);
    }
    card.querySelectorAll("*").forEach((inner) => {
      const r = inner.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)) {
        faults.push(`card ${i + 1}: ${inner.className || inner.tagName} "${inner.textContent.trim().slice(0, 30)}" outside`);
      }
    });
    const next = cards[i + 1];
    if (next) {
      const n = next.getBoundingClientRect();
      if (n.top < box.bottom - 1 && n.left < box.right - 1 && n.right > box.left + 1) {
        faults.push(`card ${i + 1} overlaps card ${i + 2}`);
      }
    }
  });
  return faults;
}"""

# Join codes laid out on more than one line.
BROKEN_CODES = """(selector) => [...document.querySelectorAll(selector)].filter((node) => {
  const range = document.createRange();
  range.selectNodeContents(node);
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return lines.size > 1;
}).map((node) => node.textContent.trim())"""

WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_join_cards_print_two_to_an_a4_page_and_fit_a_phone(module_live_server, context):
    server = module_live_server
    held = server.demo["held"]
    page = context.new_page()
    login(page, server.url, server.demo["organizer"]["email"], server.demo["organizer"]["password"])
    page.goto(f"{server.url}/organizer/events/{held['event_id']}/cards")
    cards = page.locator(".join-card")
    count = cards.count()
    assert count == len(held["tables"]) >= 4

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE[0], "height": A4_PRINTABLE[1]})
    assert page.evaluate(LAYOUT_FAULTS, ".join-card") == []
    assert page.evaluate(BROKEN_CODES, ".join-card-code") == []
    heights = [cards.nth(i).bounding_box()["height"] for i in range(count)]
    assert max(heights) <= A4_PRINTABLE[1] / 2 - 6 * MM, f"a card is taller than half a page: {heights}"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == math.ceil(count / 2)

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(LAYOUT_FAULTS, ".join-card") == []
    assert page.evaluate(BROKEN_CODES, ".join-card-code") == []
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0


def test_the_organizers_pages_keep_codes_whole_and_unit_names_inside_on_a_phone(module_live_server, context):
    server = module_live_server
    held = server.demo["held"]
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG's reflow width
    login(page, server.url, server.demo["organizer"]["email"], server.demo["organizer"]["password"])
    page.goto(server.url + "/organizer/")
    assert page.locator("td.code").count() >= len(held["tables"])
    assert page.evaluate(BROKEN_CODES, "td.code") == []
    assert page.evaluate(LAYOUT_FAULTS, ".event-card") == []
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0

    page.goto(f"{server.url}/organizer/events/{held['event_id']}")
    assert "Funktionsnedsättning" in page.locator("main table").inner_text()
    assert page.evaluate(BROKEN_CODES, "td.code") == []
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0

    for path in ("/organizer/units", f"/organizer/events/{held['event_id']}/tables",
                 f"/organizer/events/{server.demo['planned']['event_id']}"):
        page.goto(server.url + path)
        assert page.evaluate(LAYOUT_FAULTS, ".row-card") == [], path
        assert page.evaluate(WIDER_THAN_SCREEN) <= 0, path

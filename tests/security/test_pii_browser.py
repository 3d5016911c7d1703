"""The host page's personal-data check in Chromium: the same findings as the server, a warning while
typing, and a first press of Enter that explains instead of sending."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafe.privacy import pii
from tests.security.test_pii import identity_numbers, ordinary, phone_numbers, words


@pytest.fixture
def host_page(live_cafe, page):
    """The host page of demo table 2, connected."""
    page.goto(live_cafe.demo["tables"][1]["url"])
    page.wait_for_selector("#connection[data-state=online]")
    return page


samples = st.one_of(
    st.tuples(words, identity_numbers(), words).map(" ".join),
    st.tuples(words, identity_numbers(coordination=True), words).map(" ".join),
    st.tuples(words, identity_numbers(valid=False), words).map(" ".join),
    st.tuples(words, phone_numbers(), words).map(" ".join),
    st.from_regex(r"\A[a-z]{1,8}@[a-z]{2,8}\.se\Z").map(lambda a: f"mejla {a} nu"),
    st.lists(ordinary, min_size=1, max_size=4).map(", ".join),
)


def test_browser_and_server_find_the_same(host_page):
    @settings(max_examples=6, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(samples, min_size=60, max_size=60))
    def compare(texts):
        found = host_page.evaluate(
            "texts => texts.map(t => [Dialogcafe.pii.kinds(Dialogcafe.pii.find(t)), Dialogcafe.pii.mask(t)])",
            texts)
        expected = [[pii.kinds(pii.find(t)), pii.mask(t)] for t in texts]
        assert found == expected
    compare()


def test_host_is_warned_while_typing_and_before_sending(host_page, assert_accessible):
    field, warning = host_page.locator("#note-text"), host_page.locator("#note-pii")
    assert warning.is_hidden()
    field.fill("Ring Anna på 070-123 45 67 om introduktionen")
    assert warning.is_visible() and "telefonnummer" in warning.inner_text()
    count = host_page.locator("#note-count").inner_text()
    field.press("Enter")
    assert "döljs" in warning.inner_text() and field.input_value() != ""
    assert host_page.locator("#note-count").inner_text() == count
    assert_accessible(host_page)
    field.press("Enter")
    host_page.wait_for_selector(".note[data-status=saved] .note-text >> text=[telefonnummer]")
    assert "070-123" not in host_page.locator("#note-list").inner_text()
    assert warning.is_hidden()


def test_ordinary_notes_are_sent_at_once(host_page):
    host_page.locator("#note-text").fill("8 bord den 2026-12-03, budget 12 000 kr")
    host_page.locator("#note-text").press("Enter")
    host_page.wait_for_selector(".note[data-status=saved] .note-text >> text=budget 12 000 kr")
    assert host_page.locator("#note-pii").is_hidden()

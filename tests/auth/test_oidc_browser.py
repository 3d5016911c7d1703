"""Signing in and out through the identity provider in a real Chromium, against a real server process."""

import pytest

from tests.auth.conftest import ACCOUNTS, CONTACT, OpenIdProvider, oidc_settings
from tests.server_fixtures import serve_copy
from tests.support import free_port


@pytest.fixture
def signing_in(tmp_path, live_template):
    """A running server of the demo café that signs staff in through a provider of its own."""
    port = free_port()
    provider = OpenIdProvider(redirect_base=f"http://127.0.0.1:{port}").start()
    server = serve_copy(tmp_path, live_template, env=oidc_settings(provider.issuer), port=port)
    yield server, provider
    server.stop()
    provider.stop()


def _at_provider(page, login: str) -> None:
    """Log in on the provider's own form."""
    page.wait_for_selector("#password")
    page.fill("#login", login)
    page.fill("#password", ACCOUNTS[login]["password"])
    page.click("button[type=submit]")


def test_sign_in_and_out_through_the_provider(signing_in, page, assert_accessible):
    server, provider = signing_in
    page.goto(server.url + "/login")
    assert_accessible(page)
    page.click("#oidc-login")
    _at_provider(page, "anna")
    page.wait_for_url(server.url + "/organizer/")
    assert page.is_visible("text=Logga ut")
    page.click("header >> text=Logga ut")
    page.wait_for_url(provider.issuer + "/session/end**")
    page.click("text=Ja, logga ut")
    page.wait_for_url(server.url + "/?**")
    assert page.is_visible("text=Du är utloggad.")
    assert provider.requests_to("/session/end/confirm")
    page.goto(server.url + "/organizer/")
    assert "/login" in page.url
    assert page.errors == []


def test_the_no_access_message_is_readable_and_names_the_contact(signing_in, page, assert_accessible):
    server, _provider = signing_in
    page.goto(server.url + "/login")
    page.click("#oidc-login")
    _at_provider(page, "olle")
    page.wait_for_url(server.url + "/auth/oidc/callback**")
    alert = page.text_content("[role=alert]")
    assert "Du har inte behörighet till Dialogcafé" in alert and CONTACT in alert
    assert_accessible(page)

"""Signing in through the identity provider: the happy path, and each way the protocol can go wrong."""
import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.people import users
from tests.auth.conftest import APP_URL, CLIENT_ID, OpenIdProvider, accounts, audit_log
from tests.support import free_port

UNTRUSTED = "Svaret från kommunens inloggning gick inte att lita på"
STALE = "Inloggningen kunde inte slutföras"
DOWN = "Kommunens inloggning svarar inte just nu"


def _page(reply) -> str:
    """The text of an answer."""
    return reply.get_data(as_text=True)


def _refused(app, person, reply, status: int, message: str) -> list[dict]:
    """Assert a refused sign-in: its status and message, nobody signed in, no account; the failures logged."""
    assert reply.status_code == status, _page(reply)[:500]
    assert message in _page(reply)
    assert not person.signed_in()
    assert accounts(app) == {}
    return [entry["details"] for entry in audit_log(app, "login.failed")]


@pytest.mark.parametrize("login, email, name, role, administration", [
    ("anna", "anna.berg@kommun.example", "Anna Berg", "organizer", None),
    ("lars", "lars.holm@kommun.example", "Lars Holm", "project_lead", "Socialförvaltningen"),
])
def test_first_sign_in_creates_the_account_with_the_role_of_its_group(oidc_app, provider, browser_for, login, email,
                                                                      name, role, administration):
    person = browser_for(oidc_app)
    reply = person.sign_in(login)
    assert reply.status_code == 302 and reply.headers["Location"] == "/organizer/"
    assert person.signed_in()
    account = accounts(oidc_app)[email]
    assert (account["name"], account["role"], account["administration"]) == (name, role, administration)
    assert (account["issuer"], account["subject"]) == (provider.issuer, login)
    logged = audit_log(oidc_app)
    assert [e["action"] for e in logged if e["action"] in ("user.created", "login")] == ["user.created", "login"]
    assert logged[-1]["details"] == {"method": "oidc", "role": role}


def test_the_account_has_no_password(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("anna")
    with oidc_app.app_context():
        for password in ("", "!oidc", "anna-lösen"):
            with pytest.raises(ServiceError):
                users.authenticate("anna.berg@kommun.example", password)


def test_the_authorization_request_has_pkce_state_and_nonce(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("anna")
    asked = provider.requests_to("/auth")[0]["query"]
    assert asked["response_type"] == "code" and asked["client_id"] == CLIENT_ID
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20
    assert asked["redirect_uri"] == f"{APP_URL}/auth/oidc/callback"
    assert asked["scope"] == "openid email profile"


@pytest.mark.parametrize("start, lands_on", [("/auth/oidc/login?next=/actions/", "/actions/"),
                                             ("/auth/oidc/login?next=//evil.example/x", "/organizer/"),
                                             ("/auth/oidc/login?next=https://evil.example/", "/organizer/")])
def test_sign_in_returns_to_the_page_asked_for_on_this_site_only(oidc_app, provider, browser_for, start, lands_on):
    assert browser_for(oidc_app).sign_in("anna", start=start).headers["Location"] == lands_on


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(oidc_app, provider, browser_for):
    person, stranger = browser_for(oidc_app), browser_for(oidc_app)
    back = person.at_provider(person.start().headers["Location"], "anna")
    _refused(oidc_app, stranger, stranger.back(back), 400, STALE)
    failures = _refused(oidc_app, person, person.back(back.replace("state=", "state=forged")), 400, STALE)
    assert [f["reason"] for f in failures] == ["state", "state"]
    assert person.back(back).status_code == 302 and person.signed_in()  # the real answer still works


def test_a_replayed_callback_is_refused(oidc_app, provider, browser_for):
    person = browser_for(oidc_app)
    back = person.at_provider(person.start().headers["Location"], "anna")
    assert person.back(back).status_code == 302
    replayed = person.back(back)
    assert replayed.status_code == 400 and STALE in _page(replayed)
    attacker = browser_for(oidc_app)
    replayed = attacker.back(back)
    assert replayed.status_code == 400 and STALE in _page(replayed)
    assert not attacker.signed_in()
    assert [e["details"]["reason"] for e in audit_log(oidc_app, "login.failed")] == ["state", "state"]


@pytest.mark.parametrize("replay", ["earlier ID token", "other nonce"])
def test_an_id_token_with_another_sign_ins_nonce_is_refused(oidc_app, provider, browser_for, replay):
    first = browser_for(oidc_app)
    assert first.sign_in("anna").status_code == 302
    if replay == "earlier ID token":
        provider.bend_id_tokens(id_token=provider.last_id_token())
    else:
        provider.bend_id_tokens(claims={"nonce": "the-nonce-of-another-sign-in"})
    second = browser_for(oidc_app)
    reply = second.sign_in("anna")
    assert reply.status_code == 400 and UNTRUSTED in _page(reply)
    assert not second.signed_in()
    assert "nonce" in audit_log(oidc_app, "login.failed")[-1]["details"]["reason"]


@pytest.mark.parametrize("claims, accepted", [
    ({"exp": {"fromNow": -600}, "iat": {"fromNow": -1200}}, False),  # expired ten minutes ago
    ({"exp": {"fromNow": -30}, "iat": {"fromNow": -630}}, True),  # expired within the clock skew tolerated
    ({"iat": {"fromNow": 60}}, True),  # the provider's clock a minute ahead of ours
    ({"iat": {"fromNow": 900}}, False),  # issued a quarter of an hour in the future
    ({"exp": None}, False),  # never expires
], ids=["expired", "expired-within-skew", "clock-ahead", "issued-in-future", "no-expiry"])
def test_expiry_and_issue_time_are_checked_with_the_clock_skew(oidc_app, provider, browser_for, claims, accepted):
    provider.bend_id_tokens(claims=claims)
    person = browser_for(oidc_app)
    reply = person.sign_in("anna")
    if accepted:
        assert reply.status_code == 302 and person.signed_in()
    else:
        [failure] = _refused(oidc_app, person, reply, 400, UNTRUSTED)
        assert failure["code"] == "oidc_invalid_token"


@pytest.mark.parametrize("claims", [{"aud": "another-app"}, {"aud": ["another-app"]},
                                    {"aud": "another-app", "azp": CLIENT_ID}, {"aud": None}],
                         ids=["other", "other-in-list", "other-with-our-azp", "none"])
def test_an_id_token_for_another_audience_is_refused(oidc_app, provider, browser_for, claims):
    provider.bend_id_tokens(claims=claims)
    person = browser_for(oidc_app)
    [failure] = _refused(oidc_app, person, person.sign_in("anna"), 400, UNTRUSTED)
    assert "aud" in failure["reason"]


def test_an_id_token_from_another_issuer_is_refused(oidc_app, provider, browser_for):
    provider.bend_id_tokens(claims={"iss": "http://127.0.0.1:9/another-provider"})
    person = browser_for(oidc_app)
    [failure] = _refused(oidc_app, person, person.sign_in("anna"), 400, UNTRUSTED)
    assert "iss" in failure["reason"]


def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(oidc_app, provider, browser_for):
    provider.bend_id_tokens(foreign_key=True)
    person = browser_for(oidc_app)
    _refused(oidc_app, person, person.sign_in("anna"), 400, UNTRUSTED)


def _key_id(id_token: str) -> str:
    """The key id in a JWT's header."""
    header = id_token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def test_rotated_keys_are_fetched_again_without_a_restart(oidc_app, provider, browser_for):
    assert browser_for(oidc_app).sign_in("anna").status_code == 302
    old = _key_id(provider.last_id_token())
    new = provider.rotate_keys()
    person = browser_for(oidc_app)
    assert person.sign_in("lars").status_code == 302 and person.signed_in()
    assert _key_id(provider.last_id_token()) == new != old
    assert len(provider.requests_to("/jwks")) == 2  # once at the first sign-in, once for the unknown key id


def test_provider_down_gives_a_clear_message_and_password_login_still_works(oidc_app_factory, browser_for):
    app = oidc_app_factory(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    person = browser_for(app)
    reply = person.start()
    assert reply.status_code == 503 and DOWN in _page(reply)
    assert audit_log(app, "login.failed")[-1]["details"]["reason"] == "unreachable"
    page = _page(person.app.get("/login"))
    assert 'id="oidc-login"' in page and 'name="password"' in page
    with app.app_context():
        users.create("kim@kommun.example", "ett-bra-lösenord", "Kim", "organizer")
        db.session.commit()
    assert person.app.post("/login", data={"email": "kim@kommun.example", "password": "ett-bra-lösenord"}).status_code == 302
    assert person.signed_in()


def test_provider_gone_before_the_callback_gives_a_clear_message(oidc_app_factory, browser_for):
    own = OpenIdProvider().start()
    try:
        app = oidc_app_factory(own.issuer)
        person = browser_for(app)
        back = person.at_provider(person.start().headers["Location"], "anna")
    finally:
        own.stop()
    reply = person.back(back)
    assert reply.status_code == 503 and DOWN in _page(reply)
    assert not person.signed_in()


def test_the_app_starts_and_shows_the_button_while_the_provider_is_down(oidc_app_factory, browser_for):
    app = oidc_app_factory(f"http://127.0.0.1:{free_port()}")
    assert 'id="oidc-login"' in _page(browser_for(app).app.get("/login"))


def test_nothing_set_before_the_sign_in_survives_it_but_the_language(oidc_app, provider, browser_for):
    person = browser_for(oidc_app)
    with person.app.session_transaction() as session:
        session.update({"lang": "en", "planted": "by-someone-else", "_user_id": "999"})
    assert person.sign_in("anna").status_code == 302
    with person.app.session_transaction() as session:
        assert session.get("planted") is None and session["lang"] == "en"
        assert session["_user_id"] == str(accounts(oidc_app)["anna.berg@kommun.example"]["id"])
        assert not [key for key in session if key.startswith("_state_") or key == "oidc_next"]


def test_password_login_also_starts_a_new_session(oidc_app, browser_for):
    with oidc_app.app_context():
        users.create("kim@kommun.example", "ett-bra-lösenord", "Kim", "organizer")
        db.session.commit()
    person = browser_for(oidc_app)
    with person.app.session_transaction() as session:
        session["planted"] = "by-someone-else"
    person.app.post("/login", data={"email": "kim@kommun.example", "password": "ett-bra-lösenord"})
    with person.app.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def _logout_form(page: str) -> tuple[str, dict]:
    """The action and hidden fields of the provider's logout question."""
    action = page.split('action="', 1)[1].split('"', 1)[0]
    xsrf = page.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
    return action, {"xsrf": xsrf, "logout": "yes"}


def test_logout_ends_the_session_at_the_provider_too(oidc_app, provider, browser_for):
    person = browser_for(oidc_app)
    person.sign_in("anna")
    id_token = provider.last_id_token()
    assert person.at_provider(person.start().headers["Location"], login=None)  # signed in there: no password asked
    reply = person.app.post("/logout")
    assert reply.status_code == 302 and not person.signed_in()
    end = urlsplit(reply.headers["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{provider.issuer}/session/end"
    query = {k: v[0] for k, v in parse_qs(end.query).items()}
    assert query["id_token_hint"] == id_token and query["post_logout_redirect_uri"] == f"{APP_URL}/"
    action, form = _logout_form(person.web.get(reply.headers["Location"], timeout=10).text)
    done = person.web.post(action, data=form, allow_redirects=False, timeout=10)
    assert done.headers["Location"].startswith(f"{APP_URL}/?")
    with pytest.raises(AssertionError, match="answered 200"):  # the provider asks for the password again
        person.at_provider(person.start().headers["Location"], login=None)
    assert provider.requests_to("/session/end")


def test_logout_after_a_password_login_stays_here(oidc_app, browser_for):
    with oidc_app.app_context():
        users.create("kim@kommun.example", "ett-bra-lösenord", "Kim", "organizer")
        db.session.commit()
    person = browser_for(oidc_app)
    person.app.post("/login", data={"email": "kim@kommun.example", "password": "ett-bra-lösenord"})
    assert person.app.post("/logout").headers["Location"] == "/"


def test_an_id_token_with_many_groups_keeps_the_session_cookie_small(oidc_app, provider, browser_for):
    groups = ["dialogcafe-arrangorer"] + [f"CN=grupp-{n:03},OU=Grupper,DC=kommun,DC=example" for n in range(200)]
    provider.bend_id_tokens(claims={"groups": groups})
    person = browser_for(oidc_app)
    reply = person.sign_in("lars")
    assert reply.status_code == 302 and len(reply.headers["Set-Cookie"]) < 4000
    assert accounts(oidc_app)["lars.holm@kommun.example"]["role"] == "organizer"  # the signed groups win over userinfo
    end = parse_qs(urlsplit(person.app.post("/logout").headers["Location"]).query)
    assert "id_token_hint" not in end and end["client_id"] == [CLIENT_ID]


def test_the_discovery_document_is_read_again_after_a_day(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("anna")
    oidc_app.extensions["cafe.oidc"].client.server_metadata["_loaded_at"] -= 24 * 3600 + 1
    assert browser_for(oidc_app).sign_in("anna").status_code == 302
    assert len(provider.requests_to("/.well-known/openid-configuration")) == 2


def test_a_discovery_document_naming_another_issuer_is_not_trusted(oidc_app_factory, provider, browser_for):
    app = oidc_app_factory(provider.issuer.replace("127.0.0.1", "localhost"))  # the document says 127.0.0.1
    reply = browser_for(app).start()
    assert reply.status_code == 503 and DOWN in _page(reply)
    assert audit_log(app, "login.failed")[-1]["details"]["reason"] == "issuer_mismatch"


def test_a_sign_in_cancelled_at_the_provider_is_refused_clearly(oidc_app, provider, browser_for):
    person = browser_for(oidc_app)
    state = parse_qs(urlsplit(person.start().headers["Location"]).query)["state"][0]
    reply = person.app.get(f"/auth/oidc/callback?error=access_denied&state={state}")
    assert reply.status_code == 400 and "Kommunens inloggning avbröt inloggningen" in _page(reply)
    assert audit_log(oidc_app, "login.failed")[-1]["details"]["reason"] == "provider: access_denied"
    assert not person.signed_in()

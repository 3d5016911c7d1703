"""The sign-in settings: checked when the app starts, and what the login page and the API offer with them."""
import pytest

from cafe import config
from cafe.extensions import db
from cafe.people import users
from tests.auth.conftest import CLIENT_ID, CLIENT_SECRET, oidc_settings
from tests.conftest import make_app

PROVIDER = "https://login.kommun.example/realms/personal"


def _set(monkeypatch, **env) -> None:
    """Put settings in the environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("env, complaint", [
    ({"OIDC_ISSUER": "http://login.kommun.example"}, "OIDC_ISSUER must be an https:// URL"),
    ({"OIDC_ISSUER": "login.kommun.example"}, "OIDC_ISSUER must be an https:// URL"),
    ({"OIDC_ISSUER": PROVIDER + "?tenant=1"}, "OIDC_ISSUER must be an https:// URL without"),
    ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET must be set too"),
    ({"OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID must be set too"),
    ({"OIDC_ROLE_MAP": ""}, "OIDC_ROLE_MAP must be set too"),
    ({"OIDC_SCOPES": "email profile"}, "OIDC_SCOPES must include openid"),
    ({"OIDC_ISSUER": "", "OIDC_ROLE_MAP": ""}, "OIDC_CLIENT_ID is set but OIDC_ISSUER is not"),
    ({"OIDC_ISSUER": "", "OIDC_CLIENT_ID": "", "OIDC_CLIENT_SECRET": "", "OIDC_ROLE_MAP": "", "LOCAL_LOGIN": "off"},
     "LOCAL_LOGIN=off needs OIDC_ISSUER"),
    ({"LOCAL_LOGIN": "kanske"}, "LOCAL_LOGIN must be 1 or 0"),
    ({"OIDC_LINK_BY_EMAIL": "sometimes"}, "OIDC_LINK_BY_EMAIL must be one of verified, always, never"),
    ({"OIDC_CLOCK_SKEW": "två minuter"}, "OIDC_CLOCK_SKEW must be a whole number"),
])
def test_a_bad_sign_in_setting_stops_the_start_with_a_clear_error(monkeypatch, tmp_path, env, complaint):
    _set(monkeypatch, **{**oidc_settings(PROVIDER), **env})
    with pytest.raises(config.ConfigError, match=complaint):
        config.load(str(tmp_path))


@pytest.mark.parametrize("role_map, complaint", [
    ("dialogcafe=chef", "the role must be one of organizer, project_lead, facilitator, city"),
    ("sos=facilitator", "a facilitator needs an administration"),
    ("a=organizer; a=city", "listed twice"),
    ("dialogcafe-organizer", "is not group=role"),
])
def test_a_bad_role_map_stops_the_start_with_a_clear_error(monkeypatch, role_map, complaint):
    _set(monkeypatch, **oidc_settings(PROVIDER, OIDC_ROLE_MAP=role_map))
    with pytest.raises(config.ConfigError, match=f"OIDC_ROLE_MAP: .*{complaint}"):
        make_app("sqlite://")


@pytest.mark.parametrize("issuer", ["http://127.0.0.1:9000", "http://localhost:9000/realm", PROVIDER + "/"])
def test_a_good_provider_setting_starts_without_asking_the_provider(monkeypatch, issuer):
    _set(monkeypatch, **oidc_settings(issuer))
    app = make_app("sqlite://")  # nothing listens at these addresses: discovery waits for the first sign-in
    assert app.extensions["cafe.oidc"].client_id == CLIENT_ID
    assert app.config["OIDC_CLIENT_SECRET"] == CLIENT_SECRET and app.config["LOCAL_LOGIN"] is True


def test_without_a_provider_there_is_no_button_and_no_provider_route(app, client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' in page and "oidc-login" not in page
    assert client.get("/auth/oidc/login").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404


def test_the_login_page_offers_both_ways_by_default(oidc_app):
    page = oidc_app.test_client().get("/login?next=/actions/").get_data(as_text=True)
    assert 'href="/auth/oidc/login?next=/actions/"' in page and 'name="password"' in page


def test_forms_may_go_on_to_the_provider_for_its_logout(oidc_app):
    policy = oidc_app.test_client().get("/login").headers["Content-Security-Policy"]
    issuer = oidc_app.config["OIDC_ISSUER"]
    assert f"form-action 'self' {issuer}" in policy.split("; ")


@pytest.fixture
def no_passwords(oidc_app_factory, provider):
    """An installation with LOCAL_LOGIN=off, and a local account made before it was switched off."""
    app = oidc_app_factory(provider.issuer, LOCAL_LOGIN="off")
    with app.app_context():
        users.create("kim@kommun.example", "ett-bra-lösenord", "Kim", "organizer")
        db.session.commit()
    return app


def test_local_login_off_leaves_only_the_provider_on_the_login_page(no_passwords):
    page = no_passwords.test_client().get("/login").get_data(as_text=True)
    assert 'id="oidc-login"' in page and 'name="password"' not in page and "<form method=\"post\" novalidate" not in page


def test_local_login_off_refuses_the_password_form_clearly(no_passwords):
    reply = no_passwords.test_client().post("/login", data={"email": "kim@kommun.example",
                                                             "password": "ett-bra-lösenord"})
    assert reply.status_code == 403
    assert "Inloggning med e-post och lösenord är avstängd här" in reply.get_data(as_text=True)


def test_local_login_off_refuses_the_api_token_clearly(no_passwords):
    reply = no_passwords.test_client().post("/api/v1/auth/token", json={"email": "kim@kommun.example",
                                                                         "password": "ett-bra-lösenord"})
    assert reply.status_code == 403 and reply.get_json()["error"]["code"] == "local_login_off"


def test_local_login_off_still_signs_in_through_the_provider(no_passwords, browser_for):
    person = browser_for(no_passwords)
    assert person.sign_in("anna").status_code == 302 and person.signed_in()

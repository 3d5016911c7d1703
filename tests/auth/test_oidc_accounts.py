"""Accounts from the identity provider: roles from groups, losing them, no access, and local accounts."""
import pytest

from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.models import User
from cafe.people import access, oidc_accounts, users
from cafe.people.oidc_accounts import Grant
from tests.auth.conftest import CONTACT, accounts, audit_log

NO_ACCESS = "Du har inte behörighet till Dialogcafé"
TAKEN = "Det finns redan ett konto med din e-postadress"
ANNA, LARS = "anna.berg@kommun.example", "lars.holm@kommun.example"


def _page(reply) -> str:
    """The text of an answer."""
    return reply.get_data(as_text=True)


def _local_account(app, email: str, password: str = "ett-bra-lösenord", role: str = "facilitator") -> None:
    """A local account with a password, as an organizer makes one today."""
    with app.app_context():
        users.create(email, password, "Lokalt Konto", role)
        db.session.commit()


def test_a_person_without_a_mapped_group_is_told_whom_to_ask_and_gets_no_account(oidc_app, provider, browser_for):
    person = browser_for(oidc_app)
    reply = person.sign_in("olle")
    assert reply.status_code == 403
    assert NO_ACCESS in _page(reply) and CONTACT in _page(reply)
    assert not person.signed_in() and accounts(oidc_app) == {}
    [refusal] = audit_log(oidc_app, "login.refused")
    assert refusal["details"]["reason"] == "no_group" and refusal["details"]["groups"] == ["alla-anstallda"]


def test_the_no_access_message_names_the_organizer_without_a_contact_setting(oidc_app_factory, provider, browser_for):
    app = oidc_app_factory(provider.issuer, OIDC_ACCESS_CONTACT="")
    reply = browser_for(app).sign_in("olle")
    assert reply.status_code == 403 and "den som administrerar Dialogcafé" in _page(reply)
    assert "Kontakta" not in _page(reply)


def test_a_group_removed_at_the_provider_is_a_role_lost_at_the_next_sign_in(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("lars")
    assert accounts(oidc_app)[LARS]["role"] == "project_lead"
    provider.set_account("lars", groups=["sos-processledare"], given_name="Lars-Erik")
    person = browser_for(oidc_app)
    assert person.sign_in("lars").status_code == 302 and person.signed_in()
    account = accounts(oidc_app)[LARS]
    assert (account["role"], account["administration"], account["name"]) == ("facilitator", "Socialförvaltningen",
                                                                            "Lars-Erik Holm")
    change = audit_log(oidc_app, "user.role")[-1]["details"]
    assert (change["before"], change["role"], change["group"]) == ("project_lead", "facilitator", "sos-processledare")


def test_losing_every_mapped_group_refuses_the_sign_in_and_revokes_api_tokens(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("anna")
    with oidc_app.app_context():
        token = access.user_token(db.session.get(User, accounts(oidc_app)[ANNA]["id"]))
    api = oidc_app.test_client()
    assert api.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    provider.set_account("anna", groups=["alla-anstallda"])
    person = browser_for(oidc_app)
    reply = person.sign_in("anna")
    assert reply.status_code == 403 and NO_ACCESS in _page(reply) and not person.signed_in()
    assert api.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_several_mapped_groups_give_the_most_capable_role(oidc_app, provider, browser_for):
    provider.set_account("lars", groups=["sos-processledare", "styrgrupp", "sos-ledning", "dialogcafe-arrangorer"])
    browser_for(oidc_app).sign_in("lars")
    assert (accounts(oidc_app)[LARS]["role"], accounts(oidc_app)[LARS]["administration"]) == ("organizer", None)


def test_a_verified_address_takes_over_the_local_account_and_its_password_stops_working(oidc_app, provider,
                                                                                         browser_for):
    _local_account(oidc_app, ANNA)
    before = accounts(oidc_app)[ANNA]
    person = browser_for(oidc_app)
    assert person.sign_in("anna").status_code == 302
    after = accounts(oidc_app)[ANNA]
    assert after["id"] == before["id"] and (after["role"], after["subject"]) == ("organizer", "anna")
    assert after["token_version"] == before["token_version"] + 1
    reply = oidc_app.test_client().post("/login", data={"email": ANNA, "password": "ett-bra-lösenord"})
    assert reply.status_code == 401
    assert audit_log(oidc_app, "user.linked")


def test_an_unverified_address_does_not_take_over_a_local_account(oidc_app, provider, browser_for):
    _local_account(oidc_app, "maja.lind@kommun.example")
    person = browser_for(oidc_app)
    reply = person.sign_in("maja")
    assert reply.status_code == 409 and TAKEN in _page(reply) and CONTACT in _page(reply)
    assert accounts(oidc_app)["maja.lind@kommun.example"]["subject"] is None
    login = oidc_app.test_client().post("/login", data={"email": "maja.lind@kommun.example",
                                                        "password": "ett-bra-lösenord"})
    assert login.status_code == 302  # the local account is untouched


@pytest.mark.parametrize("rule, login, linked", [("always", "maja", True), ("never", "anna", False)])
def test_linking_by_address_follows_the_setting(oidc_app_factory, provider, browser_for, rule, login, linked):
    app = oidc_app_factory(provider.issuer, OIDC_LINK_BY_EMAIL=rule)
    email = {"maja": "maja.lind@kommun.example", "anna": ANNA}[login]
    _local_account(app, email)
    reply = browser_for(app).sign_in(login)
    assert reply.status_code == (302 if linked else 409)
    assert (accounts(app)[email]["subject"] == login) is linked


def test_an_address_bound_to_another_person_at_the_provider_is_not_taken_over(oidc_app, provider, browser_for):
    browser_for(oidc_app).sign_in("anna")
    provider.set_account("lars", email=ANNA)
    reply = browser_for(oidc_app).sign_in("lars")
    assert reply.status_code == 409 and accounts(oidc_app)[ANNA]["subject"] == "anna"


def test_a_provider_that_sends_no_address_gets_no_account(oidc_app, provider, browser_for):
    provider.set_account("anna", email=None)
    reply = browser_for(oidc_app).sign_in("anna")
    assert reply.status_code == 403 and "skickade ingen e-postadress" in _page(reply)
    assert accounts(oidc_app) == {}


@pytest.mark.parametrize("text, grants", [
    ("g=organizer", (Grant("g", "organizer"),)),
    (" a = project_lead @ Socialförvaltningen ;; b=city; ", (Grant("a", "project_lead", "Socialförvaltningen"),
                                                              Grant("b", "city"))),
])
def test_the_role_map_is_read_entry_by_entry(text, grants):
    assert oidc_accounts.parse_role_map(text) == grants


@pytest.mark.parametrize("text, complaint", [
    ("", "at least one"), ("dialogcafe", "not group=role"), ("=organizer", "not group=role"),
    ("g=chef", "must be one of"), ("g=facilitator", "needs an administration"),
    ("g=organizer; g=city", "listed twice"),
])
def test_a_bad_role_map_says_what_is_wrong(text, complaint):
    with pytest.raises(ValueError, match=complaint):
        oidc_accounts.parse_role_map(text)


@pytest.mark.parametrize("groups, wanted", [
    ([], None), (["unknown"], None), (["c", "f"], "f"), (["f", "c"], "f"), (["p1", "p2", "f"], "p1"),
    (["p2", "p1"], "p1"), (["o", "p1"], "o"),
])
def test_the_most_capable_role_wins_and_the_first_listed_breaks_a_tie(groups, wanted):
    role_map = oidc_accounts.parse_role_map("o=organizer; p1=project_lead@A; p2=project_lead@B; f=facilitator@A; "
                                            "c=city")
    grant = oidc_accounts.grant_for(groups, role_map)
    assert (grant.group if grant else None) == wanted


@pytest.mark.parametrize("claims, expected", [
    ({"sub": "1", "email": " Anna@Kommun.Example ", "name": "Anna", "groups": ["a", "a", 3, ""]},
     ("anna@kommun.example", "Anna", ("a",))),
    ({"sub": "1", "email": "a@k.se", "given_name": "Anna", "family_name": "Berg", "groups": "a"},
     ("a@k.se", "Anna Berg", ("a",))),
    ({"sub": "1", "email": "a@k.se", "name": "Anna\u0000 Berg\n"}, ("a@k.se", "Anna Berg", ())),
    ({"sub": "1", "email": "a@k.se", "groups": {"a": 1}}, ("a@k.se", "a@k.se", ())),
])
def test_claims_are_read_defensively(claims, expected):
    identity = oidc_accounts.identity_from({"iss": "https://idp.example", **claims}, "groups")
    assert (identity.email, identity.name, identity.groups) == expected


@pytest.mark.parametrize("claims, code", [({"email": "a@k.se"}, "oidc_invalid_claims"),
                                          ({"sub": 7, "email": "a@k.se"}, "oidc_invalid_claims"),
                                          ({"sub": "1"}, "oidc_no_email"),
                                          ({"sub": "1", "email": "inte en adress"}, "oidc_no_email")])
def test_claims_without_subject_or_address_are_refused(claims, code):
    with pytest.raises(ServiceError) as refused:
        oidc_accounts.identity_from(claims, "groups")
    assert refused.value.code == code

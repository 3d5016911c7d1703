"""The accessibility statement in DIGG's form, its contact setting, and the app's own 403 and 404 pages."""
import pytest

from cafe import config


def test_the_statement_has_what_digg_asks_for(client):
    html = client.get("/tillganglighet").get_data(as_text=True)
    for part in ("Tillgänglighet för Dialogcafé", "Hur tillgänglig är tjänsten?", "delvis förenlig",
                 "Rapportera brister i tjänstens tillgänglighet", "Tillsyn", "Myndigheten för digital förvaltning",
                 'href="https://www.digg.se/tdosanmalan"', "Innehåll som inte är tillgängligt",
                 "Hur vi testat tjänsten", "axe-core", "tangentbordet", "320 pixlars", "skärmläsare",
                 "Senaste bedömningen gjordes den 2026-12-07."):
        assert part in html, part
    assert "kontakta den förvaltning som gav dig länken" in html  # no contact set


@pytest.mark.parametrize("contact, shown", [
    ("tillganglighet@kommun.se", '<a href="mailto:tillganglighet@kommun.se" class="accessibility-contact">'),
    ("https://kommun.se/kontakt", '<a href="https://kommun.se/kontakt" class="accessibility-contact">'),
    ("08-123 456 78", '<span class="accessibility-contact">08-123 456 78</span>'),
    ("<script>x</script>", '<span class="accessibility-contact">&lt;script&gt;x&lt;/script&gt;</span>'),
])
def test_the_contact_setting_is_shown_as_a_link_or_as_text(app, client, contact, shown):
    app.config["ACCESSIBILITY_CONTACT"] = contact
    assert shown in client.get("/tillganglighet").get_data(as_text=True)


def test_every_page_links_the_statement_in_its_footer(client):
    for path in ("/", "/join", "/login", "/finns-inte"):
        html = client.get(path).get_data(as_text=True)
        assert '<footer class="site-footer">' in html and 'href="/tillganglighet"' in html, path


def test_the_statement_in_english(client):
    client.post("/lang/en", data={"next": "/tillganglighet"})
    html = client.get("/tillganglighet").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Accessibility of Dialogcafé" in html and "The Agency for Digital Government (Digg)" in html


def test_missing_and_forbidden_pages_are_pages_of_the_app(client, login):
    response = client.get("/finns-inte")
    assert response.status_code == 404 and "Sidan finns inte" in response.get_data(as_text=True)
    api = client.get("/api/v1/finns-inte")
    assert api.status_code == 404 and "Sidan finns inte" not in api.get_data(as_text=True)
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405 and "Sidan kan inte öppnas så" in wrong_method.get_data(as_text=True)
    assert wrong_method.headers["Allow"]
    forbidden = login("facilitator").get("/city/")
    assert forbidden.status_code == 403 and "Du har inte behörighet" in forbidden.get_data(as_text=True)


def test_a_bad_assessment_date_stops_the_app_with_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ACCESSIBILITY_ASSESSED", "7 december")
    with pytest.raises(config.ConfigError, match="ACCESSIBILITY_ASSESSED"):
        config.load(str(tmp_path))

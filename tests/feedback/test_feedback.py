"""The public feedback page, its QR code and its Atom feed."""
from xml.etree import ElementTree as ET

import pytest

from cafe.extensions import db
from cafe.followup import actions
from cafe.models import Event
from cafe.models.action import ActionItem

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def event(app, demo):
    """The demo café inside an app context."""
    with app.app_context():
        yield db.session.get(Event, demo["event_id"])


@pytest.fixture
def token(event):
    """The event's feedback link secret."""
    value = actions.feedback_token(event)
    db.session.commit()
    return value


def test_page_shows_every_counted_action_per_point_and_unit_without_login(client, event, token):
    page = client.get(f"/feedback/{token}").data.decode()
    assert "Vad har hänt med era idéer?" in page
    counted = actions.listing([event.id])
    for action in counted:
        assert page.count(f'id="atgard-{action.id}"') == 1 and page.count(f'id="atgard-{action.id}-enhet"') == 1
    assert "Per punkt i handlingsplanen" in page and "Per enhet" in page
    assert "Familjeenheten" in page and "Delmål:" in page and "senast ändrad" in page


def test_drafts_names_and_note_texts_stay_off_the_public_page(client, event, token):
    draft = actions.create(event, {"title": "Hemligt utkast"}, draft=True)
    counted = actions.listing([event.id])[0]
    actions.update(counted, {"responsible": "Kalle Anka (ansvarig)"})
    db.session.commit()
    page = client.get(f"/feedback/{token}").data.decode()
    assert "Hemligt utkast" not in page and "Kalle Anka" not in page
    assert f'id="atgard-{draft.id}"' not in page


def test_qr_code_is_an_svg_of_the_public_link(client, token):
    response = client.get(f"/feedback/{token}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<?xml") or b"<svg" in response.data[:200]


def test_atom_feed_lists_status_changes_escaped_and_valid(client, event, token):
    action = db.session.get(ActionItem, actions.listing([event.id])[0].id)
    actions.update(action, {"title": "Rutin <script>alert(1)</script> & mer", "status": "genomford"})
    db.session.commit()
    response = client.get(f"/feedback/{token}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert b"<script>" not in response.data
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id").text.endswith(token)
    entries = feed.findall(f"{ATOM}entry")
    title = entries[0].find(f"{ATOM}title").text
    assert title.startswith("Rutin <script>alert(1)</script> & mer: ") and title.endswith("→ genomförd")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) and all(e.find(f"{ATOM}updated").text for e in entries)


@pytest.mark.parametrize("bad", ["x", "a" * 100, "nonexistent-token-123"])
def test_unknown_links_are_404(client, bad):
    assert client.get(f"/feedback/{bad}").status_code == 404
    assert client.get(f"/feedback/{bad}/feed.atom").status_code == 404

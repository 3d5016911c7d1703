"""The city-wide synthesis: recurring points and themes, new signals, progress per café, XLSX export."""
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from cafe.extensions import db
from cafe.followup import actions, city, note_import
from cafe.models import Event, Note, Table
from cafe.models.action import ActionTheme


@pytest.fixture
def two_cafes(app, demo):
    """The demo café plus an earlier one in the same administration with a shared theme and point."""
    with app.app_context():
        demo_event = db.session.get(Event, demo["event_id"])
        earlier = note_import.create_past_event(demo_event.administration_id, "Café 2017", "2017-04-01")
        earlier.tables.append(Table(number=1, join_code="ABCDEFGH"))
        db.session.flush()
        for text, point in (("mentor för nyanställda", 2), ("hot och våld vid hembesök", None),
                            ("larm vid hot och våld", None)):
            db.session.add(Note(client_id=f"00000000-0000-4000-8000-00000000000{point or 0}{len(text) % 10}",
                                event_id=earlier.id, table_id=earlier.tables[0].id, text=text,
                                confirmed_point=point, suggested_point=None if point else 0))
        action = actions.create(earlier, {"title": "Stöd efter hot och våld", "status": "pagar"})
        action.theme_links.append(ActionTheme(label="Rutin för stöd efter hot och våld mot personal"))
        demo_notes = db.session.scalars(select(Note).where(Note.event_id == demo_event.id)).all()
        for note in demo_notes:
            if "hot" in note.text:
                note.confirmed_point, note.suggested_point = None, 0
        demo_notes[0].confirmed_point = 2
        db.session.commit()
        yield demo_event, earlier


def test_a_second_fetch_stems_no_text_again(two_cafes):
    first = city.synthesis(None)
    stemmed = city.words.cache_info().misses
    assert city.synthesis(None) == first
    assert city.words.cache_info().misses == stemmed


def test_synthesis_counts_points_themes_signals_and_progress(two_cafes):
    demo_event, earlier = two_cafes
    data = city.synthesis(None)
    assert data["events"] >= 2
    assert {(r["year"], r["point"]) for r in data["points"]} >= {(2017, 2)}
    recurring = [t for t in data["themes"] if t["events"] >= 2]
    assert any("hot" in t["label"].lower() for t in recurring)
    assert any(t["novel"] for t in data["novel"])
    assert any(s["word"].startswith("hot") and s["events"] >= 2 for s in data["signals"])
    progress = {p["event_id"]: p for p in data["progress"]}
    assert progress[earlier.id]["total"] == 1 and progress[earlier.id]["statuses"]["pagar"] == 1
    assert progress[demo_event.id]["total"] == len(actions.listing([demo_event.id]))
    assert 0 < progress[demo_event.id]["done_share"] < 1


def test_signals_are_words_as_people_wrote_them_not_stems(two_cafes):
    signals = city.synthesis(None)["signals"]
    written = " ".join(n.text.lower() for n in db.session.scalars(select(Note)))
    assert signals and all(re.search(rf"(?<!\w){re.escape(s['word'])}(?!\w)", written) for s in signals)


def test_page_json_and_xlsx(login, two_cafes):
    client = login("project_lead")
    page = client.get("/city/").data.decode()
    assert "Stadsövergripande sammanställning" in page and 'id="points-chart"' in page
    assert "<script>" not in page.split("</main>")[0]
    data = client.get("/city/data.json").get_json()
    assert set(data["status_labels"]) == set(actions.STATUS_LABELS)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/city/export.xlsx").data))
    assert book.sheetnames == ["Punkter", "Teman", "Nya signaler", "Åtgärder per café"]
    titles = [r[0].value for r in book["Åtgärder per café"].iter_rows(min_row=2)]
    assert "Café 2017" in titles

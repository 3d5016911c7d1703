"""A big year still gives a report: 30 cafés and 10,000 notes, counted right, in Word; and a year on PostgreSQL."""
import io
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from bench.report_year import seed_year
from cafe.extensions import db
from cafe.models import Administration, Event
from cafe.report import formats, gather, scope


def test_thirty_cafes_and_ten_thousand_notes(app):
    with app.app_context():
        db.create_all()
        seed_year(30, 10_000, 2025)
        admin = db.session.get(Administration, db.session.scalars(select(Event.administration_id)).first())
        chosen = scope.Scope(scope.year_events(2025, admin.id), 2025, admin)
        written = formats.write(chosen, "sv")
        doc = Document(io.BytesIO(formats.render(written, "docx", "Test")))
    assert len(chosen.events) == 30
    summary = doc.tables[0]
    assert len(summary.rows) == 31  # a header row and one row per café
    assert sum(int(row.cells[6].text) for row in summary.rows[1:]) == 10_000
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "30 caféer" in text and "10000 anteckningar" in text
    assert len(doc.inline_shapes) == 2


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_year_on_postgresql(app):
    with app.app_context():
        db.create_all()
        ids = seed_year(3, 600, 2025)
        admin = db.session.get(Administration, db.session.get(Event, ids[0]).administration_id)
        report = gather.report(scope.Scope(scope.year_events(2025, admin.id), 2025, admin), "t", "p", date(2026, 1, 1))
        stored = db.session.execute(db.text("SELECT count(*) FROM notes WHERE event_id = ANY(:ids)"),
                                    {"ids": ids}).scalar()
        actions = db.session.execute(db.text("SELECT count(*) FROM action_items WHERE event_id = ANY(:ids)"),
                                     {"ids": ids}).scalar()
        body = formats.render(formats.write(scope.Scope([db.session.get(Event, i) for i in ids]), "sv"), "html", "t")
    assert report.notes == stored == 600 and len(report.actions) == actions
    assert sum(p.notes for p in report.points) + report.outside_notes == 600
    assert b"1. Sammanfattning" in body

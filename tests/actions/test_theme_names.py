"""An action keeps the name its theme has now: a facilitator's rename after drafting shows in the
action's themes, the CSV and JSON exports and the city-wide view."""
from cafe.extensions import db
from cafe.followup import action_exports, actions, city
from cafe.models import Event, Theme
from cafe.synthesis import passes


def test_a_theme_renamed_after_drafting_is_named_anew_everywhere(app, demo):
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        passes.run_pass(event.id)
        theme = passes.visible_themes(event.id)[0]
        drafted = actions.drafts_from_theme(event, theme.id)
        for action in drafted:
            action.is_draft = False
        db.session.commit()
        theme = db.session.get(Theme, theme.id)
        theme.label, theme.label_custom = "Så tar vi emot nya kollegor", True
        db.session.commit()
        db.session.expire_all()
        action = db.session.get(type(drafted[0]), drafted[0].id)
        assert action.theme_labels == ["Så tar vi emot nya kollegor"]
        assert "Så tar vi emot nya kollegor" in action_exports.to_csv(event).decode("utf-8-sig")
        exported = action_exports.to_json(event)
        assert "Så tar vi emot nya kollegor" in str(exported)
        assert any(g.label == "Så tar vi emot nya kollegor" or "Så tar vi emot nya kollegor" in g.labels
                   for g in city.themes([event]))

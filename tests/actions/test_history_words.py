"""An action's history reads as sentences with translated field names and values, never "utkast True → False"
or "forum – → apt"."""
import re

import pytest

from cafe.extensions import db
from cafe.followup import actions


@pytest.fixture
def changed(event, lead):
    """A draft approved, then its forum, status, responsible person and description changed by the lead."""
    action = actions.create(event, {"title": "Mentor för nyanställda", "point": 2, "status": "forslag"}, lead,
                            draft=True)
    actions.approve(action, lead)
    actions.update(action, {"forum": "apt", "status": "beslutad", "responsible": "Enhetschef",
                            "description": "En lång beskrivning"}, lead)
    actions.update(action, {"responsible": ""}, lead)
    db.session.commit()
    return action.id, lead.name


def history(page: str) -> list[str]:
    """The rows of the history table, as text."""
    table = page.split('id="history-title"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<td" in row]


@pytest.mark.parametrize("language, sentences", [
    ("sv", ["{who} skapade åtgärden", "{who} godkände utkastet", "{who} ändrade status från förslag till beslutad",
            "{who} satte forum till APT", "{who} satte ansvarig till ”Enhetschef”", "{who} ändrade beskrivning",
            "{who} tog bort ansvarig (var ”Enhetschef”)"]),
    ("en", ["{who} created the action", "{who} approved the draft",
            "{who} changed the status from proposed to decided", "{who} set the forum to workplace meeting (APT)",
            "{who} set the person responsible to “Enhetschef”", "{who} changed the description"]),
])
def test_the_history_is_written_as_sentences(app, demo, changed, language, sentences):
    action_id, who = changed
    client = app.test_client()
    client.post("/login", data={"email": demo["project_lead"]["email"], "password": demo["project_lead"]["password"]})
    if language == "en":
        client.post("/lang/en", data={"next": "/"})
    rows = history(client.get(f"/actions/{action_id}").get_data(as_text=True))
    text = "\n".join(rows)
    for sentence in sentences:
        assert sentence.format(who=who) in text
    for program_word in ("True", "False", "→", "is_draft", " apt", "beslutad→"):
        assert program_word not in text

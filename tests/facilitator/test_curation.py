"""Curation on /facilitator: every action, undo and redo, stale versions, two consoles, access rules."""
import pytest

from cafe.extensions import db
from cafe.models import Event, Theme
from cafe.synthesis import passes
from tests.facilitator.conftest import control, received

NS = "/facilitator"


@pytest.fixture
def themes(app, demo):
    """Run one synthesis pass over the demo café and return its shown themes, largest first."""
    with app.app_context():
        passes.run_pass(demo["event_id"])
        return [t.to_dict() for t in passes.visible_themes(demo["event_id"])]


@pytest.fixture
def pair(console):
    """Two facilitators' consoles on the same café."""
    return console(), console("organizer")


def members(app, theme_id: int) -> list[int]:
    """Note ids of a theme."""
    with app.app_context():
        return [n.id for n in passes.theme_notes(db.session.get(Theme, theme_id))]


def applied(sock) -> list[dict]:
    """The `curation:applied` broadcasts a console got."""
    return received(sock, NS, "curation:applied")


def test_rename_reaches_both_consoles_and_the_projector(pair, themes, sockets, demo):
    first, second = pair
    projector = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    projector.get_received("/projector")
    theme = themes[0]
    ack = control(first, "curation:rename", {"theme_id": theme["id"], "label": "Introduktion av nya",
                                             "base_version": theme["version"]})
    assert ack["ok"], ack
    assert ack["themes"][0]["label"] == "Introduktion av nya" and ack["themes"][0]["version"] == theme["version"] + 1
    for sock in (first, second):
        [message] = applied(sock)
        assert message["curation"]["action"] == "rename" and message["seq"] == ack["seq"]
        assert message["curation"]["user"]
    assert received(projector, "/projector", "curation:applied")[0]["themes"][0]["label_custom"] is True


def test_stale_base_version_is_refused_with_the_current_state(pair, themes):
    first, second = pair
    theme = themes[0]
    assert control(first, "curation:rename", {"theme_id": theme["id"], "label": "A",
                                              "base_version": theme["version"]})["ok"]
    ack = control(second, "curation:rename", {"theme_id": theme["id"], "label": "B",
                                               "base_version": theme["version"]})
    assert ack["ok"] is False and ack["error"]["code"] == "conflict"
    assert "annan processledare" in ack["error"]["message"]
    assert ack["error"]["details"]["themes"][0]["label"] == "A"


def test_merge_moves_the_notes_and_undo_brings_them_back(app, console, themes):
    sock = console()
    target, source = themes[0], themes[1]
    source_notes = members(app, source["id"])
    ack = control(sock, "curation:merge", {"theme_id": target["id"], "source_ids": [source["id"]],
                                           "base_versions": {str(target["id"]): target["version"],
                                                             str(source["id"]): source["version"]}})
    assert ack["ok"], ack
    by_id = {t["id"]: t for t in ack["themes"]}
    assert by_id[source["id"]]["merged_into"] == target["id"]
    assert by_id[target["id"]]["count"] == target["count"] + source["count"]
    assert set(source_notes) <= set(members(app, target["id"]))
    undo = control(sock, "curation:undo", {"curation_id": ack["curation"]["id"]})
    assert undo["ok"], undo
    assert members(app, source["id"]) == source_notes
    assert undo["curations"][0]["undone_at"] is not None


def test_split_makes_a_new_theme_of_the_chosen_notes(app, console, themes):
    sock = console()
    theme = next(t for t in themes if t["count"] >= 3)
    chosen = members(app, theme["id"])[:2]
    ack = control(sock, "curation:split", {"theme_id": theme["id"], "note_ids": chosen, "label": "Mentorer",
                                           "base_version": theme["version"]})
    assert ack["ok"], ack
    new = next(t for t in ack["themes"] if t["id"] != theme["id"])
    assert new["label"] == "Mentorer" and new["count"] == 2 and new["origin"] == "split"
    assert sorted(members(app, new["id"])) == sorted(chosen)
    assert sorted(ack["memberships"]) == sorted([n, new["id"]] for n in chosen)
    everything = control(sock, "curation:split", {"theme_id": new["id"], "note_ids": chosen})
    assert everything["error"]["code"] == "split_all"


def test_move_note_pins_it_in_the_other_theme(app, console, themes):
    sock = console()
    source, target = themes[0], themes[1]
    note_id = members(app, source["id"])[0]
    ack = control(sock, "curation:move", {"note_id": note_id, "theme_id": target["id"]})
    assert ack["ok"], ack
    assert ack["memberships"] == [[note_id, target["id"]]]
    assert note_id in members(app, target["id"])
    again = control(sock, "curation:move", {"note_id": note_id, "theme_id": target["id"]})
    assert again["error"]["code"] == "same_theme"


def test_correcting_a_point_updates_the_note_everywhere(app, pair, themes, sockets, host_token):
    first, second = pair
    host = sockets("/table", auth={"token": host_token(1)})
    host.get_received("/table")
    note_id = members(app, themes[0]["id"])[0]
    ack = control(first, "curation:point", {"note_id": note_id, "point": 13})
    assert ack["ok"], ack
    [update] = received(second, NS, "note:updated")
    assert update["note"]["id"] == note_id and update["note"]["confirmed_point"] == 13
    stale = control(second, "curation:point", {"note_id": note_id, "point": 5, "base_point": None})
    assert stale["error"]["code"] == "note_point_changed"
    assert control(first, "curation:point", {"note_id": note_id, "point": 99})["error"]["code"] == "invalid_point"
    assert control(first, "curation:point", {"note_id": note_id, "point": 0})["ok"]


def test_mark_theme_and_note_for_the_plenary(app, console, themes):
    sock = console()
    theme = themes[0]
    ack = control(sock, "curation:mark", {"theme_id": theme["id"], "marked": True})
    assert ack["ok"] and ack["themes"][0]["marked"] is True
    assert control(sock, "curation:mark", {"theme_id": theme["id"], "marked": True})["error"]["code"] == "no_change"
    note_id = members(app, theme["id"])[0]
    ack = control(sock, "curation:mark", {"note_id": note_id, "marked": True})
    assert ack["ok"] and ack["marks"] == [[note_id, True]]


def test_promote_a_novel_theme_to_a_new_point_and_undo_it(app, console, themes, demo):
    sock = console()
    theme = themes[-1]
    with app.app_context():
        db.session.get(Theme, theme["id"]).novel = True
        db.session.commit()
    ack = control(sock, "curation:promote", {"theme_id": theme["id"], "label": "Hot och våld"})
    assert ack["ok"], ack
    assert ack["themes"][0]["promoted_point"] == 14 and ack["themes"][0]["point"] == 14
    assert ack["points"][-1]["number"] == 14 and ack["points"][-1]["label"] == "Hot och våld"
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        assert [p.number for p in event.framework.points][-1] == 14
    assert control(sock, "curation:undo", {"curation_id": ack["curation"]["id"]})["ok"]
    with app.app_context():
        assert [p.number for p in db.session.get(Event, demo["event_id"]).framework.points][-1] == 13
    refused = control(sock, "curation:promote", {"theme_id": themes[0]["id"]})
    assert refused["error"]["code"] == "not_novel"


def test_undo_of_an_undo_redoes_and_a_later_change_blocks_the_undo(console, themes):
    sock = console()
    theme = themes[0]
    first = control(sock, "curation:rename", {"theme_id": theme["id"], "label": "Ett"})
    undo = control(sock, "curation:undo", {"curation_id": first["curation"]["id"]})
    assert undo["themes"][0]["label"] == theme["label"]
    again = control(sock, "curation:undo", {"curation_id": first["curation"]["id"]})
    assert again["error"]["code"] == "already_undone"
    redo = control(sock, "curation:undo", {"curation_id": undo["curation"]["id"]})
    assert redo["ok"] and redo["themes"][0]["label"] == "Ett"
    assert control(sock, "curation:rename", {"theme_id": theme["id"], "label": "Två"})["ok"]
    blocked = control(sock, "curation:undo", {"curation_id": redo["curation"]["id"]})
    assert blocked["error"]["code"] == "undo_conflict" and "senare" in blocked["error"]["message"]
    listed = control(sock, "curation:list", {})["curations"]
    assert [c["action"] for c in listed[:4]] == ["rename", "undo", "undo", "rename"]


@pytest.mark.parametrize("event_name,payload,code", [
    ("curation:rename", {"theme_id": 999999, "label": "x"}, "theme_not_found"),
    ("curation:rename", {"theme_id": "1", "label": "x"}, "invalid_field"),
    ("curation:rename", {"label": "x"}, "invalid_field"),
    ("curation:merge", {"theme_id": 1, "source_ids": []}, "invalid_field"),
    ("curation:move", {"note_id": 999999, "theme_id": 1}, "note_not_found"),
    ("curation:undo", {"curation_id": 999999}, "curation_not_found"),
    ("curation:mark", {"note_id": 1, "marked": "ja"}, "invalid_field"),
    ("projector:slide", {"slide": "bilder"}, "invalid_slide"),
    ("projector:rotate", {"seconds": 1}, "invalid_rotation"),
])
def test_bad_input_is_refused_with_a_code(console, themes, event_name, payload, code):
    ack = control(console(), event_name, payload)
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]


@pytest.mark.parametrize("label", ["", "   ", "x" * 121, "a\x00b", 5, None])
def test_bad_labels_are_refused(console, themes, label):
    ack = control(console(), "curation:rename", {"theme_id": themes[0]["id"], "label": label})
    assert ack["error"]["code"] == "invalid_label"


def test_not_a_mapping_is_refused(console, themes):
    assert control(console(), "curation:rename", ["x"])["error"]["code"] == "invalid_payload"


def test_hosts_and_projectors_cannot_curate(sockets, host_token, demo):
    host = sockets(NS, auth={"event_id": demo["event_id"], "token": host_token(1)})
    projector = sockets(NS, auth={"event_id": demo["event_id"], "token": demo["projector_url"].split("token=")[1]})
    assert not host.is_connected(NS) and not projector.is_connected(NS)
    on_table = sockets("/table", auth={"token": host_token(1)})
    refused = on_table.emit("curation:rename", {"theme_id": 1, "label": "x"}, namespace="/table", callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "unknown_event"


def test_facilitator_of_another_event_is_refused(app, sockets, login, demo):
    with app.app_context():
        other = Event(title="Annat café", projector_token="other-token", status="live")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    sock = sockets(NS, auth={"event_id": other_id}, flask_client=login("facilitator"))
    assert not sock.is_connected(NS)


def test_projector_follows_the_slide_and_rotation(console, sockets, demo):
    sock = console()
    projector = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    projector.get_received("/projector")
    ack = control(sock, "projector:slide", {"slide": "themes"})
    assert ack["ok"] and ack["slide"] == "themes"
    assert control(sock, "projector:slide", {"slide": 1})["slide"] == "points"
    assert control(sock, "projector:rotate", {"seconds": 20})["rotate"] == 20
    states = received(projector, "/projector", "projector:state")
    assert [(s["slide"], s["rotate"]) for s in states] == [("themes", None), ("points", None), ("points", 20)]
    replay = projector.emit("sync", {"since": 0}, namespace="/projector", callback=True)
    last = [c for c in replay["changes"] if c["type"] == "projector:state"][-1]
    assert last["slide"] == "points" and last["rotate"] == 20


def test_synthesis_status_tells_how_many_notes_wait(console, demo):
    ack = control(console(), "synthesis:status", {})
    assert ack["ok"] and ack["state"]["pending"] > 0 and ack["state"]["state"] == "updating"

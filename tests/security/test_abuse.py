"""Guessing and abuse: rate limits on logins and join codes, lock-out after failed logins, the audit log."""
from datetime import timedelta

import pytest

from cafe.extensions import db
from cafe.models import User, utcnow
from cafe.models.audit import AuditEntry
from cafe.people import access
from cafe.security import limits


def test_wrong_join_codes_are_limited_across_page_form_and_api(limited):
    client = limited.test_client()
    statuses = [client.post("/join", data={"code": f"WRONG{i:03d}"}).status_code for i in range(10)]
    statuses += [client.get(f"/t/WRNG{i:04d}").status_code for i in range(10)]
    statuses += [client.post("/api/v1/tables/join", json={"code": f"NOPE{i:04d}"}).status_code
                 for i in range(10)]
    assert set(statuses) == {404}
    refused = client.post("/api/v1/tables/join", json={"code": "ABCD2345"})
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_requests"
    assert client.get("/t/ABCD2345").status_code == 429
    assert "För många försök" in client.post("/join", data={"code": "X"}).get_data(as_text=True)


def test_a_whole_cafe_behind_one_address_can_join(limited, sqlite_templates):
    demo = sqlite_templates["demo_info"]
    client = limited.test_client()
    codes = [t["join_code"] for t in demo["tables"]] * 6
    assert len(codes) > 30
    assert {client.post("/api/v1/tables/join", json={"code": c}).status_code for c in codes} == {200}


def test_the_limit_is_per_address(limited):
    for i in range(30):
        limited.test_client().post("/api/v1/tables/join", json={"code": f"NOPE{i:04d}"})
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert other.post("/api/v1/tables/join", json={"code": "NOPE9999"}).status_code == 404


def test_logins_are_limited(limited, sqlite_templates):
    demo = sqlite_templates["demo_info"]
    client = limited.test_client()
    for i in range(10):
        assert client.post("/login", data={"email": f"x{i}@example.se", "password": "fel"}).status_code == 401
    assert client.post("/login", data=demo["organizer"]).status_code == 429
    assert client.post("/api/v1/auth/token", json=demo["organizer"]).status_code == 429


def test_guessing_math_holds_at_the_limit():
    codes = len(access.JOIN_ALPHABET) ** access.JOIN_LENGTH
    assert codes > 8.5e11
    per_day = min(30 * 60, 300) * 24  # the join limits, all day long: the hourly one binds
    assert per_day * 50 / codes < 1e-6  # fifty live tables, one address, one day


@pytest.mark.parametrize("endpoint", ["auth.login", "api.token", "host.join", "host.table", "api.join",
                                      "vote.ballot", "actions.upload", "actions.import_notes"])
def test_guessable_and_costly_endpoints_are_limited(limited, endpoint):
    if endpoint not in limited.view_functions:
        pytest.skip(f"{endpoint} does not exist")
    assert limits._limit_for(endpoint) is not None


def _login(client, email, password):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_repeated_failed_logins_lock_the_account(app, client, demo):
    email = demo["organizer"]["email"]
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _login(client, email, "fel lösenord").status_code == 401
    locked = _login(client, email, demo["organizer"]["password"])
    assert locked.status_code == 429 and locked.get_json()["error"]["code"] == "account_locked"
    with app.app_context():
        actions = [a.action for a in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.count("login.failed") == 5 and "login.locked" in actions
        assert actions[-1] == "login.locked_out"
        assert all("fel lösenord" not in str(a.details) for a in db.session.scalars(db.select(AuditEntry)))
        user = db.session.scalar(db.select(User).where(User.email == email))
        user.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _login(client, email, demo["organizer"]["password"]).status_code == 200
    with app.app_context():
        assert db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first().action == "login"


def test_unknown_emails_are_audited_without_locking_anything(app, client):
    assert _login(client, "nobody@example.se", "x").status_code == 401
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry)).one()
        assert entry.action == "login.failed" and entry.details == {"email": "nobody@example.se"}


def test_audit_log_page_is_for_organizers(login, demo):
    organizer = login("organizer")
    page = organizer.get("/security/audit")
    assert page.status_code == 200 and "login" in page.get_data(as_text=True)
    assert login("facilitator").get("/security/audit").status_code == 403
    assert login("project_lead").get("/security/audit?action=login").status_code == 403


def test_other_areas_can_record_in_the_audit_log(app, demo):
    from cafe.people import audit
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == demo["organizer"]["email"]))
        audit.record(user, "unit.rename", "units:3", {"from": "A", "to": "B"})
        db.session.commit()
        entry = audit.recent(1)[0]
        assert (entry.actor, entry.action, entry.target, entry.details) == (
            demo["organizer"]["email"], "unit.rename", "units:3", {"from": "A", "to": "B"})


def test_administrative_changes_are_audited_without_their_content(app, login, demo):
    from cafe.models import Unit
    with app.app_context():
        unit_id = db.session.scalars(db.select(Unit.id)).first()
    path = f"/organizer/units/{unit_id}/rename"
    assert login("organizer").post(path, data={"name": "Mottagningsenheten"}).status_code == 302
    entry = audit_entries(app)[-1]
    assert (entry.action, entry.target, entry.actor) == ("organizer.rename_unit", path, demo["organizer"]["email"])
    assert "Mottagningsenheten" not in str(entry.details)


def test_refused_and_anonymous_requests_are_not_recorded_as_changes(app, client, login, demo):
    assert login("project_lead").post("/organizer/units", data={"name": "X"}).status_code >= 400
    client.post("/join", data={"code": "ABCD2345"})
    assert [e.action for e in audit_entries(app)] == ["login"]


def audit_entries(app) -> list:
    """The audit log, oldest first."""
    with app.app_context():
        entries = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))
        db.session.expunge_all()
    return entries


def test_counters_live_in_redis_when_redis_url_is_set():
    from flask import Flask
    bare = Flask("bare")
    bare.config.update(REDIS_URL="redis://127.0.0.1:6379/15", RATELIMIT_ENABLED=True)
    limits.init_app(bare)
    assert bare.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"
    assert "redis" in type(limits.limiter.storage).__name__.lower()
    memory = Flask("memory")
    memory.config.update(REDIS_URL=None, RATELIMIT_ENABLED=True)
    limits.init_app(memory)
    assert memory.config["RATELIMIT_STORAGE_URI"] == "memory://"
    limits.limiter.enabled = False


def test_an_organizer_reads_only_the_audit_log_of_their_own_administration(app, login, demo):
    from cafe.models import Administration, Event
    from cafe.people import audit
    with app.app_context():
        own = db.session.get(Event, demo["event_id"])
        other = Administration(name="Annan förvaltning")
        db.session.add(other)
        db.session.flush()
        stranger = User(email="arrangor@annan.se", name="Annan", role="organizer", administration_id=other.id)
        stranger.set_password("annat-lösenord-123")
        db.session.add(stranger)
        db.session.flush()
        audit.record(stranger, "event.delete", f"events:{own.id}", {"title": "x"})
        audit.record(stranger, "unit.rename", "units:99", {"from": "Hemlig enhet"})
        db.session.commit()
        entries = {e.action: e.administration_id for e in audit.recent(2)}
        assert entries == {"event.delete": own.administration_id, "unit.rename": other.id}
    page = login("organizer").get("/security/audit").get_data(as_text=True)
    assert "event.delete" in page and "unit.rename" not in page

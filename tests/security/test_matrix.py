"""The access matrix: every route and socket event of the app, against every party, allowed or denied.

The routes and events come from the app itself (its URL map and the Socket.IO handler registry), their
rules from cafe/security/rules.py, and what each rule allows from EXPECTED below. A route or event
without a rule fails `test_every_route_and_event_has_a_rule` with its name.
"""
import pytest

from cafe.extensions import socketio
from cafe.security import rules
from tests.conftest import make_app
from tests.security.conftest import ROLES, USERS, party_client

MEMBERS_X = {"facilitator_x", "organizer", "lead_own"}  # users who may read café X
EXPECTED = {
    "public": set(ROLES),
    "signed_in": USERS,
    "organizer": {"organizer"},
    "facilitate": {"facilitator_x", "organizer"},
    "read_event": MEMBERS_X,
    "plan": {"organizer"},
    "follow_up": {"organizer", "lead_own"},
    "own_administration": {"organizer", "lead_own"},
    "city_view": {"organizer", "lead_own", "lead_other"},
    "api_follow_up": {"organizer", "lead_own"},
    "api_caller": USERS | {"host_a", "host_b", "projector_x"},
    "api_event": MEMBERS_X | {"host_a", "host_b", "projector_x"},
    "api_table": MEMBERS_X | {"host_a", "projector_x"},
    "api_read_event": MEMBERS_X | {"projector_x"},
    "host_link": {"host_a"},
    "projector_link": {"projector_x"},
    "vote_link": {"participant"},
    "feedback_link": {"participant"},
    "operator": set(),
    "table_host": {"host_a", "host_b"},
    "projector": {"projector_x"},
}
# Where a secret link carries its secret: a path argument or a query parameter, and a wrong value.
SECRET_SLOTS = {"join_code": ("code", "ABCD2345"), "projector_token": ("?token", "not-the-projector"),
                "vote_secret": ("secret", "not-the-vote"), "feedback_token": ("token", "not-the-link"),
                "metrics_token": ("Authorization", "Bearer wrong")}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
DENIED = (401, 403, 404)

_app = make_app("sqlite://")
ROUTES = sorted(((r.endpoint, r.rule, m) for r in _app.url_map.iter_rules()
                 for m in sorted(r.methods - {"HEAD", "OPTIONS"})), key=lambda c: (c[0], c[1], c[2]))
SOCKET_EVENTS = sorted((ns, ev) for ns, handlers in socketio.server.handlers.items() for ev in handlers
                       if ev not in rules.NOT_CALLABLE)


def test_every_route_and_event_has_a_rule():
    gaps = rules.missing(_app)
    assert not gaps, "Add a rule in cafe/security/rules.py for:\n  " + "\n  ".join(gaps)


def test_every_rule_names_something_that_exists_and_is_in_the_matrix():
    endpoints = {r.endpoint for r in _app.url_map.iter_rules()}
    stale = [e for e in rules.ROUTES if e not in endpoints]
    stale += [f"{ns} {ev}" for ns, ev in rules.SOCKET_EVENTS if (ns, ev) not in SOCKET_EVENTS]
    assert not stale, "Rules for routes or events that no longer exist: " + ", ".join(stale)
    used = {r.name for r in list(rules.ROUTES.values()) + list(rules.SOCKET_EVENTS.values())}
    assert used <= set(EXPECTED), f"Rules without a matrix row: {used - set(EXPECTED)}"


def _path_values(world, rule_args) -> dict:
    """Values for the path arguments of a route, pointing at café X, table A and its note."""
    values = {"event_id": world.event_x, "table_id": world.table_a, "note_id": world.note_a,
              "unit_id": world.unit, "filename": "css/app.css", "code": "sv", "admin_id": world.administration,
              "action_id": world.action, "theme_id": world.theme, "token": "unused", "secret": "unused",
              "fmt": "json", "administration_id": world.administration}
    missing = [a for a in rule_args if a not in values]
    assert not missing, f"the matrix has no sample value for {missing}; add one in _path_values"
    return {a: values[a] for a in rule_args}


def _request(app, world, role, endpoint, url_rule, method):
    """Send one party's request to a route; return the response."""
    rule = rules.for_route(endpoint)
    url_map_rule = next(r for r in app.url_map.iter_rules() if r.rule == url_rule and r.endpoint == endpoint)
    values = _path_values(world, url_map_rule.arguments)
    if endpoint.endswith("_report"):
        values["fmt"] = "html"  # the report has no JSON; its page is the quickest of its formats
    headers, query = {}, {}
    held = world.secrets.get(role, {})
    if rule.secret:
        slot, wrong = SECRET_SLOTS[rule.secret]
        value = held.get(rule.secret, wrong)
        if slot.startswith("?"):
            query[slot[1:]] = value
        elif slot == "Authorization":
            headers[slot] = value
        else:
            values[slot] = value
        if rule.secret == "vote_secret" and "code" in url_map_rule.arguments:
            values["code"] = held.get("vote_code", "WRONGCODE")
    if endpoint.startswith("api.") and held.get("token"):
        headers["Authorization"] = f"Bearer {held['token']}"
    with app.test_request_context():
        url = app.url_map.bind("localhost").build(endpoint, values, method=method)
    client = party_client(app, world, role)
    body = {"json": {}} if endpoint.startswith("api.") and method in UNSAFE else {}
    return client.open(url, method=method, headers=headers, query_string=query, **body)


def _outcome(response) -> str:
    """allowed, denied, or error for a server error."""
    if response.status_code >= 500:
        return "error"
    location = response.headers.get("Location", "")
    if response.status_code in DENIED or (response.status_code in (302, 303) and "/login" in location):
        return "denied"
    return "allowed"


@pytest.mark.parametrize("endpoint, url_rule, method", ROUTES, ids=[f"{m} {u}" for _, u, m in ROUTES])
def test_route_matrix(world_app, world, endpoint, url_rule, method):
    rule = rules.for_route(endpoint)
    if rule is None:
        pytest.fail(f"route {endpoint} ({url_rule}) has no rule in cafe/security/rules.py")
    wrong = []
    for role in ROLES:
        response = _request(world_app, world, role, endpoint, url_rule, method)
        got = _outcome(response)
        if rule.name == "public" and got == "denied" and response.status_code in (401, 404):
            got = "allowed"  # a public form refusing a wrong password or an unknown code
        want = "allowed" if role in EXPECTED[rule.name] else "denied"
        if got != want:
            wrong.append(f"{role}: expected {want}, got {response.status_code} ({rule.name})")
    assert not wrong, f"{method} {url_rule}:\n  " + "\n  ".join(wrong)


def _socket_outcome(sock, namespace: str, event: str) -> str:
    """allowed, denied or error, for one party's connect or event."""
    if not sock.is_connected(namespace):
        return "denied"
    if event == "connect":
        return "allowed"
    ack = sock.emit(event, {}, namespace=namespace, callback=True)
    if not isinstance(ack, dict):
        return "error"
    code = (ack.get("error") or {}).get("code")
    if code == "internal":
        return "error"
    return "denied" if code in ("unauthorized", "forbidden", "invalid_token") else "allowed"


@pytest.mark.parametrize("namespace, event", SOCKET_EVENTS, ids=[f"{n} {e}" for n, e in SOCKET_EVENTS])
def test_socket_matrix(party_socket, namespace, event):
    rule = rules.for_socket_event(namespace, event)
    if rule is None:
        pytest.fail(f"socket event {namespace} {event!r} has no rule in cafe/security/rules.py")
    wrong = []
    for role in ROLES:
        got = _socket_outcome(party_socket(role, namespace), namespace, event)
        want = "allowed" if role in EXPECTED[rule.name] else "denied"
        if got != want:
            wrong.append(f"{role}: expected {want}, got {got} ({rule.name})")
    assert not wrong, f"{namespace} {event}:\n  " + "\n  ".join(wrong)

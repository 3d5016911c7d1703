"""Who may use each route and socket event: one declarative table, proven by tests/security/test_matrix.py.

Every HTTP endpoint (by its Flask endpoint name) and every Socket.IO event (by namespace and name) states
its rule here. A route or event without a rule fails the test suite. Adding one is a one-line change:

    "organizer.something": FACILITATE,
    (protocol.FACILITATOR_NS, "round:start"): FACILITATE,

The views and handlers enforce their rule themselves (through cafe.people.access); the matrix test
checks, for every rule, each kind of party: anonymous, table hosts, the projector, facilitators of this
and of another café, organizers, project leads of another administration and participants with a link.
"""
from dataclasses import dataclass

from ..realtime import protocol


@dataclass(frozen=True)
class Rule:
    """An access rule: its name, what it means, and the secret link that grants it, if any."""

    name: str
    meaning: str
    secret: str | None = None


PUBLIC = Rule("public", "Anyone, without logging in.")
SIGNED_IN = Rule("signed_in", "Any logged-in organizer, facilitator or project lead.")
ORGANIZER = Rule("organizer", "Organizers (of the administration concerned).")
FACILITATE = Rule("facilitate", "Organizers of the event's administration and the event's facilitators.")
PLAN = Rule("plan", "Organizers of the event's own administration (planning, the pre-vote).")
FOLLOW_UP = Rule("follow_up", "Organizers and project leads of the event's administration (action lists).")
OWN_ADMINISTRATION = Rule("own_administration", "Organizers and project leads of that administration.")
CITY_VIEW = Rule("city_view", "Organizers and project leads (their own administration), the city level (all).")
READ_EVENT = Rule("read_event", "Whoever may facilitate the event, and project leads of its administration.")
API_CALLER = Rule("api_caller", "Any valid credential: a user's API token, a host token or a projector link.")
API_EVENT = Rule("api_event", "Readers of the event (incl. its projector) and hosts of its tables.")
API_READ_EVENT = Rule("api_read_event", "Readers of the event, its projector included; not table hosts.")
API_TABLE = Rule("api_table", "Readers of the event, and the host of that very table.")
API_FOLLOW_UP = Rule("api_follow_up", "API tokens of organizers and project leads of the administration.")
HOST_LINK = Rule("host_link", "Whoever holds the table's join code (the QR link).", secret="join_code")
PROJECTOR_LINK = Rule("projector_link", "Whoever holds the event's projector link.", secret="projector_token")
VOTE_LINK = Rule("vote_link", "Participants holding the pre-vote's secret link.", secret="vote_secret")
FEEDBACK_LINK = Rule("feedback_link", "Participants holding the feedback page's link.", secret="feedback_token")
OPERATOR = Rule("operator", "The operator's monitoring token (METRICS_TOKEN), or the local machine.",
                secret="metrics_token")
TABLE_HOST = Rule("table_host", "A table host, on their own table only (the socket is bound to it).")
PROJECTOR = Rule("projector", "The event's projector (its secret link).")

ROUTES: dict[str, Rule] = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.healthz": PUBLIC,
    "main.set_language": PUBLIC,
    "main.service_worker": PUBLIC,
    "main.accessibility": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.oidc.login": PUBLIC,
    "auth.oidc.callback": PUBLIC,
    "metrics.metrics": OPERATOR,
    "host.join": PUBLIC,
    "host.table": HOST_LINK,
    "projector.show": PROJECTOR_LINK,
    "facilitator.console": FACILITATE,
    "vote.ballot": VOTE_LINK,
    "organizer.dashboard": SIGNED_IN,
    "organizer.new_event": ORGANIZER,
    "organizer.from_template": ORGANIZER,
    "organizer.units": ORGANIZER,
    "organizer.rename_unit": ORGANIZER,
    "organizer.remove_unit": ORGANIZER,
    "organizer.staff_accounts": ORGANIZER,
    "organizer.event": PLAN,
    "organizer.edit_event": PLAN,
    "organizer.copy": PLAN,
    "organizer.cards": PLAN,
    "organizer.facilitators": PLAN,
    "organizer.set_status": PLAN,
    "organizer.rounds": PLAN,
    "organizer.tables": PLAN,
    "organizer.table_qr": PLAN,
    "organizer.vote": PLAN,
    "organizer.open_vote": PLAN,
    "organizer.close_vote": PLAN,
    "organizer.focus": PLAN,
    "organizer.link_codes": PLAN,
    "organizer.vote_qr": PLAN,
    "organizer.results_csv": PLAN,
    "organizer.results_json": PLAN,
    "organizer.results_xlsx": PLAN,
    "actions.index": SIGNED_IN,
    "actions.event_list": FOLLOW_UP,
    "actions.print_view": FOLLOW_UP,
    "actions.report": FOLLOW_UP,
    "actions.reports": SIGNED_IN,
    "actions.admin_list": OWN_ADMINISTRATION,
    "actions.past_event": OWN_ADMINISTRATION,
    "actions.create": FOLLOW_UP,
    "actions.edit": FOLLOW_UP,
    "actions.comment": FOLLOW_UP,
    "actions.approve": FOLLOW_UP,
    "actions.discard": FOLLOW_UP,
    "actions.build": FOLLOW_UP,
    "actions.theme_drafts": FOLLOW_UP,
    "actions.upload": FOLLOW_UP,
    "actions.apply_upload": FOLLOW_UP,
    "actions.import_notes": FOLLOW_UP,
    "actions.apply_notes": FOLLOW_UP,
    "city.show": CITY_VIEW,
    "city.data": CITY_VIEW,
    "city.export": CITY_VIEW,
    "feedback.show": FEEDBACK_LINK,
    "feedback.qr": FEEDBACK_LINK,
    "feedback.feed": FEEDBACK_LINK,
    "security.audit_log": ORGANIZER,
    "security.privacy_scan": ORGANIZER,
    "security.delete_event": FACILITATE,
    "api.openapi_json": PUBLIC,
    "api.token": PUBLIC,
    "api.join": PUBLIC,
    "api.list_events": API_CALLER,
    "api.get_event": API_EVENT,
    "api.list_tables": API_EVENT,
    "api.list_notes": API_EVENT,
    "api.export_event": FACILITATE,
    "api.delete_event": FACILITATE,
    "api.export_actions": API_FOLLOW_UP,
    "api.event_report": API_FOLLOW_UP,
    "api.administration_report": API_FOLLOW_UP,
    "api.city_report": CITY_VIEW,
    "api.list_themes": API_READ_EVENT,
    "api.get_theme": API_READ_EVENT,
    "api.summary": API_READ_EVENT,
    "api.get_table": API_TABLE,
    "api.table_notes": API_TABLE,
    "api.get_note": API_TABLE,
    "api.create_event": ORGANIZER,
    "api.create_from_template": ORGANIZER,
    "api.update_event": PLAN,
    "api.set_status": PLAN,
    "api.put_tables": PLAN,
    "api.put_rounds": PLAN,
    "api.vote_results": PLAN,
    "api.open_vote": PLAN,
    "api.close_vote": PLAN,
    "api.link_codes": PLAN,
}

_T, _F, _P = protocol.TABLE_NS, protocol.FACILITATOR_NS, protocol.PROJECTOR_NS
SOCKET_EVENTS: dict[tuple[str, str], Rule] = {
    (_T, "connect"): TABLE_HOST,
    (_T, "sync"): TABLE_HOST,
    (_T, "note:add"): TABLE_HOST,
    (_T, "note:edit"): TABLE_HOST,
    (_T, "note:delete"): TABLE_HOST,
    (_T, "note:restore"): TABLE_HOST,
    (_T, "note:star"): TABLE_HOST,
    (_T, "note:unstar"): TABLE_HOST,
    (_T, "note:suggest"): TABLE_HOST,
    (_F, "connect"): FACILITATE,
    (_F, "sync"): FACILITATE,
    (_F, "presence:list"): FACILITATE,
    (_F, "round:start"): FACILITATE,
    (_F, "round:end"): FACILITATE,
    (_F, "round:next"): FACILITATE,
    (_F, "round:pause"): FACILITATE,
    (_F, "round:resume"): FACILITATE,
    (_F, "round:extend"): FACILITATE,
    (_F, "message:send"): FACILITATE,
    (_F, "event:close"): FACILITATE,
    (_F, "synthesis:status"): FACILITATE,
    (_F, "curation:list"): FACILITATE,
    (_F, "curation:mark"): FACILITATE,
    (_F, "curation:merge"): FACILITATE,
    (_F, "curation:move"): FACILITATE,
    (_F, "curation:point"): FACILITATE,
    (_F, "curation:promote"): FACILITATE,
    (_F, "curation:rename"): FACILITATE,
    (_F, "curation:split"): FACILITATE,
    (_F, "curation:undo"): FACILITATE,
    (_F, "projector:rotate"): FACILITATE,
    (_F, "projector:slide"): FACILITATE,
    (_P, "connect"): PROJECTOR,
    (_P, "sync"): PROJECTOR,
}
# Sent by the server itself when a connection ends, and the catch-all that refuses unknown event names
# (realtime.sockets.refuse_unknown): no party calls them by name.
NOT_CALLABLE = {"disconnect", "*"}


def for_route(endpoint: str) -> Rule | None:
    """The rule of an HTTP endpoint, or None when it has none."""
    return ROUTES.get(endpoint)


def for_socket_event(namespace: str, event: str) -> Rule | None:
    """The rule of a socket event, or None when it has none."""
    return SOCKET_EVENTS.get((namespace, event))


def missing(app) -> list[str]:
    """Every route and socket event of the app that has no rule, as readable names."""
    from ..extensions import socketio
    gaps = [f"route {rule.endpoint} ({rule.rule})" for rule in app.url_map.iter_rules()
            if rule.endpoint not in ROUTES]
    for namespace, handlers in (socketio.server.handlers or {}).items():
        gaps += [f"socket event {namespace} {event!r}" for event in handlers
                 if event not in NOT_CALLABLE and (namespace, event) not in SOCKET_EVENTS]
    return sorted(set(gaps))

"""Realtime namespaces, event names and rooms, defined once; docs/realtime.md documents each."""

TABLE_NS = "/table"
FACILITATOR_NS = "/facilitator"
PROJECTOR_NS = "/projector"
NAMESPACES = (TABLE_NS, FACILITATOR_NS, PROJECTOR_NS)

# Client -> server
NOTE_ADD = "note:add"
NOTE_EDIT = "note:edit"
NOTE_DELETE = "note:delete"
NOTE_RESTORE = "note:restore"
SYNC = "sync"
PRESENCE_LIST = "presence:list"

# Server -> client
NOTE_ADDED = "note:added"
NOTE_UPDATED = "note:updated"
NOTE_DELETED = "note:deleted"
PRESENCE = "presence"

CLIENT_EVENTS = {
    TABLE_NS: [NOTE_ADD, NOTE_EDIT, NOTE_DELETE, NOTE_RESTORE, SYNC],
    FACILITATOR_NS: [SYNC, PRESENCE_LIST],
    PROJECTOR_NS: [SYNC],
}
SERVER_EVENTS = [NOTE_ADDED, NOTE_UPDATED, NOTE_DELETED, PRESENCE]
NOTE_CHANGES = (NOTE_ADDED, NOTE_UPDATED, NOTE_DELETED)
# What a projector shows of a note: it gets a live note change with these fields only (`sync` replays
# the whole note). The client_id, times, round, level and unit are for hosts and consoles.
PROJECTOR_NOTE_FIELDS = ("id", "table_id", "text", "starred", "deleted", "confirmed_point", "suggested_point")


def table_room(table_id: int) -> str:
    """The room of one table's host pages (on the /table namespace)."""
    return f"table:{table_id}"


def event_room(event_id: int) -> str:
    """The room of an event's consoles or projectors (on /facilitator and /projector)."""
    return f"event:{event_id}"


def for_projector(message: dict) -> dict:
    """A live note change as projectors get it: its type and seq, and the note's PROJECTOR_NOTE_FIELDS."""
    note = message["note"]
    return {"type": message["type"], "seq": message["seq"],
            "note": {key: note[key] for key in PROJECTOR_NOTE_FIELDS if key in note}}


def for_browser() -> dict:
    """The names the browser code reads, so no event name is spelled twice."""
    names = {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str)}
    return {"namespaces": {"table": TABLE_NS, "facilitator": FACILITATOR_NS, "projector": PROJECTOR_NS},
            "events": names}


# Running the café: round control, broadcast messages, point suggestions and stars (issue 4)
ROUND_START = "round:start"
ROUND_PAUSE = "round:pause"
ROUND_RESUME = "round:resume"
ROUND_EXTEND = "round:extend"
ROUND_NEXT = "round:next"
ROUND_END = "round:end"
EVENT_CLOSE = "event:close"
MESSAGE_SEND = "message:send"
NOTE_SUGGEST = "note:suggest"
NOTE_STAR = "note:star"
NOTE_UNSTAR = "note:unstar"
ROUND_UPDATED = "round:updated"
MESSAGE_BROADCAST = "message:broadcast"
ROUND_CONTROLS = [ROUND_START, ROUND_PAUSE, ROUND_RESUME, ROUND_EXTEND, ROUND_NEXT, ROUND_END, EVENT_CLOSE]
CLIENT_EVENTS[FACILITATOR_NS] += [*ROUND_CONTROLS, MESSAGE_SEND]
CLIENT_EVENTS[TABLE_NS] += [NOTE_SUGGEST, NOTE_STAR, NOTE_UNSTAR]
EVENT_UPDATED = "event:updated"
SERVER_EVENTS += [ROUND_UPDATED, MESSAGE_BROADCAST, EVENT_UPDATED]

# Live synthesis, curation and the plenary projector (issue 4)
SYNTHESIS_STATUS = "synthesis:status"
SYNTHESIS_STATE = "synthesis:state"
SYNTHESIS_UPDATED = "synthesis:updated"
SYNTHESIS_SUGGESTED = "synthesis:suggested"
CURATION_RENAME = "curation:rename"
CURATION_MERGE = "curation:merge"
CURATION_SPLIT = "curation:split"
CURATION_MOVE = "curation:move"
CURATION_POINT = "curation:point"
CURATION_MARK = "curation:mark"
CURATION_PROMOTE = "curation:promote"
CURATION_UNDO = "curation:undo"
CURATION_LIST = "curation:list"
CURATION_APPLIED = "curation:applied"
PROJECTOR_SLIDE = "projector:slide"
PROJECTOR_ROTATE = "projector:rotate"
PROJECTOR_STATE = "projector:state"
CURATIONS = [CURATION_RENAME, CURATION_MERGE, CURATION_SPLIT, CURATION_MOVE, CURATION_POINT, CURATION_MARK,
             CURATION_PROMOTE, CURATION_UNDO]
CLIENT_EVENTS[FACILITATOR_NS] += [SYNTHESIS_STATUS, *CURATIONS, CURATION_LIST, PROJECTOR_SLIDE,
                                  PROJECTOR_ROTATE]
SERVER_EVENTS += [SYNTHESIS_STATE, SYNTHESIS_UPDATED, SYNTHESIS_SUGGESTED, CURATION_APPLIED, PROJECTOR_STATE]

"""The note message the bare relay broadcasts (bench/relay.py, and its handler in bench/note_cost.py)."""
from datetime import UTC, datetime


def relayed_note(payload: dict, who: dict, seq: int) -> dict:
    """The note as the app broadcasts it, with the same fields, from what the host sent: the relay
    carries the same bytes to every client, so the comparison measures storing and checking only."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {"id": seq, "client_id": payload.get("client_id"), "event_id": who.get("event_id"),
            "table_id": who.get("table_id"), "round_id": None, "text": payload.get("text"),
            "level": payload.get("level"), "unit_id": payload.get("unit_id"), "suggested_point": None,
            "confirmed_point": payload.get("point"), "starred": False, "version": 1, "seq": seq,
            "created_at": now, "updated_at": now, "deleted": False}

"""Validation of the values users send, shared by sockets, forms and the API."""
import re
import unicodedata
import uuid

from .errors import ServiceError
from .models import LEVELS

# Unicode categories Cc (C0, DEL, C1) and Cs (lone surrogates), newline and tab allowed: one scan in C
# instead of a category lookup per character.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def require_mapping(payload) -> dict:
    """Return the payload if it is a JSON object, else refuse it."""
    if not isinstance(payload, dict):
        raise ServiceError("invalid_payload")
    return payload


def known_fields(payload: dict, fields) -> dict:
    """Return the payload if every key is one of `fields`; a misspelt field is refused, not ignored."""
    for key in payload:
        if key not in fields:
            raise ServiceError("unknown_field", field=str(key)[:40])
    return payload


def field_text(value, field: str, max_chars: int, required: bool = False) -> str:
    """A clean one-field text: NFC, trimmed, no control characters, within its length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError("invalid_field", field=field)
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in value):
        raise ServiceError("control_chars", field=field)
    if required and not value:
        raise ServiceError("required_field", field=field)
    if len(value) > max_chars:
        raise ServiceError("field_too_long", field=field, max=max_chars)
    return value


def note_text(value, max_chars: int = 2000) -> str:
    """Return a clean note text: NFC, trimmed, no control characters, not empty, not too long."""
    if not isinstance(value, str):
        raise ServiceError("invalid_field", field="text")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if CONTROL_CHARS.search(text):
        raise ServiceError("control_chars", field="text")
    if not text:
        raise ServiceError("empty_text", field="text")
    if len(text) > max_chars:
        raise ServiceError("text_too_long", field="text")
    return text


def client_id(value) -> str:
    """Return the canonical form of a client-generated UUID."""
    if not isinstance(value, str) or len(value) > 64:
        raise ServiceError("invalid_client_id", field="client_id")
    if CANONICAL_UUID.match(value):  # what browsers send: already the canonical form
        return value
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ServiceError("invalid_client_id", field="client_id") from None


def level(value) -> str | None:
    """Return a valid level (individ, enhet, förvaltning) or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or unicodedata.normalize("NFC", value) not in LEVELS:
        raise ServiceError("invalid_level", field="level")
    return unicodedata.normalize("NFC", value)


def choice(value, field: str, choices, code: str = "invalid_field") -> str:
    """Return one of the allowed strings; refuse anything else (a list, an object, a number) by its field."""
    if not isinstance(value, str) or value not in choices:
        raise ServiceError(code, field=field)
    return value


def optional_id(value, field: str) -> int | None:
    """Return a positive integer id or None; refuse anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 2**31:
        raise ServiceError("invalid_field", field=field)
    return value


def required_id(value, field: str) -> int:
    """Return a positive integer id; refuse anything else."""
    result = optional_id(value, field)
    if result is None:
        raise ServiceError("invalid_field", field=field)
    return result


def since(value) -> int:
    """Return a valid catch-up position."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 2**53:
        raise ServiceError("invalid_since", field="since")
    return value

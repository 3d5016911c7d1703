"""Round trip of action lists: an edited XLSX or CSV is validated, previewed, and applied only on confirmation."""
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..errors import ServiceError
from ..extensions import db
from ..models import Event, User, utcnow
from ..models.action import ActionItem, PendingImport
from . import actions, spreadsheet
from .spreadsheet import Sheet, refuse, where

# What a workplace meeting may change in the file: column header → action field.
EDITABLE = {"Status": "status", "Ansvarig": "responsible", "Delmål: nuläge": "subgoal_current"}
COMMENT = "Kommentar"
REQUIRED = ("ID", "Version", *EDITABLE, COMMENT)
PENDING_TTL = timedelta(hours=2)


def _columns(sheet: Sheet) -> dict[str, int] | None:
    """The required columns' indexes, or None for a sheet that is not an action list (e.g. the summary)."""
    found = {name: spreadsheet.column_index(sheet, (name,)) for name in REQUIRED}
    if sheet.name and found["ID"] is None:
        return None  # another sheet of the workbook, e.g. the summary
    missing = [name for name, i in found.items() if i is None]
    if missing:
        raise refuse(_("Kolumnerna %(missing)s saknas%(sheet)s. Filen måste ha kolumnerna %(required)s.",
                       missing=", ".join(missing), sheet=f" ({sheet.name})" if sheet.name else "",
                       required=", ".join(REQUIRED)))
    return found


def _int(sheet: Sheet, row_no: int, column: str, value: str, errors: list) -> int | None:
    """A whole number from a cell, or an error naming the cell."""
    if value.strip().isdigit():
        return int(value.strip())
    errors.append(_("%(where)s: värdet %(value)s är inte ett heltal.", where=where(sheet, row_no, column),
                    value=repr(value)))
    return None


def _proposed(sheet: Sheet, row_no: int, cells: dict, errors: list) -> dict:
    """The editable values of one row, validated."""
    values = {}
    for column, field in EDITABLE.items():
        value = cells[column].strip()
        try:
            values[field] = actions.parse_status(value) if field == "status" else actions.clean(
                None, {field: value})[field]
        except ServiceError as error:
            errors.append(f"{where(sheet, row_no, column)}: {error.message}")
    return values


def _changes(action: ActionItem, values: dict, comment: str) -> list[dict]:
    """What the row would change, field by field."""
    found = [{"field": f, "before": getattr(action, f), "after": v} for f, v in values.items()
             if v != getattr(action, f)]
    if comment.strip() and comment.strip() != action.latest_comment.strip():
        found.append({"field": "comment", "before": action.latest_comment, "after": comment.strip()})
    return found


def _row(event: Event, sheet: Sheet, row_no: int, cells: dict, seen: dict, errors: list) -> dict | None:
    """Check one row and return its planned change, or None when it changes nothing."""
    before = len(errors)
    action_id = _int(sheet, row_no, "ID", cells["ID"], errors)
    version = _int(sheet, row_no, "Version", cells["Version"], errors)
    values = _proposed(sheet, row_no, cells, errors)
    if action_id is None or version is None or len(errors) > before:
        return None
    if action_id in seen:
        errors.append(_("%(where)s: åtgärden %(id)s finns redan på rad %(other)s.",
                        where=where(sheet, row_no, "ID"), id=action_id, other=seen[action_id]))
        return None
    seen[action_id] = row_no
    action = db.session.get(ActionItem, action_id)
    if action is None or action.event_id != event.id:
        errors.append(_("%(where)s: åtgärden %(id)s finns inte i det här caféet.",
                        where=where(sheet, row_no, "ID"), id=action_id))
        return None
    found = _changes(action, values, cells[COMMENT])
    if not found:
        return None
    return {"id": action.id, "title": action.title, "unit": action.unit.name if action.unit else "",
            "row": row_no, "sheet": sheet.name, "file_version": version, "version": action.version,
            "conflict": version != action.version, "changes": [_plain(c) for c in found]}


def _plain(change: dict) -> dict:
    """A change with JSON-friendly values."""
    return {k: ("" if v is None else str(v)) if k != "field" else v for k, v in change.items()}


def plan(event: Event, filename: str, data: bytes) -> dict:
    """Validate an uploaded list and work out what it would change; refuse the whole file on any error."""
    errors, seen, rows = [], {}, []
    for sheet in spreadsheet.read(filename, data, header=("ID",)):
        columns = _columns(sheet)
        if columns is None:
            continue
        for row_no, raw in sheet.rows:
            cells = {name: spreadsheet.undefuse(raw[i]) for name, i in columns.items()}
            planned = _row(event, sheet, row_no, cells, seen, errors)
            if planned:
                rows.append(planned)
            if len(errors) >= spreadsheet.MAX_ERRORS:
                break
    if not seen and not errors:
        raise refuse(_("Filen har ingen åtgärdslista. Ladda upp en lista som exporterats från verktyget."))
    if errors:
        raise refuse(errors[0], errors=errors)
    return {"rows": rows, "checked": len(seen)}


def store(event: Event, user: User, filename: str, planned: dict) -> str:
    """Keep a planned change set until it is confirmed; return its token."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_TTL))
    token = secrets.token_urlsafe(24)
    db.session.add(PendingImport(token=token, kind="actions", event_id=event.id, user_id=user.id,
                                 filename=(filename or "")[:200], payload=planned))
    db.session.flush()
    return token


def pending(event: Event, user: User, token, kind: str = "actions") -> PendingImport:
    """The user's stored change set for this event, or a refusal when it is gone or expired."""
    if not isinstance(token, str) or len(token) > 64:
        raise ServiceError("import_expired", status=410)
    found = db.session.scalar(select(PendingImport).where(
        PendingImport.token == token, PendingImport.kind == kind, PendingImport.event_id == event.id,
        PendingImport.user_id == user.id))
    if found is None or found.created_at < utcnow() - PENDING_TTL:
        raise ServiceError("import_expired", status=410)
    return found


def apply(event: Event, user: User, token, overwrite: set[int] | None = None) -> dict:
    """Apply a confirmed change set in the caller's transaction; conflicts only where the user chose."""
    stored = pending(event, user, token)
    overwrite = overwrite or set()
    applied, skipped = [], []
    for planned in stored.payload["rows"]:
        action = db.session.get(ActionItem, planned["id"])
        # A change made in the tool after the preview is a conflict too: never overwrite it silently.
        conflict = planned["conflict"] or action is None or action.version != planned["version"]
        if action is None or (conflict and planned["id"] not in overwrite):
            skipped.append(planned["id"])
            continue
        _apply_row(action, planned, user)
        applied.append(planned["id"])
    db.session.delete(stored)
    db.session.flush()
    return {"applied": applied, "skipped": skipped}


def _apply_row(action: ActionItem, planned: dict, user: User) -> None:
    """Write one row's changes, each kept in the history as coming from the import."""
    fields = {c["field"]: c["after"] for c in planned["changes"] if c["field"] != "comment"}
    if fields:
        actions.update(action, fields, user, source="import")
    for change in planned["changes"]:
        if change["field"] == "comment":
            actions.add_comment(action, change["after"], user, source="import")

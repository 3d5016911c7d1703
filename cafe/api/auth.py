"""Who is calling the API: a bearer token, or the browser's login session."""
from flask import request
from flask_login import current_user

from ..errors import ServiceError
from ..people import access


def principal() -> access.Principal:
    """Return the caller's principal, anonymous when there is no credential."""
    token = access.bearer_token(request.headers.get("Authorization", ""))
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return access.principal_for(token, user)


def require(allowed: bool, who: access.Principal) -> None:
    """Refuse with 401 for anonymous callers and 403 for others."""
    if not allowed:
        raise ServiceError("unauthorized" if who.kind == "anonymous" else "forbidden",
                           status=401 if who.kind == "anonymous" else 403)


def load_for(model, ident: int, allowed) -> tuple:
    """Load a row a logged-in caller may use: 401 anonymous, 404 missing, 403 when `allowed(who, row)` is false."""
    from ..extensions import db
    who = principal()
    require(who.kind != "anonymous", who)
    row = db.session.get(model, ident)
    if row is None:
        raise ServiceError("not_found", status=404)
    require(allowed(who, row), who)
    return row, who

"""Every change a logged-in user makes through a page or the API lands in the audit log.

Other areas need not remember to call audit.record for ordinary administrative actions: any successful
POST, PUT, PATCH or DELETE by a user is recorded with its endpoint and path (never the form's content).
Areas still call audit.record themselves when they have more to say (deletions, masking, purging).
"""
import logging

from flask import Flask, request
from flask_login import current_user

from ..extensions import db
from ..people import access, audit

log = logging.getLogger(__name__)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Recorded elsewhere with more detail, or not administrative.
SKIP = {"auth.login", "api.token", "main.set_language", "host.join", "api.join", "api.delete_event",
        "security.delete_event", "security.privacy_scan"}


def _api_user():
    """The user behind an API bearer token, if any."""
    try:
        who = access.principal_for(access.bearer_token(request.headers.get("Authorization", "")))
    except Exception:  # an invalid token was already refused by the view
        return None
    return who.user if who.is_user else None


def _record_change(response):
    """Record a successful change made by a user."""
    if request.method not in UNSAFE or response.status_code >= 400 or request.endpoint in SKIP:
        return response
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is None and request.path.startswith("/api/"):
        user = _api_user()
    if user is None:
        return response
    try:
        audit.record(user, request.endpoint or "unknown", request.path,
                     {"method": request.method, "status": response.status_code})
        db.session.commit()
    except Exception:  # the change itself succeeded; a failed log line must not turn it into an error
        db.session.rollback()
        log.warning("could not record %s %s in the audit log", request.method, request.path, exc_info=True)
    return response


def init_app(app: Flask) -> None:
    """Register the recorder."""
    app.after_request(_record_change)

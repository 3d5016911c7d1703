"""Signing in through the municipality's identity provider with OpenID Connect, by Authlib's Flask client.

The authorization code flow with PKCE (S256): Authlib keeps state, nonce and code verifier in the session
until the callback, and checks the ID token's signature against the keys the provider publishes (fetched
again when a token names a key not seen before, so rotated keys need no restart), its issuer, audience,
expiry and nonce, with OIDC_CLOCK_SKEW seconds of leeway. The verified claims go to
cafe.people.oidc_accounts, which decides the account and its role. Everything the provider is asked comes
from OIDC_ISSUER's discovery document; nothing else is fetched.
"""
import logging
import time
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError

from ..config import ConfigError
from ..errors import ServiceError
from ..extensions import db
from ..people import audit, oidc_accounts
from .views import render_login, safe_next, start_session

bp = Blueprint("oidc", __name__, url_prefix="/auth/oidc")
log = logging.getLogger(__name__)
NAME = "municipality"  # the client's name in Authlib's registry and in its session keys
TIMEOUT = 10  # seconds to wait for the provider
METADATA_MAX_AGE = 24 * 3600  # the discovery document is read again once a day
ASK_FOR_HELP = ("no_access", "oidc_email_taken", "oidc_no_email")  # refusals a person resolves
AUDITED = ("no_access", "oidc_email_taken")  # refusals oidc_accounts has logged itself
HINT_MAX = 2500  # characters of ID token kept in the session cookie (browsers drop cookies over 4 KB)


@dataclass
class Provider:
    """The identity provider of one app: its Authlib client, its issuer and the role map."""

    client: object
    issuer: str
    client_id: str
    role_map: tuple

    def metadata(self) -> dict:
        """The discovery document, read once a day; refused when it names another issuer."""
        known = self.client.server_metadata
        if time.time() - known.get("_loaded_at", 0) > METADATA_MAX_AGE:
            known.clear()
        try:
            found = self.client.load_server_metadata()
        except (requests.RequestException, ValueError) as error:
            log.warning("the identity provider's discovery document could not be read: %s", error)
            raise ServiceError("oidc_unavailable", status=503, reason="unreachable") from error
        if str(found.get("issuer", "")).rstrip("/") != self.issuer.rstrip("/"):
            log.error("the discovery document names the issuer %r, OIDC_ISSUER is %r", found.get("issuer"),
                      self.issuer)
            known.clear()
            raise ServiceError("oidc_unavailable", status=503, reason="issuer_mismatch")
        return found

    def claims_options(self) -> dict:
        """What the ID token must say: our provider's issuer, and our client id among its audiences."""
        return {"iss": {"essential": True, "value": self.metadata()["issuer"]},
                "aud": {"essential": True, "value": self.client_id}}

    def end_session_url(self, id_token: str, back_to: str) -> str | None:
        """The provider's logout address (with the ID token as hint when kept), or None when there is none."""
        try:
            if not self.metadata().get("end_session_endpoint"):
                return None
        except ServiceError:
            return None
        return self.client.create_logout_url(post_logout_redirect_uri=back_to, id_token_hint=id_token or None,
                                             client_id=self.client_id)["url"]


@bp.record_once
def _register(state) -> None:
    """Register the provider's client with the app being built, when OIDC_ISSUER is set."""
    config = state.app.config
    if not config.get("OIDC_ISSUER"):
        return
    try:
        role_map = oidc_accounts.parse_role_map(config["OIDC_ROLE_MAP"])
    except ValueError as error:
        raise ConfigError(f"OIDC_ROLE_MAP: {error}") from None
    client = OAuth(state.app).register(
        NAME, client_id=config["OIDC_CLIENT_ID"], client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256", "default_timeout": TIMEOUT})
    state.app.extensions["cafe.oidc"] = Provider(client, config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], role_map)


def _provider() -> Provider:
    """The app's identity provider; 404 when none is set up."""
    provider = current_app.extensions.get("cafe.oidc")
    if provider is None:
        abort(404)
    return provider


@bp.get("/login")
def login():
    """Send the browser to the provider's sign-in page with a new state, nonce and PKCE challenge."""
    provider = _provider()
    session["oidc_next"] = safe_next(request.args.get("next"))
    callback_url = current_app.config["PUBLIC_URL"] + url_for(".callback")
    try:
        provider.metadata()
        return provider.client.authorize_redirect(callback_url)
    except ServiceError as error:
        return _refused(error)


@bp.get("/callback")
def callback():
    """Check the provider's answer and its ID token, then sign the staff member in on a new session."""
    provider = _provider()
    target = session.get("oidc_next")
    try:
        token = _verified_token(provider)
        identity = oidc_accounts.identity_from(_claims(provider, token), current_app.config["OIDC_GROUPS_CLAIM"])
        user = oidc_accounts.sign_in(identity, provider.role_map, current_app.config["OIDC_LINK_BY_EMAIL"])
    except ServiceError as error:
        return _refused(error)
    hint = token["id_token"] if len(token["id_token"]) <= HINT_MAX else ""  # "": logout goes without the hint
    start_session(user, oidc_id_token=hint)
    return redirect(target or safe_next(None))


def _verified_token(provider: Provider) -> dict:
    """The token response with its ID token verified, or the refusal that says what went wrong."""
    options = provider.claims_options()
    try:
        token = provider.client.authorize_access_token(
            leeway=current_app.config["OIDC_CLOCK_SKEW"], claims_options=options)
    except MismatchingStateError as error:
        raise ServiceError("oidc_state", reason="state") from error
    except OAuthError as error:
        raise ServiceError("oidc_denied", reason=f"provider: {error.error}") from error
    except (JoseError, AuthlibBaseError) as error:
        raise ServiceError("oidc_invalid_token", reason=_why(error)) from error
    except requests.RequestException as error:
        raise ServiceError("oidc_unavailable", status=503, reason="unreachable") from error
    if not token.get("userinfo") or not token.get("id_token"):
        raise ServiceError("oidc_invalid_token", reason="no ID token")
    return token


def _why(error: Exception) -> str:
    """What was wrong with an ID token, in a few words for the audit log."""
    return f"{type(error).__name__}: {getattr(error, 'description', None) or error}"[:200]


def _claims(provider: Provider, token: dict) -> dict:
    """The ID token's claims, completed from the userinfo endpoint when e-mail, name or groups are missing."""
    claims = dict(token["userinfo"])
    wanted = ("email", "name", current_app.config["OIDC_GROUPS_CLAIM"])
    if all(key in claims for key in wanted) or not provider.metadata().get("userinfo_endpoint"):
        return claims
    try:
        extra = provider.client.userinfo(token=token)
    except (requests.RequestException, AuthlibBaseError, ValueError) as error:
        raise ServiceError("oidc_unavailable", status=503, reason="userinfo unreachable") from error
    if extra.get("sub") != claims.get("sub"):
        raise ServiceError("oidc_invalid_token", reason="userinfo names another subject")
    return {**extra, **claims}  # the signed claims win


def _refused(error: ServiceError):
    """The login page with the refusal's message; a failure of the protocol is logged in the audit log."""
    if error.code not in AUDITED:
        audit.record("oidc", "login.failed", None, {"method": "oidc", "code": error.code,
                                                    "reason": error.details.get("reason", error.code)})
        db.session.commit()
    message = error.message
    contact = current_app.config.get("OIDC_ACCESS_CONTACT")
    if contact and error.code in ASK_FOR_HELP:
        message = " ".join((message, _("Kontakta %(contact)s.", contact=contact)))
    flash(message, "error")
    return render_login(status=error.status)

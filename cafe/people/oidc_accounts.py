"""Staff accounts from the municipality's identity provider: who an ID token names and what its groups grant.

The provider is the authority for everyone who signs in through it. The first sign-in creates the account
(or links a local one with the same e-mail address when OIDC_LINK_BY_EMAIL allows it); every sign-in sets
the name and the role from the groups again, so a group removed at the provider is a role lost here at the
next sign-in. The user has one role: of several mapped groups the most capable role wins (ROLE_ORDER), and
among groups giving the same role the one listed first in OIDC_ROLE_MAP. Nothing here knows of requests,
sessions or the protocol: the auth area hands in claims that were already verified.
"""
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from ..errors import ServiceError
from ..extensions import db
from ..models import Administration, User
from . import audit

ROLE_ORDER = ("organizer", "project_lead", "facilitator", "city")  # the most capable first
NEEDS_ADMINISTRATION = ("facilitator", "project_lead")  # they only ever act within one administration
NO_PASSWORD = "!oidc"  # not a hash werkzeug can match: the account signs in through the provider only
LINK_RULES = ("verified", "always", "never")


@dataclass(frozen=True)
class Grant:
    """One entry of OIDC_ROLE_MAP: members of `group` get `role`, within `administration` if named."""

    group: str
    role: str
    administration: str | None = None


@dataclass(frozen=True)
class Identity:
    """The person a verified ID token (and the provider's userinfo) names."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]


def parse_role_map(text: str) -> tuple[Grant, ...]:
    """The grants of `group=role[@administration]; ...`; a ValueError says what is wrong."""
    grants = tuple(_grant(entry.strip()) for entry in (text or "").split(";") if entry.strip())
    if not grants:
        raise ValueError("give at least one group=role entry")
    seen = [g.group for g in grants]
    doubled = sorted({group for group in seen if seen.count(group) > 1})
    if doubled:
        raise ValueError(f"the group {doubled[0]!r} is listed twice")
    return grants


def _grant(entry: str) -> Grant:
    """One `group=role[@administration]` entry."""
    group, sign, target = entry.partition("=")
    role, _at, administration = target.partition("@")
    group, role, administration = group.strip(), role.strip(), administration.strip() or None
    if not sign or not group or not role:
        raise ValueError(f"{entry!r} is not group=role[@administration]")
    if role not in ROLE_ORDER:
        raise ValueError(f"{entry!r}: the role must be one of {', '.join(ROLE_ORDER)}")
    if role in NEEDS_ADMINISTRATION and administration is None:
        raise ValueError(f"{entry!r}: a {role} needs an administration (group={role}@Administration)")
    return Grant(group, role, administration)


def grant_for(groups, role_map: tuple[Grant, ...]) -> Grant | None:
    """The grant of the most capable role among the user's groups, or None when no group is mapped."""
    held = [g for g in role_map if g.group in set(groups)]
    if not held:
        return None
    return min(held, key=lambda g: ROLE_ORDER.index(g.role))  # min is stable: the first listed wins a tie


def identity_from(claims: Mapping, groups_claim: str) -> Identity:
    """The identity in verified claims; refuses claims without a subject or an e-mail address."""
    subject, email = claims.get("sub"), _text(claims.get("email"), 254).lower()
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise ServiceError("oidc_invalid_claims", status=400)
    if "@" not in email or " " in email:
        raise ServiceError("oidc_no_email", status=403)
    return Identity(issuer=str(claims.get("iss", ""))[:300], subject=subject, email=email,
                    email_verified=claims.get("email_verified") is True, name=_name(claims, email),
                    groups=_groups(claims.get(groups_claim)))


def _text(value, limit: int) -> str:
    """A claim as clean one-line text: a string, trimmed, without control characters, within its length."""
    if not isinstance(value, str):
        return ""
    value = unicodedata.normalize("NFC", value).strip()
    return "".join(c for c in value if unicodedata.category(c)[0] != "C")[:limit]


def _name(claims: Mapping, email: str) -> str:
    """The display name: `name`, else given and family name, else the e-mail address."""
    full = " ".join(filter(None, (_text(claims.get("given_name"), 100), _text(claims.get("family_name"), 100))))
    return _text(claims.get("name"), 200) or full or email


def _groups(value) -> tuple[str, ...]:
    """The group names of the groups claim: a list of strings, or a single string."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(_text(g, 300) for g in value if isinstance(g, str) and g.strip()))


def sign_in(identity: Identity, role_map: tuple[Grant, ...], link_by_email: str = "verified") -> User:
    """The staff account of a verified identity, created or updated from its groups, or a refusal."""
    user = _linked(identity)
    grant = grant_for(identity.groups, role_map)
    if grant is None:
        _refuse(identity, user, "no_group", revoke=True)
        raise ServiceError("no_access", status=403)
    if user is None:
        user = _link(identity, link_by_email) or _create(identity)
    _update(user, identity, grant)
    audit.record(user, "login", user, {"method": "oidc", "role": user.role})
    db.session.commit()
    return user


def _linked(identity: Identity) -> User | None:
    """The account already bound to this issuer and subject."""
    return db.session.scalar(select(User).where(User.oidc_issuer == identity.issuer,
                                                User.oidc_subject == identity.subject))


def _refuse(identity: Identity, user: User | None, reason: str, revoke: bool = False) -> None:
    """Log a refused sign-in; with `revoke`, the identity's own account loses its API tokens."""
    if user is not None and revoke:
        user.token_version = (user.token_version or 0) + 1
    audit.record(user or identity.email, "login.refused", user,
                 {"method": "oidc", "reason": reason, "email": identity.email, "groups": list(identity.groups[:20])})
    db.session.commit()


def _link(identity: Identity, link_by_email: str) -> User | None:
    """The local account with the same e-mail address, bound to the identity when that is safe, else None.

    Linking hands the account to the provider: its password stops working and its API tokens are revoked.
    """
    local = db.session.scalar(select(User).where(func.lower(User.email) == identity.email))
    if local is None:
        return None
    allowed = link_by_email == "always" or (link_by_email == "verified" and identity.email_verified)
    if local.oidc_subject is not None or not allowed:
        _refuse(identity, None, "email_taken")
        raise ServiceError("oidc_email_taken", status=409)
    local.oidc_issuer, local.oidc_subject = identity.issuer, identity.subject
    local.password_hash, local.failed_logins, local.locked_until = NO_PASSWORD, 0, None
    local.token_version = (local.token_version or 0) + 1
    audit.record(local, "user.linked", local, {"method": "oidc", "issuer": identity.issuer})
    return local


def _create(identity: Identity) -> User:
    """A new account for the identity, without a password."""
    user = User(email=identity.email, name=identity.name, password_hash=NO_PASSWORD,
                oidc_issuer=identity.issuer, oidc_subject=identity.subject)
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.created", user, {"method": "oidc"})
    return user


def _update(user: User, identity: Identity, grant: Grant) -> None:
    """Set name, e-mail address, role and administration from the identity and its grant."""
    administration = _administration(grant.administration)
    before = (user.role, user.administration_id)
    user.name = identity.name
    if user.email != identity.email and not _email_taken(identity.email, user.id):
        user.email = identity.email
    user.role, user.administration = grant.role, administration
    db.session.flush()
    if before != (user.role, user.administration_id):
        audit.record(user, "user.role", user, {"method": "oidc", "group": grant.group, "role": grant.role,
                                               "administration": grant.administration, "before": before[0]})


def _email_taken(email: str, own_id: int) -> bool:
    """Whether another account has this e-mail address."""
    return bool(db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email,
                                                                    User.id != own_id)))


def _administration(name: str | None) -> Administration | None:
    """The administration of that name (any case), created when the role map names a new one."""
    if name is None:
        return None
    wanted = name.casefold()  # in Python: SQLite's lower() leaves å, ä and ö as they are
    found = next((a for a in db.session.scalars(select(Administration)) if a.name.casefold() == wanted), None)
    if found is None:
        found = Administration(name=name)
        db.session.add(found)
        db.session.flush()
        audit.record("oidc", "administration.created", found, {"name": name})
    return found

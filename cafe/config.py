"""Configuration read from the environment, with a generated secret kept in instance/."""
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _instance_secret(instance_path: str) -> str:
    """Return the secret key kept in instance/, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance_path: str) -> str:
    """Return DATABASE_URL, normalised for SQLAlchemy, or the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "dialogcafe.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class ConfigError(ValueError):
    """An environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Setting:
    """One setting read from the environment: its name, how to read it, its default and meaning."""

    name: str
    default: object
    description: str
    kind: str = "str"  # str | int | bool | choice
    choices: tuple = ()

    def read(self):
        """The value from the environment, or the default; a clear error for a bad value."""
        raw = os.environ.get(self.name)
        if raw is None or raw == "":
            return self.default
        if self.kind == "int":
            if not raw.strip().isdigit():
                raise ConfigError(f"{self.name} must be a whole number, got {raw!r}")
            return int(raw)
        if self.kind == "bool":
            if raw.lower() not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
                raise ConfigError(f"{self.name} must be 1 or 0 (on or off), got {raw!r}")
            return raw.lower() in ("1", "true", "yes", "on")
        if self.kind == "choice" and raw not in self.choices:
            raise ConfigError(f"{self.name} must be one of {', '.join(self.choices)}, got {raw!r}")
        return raw


# The settings an operator may set; docs/configuration.md documents each (a test checks it).
SETTINGS = [
    Setting("DATABASE_URL", None, "SQLAlchemy URL of the database; SQLite in instance/ when unset. "
            "postgres:// and postgresql:// URLs use psycopg 3."),
    Setting("REDIS_URL", None, "Redis URL for Flask-SocketIO's message queue (needed with several "
            "processes) and shared rate limits."),
    Setting("SECRET_KEY", None, "Key that signs sessions and tokens; generated and kept in "
            "instance/secret_key when unset. Must be the same in every process."),
    Setting("PUBLIC_URL", "http://127.0.0.1:5000", "The address people use to reach the app: used in "
            "links and QR codes, and the origin allowed for Socket.IO (`flask serve` also allows the address "
            "it listens on, and without PUBLIC_URL uses that address)."),
    Setting("INSTALLATION_NAME", "Dialogcafé", "The installation's name, e.g. the administration's: the author "
            "of exported documents that no signed-in user asked for."),
    Setting("TIMEZONE", "Europe/Stockholm", "The time zone (IANA name) in which exported dates and times are "
            "written, e.g. in the Excel files: the one the people of the installation live in."),
    Setting("SOCKETIO_ASYNC_MODE", "threading", "Async mode for Flask-SocketIO inside `create_app`; "
            "`flask serve` and gunicorn choose gevent themselves.", "choice",
            ("threading", "gevent", "eventlet")),
    Setting("HOST_TOKEN_MAX_AGE", 3 * 24 * 3600, "Seconds a table host's token stays valid.", "int"),
    Setting("API_TOKEN_MAX_AGE", 12 * 3600, "Seconds an API token stays valid.", "int"),
    Setting("SESSION_COOKIE_SECURE", False, "1 to send cookies over HTTPS only (on automatically when "
            "PUBLIC_URL is https).", "bool"),
    Setting("METRICS_TOKEN", None, "Bearer token that may read /metrics from other hosts than localhost."),
    Setting("SYNTHESIS_WORKER", "process", "Where the live synthesis runs: `process`, a child process "
            "of each server process (one server process); `external`, one `flask --app cafe synthesis` "
            "service shared by several server processes (needs REDIS_URL); `off`, no live synthesis.",
            "choice", ("process", "external", "off")),
    Setting("SYNTHESIS_CPU_PERCENT", 10, "The share of one core (1-100 %) the live synthesis passes of all "
            "cafés together keep to: with many busy cafés at once each café's themes update less often, "
            "so the passes do not slow the notes.", "int"),
    Setting("CHILD_PRIORITY", "idle", "How the synthesis and job processes yield the CPU to the server "
            "processes: `idle`, only on CPU time the servers leave (Linux's SCHED_IDLE, else a nice value "
            "of 10); `low`, a nice value of 10; `normal`, as the servers (for a machine where other busy "
            "programs would starve idle children, such as a test run).", "choice", ("idle", "low", "normal")),
    Setting("JOB_WORKER", "process", "Where the city page and the exports are built: `process`, in job "
            "processes each server process keeps as children (its notes never wait for them); `thread`, in "
            "job threads of the server process (fewer processes, but the work shares its interpreter).",
            "choice", ("process", "thread")),
    Setting("JOB_WORKERS", 2, "Threads per process for background jobs (point-mapper fitting, exports) off the "
            "socket path, and the most job processes each server process keeps.", "int"),
    Setting("JOB_QUEUE", 20, "How many background jobs may wait per process before new ones are refused.",
            "int"),
    Setting("SOCKET_EVENTS_PER_SECOND", 20, "Socket events one connection may send per second, sustained "
            "(0: no limit); above it the ack is `too_many_requests` and the page tries again.", "int"),
    Setting("SOCKET_BURST", 100, "Socket events one connection may send at once before "
            "SOCKET_EVENTS_PER_SECOND applies.", "int"),
    Setting("PII_MODE", "mask", "What to do with personal data in notes: mask, warn or block.", "choice",
            ("mask", "warn", "block")),
    Setting("RETENTION_DAYS", 0, "Purge notes this many days after an event closes (0: keep).", "int"),
    Setting("LOGIN_MAX_FAILURES", 5, "Failed logins in a row before an account is locked.", "int"),
    Setting("LOGIN_LOCK_MINUTES", 15, "Minutes an account stays locked after too many failures.", "int"),
    Setting("RATELIMIT_STORAGE_URI", None, "Storage for rate limits (memory:// by default, the Redis of "
            "REDIS_URL when set)."),
    # Signing in through the municipality's identity provider (docs/configuration.md, "Signing in with OIDC")
    Setting("LOCAL_LOGIN", True, "Signing in with e-mail and password (the login form and the API's token). "
            "`off` leaves only the sign-in through OIDC_ISSUER.", "bool"),
    Setting("OIDC_ISSUER", None, "Issuer URL of the OpenID Connect provider (https; http only on 127.0.0.1 or "
            "localhost); its discovery document is read from <issuer>/.well-known/openid-configuration."),
    Setting("OIDC_CLIENT_ID", None, "The client id Dialogcafé is registered with at the provider."),
    Setting("OIDC_CLIENT_SECRET", None, "The client secret of that registration."),
    Setting("OIDC_SCOPES", "openid email profile", "Scopes asked for, separated by spaces; must include openid."),
    Setting("OIDC_GROUPS_CLAIM", "groups", "The claim listing the user's groups, in the ID token or from the "
            "userinfo endpoint."),
    Setting("OIDC_ROLE_MAP", None, "Which group gives which role: `group=role[@administration]` entries "
            "separated by `;`."),
    Setting("OIDC_LINK_BY_EMAIL", "verified", "Whether a first sign-in takes over a local account with the same "
            "e-mail address: `verified` (when the provider says email_verified), `always` or `never`.", "choice",
            ("verified", "always", "never")),
    Setting("OIDC_ACCESS_CONTACT", None, "Whom people without a mapped group should ask for access, named in "
            "the message they get."),
    Setting("ACCESSIBILITY_CONTACT", None, "Where people report an accessibility problem or ask for content in "
            "another form (an e-mail address or a web address), shown on the accessibility statement."),
    Setting("ACCESSIBILITY_ASSESSED", "2026-12-07", "Date (YYYY-MM-DD) of the latest accessibility assessment, "
            "shown on the accessibility statement."),
    Setting("OIDC_CLOCK_SKEW", 120, "Seconds the provider's clock may differ from ours when ID tokens are "
            "checked.", "int"),
]


def settings() -> dict:
    """Read every setting from the environment."""
    return {s.name: s.read() for s in SETTINGS}


def engine_options(url: str) -> dict:
    """Pool settings: pre-ping a server database; under gevent, a larger pool for many greenlets.

    A SQLite file cannot drop its connection, so its checkouts (one per socket event) skip the ping.
    SQLite's busy wait sleeps in C and would freeze every greenlet, so the code never yields while
    it holds a write transaction (services commit before they emit or wait for the thread pool);
    with WAL, readers never block the writer.

    The pool hands out the connection returned last (LIFO): socket events rarely overlap, so one
    warm connection serves nearly every note instead of the whole pool in
    turn, and the connections left idle can be closed by the server without harm (they are pinged).
    """
    options = {"pool_pre_ping": not url.startswith("sqlite")}
    gevent = sys.modules.get("gevent.monkey")
    if gevent is not None and gevent.is_module_patched("socket"):
        options.update(pool_size=20, max_overflow=30, pool_timeout=30, pool_use_lifo=True)
    return options


def _percent(env: dict, name: str) -> int:
    """A setting that is a share in whole percent, 1 to 100."""
    if not 1 <= env[name] <= 100:
        raise ConfigError(f"{name} must be a percentage from 1 to 100, got {env[name]}")
    return env[name]


def _zone(env: dict) -> str:
    """The exports' time zone: a name the system's time zone database knows."""
    try:
        ZoneInfo(env["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TIMEZONE must be a time zone name such as Europe/Stockholm, "
                          f"got {env['TIMEZONE']!r}") from None
    return env["TIMEZONE"]


def _redis_url(env: dict) -> str | None:
    """The message queue's URL: a Redis one (redis:// or rediss://), or unset."""
    url = env["REDIS_URL"]
    if url and not url.startswith(("redis://", "rediss://")):
        raise ConfigError(f"REDIS_URL must be a Redis URL (redis://host:port/db or rediss://...), got {url!r}")
    return url or None


OIDC_SETTINGS = ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES", "OIDC_GROUPS_CLAIM", "OIDC_ROLE_MAP",
                 "OIDC_LINK_BY_EMAIL", "OIDC_ACCESS_CONTACT", "OIDC_CLOCK_SKEW")


def _issuer(url: str) -> str:
    """The provider's issuer URL: https, or http on this machine only (tests, a provider beside the app)."""
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not (parts.scheme == "https" or local) or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"OIDC_ISSUER must be an https:// URL without ? or # (http:// only for 127.0.0.1 "
                          f"or localhost), got {url!r}")
    return url


def _date(env: dict, name: str) -> date:
    """A YYYY-MM-DD setting as a date, or a clear error."""
    try:
        return date.fromisoformat(str(env[name]))
    except ValueError:
        raise ConfigError(f"{name} must be a date as YYYY-MM-DD, got {env[name]!r}") from None


def _sign_in(env: dict) -> dict:
    """The sign-in settings: a provider needs its client and role map; without passwords it needs a provider."""
    if not env["OIDC_ISSUER"]:
        stray = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ROLE_MAP") if env[name]]
        if stray:
            raise ConfigError(f"{stray[0]} is set but OIDC_ISSUER is not: set the provider's issuer URL")
        if not env["LOCAL_LOGIN"]:
            raise ConfigError("LOCAL_LOGIN=off needs OIDC_ISSUER: without either nobody could sign in")
    else:
        _issuer(env["OIDC_ISSUER"])
        for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ROLE_MAP"):
            if not env[name]:
                raise ConfigError(f"OIDC_ISSUER is set, so {name} must be set too")
        if "openid" not in env["OIDC_SCOPES"].split():
            raise ConfigError(f"OIDC_SCOPES must include openid, got {env['OIDC_SCOPES']!r}")
    return {"LOCAL_LOGIN": env["LOCAL_LOGIN"], "OIDC_ISSUER": env["OIDC_ISSUER"] or None,
            **{name: env[name] for name in OIDC_SETTINGS}}


def load(instance_path: str) -> dict:
    """Build the default configuration for an app whose instance folder is given."""
    env = settings()
    return {
        "SECRET_KEY": env["SECRET_KEY"] or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(_database_url(instance_path)),
        "REDIS_URL": _redis_url(env),
        "METRICS_TOKEN": env["METRICS_TOKEN"],
        "JOB_WORKER": env["JOB_WORKER"],
        "JOB_WORKERS": env["JOB_WORKERS"],
        "SYNTHESIS_WORKER": env["SYNTHESIS_WORKER"],
        "SYNTHESIS_CPU_PERCENT": _percent(env, "SYNTHESIS_CPU_PERCENT"),
        "SOCKET_EVENTS_PER_SECOND": env["SOCKET_EVENTS_PER_SECOND"],
        "SOCKET_BURST": env["SOCKET_BURST"],
        "JOB_QUEUE": env["JOB_QUEUE"],
        "PUBLIC_URL": env["PUBLIC_URL"].rstrip("/"),
        "INSTALLATION_NAME": env["INSTALLATION_NAME"],
        "TIMEZONE": _zone(env),
        "SOCKETIO_ASYNC_MODE": env["SOCKETIO_ASYNC_MODE"],
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ["sv", "en"],
        "HOST_TOKEN_MAX_AGE": env["HOST_TOKEN_MAX_AGE"],
        "API_TOKEN_MAX_AGE": env["API_TOKEN_MAX_AGE"],
        "NOTE_MAX_CHARS": 2000,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env["SESSION_COOKIE_SECURE"] or env["PUBLIC_URL"].startswith("https://"),
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        # Security and privacy (docs/privacy.md)
        "PII_MODE": env["PII_MODE"],
        "RETENTION_DAYS": env["RETENTION_DAYS"] or None,
        "LOGIN_MAX_FAILURES": env["LOGIN_MAX_FAILURES"],
        "LOGIN_LOCK_MINUTES": env["LOGIN_LOCK_MINUTES"],
        "RATELIMIT_STORAGE_URI": env["RATELIMIT_STORAGE_URI"],
        "RATELIMIT_HEADERS_ENABLED": True,
        "ACCESSIBILITY_CONTACT": env["ACCESSIBILITY_CONTACT"],
        "ACCESSIBILITY_ASSESSED": _date(env, "ACCESSIBILITY_ASSESSED"),
        **_sign_in(env),
    }

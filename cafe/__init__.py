"""Dialogcafé: live notes, synthesis and follow-up for dialogue cafés in social services."""
from pathlib import Path

from flask import Flask, request, session

from . import config as config_module
from .extensions import babel, csrf, db, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: load config, bind the extensions, register the areas."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"), instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(config_module.load(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_ENGINE_OPTIONS" not in config:  # the pool suited to the database given
            url = app.config["SQLALCHEMY_DATABASE_URI"]
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.engine_options(url)
    # Socket handlers must be declared before socketio.init_app so that every app gets them.
    from . import actions, api, auth, city, facilitator, feedback, host, main, organizer, projector, security  # noqa: F401,E501
    _init_extensions(app)
    _register_areas(app)
    security.init_app(app)
    from . import cli
    from .storage import database
    database.init_app(app)
    cli.init_app(app)
    _template_globals(app)
    return app


def _template_globals(app: Flask) -> None:
    """Values every page needs: the realtime names, the server's clock and the locale."""
    from flask_babel import get_locale

    from .labels import level_label
    from .models import utcnow
    from .realtime import protocol
    app.add_template_filter(level_label, "level")

    @app.context_processor
    def _globals():
        return {"protocol": protocol.for_browser(), "server_now": utcnow().timestamp() * 1000,
                "current_locale": lambda: str(get_locale() or "sv")}


def _select_locale() -> str:
    """Swedish unless the user chose English."""
    lang = session.get("lang") if request else None
    return lang if lang in ("sv", "en") else "sv"


def _init_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from . import models  # noqa: F401  (register the tables before migrations look at them)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    from .people import users
    login_manager.user_loader(users.by_session_id)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    from .realtime import fanout, origins
    queue = {"client_manager": fanout.RedisManager(app.config["REDIS_URL"], channel="flask-socketio")} \
        if app.config["REDIS_URL"] else {}
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"], serializer=fanout.Packet, **queue,
                      cors_allowed_origins=origins.AcceptedOrigins(app.config.get("SOCKETIO_ORIGINS")
                                                                   or [app.config["PUBLIC_URL"]]),
                      max_http_buffer_size=64 * 1024, ping_interval=10, ping_timeout=10)
    from .ops import metrics
    from .people import access
    from .realtime import protocol
    from .realtime.sockets import SessionInterface
    metrics.count_clients_in(protocol.NAMESPACES)
    app.session_interface = SessionInterface()
    app.extensions["cafe.authenticate"] = access.principal_for  # who a connecting socket is


def _register_areas(app: Flask) -> None:
    """Register each area's blueprint (its socket handlers register on import)."""
    from . import api, auth, facilitator, host, main, organizer, projector, vote
    for area in (main, auth, host, facilitator, projector, organizer, vote):
        app.register_blueprint(area.bp)
    from . import actions, city, feedback
    for area in (actions, feedback, city):
        app.register_blueprint(area.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    from .ops import metrics
    app.register_blueprint(metrics.bp)
    _register_error_pages(app)


def _register_error_pages(app: Flask) -> None:
    """A path no view answers, or one refused: JSON under /api/, a page of the app everywhere else."""
    from .api.blueprint import unrouted
    from .main.views import error_page

    def answer(error):
        return unrouted(error) if request.path.startswith("/api/") else error_page(error)
    for code in (403, 404, 405):
        app.register_error_handler(code, answer)

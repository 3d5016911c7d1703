"""gunicorn settings for one Dialogcafé process (run several behind nginx for more)."""
import os

bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "5000"))
wsgi_app = "cafe.wsgi:app"
worker_class = "gevent"
workers = 1  # Flask-SocketIO keeps sockets in process memory: scale with processes, not workers
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "4000"))
timeout = 60
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning")
proc_name = "dialogcafe"

"""The app for gunicorn's gevent worker: `gunicorn -c gunicorn.conf.py cafe.wsgi:app`.

gunicorn's gevent worker patches the standard library before it imports this module, so the app
is built for gevent; one worker per process, as Flask-SocketIO requires.
"""
from . import create_app
from .runtime import lifecycle

app = create_app({"SOCKETIO_ASYNC_MODE": "gevent"})
lifecycle.start(app)
lifecycle.settle_memory()

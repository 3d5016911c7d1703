"""The realtime server's connection pool: under gevent the connection returned last is handed out next."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()
    import sys
    from cafe import create_app
    from cafe.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "TESTING": True})
    with app.app_context():
        first, second = db.engine.connect(), db.engine.connect()
        second_raw = second.connection.dbapi_connection
        first.close()
        second.close()
        again = db.engine.connect()
        print("last" if again.connection.dbapi_connection is second_raw else "oldest")
        again.close()
""")


def test_gevent_pool_reuses_the_connection_returned_last(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "pool.sqlite3")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "last"

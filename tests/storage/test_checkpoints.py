"""SQLite's WAL checkpoints: a server process leaves them to a background loop off its event loop."""
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cafe.storage import checkpoints
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
ROWS, ROW_BYTES = 60, 8192

BATCH = 15  # rows written before the script waits for the loop to have copied them

# Writes ROWS rows of ROW_BYTES each in separate commits while the checkpoint loop runs, then prints
# the app connections' autocheckpoint setting and the size the write-ahead log grew to. After every
# BATCH rows it waits (up to 20 s, for a loaded machine) until the loop has run a checkpoint that
# copied the whole log, so the result does not depend on how the loop's timing meets the writes.
SCRIPT = textwrap.dedent(f"""
    import sys
    if sys.argv[2] == "gevent":
        from gevent import monkey
        monkey.patch_all()
    import os
    import time
    from cafe import create_app
    from cafe.storage import checkpoints
    from cafe.extensions import db, socketio
    path = sys.argv[1]
    app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "TESTING": True}})
    with app.app_context():
        db.session.execute(db.text("CREATE TABLE filler (body BLOB)"))
        db.session.commit()
    stop = checkpoints.start(app, interval=0.02)

    def copied_all_since(runs):
        last = checkpoints.progress["last"]
        return checkpoints.progress["runs"] > runs and last is not None and last[1] == last[2]

    with app.app_context():
        setting = db.session.execute(db.text("PRAGMA wal_autocheckpoint")).scalar()
        for row in range(1, {ROWS} + 1):
            db.session.execute(db.text("INSERT INTO filler VALUES (:b)"), {{"b": os.urandom({ROW_BYTES})}})
            db.session.commit()
            socketio.sleep(0.01)
            runs, deadline = checkpoints.progress["runs"], time.monotonic() + 20
            while row % {BATCH} == 0 and not copied_all_since(runs) and time.monotonic() < deadline:
                socketio.sleep(0.02)
        count = db.session.execute(db.text("SELECT count(*) FROM filler")).scalar()
        db.session.remove()
    stop()
    print(setting, count, os.path.getsize(path + "-wal"))
""")


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_the_loop_keeps_the_log_short_while_the_app_connections_never_checkpoint(tmp_path, mode):
    path = tmp_path / "cafe.sqlite3"
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(path), mode], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    setting, count, wal_bytes = map(int, result.stdout.split()[-3:])
    assert setting == 0
    assert count == ROWS
    # Without checkpoints the log holds every page written, about twice the rows' bytes (1 MB here);
    # with them it is reused from its start and stays a fraction of that.
    assert wal_bytes < ROWS * ROW_BYTES, wal_bytes
    assert sqlite3.connect(path).execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # others keep it


def test_one_checkpoint_copies_the_log_into_the_database(tmp_path):
    path = str(tmp_path / "cafe.sqlite3")
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE filler (body BLOB)")
    writer.executemany("INSERT INTO filler VALUES (?)", [(bytes(ROW_BYTES),)] * 10)
    writer.commit()
    busy, pages, copied = checkpoints.checkpoint(path)
    assert busy == 0 and pages > 10 and copied == pages
    writer.close()


def test_nothing_to_take_over_on_an_in_memory_or_server_database(tmp_path):
    assert checkpoints.start(make_app("sqlite://")) is None
    assert checkpoints.start(make_app("postgresql+psycopg://postgres@127.0.0.1:5432/test")) is None

"""Commands registered on the app: `serve`, `demo` and `synthesis` (plus Flask-Migrate's `db`)."""
import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db

# Patch with gevent before the cafe package (and Flask, ssl, redis) is imported.
BOOT = ("try:\n from gevent import monkey; monkey.patch_all()\nexcept ImportError:\n pass\n"
        "import runpy; runpy.run_module('cafe.runtime.server', run_name='__main__')")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def serve_command(host: str, port: int) -> None:
    """Start the realtime-capable server (gevent when installed, else threads)."""
    # Flask's CLI has already imported the app without gevent's patches, so start afresh.
    args = [sys.executable, "-c", BOOT, "--host", host, "--port", str(port)]
    sys.stdout.flush()
    os.execv(sys.executable, args)


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@with_appcontext
def demo_command(as_json: bool) -> None:
    """Seed the demo café (once) and print its links, join codes and a fresh organizer login."""
    from .demo import seed
    info = seed(current_app.config["PUBLIC_URL"])
    db.session.commit()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    click.echo(f"\nDialogcafé körs på {current_app.config['PUBLIC_URL']}\n")
    click.echo(f"Arrangör:      {info['organizer']['email']}  lösenord: {info['organizer']['password']}")
    click.echo(f"Processledare: {info['facilitator_url']}")
    click.echo(f"Projektor:     {info['projector_url']}")
    for table in info["tables"]:
        click.echo(f"Bord {table['number']}:  kod {table['join_code']}  {table['url']}")
    click.echo("")


@click.command("synthesis")
@with_appcontext
def synthesis_command() -> None:
    """Run the one synthesis service of several server processes (SYNTHESIS_WORKER=external, REDIS_URL)."""
    from .jobs.children import lower_priority
    from .runtime.synthesis_service import run_standalone
    lower_priority()
    run_standalone(current_app._get_current_object())


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(serve_command)
    app.cli.add_command(synthesis_command)
    app.cli.add_command(demo_command)

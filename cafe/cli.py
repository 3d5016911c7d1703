"""Commands registered on the app: `serve`, `demo` and `synthesis` (plus Flask-Migrate's `db`)."""
import functools
import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from .extensions import db
from .storage import database

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
    """Seed the demo (once): a held café and a planned one; print every role's way in, with fresh passwords."""
    from .demo import seed
    _migrated_first()
    info = seed(current_app.config["PUBLIC_URL"])
    db.session.commit()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    click.echo(demo_text(info))


def _migrated_first() -> None:
    """A database never migrated gets its tables first, as `flask --app cafe db upgrade` would make them."""
    if not database.schema_problem():
        return
    import flask_migrate
    click.echo("Databasen har inga tabeller än: skapar dem först (flask --app cafe db upgrade).", err=True)
    flask_migrate.upgrade()
    if reason := database.schema_problem():
        raise click.ClickException(reason)


DEMO_ROLES = (("organizer", "Arrangör"), ("facilitator", "Processledare"), ("project_lead", "Projektledare"))


def demo_text(info: dict) -> str:
    """What `flask demo` prints: the logins, then each café's links and codes."""
    planned, held = info["planned"], info["held"]
    lines = ["", "Demodata för Dialogcafé är sparad. Länkarna fungerar när servern körs "
             "(make run, eller flask --app cafe serve).", "", f"Logga in på {info['login_url']}"]
    lines += [f"  {label:<14} {info[role]['email']:<36} lösenord: {info[role]['password']}"
              for role, label in DEMO_ROLES]
    lines += ["", f"Planerat café (utkast, {planned['date']}): {planned['title']}",
              f"  Planering:               {planned['planning_url']}",
              f"  Processledarens vy:      {planned['facilitator_url']}  (starta runda 1 här)",
              f"  Projektor:               {planned['projector_url']}",
              f"  Förhandsenkät (öppen):   {planned['vote_url']}"]
    lines += [f"  Bord {t['number']} ({t['host_name']}): kod {t['join_code']}  {t['url']}" for t in planned["tables"]]
    lines += ["", f"Genomfört café (avslutat, {held['date']}): {held['title']}",
              f"  Åtgärdslistor:           {held['actions_url']}",
              f"  Skapa åtgärder:          {held['build_url']}",
              f"  Återkoppling:            {held['feedback_url']}",
              f"  Förhandsenkätens svar:   {held['vote_results_url']}",
              f"  Processledarens vy:      {held['facilitator_url']}",
              f"  Projektor:               {held['projector_url']}", ""]
    return "\n".join(lines)


@click.command("synthesis")
@with_appcontext
def synthesis_command() -> None:
    """Run the one synthesis service of several server processes (SYNTHESIS_WORKER=external, REDIS_URL)."""
    from .jobs.children import lower_priority
    from .runtime.synthesis_service import run_standalone
    lower_priority()
    run_standalone(current_app._get_current_object())


@click.command("report")
@click.argument("event_ids", nargs=-1, type=int)
@click.option("--year", type=int, help="A year's cafés instead of chosen ones, e.g. 2026.")
@click.option("--administration", help="The administration's id or name (with --year); all when left out.")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html"]), default="docx", show_default=True)
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Where to write the file; by default a name that says what it is, in this folder.")
@with_appcontext
def report_command(event_ids, year, administration, fmt, language, output) -> None:
    """Write the report to the committee of some cafés (their ids) or of a year (this year by default)."""
    from .report import commands
    try:
        path, size = commands.write_report(list(event_ids), year, administration, fmt, language, output)
    except commands.ReportRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"{path} ({size} bytes)")


def _plainly(callback):
    """A command's callback that ends with one line and exit status 1 when the database cannot be used."""
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except DBAPIError as error:
            raise click.ClickException(database.problem(error)) from None
    run.plain = True
    return run


def plain_errors(group: click.Group) -> None:
    """Give every command of the group (and its subgroups) one-line database errors, once."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            plain_errors(command)
        elif command.callback and not getattr(command.callback, "plain", False):
            command.callback = _plainly(command.callback)


def init_app(app: Flask) -> None:
    """Register the commands; call after every area has added its own."""
    app.cli.add_command(report_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(synthesis_command)
    app.cli.add_command(demo_command)
    plain_errors(app.cli)

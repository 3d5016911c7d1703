"""`flask privacy ...`: scan and mask personal data in stored notes, purge notes past retention."""
import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..extensions import db, socketio
from ..privacy import screening

log = logging.getLogger(__name__)
privacy_cli = AppGroup("privacy", help="Personuppgifter i anteckningar och gallring.")
DAY = 24 * 3600


@privacy_cli.command("scan")
@click.option("--mask", is_flag=True, help="Maskera det som hittas (anteckningar, versioner, ändringslogg).")
@click.option("--event", "event_id", type=int, default=None, help="Bara ett café (id).")
def scan_command(mask: bool, event_id: int | None) -> None:
    """List notes holding personal data (kinds only, never the data); mask them with --mask."""
    hits = screening.scan(event_id)
    for hit in hits:
        click.echo(f"café {hit['event_id']}  anteckning {hit['note_id']}  {hit['table']}  {', '.join(hit['kinds'])}")
    click.echo(f"{len(hits)} träffar")
    if mask and hits:
        counts = screening.mask_all("cli", event_id)
        click.echo("Maskerat: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@privacy_cli.command("purge")
@click.option("--days", type=int, default=None, help="Gallra efter så här många dagar (annars RETENTION_DAYS).")
def purge_command(days: int | None) -> None:
    """Delete the notes of cafés closed more than RETENTION_DAYS days ago."""
    days = days if days is not None else current_app.config.get("RETENTION_DAYS")
    if not days:
        click.echo("RETENTION_DAYS är inte satt: ingenting gallras.")
        return
    done = screening.purge_due("cli", days)
    for item in done:
        click.echo(f"café {item['event_id']}: " + ", ".join(f"{k} {v}" for k, v in item["rows"].items()))
    click.echo(f"{len(done)} caféer gallrade")


def _purge_daily(app: Flask) -> None:
    """Purge at start and then once a day, while the server runs."""
    while True:
        with app.app_context():
            try:
                screening.purge_due("retention")
            except Exception:  # a database hiccup must not end the server; try again tomorrow
                log.warning("retention purge failed", exc_info=True)
                db.session.rollback()
            finally:
                db.session.remove()
        socketio.sleep(DAY)


def start_retention(app: Flask) -> None:
    """Run the retention purge in the background when RETENTION_DAYS is set."""
    if app.config.get("RETENTION_DAYS"):
        socketio.start_background_task(_purge_daily, app)


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(privacy_cli)

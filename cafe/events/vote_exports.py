"""The pre-vote's results as CSV (Excel-friendly: UTF-8 BOM and semicolons), XLSX and JSON."""
import csv
import io
from datetime import datetime

from openpyxl import Workbook

from ..documents import cells, downloads
from ..models import utcnow

HEADER = ["Punkt", "Kortnamn", "Rubrik", "Röster", "Andel av svaren (%)"]
WHAT = "forhandsenkat"  # what the files hold, in their names


def rows(result: dict) -> list[list]:
    """One row per framework point: number, label, title, votes and share of ballots."""
    ballots = result["ballots"] or 0
    return [[p["number"], p["label"], p["title"], p["votes"],
             round(100 * p["votes"] / ballots, 1) if ballots else 0.0] for p in result["points"]]


def filename(event, ext: str) -> str:
    """The download's name: the café, its date and what it holds."""
    return downloads.for_event(event.title, event.date, WHAT, ext)


def to_csv(result: dict) -> bytes:
    """The counts per point as CSV with a BOM so that Excel reads å, ä and ö."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows(result):
        writer.writerow([cells.defuse(v) if not isinstance(v, float) else str(v).replace(".", ",") for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _about(result: dict, event) -> list[tuple[str, object]]:
    """The lines under the title: the café's date, when the vote opened and closed, the answers."""
    lines = [("Caféets datum", event.date)] if event.date else []
    for label, key in (("Öppnades", "opened_at"), ("Stängdes", "closed_at")):
        if result.get(key):
            lines.append((label, cells.local(datetime.fromisoformat(result[key].replace("Z", "+00:00")))))
    return lines + [("Antal svar", result["ballots"]), ("Exporterad", cells.local(utcnow()))]


def to_xlsx(result: dict, event) -> bytes:
    """A workbook with the counts per point and a sheet of the participants' wishes, each titled with the café."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Resultat"
    head = cells.title_rows(sheet, f"Förhandsenkät: {event.title}", _about(result, event))
    cells.put_row(sheet, head, HEADER, bold=True)
    for row_no, row in enumerate(rows(result), start=head + 1):
        cells.put_row(sheet, row_no, row)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 80
    sheet.freeze_panes = f"A{head + 1}"
    wishes = book.create_sheet("Önskemål")
    head = cells.title_rows(wishes, f"Önskemål inför {event.title}")
    cells.put(wishes, head, 1, "Önskemål", bold=True)
    for row_no, wish in enumerate(result["wishes"], start=head + 1):
        cells.put(wishes, row_no, 1, wish)
    wishes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(result: dict, event) -> dict:
    """The results with the event they belong to."""
    return {"event": {"id": event.id, "title": event.title,
                      "date": event.date.isoformat() if event.date else None}, "vote": result}

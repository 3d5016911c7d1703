"""The pre-vote's results as CSV (Excel-friendly: UTF-8 BOM and semicolons), XLSX and JSON."""
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = ["Punkt", "Kortnamn", "Rubrik", "Röster", "Andel av svaren (%)"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Keep spreadsheet programs from reading user text as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(result: dict) -> list[list]:
    """One row per framework point: number, label, title, votes and share of ballots."""
    ballots = result["ballots"] or 0
    return [[p["number"], p["label"], p["title"], p["votes"],
             round(100 * p["votes"] / ballots, 1) if ballots else 0.0] for p in result["points"]]


def to_csv(result: dict) -> bytes:
    """The counts per point as CSV with a BOM so that Excel reads å, ä and ö."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows(result):
        writer.writerow([_safe(v) if not isinstance(v, float) else str(v).replace(".", ",") for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: dict, title: str) -> bytes:
    """A workbook with the counts per point and a sheet of the participants' wishes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Resultat"
    sheet.append([_safe(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"Antal svar: {result['ballots']}"])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows(result):
        sheet.append([_safe(v) for v in row])
    sheet.column_dimensions["C"].width = 80
    wishes = book.create_sheet("Önskemål")
    wishes.append(["Önskemål"])
    for wish in result["wishes"]:
        wishes.append([_safe(wish)])
    wishes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(result: dict, event) -> dict:
    """The results with the event they belong to."""
    return {"event": {"id": event.id, "title": event.title,
                      "date": event.date.isoformat() if event.date else None}, "vote": result}

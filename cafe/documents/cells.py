"""Spreadsheet cells: text never runs as a formula, dates and times are real dates in the installation's zone."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from openpyxl.styles import Alignment, Font

# Text starting with one of these is what Excel, LibreOffice and Google Sheets run as a formula
# (OWASP's list for CSV injection): an export writes it so that it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_ZONE = "Europe/Stockholm"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_TITLE_MAX = 31
SHEET_FORBIDDEN = "[]:*?/\\"
WRAP = Alignment(wrap_text=True, vertical="top")


def looks_like_formula(value) -> bool:
    """True for text a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defuse(value):
    """A value for a CSV cell: formula-like text gets a leading apostrophe, None becomes empty."""
    if looks_like_formula(value):
        return "'" + value
    return "" if value is None else value


def undefuse(text: str) -> str:
    """Take back the apostrophe `defuse` put before text that looks like a formula."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


def zone() -> ZoneInfo:
    """The installation's time zone (TIMEZONE), in which people read every exported time."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the wall-clock time of the installation, to the minute, without a zone
    (Excel knows no zones)."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone()).replace(tzinfo=None, second=0, microsecond=0)


def as_text(value) -> str:
    """A value as CSV text: dates as 2026-12-03, times as 2026-12-03 14:05, formula-like text defused."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(defuse(value))


def put(sheet, row: int, column: int, value, bold: bool = False):
    """Write one cell: text stays text (a formula start is shown as typed and never run), a date or a
    time becomes a real Excel date with a readable format; returns the cell."""
    cell = sheet.cell(row=row, column=column, value="" if value is None else value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            # Marked as typed text, so that editing the cell in Excel does not turn it into a formula either.
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def put_row(sheet, row: int, values, bold: bool = False) -> None:
    """Write a row of cells from the first column."""
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, bold)


def title_rows(sheet, title: str, lines=()) -> int:
    """A bold title (the café, the unit) and label–value lines above a table; returns the next free row."""
    put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    row = 2
    for label, value in lines:
        put(sheet, row, 1, label, bold=True)
        put(sheet, row, 2, value)
        row += 1
    return row + 1


def sheet_title(name: str, taken: set[str]) -> str:
    """A unique sheet title within Excel's 31 characters, shortened at a word boundary, without the
    characters Excel forbids; `taken` holds the titles used so far (lower case) and is updated."""
    base = _shortened("".join(" " if c in SHEET_FORBIDDEN else c for c in name).strip(), SHEET_TITLE_MAX)
    base = base.strip("'") or "Blad"  # Excel refuses a title that starts or ends with an apostrophe
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = _shortened(base, SHEET_TITLE_MAX - len(suffix)) + suffix
        n += 1
    taken.add(title.lower())
    return title


def _shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at the last space, or mid-word only when one word is longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(" –-,:;")
    return cut if cut and len(cut) <= limit else text[:limit].rstrip()

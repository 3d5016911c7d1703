"""Reading uploaded CSV and XLSX files as plain text cells: never a formula evaluated, every refusal named."""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import load_workbook

from ..documents import cells
from ..errors import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_ERRORS = 30
DELIMITERS = (";", ",", "\t")
TITLE_ROWS_MAX = 10  # rows a sheet may have above its header (an export's title, the café's date)


@dataclass
class Sheet:
    """One table of an upload: its name (None for CSV), header and numbered rows of text cells."""

    name: str | None
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def refuse(message: str, **details) -> ServiceError:
    """An upload refusal with its Swedish message (and where, when known)."""
    return ServiceError("invalid_upload", status=400, message=message, **details)


def where(sheet: Sheet, row_no: int, column: str | None = None) -> str:
    """"Rad 4, kolumn Status (blad Familjeenheten)" for messages."""
    text = _("Rad %(row)s", row=row_no)
    if column:
        text += ", " + _("kolumn %(column)s", column=column)
    if sheet.name:
        text += " " + _("(blad %(sheet)s)", sheet=sheet.name)
    return text


def read(filename: str, data: bytes, header: tuple[str, ...] = ()) -> list[Sheet]:
    """Read an upload into sheets; refuse empty, huge, unreadable or formula-bearing files.

    A sheet's header is its first row holding one of the names in `header` (title rows above it are
    skipped), else its first non-empty row.
    """
    if not data or not data.strip():
        raise refuse(_("Filen är tom."))
    if len(data) > MAX_BYTES:
        raise refuse(_("Filen är för stor (högst %(mb)s MB).", mb=MAX_BYTES // (1024 * 1024)))
    wanted = {name.strip().lower() for name in header}
    if data[:2] == b"PK" or (filename or "").lower().endswith((".xlsx", ".xlsm")):
        sheets = _xlsx(data, wanted)
    else:
        sheets = [_csv(data, wanted)]
    sheets = [s for s in sheets if s.header]
    if not any(s.rows for s in sheets):
        raise refuse(_("Filen innehåller inga rader under rubrikraden."))
    return sheets


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Excel's Windows-1252."""
    if b"\x00" in data[:4096]:
        raise refuse(_("Filen ser inte ut att vara en CSV- eller Excel-fil."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise refuse(_("Filens teckenkodning kunde inte avgöras. Spara den som CSV UTF-8.")) from None


def _csv(data: bytes, wanted: set[str]) -> Sheet:
    """A CSV file with `;`, `,` or tab between the cells (whichever the header uses most)."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise refuse(_("CSV-filen kunde inte tolkas: %(error)s", error=str(error))) from None
    return _sheet(None, rows, 1, wanted)


def _header_at(numbered: list[tuple[int, list[str]]], wanted: set[str]) -> int:
    """The position of the header among the non-empty rows: the first holding a wanted name, else 0."""
    for position, (_row_no, texts) in enumerate(numbered[:TITLE_ROWS_MAX + 1]):
        if wanted & {c.strip().lower() for c in texts}:
            return position
    return 0


def _sheet(name: str | None, rows: list[list], start: int, wanted: set[str]) -> Sheet:
    """Build a sheet from raw rows: the header row (see `read`) and the rows under it."""
    numbered = [(n, [_text(c) for c in r]) for n, r in enumerate(rows, start=start) if any(_text(c) for c in r)]
    numbered = numbered[_header_at(numbered, wanted):]
    if not numbered:
        return Sheet(name, [])
    if len(numbered) - 1 > MAX_ROWS:
        raise refuse(_("Filen har för många rader (högst %(max)s).", max=MAX_ROWS))
    header = [h.strip() for h in numbered[0][1]]
    while header and not header[-1]:
        header.pop()  # spreadsheets pad rows with empty cells up to the widest one
    if len(header) > MAX_COLUMNS:
        raise refuse(_("Filen har för många kolumner (högst %(max)s).", max=MAX_COLUMNS))
    width = len(header)
    body = [(n, (cells + [""] * width)[:width]) for n, cells in numbered[1:]]
    return Sheet(name, header, body)


def _text(value) -> str:
    """A cell as text: whole numbers without decimals, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _xlsx(data: bytes, wanted: set[str]) -> list[Sheet]:
    """Every sheet of a workbook, read without evaluating anything."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise refuse(_("Filen kunde inte läsas som Excel-fil (.xlsx).")) from None
    try:
        return [_xlsx_sheet(ws, wanted) for ws in book.worksheets]
    finally:
        book.close()


def _xlsx_sheet(ws, wanted: set[str]) -> Sheet:
    """One worksheet; a formula cell is refused with its place."""
    rows, header = [], None
    for n, row_cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        if n > MAX_ROWS + 50:
            raise refuse(_("Filen har för många rader (högst %(max)s).", max=MAX_ROWS))
        values = []
        for col, cell in enumerate(row_cells):
            if getattr(cell, "data_type", None) == "f":
                column = header[col] if header and col < len(header) else str(col + 1)
                raise refuse(_("%(where)s: cellen innehåller en formel. Skriv in värdet som text.",
                               where=where(Sheet(ws.title, []), n, column)), row=n, column=column)
            values.append(cell.value)
        texts = [_text(v).strip() for v in values]
        if (header is None and any(texts)) or wanted & {t.lower() for t in texts}:
            header = texts  # names the columns of a formula refused further down
        rows.append(values)
    return _sheet(ws.title, rows, 1, wanted)


def column_index(sheet: Sheet, names: tuple[str, ...]) -> int | None:
    """The index of the first header matching any of the names (case and spaces ignored)."""
    wanted = {n.strip().lower() for n in names}
    found = [i for i, h in enumerate(sheet.header) if h.strip().lower() in wanted]
    if len(found) > 1:
        raise refuse(_("Kolumnen %(column)s finns flera gånger i rubrikraden.", column=sheet.header[found[0]]))
    return found[0] if found else None


def undefuse(value: str) -> str:
    """Take back the apostrophe an export put before text that looks like a formula."""
    return cells.undefuse(value)

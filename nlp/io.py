"""Reading notes from JSON lines, CSV (including Excel's cp1252 with ';') and XLSX files."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

__all__ = ["InputError", "read_notes", "MAX_NOTE_CHARS", "TEXT_COLUMNS"]

MAX_NOTE_CHARS = 20_000
TEXT_COLUMNS = ("text", "anteckning", "anteckningar", "notering", "note", "notes", "kommentar",
                "synpunkt", "fritext")
ID_COLUMNS = ("id", "note_id", "nr")
POINT_COLUMNS = ("point", "punkt")


class InputError(ValueError):
    """A problem with the user's input file, reported as one line without a traceback."""


def read_notes(path=None, *, text_column=None, need_point=False) -> list[dict]:
    """Read notes as dicts with ``id``, ``text`` and, when present, ``point``.

    Parameters
    ----------
    path : str, Path or None
        ``.xlsx`` and ``.csv``/``.tsv`` files are read as tables with a header row; anything
        else, and standard input when None, as JSON lines ``{"id": ..., "text": ...}``.
    text_column : str or None
        Column holding the note text; by default the first of :data:`TEXT_COLUMNS` present.
    need_point : bool, default=False
        Require an integer ``point`` for every note (0 means none of the points).

    Returns
    -------
    list of dict

    Raises
    ------
    InputError
        For empty input, a missing text column, unreadable rows or over-long notes.
    """
    suffix = Path(path).suffix.lower() if path else ""
    if suffix == ".xlsx":
        notes = _table(_xlsx_rows(path), text_column)
    elif suffix in (".csv", ".tsv", ".txt"):
        notes = _table(_csv_rows(_read_bytes(path)), text_column)
    else:
        notes = _json_lines(_read_bytes(path))
    if not notes:
        raise InputError("no notes found: the input is empty")
    for n, note in enumerate(notes, 1):
        _check_note(note, n, need_point)
    return notes


def _read_bytes(path) -> bytes:
    """Read a file, or standard input when ``path`` is None."""
    if path is None:
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Excel's Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _json_lines(data: bytes) -> list[dict]:
    """Parse JSON lines; every line must be an object with a text."""
    notes = []
    for n, line in enumerate(_decode(data).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {n}: not valid JSON ({exc.msg}); expected one object "
                             "like {\"id\": 1, \"text\": \"...\"} per line") from None
        if not isinstance(obj, dict) or "text" not in obj:
            raise InputError(f"line {n}: expected a JSON object with a \"text\" field")
        obj.setdefault("id", n)
        obj["_line"] = n
        notes.append(obj)
    return notes


def _csv_rows(data: bytes) -> list[list[str]]:
    """Split CSV text into rows, guessing the separator from the header line."""
    text = _decode(data)
    header = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header.count)
    csv.field_size_limit(MAX_NOTE_CHARS * 50)
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
    except csv.Error as exc:
        raise InputError(f"cannot read the CSV file: {exc}") from None


def _xlsx_rows(path) -> list[list]:
    """Rows of the first sheet of an XLSX workbook."""
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except (InvalidFileException, BadZipFile, KeyError, OSError):
        raise InputError(f"{path} is not a readable XLSX workbook") from None
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return [r for r in rows if any(c not in (None, "") for c in r)]


def _find_column(header: list[str], wanted, names) -> int | None:
    """Index of the requested column, or of the first known name present."""
    lowered = [h.strip().lower() for h in header]
    for name in ([wanted.lower()] if wanted else names):
        if name in lowered:
            return lowered.index(name)
    return None


def _table(rows: list[list], text_column) -> list[dict]:
    """Turn rows with a header into note dicts."""
    if not rows:
        return []
    header = ["" if h is None else str(h) for h in rows[0]]
    col = _find_column(header, text_column, TEXT_COLUMNS)
    if col is None:
        expected = text_column or ", ".join(TEXT_COLUMNS)
        raise InputError(f"no text column: expected a header named {expected}; "
                         f"found {', '.join(h for h in header if h) or 'no header'}")
    id_col = _find_column(header, None, ID_COLUMNS)
    point_col = _find_column(header, None, POINT_COLUMNS)
    notes = []
    for n, row in enumerate(rows[1:], 2):
        cell = row[col] if col < len(row) else None
        if cell is None or not str(cell).strip():
            continue
        note = {"id": _cell(row, id_col, n), "text": str(cell), "_line": n}
        if point_col is not None and point_col < len(row):
            note["point"] = row[point_col]
        notes.append(note)
    return notes


def _cell(row: list, col: int | None, default):
    """A cell value, or ``default`` when the column or the value is missing."""
    if col is None or col >= len(row) or row[col] in (None, ""):
        return default
    return row[col]


def _check_note(note: dict, n: int, need_point: bool) -> None:
    """Validate one note's text length and, if required, its point."""
    where = f"line {note.pop('_line', n)}"
    if not isinstance(note["text"], str):
        raise InputError(f"{where}: \"text\" must be a string")
    if len(note["text"]) > MAX_NOTE_CHARS:
        raise InputError(f"{where}: the note has {len(note['text'])} characters; "
                         f"notes longer than {MAX_NOTE_CHARS} are not accepted")
    if need_point:
        try:
            note["point"] = int(str(note["point"]).strip())
        except (KeyError, ValueError):
            raise InputError(f"{where}: needs an integer \"point\" (0 = none of the points)") from None

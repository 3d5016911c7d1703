"""What a download is called: the café's name and date, the unit, what the file holds.

Names are ASCII (å, ä, ö and é folded to a, a, o, e), lower case, with only letters, digits and
hyphens, so they survive every mail program, file share and operating system unchanged, e.g.
`temadag-var-arbetssituation-2026-12-03-familjeenheten-atgarder.xlsx`.
"""
import re
import unicodedata
from datetime import date
from urllib.parse import quote

NAME_WORDS_MAX = 40  # characters kept of a café's (or unit's) name, cut between words
UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = NAME_WORDS_MAX) -> str:
    """`text` folded to ASCII, lower case, words joined by hyphens, at most `limit` characters."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    words = UNSAFE.sub("-", folded.lower()).strip("-")
    if len(words) <= limit:
        return words
    cut = words[:limit + 1].rsplit("-", 1)[0]
    return cut if cut else words[:limit]


def filename(*parts, ext: str) -> str:
    """A file name from its parts (names, dates, what it holds), leaving out the empty ones."""
    pieces = [p.isoformat() if isinstance(p, date) else slug(str(p)) for p in parts if p]
    return "-".join(p for p in pieces if p) + "." + ext


def for_event(title: str, day: date | None, what: str, ext: str, unit: str | None = None) -> str:
    """A café's file: its name and date, the unit when one is chosen, and what it holds."""
    return filename(title or "dialogcafe", day, unit, what, ext=ext)


def attachment(name: str) -> str:
    """A Content-Disposition header value that saves the file under `name` (RFC 6266, with filename*)."""
    ascii_name = name.encode("ascii", "ignore").decode("ascii").replace('"', "") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"

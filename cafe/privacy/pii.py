"""Personal data in note text: Swedish identity and coordination numbers, phone numbers, e-mail.

The same rules run in the browser (static/js/pii.js) so a host is warned while typing; the server
applies them again before a note is stored, broadcast, analysed or exported. Plain Python, no Flask.
"""
import re
from dataclasses import dataclass
from datetime import date

MODES = ("mask", "warn", "block")
LABELS = {"personnummer": "[personnummer]", "samordningsnummer": "[samordningsnummer]",
          "telefonnummer": "[telefonnummer]", "e-post": "[e-post]"}

# YYMMDD or YYYYMMDD, then -, +, a space or nothing, then four digits; never inside a longer number.
# Digits are ASCII [0-9] (Python's \d would also take other scripts' digits; the browser's would not).
IDENTITY = re.compile(r"(?<!\w)((?:18|19|20)?[0-9]{6})([-+ ]?)([0-9]{4})(?!\w)")
# +46 / 0046 / 0 (or an area code in brackets), a non-zero digit and 6-8 more digits, grouped by
# single spaces or dashes; not the tail of a longer digit group such as an amount.
PHONE = re.compile(r"(?<![\w+])(?<![0-9][ -])"
                   r"(?:(?:\+|00)46[ -]?(?:\(0\)[ -]?)?[1-9]|0[1-9]|\(0[1-9][0-9]{0,2}\)[ -]?[0-9])"
                   r"(?:[ -]?[0-9]){6,8}(?!\w)")
DATE_LIKE = re.compile(r"^[0-9]{1,2}[-./ ][0-9]{1,2}[-./ ][0-9]{2,4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
# The least any kind needs: an e-mail address an '@'; a phone number 8 ASCII digits (0, a non-zero
# digit and six more), an identity number 10. Most notes have neither and skip the scans.
MIN_DIGITS = 8


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text: its kind and where it is."""

    kind: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """Serialise without the matched text, so the finding itself leaks nothing."""
        return {"kind": self.kind, "start": self.start, "end": self.end}


def luhn_ok(digits: str) -> bool:
    """Tell whether a string of digits passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(year: int, month: int, day: int) -> bool:
    """Tell whether a calendar date exists."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def identity_kind(birth: str, serial: str) -> str | None:
    """Return personnummer or samordningsnummer when the digits form a valid one, else None."""
    short = birth[-6:]
    if not luhn_ok(short + serial):
        return None
    yy, month, day = int(short[:2]), int(short[2:4]), int(short[4:6])
    year = int(birth[:4]) if len(birth) == 8 else 2000 + yy
    if _valid_date(year, month, day) or (len(birth) == 6 and _valid_date(1900 + yy, month, day)):
        return "personnummer"
    if day > 60 and (_valid_date(year, month, day - 60)
                     or (len(birth) == 6 and _valid_date(1900 + yy, month, day - 60))):
        return "samordningsnummer"
    return None


def _identities(text: str) -> list[Finding]:
    """Every valid personnummer and samordningsnummer in the text."""
    found = []
    for match in IDENTITY.finditer(text):
        kind = identity_kind(match.group(1), match.group(3))
        if kind:
            found.append(Finding(kind, match.start(), match.end()))
    return found


def _phones(text: str) -> list[Finding]:
    """Every Swedish phone number in the text, leaving dates alone."""
    return [Finding("telefonnummer", m.start(), m.end()) for m in PHONE.finditer(text)
            if not DATE_LIKE.match(m.group(0))]


def _emails(text: str) -> list[Finding]:
    """Every e-mail address in the text."""
    return [Finding("e-post", m.start(), m.end()) for m in EMAIL.finditer(text)]


def may_hold(text: str) -> bool:
    """False when no kind can match the text: no '@' and fewer than MIN_DIGITS ASCII digits."""
    return "@" in text or sum(map(text.count, "0123456789")) >= MIN_DIGITS


def find(text: str) -> list[Finding]:
    """All personal data in the text, in order, overlaps resolved in favour of the earlier kind."""
    return _scan(text) if may_hold(text) else []


def _scan(text: str) -> list[Finding]:
    """Run every pattern over the text and resolve overlaps."""
    taken: list[Finding] = []
    for finding in _identities(text) + _emails(text) + _phones(text):
        if not any(finding.start < t.end and t.start < finding.end for t in taken):
            taken.append(finding)
    return sorted(taken, key=lambda f: f.start)


def mask(text: str, findings: list[Finding] | None = None) -> str:
    """Replace every finding with its label, e.g. [personnummer]."""
    findings = find(text) if findings is None else findings
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[:finding.start] + LABELS[finding.kind] + text[finding.end:]
    return text


def kinds(findings: list[Finding]) -> list[str]:
    """The distinct kinds found, in a stable order."""
    return [k for k in LABELS if any(f.kind == k for f in findings)]

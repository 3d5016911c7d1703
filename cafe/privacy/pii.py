"""Personal data in note text: identity and coordination numbers, phone numbers, e-mail, clients' names.

The same rules run in the browser (static/js/pii.js) so a host is warned while typing; the server
applies them again before a note is stored, broadcast, analysed or exported. Plain Python, no Flask.
"""
import re
from dataclasses import dataclass
from datetime import date

from . import names

MODES = ("mask", "warn", "block")
LABELS = {"personnummer": "[personnummer]", "samordningsnummer": "[samordningsnummer]",
          "telefonnummer": "[telefonnummer]", "e-post": "[e-post]", "namn": "[namn]"}

# YYMMDD or YYYYMMDD, then -, +, a space or nothing, then four digits; never inside a longer number.
# Digits are ASCII [0-9] (Python's \d would also take other scripts' digits; the browser's would not).
IDENTITY = re.compile(r"(?<!\w)((?:18|19|20)?[0-9]{6})([-+ ]?)([0-9]{4})(?!\w)")
# A run of digit groups that may hold a phone number: groups joined by a space or a dash (with or
# without spaces around it), "+46" or "(08)" allowed; _phone_in() decides which part, if any, is one.
PHONE_RUN = re.compile(r"(?<![\w+(])\+?\(?[0-9]+\)?(?:(?: ?[-–] ?| |(?<=\)))\+?\(?[0-9]+\)?)*(?!\w)")
PHONE_GROUP = re.compile(r"\+?\(?[0-9]+\)?")
DATE_LIKE = re.compile(r"^[0-9]{1,2}[-./ ][0-9]{1,2}[-./ ][0-9]{2,4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
# The least a number needs: a phone number 8 ASCII digits (0, a non-zero digit and six more), an
# identity number 10. Most notes have no digits to speak of and skip the number scans.
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
    """Return personnummer or samordningsnummer when the digits start with a birth date, else None.

    The check digit is not required: a valid date with a wrong last digit is a typo of a real number,
    nine of whose ten digits still point at a person. Organisation numbers never match, since their
    month is 20 or more.
    """
    short = birth[-6:]
    yy, month, day = int(short[:2]), int(short[2:4]), int(short[4:6])
    year = int(birth[:4]) if len(birth) == 8 else 2000 + yy
    if _valid_date(year, month, day) or (len(birth) == 6 and _valid_date(1900 + yy, month, day)):
        return "personnummer"
    if day > 60 and (_valid_date(year, month, day - 60)
                     or (len(birth) == 6 and _valid_date(1900 + yy, month, day - 60))):
        return "samordningsnummer"
    return None


def _identities(text: str) -> tuple[list[Finding], list[Finding]]:
    """Identity numbers in the text: those with a right check digit, and those with a wrong one."""
    checked, typos = [], []
    for match in IDENTITY.finditer(text):
        kind = identity_kind(match.group(1), match.group(3))
        if kind:
            right = luhn_ok(match.group(1)[-6:] + match.group(3))
            (checked if right else typos).append(Finding(kind, match.start(), match.end()))
    return checked, typos


def national_groups(groups: list[str]) -> list[str] | None:
    """The digit groups of a written number in national form (leading 0), or None if it is not Swedish."""
    digits = [g.strip("+()") for g in groups]
    if groups[0].startswith("+46") or digits[0].startswith("0046"):
        digits[0] = digits[0][2:] if groups[0].startswith("+") else digits[0][4:]
        digits = [d for d in digits if d]
        if digits and digits[0].startswith("0"):  # "(0)" or "+46 070": the trunk zero written anyway
            digits[0] = digits[0][1:]
            digits = [d for d in digits if d]
        return ["0" + digits[0], *digits[1:]] if digits else None
    if any(g.startswith("+") for g in groups) or not digits[0].startswith("0"):
        return None
    return digits


def is_phone(groups: list[str]) -> bool:
    """Tell whether digit groups as written form a Swedish phone number.

    National numbers have 8-10 digits with the leading 0, mobile numbers (07x) exactly 10. When the
    number is grouped, its first group is the area code: 08, or 3-4 digits (070, 031, 0980, 0708),
    and the subscriber's part has 5-8 digits and does not start with 0. So "kl 0800-1700" (an area
    code 0800 with four digits after it) and "08-03-2023" are not phone numbers.
    """
    national = national_groups(groups)
    if national is None:
        return False
    number = "".join(national)
    if not 8 <= len(number) <= 10 or number[1] == "0" or (number.startswith("07") and len(number) != 10):
        return False
    if len(national) == 1:
        return True
    area, subscriber = national[0], number[len(national[0]):]
    return (area == "08" or len(area) in (3, 4)) and 5 <= len(subscriber) <= 8 and subscriber[0] != "0"


def _may_start(groups: list[re.Match], i: int, text: str) -> bool:
    """A phone number may start at a later group of a run, but not inside an amount ("1 070 123")."""
    if i == 0:
        return True
    before = text[groups[i - 1].end():groups[i].start()]
    return not (before == " " and len(groups[i - 1].group()) <= 3)


def _phone_in(run: re.Match, text: str) -> list[Finding]:
    """The phone numbers inside a run of digit groups: at each start, the longest grouping that is one."""
    groups = list(PHONE_GROUP.finditer(run.group()))
    found, i = [], 0
    while i < len(groups):
        for j in range(min(len(groups), i + 7) - 1, i - 1, -1):
            start, end = run.start() + groups[i].start(), run.start() + groups[j].end()
            if _may_start(groups, i, run.group()) and not DATE_LIKE.match(text[start:end]) \
                    and is_phone([g.group() for g in groups[i:j + 1]]):
                found.append(Finding("telefonnummer", start, end))
                i = j
                break
        i += 1
    return found


def _phones(text: str) -> list[Finding]:
    """Every Swedish phone number in the text, leaving dates, times and amounts alone."""
    return [finding for run in PHONE_RUN.finditer(text)
            if sum(map(run.group().count, "0123456789")) >= MIN_DIGITS for finding in _phone_in(run, text)]


def _emails(text: str) -> list[Finding]:
    """Every e-mail address in the text."""
    return [Finding("e-post", m.start(), m.end()) for m in EMAIL.finditer(text)]


def may_hold(text: str) -> bool:
    """False when no number or address can match: no '@' and fewer than MIN_DIGITS ASCII digits."""
    return "@" in text or sum(map(text.count, "0123456789")) >= MIN_DIGITS


def _numbers(text: str) -> list[Finding]:
    """Numbers and addresses, overlaps resolved: a checked identity number first, a typo of one last."""
    checked, typos = _identities(text)
    taken: list[Finding] = []
    for finding in checked + _emails(text) + _phones(text) + typos:
        if not any(finding.start < t.end and t.start < finding.end for t in taken):
            taken.append(finding)
    return taken


def _with_names(text: str, numbers: list[Finding]) -> list[Finding]:
    """Add the clients' names (next to a client word or one of the numbers) to the numbers found."""
    anchors = [(f.start, f.end) for f in numbers if f.kind != "e-post"]
    found = [Finding("namn", s, e) for s, e in names.client_names(text, anchors)]
    # A name inside an e-mail address ("klienten lisa.berg@...") is masked with the address.
    found = [f for f in found if not any(f.start < n.end and n.start < f.end for n in numbers)]
    return sorted(numbers + found, key=lambda f: f.start)


def find(text: str) -> list[Finding]:
    """All personal data in the text, in order."""
    return _with_names(text, _numbers(text) if may_hold(text) else [])


def _scan(text: str) -> list[Finding]:
    """find() without the quick check on digits: every pattern over the whole text."""
    return _with_names(text, _numbers(text))


def mentions(text: str, findings: list[Finding] | None = None) -> list[Finding]:
    """Names that are not masked but may name a person ("Anna på HR sa"): the host is only warned."""
    findings = find(text) if findings is None else findings
    spans = names.mentions(text, [(f.start, f.end) for f in findings])
    return [Finding("namn", s, e) for s, e in spans]


def mask(text: str, findings: list[Finding] | None = None) -> str:
    """Replace every finding with its label, e.g. [personnummer]."""
    findings = find(text) if findings is None else findings
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[:finding.start] + LABELS[finding.kind] + text[finding.end:]
    return text


def kinds(findings: list[Finding]) -> list[str]:
    """The distinct kinds found, in a stable order."""
    return [k for k in LABELS if any(f.kind == k for f in findings)]

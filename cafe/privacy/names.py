"""Names of persons in note text: clients' names to mask, and other names to warn the host about.

A name is a word of the shipped list of common first names and surnames (data/names_sv.txt), written
with a capital. It is taken for a client's name, and masked, next to a client word ("klienten Anna",
"mamman Fatima Ali", "Erik, brukare"), next to a personnummer or phone number ("Anna 850101-...") or
before a family word ("Fatimas mamma"); there a known first name written in lower case counts too
("klienten anna"). Anywhere else a name is only a mention ("Anna på HR sa"): the host page warns and
nothing is masked. Names that are also ordinary words (Per, Bo, Dag, Liv, Ros, Björn) are names only
next to a client word or a number, or before a surname. The rules and vocabulary are the browser's too
(static/js/pii.js reads the same file). Plain Python, no Flask.
"""
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "names_sv.txt"
SECTIONS = ("first names", "surnames", "also words", "client words", "family words", "number words",
            "name connectors")
# Letters (as Python's \w has them, less digits and underscore), parts joined by hyphens: Anna-Karin.
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# What may stand between a client word or a number and a name: a space, a comma, colon, bracket,
# dash or quote ("klienten, Anna", "pnr: 850101-1234", "(Erik)").
NEAR = re.compile(r"[ \t]*[,:(–-]?[ \t]*[\"'“”‘’]?")
# Before a number a full stop may end an abbreviation: "tel. 070-...".
NEAR_BEFORE = re.compile(r"[.\"'“”‘’)]?[ \t]*[,:(–-]?[ \t]*[\"'“”‘’]?")
APPOSITION = re.compile(r"[ \t]*[,(][ \t]*")
LIST_COMMA = re.compile(r"[ \t]*,[ \t]*")
# After these a name is no person: a place (S:t Eriks sjukhus, Sankt Göran) or a law (lex Sarah).
NOT_A_PERSON = re.compile(r"(?<!\w)(?:S:t|Sankt|St\.?|[Ll]ex)[ \t]+$")
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Vocabulary:
    """The sections of names_sv.txt, each a set of lower-case entries (connectors as tuples of words)."""

    first: frozenset
    surnames: frozenset
    words: frozenset
    clients: frozenset
    family: frozenset
    number_words: frozenset
    connectors: tuple


def parse(text: str) -> Vocabulary:
    """Read the sections of the names file: '[section]' lines, one entry a line, '#' comments."""
    sections: dict[str, list[str]] = {name: [] for name in SECTIONS}
    current = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif line and current in sections:
            sections[current].append(line.lower())
    connectors = tuple(sorted((tuple(c.split()) for c in sections["name connectors"]), key=len, reverse=True))
    return Vocabulary(*(frozenset(sections[s]) for s in SECTIONS[:6]), connectors)


@cache
def vocabulary() -> Vocabulary:
    """The shipped names and words, read once."""
    return parse(DATA.read_text(encoding="utf-8"))


def _capitalised(part: str) -> bool:
    """Anna, not anna, ANNA or SoL."""
    return len(part) > 1 and part[0] != part[0].lower() and part[1:] == part[1:].lower()


def name_class(token: str, voc: Vocabulary) -> str | None:
    """'strong' for a listed name with a capital, 'weak' when it is also a word, 'lower' for a listed
    name in lower case that is no word, else None."""
    parts = token.split("-")
    keys = [p.lower() for p in parts]
    if not all(k in voc.first or k in voc.surnames for k in keys):
        return None
    if all(_capitalised(p) for p in parts):
        return "weak" if all(k in voc.words for k in keys) else "strong"
    if token == token.lower() and not any(k in voc.words for k in keys):
        return "lower"
    return None


def genitive_class(token: str, voc: Vocabulary) -> str | None:
    """The class of a name in the genitive (Annas, Eriks), when the token is not a name itself."""
    if len(token) > 2 and token.endswith("s") and name_class(token, voc) is None:
        return name_class(token[:-1], voc)
    return None


class _Note:
    """The words of one note, with what lies between them."""

    def __init__(self, text: str, voc: Vocabulary):
        self.text, self.voc = text, voc
        self.words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        self.lowered = [word.lower() for _, _, word in self.words]
        self.classes: dict[int, str | None] = {}

    def gap(self, i: int) -> str:
        """The text between word i-1 and word i."""
        return self.text[self.words[i - 1][1]:self.words[i][0]]

    def lower(self, i: int) -> str:
        """Word i in lower case, or '' past either end."""
        return self.lowered[i] if 0 <= i < len(self.words) else ""

    def cls(self, i: int) -> str | None:
        """The name class of word i."""
        if not 0 <= i < len(self.words):
            return None
        if i not in self.classes:
            self.classes[i] = name_class(self.words[i][2], self.voc)
        return self.classes[i]

    def near(self, i: int) -> bool:
        """Word i follows word i-1 with only a space or a mark between."""
        return 0 < i < len(self.words) and NEAR.fullmatch(self.gap(i)) is not None

    def spaced(self, i: int) -> bool:
        """Word i follows word i-1 after a single space."""
        return 0 < i < len(self.words) and self.gap(i) == " "

    def follows_name(self, i: int) -> bool:
        """Word i is written with a capital right after a first name: a surname, listed or not."""
        return self.spaced(i) and _capitalised(self.words[i][2].split("-")[0]) \
            and self.lower(i - 1).split("-")[-1] in self.voc.first

    def sequence(self, i: int, back: bool = True) -> tuple[int, int]:
        """The words of the name that word i belongs to: first names before it, surnames after it."""
        first = i
        while back and first > 0 and i - first < MAX_NAME_WORDS - 1 and self.spaced(first) \
                and self.cls(first - 1) in ("strong", "weak") and self.lower(first - 1) in self.voc.first:
            first -= 1
        last = i
        while last - first < MAX_NAME_WORDS - 1 and last + 1 < len(self.words) \
                and (self.spaced(last + 1) and self.cls(last + 1) in ("strong", "weak")
                     or self.follows_name(last + 1)):
            last += 1
        return first, last

    def listed(self, last: int) -> int | None:
        """The next name of a list ("barnen Elsa, Hugo och Nils"), or None."""
        k = last + 1
        if k < len(self.words) and LIST_COMMA.fullmatch(self.gap(k)) and self.cls(k) in ("strong", "weak"):
            return k
        if self.lower(k) == "och" and self.spaced(k) and self.spaced(k + 1) and self.cls(k + 1) in ("strong", "weak"):
            return k + 1
        return None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets of words first..last."""
        return self.words[first][0], self.words[last][1]


def _after_client_word(note: _Note, i: int) -> int | None:
    """The name word that follows client word i, maybe after 'som heter' or 'vid namn', or None."""
    j = i + 1
    for connector in note.voc.connectors:
        if all(note.lower(j + n) == word and note.near(j + n) for n, word in enumerate(connector)):
            j += len(connector)
            break
    return j if note.near(j) and note.cls(j) is not None else None


def _client_word_starts(note: _Note) -> list[int]:
    """Name words next to a client word: after it ("klienten Anna") or before it ("Erik, brukare")."""
    starts = []
    for i in range(len(note.words)):
        if note.lower(i) in note.voc.clients:
            j = _after_client_word(note, i)
            if j is not None:
                starts.append(j)
        elif note.lower(i + 1) in note.voc.clients and APPOSITION.fullmatch(note.gap(i + 1)) \
                and note.cls(i) == "strong":
            starts.append(i)
    return starts


def _family_starts(note: _Note) -> list[int]:
    """Names in the genitive before a family word: "Fatimas mamma", "Eriks ärende"."""
    return [i for i in range(len(note.words) - 1)
            if note.lower(i + 1) in note.voc.family and note.spaced(i + 1)
            and genitive_class(note.words[i][2], note.voc) in ("strong", "weak")]


def _word_before(note: _Note, position: int) -> int:
    """The index of the last word that ends at or before a character position, or -1."""
    index = -1
    for i, (_, end, _) in enumerate(note.words):
        if end > position:
            break
        index = i
    return index


def _name_before(note: _Note, position: int) -> int | None:
    """The name word right before a character position, maybe across 'tel' or 'pnr', or None."""
    k = _word_before(note, position)
    for _ in range(3):
        if k < 0 or not NEAR_BEFORE.fullmatch(note.text[note.words[k][1]:position]):
            return None
        if note.cls(k) is not None:
            return k
        if note.lower(k) not in note.voc.number_words:
            return None
        position, k = note.words[k][0], k - 1
    return None


def _number_starts(note: _Note, anchors: list[tuple[int, int]]) -> list[int]:
    """Names right before a number ("Anna 850101-...", "Anna tel. 070-...") or right after it."""
    starts = []
    for start, end in anchors:
        before = _name_before(note, start)
        if before is not None:
            starts.append(before)
        after = _word_before(note, end) + 1
        if after < len(note.words) and note.cls(after) is not None \
                and NEAR.fullmatch(note.text[end:note.words[after][0]]):
            starts.append(after)
    return starts


def _spans(note: _Note, starts: list[int]) -> list[tuple[int, int]]:
    """The character spans of the names at the given words, with the names listed after them."""
    spans = []
    for i in sorted(set(starts)):
        first, last = note.sequence(i)
        spans.append(note.span(first, last))
        k = note.listed(last)
        while k is not None:
            first, last = note.sequence(k, back=False)
            spans.append(note.span(first, last))
            k = note.listed(last)
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def client_names(text: str, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of clients' names: next to a client word, a family word or a number (the anchors)."""
    voc = vocabulary()
    if not anchors:
        lowered = {word.lower() for word in WORD.findall(text)}
        if lowered.isdisjoint(voc.clients) and lowered.isdisjoint(voc.family):
            return []  # most notes: no rule can apply, and their words need no positions
    note = _Note(text, voc)
    return _spans(note, _client_word_starts(note) + _family_starts(note) + _number_starts(note, anchors))


def mentions(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of names written with a capital that are not masked: a person may be named."""
    note = _Note(text, vocabulary())
    starts = []
    for i, (start, end, word) in enumerate(note.words):
        if any(start < e and b < end for b, e in taken) or NOT_A_PERSON.search(text[max(0, start - 12):start]):
            continue
        cls = note.cls(i) or genitive_class(word, note.voc)
        surname_next = i + 1 < len(note.words) and note.spaced(i + 1) and note.cls(i + 1) in ("strong", "weak") \
            and note.lower(i + 1) in note.voc.surnames and note.lower(i) in note.voc.first
        if cls == "strong" or (cls == "weak" and surname_next):
            starts.append(i)
    spans = [note.span(*note.sequence(i, back=False)) for i in starts]
    return [s for s in _merged(spans) if not any(s[0] < e and b < s[1] for b, e in taken)]

"""Candidate title phrases of a note: runs of content words, cut at punctuation and fillers.

A note becomes chunks (split at punctuation), each chunk a list of tokens. A candidate phrase is
a run of 1-4 content words that may hold short linking words ("tid *för* ärendena", "stöd *från*
chefen"), so it reads like a heading and not like a list. Every token carries a lemma key that
joins the inflections of one word; abbreviations are shown expanded ("utredn" -> "utredning").
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from nlp.language.text import ABBREVIATIONS, STOPWORDS, normalize, stem

__all__ = ["Token", "Phrase", "note_phrases", "lemma_keys", "ACRONYMS", "HOLD_BACK"]

# Words that may link two content words inside a title; any other stopword ends the phrase.
LINKS = frozenset("för av vid till från med i på om och inom mellan efter utan per kring mot under".split())
NUMERALS = frozenset("två tre fyra fem sex sju åtta nio tio".split())
MAX_CONTENT = 4
MAX_TOKENS = 6
_CHUNK_RE = re.compile(r"[^\w\s.\-']+|\.(?=\s|$)|\s[-–]\s|\s\.\s", re.UNICODE)
_WORD_RE = re.compile(r"[a-zåäöéü]+(?:[-.][a-zåäöéü]+)*", re.UNICODE)


def _read_words(name: str) -> frozenset[str]:
    """A shipped word list (one or more words a line, # comments)."""
    text = resources.files("nlp.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _read_display() -> tuple[frozenset[str], dict[str, str]]:
    """Acronyms kept as they are (APT, HR) and how other abbreviations are shown in a title."""
    raw = json.loads(resources.files("nlp.data").joinpath("abbreviations.json").read_text("utf-8"))
    return frozenset(raw.get("_acronyms", [])), dict(raw.get("_display", {}))


TITLE_STOPWORDS = _read_words("title_stopwords_sv.txt")
FUNCTION_WORDS = _read_words("function_words_sv.txt")
_ADMIN_NOUNS = frozenset({"stöd", "stödet", "hjälp", "hjälpen", "personal", "personalen", "resurs", "resurser"})
ACRONYMS, _DISPLAY = _read_display()


class Token(NamedTuple):
    """One word of a note as a title would show it."""

    word: str  # display form, lower case (acronyms upper case), abbreviations expanded
    key: str  # stem joining inflections (refined collection-wide by :func:`lemma_keys`)
    content: bool  # may start a title phrase
    head: bool  # may end one: a content word that is not a bare adjective or a truncated word


_new_tuple = tuple.__new__  # builds a Phrase without the keyword handling of its constructor


class Phrase(NamedTuple):
    """A candidate phrase: its stem keys (links kept as words) and how it was written."""

    keys: tuple[str, ...]
    words: tuple[str, ...]
    content: tuple[bool, ...]  # which words are content words (the others are links)

    @property
    def n_content(self) -> int:
        """Number of content words."""
        return sum(self.content)


def _shown(token: str, raw: list[str], i: int) -> tuple[str, ...]:
    """How the ``i``-th token of a chunk is shown; "admin stöd" reads "administrativt stöd"."""
    if token in ("admin", "adm") and i + 1 < len(raw) and raw[i + 1] in _ADMIN_NOUNS:
        return ("administrativt",)
    return _display(token)


@lru_cache(maxsize=100_000)
def _display(token: str) -> tuple[str, ...]:
    """How a token is shown: acronyms upper case, other abbreviations expanded."""
    return tuple(_display_words(token.replace(".", "")))


def _display_words(bare: str) -> list[str]:
    """Acronyms upper case, abbreviations expanded, other words as they are."""
    if bare in ACRONYMS:
        return [bare.upper() if bare != "sol" else "SoL"]
    if bare in _DISPLAY:
        return _DISPLAY[bare].split()
    if bare in ABBREVIATIONS:
        return ABBREVIATIONS[bare][:1]
    if "-" in bare:  # "hr-stöd" -> "HR-stöd": acronym parts keep their case
        return ["-".join(p.upper() if p in ACRONYMS else p for p in bare.split("-"))]
    return [bare]


# Endings of verb and adverb forms no heading is made of ("roterar", "förstärkts", "nyligen").
_VERB_ENDINGS = ("erar", "erade", "erat", "eras", "ligen")
_PASSIVE_MIN = 6  # "anställts", "diskuteras": passive forms, but not short nouns such as "plats"
_INFINITIVE_MIN = 8  # "rapportera", "organisera": infinitives, but not "kamera"


def _is_content(low: str) -> bool:
    """Whether a word may carry a title."""
    if low in STOPWORDS or low in TITLE_STOPWORDS or low in FUNCTION_WORDS or low in LINKS or len(low) < 2:
        return False
    if low.endswith(_VERB_ENDINGS) or (len(low) >= _INFINITIVE_MIN and low.endswith("era")):
        return False
    return not (len(low) >= _PASSIVE_MIN and (low.endswith("ts") or low.endswith("as")))


# Adjective endings ("kommunala", "tydligt", "praktiska"): an adjective qualifies the noun after it,
# so a title never ends in one ("Extern handledning", never "Handledning extern").
_ADJECTIVE_ENDINGS = ("lig", "liga", "ligt", "iga", "igt", "isk", "iska", "iskt", "ala", "alt")
_ADJECTIVE_MIN = 6
# Word ends no Swedish word has: a cut-off abbreviation the list does not know ("handledn", "sekr").
_TRUNCATED_ENDINGS = ("dn", "dl", "kr", "tr", "tn", "bn", "rb")


def _is_head(low: str) -> bool:
    """Whether a content word may end a title: not a bare adjective, not a truncated word."""
    if low.upper() == low:  # an acronym shown as it is
        return True
    if len(low) >= _ADJECTIVE_MIN and low.endswith(_ADJECTIVE_ENDINGS):
        return False
    return not low.endswith(_TRUNCATED_ENDINGS)


@lru_cache(maxsize=100_000)
def _token(word: str) -> Token:
    """A display word with its key and whether it may start or end a title."""
    low = word.lower()
    content = _is_content(low)
    key = stem(normalize(low).replace("-", "")) if content else low
    return Token(word, key, content, content and _is_head(low))


@lru_cache(maxsize=100_000)
def note_chunks(text: str) -> tuple[tuple[Token, ...], ...]:
    """The note's chunks between punctuation marks, as tokens."""
    # lower case but accents kept for display ("idé", "café"); keys come from the normalised word
    parts = map(_chunk, _CHUNK_RE.split(unicodedata.normalize("NFKC", str(text)).lower()))
    return tuple(chunk for chunk in parts if chunk is not None)


@lru_cache(maxsize=100_000)
def _chunk(part: str) -> tuple[Token, ...] | None:
    """The tokens of one chunk of text, None when it has no words (cached: notes repeat phrases)."""
    raw = [m.group().strip(".-") for m in _WORD_RE.finditer(part)]
    words = [w for i, tok in enumerate(raw) for w in _shown(tok, raw, i)]
    return tuple(map(_token, filter(None, words))) if words else None


def _runs(chunk: tuple[Token, ...]):
    """Every (start, end) of a well-formed phrase in a chunk: content at both ends, links inside."""
    return _spans(tuple(map(_role, chunk)))


# The role of a word in a phrase: it ends any phrase before it, links two content words, is a content
# word, or is a content word a phrase may end with.
_STOP, _HOLD, _LINK, _CONTENT, _END = range(5)
# Words that belong to the verb before them: a phrase ending just before one takes it along, so a
# title keeps a negation ("Politikerna lyssnar inte", never "Politikerna lyssnar") or a particle
# ("Politikerna skär ner").
HOLD_BACK = frozenset("inte ej icke aldrig ner upp ut bort fram tillbaka iväg".split())


@lru_cache(maxsize=100_000)
def _role(tok: Token) -> int:
    """The role of one word in a phrase (cached per word)."""
    if not tok.content:
        return _LINK if tok.word in LINKS else _HOLD if tok.word in HOLD_BACK else _STOP
    return _END if tok.head and tok.word not in NUMERALS else _CONTENT  # "Två handläggare", never "skett med två"


@lru_cache(maxsize=10_000)
def _spans(roles: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The (start, end) of every phrase a chunk of words with these roles holds, in order; cached per
    sequence of roles, which chunks share far more often than their words."""
    out = []
    for i, first in enumerate(roles):
        if first < _CONTENT:
            continue
        content = 0
        for j in range(i, min(len(roles), i + MAX_TOKENS)):
            role = roles[j]
            if role <= _HOLD:
                break
            content += role >= _CONTENT
            if content > MAX_CONTENT:
                break
            if role == _END:
                held = j > i and j + 1 < len(roles) and roles[j + 1] == _HOLD
                if not held or j + 2 - i <= MAX_TOKENS:
                    out.append((i, j + 1 + held))
    return tuple(out)


@lru_cache(maxsize=100_000)
def note_phrases(text: str) -> tuple[Phrase, ...]:
    """Distinct candidate phrases of one note (cached: live passes see the same notes again).

    Parameters
    ----------
    text : str
        Raw note text.

    Returns
    -------
    tuple of Phrase
        Runs of 1-4 content words with linking words inside, at most 6 words.
    """
    seen, out = set(), []
    for chunk in note_chunks(text):
        for phrase in _chunk_phrases(chunk):
            if phrase[0] not in seen:  # its keys
                seen.add(phrase[0])
                out.append(phrase)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _chunk_phrases(chunk: tuple[Token, ...]) -> tuple[Phrase, ...]:
    """Candidate phrases of one chunk, in order, repeats included (cached: notes repeat phrases)."""
    words, keys, content, _ = zip(*chunk)
    return tuple([_new_tuple(Phrase, (keys[i:j], words[i:j], content[i:j])) for i, j in _runs(chunk)])


def lemma_keys(stems) -> dict[str, str]:
    """Join stems that Snowball leaves apart ("dat"/"dator", "ärend"/"ärenden", "stöd"/"stödet").

    A stem that extends a shorter stem of the collection by one or two letters is mapped to it.

    Parameters
    ----------
    stems : iterable of str

    Returns
    -------
    dict
        Stem -> key, for every stem given.
    """
    known = set(stems)
    out: dict[str, str] = {}
    for s in sorted(known, key=len):  # a shorter stem has its key already
        if len(s) >= 4 and s[:-1] in known:
            out[s] = out[s[:-1]]
        elif len(s) >= 5 and s[:-2] in known:
            out[s] = out[s[:-2]]
        else:
            out[s] = s
    return out


# ---------------------------------------------------------------------------------------- batches
# The notes of a batch are joined (a NUL between two notes is a word of its own, the note boundary) and
# split at white space; each distinct piece is scanned once for its words and chunk breaks, which cuts
# exactly as splitting into chunks and then into words does, as no word or break but " - " spans white
# space. A break or a dash is read beside a note boundary where the notes alone would hold none: both
# end any phrase, so nothing found changes.
_BREAK = _CHUNK_RE.pattern.replace("']", "'\x00]", 1)  # a NUL is a note boundary, not punctuation
_SCAN_RE = re.compile(rf"({_WORD_RE.pattern}|\x00)|{_BREAK}", re.UNICODE)
_ADMIN = "\x01admin"  # "admin" or "adm" before a noun of _ADMIN_NOUNS: "administrativt"
_PLAIN, _ADMIN_WORD, _ADMIN_NOUN = range(3)  # what a word may make of "admin" beside it


class Spans(NamedTuple):
    """Every candidate phrase of a batch of notes as arrays: one row per phrase of two words or more,
    in note order, and the phrases of one word (the heads) apart.

    A phrase whose keys a note already holds is left out, as :func:`note_phrases` does.
    """

    note: np.ndarray  # the note of each phrase
    keys: np.ndarray  # (phrases, MAX_TOKENS) key id of each word, -1 past the phrase's end
    words: np.ndarray  # (phrases, MAX_TOKENS) id of each written word, -1 past the end
    content: np.ndarray  # (phrases, MAX_TOKENS) whether each word is a content word
    key_names: list[str]  # key of each key id (ids are kept for good: a list of every key seen)
    word_names: list[str]  # written word of each word id (numbered for this batch)
    heads: tuple[np.ndarray, np.ndarray]  # (note, key id) of every word that is a phrase by itself


def phrase_spans(texts) -> Spans:
    """The candidate phrases of many notes at once (as :func:`note_phrases` of each, as arrays).

    The notes are scanned in one pass and every distinct word is looked up once (and remembered,
    as the per-word caches are); the phrases are found with array operations over all the notes.
    """
    texts = [str(t).replace("\x00", "\x01") for t in texts]
    pieces = unicodedata.normalize("NFKC", " \x00 ".join(texts)).lower().split()
    word, key, role, nul, admin = _PIECES.rows(pieces).T
    hit = np.flatnonzero((admin[:-1] == _ADMIN_WORD) & (admin[1:] == _ADMIN_NOUN))
    written = word
    if len(hit):  # "admin stöd" reads "administrativt stöd"
        written = word.copy()
        (word[hit], key[hit], role[hit], _), = _item_codes(_ADMIN)
    seen = np.zeros(len(_WORDS.names) + 1, dtype=bool)  # this batch's words (word ids are small: mark them)
    seen[written] = True  # a break (-1) marks the last place, which no word has
    seen[word[hit]] = True
    used = np.flatnonzero(seen[:-1])
    number = np.full(len(seen), -1, dtype=np.int64)  # word id -> number in this batch (a break stays -1)
    number[used] = np.arange(len(used))
    word = number[word]
    word_names = [_WORDS.names[w] for w in used.tolist()]
    note = np.cumsum(nul)
    start, length = _span_arrays(role)  # a word alone is a phrase too: the heads
    inside = np.arange(MAX_TOKENS) < length[:, None]
    cols = np.where(inside, start[:, None] + np.arange(MAX_TOKENS), 0)
    span_keys = np.where(inside, key[cols], -1)
    first = _first_per_note(note[start], span_keys)
    single = role == _END
    return Spans(note[start][first], span_keys[first], np.where(inside, word[cols], -1)[first],
                 (role[cols] >= _CONTENT)[first] & inside[first], _KEYS.names, word_names,
                 (note[single], key[single]))


class _Registry(dict):
    """Ids of the words (or keys) seen so far, and their names by id: one id a word for good."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def id(self, name: str) -> int:
        """The id of ``name``, a new one the first time."""
        found = self.get(name)
        if found is None:
            found = self[name] = len(self.names)
            self.names.append(name)
        return found


_WORDS, _KEYS = _Registry(), _Registry()


@lru_cache(maxsize=100_000)
def _item_codes(item: str) -> tuple[tuple[int, int, int, int], ...]:
    """(word id, key id, role, note boundary) of each token one scanned item gives (cached per word)."""
    if item in ("", "\x00"):
        return ((-1, -1, _STOP, int(item == "\x00")),)
    tokens = [_token("administrativt")] if item == _ADMIN else [_token(w) for w in _display(item) if w]
    return tuple((_WORDS.id(t.word), _KEYS.id(t.key), _role(t), 0) for t in tokens)


def _piece_codes(piece: str) -> list[tuple[int, int, int, int, int]]:
    """The codes of :func:`_item_codes` of every item of a piece of text between white space, each with
    what it may make of "admin" beside it."""
    items = ("",) if piece == "-" else _SCAN_RE.findall(piece)  # " - " is a break
    return [(*code, _admin_role(item)) for item in items for code in _item_codes(item)]


class _PieceTable(dict):
    """The codes of every piece of text seen, as one array, so a batch of notes is read by looking its
    pieces up and gathering their rows; forgotten past ``limit`` pieces (ids live for one batch)."""

    def __init__(self, limit: int = 100_000):
        super().__init__()
        self.limit = limit
        self._lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        """Forget every piece seen."""
        with self._lock:
            self._forget()

    def _forget(self) -> None:
        self.clear()
        self.codes = np.zeros((1024, 5), dtype=np.int64)  # room to grow into: rows past n_codes are unused
        self.starts = np.zeros(1024, dtype=np.int64)  # of each piece id, rows past len(self) unused
        self.lengths = np.zeros(1024, dtype=np.int64)
        self.n_codes = 0
        self._new: list[list[tuple[int, int, int, int, int]]] = []

    def __missing__(self, piece: str) -> int:
        self._new.append(_piece_codes(piece))
        found = self[piece] = len(self)
        return found

    def rows(self, pieces: list[str]) -> np.ndarray:
        """(word id, key id, role, note boundary, admin role) of every item of the pieces, in order."""
        with self._lock:
            if len(self) > self.limit:
                self._forget()
            try:
                ids = np.fromiter(map(self.__getitem__, pieces), dtype=np.int64, count=len(pieces))
            finally:  # the pieces given an id are added even if one failed
                self._add()
            lengths = self.lengths[ids]
            ends = np.cumsum(lengths)
            flat = np.repeat(self.starts[ids] - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)
            return self.codes[flat]

    def _add(self) -> None:
        """Write the codes of the pieces new since the last call."""
        new, self._new = self._new, []
        if not new:
            return
        lengths = np.fromiter(map(len, new), dtype=np.int64, count=len(new))
        rows = np.array([code for codes in new for code in codes], dtype=np.int64).reshape(-1, 5)
        first, end = len(self) - len(new), self.n_codes + len(rows)
        self.codes, self.starts, self.lengths = (_room(self.codes, end), _room(self.starts, len(self)),
                                                 _room(self.lengths, len(self)))
        self.codes[self.n_codes: end] = rows
        self.starts[first: len(self)] = self.n_codes + np.cumsum(lengths) - lengths
        self.lengths[first: len(self)] = lengths
        self.n_codes = end


def _room(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` itself when it holds ``size`` rows, else a copy with room for twice as many."""
    if size <= len(array):
        return array
    grown = np.zeros((2 * size, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


_PIECES = _PieceTable()


def _admin_role(item: str) -> int:
    """Whether an item is "admin" (or "adm"), a noun that makes it "administrativt", or neither."""
    if item in ("admin", "adm"):
        return _ADMIN_WORD
    return _ADMIN_NOUN if item in _ADMIN_NOUNS else _PLAIN


@lru_cache(maxsize=100_000)
def reads_back(word: str) -> bool:
    """Whether a shown word, read again as a note of its own, is one token: itself (cached per word)."""
    return note_chunks(word.lower()) == ((_token(word),),)


def _span_arrays(role: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every well-formed phrase of two words or more (as :func:`_spans`), ordered
    by start then length."""
    n = len(role)
    stops = np.concatenate([[0], np.cumsum(role <= _HOLD)])
    after = np.append(role, _STOP)  # the role of the word after each, a break after the last
    contents = np.concatenate([[0], np.cumsum(role >= _CONTENT)])
    first = np.flatnonzero(role >= _CONTENT)
    starts, lengths = [], []
    for length in range(2, MAX_TOKENS + 1):
        i = first[first + length <= n]
        held = after[i + length] == _HOLD  # taken along: the phrase is one word longer
        ok = ((role[i + length - 1] == _END) & (stops[i + length] == stops[i])
              & (contents[i + length] - contents[i] <= MAX_CONTENT) & (~held | (length < MAX_TOKENS)))
        starts.append(i[ok])
        lengths.append(length + held[ok])
    start, length = np.concatenate(starts), np.concatenate(lengths)
    order = np.lexsort((length, start))
    return start[order], length[order]


def row_ids(rows: np.ndarray, n_values: int) -> np.ndarray:
    """One id per distinct row of integers from -1 to ``n_values`` - 1 (equal rows, equal ids).

    Three columns are packed in one integer, so a row of six is a pair, numbered in one sort.
    """
    bits = max(int(n_values + 1).bit_length(), 1)
    per = max(63 // bits, 1)
    packed = []
    for lo in range(0, rows.shape[1], per):
        code = np.zeros(len(rows), dtype=np.int64)
        for col in rows[:, lo: lo + per].T:
            code = (code << bits) | (col + 1)
        packed.append(code)
    order = np.lexsort(packed[::-1])
    same = np.ones(len(rows), dtype=bool)  # the row equals the one before it in sorted order
    same[:1] = False
    for code in packed:
        sorted_code = code[order]
        same[1:] &= sorted_code[1:] == sorted_code[:-1]
    ids = np.empty(len(rows), dtype=np.int64)
    ids[order] = np.cumsum(~same) - 1
    return ids


def _first_per_note(note: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of the first phrase of each distinct (note, keys), in order."""
    code = row_ids(keys, int(keys.max(initial=0)) + 1)
    _, first = np.unique(note * (code.max(initial=0) + 1) + code, return_index=True)
    return np.sort(first)

"""Candidate title phrases of a note: runs of content words, cut at punctuation and fillers.

A note becomes chunks (split at punctuation), each chunk a list of tokens. A candidate phrase is
a run of 1-4 content words that may hold short linking words ("tid *för* ärendena", "stöd *från*
chefen"), so it reads like a heading and not like a list. Every token carries a lemma key that
joins the inflections of one word; abbreviations are shown expanded ("utredn" -> "utredning").
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from nlp.language.text import ABBREVIATIONS, STOPWORDS, normalize, stem

__all__ = ["Token", "Phrase", "note_phrases", "lemma_keys", "ACRONYMS"]

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
_ADMIN_NOUNS = frozenset({"stöd", "stödet", "hjälp", "hjälpen", "personal", "personalen", "resurs", "resurser"})
ACRONYMS, _DISPLAY = _read_display()


class Token(NamedTuple):
    """One word of a note as a title would show it."""

    word: str  # display form, lower case (acronyms upper case), abbreviations expanded
    key: str  # stem joining inflections (refined collection-wide by :func:`lemma_keys`)
    content: bool  # may start or end a title phrase


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


def _is_content(low: str) -> bool:
    """Whether a word may carry a title."""
    if low in STOPWORDS or low in TITLE_STOPWORDS or low in LINKS or len(low) < 2:
        return False
    if low.endswith(_VERB_ENDINGS):
        return False
    return not (len(low) >= _PASSIVE_MIN and (low.endswith("ts") or low.endswith("as")))


@lru_cache(maxsize=100_000)
def _token(word: str) -> Token:
    """A display word with its key and whether it may carry a title."""
    low = word.lower()
    content = _is_content(low)
    return Token(word, stem(normalize(low).replace("-", "")) if content else low, content)


@lru_cache(maxsize=100_000)
def note_chunks(text: str) -> tuple[tuple[Token, ...], ...]:
    """The note's chunks between punctuation marks, as tokens."""
    chunks = []
    # lower case but accents kept for display ("idé", "café"); keys come from the normalised word
    for part in _CHUNK_RE.split(unicodedata.normalize("NFKC", str(text)).lower()):
        raw = [m.group().strip(".-") for m in _WORD_RE.finditer(part)]
        words = [w for i, tok in enumerate(raw) for w in _shown(tok, raw, i)]
        if words:
            chunks.append(tuple(map(_token, filter(None, words))))
    return tuple(chunks)


def _runs(chunk: tuple[Token, ...]):
    """Every (start, end) of a well-formed phrase in a chunk: content at both ends, links inside."""
    for i, first in enumerate(chunk):
        if not first.content:
            continue
        content = 0
        for j in range(i, min(len(chunk), i + MAX_TOKENS)):
            tok = chunk[j]
            if not tok.content and tok.word not in LINKS:
                break
            content += tok.content
            if content > MAX_CONTENT:
                break
            if tok.content and tok.word not in NUMERALS:  # "Två handläggare", never "skett med två"
                yield i, j + 1


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
        words, keys, content = (tuple(column) for column in zip(*chunk))
        for i, j in _runs(chunk):
            if keys[i:j] not in seen:
                seen.add(keys[i:j])
                out.append(Phrase(keys[i:j], words[i:j], content[i:j]))
    return tuple(out)


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
    for s in sorted(known, key=len):
        root = s
        for cut in (1, 2):
            head = s[:-cut]
            if len(head) >= 3 and head in known:
                root = out.get(head, head)
                break
        out[s] = root
    return out

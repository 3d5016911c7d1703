"""Swedish text handling: normalisation, tokenising, stemming, compounds and abbreviations.

Everything here runs offline: the stopword list, abbreviation table and compound lexicon are
shipped in ``nlp/data`` and NLTK's Snowball stemmer needs no downloaded data.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from itertools import filterfalse

from nltk.stem.snowball import SnowballStemmer

__all__ = [
    "normalize",
    "fold_diacritics",
    "tokenize",
    "expand_abbreviations",
    "stem",
    "split_compound",
    "analyze",
    "note_tokens",
    "token_stems",
    "STOPWORDS",
    "ABBREVIATIONS",
]

_TOKEN_RE = re.compile(r"[a-zåäöéü]+(?:[.][a-zåäö]+)*", re.UNICODE)
_KEEP_MARKS = {("a", "\u030a"), ("a", "\u0308"), ("o", "\u0308")}
_NOT_PLAIN_RE = re.compile("[^\x00-\x7fåäö]")  # a character other than ASCII, å, ä and ö
_SWEDISH_MARKS_RE = re.compile("a\u030a|a\u0308|o\u0308")
_LINKS = ("s", "e", "a", "o", "u", "")
_MIN_PART = 3
_MIN_COMPOUND = 7
_STEMMER = SnowballStemmer("swedish")
_FOLD = str.maketrans("åäö", "aao")


def _read_lines(name: str) -> list[str]:
    """Read a shipped data file as non-empty, non-comment lines."""
    text = resources.files("nlp.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _read_abbreviations() -> dict[str, list[str]]:
    """Read the abbreviation table as token -> expansion tokens."""
    raw = json.loads(resources.files("nlp.data").joinpath("abbreviations.json").read_text("utf-8"))
    return {k: v.split() for k, v in raw.items() if not k.startswith("_")}


STOPWORDS: frozenset[str] = frozenset(_read_lines("stopwords_sv.txt"))
ABBREVIATIONS: dict[str, list[str]] = _read_abbreviations()


def normalize(text: str) -> str:
    """Normalise a note: Unicode NFKC, lower case, unify dashes and strip accents except å, ä, ö.

    Parameters
    ----------
    text : str
        Raw note text as typed.

    Returns
    -------
    str
        Lower-cased text where "é" becomes "e" but Swedish letters are kept.
    """
    text = unicodedata.normalize("NFKC", str(text)).lower()
    if not _NOT_PLAIN_RE.search(text):  # ASCII, å, ä and ö only: already what the steps below give
        return text
    decomposed = unicodedata.normalize("NFD", text)
    # Most notes carry no accent but those of å, ä and ö, which are all kept: then the text is
    # the decomposed one as it stands, found without a Python step per character.
    rest = _SWEDISH_MARKS_RE.sub("", decomposed)
    if rest.isascii() or not any(unicodedata.combining(ch) for ch in set(rest)):
        return unicodedata.normalize("NFC", decomposed)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if out and (out[-1], ch) in _KEEP_MARKS:
                out.append(ch)
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def fold_diacritics(text: str) -> str:
    """Map å, ä, ö to a, a, o so that notes typed without Swedish letters still match.

    Parameters
    ----------
    text : str
        Normalised text.

    Returns
    -------
    str
        Text with Swedish letters folded to plain ASCII vowels.
    """
    return text.translate(_FOLD)


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Split a note into lower-case word tokens.

    Hyphenated words ("HR-stöd") are split into their parts; dotted abbreviations
    ("soc.sek") are joined ("socsek"). Numbers and punctuation are dropped.

    Parameters
    ----------
    text : str
        Raw or normalised note text.
    keep_stopwords : bool, default=False
        Keep Swedish function words.

    Returns
    -------
    list of str
    """
    return list(_tokens(str(text), keep_stopwords))


def note_tokens(text: str) -> tuple[str, ...]:
    """The tokens :func:`tokenize` gives (stopwords left out), as the cached tuple itself."""
    return _tokens(text, False)


@lru_cache(maxsize=20_000)
def _tokens(text: str, keep_stopwords: bool) -> tuple[str, ...]:
    """Tokens of one text, cached: the mapper, the clusterer and the titles all read each note."""
    norm = normalize(text)
    tokens = _TOKEN_RE.findall(norm)
    if "." in norm:  # only a dotted abbreviation ("soc.sek") holds a dot inside a token
        tokens = [t.replace(".", "") for t in tokens]
    if keep_stopwords:
        return tuple(tokens)
    return tuple(filterfalse(STOPWORDS.__contains__, tokens))


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Append the expansion of every known abbreviation after the abbreviation itself.

    Parameters
    ----------
    tokens : list of str

    Returns
    -------
    list of str
        ``["bh", "biståndshandläggare", ...]`` for ``["bh", ...]``.
    """
    out: list[str] = []
    for tok in tokens:
        out.append(tok)
        out.extend(t for t in ABBREVIATIONS.get(tok, ()) if t not in STOPWORDS)
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one lower-case Swedish word with NLTK's Snowball stemmer.

    Parameters
    ----------
    word : str

    Returns
    -------
    str
    """
    return _STEMMER.stem(word)


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Known compound parts: shipped list plus the default framework vocabulary."""
    from nlp.framework import load_framework  # local import: framework imports this module

    words = set(_read_lines("compound_parts_sv.txt"))
    for point in load_framework().points:
        for phrase in point.vocabulary + [point.label]:
            words.update(t for t in tokenize(phrase) if "-" not in t and len(t) >= _MIN_PART)
    return frozenset(words) | frozenset(stem(w) for w in words)


_SUFFIXES = ("erna", "arna", "orna", "ande", "ende", "met", "men", "en", "et", "na", "er",
             "ar", "or", "an", "n", "t", "s", "e", "a", "")


def _known(word: str, lexicon: frozenset[str]) -> bool:
    """True if ``word`` or the word without an inflection ending is in the lexicon."""
    if word in lexicon or stem(word) in lexicon:
        return True
    return any(word.endswith(suf) and word[: len(word) - len(suf)] in lexicon
               for suf in _SUFFIXES if suf and len(word) - len(suf) >= _MIN_PART)


def _split(word: str, lexicon: frozenset[str], depth: int, whole_ok: bool) -> list[str] | None:
    """Split ``word`` into lexicon parts, longest head first; None if impossible."""
    if whole_ok and _known(word, lexicon):
        return [word]
    if depth == 0:
        return None
    for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head, rest = word[:cut], word[cut:]
        if head not in lexicon:
            continue
        for link in _LINKS:
            if rest.startswith(link) and len(rest) - len(link) >= _MIN_PART:
                tail = _split(rest[len(link):], lexicon, depth - 1, whole_ok=True)
                if tail:
                    return [head] + tail
    return None


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a Swedish compound into known parts.

    Uses a lexicon of domain words (shipped list plus framework vocabulary) and allows the
    linking letters of Swedish compounds ("arbet-s-belastning").

    Parameters
    ----------
    word : str
        One lower-case token.

    Returns
    -------
    tuple of str
        The parts, or ``(word,)`` when the word is short or cannot be split.

    Examples
    --------
    >>> split_compound("ärendehandledning")
    ('ärende', 'handledning')
    """
    if len(word) < _MIN_COMPOUND:
        return (word,)
    parts = _split(word, _lexicon(), depth=3, whole_ok=False)
    return tuple(parts) if parts and len(parts) > 1 else (word,)


@lru_cache(maxsize=200_000)
def _word_features(token: str) -> tuple[str, ...]:
    """Stem of a token plus the stems of its compound parts."""
    stems = [stem(token)]
    parts = split_compound(token)
    if len(parts) > 1:
        stems.extend(stem(p) for p in parts if p not in STOPWORDS)
    return tuple(stems)


def analyze(text: str) -> list[str]:
    """Turn a note into stems: tokenise, expand abbreviations, stem, add compound parts.

    Parameters
    ----------
    text : str
        Raw note text.

    Returns
    -------
    list of str
        Stems in order of appearance; compound parts follow the whole word.

    Examples
    --------
    >>> analyze("Mer admin till BH")[:3]
    ['admin', 'administration', 'administratör']
    """
    return list(_analyzed(str(text)))


@lru_cache(maxsize=20_000)
def _analyzed(text: str) -> tuple[str, ...]:
    """Stems of one text, cached (the mapper's features and the clusterer's words both need them)."""
    out: list[str] = []
    for tok in _tokens(text, False):
        out.extend(token_stems(tok))
    return tuple(out)


@lru_cache(maxsize=200_000)
def token_stems(token: str) -> tuple[str, ...]:
    """The stems :func:`analyze` gives for one token: its own, those of the words its abbreviation
    stands for, and those of compound parts; cached per word form."""
    out: list[str] = []
    for tok in expand_abbreviations([token]):
        out.extend(_word_features(tok))
    return tuple(out)

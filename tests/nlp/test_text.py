"""Tokenising, stemming, compounds and abbreviations."""
import pytest

from nlp import analyze, expand_abbreviations, normalize, split_compound, stem, tokenize
from nlp.language.text import STOPWORDS, fold_diacritics


@pytest.mark.parametrize("raw, expected", [
    ("Mer ADMIN till BH!", ["admin", "bh"]),
    ("HR-stöd och IT-system", ["hr", "stöd", "it", "system"]),
    ("soc.sek har 40 ärenden", ["socsek", "ärenden"]),
    ("Idé: café för nyanställda", ["ide", "cafe", "nyanställda"]),
    ("", []),
    ("123 456 !!!", []),
])
def test_tokenize(raw, expected):
    assert tokenize(raw) == expected


def test_tokenize_keeps_stopwords_on_request():
    assert tokenize("vi har för många ärenden", keep_stopwords=True) == ["vi", "har", "för", "många", "ärenden"]


@pytest.mark.parametrize("raw, expected", [
    ("ÄRENDE", "ärende"), ("Ångest", "ångest"), ("ﬁka", "fika"), ("naïve", "naive"),
])
def test_normalize_keeps_swedish_letters(raw, expected):
    assert normalize(raw) == expected


def test_fold_diacritics():
    assert fold_diacritics("handläggare på förvaltningen") == "handlaggare pa forvaltningen"


@pytest.mark.parametrize("words", [
    ("handledning", "handledningen"),
    ("utredning", "utredningen", "utredningar"),
    ("chef", "chefen", "chefer", "cheferna"),
    ("student", "studenter", "studenterna"),
])
def test_stem_groups_inflections(words):
    assert len({stem(w) for w in words}) == 1


@pytest.mark.parametrize("word, parts", [
    ("ärendehandledning", ("ärende", "handledning")),
    ("introduktionsprogrammet", ("introduktion", "programmet")),
    ("arbetsbelastningen", ("arbets", "belastningen")),
    ("specialistutbildning", ("specialist", "utbildning")),
    ("studenthandledare", ("student", "handledare")),
    ("kontorslandskapet", ("kontor", "landskapet")),
])
def test_split_compound(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize("word", ["chef", "xyzxyzxyzxyz", "arbete"])
def test_split_compound_leaves_unknown_and_short_words(word):
    assert split_compound(word) == (word,)


def test_compound_parts_reach_the_features():
    stems = analyze("ärendehandledningen ställs in")
    assert stem("handledning") in stems and stem("ärende") in stems


@pytest.mark.parametrize("abbr, word", [
    ("socsek", "socialsekreterare"), ("bh", "biståndshandläggare"), ("apt", "arbetsplatsträff"),
    ("ifo", "familjeomsorg"), ("lss", "funktionsnedsättning"), ("sol", "socialtjänstlagen"),
    ("vfu", "praktik"), ("admin", "administration"),
])
def test_abbreviations_expand(abbr, word):
    expanded = expand_abbreviations([abbr])
    assert expanded[0] == abbr and word in expanded


def test_expansions_skip_stopwords():
    assert "och" not in expand_abbreviations(["lss"])


def test_stopwords_are_shipped():
    assert {"och", "att", "det", "som"} <= STOPWORDS


@pytest.mark.parametrize("raw", ["Café och idé", "Å Ä Ö å ä ö", "a\u0301\u030a", "o\u0308\u0308",
                                 "Ångest på jobbet", "naïve résumé", "ÅÄÖ-stöd", "ﬁka"])
def test_normalize_fast_path_matches_the_step_per_character(raw):
    """Text with only the accents of å, ä and ö skips the loop; the result must be the loop's."""
    import unicodedata

    keep = {("a", "\u030a"), ("a", "\u0308"), ("o", "\u0308")}
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", raw).lower()):
        if unicodedata.combining(ch):
            if out and (out[-1], ch) in keep:
                out.append(ch)
            continue
        out.append(ch)
    assert normalize(raw) == unicodedata.normalize("NFC", "".join(out))

"""NoteWords: the word forms of a batch of notes, and the sums over them the features are made of."""
import numpy as np
from sklearn.feature_extraction import FeatureHasher

from nlp import ThemeClusterer, analyze, tokenize
from nlp.language.words import NoteWords
from nlp.themes.keywords import SurfaceIndex

TEXTS = ["Mer admin till BH", "för många ärenden, för många ärenden", "", "och så", "soc.sek saknas",
         "ärenden per handläggare"]


def test_counts_hold_every_token_of_every_note():
    notes = NoteWords(TEXTS)
    assert list(notes) == TEXTS and NoteWords.of(notes) is notes
    for row, text in zip(notes.counts.toarray(), TEXTS):
        assert {w: n for w, n in zip(notes.words, row) if n} == {t: tokenize(text).count(t) for t in tokenize(text)}


def test_neighbours_stay_inside_a_note():
    notes = NoteWords(TEXTS)
    pairs = list(zip(*notes.neighbours()))
    expected = [(i, a, b) for i, text in enumerate(TEXTS) for a, b in zip(tokenize(text), tokenize(text)[1:])]
    assert [(i, notes.words[a], notes.words[b]) for i, a, b in pairs] == expected


def test_hashed_stems_are_those_of_analyze(mapper, dev_rows):
    texts = [r["text"] for r in dev_rows[:300]] + TEXTS
    got = ThemeClusterer(mapper=mapper, n_features=4096)._hash(NoteWords(texts))
    hasher = FeatureHasher(n_features=4096, input_type="string", alternate_sign=False)
    expected = hasher.transform(analyze(t) for t in texts).tocsr()
    assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
    assert np.array_equal(got.data, expected.data)


def test_stems_of_a_batch_are_those_of_each_note(dev_rows):
    texts = [r["text"] for r in dev_rows[:300]] + TEXTS
    one_by_one, batch = SurfaceIndex(), SurfaceIndex()
    each = [one_by_one.note_stems(t) for t in texts]
    assert batch.notes_stems(texts) == each
    assert all(batch.word(s) == one_by_one.word(s) for stems in each for s in stems)

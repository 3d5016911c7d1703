"""PointMapper: estimator contract, ranking, novel flag, added points, learning, save/load."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from nlp import PointMapper


def test_clone_and_params_follow_the_estimator_contract():
    mapper = PointMapper(C=2.0, novel_threshold=0.2, random_state=3)
    params = mapper.get_params()
    assert params["C"] == 2.0 and params["random_state"] == 3
    copy = clone(mapper)
    assert copy.get_params() == params and copy is not mapper
    assert mapper.set_params(C=5.0) is mapper and mapper.C == 5.0


def test_unfitted_mapper_refuses_to_predict():
    with pytest.raises(NotFittedError):
        PointMapper().predict(["något"])


def test_fit_returns_self_and_sets_learned_state(mapper):
    assert isinstance(mapper.classes_, np.ndarray) and 0 in mapper.classes_
    assert list(mapper.points_) == list(range(1, 14))
    assert mapper.n_labeled_ == 0


@pytest.mark.parametrize("text, point", [
    ("ingen introduktion och ingen mentor när jag började", 2),
    ("för många ärenden per handläggare, folk går in i väggen", 3),
    ("chefen sitter alltid i möten och går inte att nå", 5),
    ("mer admin till socsek, vi scannar och arkiverar själv", 6),
    ("handledningen ställs in hela tiden", 8),
    ("vi borde vara två handläggare på tunga ärenden", 9),
    ("vi vill ta emot fler vfu-studenter", 11),
    ("datorn startar inte och wifi är dåligt", 13),
])
def test_map_note_ranks_the_expected_point_first(mapper, text, point):
    result = mapper.map_note(text)
    assert result["points"][0]["point"] == point
    assert not result["novel"]


def test_scores_are_ranked_and_within_unit_interval(mapper):
    result = mapper.map_note("brukarenkät efter varje insats")
    scores = [p["score"] for p in result["points"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores) and sum(scores) <= 1.0 + 1e-6
    assert {p["point"] for p in result["points"]} == set(range(1, 14))


@pytest.mark.parametrize("text", [
    "lönen är för låg jämfört med grannkommunen",
    "en klient hotade mig och min familj",
    "politikerna i nämnden skär ner budgeten",
    "julfesten blev inställd",
])
def test_out_of_framework_notes_are_novel(mapper, text):
    assert mapper.map_note(text)["novel"]
    assert mapper.predict([text])[0] == 0


@pytest.mark.parametrize("text, point", [
    ("en klient hotade mig och min familj", 14),
    ("våld mot personal vid hembesök", 14),
    ("jämställdhet mellan kvinnor och män i lönesättningen", 15),
])
def test_added_points_take_notes_that_were_novel(extended_mapper, text, point):
    result = extended_mapper.map_note(text)
    assert result["points"][0]["point"] == point and not result["novel"]


def test_added_points_keep_the_original_ones(extended_mapper):
    assert extended_mapper.map_note("mentor till alla nyanställda")["points"][0]["point"] == 2


def test_fit_is_deterministic(mapper):
    texts = ["chefen syns aldrig", "lönen är låg", "trasig skrivare"]
    again = PointMapper(random_state=0).fit()  # the session's mapper was fitted the same way
    np.testing.assert_allclose(again.predict_proba(texts), mapper.predict_proba(texts))


def test_confirmed_labels_teach_new_phrasing(mapper):
    phrase = "zorblatt i korridoren"
    before = mapper.map_note(phrase)
    labels = [f"{phrase} {i}" for i in ("igen", "idag", "hela veckan", "på morgonen")]
    after = PointMapper(random_state=0).fit(labels, [7] * len(labels))
    assert after.n_labeled_ == 4
    assert after.map_note(phrase)["points"][0]["point"] == 7
    assert before["points"][0]["point"] != 7 or before["novel"]


@pytest.mark.parametrize("X, y", [(["a", "b"], [1]), (["a"], [99])])
def test_fit_rejects_bad_labels(X, y):
    with pytest.raises(ValueError):
        PointMapper().fit(X, y)


def test_save_and_load_roundtrip(mapper, tmp_path):
    path = mapper.save(tmp_path / "mapper.joblib")
    loaded = PointMapper.load(path)
    texts = ["för lite handledning", "bra lokaler"]
    np.testing.assert_allclose(loaded.predict_proba(texts), mapper.predict_proba(texts))


def test_load_rejects_other_objects(tmp_path):
    import joblib

    joblib.dump({"not": "a mapper"}, tmp_path / "x.joblib")
    with pytest.raises(ValueError):
        PointMapper.load(tmp_path / "x.joblib")


@pytest.mark.parametrize("kind", ["words", "chars"])
def test_counting_per_word_form_gives_scikit_learns_matrix(kind, dev_rows):
    """Counting each distinct word form once (and the bigrams across neighbouring words) must give
    the very matrix TfidfVectorizer computes, entry for entry, from text or from NoteWords."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.language.features import CharTfidf, WordTfidf, char_ngrams, word_features
    from nlp.language.words import NoteWords

    ours_cls, analyzer = {"words": (WordTfidf, word_features), "chars": (CharTfidf, char_ngrams)}[kind]
    train = [r["text"] for r in dev_rows[::2]]
    test = [r["text"] for r in dev_rows[1::2]] + ["BH behöver adm. stöd", "ärenden ärenden ärenden", "", "och"]
    ours = ours_cls(analyzer=analyzer, sublinear_tf=True).fit(train)
    theirs = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(train).transform(test)
    few = slice(len(test) - 6, len(test))  # a few notes are counted note by note
    for given, rows in ((test, slice(None)), (NoteWords(test), slice(None)), (test, slice(None)),
                        (test[few], few), (iter(test[few]), few)):  # the third time from the per-form cache
        got, expected = ours.transform(given), theirs[rows]
        assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
        assert (got.data == expected.data).all()
    refitted = ours.fit(test).transform(train)  # a new fit must not read the forms cached for the old one
    assert abs(refitted - TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(test).transform(train)).max() == 0

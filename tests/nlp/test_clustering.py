"""ThemeClusterer: contract, determinism, stability when notes are added, readable themes."""
import numpy as np
import pytest
from sklearn.base import clone

from nlp import ThemeClusterer, summarize_points, summarize_themes, tokenize

NOTES = [
    "ingen introduktion för nyanställda", "nyanställda behöver en mentor",
    "introduktion och mentor till alla nyanställda", "mentor för nyanställda första året",
    "för många ärenden per handläggare", "arbetsbelastningen är för hög, för många ärenden",
    "ärenden per handläggare måste minska", "hög arbetsbelastning och för många ärenden",
    "datorerna är långsamma", "långsamma datorer och trasig skrivare",
    "datorerna krånglar, skrivare trasig", "nya datorer behövs, de gamla är långsamma",
    "lönen är för låg", "höj lönen för socialsekreterare", "lönen för låg jämfört med andra",
]
MORE = ["mentor till nyanställda socialsekreterare", "för många ärenden hos varje handläggare",
        "parkeringen vid kontoret är dyr", "parkeringen kostar för mycket vid kontoret"]


@pytest.fixture(scope="module")
def model(mapper):
    return ThemeClusterer(mapper=mapper, random_state=0).fit(NOTES)


def test_params_and_clone(mapper):
    est = ThemeClusterer(mapper=mapper, threshold=0.4, random_state=2)
    assert clone(est).get_params()["threshold"] == 0.4
    assert est.set_params(min_theme_size=3).min_theme_size == 3


def test_fit_finds_themes_without_k(model):
    assert model.labels_.shape == (len(NOTES),)
    assert 3 <= model.n_themes_ <= 6
    groups = [set(model.labels_[i:i + 4]) for i in (0, 4, 8)]
    assert all(len(g) == 1 and -1 not in g for g in groups)
    assert len({g.pop() for g in groups}) == 3


def test_fit_is_deterministic(mapper):
    a = ThemeClusterer(mapper=mapper, random_state=5).fit(NOTES)
    b = ThemeClusterer(mapper=mapper, random_state=5).fit(NOTES)
    assert list(a.labels_) == list(b.labels_)
    assert [t.label for t in a.themes_] == [t.label for t in b.themes_]


def test_themes_are_readable_and_point_mapped(model):
    theme = model.themes_[model.labels_[0]]
    assert theme.point == 2 and not theme.novel and 0 < theme.confidence <= 1
    assert set(theme.note_ids) == {0, 1, 2, 3}
    assert "nyanställda" in theme.keywords and "mentor" in theme.keywords
    words = {w for note in NOTES for w in tokenize(note)}
    assert set(theme.keywords) <= words  # real words from the notes, not stems
    assert len(theme.representative_notes) == 3 and theme.label.count(",") <= 2


def test_out_of_framework_theme_is_novel(model):
    salary = model.themes_[model.labels_[12]]
    assert salary.novel and salary.point is None
    assert "lönen" in salary.keywords


def test_partial_fit_keeps_earlier_assignments(mapper):
    est = ThemeClusterer(mapper=mapper, random_state=0).fit(NOTES)
    before, labels_before = [t.label for t in est.themes_], est.labels_.copy()
    est.partial_fit(MORE, ids=["m1", "m2", "m3", "m4"])
    assert list(est.labels_[: len(NOTES)]) == list(labels_before)
    assert [t.label for t in est.themes_[: len(before)]][:3] == before[:3]
    assert est.labels_[len(NOTES)] == labels_before[0]
    assert est.labels_[len(NOTES) + 1] == labels_before[4]
    new = est.labels_[len(NOTES) + 2]
    assert new >= len(before) and est.labels_[len(NOTES) + 3] == new
    assert {"m3", "m4"} == set(est.themes_[new].note_ids)


def test_near_duplicates_share_a_theme(mapper):
    notes = NOTES + ["Lönen är för LÅG!!", "lönen, är för låg"]
    est = ThemeClusterer(mapper=mapper, random_state=0).fit(notes)
    assert est.labels_[-1] == est.labels_[-2] == est.labels_[12]


def test_predict_does_not_change_state(model):
    before = model.labels_.copy()
    pred = model.predict(["nyanställda behöver mentor", "xyz qwerty"])
    assert pred[0] == model.labels_[0] and pred[1] == -1
    assert np.array_equal(model.labels_, before)


def test_summaries_count_tables_and_levels(mapper, model):
    notes = [{"id": i, "text": t, "table": i % 2 + 1, "level": "enhet"} for i, t in enumerate(NOTES)]
    per_point = {s["point"]: s for s in summarize_points(notes, mapper)}
    assert per_point[2]["count"] == 4 and per_point[2]["per_level"] == {"enhet": 4}
    assert sum(per_point[2]["per_table"].values()) == 4
    assert per_point[None]["count"] >= 2
    themes = summarize_themes(model.themes_, notes)
    assert themes[0]["count"] == model.themes_[0].size and themes[0]["representative_notes"]


def test_partial_fit_with_only_repeated_wording_joins_the_existing_themes(mapper):
    est = ThemeClusterer(mapper=mapper, random_state=0).fit(NOTES)
    labels_before = est.labels_.copy()
    est.partial_fit([NOTES[0], NOTES[4].upper()], ids=["r1", "r2"])
    assert list(est.labels_[: len(NOTES)]) == list(labels_before)
    assert list(est.labels_[len(NOTES):]) == [labels_before[0], labels_before[4]]


def test_themes_are_described_only_when_asked_for():
    """partial_fit only assigns; describing every theme costs in proportion to all notes."""
    texts = ["mentor för nyanställda", "mentor till nya kollegor", "mer tid för dokumentation",
             "dokumentation tar all tid"]
    model = ThemeClusterer(random_state=0).fit(texts)
    model.partial_fit(["en mentor första året"])
    assert model._themes is None
    assert sum(len(t.note_ids) for t in model.themes_) == sum(1 for label in model.labels_ if label >= 0)
    assert model._themes is not None


def test_going_on_with_the_unassigned_notes_equals_grouping_them_afresh(mapper):
    """partial_fit keeps its grouping of the unassigned notes between calls; starting it afresh each
    time must give the same themes, whatever arrives: new wording, repeats, groups that form."""
    arriving = ["parkeringen vid kontoret är dyr", "kaffet i fikarummet är slut", NOTES[12],
                "parkeringen kostar för mycket vid kontoret", "kaffet är slut igen i fikarummet",
                "parkeringen vid kontoret är dyr", "sjukskrivningar ökar", "lokalerna är trånga",
                "fler sjukskrivningar på enheten", "ingen fungerande kaffemaskin",
                "lokalerna är trånga"]  # a lone note said again: its weight alone makes it a theme
    kept = ThemeClusterer(mapper=mapper, random_state=0).fit(NOTES[:4] + NOTES[8:10])
    fresh = clone(kept).fit(NOTES[:4] + NOTES[8:10])
    continued = 0
    for number, text in enumerate(arriving):
        continued += kept._pool is not None
        kept.partial_fit([text], ids=[f"k{number}"])
        fresh._pool = None  # group the unassigned notes from the start every time
        fresh.partial_fit([text], ids=[f"k{number}"])
        assert list(kept.labels_) == list(fresh.labels_)
    assert continued >= 5 and kept.n_themes_ > 2


def test_centroid_lengths_kept_up_to_date_match_the_sums():
    """The leader pass divides by lengths updated per addition; they must be the sums' lengths."""
    from scipy import sparse

    from nlp.themes.centroids import CentroidSet

    rng = np.random.RandomState(0)
    X = sparse.random(40, 30, density=0.2, format="csr", random_state=rng, dtype=np.float32)
    cents = CentroidSet(30, capacity=2)
    for start in range(0, 40, 8):
        rows = rng.randint(0, 3, size=8)
        while cents.n < 3:
            cents.create(X[start:start + 1], 1.0)
        cents.add(rows, X[start:start + 8], rng.rand(8) + 0.5)
    cents.create_groups(X, [[0, 5], [7]], np.ones(40))
    expected = np.linalg.norm(cents.sums[: cents.n], axis=1)
    assert np.allclose(np.sqrt(cents.sq[: cents.n]), expected, rtol=1e-5)
    assert np.allclose(cents.units[: cents.n], cents.sums[: cents.n] / expected[:, None], atol=1e-6)
    rows, sims = cents.nearest(X[:4])
    assert np.allclose(sims, np.asarray(X[:4] @ cents.units[: cents.n].T).max(axis=1), atol=1e-5)


def test_rebuilt_centroids_give_the_dense_sums_and_similarities():
    """A rebuild writes its sums entry by entry and keeps them sparse for the similarities: the same
    numbers as the dense rows, and the similarities read from the unit rows, exactly."""
    from scipy import sparse

    from nlp.themes.centroids import CentroidSet

    rng = np.random.RandomState(1)
    X = sparse.random(60, 50, density=0.15, format="csr", random_state=rng, dtype=np.float32)
    labels, weights = rng.randint(-1, 5, size=60), rng.rand(60) + 0.5
    cents = CentroidSet(50, capacity=8)
    cents.create_groups(X, [list(range(k, 60, 7)) for k in range(7)], weights)  # 7 rows, 5 left after
    cents.rebuild(X, labels, weights, 5)
    onehot = np.zeros((5, 60))
    onehot[labels[labels >= 0], np.flatnonzero(labels >= 0)] = weights[labels >= 0]
    assert np.array_equal(cents.sums[:5], (onehot @ X.toarray().astype(np.float64)).astype(np.float32))
    assert not cents.sums[5:].any()
    from_sparse = cents.similarity_matrix()
    cents._summed = None  # read from the dense unit rows instead
    assert np.array_equal(from_sparse, cents.similarity_matrix())

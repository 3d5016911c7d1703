"""The masker measured on realistic notes (tests/security/pii_corpus): no ordinary number masked, no
piece of personal data missed, clients' names masked and colleagues' names only warned about."""
import pytest

from bench.pii_corpus import load, measure, parse
from cafe.privacy import pii

ORDINARY, PERSONAL, NAMES, HELD_OUT = load("ordinary"), load("personal"), load("names"), load("held-out")


@pytest.fixture(scope="module")
def scores():
    """The figures of bench/pii_corpus.py, printed with -s."""
    result = measure()
    for name, s in result.items():
        print(f"{name}: {s.notes} notes, precision {s.precision:.3f}, recall {s.recall:.3f}, "
              f"{s.notes_wrong} notes with a wrong finding")
    return result


def test_the_corpora_are_big_enough():
    assert len(ORDINARY) >= 200 and len(PERSONAL) >= 100
    client_names = [p for note in NAMES for p in note.masked if p[0] == "namn"]
    unmasked = [note for note in NAMES if not note.masked]
    assert len(client_names) >= 60 and len(unmasked) >= 60
    assert {k for note in PERSONAL for k, *_ in note.masked} == set(pii.LABELS)


def test_the_marks_are_read_back_exactly():
    note = parse("mamman [[namn:Fatima Ali]] på [[telefonnummer:070-123 45 67]], {{Anna}} på HR vet")
    assert note.text == "mamman Fatima Ali på 070-123 45 67, Anna på HR vet"
    assert note.masked == (("namn", 7, 17), ("telefonnummer", 21, 34)) and note.warned == ((36, 40),)


def test_fewer_than_one_in_a_hundred_ordinary_notes_is_masked(scores):
    ordinary = scores["ordinary"]
    assert ordinary.notes_wrong / ordinary.notes < 0.01, ordinary.extras


def test_no_personal_data_is_missed_and_nothing_else_is_masked(scores):
    personal = scores["personal"]
    assert personal.misses == [] and personal.extras == []


@pytest.mark.parametrize("note", PERSONAL, ids=lambda n: n.text[:40])
def test_every_piece_of_personal_data_leaves_the_masked_text(note):
    masked = pii.mask(note.text)
    assert all(note.text[start:end] not in masked for _, start, end in note.masked if end - start > 4)
    assert all(pii.LABELS[kind] in masked for kind, *_ in note.masked)


def test_clients_names_are_masked_with_high_precision_and_recall(scores):
    names = scores["names masked"]
    assert names.precision >= 0.95 and names.recall >= 0.95, (names.misses, names.extras)


def test_colleagues_names_are_warned_about_and_name_like_words_are_not(scores):
    warned = scores["names warned"]
    assert warned.precision >= 0.9 and warned.recall >= 0.9, (warned.misses, warned.extras)


def test_the_held_out_notes_lose_no_number_and_most_names(scores):
    # Written after the rules were settled: a guard against getting worse, not a target to tune on.
    held_out = scores["held-out"]
    assert not [piece for _, piece in held_out.misses if any(ch.isdigit() or ch == "@" for ch in piece)]
    assert held_out.notes_wrong / held_out.notes < 0.01
    assert scores["held-out names"].recall >= 0.85 and scores["held-out names"].precision >= 0.95


def test_none_of_the_projects_example_notes_is_masked(scores):
    assert scores["nlp examples"].notes > 1000 and scores["nlp examples"].found == 0
    assert scores["nlp warned"].notes_wrong / scores["nlp warned"].notes < 0.01

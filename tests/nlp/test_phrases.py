"""Candidate title phrases of many notes at once: the same as reading each note alone, whatever the
piece table of the batch reader remembers, forgets, or is asked by several threads."""
import json
import threading
from pathlib import Path

import pytest

from nlp.language import phrases
from nlp.language.phrases import note_phrases, phrase_spans

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "nlp" / "data" / "heldout.jsonl"

TRICKY = [
    "Mer tid för ärendena. Mindre tid för dokumentation!",
    "admin stöd behövs - och adm hjälp, men admin - stöd är två saker",
    "- tolk vid barnsamtal -",
    "t.ex. handledn. varannan vecka ; HR-stöd och APT-tid",
    "slut.",
    " . ",
    "kl 0800-1700 ring 3.5 timmar",
    "tid\x00för ärendena",  # a NUL typed in a note is not a note boundary
    "",
    "ÅÄÖ café idé\u00a0nyanställda\tintroduktion\nbra",
    "--- stöd från chefen --",
]


def heldout_texts() -> list[str]:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows]


def per_note(spans) -> list[set]:
    """What the batch found for each note: (keys, words) of phrases of two words or more, keys of one."""
    found = [set() for _ in range(int(spans.note.max(initial=-1)) + 1)]
    found += [set() for _ in range(int(spans.heads[0].max(initial=-1)) + 1 - len(found))]
    for note, keys, words in zip(spans.note.tolist(), spans.keys.tolist(), spans.words.tolist()):
        found[note].add((tuple(spans.key_names[k] for k in keys if k >= 0),
                         tuple(spans.word_names[w] for w in words if w >= 0)))
    for note, key in zip(*(a.tolist() for a in spans.heads)):
        found[note].add(((spans.key_names[key],), None))
    return found


def expected(text: str) -> set:
    """The same read from one note alone."""
    return {(p.keys, p.words if len(p.keys) > 1 else None) for p in note_phrases(text)}


def check_batch(texts: list[str]) -> None:
    found = per_note(phrase_spans(texts))
    for i, text in enumerate(texts):
        assert (found[i] if i < len(found) else set()) == expected(text), text


@pytest.fixture()
def fresh_table(monkeypatch):
    """A piece table of its own for the test."""
    table = phrases._PieceTable()
    monkeypatch.setattr(phrases, "_PIECES", table)
    return table


def test_a_batch_finds_what_each_note_alone_holds(fresh_table):
    texts = heldout_texts() + TRICKY
    check_batch(texts)
    check_batch(texts)  # again, every piece now known


def test_admin_before_a_noun_reads_administrativt(fresh_table):
    spans = phrase_spans(["admin stöd behövs", "mer admin"])
    words = {spans.word_names[w] for row in spans.words.tolist() for w in row if w >= 0}
    assert "administrativt" in words and "administration" not in words


def test_the_table_forgets_past_its_limit_and_reads_the_same(fresh_table):
    texts = heldout_texts()
    before = per_note(phrase_spans(texts))
    fresh_table.limit = 50
    phrase_spans(texts[:5])  # over the limit: forgotten at the next batch
    assert len(fresh_table) > 50
    after = per_note(phrase_spans(texts))
    assert after == before
    assert len(fresh_table) < 2 * len(set(" ".join(texts).split())) + 10  # nothing kept twice


def test_a_piece_that_fails_leaves_the_table_whole(fresh_table, monkeypatch):
    real = phrases._piece_codes

    def failing(piece):
        if piece == "trasig":
            raise RuntimeError("cannot read this piece")
        return real(piece)

    monkeypatch.setattr(phrases, "_piece_codes", failing)
    with pytest.raises(RuntimeError):
        phrase_spans(["tid för ärendena", "en trasig anteckning", "stöd från chefen"])
    monkeypatch.setattr(phrases, "_piece_codes", real)
    check_batch(["tid för ärendena", "stöd från chefen", "en trasig anteckning"] + TRICKY)


def test_threads_reading_at_once_get_what_each_alone_gets(fresh_table):
    texts = heldout_texts()
    batches = [texts[i::4] for i in range(4)]
    wanted = [[expected(t) for t in batch] for batch in batches]
    errors: list[BaseException] = []

    def read(batch, want):
        try:
            for _ in range(5):
                found = per_note(phrase_spans(batch))
                assert [found[i] if i < len(found) else set() for i in range(len(batch))] == want
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=read, args=pair) for pair in zip(batches, wanted)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[0]

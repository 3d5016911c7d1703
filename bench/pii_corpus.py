"""How precisely personal data is masked: the figures of docs/privacy.md, measured on the corpora.

Run with ``make bench-pii`` or ``python bench/pii_corpus.py``. The corpora are in
tests/security/pii_corpus/: ordinary notes with numbers that are not personal data (nothing may be
masked), notes with personal data (every marked piece must be masked), notes with names (clients'
names masked, colleagues' names only warned about) and held-out notes of every kind; the project's
example notes (nlp/data) hold no personal data at all. tests/security/test_pii_corpus.py holds the limits.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "security" / "pii_corpus"
FILES = {"ordinary": "ordinary_notes.txt", "personal": "personal_notes.txt", "names": "name_notes.txt",
         "held-out": "heldout_notes.txt"}
# [[kind:text]] must be masked as that kind; {{text}} must only be warned about.
MARK = re.compile(r"\[\[([a-zå-]+):(.+?)\]\]|\{\{(.+?)\}\}")


@dataclass(frozen=True)
class Note:
    """One corpus note: its text, the pieces to mask (kind, start, end) and the names to warn about."""

    text: str
    masked: tuple = ()
    warned: tuple = ()


def parse(line: str) -> Note:
    """Strip the marks from a corpus line and remember where they were."""
    text, masked, warned, position = "", [], [], 0
    for match in MARK.finditer(line):
        text += line[position:match.start()]
        inner = match.group(2) or match.group(3)
        piece = (len(text), len(text) + len(inner))
        if match.group(1):
            masked.append((match.group(1), *piece))
        else:
            warned.append(piece)
        text += inner
        position = match.end()
    return Note(text + line[position:], tuple(masked), tuple(warned))


def load(name: str) -> list[Note]:
    """The notes of one corpus: one a line, '#' lines are comments."""
    lines = (CORPUS / FILES[name]).read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


@dataclass
class Score:
    """Pieces expected and found, and the notes that got a finding they should not have."""

    expected: int = 0
    found: int = 0
    correct: int = 0
    notes: int = 0
    notes_wrong: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def add(self, text: str, expected: set, found: set) -> None:
        """Count one note."""
        self.notes += 1
        self.expected, self.found = self.expected + len(expected), self.found + len(found)
        self.correct += len(expected & found)
        self.misses += [(text, text[p[-2]:p[-1]]) for p in sorted(expected - found)]
        self.extras += [(text, text[p[-2]:p[-1]]) for p in sorted(found - expected)]
        self.notes_wrong += bool(found - expected)

    @property
    def precision(self) -> float:
        """Share of what was found that was right (1.0 when nothing was found)."""
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Share of what should be found that was (1.0 when nothing should be)."""
        return self.correct / self.expected if self.expected else 1.0


def measure() -> dict[str, Score]:
    """Score the masker and the name warning on the corpora the rules were written with, and apart
    from them on the held-out notes."""
    from cafe.privacy import pii

    rows = ("ordinary", "personal", "names masked", "names warned", "held-out", "held-out names", "held-out warned")
    scores = {row: Score() for row in rows}
    for corpus in FILES:
        prefix = "held-out " if corpus == "held-out" else ""
        for note in load(corpus):
            findings = pii.find(note.text)
            found = {(f.kind, f.start, f.end) for f in findings}
            if corpus in ("ordinary", "personal", "held-out"):
                scores[corpus].add(note.text, set(note.masked), found)
            scores[prefix + "names" + ("" if prefix else " masked")].add(
                note.text, {p for p in note.masked if p[0] == "namn"}, {p for p in found if p[0] == "namn"})
            mentioned = {(m.start, m.end) for m in pii.mentions(note.text, findings)}
            scores[prefix + ("warned" if prefix else "names warned")].add(note.text, set(note.warned), mentioned)
    _examples(scores)
    return scores


def _examples(scores: dict[str, Score]) -> None:
    """Score the project's example notes (nlp/data), none of which holds personal data: nothing may be
    masked; a warning is counted as wrong, though it may be right (a lecturer named in a note)."""
    import json

    from cafe.privacy import pii

    masked, warned = scores.setdefault("nlp examples", Score()), scores.setdefault("nlp warned", Score())
    for path in sorted((ROOT / "nlp" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            findings = pii.find(text)
            masked.add(text, set(), {(f.kind, f.start, f.end) for f in findings})
            warned.add(text, set(), {(m.start, m.end) for m in pii.mentions(text, findings)})


def main() -> None:
    """Print the table of docs/privacy.md, then every miss and every wrong finding."""
    scores = measure()
    print(f"{'corpus':<15} {'notes':>5} {'to find':>7} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6} "
          f"{'notes with a wrong finding':>27}")
    for name, s in scores.items():
        share = f"{s.notes_wrong} ({100 * s.notes_wrong / s.notes:.1f} %)"
        print(f"{name:<15} {s.notes:>5} {s.expected:>7} {s.found:>5} {s.correct:>5} {s.precision:>9.3f} "
              f"{s.recall:>6.3f} {share:>27}")
    for name, s in scores.items():
        for text, piece in s.misses:
            print(f"{name}: missed {piece!r} in {text!r}")
        for text, piece in s.extras:
            print(f"{name}: wrongly found {piece!r} in {text!r}")


if __name__ == "__main__":
    main()

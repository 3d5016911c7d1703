"""How rows of word ids are written as titles, all at once: the words of each row joined, the first
capitalised, and whether one word of a row is part of another ("telefonsamtal och samtal")."""
from __future__ import annotations

import numpy as np

__all__ = ["places", "write_rows", "nested_rows"]


def places(rows: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Rows of word ids (-1 for none) as places in a list of their names ("" for none, last), and that list."""
    return np.where(rows >= 0, rows, len(names)), [*names, ""]


def write_rows(place: np.ndarray, size: np.ndarray, names: list[str]) -> list[str]:
    """Rows of words (places in ``names``, ``size`` of them each) as titles, first letter capital, in one join."""
    if not len(place):
        return []
    shown = np.array(names + [w[:1].upper() + w[1:] for w in names], dtype=object)
    column = np.arange(place.shape[1])
    ends = np.where(column == (size - 1)[:, None], "\n", " ").astype(object)  # after the last word, a new line
    parts = shown[place + len(names) * (column == 0)] + ends
    return "".join(parts[column < size[:, None]].tolist()).split("\n")[:-1]


def nested_rows(place: np.ndarray, present: np.ndarray, names: list[str]) -> np.ndarray:
    """For each row of words, whether one word of over three letters is part of another.

    Only a shorter word can be part of a longer one, so each pair of words of a row is looked at
    once, the shorter first, and pairs of equal length not at all."""
    lower = [w.lower() for w in names]
    length = np.fromiter(map(len, lower), dtype=np.int64, count=len(lower))
    row, col = np.nonzero(present & np.array([len(w) > 3 for w in names], dtype=bool)[place])
    word = place[row, col]
    rows, short, long = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for d in range(1, place.shape[1]):
        same = row[:-d] == row[d:]
        a, b = word[:-d][same], word[d:][same]
        keep = np.flatnonzero(length[a] != length[b])
        rows.append(row[:-d][same][keep])
        short.append(np.where(length[a] < length[b], a, b)[keep])
        long.append(np.where(length[a] < length[b], b, a)[keep])
    nested = np.zeros(len(place), dtype=bool)
    rows, short, long = np.concatenate(rows), np.concatenate(short), np.concatenate(long)
    found, which = np.unique(short * len(names) + long, return_inverse=True)
    inside = np.array([lower[c // len(names)] in lower[c % len(names)] for c in found.tolist()], dtype=bool)
    nested[rows[inside[which.reshape(-1)]] if len(found) else rows] = True
    return nested

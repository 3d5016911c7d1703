"""Array helpers shared by the text and theme code."""
from __future__ import annotations

import numpy as np

__all__ = ["distinct"]


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (as ``np.unique``, which for a plain call hashes
    first and takes ten times as long on the few thousand values a batch of notes has)."""
    values = np.sort(values, axis=None)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values

"""DriftMonitor: when themes grown note by note have drifted far enough to cluster everything again."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DriftMonitor", "ThemeFit"]


@dataclass(frozen=True)
class ThemeFit:
    """How well the themes fit their notes at one moment.

    Attributes
    ----------
    n_notes : int
        Notes clustered so far.
    unassigned : float
        Share of the notes in no theme (the "not yet grouped" pile).
    cohesion : float
        Mean cosine similarity of the grouped notes to their theme's centre.
    """

    n_notes: int
    unassigned: float
    cohesion: float


class DriftMonitor:
    """Decide when a full re-clustering is due, from how the themes fit now against the last full fit.

    Between full fits, new notes join their nearest theme or the ungrouped pile (``partial_fit``):
    cheap, but the word weights and centres stay those of the last fit. A full fit is due when any of:

    - the café has grown by ``growth`` (e.g. 0.5: half as many notes again) since the last full fit,
      and by at least ``min_new`` notes;
    - the ungrouped share has risen by ``unassigned_rise`` (e.g. from 10% to 25%);
    - the grouped notes' mean similarity to their centres has fallen by ``cohesion_drop``.

    Parameters
    ----------
    growth : float, default=0.5
    min_new : int, default=200
    unassigned_rise : float, default=0.15
    cohesion_drop : float, default=0.1

    Attributes
    ----------
    baseline_ : ThemeFit
        The fit right after the last full clustering.
    reason_ : str or None
        Why the last :meth:`due` said yes (``"growth"``, ``"unassigned"``, ``"cohesion"``), else None.
    """

    def __init__(self, growth=0.5, min_new=200, unassigned_rise=0.15, cohesion_drop=0.1):
        self.growth = growth
        self.min_new = min_new
        self.unassigned_rise = unassigned_rise
        self.cohesion_drop = cohesion_drop

    def fit(self, baseline: ThemeFit) -> DriftMonitor:
        """Remember the fit of a full clustering as the baseline."""
        self.baseline_ = baseline
        self.reason_ = None
        return self

    def due(self, now: ThemeFit) -> bool:
        """Whether the themes have drifted enough from the baseline to cluster every note again."""
        base = self.baseline_
        new = now.n_notes - base.n_notes
        self.reason_ = None
        if new >= self.min_new and new >= self.growth * base.n_notes:
            self.reason_ = "growth"
        elif new >= self.min_new / 4 and now.unassigned - base.unassigned >= self.unassigned_rise:
            self.reason_ = "unassigned"
        elif new >= self.min_new / 4 and base.cohesion - now.cohesion >= self.cohesion_drop:
            self.reason_ = "cohesion"
        return self.reason_ is not None

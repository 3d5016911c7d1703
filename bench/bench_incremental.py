"""`make bench-incremental`: a café's themes grown note by note against clustering the same notes from scratch.

Notes (generated from the development set, as `bench-nlp` does) arrive in passes of `--batch`; each
pass goes through the live synthesis's `EventSynthesis.cluster` (new notes join their nearest theme
or the ungrouped pile; everything is clustered again when `nlp.DriftMonitor` says the themes have
drifted), and the notes' themes are kept as the café stores them (`cafe.synthesis.passes`): a new
note goes to the theme its cluster feeds, and after a full re-clustering the clusters are matched
one to one with the stored themes and the notes follow their cluster (no note is placed by hand
here). Prints the time a pass takes per note, the full re-clusterings and why, how many stored
notes they moved, the agreement (AMI) between the stored themes and a from-scratch clustering of
the same notes, then the time and peak memory of clustering `--city` notes at once (a city-wide
year) in a fresh process.

    python bench/bench_incremental.py                          # 20,000 notes, then 50,000 at once
    python bench/bench_incremental.py --notes 3000 --city 0    # a quick look
"""
import argparse
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_mutual_info_score  # noqa: E402

from bench import bench_nlp  # noqa: E402
from cafe.synthesis.theme_builder import EventSynthesis, NoteRow, match_clusters  # noqa: E402
from nlp import PointMapper, ThemeClusterer  # noqa: E402

TARGET_AMI = 0.8
TARGET_CITY_S, TARGET_CITY_MB = 60.0, 1024.0


class StoredThemes:
    """Memberships as the café stores them (`cafe.synthesis.passes`), with no facilitator's curation."""

    def __init__(self):
        self.theme: dict[int, int] = {}
        self.cluster_theme: dict[int, int] = {}
        self.made = 0
        self.moved: list[tuple[int, int]] = []  # (stored notes moved, stored notes) per full re-clustering

    def regroup(self, clusters: dict[int, int]) -> None:
        """After a full re-clustering: match clusters to themes, move each grouped note to its cluster's theme."""
        self.cluster_theme = match_clusters(clusters, self.theme)
        before, moved = len(self.theme), 0
        for note_id, cluster in clusters.items():
            if note_id in self.theme:
                if cluster not in self.cluster_theme:  # a part of a theme that the clustering split off
                    self.cluster_theme[cluster] = self._new()
                theme = self.cluster_theme[cluster]
                moved += theme != self.theme[note_id]
                self.theme[note_id] = theme
        self.moved.append((moved, before))

    def place(self, clusters: dict[int, int]) -> None:
        """Put notes not in a theme yet into their cluster's theme (remembered, else by majority)."""
        by_cluster = defaultdict(list)
        for note_id, cluster in clusters.items():
            by_cluster[cluster].append(note_id)
        for cluster, notes in by_cluster.items():
            waiting = [n for n in notes if n not in self.theme]
            if not waiting:
                continue
            theme = self.cluster_theme.get(cluster)
            if theme is None:
                votes = Counter(self.theme[n] for n in notes if n in self.theme)
                theme = votes.most_common(1)[0][0] if votes else self._new()
                self.cluster_theme[cluster] = theme
            for note_id in waiting:
                self.theme[note_id] = theme

    def _new(self) -> int:
        """A new theme id."""
        self.made += 1
        return self.made

    def labels(self, ids: list[int]) -> list[int]:
        """Theme per note, -1 for ungrouped notes."""
        return [self.theme.get(i, -1) for i in ids]


def grow(texts: list[str], batch: int, mapper) -> tuple[EventSynthesis, StoredThemes, list[float]]:
    """Feed the notes pass by pass; return the synthesis, the stored themes and seconds per note of each pass."""
    state, stored = EventSynthesis("bench", mapper), StoredThemes()
    rows: list[NoteRow] = []
    per_note = []
    for start in range(0, len(texts), batch):
        new = [NoteRow(i, texts[i], 1) for i in range(start, min(start + batch, len(texts)))]
        rows += new
        refits = len(state.refits)
        began = time.perf_counter()
        clusters = state.cluster(rows)
        seconds = time.perf_counter() - began
        if start and len(state.refits) == refits:
            per_note.append(seconds / len(new))
        if len(state.refits) != refits:
            stored.regroup(clusters)
        stored.place(clusters)
    return state, stored, per_note


def one_note_ms(state: EventSynthesis, text: str) -> float:
    """Milliseconds for one more note to join its theme (or the ungrouped pile)."""
    began = time.perf_counter()
    state.clusterer.partial_fit([text], ids=[10**9])
    return 1000 * (time.perf_counter() - began)


def main() -> None:
    """Grow a café, compare with a from-scratch clustering, then cluster a city-wide year."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=50, help="notes per pass")
    parser.add_argument("--city", type=int, default=50000, help="notes clustered at once (0: skip)")
    args = parser.parse_args()
    texts, _points = bench_nlp.recombine(args.notes, seed=3)
    mapper = PointMapper(random_state=0).fit()
    began = time.perf_counter()
    state, stored, per_note = grow(texts, args.batch, mapper)
    grown_s = time.perf_counter() - began
    ids = list(range(len(texts)))
    began = time.perf_counter()
    scratch = ThemeClusterer(mapper=mapper, random_state=0).fit(texts, ids=ids)
    scratch_s = time.perf_counter() - began
    ami_stored = adjusted_mutual_info_score(scratch.labels_, stored.labels(ids))
    ami_clusterer = adjusted_mutual_info_score(scratch.labels_, state.clusterer.labels_)
    print(f"bench-incremental: {args.notes} notes in passes of {args.batch}")
    print(f"  a pass: median {1000 * statistics.median(per_note):.2f} ms a note, "
          f"p95 {1000 * bench_nlp.np.percentile(per_note, 95):.2f} ms (passes without a full clustering)")
    print(f"  one note more at {args.notes}: {one_note_ms(state, texts[0] + ' igen'):.1f} ms")
    print(f"  full clusterings: {len(state.refits)} ({', '.join(state.refits) or 'none'}); "
          f"growing took {grown_s:.1f} s in all, one from-scratch clustering {scratch_s:.1f} s")
    moved = sum(m for m, _ in stored.moved) / max(sum(n for _, n in stored.moved), 1)
    print(f"  stored notes moved by a full clustering: {moved:.0%} on average "
          f"({', '.join(f'{m}/{n}' for m, n in stored.moved) or 'none'})")
    print(f"  themes: stored {len(set(stored.theme.values()))} (made {stored.made}), from scratch "
          f"{scratch.n_themes_}; ungrouped: stored {stored.labels(ids).count(-1) / len(ids):.1%}, "
          f"from scratch {(scratch.labels_ < 0).mean():.1%}")
    print(f"  AMI stored themes vs from scratch {ami_stored:.3f} (target ≥ {TARGET_AMI}); "
          f"latest clustering vs from scratch {ami_clusterer:.3f}")
    print(f"  peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.city:
        figures = bench_nlp.run_worker("ours", args.city)
        print(f"city-wide year: {args.city} notes clustered at once in {figures['seconds']:.1f} s "
              f"(target ≤ {TARGET_CITY_S:.0f} s), peak {figures['peak_mb']:.0f} MB "
              f"(target < {TARGET_CITY_MB:.0f} MB), {figures['themes']} themes")


if __name__ == "__main__":
    main()

"""Synthesis: the live themes of a café and what facilitators make of them.

Owns a synthesis pass (`passes`: load what changed, cluster with nlp, store memberships and
descriptions, record `synthesis:updated`), where a pass puts notes (`placement`: new notes,
notes no cluster took, and the notes a full re-clustering moves), the CPU part that knows no Flask
(`theme_builder`), the facilitator's curations with their snapshots and undo (`curation`,
`curation_log`), and what the plenary projector shows (`plenary`).

May use: `nlp`, `cafe.notes` (a curated note's change), `cafe.points` (the mapper), `cafe.events`,
`cafe.realtime` (the change log), `cafe.models`, `cafe.validation`, `cafe.extensions`, `cafe.errors`.
Passes run in the synthesis service (`cafe.runtime`), never in a server process's socket loop.
"""

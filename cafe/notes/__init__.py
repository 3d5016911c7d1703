"""Notes: what table hosts type, from the socket event to the change log.

Owns adding a note on the hot path, in one statement where the database allows it (`capture`), and
changing a stored note: its wording and level kept as revisions, its star, deleting and restoring it
(`editing`). Every change is recorded in the change log so that consoles, projectors and other hosts
catch up from it.

May use: `cafe.events` (the current round), `cafe.points` (a host's chosen point), `cafe.privacy`
(screening before anything is stored), `cafe.realtime` (the change log), `cafe.storage`, `cafe.models`,
`cafe.validation`, `cafe.extensions`, `cafe.errors`.
"""

"""Events: a café from its plan to its close.

Owns planning a café (details, tables, rounds, status, templates and copies: `planning`), running its
rounds and timers (`rounds`), the facilitator's messages to the tables (`broadcasts`), and the pre-vote
on which points matter most with its exports (`votes`, `vote_exports`).

May use: `cafe.points` (the framework), `cafe.people` (who may plan), `cafe.realtime` (the change log
and announcing a changed plan), `cafe.models`, `cafe.validation`, `cafe.extensions`, `cafe.errors`.
"""

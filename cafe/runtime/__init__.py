"""Runtime: the processes that run the app, and what each starts beside its requests.

Owns the realtime server of `flask serve` (`server`), the background tasks every server process
starts (`lifecycle`: checkpoints, presence heartbeat, retention, the synthesis child, job processes),
the synthesis service's loop (`synthesis_service`), the children's entry point (`python -m
cafe.runtime synthesis|jobs`, in `__main__`), and N processes behind nginx on one machine (`cluster`).

The top of the house: it may use every other package, and nothing but the app's entry points
(`cafe.wsgi`, `cafe.cli`) uses it.
"""

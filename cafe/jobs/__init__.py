"""Background work off the socket path: job threads, job processes and the synthesis child.

Owns a server process's pool of job threads (`runner`: `jobs.run`, `jobs.submit`), its job processes
for the city page and the exports (`processes`), the synthesis service as its child process and the
relay of what that child reports (`synthesis_child`), and what every child shares (`children`).

May use: `cafe.realtime` (to relay), `cafe.ops`, `cafe.extensions`, `cafe.errors`. A job is any
module-level function; jobs know nothing of what they run, so the domain hands its work in and never
the other way round.
"""
from .runner import JobRunner, depth, run, runner, submit

__all__ = ["JobRunner", "depth", "run", "runner", "submit"]

"""The processes a server process starts beside itself: `python -m cafe.runtime synthesis [--child] | jobs`.

- `synthesis`: the one synthesis service of several server processes (what `flask --app cafe synthesis`
  runs); with `--child`, the synthesis child of one server process, talking to it over stdin and stdout.
- `jobs`: a job process of a server process (`cafe.jobs.processes`).

This is the only module besides the server's own entry points that builds the app, so nothing below
the factory ever imports it.
"""
import logging
import signal
import sys

from .. import create_app
from ..config import ConfigError
from ..jobs import children, processes
from . import synthesis_service

QUIET = {"SYNTHESIS_WORKER": "off", "RATELIMIT_ENABLED": False}  # a child runs no children and limits nobody


def synthesis(child: bool) -> None:
    """The synthesis service: a server process's child, or the one service of a cluster."""
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C ends the server process, and so the child's stdin
        out = synthesis_service.PipeOut(sys.stdout)
        sys.stdout = sys.stderr  # nothing else may write to the message pipe
        synthesis_service.run_child(create_app({**synthesis_service.child_config(), **QUIET}), out)
        return
    try:
        app = create_app(QUIET)
    except ConfigError as error:
        raise SystemExit(f"Dialogcafé kan inte starta: {error}") from error
    synthesis_service.run_standalone(app)


def jobs() -> None:
    """A job process: settings from the environment, jobs from stdin, answers to stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in `make run` ends the server, and so its stdin
    answers = processes.take_stdout()
    app = create_app({**processes.child_config(), **QUIET, "JOB_WORKER": "thread"})
    processes.serve(app, 0, answers)


def main(argv: list[str]) -> None:
    """Run the process the first argument names, at the lowest CPU priority."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    children.lower_priority()
    command = argv[0] if argv else ""
    if command == "synthesis":
        synthesis("--child" in argv[1:])
    elif command == "jobs":
        jobs()
    else:
        raise SystemExit("usage: python -m cafe.runtime synthesis [--child] | jobs")


if __name__ == "__main__":
    main(sys.argv[1:])

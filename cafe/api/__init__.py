"""The REST API under /api/v1, described by an OpenAPI document: an area like the others, for programs.

Owns the blueprint and its JSON errors (`blueprint`), who is calling (`auth`: a bearer token or the
login session), the endpoints per subject (`routes`: tokens, joining, events, tables and notes;
`planning`; `synthesis`; `actions`: the action list exports; `report`: the report to the committee;
`privacy`: deleting an event), and the
OpenAPI document built from the shared schemas (`openapi`, `schemas`, `planning_spec`).

May use the domain packages, `cafe.jobs`, `cafe.models`, `cafe.extensions`, `cafe.errors`; no other area.
"""
from . import actions, openapi, planning, privacy, report, routes, synthesis  # noqa: F401  (register the endpoints)
from .blueprint import bp

__all__ = ["bp"]

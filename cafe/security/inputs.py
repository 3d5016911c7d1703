"""Input bounds every route shares: ids in URLs must fit the database's integer columns."""
from flask import Flask, abort

MAX_ID = 2**31 - 1


def _bounded_ids(_endpoint, values) -> None:
    """Answer 404 for an id in the URL that no row can have (it would overflow the database)."""
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
            abort(404)


def init_app(app: Flask) -> None:
    """Register the check for every blueprint."""
    app.url_value_preprocessor(_bounded_ids)

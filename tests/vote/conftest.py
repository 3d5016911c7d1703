"""The planning fixtures serve the pre-vote tests too."""
from tests.organizer.conftest import ctx, demo_event, organizer, stranger  # noqa: F401


def point_rows(sheet) -> dict[int, list]:
    """The rows under the pre-vote workbook's header (below its title rows), by point number."""
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(n for n, r in enumerate(rows) if r[0] == "Punkt")
    return {r[0]: r for r in rows[header + 1:] if isinstance(r[0], int)}
